"""Label selectors (``k8s.io/apimachinery/pkg/labels``): lexed on bytes, parsed and matched as upstream."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fakekube.go_text import go_quote
from fakekube.selectors.common import (
    SelectorError,
    aggregate,
    invalid_message,
    label_key_errors,
    label_value_errors,
    parse_int64,
    raw_bytes,
)

# --- label selectors ---------------------------------------------------------------------------

EXISTS, DOES_NOT_EXIST = "exists", "!"
EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN, GREATER_THAN, LESS_THAN = "=", "==", "!=", "in", "notin", "gt", "lt"
_BINARY_OPERATORS = ", ".join([IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN])
_OPERATOR_TEXT = {EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
                  GREATER_THAN: ">", LESS_THAN: "<"}


@dataclass(frozen=True)
class Requirement:
    """One comma-separated clause; ``values`` are sorted and unique, as upstream keeps them."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        # A missing key satisfies the negative operators: "!=" and "notin" mean "not labelled so".
        present = self.key in labels
        if self.operator in (IN, EQUALS, DOUBLE_EQUALS):
            return present and labels[self.key] in self.values
        if self.operator in (NOT_IN, NOT_EQUALS):
            return not present or labels[self.key] not in self.values
        if self.operator == EXISTS:
            return present
        if self.operator == DOES_NOT_EXIST:
            return not present
        if self.operator in (GREATER_THAN, LESS_THAN) and present and len(self.values) == 1:
            have, want = parse_int64(labels[self.key]), parse_int64(self.values[0])
            if have is None or want is None:
                return False
            return have > want if self.operator == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        if self.operator == EXISTS:
            return self.key
        if self.operator == DOES_NOT_EXIST:
            return "!" + self.key
        values = ",".join(sorted(self.values, key=raw_bytes))
        if self.operator in (IN, NOT_IN):
            values = f"({values})"
        return self.key + _OPERATOR_TEXT[self.operator] + values


