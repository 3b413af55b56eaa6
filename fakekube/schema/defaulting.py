"""Structural defaulting of custom resources: the CRD's ``default`` values, filled in while decoding.

kube-apiserver defaults a custom resource right after pruning it, before validating it: a field with a
``default`` that is missing (or a non-nullable ``null``) gets a copy of the default, and the walk goes on
into the values, so defaults nest.  Only the parts of a schema that hold defaults are walked.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

from fakekube.schema.model import Schema

_HOLDS_DEFAULTS: weakref.WeakKeyDictionary[Schema, bool] = weakref.WeakKeyDictionary()


def holds_defaults(node: Schema | None) -> bool:
    """Whether ``node`` or anything below it has a default."""
    if node is None:
        return False
    found = _HOLDS_DEFAULTS.get(node)
    if found is None:
        _HOLDS_DEFAULTS[node] = False  # while in progress: a cycle back to this node adds nothing
        found = any(child.has_default or holds_defaults(child) for child in _children(node))
        _HOLDS_DEFAULTS[node] = found
    return found


def _children(node: Schema) -> list[Schema]:
    out = list(node.properties.values())
    if node.items is not None:
        out.append(node.items)
    if node.additional_properties is not None:
        out.append(node.additional_properties)
    return out


def apply_defaults(value: Any, node: Schema | None) -> None:
    """Fill in the defaults of ``node`` in ``value``, in place."""
    if node is None or not holds_defaults(node):
        return
    if isinstance(value, dict):
        for key, prop in node.properties.items():
            if prop.has_default and prop.default is not None and (
                    key not in value or (value[key] is None and not prop.nullable)):
                value[key] = copy.deepcopy(prop.default)
        additional = node.additional_properties
        for key in value:
            declared = node.properties.get(key)
            if declared is not None:
                apply_defaults(value[key], declared)
            elif additional is not None:
                if value[key] is None and not additional.nullable and additional.has_default:
                    value[key] = copy.deepcopy(additional.default)
                apply_defaults(value[key], additional)
    elif isinstance(value, list):
        items = node.items
        for index, item in enumerate(value):
            if items is not None and item is None and not items.nullable and items.has_default:
                value[index] = copy.deepcopy(items.default)
            apply_defaults(value[index], items)


def prune_nulls(value: Any, node: Schema | None) -> None:
    """Drop the ``null`` fields and map values whose schema is not nullable and has no default, in place.

    kube-apiserver does this right after pruning unknown fields (``PruneNonNullableNullsWithoutDefaults``):
    such a null reads as the field not being there, not as a value of the wrong type.  Null list items
    stay (and fail validation).  Defaults have been applied first, so a null with a default is gone already.
    """
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            child = _field_schema(node, key)
            if child is not None and not child.nullable and not (child.has_default and child.default is not None):
                del value[key]
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                prune_nulls(item, _field_schema(node, key))
    elif isinstance(value, list):
        items = node.items if node is not None else None
        for item in value:
            if isinstance(item, (dict, list)):
                prune_nulls(item, items)


def _field_schema(node: Schema | None, key: str) -> Schema | None:
    if node is None:
        return None
    found = node.properties.get(key)
    return found if found is not None else node.additional_properties
