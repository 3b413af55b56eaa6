"""Strategic merge patch as kube-apiserver applies it (``k8s.io/apimachinery/pkg/util/strategicpatch``).

``StrategicMergeMapPatch``: maps merged key by key, lists by their patch strategy and merge key (parallel lists
merged, unmatched nulls dropped), with field metadata from ``SchemaLookup``.
"""

from __future__ import annotations

import copy
from typing import Any

from fakekube.go_text import json_kind as _json_kind
from fakekube.patch.directives import (
    _BAD_REQUEST_SENTINELS,
    _DELETE,
    _DELETE_FROM_PRIMITIVE_LIST,
    _DIRECTIVE,
    _ERR_BAD_JSON_DOC,
    _MAP,
    _MERGE,
    _REPLACE,
    _SET_ELEMENT_ORDER,
    _SLICE,
    _UNPROCESSABLE_SENTINELS,
    _apply_retain_keys,
    _bad_arg_type,
    _bad_patch_type,
    _discard_nulls,
    _extract_key,
    _MergeError,
    _no_merge_key,
    _non_retain_strategy,
    _remove_directives,
)
from fakekube.patch.errors import _bad_request, _GoPanic, _panic, _unconverted, _unprocessable
from fakekube.patch.go_values import _go_equal, _go_format, _go_type
from fakekube.patch.schema_lookup import SchemaLookup, _LookupError
from fakekube.patch.strategic_lists import (
    _apply_list_directives,
    _deduplicate_scalars,
    _delete_from_slice,
    _find_by_merge_key,
    _normalize_element_order,
    _partition_maps,
    _partition_primitives,
    _slice_element_kind,
    _SliceView,
    _split_deletions,
)


def strategic_merge_patch(doc: dict[str, Any], patch: Any, schema: SchemaLookup) -> dict[str, Any]:
    """Apply a strategic merge patch (already decoded from JSON) to ``doc``; the input is left untouched."""
    if patch is None:  # decoding null into the handler's map leaves it empty
        patch = {}
    if not isinstance(patch, dict):
        raise _bad_request(f"json: cannot unmarshal {_json_kind(patch)} into Go value of type "
                           "map[string]interface {}")
    if not isinstance(doc, dict):
        raise _unconverted(_ERR_BAD_JSON_DOC)
    try:
        return _merge_map(copy.deepcopy(doc), copy.deepcopy(patch), schema)
    except _MergeError as exc:
        if exc.sentinel and exc.message in _BAD_REQUEST_SENTINELS:
            raise _bad_request(exc.message) from None
        if exc.sentinel and exc.message in _UNPROCESSABLE_SENTINELS:
            raise _unprocessable(exc.message) from None
        raise _unconverted(exc.message) from None
    except _LookupError as exc:
        raise _unconverted(str(exc)) from None
    except _GoPanic as exc:
        raise _panic(str(exc)) from None
    except RecursionError:
        raise _panic("runtime: goroutine stack exceeds limit") from None


