"""The aiohttp application of one cluster: a single catch-all route into ``handlers.dispatch``.

Routing is done by ``routes.parse`` against the cluster's catalog, so building an app costs next to
nothing (no per-resource route table) and resources added at run time are served at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from fakekube.http import handlers
from fakekube.http import watch as watch_http

if TYPE_CHECKING:
    from fakekube.http.state import ClusterState

log = logging.getLogger("fakekube.requests")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def request_log(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    response = await handler(request)
    log.info("%s %s -> %s (%.1f ms)", request.method, request.path_qs, response.status,
             (time.perf_counter() - started) * 1000)
    return response


async def _cancel_watches(app: web.Application) -> None:
    """End open watch streams at once, so stopping a server never waits for clients to hang up."""
    watches: set[asyncio.Task[Any]] = app[watch_http.WATCHES_KEY]
    for task in list(watches):
        task.cancel()
    app[handlers.CLUSTER_KEY].registry.store.close()


def make_app(cluster: ClusterState, log_requests: bool = False) -> web.Application:
    app = web.Application(client_max_size=handlers.MAX_BODY + 1024,
                          middlewares=[request_log] if log_requests else [])
    app[handlers.CLUSTER_KEY] = cluster
    app[watch_http.WATCHES_KEY] = set()
    app.router.add_route("*", "/{tail:.*}", handlers.dispatch)
    app.on_shutdown.append(_cancel_watches)
    return app
