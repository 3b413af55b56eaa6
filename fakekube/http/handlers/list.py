"""GET of a collection (kube's ``handlers/get.go``, ``ListResource``): one page of objects, as a list, a
``Table`` or metadata only."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from fakekube.http import negotiation, tables
from fakekube.http.handlers.responses import respond
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
    if output.kind == "Table":
        items = [orjson.loads(item) for item in result.items]
        body = tables.render_table(res.strategy.columns, items, str(result.revision), result.continue_token,
                                   request.query.get("includeObject", "Metadata"), output.version,
                                   now=cluster.registry.clock())
        return respond(request, body, negotiation.Output())
    if output.kind == "PartialObjectMetadataList":
        meta: dict[str, Any] = {"resourceVersion": str(result.revision)}
        if result.continue_token:
            meta["continue"] = result.continue_token
        if result.remaining is not None:
            meta["remainingItemCount"] = result.remaining
        items = [negotiation.partial_metadata(orjson.loads(item), output.version) for item in result.items]
        return respond(request, {"kind": "PartialObjectMetadataList", "apiVersion": f"meta.k8s.io/{output.version}",
                                 "metadata": meta, "items": items}, negotiation.Output())
    return respond(request, listing.render_list(res, result), output)
