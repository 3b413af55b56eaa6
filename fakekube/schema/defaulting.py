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
