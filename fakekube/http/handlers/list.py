"""GET of a collection (kube's ``handlers/get.go``, ``ListResource``): one page of objects, as a list, a
``Table`` or metadata only."""

from __future__ import annotations

from aiohttp import web

from fakekube.http import negotiation
from fakekube.http.handlers.responses import respond_list
from fakekube.http.handlers.scope import require_verb, resource_of
from fakekube.http.options import list_options, send_initial_events
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState
from fakekube.registry import listing


async def list_collection(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    require_verb(info, "list")
    output = negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadataList")
    opts = list_options(request)
    listing.validate_list_options(opts, watch=False, send_initial_events=send_initial_events(request))
    result = listing.list_objects(cluster.registry.store, res, info.object_namespace or None, opts)
    return respond_list(request, res, result, output, cluster.registry.clock())