def _merge_map(original: dict[str, Any] | None, patch: dict[str, Any], schema: SchemaLookup) -> dict[str, Any]:
    if _DIRECTIVE in patch:
        directive = patch[_DIRECTIVE]
        if _go_equal(directive, _REPLACE):
            del patch[_DIRECTIVE]
            return patch
        if _go_equal(directive, _DELETE):
            return {}
        raise _bad_patch_type(directive, patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    _merge_set_element_orders(original, patch, schema)
    # Go visits the keys in random order; deletions from primitive lists go last here, after the merges.
    keys = sorted(patch, key=lambda k: k.startswith(_DELETE_FROM_PRIMITIVE_LIST))
    for key in keys:
        patch_value = patch[key]
        is_delete_list = False
        if key.startswith(_DELETE_FROM_PRIMITIVE_LIST):
            is_delete_list = True
            stripped = _extract_key(key, _DELETE_FROM_PRIMITIVE_LIST)
            if stripped:
                key = stripped
        if patch_value is None:
            original.pop(key, None)
            continue
        if key not in original or _go_type(original[key]) != _go_type(patch_value):
            if not is_delete_list:
                _discard_nulls(patch_value)
                value, keep = _remove_directives(patch_value)
                if keep:
                    original[key] = value
                else:
                    original.pop(key, None)
            continue
        current = original[key]
        if isinstance(current, dict):
            sub, meta = schema.struct_field(key)
            strategy = _non_retain_strategy(meta.strategies)
            original[key] = patch_value if strategy == _REPLACE else _merge_map(current, patch_value, sub)
        elif isinstance(current, list):
            sub, meta = schema.list_items(key)
            strategy = _non_retain_strategy(meta.strategies)
            original[key] = _merge_slice_handler(current, patch_value, sub, strategy, meta.merge_key, is_delete_list)
        else:
            value, keep = _remove_directives(patch_value)
            if keep:
                original[key] = value
            else:
                original.pop(key, None)
    return original


def _merge_set_element_orders(original: dict[str, Any], patch: dict[str, Any], schema: SchemaLookup) -> None:
    """``mergePatchIntoOriginal``: merge each list that has a ``$setElementOrder``, and order it so."""
    for key in [k for k in patch if k.startswith(_SET_ELEMENT_ORDER)]:
        if key not in patch:
            continue
        order = patch.pop(key)
        if not isinstance(order, list):
            raise _bad_arg_type(_SLICE, order)
        list_key = _extract_key(key, _SET_ELEMENT_ORDER)
        found_original, found_patch = list_key in original, list_key in patch
        original_list: list[Any] = []
        patch_list: list[Any] = []
        if found_original:
            if not isinstance(original[list_key], list):
                raise _bad_arg_type(_SLICE, original[list_key])
            original_list = original[list_key]
        if found_patch:
            if not isinstance(patch[list_key], list):
                raise _bad_arg_type(_SLICE, patch[list_key])
            patch_list = patch[list_key]
        sub, meta = schema.list_items(list_key)
        strategy = _non_retain_strategy(meta.strategies)
        merge_key = meta.merge_key
        _validate_against_order(patch_list, order, merge_key)
        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged, _ = _remove_directives(patch_list)
        elif found_original and found_patch:
            merged = _merge_slice_handler(original_list, patch_list, sub, strategy, merge_key, False)
        else:
            continue
        if merge_key:
            patch_items, server_only = _partition_maps(merged, order, merge_key)
        else:
            patch_items, server_only = _partition_primitives(merged, order)
        kind = _slice_element_kind(original_list, patch_list)
        # original_list is read after the merge on purpose: Go sees the merge's in-place edits through it.
        original[list_key] = _normalize_element_order(patch_items, server_only, order, original_list, merge_key, kind)
        patch.pop(list_key, None)


def _validate_against_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """``validatePatchWithSetOrderList``: the patch list must follow the ``$setElementOrder`` list."""
    if not order or not patch_list:
        return
    items = _split_deletions(patch_list)[0] if merge_key else patch_list
    patch_index = order_index = 0
    while patch_index < len(items) and order_index < len(order):
        item = items[patch_index]
        if isinstance(item, dict) and _DIRECTIVE in item:
            patch_index += 1
            continue
        if _merge_key_values_equal(item, order[order_index], merge_key):
            patch_index += 1
        order_index += 1
    if patch_index < len(items) and order_index >= len(order):
        raise _MergeError(f"The order in patch list:\n{_go_format(patch_list)}\n doesn't match "
                          f"{_SET_ELEMENT_ORDER} list:\n{_go_format(order)}\n")


def _merge_key_values_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _go_equal(left, right)
    if not isinstance(left, dict):
        raise _bad_arg_type(_MAP, left)
    if not isinstance(right, dict):
        raise _bad_arg_type(_MAP, right)
    if merge_key not in left:
        raise _no_merge_key(left, merge_key)
    if merge_key not in right:
        raise _no_merge_key(right, merge_key)
    return _go_equal(left[merge_key], right[merge_key])


def _merge_slice_handler(original: Any, patch: Any, schema: SchemaLookup, strategy: str, merge_key: str,
                         is_delete_list: bool) -> list[Any]:
    if not isinstance(original, list):
        raise _bad_arg_type(_SLICE, original)
    if not isinstance(patch, list):
        raise _bad_arg_type(_SLICE, patch)
    if strategy == _MERGE or is_delete_list:
        return _merge_slice(original, patch, schema, merge_key, is_delete_list)
    return patch


def _merge_slice(original: list[Any], patch: list[Any], schema: SchemaLookup, merge_key: str,
                 is_delete_list: bool) -> list[Any]:
    if not original and not patch:
        return original
    kind = _slice_element_kind(original, patch)
    server_order: list[Any]
    if kind != "map":
        if is_delete_list:
            return _delete_from_slice(original, patch)
        both = original if not patch else original + patch  # appending nothing keeps Go's shared array
        merged = both[:_deduplicate_scalars(both)]
        server_order = original
    else:
        if not merge_key:
            raise _MergeError(f"cannot merge lists without merge key for {schema.name()}")
        view = _SliceView(original)
        replaced = _apply_list_directives(view, patch, merge_key)
        if replaced is not None:
            view, patch = _SliceView(replaced), []
            view.shared = False
        server_order = view.items()
        for item in (p for p in patch if not (isinstance(p, dict) and _DIRECTIVE in p)):
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            index = _find_by_merge_key(view.items(), merge_key, item[merge_key])
            if index is None:
                view.append(item)
            else:
                view.backing[index] = _merge_map(view.backing[index], item, schema)
        merged = view.items()
        patch = [p for p in patch if not (isinstance(p, dict) and _DIRECTIVE in p)]
    if merge_key:
        patch_items, server_only = _partition_maps(merged, patch, merge_key)
    else:
        patch_items, server_only = _partition_primitives(merged, patch)
    return _normalize_element_order(patch_items, server_only, patch, server_order, merge_key, kind)
