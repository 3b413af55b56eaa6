"""Values seen through their schema, as structured-merge-diff's ``typed`` package sees them.

Four walks over an object and its ``Schema`` node: the set of fields it sets (``to_field_set``), what
changed between two versions of it (``compare``), a configuration merged into it (``merge``), and the
object with some paths taken out (``remove_items``).  How a node is walked comes from the schema:

* a map (a struct, or a map of values) is *granular* (each field its own path) unless
  ``x-kubernetes-map-type: atomic``;
* a list is *atomic* unless ``x-kubernetes-list-type`` says ``set`` (items by value) or ``map`` (items
  by ``x-kubernetes-list-map-keys``), or, without a list type, a ``merge`` patch strategy makes it
  associative by its patch merge key (kube-openapi's ``schemaconv`` does the same for built-in types);
* a node without a type (``x-kubernetes-preserve-unknown-fields``, raw extensions) is *deduced* from
  its value: maps granular, lists atomic.

Sets are ``fieldpath`` dicts.  Comparisons skip equal subtrees whole, so an update costs what it changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube.managedfields.fieldpath import (
    SELF,
    FieldSet,
    Path,
    Sorted,
    element_sort_key,
    is_member,
    key_element,
    path_string,
    value_element,
)
from fakekube.schema.model import Schema
from fakekube.schema.typed_zero import typed_zero

MISSING: Any = object()

# List-map key fields whose schema default kube-openapi knows from ``+default`` markers (the v2 document
# the catalog derives from omits them): an item without the field is keyed with the default.
KEY_DEFAULTS: dict[tuple[str, str], Any] = {
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.ServicePort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.LocalObjectReference", "name"): "",
}

MAP, LIST, SCALAR = "map", "list", "scalar"
ATOMIC, SET, ASSOCIATIVE = "atomic", "set", "map"
Semantics = tuple[str, tuple[str, ...]]


class TypedError(ValueError):
    """A value that does not fit its schema's list or map semantics (a keyed item without its key...)."""


def shape(schema: Schema | None, value: Any) -> str:
    """Whether ``schema`` (``None``: deduced) describes a map, a list or a scalar here."""
    if schema is not None:
        if schema.type == "object" or schema.properties or schema.additional_properties is not None:
            return MAP
        if schema.type == "array":
            return LIST
        if schema.type is not None or schema.int_or_string:
            return SCALAR
    if isinstance(value, dict):
        return MAP
    if isinstance(value, list):
        return LIST
    return SCALAR


def map_is_atomic(schema: Schema | None) -> bool:
    return schema is not None and schema.map_type == "atomic"


def list_semantics(schema: Schema | None) -> Semantics:
    """``("atomic", ())``, ``("set", ())`` or ``("map", keys)`` for a list node."""
    if schema is None or schema.list_type == ATOMIC:
        return ATOMIC, ()
    if schema.list_type == SET:
        return SET, ()
    if schema.list_type == ASSOCIATIVE:
        return ASSOCIATIVE, schema.list_map_keys
    if "merge" in schema.patch_strategy.split(","):
        return (ASSOCIATIVE, (schema.patch_merge_key,)) if schema.patch_merge_key else (SET, ())
    return ATOMIC, ()


def field_schema(schema: Schema | None, name: str) -> Schema | None:
    if schema is None:
        return None
    found = schema.properties.get(name)
    return found if found is not None else schema.additional_properties


def is_named_field(schema: Schema | None, name: str) -> bool:
    return schema is not None and name in schema.properties


def _leaf(schema: Schema | None, value: Any) -> bool:
    """Whether a value is owned as a whole: a scalar, an atomic list or map, or not a container."""
    kind = shape(schema, value)
    if kind == MAP:
        return map_is_atomic(schema) or not isinstance(value, dict)
    if kind == LIST:
        return list_semantics(schema)[0] == ATOMIC or not isinstance(value, list)
    return True


