"""DELETE (kube's ``handlers/delete.go``): one object, or every object of a collection that the
selectors match (``deletecollection``), answered with the deleted objects."""

from __future__ import annotations

from aiohttp import web

from fakekube.http import negotiation
from fakekube.http.handlers.responses import respond_list, respond_object
from fakekube.http.handlers.scope import (
    object_output,
    require_namespace,
    require_registry_subresource,
    require_verb,
    resource_of,
)
from fakekube.http.options import delete_options, int_param, list_options, send_initial_events
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState
from fakekube.registry import listing
from fakekube.registry.context import Context


async def delete(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    output = object_output(request)
    require_registry_subresource(info)
    require_verb(info, "delete")
    dry_run, opts = await delete_options(request, cluster)
    result = cluster.registry.delete(Context(user=info.user, dry_run=dry_run), res, info.object_namespace, info.name,
                                     opts)
    return respond_object(request, res, result.data, output, cluster.registry.clock(), 202 if result.accepted else 200,
                          result.warnings)


async def delete_collection(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    require_namespace(info)
    require_verb(info, "deletecollection")
    output = negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadataList")
    dry_run, opts = await delete_options(request, cluster)
    query = request.query
    # ListOptions are decoded and validated (ValidateListOptions) before anything is deleted.
    listing.validate_list_options(list_options(request), watch=False, send_initial_events=send_initial_events(request))
    selection = listing.ListOptions(query.get("labelSelector", ""), query.get("fieldSelector", ""),
                                    limit=int_param(query, "limit"))
    deleted = listing.delete_collection(cluster.registry, Context(user=info.user, dry_run=dry_run), res,
                                        info.object_namespace or None, selection, opts)
    return respond_list(request, res, deleted, output, cluster.registry.clock())
