"""Field selectors (``k8s.io/apimachinery/pkg/fields``): terms sorted, split and unescaped as upstream."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from fakekube.selectors.common import SelectorError, raw_bytes

# --- field selectors ---------------------------------------------------------------------------


class FieldRequirement(NamedTuple):
    """``field op value``; ``op`` is ``"="`` (also for ``==``) or ``"!="``, as upstream normalises."""

    field: str
    op: str
    value: str


def escape_field_value(value: str) -> str:
    """``fields.EscapeValue``: the inverse of the unescaping done while parsing."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


@dataclass(frozen=True)
class FieldSelector:
    """An AND of field terms in the order upstream keeps them (terms sorted as text)."""

    terms: tuple[FieldRequirement, ...] = ()

    @property
    def requirements(self) -> list[FieldRequirement]:
        return list(self.terms)

    @property
    def empty(self) -> bool:
        return not self.terms

    def matches(self, fields: Mapping[str, str]) -> bool:
        # An absent field reads as "", so "f=" matches objects lacking f and "f!=x" does too.
        return all((fields.get(f, "") == v) == (op == "=") for f, op, v in self.terms)

    def requires_exact_match(self, field: str) -> str | None:
        """The value an ``=`` term pins ``field`` to, if any (e.g. ``metadata.name``)."""
        return next((v for f, op, v in self.terms if f == field and op == "="), None)

    def transform(self, fn: Callable[[str, str], tuple[str, str]]) -> FieldSelector:
        """``Selector.Transform``: rewrite each term; a term mapped to ("", "") is dropped."""
        out = []
        for field, op, value in self.terms:
            new_field, new_value = fn(field, value)
            if new_field or new_value:
                out.append(FieldRequirement(new_field, op, new_value))
        return FieldSelector(tuple(out))

    def __str__(self) -> str:
        return ",".join(f"{f}{op}{escape_field_value(v)}" for f, op, v in self.terms)


def _split_terms(text: str) -> list[str]:
    terms, start, escaped = [], 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms if text else []


def _split_term(term: str) -> tuple[str, str, str] | None:
    # The first position where any operator starts wins; "!=" and "==" beat "=" there.
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def _unescape(value: str) -> str:
    if not any(c in value for c in "\\,="):
        return value
    out, escaped = [], False
    for ch in value:
        if 0xDC80 <= ord(ch) <= 0xDCFF:
            ch = "\ufffd"  # Go ranges over runes here, turning a stray byte into U+FFFD.
        if escaped:
            if ch not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            # Upstream formats the rune with %v, i.e. as its number: '=' is 61.
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if escaped:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def parse_field_selector(text: str) -> FieldSelector:
    """``fields.ParseSelector``; raises :class:`SelectorError` with the apiserver's message.

    Nothing is trimmed: ``"a = b"`` selects field ``"a "`` (which no kind supports).
    """
    terms = []
    for part in sorted(_split_terms(text), key=raw_bytes):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        field, op, raw_value = split
        terms.append(FieldRequirement(field, "!=" if op == "!=" else "=", _unescape(raw_value)))
    return FieldSelector(tuple(terms))
