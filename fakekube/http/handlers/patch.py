"""PATCH (kube's ``handlers/patch.go``): a JSON, merge or strategic merge patch of an object or of one of
its writable subresources; the registry applies it to the object as stored."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from fakekube import errors
from fakekube.http.handlers.responses import read_raw, respond_object
from fakekube.http.handlers.scope import has_view, object_write, write_context
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState
from fakekube.registry.resources import ResourceInfo

PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
}


async def patch(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res, output = object_write(request, info, "patch")
    patch_type, body = await read_patch(request, res)
    result = cluster.registry.patch(write_context(request, info, "PatchOptions"), res, info.object_namespace,
                                    info.name, patch_type, body, info.subresource or None)
    return respond_object(request, res, result.data, output, cluster.registry.clock(), 200, result.warnings,
                          own_kind=not has_view(info))


async def read_patch(request: web.Request, res: ResourceInfo) -> tuple[str, Any]:
    """The patch type and document; custom resources have no strategic merge patch, as upstream."""
    content_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/apply-patch+yaml":
        raise errors.patch_not_supported(content_type)  # server-side apply comes with field management
    patch_type = PATCH_TYPES.get(content_type)
    if patch_type is None or (patch_type == "strategic" and res.is_custom):
        accepted = [t for t, kind in PATCH_TYPES.items() if kind != "strategic" or not res.is_custom]
        raise errors.unknown_patch_type([*accepted, "application/apply-patch+yaml"])
    raw = await read_raw(request)
    try:
        return patch_type, orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.patch_decode_error(str(exc)) from None
