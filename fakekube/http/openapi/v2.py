"""The Swagger 2.0 document of ``/openapi/v2``, as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fakekube.http.openapi.cache import _V2_CACHE, _Key, _key
from fakekube.http.openapi.constants import BASE_DEFINITIONS
from fakekube.http.openapi.custom import _register_custom
from fakekube.http.openapi.definitions import _Definitions, _definitions_for
from fakekube.http.openapi.paths import _resource_routes, _sorted_resources
from fakekube.http.openapi.render import _dumps, _render_v2_paths, _security
from fakekube.http.openapi.routes import _group_discovery_route, _group_version_discovery_route, _root_routes, _Route
from fakekube.registry.catalog import Catalog, version_priority
from fakekube.registry.resources import ResourceInfo


def _group_versions(resources: Iterable[ResourceInfo]) -> dict[str, list[str]]:
    groups: dict[str, set[str]] = {}
    for res in resources:
        groups.setdefault(res.group, set()).add(res.version)
    return {g: sorted(vs, key=version_priority, reverse=True) for g, vs in sorted(groups.items())}


def emulation_version(kubernetes_version: str) -> str:
    """The ``info.version`` kube-apiserver writes: its emulation version, major.minor without the "v" ("1.37")."""
    return ".".join(kubernetes_version.lstrip("v").split(".")[:2])


def _v2_document(key: _Key, git_version: str) -> dict[str, Any]:
    resources = _sorted_resources(key.resources)
    defs = _Definitions(key.kubernetes_version)
    _register_custom(resources, defs, v3=False)
    routes: list[_Route] = []
    routes.extend(_root_routes("api"))
    routes.extend(_root_routes("apis"))
    routes.extend(_root_routes("version"))
    # The discovery routes of a group only CRDs serve are not OpenAPI routes upstream (apiextensions'
    # discovery handlers are plain HTTP handlers), so no document lists them.
    for group, versions in _group_versions(res for res in resources if not res.is_custom).items():
        if group:
            routes.append(_group_discovery_route(group))
        for version in versions:
            routes.append(_group_version_discovery_route(group, version))
    for res in resources:
        routes.extend(_resource_routes(res, defs))
    security_definitions, security = _security()
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": emulation_version(key.kubernetes_version)},
        "paths": _render_v2_paths(routes),
        "definitions": _definitions_for(routes, defs, BASE_DEFINITIONS, v3=False),
        "securityDefinitions": security_definitions,
        "security": security,
    }


def build_v2(catalog: Catalog, git_version: str) -> bytes:
    """The Swagger 2.0 document of ``/openapi/v2`` for everything ``catalog`` serves (JSON bytes)."""
    key = (_key(catalog.kubernetes_version, catalog.resources()), git_version)
    cached: bytes | None = _V2_CACHE.get(key)
    if cached is not None:
        return cached
    data = _dumps(_v2_document(key[0], git_version))
    _V2_CACHE.put(key, data)
    return data
