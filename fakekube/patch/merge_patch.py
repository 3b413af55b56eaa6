"""JSON merge patch (RFC 7386) as ``evanphx/json-patch`` v4 ``MergePatch`` applies it, null pruning included."""

from __future__ import annotations

import copy
from typing import Any

from fakekube.go_text import json_kind as _json_kind
from fakekube.patch.errors import _bad_request, _panic, _unconverted


def merge_patch(doc: Any, patch: Any, *, strict: bool = False) -> Any:
    """Apply an RFC 7386 merge patch (already decoded from JSON) to ``doc``; the input is left untouched."""
    if strict and patch is not None and not isinstance(patch, dict):
        raise _bad_request(f"error decoding patch: json: cannot unmarshal {_json_kind(patch)} into Go value of type "
                           "map[string]interface {}")
    if doc is None:
        raise _unconverted("Invalid JSON Document")
    if patch is None:
        raise _bad_request("Invalid JSON Patch")
    try:
        if isinstance(patch, dict):
            patch = copy.deepcopy(patch)
            if isinstance(doc, dict):
                merged = copy.deepcopy(doc)
                _merge_docs(merged, patch)
                return merged
            _prune_doc_nulls(patch)
            return patch
        if isinstance(patch, list):
            patch = copy.deepcopy(patch)
            _prune_array_nulls(patch)
            return patch
    except RecursionError:
        raise _panic("runtime: goroutine stack exceeds limit") from None
    raise _bad_request("Invalid JSON Patch")


def _merge_docs(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
            continue
        current = doc.get(key)
        if current is None:
            _prune_nulls(value)
            doc[key] = value
        elif not isinstance(current, dict):
            _prune_nulls(value)
            doc[key] = value
        elif not isinstance(value, dict):
            doc[key] = value  # an array or scalar over an object: kept as sent, nulls and all
        else:
            _merge_docs(current, value)


def _prune_nulls(value: Any) -> None:
    if isinstance(value, dict):
        _prune_doc_nulls(value)
    elif isinstance(value, list):
        _prune_array_nulls(value)


def _prune_doc_nulls(doc: dict[str, Any]) -> None:
    for key in list(doc):
        if doc[key] is None:
            del doc[key]
        else:
            _prune_nulls(doc[key])


def _prune_array_nulls(items: list[Any]) -> None:
    for item in items:  # null elements stay; objects inside lose their null members
        if item is not None:
            _prune_nulls(item)
