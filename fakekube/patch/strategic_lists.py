"""How strategic merge patch handles lists of maps and of scalars, short of merging their elements.

List directives, deletions and deduplication, and the final ordering, which depends on Go's stable sort and on
how Go slices share memory (modelled for a live object whose slices have no spare capacity).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakekube.patch.directives import (
    _DELETE,
    _DIRECTIVE,
    _ERR_NO_LIST_OF_LISTS,
    _MAP,
    _MERGE,
    _REPLACE,
    _bad_arg_type,
    _bad_patch_type,
    _MergeError,
    _no_merge_key,
    _sentinel,
)
from fakekube.patch.errors import _GoPanic
from fakekube.patch.go_values import _go_equal, _go_format, _go_key, _go_type


def _split_deletions(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """``extractToDeleteItems``: the items without, and with, ``$patch: delete``."""
    kept: list[Any] = []
    deleted: list[Any] = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad_arg_type(_MAP, item)
        if _DIRECTIVE in item and _go_equal(item[_DIRECTIVE], _DELETE):
            deleted.append(item)
        else:
            kept.append(item)
    return kept, deleted


def _slice_element_kind(*lists: list[Any]) -> str:
    """``sliceElementType``: the one Go kind of every element of the lists."""
    first: str | None = None
    for items in lists:
        for item in items:
            current = _go_type(item)
            if first is None:
                if item is None:
                    raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
                first = current
                if isinstance(item, list):
                    raise _sentinel(_ERR_NO_LIST_OF_LISTS)
            elif current != first:
                raise _MergeError(f"list element types are not identical: {_go_format(list(lists))}")
    if first is None:
        raise _MergeError("no elements in any of the given slices")
    return {"map[string]interface {}": "map"}.get(first, first)


class _SliceView:
    """A Go slice over a shared array: deletions shift in place, appends fill the array before growing it.

    Strategic merge reads the original list after merging it, and in Go sees these in-place edits.
    """

    def __init__(self, backing: list[Any]) -> None:
        self.backing = backing
        self.length = len(backing)
        self.shared = True  # still writing into the caller's list

    def items(self) -> list[Any]:
        return list(self.backing[:self.length])

    def delete(self, index: int) -> None:
        self.backing[index:self.length - 1] = self.backing[index + 1:self.length]
        self.length -= 1

    def append(self, value: Any) -> None:
        if self.shared and self.length < len(self.backing):
            self.backing[self.length] = value
        else:
            if self.shared:
                self.backing = self.backing[:self.length]
                self.shared = False
            self.backing.append(value)
        self.length += 1


def _apply_list_directives(view: _SliceView, patch: list[Any], merge_key: str) -> list[Any] | None:
    """``mergeSliceWithSpecialElements``: deletions applied to ``view``; the new list for ``$patch: replace``."""
    replace = False
    for item in patch:
        if _DIRECTIVE not in item:
            continue
        directive = item[_DIRECTIVE]
        if _go_equal(directive, _DELETE):
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            while (index := _find_by_merge_key(view.items(), merge_key, item[merge_key])) is not None:
                view.delete(index)
        elif _go_equal(directive, _REPLACE):
            replace = True
        elif _go_equal(directive, _MERGE):
            raise _MergeError("merging lists cannot yet be specified in the patch")
        else:
            raise _bad_patch_type(directive, item)
    if replace:
        return [item for item in patch if _DIRECTIVE not in item]
    return None


def _find_by_merge_key(items: list[Any], merge_key: str, value: Any) -> int | None:
    """``findMapInSliceBasedOnKeyValue``: the index of the first map whose merge key equals ``value``."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _MergeError(f"value for key {index} is not a map")
        if merge_key in item and _go_equal(item[merge_key], value):
            return index
    return None


def _delete_from_slice(current: list[Any], to_delete: list[Any]) -> list[Any]:
    doomed = {_go_key(item) for item in to_delete}
    return [item for item in current if _go_key(item) not in doomed]


def _deduplicate_scalars(items: list[Any]) -> int:
    """Go's in-place deduplication (a duplicate is overwritten by the last element); the new length."""
    last = len(items) - 1
    i = 0
    while i < last:
        j = i + 1
        while j <= last:
            if _go_equal(items[i], items[j]):
                items[j] = items[last]
                last -= 1
                j -= 1
            j += 1
        i += 1
    return last + 1


def _partition_primitives(items: list[Any], present: list[Any]) -> tuple[list[Any], list[Any]]:
    wanted = {_go_key(item) for item in present}
    inside = [item for item in items if _go_key(item) in wanted]
    outside = [item for item in items if _go_key(item) not in wanted]
    return inside, outside


