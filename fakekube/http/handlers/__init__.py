"""The verb handlers, one module per verb as kube-apiserver's ``endpoints/handlers``, and the dispatch
onto them.

A handler gets the request, its ``RequestInfo`` (built once by the filter chain) and the cluster's
``ClusterState``; it checks what the path's routes allow, builds the registry ``Context``, calls the
registry and renders the answer.  No API semantics live here, and no resource or subresource is
special-cased: every kind's behaviour is in the registry and its strategy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from fakekube import errors
from fakekube.http import negotiation
from fakekube.http.handlers import create, delete, get, nonresource, patch, update, watch
from fakekube.http.handlers import list as list_
from fakekube.http.requestinfo import RequestInfo, restful_claimed
from fakekube.http.state import ClusterState

VerbHandler = Callable[[web.Request, RequestInfo, ClusterState], Awaitable[web.StreamResponse]]

HANDLERS: Mapping[str, VerbHandler] = {
    "get": get.get,
    "list": list_.list_collection,
    "watch": watch.watch,
    "create": create.create,
    "update": update.update,
    "patch": patch.patch,
    "delete": delete.delete,
    "deletecollection": delete.delete_collection,
}
# kube also names HEAD "get" and any method on a /watch/ path "watch", but it routes only GET to them.
READ_VERBS = frozenset({"get", "list", "watch"})


async def dispatch(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    """Serve a request with the handler of its verb."""
    if not info.is_resource_request:
        return await nonresource.serve(request, info, cluster)
    if info.res is None:
        raise _not_served(info, cluster)
    handler = HANDLERS.get(info.verb)
    if handler is None or (info.verb in READ_VERBS and request.method != "GET"):
        raise errors.method_not_allowed()
    if not info.res.is_custom and _routed(info):
        negotiation.check_route(info.verb, request.method, request.headers.get("Content-Type"),
                                request.headers.get("Accept"))
    return await handler(request, info, cluster)


def _not_served(info: RequestInfo, cluster: ClusterState) -> errors.StatusError:
    """The 404 of a resource path nothing serves: go-restful's generic Status inside a built-in group; in a
    custom resource's group the CRD handler names the object when only the subresource is unknown, and
    passes anything else on to Go's plain-text 404."""
    if restful_claimed(info.path, cluster.catalog):
        return errors.not_found_path()
    res = cluster.catalog.get(info.api_group, info.api_version, info.resource)
    if (res is not None and res.is_custom and info.name and info.subresource
            and res.subresource(info.subresource) is None and res.namespaced == bool(info.namespace)):
        return errors.not_found(info.resource, info.api_group, info.name)
    return errors.page_not_found()


def _routed(info: RequestInfo) -> bool:
    """Whether the resource (or subresource) has a route for the verb, so go-restful's checks of that route
    come before the handler's own (without one, the handler answers 405)."""
    assert info.res is not None
    sub = info.res.subresource(info.subresource) if info.subresource else None
    verbs = sub.verbs if sub is not None else info.res.verbs
    return info.verb in verbs