@dataclass(frozen=True)
class LabelSelector:
    """An AND of requirements, sorted by key (stably) as ``labels.Parse`` leaves them."""

    requirements: tuple[Requirement, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(r.matches(labels) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def new_requirement(key: str, operator: str, values: Iterable[str], *, path: str = "") -> Requirement:
    """``labels.NewRequirement``: validate and build; ``path`` prefixes field paths in messages."""
    vals = list(values)
    where = (path + ".") if path else ""
    errs = []
    if key_errs := label_key_errors(key):
        errs.append(invalid_message(where + "key", key, "; ".join(key_errs)))
    values_path = where + "values"
    shown = "[" + ",".join(go_quote(v) for v in vals) + "]"

    def bad_values(detail: str) -> None:
        errs.append(f"{values_path}: Invalid value: {shown}: {detail}")

    if operator in (IN, NOT_IN):
        if not vals:
            bad_values("for 'in', 'notin' operators, values set can't be empty")
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            bad_values("exact-match compatibility requires one single value")
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if vals:
            bad_values("values set must be empty for exists and does not exist")
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            bad_values("for 'Gt', 'Lt' operators, exactly one value is required")
        not_integer = "for 'Gt', 'Lt' operators, the value must be an integer"
        for i, v in enumerate(vals):
            if parse_int64(v) is None:
                errs.append(invalid_message(f"{values_path}[{i}]", v, not_integer))
    else:
        supported = ", ".join(go_quote(o) for o in
                              [IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN, EXISTS, "!"])
        errs.append(f"{where}operator: Unsupported value: {go_quote(operator)}: supported values: {supported}")
    for i, v in enumerate(vals):
        if value_errs := label_value_errors(v):
            errs.append(invalid_message(f"{values_path}[{i}][{key}]", v, "; ".join(value_errs)))
    if errs:
        raise SelectorError(aggregate(errs))
    return Requirement(key, operator, tuple(vals))


# Tokens of the label selector lexer.
_EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _IDENT, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(13)
_KEYWORDS = {b")": _CLOSE, b",": _COMMA, b"!": _NOT, b"==": _DEQ, b"=": _EQ, b">": _GT, b"in": _IN, b"<": _LT,
             b"!=": _NEQ, b"notin": _NOTIN, b"(": _OPEN}
_SPECIAL = frozenset(b"=!(),><")
_BLANK = frozenset(b" \t\r\n")


class _Failure(Exception):
    """A parse error before the ``unable to parse requirement:`` wrapping is decided."""


def _lex(data: bytes) -> list[tuple[int, str]]:
    """Tokenise as upstream's byte lexer does; byte 0 (or the end) ends the token stream."""
    pos, tokens = 0, []

    def read() -> int:
        nonlocal pos
        if pos < len(data):
            pos += 1
            return data[pos - 1]
        return 0

    while True:
        ch = read()
        while ch in _BLANK:
            ch = read()
        if ch == 0:
            tokens.append((_EOS, ""))
            return tokens
        buf = bytearray([ch])
        if ch in _SPECIAL:
            # Grow the operator while it stays a known symbol ("!" -> "!=", "=" -> "==").
            tok = _KEYWORDS[bytes(buf)]
            while (ch := read()) != 0:
                if ch in _SPECIAL and bytes(buf) + bytes([ch]) in _KEYWORDS:
                    buf.append(ch)
                    tok = _KEYWORDS[bytes(buf)]
                    continue
                pos -= 1
                break
        else:
            while (ch := read()) != 0:
                if ch in _SPECIAL or ch in _BLANK:
                    pos -= 1
                    break
                buf.append(ch)
            tok = _KEYWORDS.get(bytes(buf), _IDENT)
        tokens.append((tok, bytes(buf).decode("utf-8", "surrogateescape")))


class _LabelParser:
    def __init__(self, text: str) -> None:
        self.items = _lex(raw_bytes(text))
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[min(self.pos, len(self.items) - 1)]
        # In a value position "in"/"notin" are plain words ("x in (in)", "in=notin").
        return (_IDENT if values and tok in (_IN, _NOTIN) else tok), lit

    def take(self, values: bool = True) -> tuple[int, str]:
        item = self.peek(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        found: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok == _EOS:
                return found
            if tok not in (_IDENT, _NOT):
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                found.append(self.requirement())
            except (_Failure, SelectorError) as err:
                raise SelectorError(f"unable to parse requirement: {err}") from None
            tok, lit = self.take()
            if tok == _EOS:
                return found
            if tok != _COMMA:
                raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.peek()
            if tok not in (_IDENT, _NOT):
                raise SelectorError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        operator = ""
        tok, key = self.take()
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, key = self.take()
        if tok != _IDENT:
            raise _Failure(f"found '{key}', expected: identifier")
        if errs := label_key_errors(key):
            raise _Failure(invalid_message("<nil>", key, "; ".join(errs)))
        if operator == DOES_NOT_EXIST or self.peek()[0] in (_EOS, _COMMA):
            return new_requirement(key, operator or EXISTS, [])
        tok, lit = self.take(values=False)
        ops = {_IN: IN, _NOTIN: NOT_IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _NEQ: NOT_EQUALS, _GT: GREATER_THAN,
               _LT: LESS_THAN}
        if tok not in ops:
            raise _Failure(f"found '{lit}', expected: {_BINARY_OPERATORS}")
        operator = ops[tok]
        values = self.value_set() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(values, key=raw_bytes))

    def value_set(self) -> set[str]:
        tok, lit = self.take()
        if tok != _OPEN:
            raise _Failure(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == _CLOSE:
            self.take()
            return {""}
        if tok not in (_IDENT, _COMMA):
            raise _Failure(f"found '{lit}', expected: ',', ')' or identifier")
        values: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == _IDENT:
                values.add(lit)
                nxt, nlit = self.peek()
                if nxt == _CLOSE:
                    self.take()
                    return values
                if nxt != _COMMA:
                    raise _Failure(f"found '{nlit}', expected: ',' or ')'")
            elif tok == _COMMA:
                # Empty slots around commas ("(,a)", "(a,,b)", "(a,)") stand for the empty value.
                nxt = self.peek()[0]
                if not values or nxt in (_CLOSE, _COMMA):
                    values.add("")
                if nxt == _CLOSE:
                    self.take()
                    return values
            else:
                raise _Failure(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.peek()[0] in (_EOS, _COMMA):
            return {""}
        tok, lit = self.take()
        if tok != _IDENT:
            raise _Failure(f"found '{lit}', expected: identifier")
        return {lit}


def parse_label_selector(text: str) -> LabelSelector:
    """``labels.Parse``; raises :class:`SelectorError` with the apiserver's message."""
    found = _LabelParser(text).parse()
    return LabelSelector(tuple(sorted(found, key=lambda r: raw_bytes(r.key))))