def item_element(schema: Schema | None, semantics: Semantics, item: Any, path: Path = (), index: int = 0) -> str:
    """The path element of one item of an associative list (``listItemToPathElement``); ``path`` and
    ``index`` (the list's and the item's place) only word the error of an item that has none."""
    kind, keys = semantics
    if kind == ASSOCIATIVE and keys:
        if item is None:
            raise TypedError(_at(path, index, "associative list with keys may not have a null element"))
        if not isinstance(item, dict):
            raise TypedError(_at(path, index, "associative list with keys may not have non-map elements"))
        fields: list[tuple[str, Any]] = []
        for name in keys:
            if name in item:
                fields.append((name, item[name]))
                continue
            default = _key_default(schema.items if schema is not None else None, name)
            if default is not MISSING:
                fields.append((name, default))
        if not fields:
            raise TypedError(_at(path, index, "associative list with keys has an element that omits all key fields ["
                                 + " ".join(f'"{k}"' for k in keys) + "] (and doesn't have default values for "
                                 "any key fields)"))
        return key_element(fields)
    if isinstance(item, dict):
        raise TypedError(_at(path, index, "associative list without keys has an element that's a map type"))
    if isinstance(item, list):
        raise TypedError(_at(path, index, "not supported: associative list with lists as elements"))
    if item is None:
        raise TypedError(_at(path, index, "associative list without keys has an element that's an explicit null"))
    return value_element(item)


def _key_default(item_schema: Schema | None, name: str) -> Any:
    if item_schema is None:
        return MISSING
    prop = item_schema.properties.get(name)
    if prop is not None and prop.has_default:
        return prop.default
    ref = item_schema.ref or (item_schema.base.ref if item_schema.base is not None else None)
    return KEY_DEFAULTS.get((ref or "", name), MISSING)


def _at(path: Path, index: int, message: str) -> str:
    return f"{path_string(path)}: element {index}: {message}"


def _items(items: list[Any], schema: Schema | None, semantics: Semantics, path: Path) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i, item in enumerate(items):
        out.setdefault(item_element(schema, semantics, item, path, i), []).append(item)
    return out


def _typed(schema: Schema | None) -> bool:
    """Whether values here are of the schema's types (so Python's ``==`` cannot take ``true`` for ``1``)."""
    return schema is not None and not schema.preserve_unknown_fields and (
        schema.type not in (None, "object") or bool(schema.properties) or schema.additional_properties is not None)


