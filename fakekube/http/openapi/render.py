"""Rendering routes as OpenAPI ``paths`` (v2 and v3), and what every document shares: serialization,
its hash and the security scheme.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from fakekube.http.openapi.constants import _V2_PREFIX, _V3_PREFIX, STATUS_TEXT, Schema, _Param
from fakekube.http.openapi.routes import _Route


def _split_common(routes: list[_Route]) -> tuple[list[_Param], dict[int, list[_Param]]]:
    """Parameters shared by every operation of a path move to the path; the rest stay on the operations."""
    common = set(routes[0].params)
    for route in routes[1:]:
        common &= set(route.params)
    shared = sorted(common, key=lambda p: p.sort_key)
    own = {id(route): sorted((p for p in route.params if p not in common), key=lambda p: p.sort_key)
           for route in routes}
    return shared, own


def _by_path(routes: Iterable[_Route]) -> dict[str, list[_Route]]:
    grouped: dict[str, list[_Route]] = {}
    for route in routes:
        grouped.setdefault(route.path, []).append(route)
    return grouped


def _param_v2(param: _Param) -> Schema:
    out: Schema = {"in": param.location, "name": param.name, "type": param.type, "uniqueItems": True}
    if param.required:
        out["required"] = True
    return out


def _param_v3(param: _Param) -> Schema:
    out: Schema = {"in": param.location, "name": param.name, "schema": {"type": param.type, "uniqueItems": True}}
    if param.required:
        out["required"] = True
    return out


def _extensions(route: _Route, op: Schema) -> None:
    if route.action:
        op["x-kubernetes-action"] = route.action
    gvk = route.gvk_object()
    if gvk is not None:
        op["x-kubernetes-group-version-kind"] = gvk


def _render_v2_paths(routes: Iterable[_Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, group in _by_path(routes).items():
        shared, own = _split_common(group)
        item: Schema = {}
        if shared:
            item["parameters"] = [_param_v2(p) for p in shared]
        for route in group:
            params = [_param_v2(p) for p in own[id(route)]]
            if route.body is not None:
                body: Schema = {"in": "body", "name": "body", "schema": route.body}
                if route.body_required:
                    body["required"] = True
                params.append(body)
                params.sort(key=lambda p: (p["name"], p["in"]))
            op: Schema = {
                "consumes": list(route.consumes),
                "operationId": route.operation_id,
                "produces": list(route.produces),
                "responses": {
                    str(code): ({"description": STATUS_TEXT[code], "schema": schema} if schema is not None
                                else {"description": STATUS_TEXT[code]})
                    for code, schema in route.responses
                },
                "schemes": ["https"],
                "tags": [route.tag],
            }
            if params:
                op["parameters"] = params
            _extensions(route, op)
            item[route.method] = op
        paths[path] = item
    return paths


def _to_v3(schema: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_V2_PREFIX):
        return {"$ref": _V3_PREFIX + ref[len(_V2_PREFIX):]}
    return dict(schema)


def _render_v3_paths(routes: Iterable[_Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, group in _by_path(routes).items():
        shared, own = _split_common(group)
        item: Schema = {}
        if shared:
            item["parameters"] = [_param_v3(p) for p in shared]
        for route in group:
            op: Schema = {
                "operationId": route.operation_id,
                "responses": {},
                "tags": [route.tag],
            }
            for code, schema in route.responses:
                response: Schema = {"description": STATUS_TEXT[code]}
                if schema is not None:
                    converted = _to_v3(schema)
                    response["content"] = {media: {"schema": converted} for media in route.produces}
                op["responses"][str(code)] = response
            params = [_param_v3(p) for p in own[id(route)]]
            if params:
                op["parameters"] = params
            if route.body is not None:
                converted = _to_v3(route.body)
                op["requestBody"] = {"content": {media: {"schema": converted} for media in route.consumes}}
                if route.body_required:
                    op["requestBody"]["required"] = True
            _extensions(route, op)
            item[route.method] = op
        paths[path] = item
    return paths


def _dumps(document: Mapping[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def document_hash(data: bytes) -> str:
    """The hash kube-apiserver puts in ``serverRelativeURL`` and the ETag: uppercase hex SHA-512."""
    return hashlib.sha512(data).hexdigest().upper()


def _security() -> tuple[dict[str, Any], list[dict[str, list[str]]]]:
    # the description is kube-apiserver's own wording of its scheme (``pkg/controlplane/apiserver``), not API docs
    scheme = {"BearerToken": {"description": "Bearer Token authentication", "in": "header", "name": "authorization",
                              "type": "apiKey"}}
    return scheme, [{"BearerToken": []}]
