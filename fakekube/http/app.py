"""The aiohttp application of one cluster: a single catch-all route into the filter chain, then the
verb handlers.

Routing is done per request by ``requestinfo`` against the cluster's catalog, so building an app costs
next to nothing (no per-resource route table) and resources added at run time are served at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from fakekube.http import handlers
from fakekube.http.filters import REQUEST_INFO_KEY, Filter, build_chain, standard_filters, write_warnings
from fakekube.http.handlers.responses import MAX_BODY
from fakekube.http.handlers.watch import WATCHES_KEY
from fakekube.http.state import ClusterState


async def _cancel_watches(app: web.Application) -> None:
    """End open watch streams at once, so stopping a server never waits for clients to hang up."""
    watches: set[asyncio.Task[Any]] = app[WATCHES_KEY]
    for task in list(watches):
        task.cancel()  # each stream unsubscribes from the store as it ends; controllers keep theirs


_loaded = False
_loading = threading.Lock()  # clusters started from several threads at once: one imports, the others wait


def load_request_time_modules() -> None:
    """Imports what only some requests need, and load on their first use otherwise: protobuf bodies, the
    patch engines, the OpenAPI documents, the schema validators' library (jsonschema-rs, compiled per kind
    on its first write), the kinds' validation rules (``kinds/deferred.py``), a CRD's validation, the
    evaluation of admission policies and the CEL engine (compiled with the first CRD, custom resource or
    policy that has rules).

    An import on the server's thread while another thread imports too can fail under pytest on CPython
    3.11 (pytest rewrites this package's modules on import with ``ast.parse``, which is not thread-safe
    there: "AST constructor recursion depth mismatch"); starting a server is the last safe moment, and
    ``make_app`` does it then unless told not to (``fakekube serve``, which serves from one thread, loads
    them once it is ready instead: they are a good part of its start).  Once done, a later call (every server
    start) returns at once."""
    global _loaded
    if _loaded:
        return
    with _loading:
        if _loaded:  # another thread loaded them while this one waited
            return
        import jsonschema_rs  # noqa: F401

        import fakekube.patch  # noqa: F401
        from fakekube.cel import crd_checks, validator  # noqa: F401
        from fakekube.http import openapi, protobuf  # noqa: F401
        from fakekube.kinds import crd_validation, deferred  # noqa: F401
        from fakekube.registry import admission_policy_evaluation  # noqa: F401

        deferred.load_all()  # the kinds' validation rules
        _loaded = True


def make_app(cluster: ClusterState, log_requests: bool = False, filters: Sequence[Filter] = (), *,
             preload: bool = True) -> web.Application:
    """The app serving ``cluster``; ``filters`` run innermost, after the standard ones (``fakekube.http.filters``).
    ``preload=False`` leaves ``load_request_time_modules`` to the caller."""

    async def endpoint(request: web.Request) -> web.StreamResponse:
        return await handlers.dispatch(request, request[REQUEST_INFO_KEY], cluster)

    if preload:
        load_request_time_modules()
    app = web.Application(client_max_size=MAX_BODY + 1024)
    app[WATCHES_KEY] = set()
    chain = build_chain(endpoint, standard_filters(cluster, log_requests=log_requests, extra=filters))
    app.router.add_route("*", r"/{tail:[\s\S]*}", chain)  # any path, newlines too
    app.on_shutdown.append(_cancel_watches)
    app.on_response_prepare.append(write_warnings)
    return app
