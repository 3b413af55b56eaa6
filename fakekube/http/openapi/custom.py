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
    kube-apiserver publishes CRDs in /openapi/v2: no oneOf/anyOf/allOf/not, and nothing kubectl's
    client-side validation would wrongly reject (nullable or unknown-field-preserving nodes lose their
    type or sub-schemas, arrays without items lose their type)."""
    if isinstance(node, list):
        return [_custom_v2(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    for key, value in node.items():
        if key in ("oneOf", "anyOf", "allOf", "not", "nullable"):
            continue
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: _custom_v2(sub) for name, sub in value.items()}
        elif key == "additionalProperties" and isinstance(value, dict):
            # map values may be null without losing their schema
            out[key] = _custom_v2({k: v for k, v in value.items() if k != "nullable"})
        else:
            out[key] = _custom_v2(value)
    if node.get("nullable") is True:
        for key in ("type", "items", "properties"):
            out.pop(key, None)
    if node.get("x-kubernetes-preserve-unknown-fields") is True:
        out.pop("items", None)
        out.pop("properties", None)
    if node.get("x-kubernetes-int-or-string") is True or (out.get("type") == "array" and
                                                           not isinstance(out.get("items"), dict)):
        out.pop("type", None)
    if isinstance(out.get("items"), list):  # tuple-style items do not exist in structural schemas
        out.pop("items")
    properties = node.get("properties")
    if isinstance(properties, dict) and isinstance(out.get("required"), list):
        nullable = {name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("nullable") is True}
        out["required"] = [name for name in out["required"] if name not in nullable]
        if not out["required"]:
            del out["required"]
    return out


def _custom_schemas(res: ResourceInfo, obj_def: str, list_def: str | None, *, v3: bool) -> dict[str, Schema]:
    """The object (and list) definitions of a custom resource, metadata pointing at ObjectMeta/ListMeta."""
    prefix = _V3_PREFIX if v3 else _V2_PREFIX
    source: Mapping[str, Any] = res.schema or {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    schema: Schema = orjson.loads(orjson.dumps(source))  # private deep copy
    if not v3:
        schema = _custom_v2(schema)
    schema.setdefault("type", "object")
    properties = dict(schema.get("properties") or {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})

    def meta(name: str) -> Schema:
        return {"allOf": [{"$ref": prefix + name}]} if v3 else {"$ref": prefix + name}

    properties["metadata"] = meta(OBJECT_META)
    schema["properties"] = properties
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


def _register_custom(resources: Iterable[ResourceInfo], defs: _Definitions, *, v3: bool) -> None:
    for res in resources:
        if not _is_custom(res, defs):
            continue
        obj_def = _resource_definition(res, defs)
        list_def = _list_definition(res, obj_def, defs) if "list" in res.verbs else None
        defs.custom.update(_custom_schemas(res, obj_def, list_def, v3=v3))