def _partition_maps(items: list[Any], present: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    inside: list[Any] = []
    outside: list[Any] = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad_arg_type(_MAP, item)
        if merge_key not in item:
            raise _no_merge_key(item, merge_key)
        (inside if _find_by_merge_key(present, merge_key, item[merge_key]) is not None else outside).append(item)
    return inside, outside


def _index_in(items: list[Any], value: Any, merge_key: str, kind: str) -> int:
    """Where ``value`` sits in ``items`` (by merge key for maps), or -1."""
    def key_of(item: Any) -> Any:
        if kind == "map":
            return item.get(merge_key) if isinstance(item, dict) else None
        return item

    wanted = key_of(value)
    for index, item in enumerate(items):
        if _go_equal(wanted, key_of(item)):
            return index
    return -1


def _normalize_element_order(patch_items: list[Any], server_only: list[Any], patch_order: list[Any],
                             server_order: list[Any], merge_key: str, kind: str) -> list[Any]:
    patch_items = _normalize_slice_order(patch_items, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch_items, server_order, merge_key, kind)


def _normalize_slice_order(items: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    deleted: list[Any] = []
    if kind == "map":
        for item in (*items, *order):
            if not isinstance(item, dict):
                raise _bad_arg_type(_MAP, item)
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
        items, deleted = _split_deletions(items)
    items = list(items)

    def less(i: int, j: int) -> bool:
        first = _index_in(order, items[i], merge_key, kind)
        if first >= 0:
            second = _index_in(order, items[j], merge_key, kind)
            if second >= 0:
                return first < second
        return True

    _go_stable_sort(items, less)
    return items + deleted


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str,
                  kind: str) -> list[Any]:
    """``mergeSortedSlice``: interleave server-only items (left) into patch items (right) by the live order."""
    out: list[Any] = []
    i = j = 0
    for _ in range(len(left) + len(right)):
        if i >= len(left) and j < len(right):
            out.append(right[j])
            j += 1
        elif j >= len(right) and i < len(left):
            out.append(left[i])
            i += 1
        else:
            li = _index_in(server_order, left[i], merge_key, kind)
            ri = _index_in(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _go_stable_sort(data: list[Any], less: Callable[[int, int], bool]) -> None:
    """Go's ``sort.SliceStable`` step for step (insertion sort of blocks of 20, then SymMerge).

    The comparator of strategic merge is not a strict order for unknown items, so only the same algorithm gives
    the same result.
    """
    def swap(i: int, j: int) -> None:
        data[i], data[j] = data[j], data[i]

    def insertion_sort(a: int, b: int) -> None:
        for i in range(a + 1, b):
            j = i
            while j > a and less(j, j - 1):
                swap(j, j - 1)
                j -= 1

    def swap_range(a: int, b: int, n: int) -> None:
        for i in range(n):
            swap(a + i, b + i)

    def rotate(a: int, m: int, b: int) -> None:
        i, j = m - a, b - m
        while i != j:
            if i > j:
                swap_range(m - i, m, j)
                i -= j
            else:
                swap_range(m - i, m + j - i, i)
                j -= i
        swap_range(m - i, m, i)

    def sym_merge(a: int, m: int, b: int) -> None:
        if m - a == 1:
            i, j = m, b
            while i < j:
                h = (i + j) >> 1
                if less(h, a):
                    i = h + 1
                else:
                    j = h
            for k in range(a, i - 1):
                swap(k, k + 1)
            return
        if b - m == 1:
            i, j = a, m
            while i < j:
                h = (i + j) >> 1
                if not less(m, h):
                    i = h + 1
                else:
                    j = h
            for k in range(m, i, -1):
                swap(k, k - 1)
            return
        mid = (a + b) >> 1
        n = mid + m
        if m > mid:
            start, r = n - b, mid
        else:
            start, r = a, m
        p = n - 1
        while start < r:
            c = (start + r) >> 1
            if not less(p - c, c):
                start = c + 1
            else:
                r = c
        end = n - start
        if start < m < end:
            rotate(start, m, end)
        if a < start < mid:
            sym_merge(a, start, mid)
        if mid < end < b:
            sym_merge(mid, end, b)

    n = len(data)
    block = 20
    a, b = 0, block
    while b <= n:
        insertion_sort(a, b)
        a, b = b, b + block
    insertion_sort(a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            sym_merge(a, a + block, b)
            a, b = b, b + 2 * block
        if a + block < n:
            sym_merge(a, a + block, n)
        block *= 2