def same(a: Any, b: Any) -> bool:
    """``value.Equals``: numbers by value (``1`` is ``1.0``), but a boolean equals only a boolean."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if type(a) is dict:
        return type(b) is dict and a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if type(a) is list:
        return type(b) is list and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# --- ToFieldSet ---------------------------------------------------------------------------------------


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
        properties = schema.properties if schema is not None else _NO_FIELDS
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
        items = _items(value, schema, semantics, path)
        if len(items) < len(value):
            duplicate = next(e for e, values in items.items() if len(values) > 1)
            raise TypedError(f"{path_string(path)}: duplicate entries for key {path_string((duplicate,))}")
        for element in sorted(items, key=element_sort_key) if len(items) > 1 else items:
            item = items[element][0]
            if type(item) not in (dict, list) or _leaf(item_schema, item):
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


_NO_FIELDS: dict[str, Any] = {}


def _as_member(sub: FieldSet) -> FieldSet:
    if not sub:
        return {}
    out = Sorted()
    out[SELF] = {}
    out.update(sub)
    return out


_SCALARS = (str, int, float, bool)


def _added(value: Any, schema: Schema | None) -> FieldSet:
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
                out["f:" + name] = {} if type(child) in _SCALARS else _added(child, None)
            return out
        properties = schema.properties
        additional = schema.additional_properties
        for name in sorted(value):
            child = value[name]
            if type(child) in _SCALARS:
                out["f:" + name] = {}
            else:
                child_schema = properties.get(name)
                out["f:" + name] = _added(child, child_schema if child_schema is not None else additional)
        return out
    if kind is list and value:
        semantics = list_semantics(schema)
        if semantics[0] == ATOMIC:
            return {}
        item_schema = schema.items if schema is not None else None
        out = Sorted()
        out[SELF] = {}
        items = _items(value, schema, semantics, ())
        for element in sorted(items, key=element_sort_key) if len(items) > 1 else items:
            values = items[element]
            item = values[0]
            out[element] = {} if len(values) > 1 else _added_in_list(item, item_schema)
        return out
    return {}


def _added_in_list(item: Any, schema: Schema | None) -> FieldSet:
    """``_added`` of a list item; a large one (a container) is remembered, as it recurs in many objects."""
    if type(item) is not dict or schema is None or len(item) < _REMEMBERED_ITEM_FIELDS:
        return _added(item, schema)
    key = (schema, orjson.dumps(item))
    found = _ADDED_ITEMS.get(key)
    if found is None:
        found = _remember(_ADDED_ITEMS, key, _added(item, schema))
    return found


_REMEMBERED_ITEM_FIELDS = 5  # smaller items (an env var, a port) cost less to walk than to look up
_CACHE_SIZE = 2048
# Process-wide caches of pure functions of (schema, value): the sets are shared, and like every set here
# never changed once built.  First in, first out past _CACHE_SIZE entries.
_ADDED_ITEMS: dict[tuple[Schema, bytes], FieldSet] = {}
_ITEM_FIELDS: dict[tuple[Schema, bytes, Path], FieldSet] = {}
_CREATED: dict[tuple[Schema, bytes], FieldSet] = {}
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
        kept[name] = child
    key = (schema, orjson.dumps(kept))
    found = _OBJECTS.get(key)
    if found is None:
        found = _remember(_OBJECTS, key, created_fields(kept, schema))
    return found


_KEEP: Any = object()


def created_fields(value: dict[str, Any], schema: Schema | None, remember: bool = True,
                   omit: Mapping[str, Any] = _NO_FIELDS) -> FieldSet:
    """``compare(zero value of the type, value)``'s added and modified paths, in one walk: the set a create
    records.  What a typed zero value holds (value structs, null lists) is not added, only what is in it.
    ``remember``: an object's top level, whose parts but ``metadata`` are looked up in a cache (tests create
    the same objects over and over, each in a new cluster).  ``omit``: top-level fields left out (``None``),
    or whose named fields are left out (a set of names), so the set comes out already stripped."""
    out = Sorted()
    zero = typed_zero(schema)
    properties = schema.properties if schema is not None else _NO_FIELDS
    additional = schema.additional_properties if schema is not None else None
    for name in sorted(value):
        if name in omit and omit[name] is None:
            continue
        child = value[name]
        child_schema = properties.get(name, additional)
        empty = zero.get(name, MISSING)
        if empty is MISSING:  # absent from the zero value: added whole
            out["f:" + name] = _added(child, child_schema)
            continue
        if child == empty and (child is None) == (empty is None):
            continue  # as in the zero value
        if type(child) is dict and child and not map_is_atomic(child_schema):
            if empty is None:
                sub = _only_children(_added(child, child_schema))
            elif remember and name != "metadata" and child_schema is not None:
                key = (child_schema, orjson.dumps(child))
                found = _CREATED.get(key)
                sub = found if found is not None else _remember(_CREATED, key, created_fields(child, child_schema,
                                                                                              False))
            elif name in omit:
                sub = created_fields({k: v for k, v in child.items() if k not in omit[name]}, child_schema, False)
            else:
                sub = created_fields(child, child_schema, False)
        elif type(child) is list and child and list_semantics(child_schema)[0] != ATOMIC:
            sub = _only_children(_added(child, child_schema))
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


# --- Compare ----------------------------------------------------------------------------------------


@dataclass
class Comparison:
    added: FieldSet = field(default_factory=dict)
    modified: FieldSet = field(default_factory=dict)
    removed: FieldSet = field(default_factory=dict)

    def is_same(self) -> bool:
        return not self.added and not self.modified and not self.removed


def compare(lhs: Any, rhs: Any, schema: Schema | None) -> Comparison:
    """What changed from ``lhs`` to ``rhs``: added and removed nodes (containers too), modified leaves.

    Typed Go objects always hold their value structs (``{}``) and their non-omitempty lists (``null``);
    both sides are seen with them (``typed_zero``), as kube-apiserver compares typed objects."""
    out = Comparison()
    _compare_children(lhs, rhs, schema, out.added, out.modified, out.removed, ())
    return out


def _compare(lhs: Any, rhs: Any, schema: Schema | None, element: str,
             added: FieldSet, modified: FieldSet, removed: FieldSet) -> None:
    if lhs is MISSING:
        added[element] = _added(rhs, schema)
        return
    if rhs is MISSING:
        removed[element] = _added(lhs, schema)
        return
    if lhs == rhs and isinstance(lhs, bool) == isinstance(rhs, bool) and (_typed(schema) or same(lhs, rhs)):
        return  # 1 == 1.0, as value.Equals
    a: FieldSet = {}
    m: FieldSet = {}
    r: FieldSet = {}
    if not _compare_children(lhs, rhs, schema, a, m, r, (element,)):
        modified[element] = {}  # a leaf, or a container that changed form
        return
    if a:
        added[element] = a
    if m:
        modified[element] = m
    if r:
        removed[element] = r


def _compare_children(lhs: Any, rhs: Any, schema: Schema | None, added: FieldSet, modified: FieldSet,
                      removed: FieldSet, path: Path) -> bool:
    """Compares the children of two present values; ``False`` when they are leaves to each other."""
    kind = shape(schema, rhs if rhs is not None else lhs)
    if kind == MAP:
        if map_is_atomic(schema) or not isinstance(lhs, dict | None) or not isinstance(rhs, dict | None):
            return False
        if not lhs and not rhs:
            return False  # both empty or null: compared as leaves
        zero = typed_zero(schema)
        left = _filled(lhs, zero)
        right = _filled(rhs, zero)
        for name, value in left.items():
            theirs = right.get(name, MISSING)
            if value is not theirs:
                _compare(value, theirs, field_schema(schema, name), "f:" + name, added, modified, removed)
        for name, theirs in right.items():
            if name not in left:
                _compare(MISSING, theirs, field_schema(schema, name), "f:" + name, added, modified, removed)
        return True
    if kind == LIST:
        semantics = list_semantics(schema)
        if semantics[0] == ATOMIC or not isinstance(lhs, list | None) or not isinstance(rhs, list | None):
            return False
        if not lhs and not rhs:
            return False
        item_schema = schema.items if schema is not None else None
        left_items = _items(lhs or [], schema, semantics, path)
        right_items = _items(rhs or [], schema, semantics, path)
        for element, values in left_items.items():
            theirs = right_items.get(element)
            if theirs is None:
                removed[element] = {} if len(values) > 1 else _added_in_list(values[0], item_schema)
            elif len(values) > 1 or len(theirs) > 1:
                if values != theirs:
                    modified[element] = {}
            else:
                _compare(values[0], theirs[0], item_schema, element, added, modified, removed)
        for element, theirs in right_items.items():
            if element not in left_items:
                added[element] = {} if len(theirs) > 1 else _added_in_list(theirs[0], item_schema)
        return True
    return False


def _filled(value: dict[str, Any] | None, zero: Any) -> dict[str, Any]:
    """A struct as a typed Go object holds it: fields held by value present even when not set."""
    if value is None:
        return {}
    if not zero:
        return value
    out = None
    for name, empty in zero.items():
        if name not in value:
            if out is None:
                out = dict(value)
            out[name] = None if empty is None else {}
    return value if out is None else out


# --- Merge --------------------------------------------------------------------------------------------


def merge(lhs: Any, rhs: Any, schema: Schema | None) -> Any:
    """``rhs`` (an applied configuration) merged into ``lhs`` (the live object): leaves and atomic nodes
    from ``rhs``, granular maps field by field, associative lists item by item in ``merge``'s order."""
    if rhs is MISSING:
        return lhs
    if lhs is MISSING:
        return rhs
    if type(rhs) is not dict and type(rhs) is not list:
        return rhs
    if lhs == rhs and (_typed(schema) or same(lhs, rhs)):  # most of a re-applied configuration
        return lhs
    kind = shape(schema, rhs)
    if kind == MAP and not map_is_atomic(schema) and isinstance(lhs, dict) and isinstance(rhs, dict) \
            and (lhs or rhs):
        out = dict(lhs)
        for name, value in rhs.items():
            out[name] = merge(lhs.get(name, MISSING), value, field_schema(schema, name))
        return out
    if kind == LIST and isinstance(lhs, list) and isinstance(rhs, list) and (lhs or rhs):
        semantics = list_semantics(schema)
        if semantics[0] != ATOMIC:
            return _merge_items(lhs, rhs, schema, semantics)
    return rhs


