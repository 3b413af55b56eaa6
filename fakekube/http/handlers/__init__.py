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
from fakekube.http.handlers import create, delete, get, nonresource, patch, update, watch
from fakekube.http.handlers import list as list_
from fakekube.http.requestinfo import RequestInfo
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
        raise errors.not_found_path()
    handler = HANDLERS.get(info.verb)
    if handler is None or (info.verb in READ_VERBS and request.method != "GET"):
        raise errors.method_not_allowed()
    return await handler(request, info, cluster)
