"""What a built-in type's zero Go value holds: the fields present in a typed object even when unset.

kube-apiserver compares typed Go objects when it records field ownership.  There a struct field held
by value is ``{}`` when unset and a slice, map or pointer without ``omitempty`` is ``null``; in the
JSON a client sends (and fakekube stores) both are simply absent.  Server-side apply's comparisons fill
them in from this table, so a create or update records the same ``FieldsV1`` sets as kube-apiserver
(no ``.`` for a node that a typed object always has).  The table is generated from the Go sources of
the API types (``python -m schemas.generate_value_structs``).

``complete_encoding`` is the other use of the same knowledge: the fields Go's ``encoding/json`` writes of
a typed object even when they are unset (``status: {}``, ``null``, ``""``), which the write pipeline adds
to every built-in object it stores, so clients read what kube-apiserver would send them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import orjson

from fakekube.schema import files
from fakekube.schema.model import Schema

_EMPTY: Any = MappingProxyType({})
# Immutable values per schema node (built-in nodes live as long as the process; a custom resource's are
# few): a plain dict, as a weak one costs more to read than the table it saves; first in, first out.
_cache: dict[Schema, Any] = {}
_CACHE_SIZE = 8192


@functools.cache
def _table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    raw = orjson.loads(files.read_shared("value_structs.json"))
    return raw["fields"], raw["nulls"]


def typed_zero(schema: Schema | None) -> Any:
    """The fields of ``schema``'s zero value that are present but unset: ``{"spec": {}, "containers": None}``.

    Read-only; empty for custom resources and types without such fields."""
    if schema is None or schema.ref is None:
        return _EMPTY
    found = _cache.get(schema)
    if found is None:
        structs, nulls = _table()
        out: dict[str, Any] = {}
        properties = schema.properties
        for name in structs.get(schema.ref, ()):
            prop = properties.get(name)
            if prop is not None and prop.properties and prop.additional_properties is None:
                out[name] = _EMPTY
        for name in nulls.get(schema.ref, ()):
            if name in properties:
                out[name] = None
        found = MappingProxyType(out) if out else _EMPTY
        if len(_cache) >= _CACHE_SIZE:
            del _cache[next(iter(_cache))]
        _cache[schema] = found
    return found


# --- what Go's encoding/json writes of a typed object ---------------------------------------------
#
# kube-apiserver answers (and hands watchers) its typed Go object as ``encoding/json`` writes it, so
# fields a client never sent still appear: a struct held by value is never omitted (``status: {}``), a
# ``metav1.Time`` held by value is written ``null`` when zero, a nil pointer, slice or map without
# ``omitempty`` is ``null`` (with it, an empty slice or map is not written at all), a string, number or
# bool without it is ``""``, ``0`` or ``false``; ``omitzero`` omits a zero value.  The tags differ
# between releases (``creationTimestamp`` is ``omitzero`` from v1.34), so the table is per Kubernetes
# version (``schemas/v1.NN/zero_fields.json``, generated with ``value_structs.json``).  Custom resources
# have no Go type and never get this.

# Types whose zero value marshals to ``null`` by their own ``MarshalJSON`` (a zero time, an empty raw document).
_NULL_REFS = frozenset({
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSON",
})
_SCALAR_ZEROS: Mapping[str, Any] = MappingProxyType({"string": "", "integer": 0, "number": 0, "boolean": False})
_SKIP = object()  # a field Go omits after all (a named string, map or slice with ``omitempty``)

# How the walk goes through a field's value to the structs in it: a struct, a list of ..., a map of ....
_STRUCT, _LIST, _MAP = 0, 1, 2
Walk = tuple[int, Any]


class _Plan(NamedTuple):
    """One struct type's part of the walk: the unset fields Go writes, and the fields that hold structs."""

    # (name, value, struct): the value written when the field is absent, or the struct schema to build
    fills: tuple[tuple[str, Any, Schema | None], ...]
    # by field name (an object holds far fewer fields than its type declares: the walk goes by the object's)
    walks: Mapping[str, Walk]
    # maps and slices with ``omitempty``: Go does not write them when empty
    drops: tuple[str, ...]


_plans: dict[Schema, _Plan] = {}


@functools.cache
def _zero_fields(kubernetes_version: str) -> Mapping[str, Mapping[str, str]]:
    try:
        raw = files.read(kubernetes_version, "zero_fields.json")
    except FileNotFoundError:  # a version without the table: nothing is added
        return MappingProxyType({})
    document: dict[str, Any] = orjson.loads(raw)
    fields: Mapping[str, Mapping[str, str]] = document["fields"]
    return fields


