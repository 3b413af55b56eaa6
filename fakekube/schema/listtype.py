"""The uniqueness of ``x-kubernetes-list-type: set`` and ``map`` lists in custom resources.

kube-apiserver checks these after the OpenAPI validation (``pkg/apiserver/schema/listtype``): a set
may not hold an item twice, a list-map may not hold two items with the same key fields, and a
list-map's items must be objects.  Each repeated item is reported once, at its second occurrence, as
``Duplicate value`` showing the item (a set) or its keys (a list-map) as ``json.Marshal`` writes
them.  Paths name map values with brackets (``spec.byName[a].ports[1]``), as ``field.Path.Key`` does.

Only schemas that have such lists are walked (``has_list_sets``), so other resources pay nothing.
"""

from __future__ import annotations

import weakref
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import go_json_marshal
from fakekube.schema.crd_errors import go_value
from fakekube.schema.model import Schema

_HAS_LIST_SETS: weakref.WeakKeyDictionary[Schema, bool] = weakref.WeakKeyDictionary()


def has_list_sets(node: Schema | None) -> bool:
    """Whether ``node`` or anything below it is a ``set`` or ``map`` list."""
    if node is None:
        return False
    found = _HAS_LIST_SETS.get(node)
    if found is None:
        _HAS_LIST_SETS[node] = False  # while in progress: a cycle back to this node adds nothing
        children = [*node.properties.values(), node.items, node.additional_properties]
        found = node.list_type in ("set", "map") or any(has_list_sets(child) for child in children)
        _HAS_LIST_SETS[node] = found
    return found


def list_errors(obj: dict[str, Any], root: Schema) -> list[FieldError]:
    """``ValidateListSetsAndMaps`` of a whole object (fields in the object's order; Go's map order is random)."""
    if not has_list_sets(root):
        return []
    out: list[FieldError] = []
    _object(out, "", root, obj)
    return out


def _object(out: list[FieldError], path: str, node: Schema, value: dict[str, Any]) -> None:
    for name, item in value.items():
        declared = node.properties.get(name)
        if declared is not None:
            _value(out, f"{path}.{name}" if path else name, declared, item)
        elif node.additional_properties is not None:
            _value(out, f"{path}[{name}]", node.additional_properties, item)


def _value(out: list[FieldError], path: str, node: Schema, value: Any) -> None:
    if not has_list_sets(node):
        return
    if isinstance(value, dict):
        _object(out, path, node, value)
    elif isinstance(value, list):
        if node.list_type == "set":
            out.extend(duplicate(f"{path}[{i}]", value[i]) for i in _repeated(value))
        elif node.list_type == "map":
            out.extend(_map_errors(path, node, value))
        if node.items is not None:
            for index, item in enumerate(value):
                _value(out, f"{path}[{index}]", node.items, item)


def _map_errors(path: str, node: Schema, value: list[Any]) -> list[FieldError]:
    for index, item in enumerate(value):
        if item is not None and not isinstance(item, dict):
            return [errors.list_map_item_not_object(f"{path}[{index}]", _shown(item))]
    keys = node.list_map_keys
    identities: list[Any] = []
    for item in value:
        present = item if isinstance(item, dict) else {}
        identities.append({name: present[name] for name in keys if name in present})
    if len(keys) == 1:
        # one key: compared as the key's value itself (a missing key is its own value, shown as {})
        single = [ident.get(keys[0], _MISSING) for ident in identities]
        return [duplicate(f"{path}[{i}]", identities[i]) for i in _repeated(single)]
    return [duplicate(f"{path}[{i}]", identities[i]) for i in _repeated(identities)]


_MISSING = object()


def _repeated(items: list[Any]) -> list[int]:
    """The index of each item's second occurrence (``validateListSet``): scalars compare with their Go
    type (``1`` is not ``1.5``, nor ``true``), objects and lists as their JSON text."""
    seen: dict[Any, int] = {}
    out: list[int] = []
    for index, item in enumerate(items):
        identity = ("json", go_json(item)) if isinstance(item, (dict, list)) else \
            ("missing", None) if item is _MISSING else (type(item).__name__, item)
        count = seen.get(identity, 0)
        if count == 1:
            out.append(index)
        seen[identity] = count + 1
    return out


def duplicate(path: str, value: Any) -> FieldError:
    """``field.Duplicate(path, value)``.  An object or list shows as JSON text, which is carried as the
    detail (``Duplicate`` has none of its own), so the message reads ``Duplicate value: {"name":"a"}``."""
    if isinstance(value, (dict, list)):
        return FieldError("FieldValueDuplicate", path, detail=go_json(value))
    return FieldError("FieldValueDuplicate", path, _shown(value))


def _shown(value: Any) -> Any:
    """A value as ``field.Error`` prints it: floats as Go's ``%v`` does."""
    return go_value(value)


def go_json(value: Any) -> str:
    """``json.Marshal`` of a decoded value: keys sorted, HTML characters escaped, floats as Go writes them
    (a whole number decoded into a float64 is written without a fraction)."""
    return go_json_marshal(value, sort_keys=True)
