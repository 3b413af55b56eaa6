"""What Go's ``encoding/json`` says of a document it cannot read, for the request bodies kube-apiserver
reads with it.

Go checks the whole document with its scanner before decoding anything, so the first syntax error wins
over any type error; its messages name the offending byte (``quoteChar``) and what the scanner was
looking for.  This is that scanner's state machine, byte by byte, for the messages only: documents it
accepts are parsed by orjson.  Its names are generic, so this module is used by its name
(``go_json.syntax_error``) rather than re-exported by the package.
"""

from __future__ import annotations

from collections.abc import Callable

from fakekube.go_text import json_kind

SPACE = frozenset(b" \t\r\n")
DIGITS = frozenset(b"0123456789")
HEX = frozenset(b"0123456789abcdefABCDEF")
ESCAPES = frozenset(b'bfnrt\\/"')
MAX_DEPTH = 10000
UNEXPECTED_END = "unexpected end of JSON input"
# Go prints the anonymous struct kube-apiserver reads a body's apiVersion and kind into as its type.
FIND_KIND_TYPE = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
                  'Kind string "json:\\"kind,omitempty\\"" }')


def quote_char(byte: int) -> str:
    """``quoteChar``: the byte as a rune (a byte past ASCII is the Latin-1 rune of that number), quoted as
    ``strconv.Quote`` quotes it, between single quotes."""
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    return "'" + go_quote_rune(chr(byte)) + "'"


_SHORT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
                  "\\": "\\\\"}


def go_quote_rune(char: str) -> str:
    """One rune as it appears inside ``strconv.Quote``'s double quotes."""
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if char == " " or (char.isprintable() and code != 0x7F):
        return char
    if code < 0x80:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