def _is_struct(schema: Schema) -> bool:
    """A Go struct of the built-in definitions (not a special type with a JSON form of its own, not a map)."""
    return (schema.ref is not None and schema.ref not in _NULL_REFS and not schema.quantity
            and not schema.int_or_string and schema.additional_properties is None
            and (schema.type == "object" or bool(schema.properties)))


def _walk_of(schema: Schema) -> Walk | None:
    """How to reach the structs a value of ``schema`` may hold (None: it holds none)."""
    if _is_struct(schema):
        return (_STRUCT, schema)
    if schema.items is not None:
        inner = _walk_of(schema.items)
        return (_LIST, inner) if inner is not None else None
    if schema.additional_properties is not None:
        inner = _walk_of(schema.additional_properties)
        return (_MAP, inner) if inner is not None else None
    return None


def _unset_value(code: str, schema: Schema) -> Any:
    """What Go writes for an unset field of ``schema`` with the generator's ``code`` (``_SKIP``: nothing)."""
    if code == "n":
        return None
    if code == "z":
        return _SCALAR_ZEROS.get(schema.type or "", _SKIP)
    # A named type held by value: a struct is always written; a named scalar, map or slice is omitted by
    # ``omitempty`` ("o") and written as its zero without it ("v").
    if schema.ref in _NULL_REFS:
        return None
    if schema.quantity:
        return "0"
    if schema.int_or_string:
        return 0
    if code == "o":
        return _SKIP
    if schema.additional_properties is not None or schema.type == "array":
        return None
    return _SCALAR_ZEROS.get(schema.type or "", _SKIP)


def _plan(schema: Schema, kubernetes_version: str) -> _Plan:
    found = _plans.get(schema)
    if found is None:
        codes = _zero_fields(kubernetes_version).get(schema.ref or "", {})
        fills: list[tuple[str, Any, Schema | None]] = []
        walks: dict[str, Walk] = {}
        drops: list[str] = []
        for name, prop in schema.properties.items():
            code = codes.get(name)
            if code == "e" or (code == "o" and (prop.additional_properties is not None or prop.type == "array")
                               and not _is_struct(prop)):
                drops.append(name)
            elif code is not None:
                if code in "vo" and _is_struct(prop):
                    fills.append((name, None, prop))
                else:
                    value = _unset_value(code, prop)
                    if value is not _SKIP:
                        fills.append((name, value, None))
            walk = _walk_of(prop)
            if walk is not None:
                walks[name] = walk
        found = _Plan(tuple(fills), walks, tuple(drops))
        if len(_plans) >= _CACHE_SIZE:
            del _plans[next(iter(_plans))]
        _plans[schema] = found
    return found


def complete_encoding(schema: Schema | None, obj: dict[str, Any], kubernetes_version: str) -> None:
    """Add to ``obj`` (in place) what Go's ``encoding/json`` writes of the typed object and JSON omits.

    ``schema`` is the node of a built-in definition of ``kubernetes_version``; anything else (a custom
    resource's schema, None) leaves ``obj`` as it is."""
    if schema is None or not _is_struct(schema):
        return
    _complete(schema, obj, kubernetes_version)


def _complete(schema: Schema, obj: dict[str, Any], kubernetes_version: str) -> None:
    plan = _plans.get(schema) or _plan(schema, kubernetes_version)
    walks = plan.walks
    for name, value in obj.items():  # first what is there, so the structs built below are walked once
        walk = walks.get(name)
        if walk is None:
            continue
        if walk[0] == _STRUCT:
            if isinstance(value, dict):
                _complete(walk[1], value, kubernetes_version)
        elif value is not None:
            _walk(walk, value, kubernetes_version)
    for name in plan.drops:
        if obj.get(name, True) in ({}, []):  # ``{}`` or ``[]``: an empty map or slice with omitempty
            del obj[name]
    for name, value, struct in plan.fills:
        if name not in obj:
            if struct is None:
                obj[name] = value
            else:
                built: dict[str, Any] = {}
                _complete(struct, built, kubernetes_version)
                obj[name] = built


def _walk(walk: Walk, value: Any, kubernetes_version: str) -> None:
    kind, inner = walk
    if kind == _STRUCT:
        if isinstance(value, dict):
            _complete(inner, value, kubernetes_version)
    elif kind == _LIST:
        if isinstance(value, list):
            for item in value:
                _walk(inner, item, kubernetes_version)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(inner, item, kubernetes_version)
