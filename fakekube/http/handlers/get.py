"""GET of one object or of one of its subresources (kube's ``handlers/get.go``).

Objects can be answered as themselves, as a ``Table`` (``kubectl get``) or as metadata only.  A
subresource with a view of its own (``/scale`` shows a Scale) is answered as that view.
"""

from __future__ import annotations

from aiohttp import web

from fakekube.http.handlers.responses import respond_object
from fakekube.http.handlers.scope import (
    has_view,
    object_output,
    read_context,
    require_registry_subresource,
    require_verb,
    resource_of,
)
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState


async def get(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    output = object_output(request)
    require_registry_subresource(info)
    require_verb(info, "get")
    sub = info.subresource or None
    data = cluster.registry.get(read_context(info), res, info.object_namespace, info.name, sub)
    return respond_object(request, res, data, output, cluster.registry.clock(), own_kind=not has_view(info))

