"""Go value semantics of decoded JSON values: dynamic types, ``==``, map keys, ``fmt`` output and type names."""

from __future__ import annotations

import decimal
from typing import Any

from fakekube.go_text import go_type
from fakekube.patch.errors import _GoPanic


def _go_type(value: Any) -> str:
    """The dynamic Go type a decoded JSON value has (``reflect.TypeOf``, which names no type for nil)."""
    return "nil" if value is None else go_type(value)


def _go_equal(left: Any, right: Any) -> bool:
    """Go's ``==`` on two ``interface{}`` values: a panic when both hold maps or both hold slices."""
    left_type, right_type = _go_type(left), _go_type(right)
    if left_type != right_type:
        return False
    if isinstance(left, (dict, list)):
        raise _GoPanic(f"runtime error: comparing uncomparable type {left_type}")
    return bool(left == right)


def _go_key(value: Any) -> tuple[str, Any]:
    """A value used as a key of a Go ``map[interface{}]...``: a panic for maps and slices."""
    if isinstance(value, (dict, list)):
        raise _GoPanic(f"runtime error: hash of unhashable type {_go_type(value)}")
    return (_go_type(value), value)


def _go_float(value: float) -> str:
    """``%v`` of a float64: shortest digits, exponent form below 1e-4 and from 1e+06 on (``%g``)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    dec = decimal.Decimal(repr(value)).normalize()
    sign, digits, exponent = dec.as_tuple()
    assert isinstance(exponent, int)
    prefix = "-" if sign else ""
    if digits == (0,):
        return prefix + "0"
    exp = len(digits) + exponent - 1
    if exp < -4 or exp >= 6:
        text = "".join(map(str, digits))
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return prefix + format(dec.copy_abs(), "f")


def _go_format(value: Any, verb: str = "v") -> str:
    """``fmt`` with ``%v`` or ``%s`` of a decoded JSON value (maps print with sorted keys)."""
    if isinstance(value, dict):
        inner = " ".join(f"{key}:{_go_format(value[key], verb)}" for key in sorted(value))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(_go_format(item, verb) for item in value) + "]"
    if isinstance(value, str):
        return value
    if verb == "s":
        if value is None:
            return "%!s(<nil>)"
        return f"%!s({_go_type(value)}={_go_format(value)})"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def _type_name_or_nil(value: Any) -> str:
    """``%s`` of ``reflect.TypeOf(value)``."""
    return "%!s(<nil>)" if value is None else _go_type(value)