class _Scanner:
    """Go's ``scanner``: ``step`` takes one byte and returns an error text or None."""

    def __init__(self) -> None:
        self.stack: list[str] = []  # "key" (reading an object key), "value" (an object value), "array"
        self.step: Callable[[int], str | None] = self.begin_value
        self.end_top = False

    # -- values ------------------------------------------------------------------------------------

    def begin_value(self, c: int) -> str | None:
        if c in SPACE:
            return None
        if c == 0x7B:  # {
            return self.push("key", self.begin_string_or_empty)
        if c == 0x5B:  # [
            return self.push("array", self.begin_value_or_empty)
        if c == 0x22:
            self.step = self.in_string
            return None
        if c == 0x2D:  # -
            self.step = self.neg
            return None
        if c == 0x30:
            self.step = self.zero
            return None
        if 0x31 <= c <= 0x39:
            self.step = self.one
            return None
        for literal in ("true", "false", "null"):
            if c == ord(literal[0]):
                self.step = self.literal(literal, 1)
                return None
        return f"invalid character {quote_char(c)} looking for beginning of value"

    def push(self, state: str, then: Callable[[int], str | None]) -> str | None:
        if len(self.stack) >= MAX_DEPTH:
            return "exceeded max depth"
        self.stack.append(state)
        self.step = then
        return None

    def begin_value_or_empty(self, c: int) -> str | None:
        if c in SPACE:
            return None
        if c == 0x5D:  # ]
            return self.end_value(c)
        return self.begin_value(c)

    def begin_string_or_empty(self, c: int) -> str | None:
        if c in SPACE:
            return None
        if c == 0x7D:  # }
            self.stack[-1] = "value"
            return self.end_value(c)
        return self.begin_string(c)

    def begin_string(self, c: int) -> str | None:
        if c in SPACE:
            return None
        if c == 0x22:
            self.step = self.in_string
            return None
        return f"invalid character {quote_char(c)} looking for beginning of object key string"

    def end_value(self, c: int) -> str | None:
        if not self.stack:
            self.end_top = True
            self.step = self.after_top
            return self.after_top(c)
        if c in SPACE:
            self.step = self.end_value
            return None
        state = self.stack[-1]
        if state == "key":
            if c == 0x3A:  # :
                self.stack[-1] = "value"
                self.step = self.begin_value
                return None
            return f"invalid character {quote_char(c)} after object key"
        if state == "value":
            if c == 0x2C:  # ,
                self.stack[-1] = "key"
                self.step = self.begin_string
                return None
            if c == 0x7D:
                return self.pop()
            return f"invalid character {quote_char(c)} after object key:value pair"
        if c == 0x2C:
            self.step = self.begin_value
            return None
        if c == 0x5D:
            return self.pop()
        return f"invalid character {quote_char(c)} after array element"

    def pop(self) -> str | None:
        self.stack.pop()
        self.step = self.end_value
        if not self.stack:
            self.end_top = True
            self.step = self.after_top
        return None

    def after_top(self, c: int) -> str | None:
        if c in SPACE:
            return None
        return f"invalid character {quote_char(c)} after top-level value"

    # -- strings -----------------------------------------------------------------------------------

    def in_string(self, c: int) -> str | None:
        if c == 0x22:
            self.step = self.end_value
            return None
        if c == 0x5C:  # backslash
            self.step = self.in_string_escape
            return None
        if c < 0x20:
            return f"invalid character {quote_char(c)} in string literal"
        return None

    def in_string_escape(self, c: int) -> str | None:
        if c in ESCAPES:
            self.step = self.in_string
            return None
        if c == 0x75:  # u
            self.step = self.unicode_escape(4)
            return None
        return f"invalid character {quote_char(c)} in string escape code"

    def unicode_escape(self, left: int) -> Callable[[int], str | None]:
        def step(c: int) -> str | None:
            if c not in HEX:
                return f"invalid character {quote_char(c)} in \\u hexadecimal character escape"
            self.step = self.in_string if left == 1 else self.unicode_escape(left - 1)
            return None

        return step

    # -- numbers -----------------------------------------------------------------------------------

    def neg(self, c: int) -> str | None:
        if c == 0x30:
            self.step = self.zero
            return None
        if 0x31 <= c <= 0x39:
            self.step = self.one
            return None
        return f"invalid character {quote_char(c)} in numeric literal"

    def one(self, c: int) -> str | None:
        if c in DIGITS:
            return None
        return self.zero(c)

    def zero(self, c: int) -> str | None:
        if c == 0x2E:  # .
            self.step = self.dot
            return None
        if c in (0x65, 0x45):
            self.step = self.exponent
            return None
        return self.end_value(c)

    def dot(self, c: int) -> str | None:
        if c in DIGITS:
            self.step = self.dot_digits
            return None
        return f"invalid character {quote_char(c)} after decimal point in numeric literal"

    def dot_digits(self, c: int) -> str | None:
        if c in DIGITS:
            return None
        if c in (0x65, 0x45):
            self.step = self.exponent
            return None
        return self.end_value(c)

    def exponent(self, c: int) -> str | None:
        if c in (0x2B, 0x2D):
            self.step = self.exponent_sign
            return None
        return self.exponent_sign(c)

    def exponent_sign(self, c: int) -> str | None:
        if c in DIGITS:
            self.step = self.exponent_digits
            return None
        return f"invalid character {quote_char(c)} in exponent of numeric literal"

    def exponent_digits(self, c: int) -> str | None:
        if c in DIGITS:
            return None
        return self.end_value(c)

    # -- literals ----------------------------------------------------------------------------------

    def literal(self, word: str, index: int) -> Callable[[int], str | None]:
        def step(c: int) -> str | None:
            expected = word[index]
            if c != ord(expected):
                return f"invalid character {quote_char(c)} in literal {word} (expecting {quote_char(ord(expected))})"
            self.step = self.end_value if index == len(word) - 1 else self.literal(word, index + 1)
            return None

        return step


def syntax_error(data: bytes) -> str | None:
    """What ``json.Unmarshal`` says of ``data`` before decoding (``checkValid``); None: it is valid JSON."""
    scanner = _Scanner()
    for byte in data:
        problem = scanner.step(byte)
        if problem is not None:
            return problem
    if scanner.end_top:
        return None
    problem = scanner.step(0x20)  # as Go's eof: a number ends only at the next byte, so one blank is fed
    if scanner.end_top:
        return None
    return problem or UNEXPECTED_END


def base64_error(text: str) -> str | None:
    """What ``base64.RawURLEncoding.DecodeString`` says of ``text`` (None: it decodes): the offset of the
    first byte outside the URL alphabet (padding included), or of a lone last character; line breaks
    are skipped."""
    alphabet = _URL_ALPHABET
    count = 0
    last = -1
    for index, char in enumerate(text.encode("utf-8", "surrogateescape")):
        if char in (0x0A, 0x0D):
            continue
        if char not in alphabet:
            return f"illegal base64 data at input byte {index}"
        count += 1
        last = index
    if count % 4 == 1:
        return f"illegal base64 data at input byte {last}"
    return None


_URL_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

__all__ = ["FIND_KIND_TYPE", "UNEXPECTED_END", "base64_error", "go_quote_rune", "json_kind", "quote_char",
           "syntax_error"]
