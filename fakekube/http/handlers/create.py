"""POST (kube's ``handlers/create.go``): a new object in a collection, or a create through a named
object's subresource (``pods/{name}/binding``), which writes that object."""

from __future__ import annotations

from aiohttp import web

from fakekube import errors
from fakekube.http.handlers.responses import read_body, read_object_body, respond_object
from fakekube.http.handlers.scope import (
    object_output,
    require_namespace,
    require_registry_subresource,
    require_verb,
    resource_of,
    write_context,
)
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState


async def create(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    if not info.name:
        require_namespace(info)
        require_verb(info, "create")
        output = object_output(request)
        ctx = write_context(request, info, "CreateOptions")
        body, strict_warnings = await read_object_body(request, res, ctx.field_validation, cluster.catalog)
        result = cluster.registry.create(ctx, res, info.object_namespace, body)
        return respond_object(request, res, result.data, output, cluster.registry.clock(), 201,
                              [*strict_warnings, *result.warnings])
    output = object_output(request)
    if not info.subresource:  # an object has no POST route of its own
        raise errors.method_not_allowed()
    require_registry_subresource(info)
    require_verb(info, "create")
    body = await read_body(request)
    result = cluster.registry.create(write_context(request, info, "CreateOptions"), res, info.object_namespace, body,
                                     name=info.name, subresource=info.subresource)
    return respond_object(request, res, result.data, output, cluster.registry.clock(), 201, result.warnings)
