"""Definitions of custom resources: their object and list schemas, in the v3 shape they come in or
made digestible for Swagger 2.0 clients.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from fakekube.http.openapi.constants import _V2_PREFIX, _V3_PREFIX, LIST_META, OBJECT_META, Schema
from fakekube.http.openapi.definitions import _Definitions, _is_custom, _list_definition, _resource_definition
from fakekube.registry.resources import ResourceInfo


def _custom_v2(node: Any) -> Any:
    """A structural (v3) custom-resource schema made digestible for Swagger 2.0 clients, the way
    kube-apiserver publishes CRDs in /openapi/v2 (apiextensions' ``ToStructuralOpenAPIV2``, then its
    pruning of defaults): no oneOf/anyOf/allOf/not and no ``default``, and nothing kubectl's
    client-side validation would wrongly reject (nullable nodes lose their type and sub-schemas,
    unknown-field-preserving ones their sub-schemas and an ``object`` type, arrays without items their
    type; a property that may be null is not required, and no property is when map values may be)."""
    if isinstance(node, list):
        return [_custom_v2(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    for key, value in node.items():
        if key in ("oneOf", "anyOf", "allOf", "not", "nullable", "default"):
            continue
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: _custom_v2(sub) for name, sub in value.items()}
        else:
            out[key] = _custom_v2(value)
    if node.get("nullable") is True:
        for key in ("type", "items", "properties"):
            out.pop(key, None)
    preserves = node.get("x-kubernetes-preserve-unknown-fields") is True
    if preserves:
        out.pop("items", None)
        out.pop("properties", None)
    if isinstance(out.get("items"), list):  # tuple-style items do not exist in structural schemas
        out.pop("items")
    if (node.get("x-kubernetes-int-or-string") is True or (out.get("type") == "array" and "items" not in out)
            or (preserves and out.get("type") == "object")):
        out.pop("type", None)
    properties = node.get("properties")
    if isinstance(properties, dict) and isinstance(out.get("required"), list):
        nullable = {name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("nullable") is True}
        out["required"] = [name for name in out["required"] if name not in nullable]
    values = node.get("additionalProperties")
    if isinstance(values, dict) and values.get("nullable") is True:
        out.pop("required", None)
    if out.get("required") == []:
        del out["required"]
    return out


_INT_OR_STRING = [{"type": "integer"}, {"type": "string"}]


def _unfold(node: Any) -> None:
    """apiextensions' ``Unfold``: an ``x-kubernetes-int-or-string`` node says so in value validation too,
    ``anyOf: [{type: integer}, {type: string}]`` (put first in ``allOf`` when it has an ``anyOf`` of its
    own), unless it already does."""
    if isinstance(node, list):
        for item in node:
            _unfold(item)
        return
    if not isinstance(node, dict):
        return
    for key in ("properties", "patternProperties"):
        if isinstance(node.get(key), dict):
            for sub in node[key].values():
                _unfold(sub)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), (dict, list)):
            _unfold(node[key])
    if node.get("x-kubernetes-int-or-string") is not True:
        return
    all_of = node.get("allOf")
    if node.get("anyOf") == _INT_OR_STRING or (
            isinstance(all_of, list) and all_of and isinstance(all_of[0], dict)
            and all_of[0].get("anyOf") == _INT_OR_STRING):
        return
    if "anyOf" not in node:
        node["anyOf"] = [dict(branch) for branch in _INT_OR_STRING]
    else:
        node["allOf"] = [{"anyOf": [dict(branch) for branch in _INT_OR_STRING]}, *(all_of or [])]


def _add_embedded(node: Any, meta: Schema, *, v3: bool) -> None:
    """apiextensions' ``addEmbeddedProperties``: an ``x-kubernetes-embedded-resource`` object gets
    ``apiVersion``, ``kind`` (both required) and ``metadata`` as ObjectMeta, except in v2 where it
    preserves unknown fields (kubectl would then refuse every other field)."""
    if not isinstance(node, dict):
        return
    for sub in (node.get("properties") or {}).values():
        _add_embedded(sub, meta, v3=v3)
    for key in ("items", "additionalProperties"):
        _add_embedded(node.get(key), meta, v3=v3)
    if not v3 and node.get("x-kubernetes-preserve-unknown-fields") is True:
        return
    if node.get("x-kubernetes-embedded-resource") is True:
        properties = node.setdefault("properties", {})
        properties["apiVersion"] = {"type": "string"}
        properties["kind"] = {"type": "string"}
        properties["metadata"] = dict(meta)
        required = node.setdefault("required", [])
        required.extend(name for name in ("kind", "apiVersion") if name not in required)


def _custom_schemas(res: ResourceInfo, obj_def: str, list_def: str | None, *, v3: bool) -> dict[str, Schema]:
    """The object (and list) definitions of a custom resource, as apiextensions' OpenAPI builder makes
    them: the version's schema with ``apiVersion`` and ``kind`` as TypeMeta has them and ``metadata``
    pointing at ObjectMeta (ListMeta for the list); in v2, a schema preserving unknown fields at its
    root is only ``type: object``, since kubectl would refuse any field not listed."""
    prefix = _V3_PREFIX if v3 else _V2_PREFIX

    def meta(name: str) -> Schema:
        return {"allOf": [{"$ref": prefix + name}]} if v3 else {"$ref": prefix + name}

    source: Mapping[str, Any] = res.schema or {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    schema: Schema = orjson.loads(orjson.dumps(source))  # private deep copy
    if not v3 and schema.get("x-kubernetes-preserve-unknown-fields") is True:
        schema = {"type": "object"}
    else:
        if v3:
            _unfold(schema)
        else:
            schema = _custom_v2(schema)
        schema.setdefault("type", "object")
        properties = dict(schema.get("properties") or {})
        properties["apiVersion"] = {"type": "string"}
        properties["kind"] = {"type": "string"}
        properties["metadata"] = meta(OBJECT_META)
        schema["properties"] = properties
        _add_embedded_children(schema, meta(OBJECT_META), v3=v3)
    schema["x-kubernetes-group-version-kind"] = [{"group": res.group, "kind": res.kind, "version": res.version}]
    out = {obj_def: schema}
    if list_def:
        out[list_def] = {
            "type": "object",
            "required": ["items"],
            "properties": {
                "apiVersion": {"type": "string"},
                "items": {"type": "array", "items": {"$ref": prefix + obj_def}},
                "kind": {"type": "string"},
                "metadata": meta(LIST_META),
            },
            "x-kubernetes-group-version-kind": [
                {"group": res.group, "kind": res.list_kind or f"{res.kind}List", "version": res.version}
            ],
        }
    return out


def _add_embedded_children(schema: Schema, meta: Schema, *, v3: bool) -> None:
    """Embedded resources below the root (the root is the resource itself, with its own TypeMeta)."""
    for name, sub in schema["properties"].items():
        if name not in ("apiVersion", "kind", "metadata"):
            _add_embedded(sub, meta, v3=v3)
    for key in ("items", "additionalProperties"):
        _add_embedded(schema.get(key), meta, v3=v3)


def _register_custom(resources: Iterable[ResourceInfo], defs: _Definitions, *, v3: bool) -> None:
    for res in resources:
        if not _is_custom(res, defs):
            continue
        obj_def = _resource_definition(res, defs)
        list_def = _list_definition(res, obj_def, defs) if "list" in res.verbs else None
        defs.custom.update(_custom_schemas(res, obj_def, list_def, v3=v3))
