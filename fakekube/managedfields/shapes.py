"""How structured-merge-diff sees a node of a ``Schema``: a map, a list or a scalar, and how it is owned.

* a map (a struct, or a map of values) is *granular* (each field its own path) unless
  ``x-kubernetes-map-type: atomic``;
* a list is *atomic* unless ``x-kubernetes-list-type`` says ``set`` (items by value) or ``map`` (items
  by ``x-kubernetes-list-map-keys``), or, without a list type, a ``merge`` patch strategy makes it
  associative by its patch merge key (kube-openapi's ``schemaconv`` does the same for built-in types);
* a node without a type (``x-kubernetes-preserve-unknown-fields``, raw extensions) is *deduced* from
  its value: maps granular, lists atomic.

Also the path element of a list item (``k:``/``v:``) and ``value.Equals``.
"""

from __future__ import annotations

from typing import Any

from fakekube.managedfields.fieldpath import Path, key_element, path_string, value_element
from fakekube.schema.model import Schema

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


def is_leaf(schema: Schema | None, value: Any) -> bool:
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


def items_by_element(items: list[Any], schema: Schema | None, semantics: Semantics, path: Path) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i, item in enumerate(items):
        out.setdefault(item_element(schema, semantics, item, path, i), []).append(item)
    return out


def typed_values(schema: Schema | None) -> bool:
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



NO_FIELDS: dict[str, Any] = {}
