"""Reading JSON the way ``encoding/json`` decodes it into a Go struct (annotation payloads only).

A payload Go's decode would reject is ignored as a whole; field names match case-insensitively, as
``encoding/json`` matches them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import orjson

from fakekube.conversion.common import JSONDict

# Quantity syntax (k8s.io/apimachinery/pkg/api/resource): a signed decimal number and a binary
# SI suffix, a decimal SI suffix or a decimal exponent.
_QUANTITY_RE = re.compile(
    r"^[+-]?(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
)


def _quantity_is_zero(quantity: str) -> bool:
    match = _QUANTITY_RE.match(quantity)
    if match is None:
        return False
    return not any(ch not in "0." for ch in match.group("number"))


class _DecodeError(Exception):
    """A payload that ``json.Unmarshal`` would reject for the target Go type."""


_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1


def _lookup(data: JSONDict, name: str) -> Any:
    """A field as ``encoding/json`` finds it: the exact key, else one equal ignoring case."""
    if name in data:
        return data[name]
    folded = name.casefold()
    for key, value in data.items():
        if key.casefold() == folded:
            return value
    return None


def _read_typed(data: JSONDict, name: str, kind: type) -> Any:
    """The field if present and of JSON type ``kind``; None when absent or null; else a decode error."""
    value = _lookup(data, name)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise _DecodeError(name)
    return value


def _read_object(data: JSONDict, name: str) -> JSONDict | None:
    value: JSONDict | None = _read_typed(data, name, dict)
    return value


def _read_list(data: JSONDict, name: str) -> list[Any] | None:
    value: list[Any] | None = _read_typed(data, name, list)
    return value


def _read_optional_str(data: JSONDict, name: str) -> str | None:
    value: str | None = _read_typed(data, name, str)
    return value


def _read_str(data: JSONDict, name: str) -> str:
    return _read_optional_str(data, name) or ""


def _read_optional_int32(data: JSONDict, name: str) -> int | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not _INT32_MIN <= value <= _INT32_MAX:
        raise _DecodeError(name)
    return value


def _read_int32(data: JSONDict, name: str) -> int:
    value = _read_optional_int32(data, name)
    return 0 if value is None else value


def _read_quantity(data: JSONDict, name: str) -> str | None:
    """A ``*resource.Quantity``: ``None`` when absent or null."""
    value = _lookup(data, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _DecodeError(name)
    text = value if isinstance(value, str) else str(value)
    if _QUANTITY_RE.match(text) is None:
        raise _DecodeError(name)
    return text


def _read_time(data: JSONDict, name: str) -> str | None:
    return _read_optional_str(data, name)


def _read_selector(data: JSONDict, name: str) -> JSONDict | None:
    selector = _read_object(data, name)
    return None if selector is None else copy.deepcopy(selector)


def _decode_annotation_list(raw: Any, element: Callable[[JSONDict], JSONDict]) -> list[JSONDict] | None:
    """Decode a JSON array annotation element by element; ``None`` when Go's decode would fail."""
    if not isinstance(raw, str):
        return None
    try:
        data = orjson.loads(raw)
        if data is None:
            return []
        if not isinstance(data, list):
            return None
        out: list[JSONDict] = []
        for item in data:
            if item is None:
                item = {}
            if not isinstance(item, dict):
                return None
            out.append(element(item))
        return out
    except (orjson.JSONDecodeError, _DecodeError):
        return None
