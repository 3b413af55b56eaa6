"""Routes: one HTTP operation each, independent of the OpenAPI version that renders it.

Also the naming rules kube-apiserver uses for operation ids and tags, and the routes of the
discovery documents (``/api/``, ``/apis/``, ``/apis/<group>/``, ``/version/`` and each group-version).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fakekube.http.openapi.constants import (
    ANY,
    API_GROUP,
    API_GROUP_LIST,
    API_RESOURCE_LIST,
    API_VERSIONS,
    GROUP_DISCOVERY_MEDIA_TYPES,
    JSON,
    OBJECT_MEDIA_TYPES,
    VERSION_INFO,
    Schema,
    _Param,
    _ref2,
)


@dataclass
class _Route:
    path: str
    method: str  # lower-case HTTP method
    operation_id: str
    tag: str
    params: tuple[_Param, ...]
    produces: tuple[str, ...]
    responses: tuple[tuple[int, Schema | None], ...]
    consumes: tuple[str, ...] = (ANY,)
    action: str | None = None
    gvk: tuple[str, str, str] | None = None
    body: Schema | None = None
    body_required: bool = True

    def gvk_object(self) -> dict[str, str] | None:
        if self.gvk is None:
            return None
        return {"group": self.gvk[0], "kind": self.gvk[2], "version": self.gvk[1]}


def _valid_id(text: str, capitalize_first: bool) -> str:
    """An identifier made of ``text``'s letters and digits, a capital after each dropped character."""
    out: list[str] = []
    capitalize = capitalize_first
    for i, ch in enumerate(text):
        if ch.isalpha() or ch == "_" or (i and ch.isdigit()):
            out.append(ch.upper() if capitalize else ch)
            capitalize = False
        else:
            capitalize = True
    return "".join(out)


def _group_id(group: str) -> str:
    return "core" if not group else group.removesuffix(".k8s.io")


def _operation_prefix(group: str, version: str) -> str:
    return _valid_id(_group_id(group), True) + _valid_id(version, True)


def _tag(group: str, version: str | None = None) -> str:
    tag = _valid_id(_group_id(group), False)
    return f"{tag}_{_valid_id(version, False)}" if version else tag


def _api_root(group: str, version: str) -> str:
    return f"/apis/{group}/{version}" if group else f"/api/{version}"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _responses(codes: Iterable[int], schema: Schema | None) -> tuple[tuple[int, Schema | None], ...]:
    return (*((code, schema) for code in codes), (401, None))


def _group_version_discovery_route(group: str, version: str) -> _Route:
    return _Route(
        path=_api_root(group, version) + "/", method="get",
        operation_id=f"get{_operation_prefix(group, version)}APIResources", tag=_tag(group, version), params=(),
        produces=OBJECT_MEDIA_TYPES, consumes=OBJECT_MEDIA_TYPES,
        responses=_responses([200], _ref2(API_RESOURCE_LIST)),
    )


def _group_discovery_route(group: str) -> _Route:
    return _Route(
        path=f"/apis/{group}/", method="get", operation_id=f"get{_valid_id(_group_id(group), True)}APIGroup",
        tag=_tag(group), params=(), produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
        responses=_responses([200], _ref2(API_GROUP)),
    )


def _root_routes(name: str) -> list[_Route]:
    if name == "api":
        return [_Route(path="/api/", method="get", operation_id="getCoreAPIVersions", tag="core", params=(),
                       produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
                       responses=_responses([200], _ref2(API_VERSIONS)))]
    if name == "apis":
        return [_Route(path="/apis/", method="get", operation_id="getAPIVersions", tag="apis", params=(),
                       produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
                       responses=_responses([200], _ref2(API_GROUP_LIST)))]
    if name == "version":
        return [_Route(path="/version/", method="get", operation_id="getCodeVersion", tag="version", params=(),
                       produces=(JSON,), consumes=(JSON,), responses=_responses([200], _ref2(VERSION_INFO)))]
    return []
