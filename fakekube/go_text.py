"""Values shown as Go's ``fmt`` and ``strconv`` show them, so messages read exactly as kube-apiserver's.

Error texts (``fakekube.errors``), field-label and selector messages and schema errors all quote
values through these; they are kept apart from ``errors`` because they format, they do not word.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def go_quote(text: str) -> str:
    """``strconv.Quote``: how field errors show a bad value (``%q``).

    Characters U+DC80..U+DCFF are taken as undecodable bytes (Python's ``surrogateescape``),
    which Go shows as ``\\xNN``.
    """
    out = ['"']
    for ch in text:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0xDC80 <= cp <= 0xDCFF:
            out.append(f"\\x{cp - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif cp < 0x20 or cp == 0x7F:
            out.append(f"\\x{cp:02x}")
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


def go_float(value: float) -> str:
    """``strconv.FormatFloat(v, 'g', -1, 64)`` (and ``%v``): shortest digits, an exponent below 1e-4 or from
    1e+06, written with at least two digits."""
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    if math.isinf(value) or math.isnan(value):
        return "+Inf" if value > 0 else "-Inf" if value < 0 else "NaN"
    return _shortest(value, lambda exp: exp < -4 or exp >= 6, 2)


def go_json_float(value: float) -> str:
    """A float as encoding/json writes it: shortest digits, plain from 1e-6 and below 1e21, else an exponent
    without leading zeros (``1e+21``, ``1.5e-7``)."""
    if value == 0 or math.isinf(value) or math.isnan(value):
        return "0" if value == 0 else go_float(value)
    return _shortest(value, lambda exp: not 1e-6 <= abs(value) < 1e21, 1)


def _shortest(value: float, exponent_form: Callable[[int], bool], exponent_digits: int) -> str:
    """``value`` (finite, not zero) with the shortest digits that read back as it, in plain or exponent
    form as ``exponent_form(decimal exponent)`` decides."""
    _, digit_tuple, exponent = decimal.Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)
    exp = point - 1
    minus = "-" if value < 0 else ""
    if exponent_form(exp):
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{minus}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{exponent_digits}d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return minus + digits + "0" * (point - len(digits))
    return f"{minus}{digits[:point]}.{digits[point:]}"


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json_escaped(text: str) -> str:
    """JSON text as encoding/json writes it: ``<``, ``>``, ``&`` and U+2028/U+2029 escaped (orjson leaves
    them as they are; only strings can hold them, so the whole text may be passed)."""
    if "<" in text or ">" in text or "&" in text or "\u2028" in text or "\u2029" in text:
        return "".join(_HTML_ESCAPES.get(c, c) for c in text)
    return text


def go_value(value: Any) -> str:
    """A decoded JSON value as Go's ``%v`` prints it (``<nil>``, ``[1 2]``, ``map[a:1]``)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def json_kind(value: Any) -> str:
    """How Go's ``encoding/json`` names a JSON value's type in an ``UnmarshalTypeError`` (``cannot unmarshal
    <kind> into Go value of type ...``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def go_type(value: Any) -> str:
    """The Go type an unstructured JSON value decodes to, as ``%T`` names it (numbers are int64 or float64)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}"


@dataclass(frozen=True)
class GoShown:
    """A Go value (a struct, a slice, a map of a named type) a field error shows: ``syntax`` is its ``%#v``
    (what v1.33 prints), ``json`` what ``json.Marshal`` writes of it (v1.34 on), as a JSON-ready value whose
    keys are already in Go's order (struct fields as declared -- internal types have no json tags, so their
    Go names --, map keys sorted)."""

    syntax: str
    json: Any


def go_json_marshal(value: Any, *, sort_keys: bool = False) -> str:
    """``json.Marshal`` of a JSON-ready value: floats as Go writes them, ``<``, ``>`` and ``&`` escaped;
    ``sort_keys`` for a value whose objects are all Go maps (decoded, unstructured)."""
    option = orjson.OPT_SORT_KEYS if sort_keys else 0
    return go_json_escaped(orjson.dumps(_go_numbers(value), option=option).decode())


def _go_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _go_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_numbers(v) for v in value]
    if isinstance(value, float):
        return orjson.Fragment(go_json_float(value).encode())
    return value


def go_repr(value: Any, *, as_json: bool = True) -> str:
    """A field error's bad value: strings quoted (``%q``), numbers and bools plain, anything else as JSON
    (``as_json``: apimachinery v0.34 on) or Go's ``%#v`` (before, where a nil value reads ``"null"``); a
    ``GoShown`` carries both forms of a typed Go value, a plain dict is taken for a Go map (keys sorted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, GoShown):
        return go_json_marshal(value.json) if as_json else value.syntax
    if value is None:
        return "null" if as_json else '"null"'
    if as_json:
        return go_json_marshal(value, sort_keys=True)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        inner = ", ".join(f"{go_quote(k)}:{go_quote(value[k])}" for k in sorted(value))
        return "map[string]string{" + inner + "}"
    return orjson.dumps(value).decode()


def go_typed_json(value: Any) -> GoShown:
    """A value of a typed Go struct with json tags (``metav1.OwnerReference``) whose keys are already in the
    struct's order: its JSON keeps that order (a plain dict would be taken for a map and sorted); v1.33's
    ``%#v`` of it is approximated by the same JSON."""
    return GoShown(orjson.dumps(value).decode(), value)


