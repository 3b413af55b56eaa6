"""CEL's standard functions on plain values: ``size``, the string tests, ``matches``, the type conversions
(``int()``, ``string()``, ``duration()``...), ``type()``/``dyn()`` and the time accessors.

Every function takes its receiver first, so ``x.size()`` and ``size(x)`` are one entry of ``FUNCTIONS``
(as in celpy, whose checker this project's compile-time checks mirror).  A wrong argument type raises
``no such overload``; a bad value raises cel-go's message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fakekube import errors
from fakekube.cel.regex import compile_re2
from fakekube.cel.timestamps import ACCESSORS, Duration, Timestamp, parse_duration, parse_timestamp
from fakekube.cel.values import (
    INT_MAX,
    INT_MIN,
    TYPES,
    UINT_MAX,
    CelError,
    CelType,
    UInt,
    check_uint,
    no_overload,
    size,
    type_name,
)

CelFunction = Callable[..., Any]
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.I)
_TRUE, _FALSE = {"1", "t", "T", "TRUE", "true", "True"}, {"0", "f", "F", "FALSE", "false", "False"}


def _strings(name: str, test: Callable[[str, str], bool]) -> CelFunction:
    def function(text: Any, other: Any) -> bool:
        if type(text) is not str or type(other) is not str:
            raise no_overload(name)
        return test(text, other)

    return function


def matches(text: Any, pattern: Any) -> bool:
    if type(text) is not str or type(pattern) is not str:
        raise no_overload("matches")
    return compile_re2(pattern).search(text) is not None


def go_float(value: float) -> str:
    """Go's ``fmt.Sprintf("%g", f)`` (shortest digits, an exponent from 1e+06 on), as cel-go's ``string(double)``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    number = Decimal(repr(value)).normalize()
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    power = len(digits) + exponent - 1
    prefix = "-" if sign else ""
    if power < -4 or power >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    return prefix + format(abs(number), "f")


def to_int(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is UInt:
        if value > INT_MAX:
            raise CelError(errors.CEL_INTEGER_OVERFLOW)
        return int(value)
    if kind is float:
        if math.isnan(value) or not INT_MIN < value < INT_MAX:
            raise CelError(errors.CEL_INTEGER_OVERFLOW)
        return int(value)
    if kind is str:
        if not _INT_TEXT.fullmatch(value) or not INT_MIN <= int(value) <= INT_MAX:
            raise CelError(errors.cel_strconv_syntax("ParseInt", value))
        return int(value)
    if kind is Timestamp:
        return int(value.nanos // 1_000_000_000)
    if kind is Duration:
        return int(value.nanos)
    raise no_overload("int")


def to_uint(value: Any) -> UInt:
    kind = type(value)
    if kind is UInt:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return check_uint(value)
    if kind is float:
        if math.isnan(value) or not -1 < value < UINT_MAX:
            raise CelError(errors.CEL_UNSIGNED_INTEGER_OVERFLOW)
        return UInt(int(value))
    if kind is str:
        if not _INT_TEXT.fullmatch(value) or value.startswith("-") or int(value) > UINT_MAX:
            raise CelError(errors.cel_strconv_syntax("ParseUint", value))
        return UInt(int(value))
    raise no_overload("uint")


def to_double(value: Any) -> float:
    kind = type(value)
    if kind is float:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is UInt:
        return float(value)
    if kind is str:
        if not _FLOAT_TEXT.fullmatch(value):
            raise CelError(errors.cel_strconv_syntax("ParseFloat", value))
        return float(value)
    raise no_overload("double")


def to_string(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is UInt:
        return str(int(value))
    if kind is float:
        return go_float(value)
    if kind is bytes:
        try:
            return value.decode("utf-8")  # type: ignore[no-any-return]
        except UnicodeDecodeError:
            raise CelError(errors.CEL_BYTES_NOT_UTF8) from None
    if kind is Duration or kind is Timestamp:
        return str(value)
    raise no_overload("string")


def to_bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    if type(value) is str:
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise CelError(errors.cel_strconv_syntax("ParseBool", value))
    raise no_overload("bool")


def to_bytes(value: Any) -> bytes:
    if type(value) is bytes:
        return value
    if type(value) is str:
        return value.encode("utf-8")
    raise no_overload("bytes")


def to_duration(value: Any) -> Duration:
    if type(value) is Duration:
        return value
    if type(value) is str:
        return parse_duration(value)
    raise no_overload("duration")


def to_timestamp(value: Any) -> Timestamp:
    if type(value) is Timestamp:
        return value
    if type(value) is str:
        return parse_timestamp(value)
    if type(value) is int:
        return Timestamp(value * 1_000_000_000)
    raise no_overload("timestamp")


def type_of(value: Any) -> CelType:
    name = type_name(value)
    return TYPES.get(name) or CelType(name)


FUNCTIONS: dict[str, CelFunction] = {
    "size": size,
    "contains": _strings("contains", lambda text, sub: sub in text),
    "startsWith": _strings("startsWith", str.startswith),
    "endsWith": _strings("endsWith", str.endswith),
    "matches": matches,
    "int": to_int,
    "uint": to_uint,
    "double": to_double,
    "string": to_string,
    "bool": to_bool,
    "bytes": to_bytes,
    "duration": to_duration,
    "timestamp": to_timestamp,
    "type": type_of,
    "dyn": lambda value: value,
    **ACCESSORS,
}