def _merge_items(lhs: list[Any], rhs: list[Any], schema: Schema | None, semantics: Semantics) -> list[Any]:
    """``visitListItems`` of structured-merge-diff's merge: items of both sides in an order that keeps
    the live order of what is not applied and the applied order of what is."""
    item_schema = schema.items if schema is not None else None
    left = [item_element(schema, semantics, item, (), i) for i, item in enumerate(lhs)]
    right = [item_element(schema, semantics, item, (), i) for i, item in enumerate(rhs)]
    if len(set(right)) != len(right):
        seen: set[str] = set()
        duplicate = next(pe for pe in right if pe in seen or seen.add(pe))  # type: ignore[func-returns-value]
        raise TypedError(f"duplicate entries for key {path_string((duplicate,))}")
    observed_left = dict(zip(left, lhs, strict=True))
    observed_right = dict(zip(right, rhs, strict=True))
    shared = [pe for pe in right if pe in observed_left]
    shared_at = 0
    next_shared = shared[0] if shared else None
    merged: set[str] = set()
    out: list[Any] = []
    li = ri = 0
    while li < len(left) or ri < len(right):
        if li < len(left) and ri < len(right):
            pe = left[li]
            if pe == right[ri]:
                merged.add(pe)
                out.append(merge(observed_left[pe], observed_right[pe], item_schema))
                li += 1
                ri += 1
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
                continue
            if pe in observed_right and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(left):
            pe = left[li]
            if pe not in observed_right:
                out.append(lhs[li])
                li += 1
                continue
            if pe in merged:
                li += 1
                continue
        if ri < len(right):
            pe = right[ri]
            merged.add(pe)
            out.append(merge(observed_left.get(pe, MISSING), observed_right[pe], item_schema))
            ri += 1
            if next_shared is not None and next_shared == pe:
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
    return out