def go_string_slice(values: Iterable[Any] | None, type_name: str = "string") -> GoShown:
    """A slice of strings (or of a named string type, ``[]core.IPFamily``); ``None`` is a nil slice."""
    if values is None:
        return GoShown(f"[]{type_name}(nil)", None)
    items = [str(v) for v in values]
    return GoShown(f"[]{type_name}{{" + ", ".join(go_quote(v) for v in items) + "}", items)


def go_string_map(value: Any, type_name: str = "map[string]string") -> GoShown:
    """A ``map[string]string`` (keys sorted in both forms); anything but an object is a nil map."""
    if not isinstance(value, dict):
        return GoShown(f"{type_name}(nil)", None)
    keys = sorted(value)
    inner = ", ".join(f"{go_quote(str(k))}:{go_quote(str(value[k]))}" for k in keys)
    return GoShown(type_name + "{" + inner + "}", {k: str(value[k]) for k in keys})


def go_int_or_string(value: Any) -> GoShown:
    """An ``intstr.IntOrString`` (its ``MarshalJSON`` writes the number or the string)."""
    if isinstance(value, str):
        return GoShown(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}", value)
    number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return GoShown(f'intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:""}}', number)


def go_pointer(type_name: str, target: Any, address: str = "0xc000a1c000") -> GoShown:
    """A pointer field of a struct: ``%#v`` shows ``(*T)(nil)`` or an address (a fixed stand-in here), JSON the
    value pointed to, or null."""
    if target is None:
        return GoShown(f"(*{type_name})(nil)", None)
    return GoShown(f"(*{type_name})({address})", target.json if isinstance(target, GoShown) else target)


def go_struct(type_name: str, fields: Iterable[tuple[str, Any]]) -> GoShown:
    """A struct of the given fields in declaration order (values: strings, numbers, bools, or ``GoShown``)."""
    pairs = list(fields)
    syntax = ", ".join(f"{name}:{_syntax(value)}" for name, value in pairs)
    return GoShown(type_name + "{" + syntax + "}", {name: _json(value) for name, value in pairs})


def go_slice_of(type_name: str, items: list[GoShown] | None) -> GoShown:
    """A slice of structs (``[]T{T{...}, ...}``, or ``[]T(nil)``)."""
    if items is None:
        return GoShown(f"[]{type_name}(nil)", None)
    return GoShown(f"[]{type_name}{{" + ", ".join(i.syntax for i in items) + "}", [i.json for i in items])


def _syntax(value: Any) -> str:
    if isinstance(value, GoShown):
        return value.syntax
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    return str(value)


def _json(value: Any) -> Any:
    return value.json if isinstance(value, GoShown) else value


RFC3339_LAYOUT = "2006-01-02T15:04:05Z07:00"
# Go's time.Parse of RFC 3339, chunk by chunk: (layout chunk, kind, digits) where kind is "num" (exactly
# ``digits`` digits, or 1-2 for the hour) or "lit" (the chunk itself).
_RFC3339_CHUNKS = (("2006", "num", 4), ("-", "lit", 0), ("01", "num", 2), ("-", "lit", 0), ("02", "num", 2),
                   ("T", "lit", 0), ("15", "hour", 2), (":", "lit", 0), ("04", "num", 2), (":", "lit", 0),
                   ("05", "num", 2))
_RANGES = {"01": (1, 12, "month"), "02": (1, 31, "day"), "15": (0, 23, "hour"), "04": (0, 59, "minute"),
           "05": (0, 59, "second")}


def go_time_parse_error(value: str) -> str | None:
    """What ``time.Parse(time.RFC3339, value)`` says of a value it cannot read (``None`` when it can):
    ``parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"``."""
    head = f"parsing time {go_quote(value)}"
    rest = value
    for chunk, kind, digits in _RFC3339_CHUNKS:
        if kind == "lit":
            if not rest.startswith(chunk):
                return f"{head} as {go_quote(RFC3339_LAYOUT)}: cannot parse {go_quote(rest)} as {go_quote(chunk)}"
            rest = rest[len(chunk):]
            continue
        width = 0
        while width < digits and width < len(rest) and rest[width] in "0123456789":
            width += 1
        if width < (1 if kind == "hour" else digits):
            return f"{head} as {go_quote(RFC3339_LAYOUT)}: cannot parse {go_quote(rest)} as {go_quote(chunk)}"
        number, rest = int(rest[:width]), rest[width:]
        if chunk in _RANGES:
            low, high, what = _RANGES[chunk]
            if not low <= number <= high:
                return f"{head}: {what} out of range"
    if rest.startswith(".") and len(rest) > 1 and rest[1] in "0123456789":  # fractional seconds
        end = 1
        while end < len(rest) and rest[end] in "0123456789":
            end += 1
        rest = rest[end:]
    if rest.startswith("Z"):
        rest = rest[1:]
    elif len(rest) >= 6 and rest[0] in "+-" and rest[1:3].isdigit() and rest[3] == ":" and rest[4:6].isdigit():
        rest = rest[6:]
    else:
        return f"{head} as {go_quote(RFC3339_LAYOUT)}: cannot parse {go_quote(rest)} as {go_quote('Z07:00')}"
    if rest:
        return f"{head}: extra text: {go_quote(rest)}"
    return None
