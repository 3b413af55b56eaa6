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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakekube.managedfields.fieldpath import (
    FieldSet,
    Path,
    index_element,
    key_element,
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


class TypedError(ValueError):
    """A value that does not fit its schema's list or map semantics (a keyed item without its key...)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.detail = message


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


def list_semantics(schema: Schema | None) -> tuple[str, tuple[str, ...]]:
    """``("atomic", ())``, ``("set", ())`` or ``("map", keys)`` for a list node."""
    if schema is None:
        return "atomic", ()
    if schema.list_type == "atomic":
        return "atomic", ()
    if schema.list_type == "set":
        return "set", ()
    if schema.list_type == "map":
        return "map", schema.list_map_keys
    if "merge" in schema.patch_strategy.split(","):
        if schema.patch_merge_key:
            return "map", (schema.patch_merge_key,)
        return "set", ()
    return "atomic", ()


def field_schema(schema: Schema | None, name: str) -> Schema | None:
    if schema is None:
        return None
    found = schema.properties.get(name)
    if found is not None:
        return found
    return schema.additional_properties


def is_named_field(schema: Schema | None, name: str) -> bool:
    return schema is not None and name in schema.properties


def item_element(schema: Schema | None, semantics: tuple[str, tuple[str, ...]], item: Any, where: str) -> str:
    """The path element of one item of an associative list (``listItemToPathElement``)."""
    kind, keys = semantics
    if kind == "map" and keys:
        if item is None:
            raise TypedError(where, "associative list with keys may not have a null element")
        if not isinstance(item, dict):
            raise TypedError(where, "associative list with keys may not have non-map elements")
        item_schema = schema.items if schema is not None else None
        fields: list[tuple[str, Any]] = []
        for name in keys:
            if name in item:
                fields.append((name, item[name]))
                continue
            default = _key_default(item_schema, name)
            if default is not MISSING:
                fields.append((name, default))
        if not fields:
            raise TypedError(where, "associative list with keys has an element that omits all key fields "
                             + "[" + " ".join(f'"{k}"' for k in keys) + "] (and doesn't have default values "
                             "for any key fields)")
        return key_element(fields)
    if isinstance(item, dict):
        raise TypedError(where, "associative list without keys has an element that's a map type")
    if isinstance(item, list):
        raise TypedError(where, "not supported: associative list with lists as elements")
    if item is None:
        raise TypedError(where, "associative list without keys has an element that's an explicit null")
    return value_element(item)


def _key_default(item_schema: Schema | None, name: str) -> Any:
    if item_schema is None:
        return MISSING
    prop = item_schema.properties.get(name)
    if prop is not None and prop.has_default:
        return prop.default
    ref = item_schema.ref or (item_schema.base.ref if item_schema.base is not None else None)
    return KEY_DEFAULTS.get((ref or "", name), MISSING)


# --- ToFieldSet ---------------------------------------------------------------------------------------


def to_field_set(value: Any, schema: Schema | None) -> FieldSet:
    """The paths ``value`` sets: leaves, atomic nodes, list items, empty maps, and fields that are not
    declared (map keys); a declared field with content is only a parent."""
    out = FieldSet()
    _fields_of(value, schema, out, "")
    return out


def _fields_of(value: Any, schema: Schema | None, node: FieldSet, where: str) -> None:
    kind = shape(schema, value)
    if kind == MAP:
        if not isinstance(value, dict) or map_is_atomic(schema):
            return
        for name, child in value.items():
            element = "f:" + name
            child_schema = field_schema(schema, name)
            if child_schema is None and schema is not None and schema.properties and schema.closed:
                raise TypedError(f"{where}.{name}", "field not declared in schema")
            if child is None or (isinstance(child, dict) and not child) or not is_named_field(schema, name) \
                    or _is_leaf(child_schema, child):
                node.members.add(element)
            if not _is_leaf(child_schema, child):
                sub = FieldSet()
                _fields_of(child, child_schema, sub, f"{where}.{name}")
                if not sub.empty():
                    node.children[element] = sub
    elif kind == LIST:
        semantics = list_semantics(schema)
        if not isinstance(value, list) or semantics[0] == "atomic":
            return
        item_schema = schema.items if schema is not None else None
        for i, item in enumerate(value):
            element = item_element(schema, semantics, item, f"{where}: element {i}")
            node.members.add(element)
            if not _is_leaf(item_schema, item):
                sub = FieldSet()
                _fields_of(item, item_schema, sub, where)
                if not sub.empty():
                    node.children[element] = sub


def _is_leaf(schema: Schema | None, value: Any) -> bool:
    """Whether a node is owned as a whole: a scalar, an atomic list or map."""
    kind = shape(schema, value)
    if kind == SCALAR:
        return True
    if kind == MAP:
        return map_is_atomic(schema) or not isinstance(value, dict)
    return list_semantics(schema)[0] == "atomic" or not isinstance(value, list)


# --- Compare ----------------------------------------------------------------------------------------


@dataclass
class Comparison:
    added: FieldSet = field(default_factory=FieldSet)
    modified: FieldSet = field(default_factory=FieldSet)
    removed: FieldSet = field(default_factory=FieldSet)

    def is_same(self) -> bool:
        return self.added.empty() and self.modified.empty() and self.removed.empty()

    def changed(self) -> FieldSet:
        return self.modified.union(self.added)


def compare(lhs: Any, rhs: Any, schema: Schema | None) -> Comparison:
    """What changed from ``lhs`` to ``rhs``: added and removed nodes (containers too), modified leaves."""
    out = Comparison()
    _compare(lhs, rhs, schema, (), out)
    return out


def _compare(lhs: Any, rhs: Any, schema: Schema | None, path: Path, out: Comparison) -> None:
    probe = rhs if rhs is not MISSING and rhs is not None else lhs
    kind = shape(schema, probe)
    leaf = True
    if kind == MAP and not map_is_atomic(schema):
        lm = lhs if isinstance(lhs, dict) else None
        rm = rhs if isinstance(rhs, dict) else None
        if lm or rm:
            leaf = False
            zero = typed_zero(schema)
            lm = _filled(lm, zero)
            rm = _filled(rm, zero)
            for name in (*lm, *(k for k in rm if k not in lm)):
                _compare(lm.get(name, MISSING), rm.get(name, MISSING), field_schema(schema, name),
                         (*path, "f:" + name), out)
    elif kind == LIST and list_semantics(schema)[0] != "atomic":
        ll = lhs if isinstance(lhs, list) else None
        rl = rhs if isinstance(rhs, list) else None
        if ll or rl:
            leaf = False
            _compare_items(ll or [], rl or [], schema, list_semantics(schema), path, out)
    if leaf:
        if lhs is MISSING:
            out.added.insert(path)
        elif rhs is MISSING:
            out.removed.insert(path)
        elif lhs != rhs or (type(lhs) is not type(rhs) and (isinstance(lhs, bool) or isinstance(rhs, bool))):
            out.modified.insert(path)
    elif lhs is MISSING:
        out.added.insert(path)
    elif rhs is MISSING:
        out.removed.insert(path)


def _filled(value: dict[str, Any] | None, zero: dict[str, Any]) -> dict[str, Any]:
    """A struct as a typed Go object holds it: fields held by value present even when not set."""
    if value is None:
        return {}
    if not zero or all(name in value for name in zero):
        return value
    out = dict(value)
    for name, empty in zero.items():
        if name not in out:
            out[name] = None if empty is None else {}
    return out


def _compare_items(lhs: list[Any], rhs: list[Any], schema: Schema | None, semantics: tuple[str, tuple[str, ...]],
                   path: Path, out: Comparison) -> None:
    item_schema = schema.items if schema is not None else None
    left = _index_items(lhs, schema, semantics)
    right = _index_items(rhs, schema, semantics)
    for element in (*left, *(e for e in right if e not in left)):
        lv, rv = left.get(element, [MISSING]), right.get(element, [MISSING])
        item_path = (*path, element)
        if len(lv) > 1 or len(rv) > 1:  # duplicates: owned as a whole
            if lv[0] is MISSING:
                out.added.insert(item_path)
            elif rv[0] is MISSING:
                out.removed.insert(item_path)
            elif lv != rv:
                out.modified.insert(item_path)
            continue
        _compare(lv[0], rv[0], item_schema, item_path, out)


def _index_items(items: list[Any], schema: Schema | None, semantics: tuple[str, tuple[str, ...]]
                 ) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i, item in enumerate(items):
        out.setdefault(item_element(schema, semantics, item, f"element {i}"), []).append(item)
    return out


# --- Merge --------------------------------------------------------------------------------------------


def merge(lhs: Any, rhs: Any, schema: Schema | None) -> Any:
    """``rhs`` (an applied configuration) merged into ``lhs`` (the live object): leaves and atomic nodes
    from ``rhs``, granular maps field by field, associative lists item by item in ``merge``'s order."""
    if rhs is MISSING:
        return lhs
    if lhs is MISSING:
        return rhs
    kind = shape(schema, rhs)
    if kind == MAP and not map_is_atomic(schema) and isinstance(lhs, dict) and isinstance(rhs, dict) \
            and (lhs or rhs):
        out = dict(lhs)
        for name, value in rhs.items():
            out[name] = merge(lhs.get(name, MISSING), value, field_schema(schema, name))
        return out
    if kind == LIST and isinstance(lhs, list) and isinstance(rhs, list) and (lhs or rhs):
        semantics = list_semantics(schema)
        if semantics[0] != "atomic":
            return _merge_items(lhs, rhs, schema, semantics)
    return rhs


def _merge_items(lhs: list[Any], rhs: list[Any], schema: Schema | None,
                 semantics: tuple[str, tuple[str, ...]]) -> list[Any]:
    """``visitListItems`` of structured-merge-diff's merge: items of both sides in an order that keeps
    the live order of what is not applied and the applied order of what is."""
    item_schema = schema.items if schema is not None else None
    left = [item_element(schema, semantics, item, f"element {i}") for i, item in enumerate(lhs)]
    right = [item_element(schema, semantics, item, f"element {i}") for i, item in enumerate(rhs)]
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
    """``value`` without the paths of ``to_remove`` (a removed path takes its whole subtree)."""
    if to_remove.empty():
        return value
    kind = shape(schema, value)
    if kind == MAP and isinstance(value, dict):
        if not value or map_is_atomic(schema):
            return value
        out: dict[str, Any] = {}
        for name, child in value.items():
            element = "f:" + name
            if element in to_remove.members:
                continue
            sub = to_remove.children.get(element)
            if sub is not None:
                kept = remove_items(child, sub, field_schema(schema, name))
                if kept == {} or kept == []:  # emptied: gone, as an omitempty field of a typed object
                    if child:
                        continue
                child = kept
            out[name] = child
        return out
    if kind == LIST and isinstance(value, list):
        semantics = list_semantics(schema)
        if not value or semantics[0] == "atomic":
            return value
        item_schema = schema.items if schema is not None else None
        items: list[Any] = []
        for i, item in enumerate(value):
            element = item_element(schema, semantics, item, f"element {i}")
            if element in to_remove.members:
                continue
            sub = to_remove.children.get(element)
            items.append(remove_items(item, sub, item_schema) if sub is not None else item)
        return items
    return value


# --- EnsureNamedFieldsAreMembers ------------------------------------------------------------------------


def with_named_fields(fields: FieldSet, schema: Schema | None) -> FieldSet:
    """``fields`` plus every declared struct field that is only a parent in it, at every level, so that
    removing the set takes such fields out too (``Set.EnsureNamedFieldsAreMembers``)."""
    members = set(fields.members)
    children: dict[str, FieldSet] = {}
    for element, child in fields.children.items():
        if element.startswith("f:"):
            name = element[2:]
            if is_named_field(schema, name):
                members.add(element)
            child_schema = field_schema(schema, name)
        elif schema is not None and schema.type == "array":
            child_schema = schema.items
        else:
            child_schema = None
        children[element] = with_named_fields(child, child_schema)
    return FieldSet(members, children)


def index_path_element(index: int) -> str:
    return index_element(index)
