"""GET of one object or of one of its subresources (kube's ``handlers/get.go``).

Objects can be answered as themselves, as a ``Table`` (``kubectl get``) or as metadata only.  A
subresource with a view of its own (``/scale`` shows a Scale) is answered as that view.
"""

from __future__ import annotations

import orjson
from aiohttp import web

from fakekube.http import negotiation, tables
from fakekube.http.handlers.responses import respond
from fakekube.http.handlers.scope import read_context, require_registry_subresource, require_verb, resource_of
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState


async def get(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    output = negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadata")
    require_registry_subresource(info)
    require_verb(info, "get")
    sub = info.subresource or None
    data = cluster.registry.get(read_context(info), res, info.object_namespace, info.name, sub)
    if sub is not None:
        strategy = res.subresource_strategy(sub)
        if strategy is not None and strategy.view is not None:  # another kind than the resource's
            return respond(request, data, output)
    if output.kind == "PartialObjectMetadata":
        return respond(request, negotiation.partial_metadata(orjson.loads(data), output.version), negotiation.Output())
    if output.kind == "Table":
        obj = orjson.loads(data)
        rv = obj["metadata"].get("resourceVersion", "")
        return respond(request, tables.render_table(res.strategy.columns, [obj], rv,
                                                    include_object=request.query.get("includeObject", "Metadata"),
                                                    version=output.version, now=cluster.registry.clock()),
                       negotiation.Output())
    return respond(request, data, output)
