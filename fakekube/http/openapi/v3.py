"""``/openapi/v3``: the index and one OpenAPI 3.0 document per group-version, group and discovery root."""

from __future__ import annotations

from typing import Any

from fakekube.http.openapi.cache import _INDEX_CACHE, _V3_CACHE, _key
from fakekube.http.openapi.constants import DISCOVERY_PATHS
from fakekube.http.openapi.custom import _register_custom
from fakekube.http.openapi.definitions import _Definitions, _definitions_for
from fakekube.http.openapi.paths import _resource_routes, _sorted_resources
from fakekube.http.openapi.render import _dumps, _render_v3_paths, _security, document_hash
from fakekube.http.openapi.routes import _group_discovery_route, _group_version_discovery_route, _root_routes, _Route
from fakekube.http.openapi.v2 import emulation_version
from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo


def v3_document_paths(catalog: Catalog) -> list[str]:
    """The documents the v3 index lists: "api", "api/v1", "apis", "apis/<group>", "apis/<group>/<version>", ..."""
    out = list(DISCOVERY_PATHS)
    for group, versions in catalog.group_versions().items():
        if group and group not in _custom_only_groups(catalog):
            out.append(f"apis/{group}")
        out.extend(f"apis/{group}/{v}" if group else f"api/{v}" for v in versions)
    return sorted(out)


def _custom_only_groups(catalog: Catalog) -> set[str]:
    """Groups served by CRDs alone: kube-apiserver has no ``apis/<group>`` document for them (apiextensions'
    group discovery is a plain HTTP handler, not an OpenAPI route), only one per served version."""
    custom = {res.group for res in catalog.resources() if res.is_custom}
    return custom - {res.group for res in catalog.resources() if not res.is_custom}


def _document_scope(catalog: Catalog, path: str) -> tuple[str, str | None, list[ResourceInfo]] | None:
    """(kind of document, group, resources it describes) for a v3 document path; None when not served."""
    parts = path.strip("/").split("/")
    if len(parts) == 1 and parts[0] in DISCOVERY_PATHS:
        return (parts[0], None, [])
    if len(parts) == 2 and parts[0] == "api":
        resources = catalog.resources_in("", parts[1])
        return ("group-version", "", resources) if resources else None
    if len(parts) == 2 and parts[0] == "apis":
        group = parts[1]
        if group and any(res.group == group and not res.is_custom for res in catalog.resources()):
            return ("group", group, [])
        return None
    if len(parts) == 3 and parts[0] == "apis" and parts[1]:
        resources = catalog.resources_in(parts[1], parts[2])
        return ("group-version", parts[1], resources) if resources else None
    return None


def _build_v3(kubernetes_version: str, kind: str, group: str | None, path: str,
              resources: list[ResourceInfo]) -> bytes:
    defs = _Definitions(kubernetes_version)
    routes: list[_Route] = []
    if kind == "group-version":
        assert group is not None
        version = path.rsplit("/", 1)[-1]
        _register_custom(resources, defs, v3=True)
        if not all(res.is_custom for res in resources):
            routes.append(_group_version_discovery_route(group, version))
        for res in _sorted_resources(resources):
            routes.extend(_resource_routes(res, defs))
    elif kind == "group":
        assert group is not None
        routes.append(_group_discovery_route(group))
    else:
        routes.extend(_root_routes(kind))
    security_schemes, _ = _security()
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": emulation_version(kubernetes_version)},
        "paths": _render_v3_paths(routes),
        "components": {
            "schemas": _definitions_for(routes, defs, (), v3=True),
            "securitySchemes": security_schemes,
        },
    }
    return _dumps(document)


def build_v3_document(catalog: Catalog, path: str) -> bytes | None:
    """The OpenAPI 3.0 document ``/openapi/v3/<path>`` (e.g. "apis/apps/v1", "api/v1"); None if not served."""
    scope = _document_scope(catalog, path)
    if scope is None:
        return None
    kind, group, resources = scope
    normalized = path.strip("/")
    key = (_key(catalog.kubernetes_version, resources), normalized)
    cached: bytes | None = _V3_CACHE.get(key)
    if cached is not None:
        return cached
    data = _build_v3(catalog.kubernetes_version, kind, group, normalized, resources)
    _V3_CACHE.put(key, data)
    return data


def build_v3_index(catalog: Catalog) -> bytes:
    """The ``/openapi/v3`` index: every document with its ``serverRelativeURL`` carrying the content hash."""
    key = _key(catalog.kubernetes_version, catalog.resources())
    cached: bytes | None = _INDEX_CACHE.get(key)
    if cached is not None:
        return cached
    paths: dict[str, Any] = {}
    for path in v3_document_paths(catalog):
        data = build_v3_document(catalog, path)
        if data is None:  # pragma: no cover - v3_document_paths lists served documents only
            continue
        paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={document_hash(data)}"}
    data = _dumps({"paths": paths})
    _INDEX_CACHE.put(key, data)
    return data