# --- RemoveItems ----------------------------------------------------------------------------------------


def remove_items(value: Any, to_remove: FieldSet, schema: Schema | None) -> Any:
    """``value`` without the paths of ``to_remove`` (a removed path takes its whole subtree); a map or
    list emptied by the removal goes too, as an ``omitempty`` field of a typed object would."""
    if not to_remove:
        return value
    kind = shape(schema, value)
    if kind == MAP and isinstance(value, dict):
        if not value or map_is_atomic(schema):
            return value
        out: dict[str, Any] = {}
        for name, child in value.items():
            sub = to_remove.get("f:" + name)
            if sub is not None:
                if is_member(sub):
                    continue
                kept = remove_items(child, sub, field_schema(schema, name))
                if kept == {} or kept == []:
                    if child:
                        continue
                child = kept
            out[name] = child
        return out
    if kind == LIST and isinstance(value, list):
        semantics = list_semantics(schema)
        if not value or semantics[0] == ATOMIC:
            return value
        item_schema = schema.items if schema is not None else None
        items: list[Any] = []
        for i, item in enumerate(value):
            sub = to_remove.get(item_element(schema, semantics, item, (), i))
            if sub is not None:
                if is_member(sub):
                    continue
                item = remove_items(item, sub, item_schema)
            items.append(item)
        return items
    return value


# --- EnsureNamedFieldsAreMembers ------------------------------------------------------------------------


def with_named_fields(fields: FieldSet, schema: Schema | None) -> FieldSet:
    """``fields`` plus every declared struct field that is only a parent in it, at every level, so that
    removing the set takes such fields out too (``Set.EnsureNamedFieldsAreMembers``)."""
    out: FieldSet = {}
    for element, child in fields.items():
        if element == SELF:
            out[SELF] = {}
            continue
        if not child:
            out[element] = child
            continue
        if element[0] == "f":
            name = element[2:]
            child_schema = field_schema(schema, name)
            named = is_named_field(schema, name)
        else:
            child_schema = schema.items if schema is not None and schema.type == "array" else None
            named = False
        sub = with_named_fields(child, child_schema)
        if named and SELF not in sub:
            sub[SELF] = {}
        out[element] = sub
    return out
