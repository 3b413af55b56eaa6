"""cel-go's lists extension at the version kube-apiserver enables from v1.34 (``ext.Lists(ext.ListsVersion(3))``
in ``k8s.io/apiserver/pkg/cel/environment/base.go``): ``slice`` (v0), ``flatten`` (v1), ``sort``,
``sortBy``, ``distinct``, ``reverse`` and ``lists.range`` (v2), with cost support (v3); and the optional
library's ``first()``/``last()`` (``cel.OptionalTypes()`` unversioned, so its latest version).

Each function takes its receiver first, as ``kubernetes_library`` does; ``sortBy`` is a macro, whose loop
(``comprehensions``) sorts with ``sort_by_keys`` here.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from fakekube import errors
from fakekube.cel.kubernetes_types import Optional
from fakekube.cel.stdlib import CelFunction
from fakekube.cel.values import CelError, compare, equals, no_overload, type_name

_COMPARABLE = frozenset({"int", "uint", "double", "bool", "google.protobuf.Duration", "google.protobuf.Timestamp",
                         "string", "bytes"})


def _items(value: Any, name: str) -> list[Any] | tuple[Any, ...]:
    if type(value) is not list and type(value) is not tuple:
        raise no_overload(name)
    return value


def _count(value: Any, name: str) -> int:
    if type(value) is not int:
        raise no_overload(name)
    return int(value)


def _slice(target: Any, start: Any, end: Any) -> list[Any]:
    items, begin, stop = _items(target, "slice"), _count(start, "slice"), _count(end, "slice")
    if begin < 0 or stop < 0:
        raise CelError(errors.cel_slice_negative(begin, stop))
    if begin > stop:
        raise CelError(errors.cel_slice_order(begin, stop))
    if len(items) < stop:
        raise CelError(errors.cel_slice_length(begin, stop, len(items)))
    return list(items[begin:stop])


def _flatten_into(out: list[Any], items: list[Any] | tuple[Any, ...], depth: int) -> None:
    for item in items:
        if depth > 0 and (type(item) is list or type(item) is tuple):
            _flatten_into(out, item, depth - 1)
        else:
            out.append(item)


def _flatten(target: Any, depth: Any = 1) -> list[Any]:
    items, levels = _items(target, "flatten"), _count(depth, "flatten")
    if levels < 0:
        raise CelError(errors.CEL_FLATTEN_NEGATIVE)
    out: list[Any] = []
    _flatten_into(out, items, levels)
    return out


def sort_by_keys(items: list[Any] | tuple[Any, ...], keys: list[Any]) -> list[Any]:
    """``@sortByAssociatedKeys``: ``items`` in the order of ``keys``, which must be of one comparable type."""
    if not items:
        return list(items)
    kind = type_name(keys[0])
    if kind not in _COMPARABLE:
        raise CelError(errors.CEL_SORT_NOT_COMPARABLE)
    if len(keys) > 1 and any(type_name(key) != kind for key in keys):
        raise CelError(errors.CEL_SORT_MIXED_TYPES)
    if kind == "string" or kind == "int":
        order = sorted(range(len(keys)), key=lambda i: keys[i])
    else:
        def by_key(i: int, j: int) -> int:
            return compare(keys[i], keys[j])

        order = sorted(range(len(keys)), key=cmp_to_key(by_key))
    return [items[i] for i in order]


def _sort(target: Any) -> list[Any]:
    items = _items(target, "sort")
    return sort_by_keys(items, list(items))


def _distinct(target: Any) -> list[Any]:
    out: list[Any] = []
    seen: set[Any] = set()
    for item in _items(target, "distinct"):
        if type(item) is str:  # the common case, by hash
            if item not in seen:
                seen.add(item)
                out.append(item)
        elif not any(equals(item, kept) for kept in out):
            out.append(item)
    return out


def _reverse(target: Any) -> list[Any]:
    return list(reversed(_items(target, "reverse")))


def _range(count: Any) -> list[int]:
    return list(range(_count(count, "lists.range")))


def _first(target: Any) -> Optional:
    items = _items(target, "first")
    return Optional(items[0]) if items else Optional(None, present=False)


def _last(target: Any) -> Optional:
    items = _items(target, "last")
    return Optional(items[-1]) if items else Optional(None, present=False)


LISTS: dict[str, CelFunction] = {
    "slice": _slice,
    "flatten": _flatten,
    "sort": _sort,
    "distinct": _distinct,
    "reverse": _reverse,
    "lists.range": _range,
    "first": _first,
    "last": _last,
}
