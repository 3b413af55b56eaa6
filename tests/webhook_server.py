"""A test's own HTTPS webhook server (aiohttp), for the webhooks kube-apiserver calls (CRD conversion).

fakekube calls webhooks synchronously from its registry, on the cluster's event loop; a webhook served
on that loop would never answer.  ``WebhookServer`` therefore runs its aiohttp app on its own loop in
its own thread.  Its certificate comes from a throwaway CA (``trustme``), valid for ``localhost``,
``127.0.0.1`` and any service names asked for, so a CRD trusts it with ``ca_bundle`` (base64 PEM).
Every request's parsed JSON body is kept in ``requests``.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import trustme
from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebhookServer:
    """``with WebhookServer(handler, names=["conv.default.svc"]) as hook:`` serves ``handler`` at
    ``hook.url`` ("https://127.0.0.1:<port>") until the block ends."""

    def __init__(self, handler: Handler, names: tuple[str, ...] | list[str] = ()) -> None:
        self.handler = handler
        self.ca = trustme.CA()
        self._cert = self.ca.issue_cert("localhost", "127.0.0.1", *names)
        self.requests: list[Any] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="webhook-server", daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """``host:port``, as ``ClusterSettings.service_addresses`` wants it."""
        return f"127.0.0.1:{self.port}"

    @property
    def ca_bundle(self) -> str:
        """The CA's PEM, base64-encoded as a ``caBundle`` field holds it."""
        return base64.b64encode(self.ca.cert_pem.bytes()).decode()

    async def _record(self, request: web.Request) -> web.StreamResponse:
        self.requests.append({"path": request.path_qs, "headers": dict(request.headers),
                              "body": orjson.loads(await request.read())})
        return await self.handler(request)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(context)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock, ssl_context=context).start()

    def start(self) -> WebhookServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Stop serving (again: nothing); a test may stop it early to make the webhook unreachable."""
        if self._loop.is_closed():
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def __enter__(self) -> WebhookServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def webhook_server(handler: Handler, names: tuple[str, ...] | list[str] = ()) -> Iterator[WebhookServer]:
    with WebhookServer(handler, names) as server:
        yield server
