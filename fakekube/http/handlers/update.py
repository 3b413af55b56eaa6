"""PUT (kube's ``handlers/update.go``): replace an object, or write it through a subresource
(``/status``, ``/scale``, ``/finalize``); a PUT of an object that does not exist creates it where the
kind allows that (201)."""

from __future__ import annotations

from aiohttp import web

from fakekube.http.handlers.responses import read_object_body, respond_object
from fakekube.http.handlers.scope import has_view, object_write, write_context
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState


async def update(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res, output = object_write(request, info, "update")
    ctx = write_context(request, info, "UpdateOptions")
    body, strict_warnings = await read_object_body(request, res, ctx.field_validation,
                                                   None if has_view(info) else cluster.catalog)
    result = cluster.registry.update(ctx, res, info.object_namespace, info.name, body, info.subresource or None)
    return respond_object(request, res, result.data, output, cluster.registry.clock(),
                          201 if result.created else 200, [*strict_warnings, *result.warnings],
                          own_kind=not has_view(info))
