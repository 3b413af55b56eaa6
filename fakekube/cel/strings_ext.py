"""What cel-go's strings extension adds at the version kube-apiserver enables from v1.29
(``ext.Strings(ext.StringsVersion(2))``) beyond ``kubernetes_library``'s: ``format`` with the version-1
formatter (``ext/formatting.go``: ``%s %d %f %e %b %x %X %o``, ``%.3f``, en_US number printing),
``strings.quote`` and ``lastIndexOf`` from an offset.  ``reverse()`` on strings is version 3: not offered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fakekube import errors
from fakekube.cel.stdlib import CelFunction, to_string
from fakekube.cel.timestamps import Duration, Timestamp
from fakekube.cel.values import CelError, CelType, UInt, no_overload, type_name

_DEFAULT_PRECISION = 6
_QUOTES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
           "\\": "\\\\", '"': '\\"'}
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_NAMED_DOUBLES = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
Clause = Callable[[Any, "int | None"], str]


def quote(text: Any) -> str:
    """``strings.quote``: the string as a CEL string literal."""
    if type(text) is not str:
        raise no_overload("strings.quote")
    return '"' + "".join(_QUOTES.get(c, c) for c in text) + '"'


def last_index_of(text: str, sub: str, offset: int) -> int:
    """``'abcabc'.lastIndexOf('b', 3)``: the last match starting at or before ``offset``."""
    if offset < 0:
        raise CelError(errors.cel_index_out_of_range(offset))
    if sub == "":
        return min(offset, len(text))
    if offset >= len(text) or len(sub) > len(text):
        return -1
    return text.rfind(sub, 0, min(offset, len(text) - len(sub)) + len(sub))


# --- format ----------------------------------------------------------------------------------------------


def _wrong(clause: str, value: Any) -> CelError:
    return CelError(errors.cel_format_error(errors.cel_format_wrong_type(clause, type_name(value))))


def _plain(value: Any) -> str:
    """``FormatString``: what ``%s`` shows of a value."""
    kind = type(value)
    if kind is list or kind is tuple:
        return "[" + ", ".join(_member(item) for item in value) + "]"
    if kind is dict:
        return _map_text(value)
    if value is None:
        return "null"
    if kind is CelType:
        return str(value.name)
    if kind in (str, bool, int, UInt, float, bytes, Duration, Timestamp):
        return to_string(value)
    raise _wrong("s", value)


def _member(value: Any) -> str:
    """A list's or map's element as ``clauseForType`` shows it, quoted as a CEL literal (``quoteForCEL``)."""
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is bytes:
        return "b" + quote(to_string(value))
    if kind is float:
        text = _go_fixed(value, _DEFAULT_PRECISION)
        return f'"{text}"' if math.isinf(value) or math.isnan(value) else text
    if kind is Timestamp:
        return f'timestamp("{value}")'
    if kind is Duration:
        return f'duration("{value}")'
    if kind is int or kind is UInt:
        return str(int(value))
    if kind in (list, tuple, dict, bool, CelType) or value is None:
        return _plain(value)
    raise CelError(errors.cel_format_error(f"no formatting function for {type_name(value)}"))


def _map_text(value: dict[Any, Any]) -> str:
    pairs = []
    for key, item in value.items():
        kind = type(key)
        if kind is str:
            shown = quote(key)
        elif kind is bool or kind is int or kind is UInt:
            shown = to_string(key)
        else:
            raise CelError(errors.cel_format_error(f"no formatting function for map key of type {type_name(key)}"))
        pairs.append((shown, _member(item)))
    return "{" + ", ".join(f"{k}:{v}" for k, v in sorted(pairs, key=lambda pair: pair[0])) + "}"


def _go_fixed(value: float, precision: int) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:.{precision}f}"


def _double(clause: str, value: Any) -> float:
    if type(value) is float:
        return float(value)
    if type(value) is str and value in _NAMED_DOUBLES:
        return _NAMED_DOUBLES[value]
    raise _wrong(clause, value)


def _special(number: float) -> str | None:
    """How golang.org/x/text's printer (en_US) shows NaN and the infinities."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    return None


def _fixed(value: Any, precision: int | None) -> str:
    number = _double("f", value)
    return _special(number) or f"{number:,.{_DEFAULT_PRECISION if precision is None else precision}f}"


def _scientific(value: Any, precision: int | None) -> str:
    number = _double("e", value)
    special = _special(number)
    if special is not None:
        return special
    mantissa, _, exponent = f"{number:.{_DEFAULT_PRECISION if precision is None else precision}e}".partition("e")
    power = int(exponent)
    digits = f"{'-' if power < 0 else ''}{abs(power):02d}"
    return f"{mantissa}\u202f\u00d7\u202f10{digits.translate(_SUPERSCRIPTS)}"


def _integer(clause: str, value: Any, spec: str) -> str:
    if type(value) is int or type(value) is UInt:
        return format(int(value), spec)
    raise _wrong(clause, value)


def _binary(value: Any, precision: int | None) -> str:
    if type(value) is bool:
        return "1" if value else "0"
    return _integer("b", value, "b")


def _hex(upper: bool) -> Clause:
    def hexadecimal(value: Any, precision: int | None) -> str:
        if isinstance(value, (str, bytes)):
            text = (value.encode("utf-8") if isinstance(value, str) else value).hex()
            return text.upper() if upper else text
        return _integer("X" if upper else "x", value, "X" if upper else "x")

    return hexadecimal


_CLAUSES: dict[str, Clause] = {
    "s": lambda value, precision: _plain(value),
    "d": lambda value, precision: _integer("d", value, "d"),
    "f": _fixed,
    "e": _scientific,
    "b": _binary,
    "x": _hex(False),
    "X": _hex(True),
    "o": lambda value, precision: _integer("o", value, "o"),
}


def _clause(text: str, at: int) -> tuple[Clause, int | None, int]:
    """The clause starting at ``text[at]`` (after the ``%``): its formatter, precision and end."""
    precision = None
    if text[at] == ".":
        start = at = at + 1
        while True:
            if at >= len(text):
                raise CelError(errors.cel_format_clause(errors.CEL_FORMAT_PRECISION_END))
            if not ("0" <= text[at] <= "9"):
                break
            at += 1
        if at == start:
            raise CelError(errors.cel_format_clause(errors.cel_format_precision_syntax(text[start:at])))
        precision = int(text[start:at])
    verb = text[at]
    clause = _CLAUSES.get(verb)
    if clause is None:
        raise CelError(errors.cel_format_clause(errors.cel_format_unrecognized(verb)))
    return clause, precision, at + 1


def format_string(template: Any, arguments: Any) -> str:
    """``'%s is %d'.format([a, b])``."""
    if type(template) is not str or (type(arguments) is not list and type(arguments) is not tuple):
        raise no_overload("format")
    out: list[str] = []
    at, used, end = 0, 0, len(template)
    while at < end:
        char = template[at]
        if char != "%":
            out.append(char)
            at += 1
        elif at + 1 < end and template[at + 1] == "%":
            out.append("%")
            at += 2
        else:
            if used >= len(arguments):
                raise CelError(errors.cel_format_missing_argument(used))
            if at + 1 >= end:
                raise CelError(errors.CEL_FORMAT_END)
            clause, precision, at = _clause(template, at + 1)
            out.append(clause(arguments[used], precision))
            used += 1
    return "".join(out)


STRINGS: dict[str, CelFunction] = {
    "format": format_string,
    "strings.quote": quote,
}
