"""Serving one cluster over HTTP: the aiohttp runner and site, started and stopped in the caller's loop."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from fakekube.http.app import make_app
from fakekube.http.filters import Filter
from fakekube.http.state import ClusterState

MAX_HEADER_BYTES = 1 << 20


class Server:
    """A running HTTP server for one cluster."""

    def __init__(self, runner: web.AppRunner, url: str) -> None:
        self._runner = runner
        self.url = url

    async def close(self) -> None:
        await self._runner.cleanup()


async def serve(state: ClusterState, host: str, port: int, log_requests: bool = False,
                filters: Sequence[Filter] = (), *, preload: bool = True) -> Server:
    """Serve ``state`` on ``host:port`` (0: any free port); ``filters`` are appended to the filter chain;
    ``preload``: see ``make_app``."""
    app = make_app(state, log_requests, filters, preload=preload)
    # Request lines and header fields up to 1 MiB, as Go's http.Server (DefaultMaxHeaderBytes) allows.
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.1,
                           max_line_size=MAX_HEADER_BYTES, max_field_size=MAX_HEADER_BYTES)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    bound = runner.addresses[0][1]
    shown = f"[{host}]" if ":" in host else host
    return Server(runner, f"http://{shown}:{bound}")
