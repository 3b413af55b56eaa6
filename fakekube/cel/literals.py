"""CEL literal tokens (as celpy's lexer cuts them) decoded to the values the evaluator works on, with the
spec's escapes: ``1u`` is a ``UInt``, ``0x1F`` an int, ``'a\\n'`` a string with a newline, ``r'\\n'`` two
characters, ``b'\\xff'`` one byte.  Done once at compile time, so evaluation never looks at source text.
"""

from __future__ import annotations

import re

from fakekube import errors
from fakekube.cel.values import INT_MAX, INT_MIN, UINT_MAX, UInt

_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "'": "'",
           "\\": "\\", "`": "`", "?": "?"}
_ESCAPE = re.compile(r"\\(?:([abfnrtv\"'\\`?])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-3][0-7]{2})"
                     r"|(.))", re.S)


class LiteralError(ValueError):
    """A literal cel-go's parser refuses (its message is the parser's); ``pos`` is where it starts."""

    pos: tuple[int, int] = (1, 0)


def _unescape(body: str, as_bytes: bool) -> str | bytes:
    """Escapes in a string or bytes literal: ``\\x`` and octal escapes are code points in a string and
    single bytes in a bytes literal; everything else in a bytes literal is its UTF-8."""
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(body):
        out += body[position:match.start()].encode("utf-8", "surrogatepass")
        position = match.end()
        simple, hex2, hex4, hex8, octal, bad = match.groups()
        if bad is not None:
            raise LiteralError(errors.cel_invalid_escape(bad))
        if simple is not None:
            out += _SIMPLE[simple].encode()
            continue
        if hex2 is not None or octal is not None:
            code = int(hex2, 16) if hex2 is not None else int(octal, 8)
            out += bytes([code]) if as_bytes else chr(code).encode("utf-8")
            continue
        if as_bytes:
            raise LiteralError(errors.CEL_BYTES_UNICODE_ESCAPE)
        code = int(hex4 if hex4 is not None else hex8, 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise LiteralError(errors.CEL_INVALID_CODE_POINT)
        out += chr(code).encode("utf-8")
    out += body[position:].encode("utf-8", "surrogatepass")
    if as_bytes:
        return bytes(out)
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise LiteralError(errors.CEL_STRING_NOT_UTF8) from None


def _quoted(text: str, as_bytes: bool) -> str | bytes:
    raw = text[:1] in "rR"
    if raw:
        text = text[1:]
    quote = 3 if text[:3] in ('"""', "'''") else 1
    body = text[quote:-quote]
    if raw:
        return body.encode() if as_bytes else body
    return _unescape(body, as_bytes)


def literal_value(kind: str, text: str) -> object:
    """The value of a literal token of type ``kind`` (``INT_LIT``, ``STRING_LIT``...) written ``text``."""
    if kind == "BOOL_LIT":
        return text == "true"
    if kind == "NULL_LIT":
        return None
    if kind in ("INT_LIT", "UINT_LIT"):
        digits = text.rstrip("uU")
        negative = digits.startswith("-")
        digits = digits.lstrip("-")
        number = int(digits[2:], 16) if digits[:2].lower() == "0x" else int(digits)
        number = -number if negative else number
        if kind == "UINT_LIT":
            if not 0 <= number <= UINT_MAX:
                raise LiteralError(errors.cel_invalid_literal("uint", text))
            return UInt(number)
        if not INT_MIN <= number <= INT_MAX:
            raise LiteralError(errors.cel_invalid_literal("int", text))
        return number
    if kind == "FLOAT_LIT":
        return float(text)
    if kind == "BYTES_LIT":
        return _quoted(text[1:], True)
    return _quoted(text, False)
