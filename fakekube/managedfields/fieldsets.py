"""The field sets of values: what a configuration sets (``to_field_set``, structured-merge-diff's
``ToFieldSet``), what a value compared with nothing adds (``added``), and what a create records
(``created_fields``: a comparison with the type's zero value, in one walk).  Sets are built in
``FieldsV1`` order; those of list items, specs and whole objects recur across objects and tests, and are
remembered in bounded caches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from fakekube.managedfields.fieldpath import SELF, FieldSet, Path, Sorted, element_sort_key, path_string
from fakekube.managedfields.shapes import (
    ATOMIC,
    LIST,
    MAP,
    MISSING,
    NO_FIELDS,
    SCALAR,
    TypedError,
    is_leaf,
    items_by_element,
    list_semantics,
    map_is_atomic,
    shape,
)
from fakekube.schema.model import Schema
from fakekube.schema.typed_zero import typed_zero


def to_field_set(value: Any, schema: Schema | None) -> FieldSet:
    """The paths a configuration sets: leaves, atomic nodes, list items, empty maps and nulls, and fields
    that are not declared (map keys); a declared field with content is only a parent.  The configuration
    is checked as structured-merge-diff types it: a field the schema does not declare, a list where a map
    belongs (or the reverse) or a key given twice in an associative list is a ``TypedError``."""
    return _fields_of(value, schema, (), remember=True)


def _fields_of(value: Any, schema: Schema | None, path: Path, remember: bool = False) -> FieldSet:
    """The children of a container's node, built in ``FieldsV1`` order.  ``remember``: an object's top
    level, whose parts but ``metadata`` (a spec recurs in many objects) are looked up in a cache."""
    out = Sorted()
    kind = type(value)
    expected = shape(schema, value)
    if value is None:
        return out
    if expected == MAP and kind is not dict:
        raise TypedError(f"{path_string(path)}: expected map, got {_kind_name(value)}")
    if expected == LIST and kind is not list:
        raise TypedError(f"{path_string(path)}: expected list, got {_kind_name(value)}")
    if kind is dict:
        if schema is not None and (schema.map_type == ATOMIC or (schema.type is not None and schema.type != "object")):
            return out
        properties = schema.properties if schema is not None else NO_FIELDS
        additional = schema.additional_properties if schema is not None else None
        closed = schema is not None and bool(properties) and additional is None and not schema.preserve_unknown_fields
        for name in sorted(value):
            child = value[name]
            child_schema = properties.get(name)
            named = child_schema is not None
            if not named:
                if closed:
                    raise TypedError(f"{path_string((*path, 'f:' + name))}: field not declared in schema")
                child_schema = additional
            child_kind = type(child)
            if child_kind is dict:
                if not child or (child_schema is not None and child_schema.map_type == ATOMIC):
                    _check_shape(child, child_schema, path, name)
                    out["f:" + name] = {}
                    continue
            elif child_kind is list:
                if list_semantics(child_schema)[0] == ATOMIC:
                    _check_shape(child, child_schema, path, name)
                    out["f:" + name] = {}
                    continue
            else:
                _check_shape(child, child_schema, path, name)
                out["f:" + name] = {}
                continue
            child_path = (*path, "f:" + name)
            if remember and named and child_kind is dict and name != "metadata" and child_schema is not None:
                key = (child_schema, orjson.dumps(child), child_path)
                sub = _FIELDS.get(key)
                if sub is None:
                    sub = _remember(_FIELDS, key, _fields_of(child, child_schema, child_path))
            else:
                sub = _fields_of(child, child_schema, child_path)
            if not named:  # a map's key is owned itself
                out["f:" + name] = _as_member(sub)
            elif sub:
                out["f:" + name] = sub
    elif kind is list:
        semantics = list_semantics(schema)
        if semantics[0] == ATOMIC:
            return out
        item_schema = schema.items if schema is not None else None
        items = items_by_element(value, schema, semantics, path)
        if len(items) < len(value):
            duplicate = next(e for e, values in items.items() if len(values) > 1)
            raise TypedError(f"{path_string(path)}: duplicate entries for key {path_string((duplicate,))}")
        for element in sorted(items, key=element_sort_key) if len(items) > 1 else items:
            item = items[element][0]
            if type(item) not in (dict, list) or is_leaf(item_schema, item):
                out[element] = {}
            elif type(item) is dict and item_schema is not None and len(item) >= _REMEMBERED_ITEM_FIELDS:
                key = (item_schema, orjson.dumps(item), (*path, element))
                found = _ITEM_FIELDS.get(key)
                if found is None:
                    found = _remember(_ITEM_FIELDS, key, _as_member(_fields_of(item, item_schema, key[2])))
                out[element] = found
            else:
                out[element] = _as_member(_fields_of(item, item_schema, (*path, element)))
    return out


def _check_shape(value: Any, schema: Schema | None, path: Path, name: str) -> None:
    """A leaf's value against its schema's shape: a map or list where the other (or a scalar) belongs."""
    if value is None or schema is None:
        return
    expected = shape(schema, value)
    got = MAP if type(value) is dict else LIST if type(value) is list else SCALAR
    if expected != got and not (expected == SCALAR and schema.type is None):
        raise TypedError(f"{path_string((*path, 'f:' + name))}: expected {_KIND_WORDS[expected]}, "
                         f"got {_kind_name(value)}")


_KIND_WORDS = {MAP: "map", LIST: "list", SCALAR: "scalar"}


def _kind_name(value: Any) -> str:
    if type(value) is dict:
        return "map"
    if type(value) is list:
        return "list"
    return {bool: "bool", str: "string", int: "int", float: "float"}.get(type(value), "value")


def _as_member(sub: FieldSet) -> FieldSet:
    if not sub:
        return {}
    out = Sorted()
    out[SELF] = {}
    out.update(sub)
    return out


_SCALARS = (str, int, float, bool)


def added_node(value: Any, schema: Schema | None) -> FieldSet:
    """The node of a value compared with nothing: every container is added, so every node is a member.
    Built in ``FieldsV1`` order (the hot path of every create)."""
    kind = type(value)
    if kind is dict:
        if not value or (schema is not None and (schema.map_type == ATOMIC or (
                schema.type is not None and schema.type != "object"))):
            return {}
        out = Sorted()
        out[SELF] = {}
        if schema is None:
            for name in sorted(value):
                child = value[name]
                out["f:" + name] = {} if type(child) in _SCALARS else added_node(child, None)
            return out
        properties = schema.properties
        additional = schema.additional_properties
        for name in sorted(value):
            child = value[name]
            if type(child) in _SCALARS:
                out["f:" + name] = {}
            else:
                child_schema = properties.get(name)
                out["f:" + name] = added_node(child, child_schema if child_schema is not None else additional)
        return out
    if kind is list and value:
        semantics = list_semantics(schema)
        if semantics[0] == ATOMIC:
            return {}
        item_schema = schema.items if schema is not None else None
        out = Sorted()
        out[SELF] = {}
        items = items_by_element(value, schema, semantics, ())
        for element in sorted(items, key=element_sort_key) if len(items) > 1 else items:
            values = items[element]
            item = values[0]
            out[element] = {} if len(values) > 1 else added_in_list(item, item_schema)
        return out
    return {}


def added_in_list(item: Any, schema: Schema | None) -> FieldSet:
    """``added`` of a list item; a large one (a container) is remembered, as it recurs in many objects."""
    if type(item) is not dict or schema is None or len(item) < _REMEMBERED_ITEM_FIELDS:
        return added_node(item, schema)
    key = (schema, orjson.dumps(item))
    found = _ADDED_ITEMS.get(key)
    if found is None:
        found = _remember(_ADDED_ITEMS, key, added_node(item, schema))
    return found


_REMEMBERED_ITEM_FIELDS = 5  # smaller items (an env var, a port) cost less to walk than to look up
_CACHE_SIZE = 2048
# Process-wide caches of pure functions of (schema, value): the sets are shared, and like every set here
# never changed once built.  First in, first out past _CACHE_SIZE entries.
_ADDED_ITEMS: dict[tuple[Schema, bytes], FieldSet] = {}
_ITEM_FIELDS: dict[tuple[Schema, bytes, Path], FieldSet] = {}
_OBJECTS: dict[tuple[Schema | None, bytes], FieldSet] = {}
_FIELDS: dict[tuple[Schema, bytes, Path], FieldSet] = {}


def _remember(cache: dict[Any, FieldSet], key: Any, value: FieldSet) -> FieldSet:
    if len(cache) >= _CACHE_SIZE:
        del cache[next(iter(cache))]
    cache[key] = value
    return value


def object_created_fields(obj: dict[str, Any], schema: Schema | None, omit: Mapping[str, Any]) -> FieldSet:
    """``created_fields`` of a whole object, remembered by what is left once ``omit`` took out the name,
    uid and other per-object fields: every cluster creates the same namespaces, every test the same objects."""
    kept: dict[str, Any] = {}
    for name, child in obj.items():
        leave = omit.get(name, _KEEP)
        if leave is None:
            continue
        if leave is not _KEEP and type(child) is dict:
            child = {k: v for k, v in child.items() if k not in leave}
            if not child:
                continue  # nothing but omitted fields: the node itself is never owned (a custom resource's metadata)
        kept[name] = child
    key = (schema, orjson.dumps(kept))
    found = _OBJECTS.get(key)
    if found is None:
        found = _remember(_OBJECTS, key, created_fields(kept, schema))
    return found


_KEEP: Any = object()


def created_fields(value: dict[str, Any], schema: Schema | None) -> FieldSet:
    """``compare(zero value of the type, value)``'s added and modified paths, in one walk: the set a create
    records.  What a typed zero value holds (value structs, null lists) is not added, only what is in it."""
    out = Sorted()
    zero = typed_zero(schema)
    properties = schema.properties if schema is not None else NO_FIELDS
    additional = schema.additional_properties if schema is not None else None
    for name in sorted(value):
        child = value[name]
        child_schema = properties.get(name, additional)
        empty = zero.get(name, MISSING)
        if empty is MISSING:  # absent from the zero value: added whole
            out["f:" + name] = added_node(child, child_schema)
            continue
        if child == empty and (child is None) == (empty is None):
            continue  # as in the zero value
        if type(child) is dict and child and not map_is_atomic(child_schema):
            sub = _only_children(added_node(child, child_schema)) if empty is None else created_fields(
                child, child_schema)
        elif type(child) is list and child and list_semantics(child_schema)[0] != ATOMIC:
            sub = _only_children(added_node(child, child_schema))
        else:
            out["f:" + name] = {}  # a leaf that differs from the zero value
            continue
        if sub:
            out["f:" + name] = sub
    return out


def _only_children(node: FieldSet) -> FieldSet:
    out = Sorted()
    for element, child in node.items():
        if element != SELF:
            out[element] = child
    return out
