"""The filter chain every request passes before its verb handler, as kube-apiserver's
``DefaultBuildHandlerChain`` (``endpoints/filters``, ``server/filters``).

A filter has aiohttp's middleware signature, ``async (request, handler) -> response``: it may look at
or change the request, answer it itself, or call ``handler`` (the rest of the chain) and look at the
response.  Filters that need the cluster are made per app by a function taking its ``ClusterState``.

The order, outermost first; the filters still to come have their place reserved:

1. ``request_info``: works out the ``RequestInfo`` (verb, namespace, resource...) and stores it as
   ``request[REQUEST_INFO_KEY]``; every later filter and the handler read it (kube's WithRequestInfo).
2. ``request_log``: one log line per request, with its verb and status (only with ``log_requests``).
3. authentication (to come): who is asking; replaces the info's ``user`` with
   ``dataclasses.replace`` and stores it again (WithAuthentication).
4. audit / recording (to come): records each request and its answer (WithAudit).
5. impersonation (to come): ``Impersonate-*`` headers (WithImpersonation).
6. authorization (to come): may this user do this verb on this resource (WithAuthorization).
7. fault injection (to come): errors or delays that tests ask for.
8. the ``filters`` given to ``make_app``/``serve``, innermost, just before the handler: the hook for
   tests and embedders.

Errors: every link of the chain turns an exception into the ``Status`` a client would get
(``answering``), so each filter sees a response from everything inside it, as in kube-apiserver where
a failing filter or handler writes its own error; a filter's own ``StatusError`` becomes a ``Status``
at the link just outside it.  aiohttp's HTTP exceptions (redirects) and cancellation pass through.

Cost: the chain is composed once per app into the single route handler, so a request pays one call
per filter and per link.  aiohttp's own ``middlewares=[...]`` would wrap the same functions through a
per-request cache lookup plus its ``current_app`` middleware on top.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from aiohttp import web

from fakekube.http.handlers.responses import error_response, warning_header
from fakekube.http.requestinfo import RequestInfo, request_info
from fakekube.http.state import ClusterState

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Filter = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]

if TYPE_CHECKING or hasattr(web, "RequestKey"):
    REQUEST_INFO_KEY: web.RequestKey[RequestInfo] = web.RequestKey("fakekube.request_info", RequestInfo)
else:  # aiohttp before 3.13 has string keys only
    REQUEST_INFO_KEY = "fakekube.request_info"

if TYPE_CHECKING or hasattr(web, "RequestKey"):
    WARNINGS_KEY: web.RequestKey[list[str]] = web.RequestKey("fakekube.warnings", list)
else:  # aiohttp before 3.13 has string keys only
    WARNINGS_KEY = "fakekube.warnings"

log = logging.getLogger("fakekube.requests")


def request_info_filter(cluster: ClusterState) -> Filter:
    """The first filter: the request's ``RequestInfo``, resolved against the cluster's catalog.  A request to
    a deprecated custom resource version records the version's warning (the CRD handler's
    ``warning.AddWarning``); ``write_warnings``, the app's ``on_response_prepare`` hook, puts recorded
    warnings first among the ``Warning`` headers of whatever answers the request (an object, an error, a
    watch stream), as kube's warning recorder writes them."""

    @web.middleware
    async def with_request_info(request: web.Request, handler: Handler) -> web.StreamResponse:
        info = request[REQUEST_INFO_KEY] = request_info(request.method, request.path, request.query, cluster.catalog)
        if info.res is not None and info.res.deprecation_warning:  # no filter of its own: no await per request
            request[WARNINGS_KEY] = [info.res.deprecation_warning]
        return await handler(request)

    return with_request_info


@web.middleware
async def request_log(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``GET /api/v1/pods -> 200 list (0.4 ms)``; the verb is kube's, the status what the client got."""
    started = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # a redirect
        _log(request, exc.status, started)
        raise
    _log(request, response.status, started, response)
    return response


def _log(request: web.Request, status: int, started: float, response: web.StreamResponse | None = None) -> None:
    """The text line, and the same facts as fields (``record.request``) for a structured log: ``fakekube
    serve --log-format json`` writes them as one JSON object per line."""
    info = request.get(REQUEST_INFO_KEY)
    verb = info.verb if info is not None else ""
    duration = (time.perf_counter() - started) * 1000
    fields = {"method": request.method, "path": request.path_qs, "status": status, "verb": verb,
              "duration_ms": round(duration, 3), "user_agent": request.headers.get("User-Agent", ""),
              "bytes": _body_bytes(response)}
    log.info("%s %s -> %s %s (%.1f ms)", request.method, request.path_qs, status, verb, duration,
             extra={"verb": verb, "status": status, "request": fields})


def _body_bytes(response: web.StreamResponse | None) -> int | None:
    """The body's size: a plain answer's length, or what a streamed one (a watch) has written, its chunked
    framing included; None when unknown."""
    if response is None:
        return None
    if response.prepared:
        return response.body_length
    return response.content_length


async def write_warnings(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: the warnings recorded for the request, ahead of the handler's own and
    without repeating a text, in any answer just before its headers are sent."""
    recorded = request.get(WARNINGS_KEY)
    if not recorded:
        return
    values = [v for v in (warning_header(text) for text in recorded) if v is not None]
    later = response.headers.getall("Warning", [])
    response.headers.popall("Warning", None)
    for value in dict.fromkeys([*values, *later]):
        response.headers.add("Warning", value)


def standard_filters(cluster: ClusterState, *, log_requests: bool = False,
                     extra: Sequence[Filter] = ()) -> list[Filter]:
    """The filters of one app, outermost first (see the module docstring for the places reserved)."""
    filters: list[Filter] = [request_info_filter(cluster)]
    if log_requests:
        filters.append(request_log)
    filters.extend(extra)
    return filters


def build_chain(endpoint: Handler, filters: Sequence[Filter]) -> Handler:
    """Compose ``filters`` (outermost first) around ``endpoint`` once, every link answering errors."""
    handler = answering(endpoint)
    for flt in reversed(filters):
        handler = answering(_link(flt, handler))
    return handler


def _link(flt: Filter, inner: Handler) -> Handler:
    """``flt`` bound to the rest of the chain."""

    async def linked(request: web.Request) -> web.StreamResponse:
        return await flt(request, inner)

    return linked


def answering(handler: Handler) -> Handler:
    """``handler``, with any exception it raises answered as a ``Status``."""

    async def answered(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (asyncio.CancelledError, ConnectionResetError, web.HTTPException):
            raise
        except Exception as exc:
            return error_response(request, exc)

    return answered
