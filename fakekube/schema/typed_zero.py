"""What a built-in type's zero Go value holds: the fields present in a typed object even when unset.

kube-apiserver compares typed Go objects when it records field ownership.  There a struct field held
by value is ``{}`` when unset and a slice, map or pointer without ``omitempty`` is ``null``; in the
JSON a client sends (and fakekube stores) both are simply absent.  Server-side apply's comparisons fill
them in from this table, so a create or update records the same ``FieldsV1`` sets as kube-apiserver
(no ``.`` for a node that a typed object always has).  The table is generated from the Go sources of
the API types (``python -m schemas.generate_value_structs``).
"""

from __future__ import annotations

import functools
from importlib import resources
from types import MappingProxyType
from typing import Any

import orjson

from fakekube.schema.model import Schema

_EMPTY: Any = MappingProxyType({})
# Immutable values per schema node (built-in nodes live as long as the process; a custom resource's are
# few): a plain dict, as a weak one costs more to read than the table it saves; first in, first out.
_cache: dict[Schema, Any] = {}
_CACHE_SIZE = 8192


@functools.cache
def _table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    raw = orjson.loads(resources.files("fakekube_schemas").joinpath("value_structs.json").read_bytes())
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
