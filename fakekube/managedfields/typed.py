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

How nodes are seen is ``shapes``; the sets of values are ``fieldsets`` (both re-exported here).  Sets are
``fieldpath`` dicts.  Comparisons skip equal subtrees whole, so an update costs what it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakekube.managedfields.fieldpath import SELF, FieldSet, Path, is_member, path_string
from fakekube.managedfields.fieldsets import added_in_list
from fakekube.managedfields.fieldsets import added_node as added_node
from fakekube.managedfields.fieldsets import created_fields as created_fields
from fakekube.managedfields.fieldsets import object_created_fields as object_created_fields
from fakekube.managedfields.fieldsets import to_field_set as to_field_set
from fakekube.managedfields.shapes import (
    ATOMIC,
    LIST,
    MAP,
    MISSING,
    Semantics,
    field_schema,
    is_named_field,
    item_element,
    items_by_element,
    list_semantics,
    map_is_atomic,
    same,
    shape,
    typed_values,
)
from fakekube.managedfields.shapes import TypedError as TypedError
from fakekube.schema.model import Schema
from fakekube.schema.typed_zero import typed_zero

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
        added[element] = added_node(rhs, schema)
        return
    if rhs is MISSING:
        removed[element] = added_node(lhs, schema)
        return
    if lhs == rhs and isinstance(lhs, bool) == isinstance(rhs, bool) and (typed_values(schema) or same(lhs, rhs)):
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
        left_items = items_by_element(lhs or [], schema, semantics, path)
        right_items = items_by_element(rhs or [], schema, semantics, path)
        for element, values in left_items.items():
            theirs = right_items.get(element)
            if theirs is None:
                removed[element] = {} if len(values) > 1 else added_in_list(values[0], item_schema)
            elif len(values) > 1 or len(theirs) > 1:
                if values != theirs:
                    modified[element] = {}
            else:
                _compare(values[0], theirs[0], item_schema, element, added, modified, removed)
        for element, theirs in right_items.items():
            if element not in left_items:
                added[element] = {} if len(theirs) > 1 else added_in_list(theirs[0], item_schema)
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
    if lhs == rhs and (typed_values(schema) or same(lhs, rhs)):  # most of a re-applied configuration
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
