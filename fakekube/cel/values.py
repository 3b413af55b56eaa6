"""CEL values as the decoded JSON of a request already holds them, and the operators on them.

Rules run directly on ``dict``/``list``/``str``/``int``/``float``/``bool``/``None`` (no conversion of the
object up front, which cost more than the rules themselves).  What Python blurs, CEL keeps apart: a
``bool`` is not an ``int`` here, ``uint`` is ``UInt``, and ints are int64 (overflow is an error).
Equality and ordering across int, uint and double are heterogeneous, as in cel-go >= 0.17 (Kubernetes).
Failures raise ``CelError`` carrying cel-go's message.
"""

from __future__ import annotations

import math
from typing import Any

from fakekube import errors

INT_MIN, INT_MAX, UINT_MAX = -(2**63), 2**63 - 1, 2**64 - 1


class CelError(Exception):
    """An evaluation error; ``str()`` is cel-go's message (``no such key: x``, ``division by zero``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UInt(int):
    """CEL's ``uint``: an int that is not one (``1u == 1`` by value, but it has its own type)."""

    def __repr__(self) -> str:
        return f"{int(self)}u"


class CelType:
    """A type as a value: what ``type(x)`` returns and what ``int`` names as an identifier."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CelType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return self.name


TYPES = {name: CelType(name) for name in ("int", "uint", "double", "bool", "string", "bytes", "list", "map",
                                          "null_type", "type", "google.protobuf.Duration",
                                          "google.protobuf.Timestamp", "optional_type")}


def no_overload(name: str = "") -> CelError:
    """cel-go's error for arguments no overload of ``name`` takes: kube-apiserver shows it as plain
    ``'no such overload'``, whatever the function."""
    return CelError(errors.CEL_NO_SUCH_OVERLOAD)


def is_number(value: object) -> bool:
    kind = type(value)
    return kind is int or kind is float or kind is UInt


def check_int(value: int) -> int:
    if INT_MIN <= value <= INT_MAX:
        return value
    raise CelError(errors.CEL_INTEGER_OVERFLOW)


def check_uint(value: int) -> UInt:
    if 0 <= value <= UINT_MAX:
        return UInt(value)
    raise CelError(errors.CEL_UNSIGNED_INTEGER_OVERFLOW)


def type_name(value: object) -> str:
    kind = type(value)
    if kind is bool:
        return "bool"
    if kind is int:
        return "int"
    if kind is UInt:
        return "uint"
    if kind is float:
        return "double"
    if kind is str:
        return "string"
    if kind is bytes:
        return "bytes"
    if kind is list or kind is tuple:
        return "list"
    if kind is dict:
        return "map"
    if value is None:
        return "null_type"
    if kind is CelType:
        return "type"
    return str(getattr(value, "cel_type", kind.__name__))


def equals(left: Any, right: Any) -> bool:
    """CEL ``==``: numbers by value across int, uint and double; lists and maps deeply; other types differ."""
    lk, rk = type(left), type(right)
    if lk is rk and (lk is str or lk is int):
        return bool(left == right)
    if lk is bool or rk is bool:
        return lk is rk and left == right
    if is_number(left) and is_number(right):
        if (lk is float) != (rk is float):  # cel-go compares an int with a double as doubles
            return float(left) == float(right)
        return bool(left == right)
    if lk is list or lk is tuple:
        if not (rk is list or rk is tuple) or len(left) != len(right):
            return False
        return all(equals(a, b) for a, b in zip(left, right, strict=True))
    if lk is dict:
        if rk is not dict or len(left) != len(right):
            return False
        for key, value in left.items():
            other = lookup(right, key)
            if other is MISSING or not equals(value, other):
                return False
        return True
    if lk is not rk:
        return False
    return bool(left == right)


MISSING = object()


def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """A map's value at ``key`` with CEL's key equality (``1``, ``1u`` and ``1.0`` are one key; ``true``
    is not ``1``), or ``MISSING``."""
    kind = type(key)
    if kind is str:
        return mapping.get(key, MISSING)
    if kind is float:
        if not key.is_integer():
            return MISSING
        key = int(key)
    for candidate, value in mapping.items():
        if (type(candidate) is bool) == (kind is bool) and candidate == key and type(candidate) is not str:
            return value
    return MISSING


def contains_key(mapping: dict[Any, Any], key: Any) -> bool:
    return lookup(mapping, key) is not MISSING


def member(item: Any, container: Any) -> bool:
    """``item in container``: a list holds an equal element, a map has the key."""
    kind = type(container)
    if kind is list or kind is tuple:
        if type(item) is str:
            return any(type(x) is str and x == item for x in container)
        return any(equals(item, x) for x in container)
    if kind is dict:
        return contains_key(container, item)
    raise no_overload()


def compare(left: Any, right: Any) -> int:
    """-1, 0 or 1 for ordered values of one type (numbers of any kind, an int and a double compared as
    doubles, as cel-go does); ``no such overload`` otherwise.  The callers rule NaN out."""
    lk, rk = type(left), type(right)
    numbers = is_number(left) and is_number(right)
    if numbers and (lk is float) != (rk is float):
        left, right = float(left), float(right)
    elif not numbers and (lk is not rk or lk in _UNORDERED):
        raise no_overload()
    try:
        return (left > right) - (left < right)  # type: ignore[no-any-return]
    except TypeError:
        raise no_overload() from None


_UNORDERED = (list, tuple, dict, type(None), CelType)


def less(left: Any, right: Any) -> bool:
    return compare(left, right) < 0 and not _nan(left, right)


def less_equal(left: Any, right: Any) -> bool:
    return compare(left, right) <= 0 and not _nan(left, right)


def greater(left: Any, right: Any) -> bool:
    return compare(left, right) > 0 and not _nan(left, right)


def greater_equal(left: Any, right: Any) -> bool:
    return compare(left, right) >= 0 and not _nan(left, right)


def _nan(left: Any, right: Any) -> bool:
    return (type(left) is float and math.isnan(left)) or (type(right) is float and math.isnan(right))


def add(left: Any, right: Any) -> Any:
    lk, rk = type(left), type(right)
    if lk is not rk:
        if lk in (list, tuple) and rk in (list, tuple):
            return [*left, *right]
        return _mixed_add(left, right)
    if lk is int:
        return check_int(left + right)
    if lk is str or lk is float or lk is bytes:
        return left + right
    if lk is list or lk is tuple:
        return [*left, *right]
    if lk is UInt:
        return check_uint(left + right)
    if hasattr(left, "cel_add"):
        return left.cel_add(right)
    raise no_overload()


def _mixed_add(left: Any, right: Any) -> Any:
    if hasattr(left, "cel_add"):
        return left.cel_add(right)
    if hasattr(right, "cel_add"):
        return right.cel_add(left)
    raise no_overload()


def subtract(left: Any, right: Any) -> Any:
    lk = type(left)
    if lk is not type(right):
        if hasattr(left, "cel_sub"):
            return left.cel_sub(right)
        raise no_overload()
    if lk is int:
        return check_int(left - right)
    if lk is float:
        return left - right
    if lk is UInt:
        return check_uint(left - right)
    if hasattr(left, "cel_sub"):
        return left.cel_sub(right)
    raise no_overload()


def multiply(left: Any, right: Any) -> Any:
    lk = type(left)
    if lk is not type(right):
        raise no_overload()
    if lk is int:
        return check_int(left * right)
    if lk is float:
        return left * right
    if lk is UInt:
        return check_uint(left * right)
    raise no_overload()


def _truncated(left: int, right: int) -> int:
    quotient = abs(left) // abs(right)
    return quotient if (left < 0) == (right < 0) else -quotient


def divide(left: Any, right: Any) -> Any:
    lk = type(left)
    if lk is not type(right):
        raise no_overload()
    if lk is float:
        if right == 0:
            return math.copysign(math.inf, left) * math.copysign(1, right) if left and left == left else math.nan
        return left / right
    if lk is int or lk is UInt:
        if right == 0:
            raise CelError(errors.CEL_DIVISION_BY_ZERO)
        if lk is UInt:
            return UInt(left // right)
        return check_int(_truncated(left, right))
    raise no_overload()


def modulo(left: Any, right: Any) -> Any:
    lk = type(left)
    if lk is not type(right) or (lk is not int and lk is not UInt):
        raise no_overload()
    if right == 0:
        raise CelError(errors.CEL_MODULUS_BY_ZERO)
    if lk is UInt:
        return UInt(left % right)
    if left == INT_MIN and right == -1:
        raise CelError(errors.CEL_INTEGER_OVERFLOW)
    return left - right * _truncated(left, right)


def negate(value: Any) -> Any:
    kind = type(value)
    if kind is int:
        return check_int(-value)
    if kind is float:
        return -value
    if hasattr(value, "cel_neg"):
        return value.cel_neg()
    raise no_overload()


def size(value: Any) -> int:
    kind = type(value)
    if kind is str or kind is bytes or kind is list or kind is dict or kind is tuple:
        return len(value)
    raise no_overload("size")
