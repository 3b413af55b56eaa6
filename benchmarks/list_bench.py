"""A full LIST against a bare server answering the same bytes, and a LIST right after a write.

    python benchmarks/list_bench.py [--sizes 10000,100000] [--repeat 7]

* Full LIST: fakekube serves N ConfigMaps spread over 50 namespaces; a bare aiohttp app, in the same
  process, answers the very bytes of that list from memory.  The ratio of the medians of their request
  times (over real HTTP) is what fakekube adds to reading the store and joining the items.
* LIST after a write: the same LIST, each time right after a create in a namespace in the middle of the
  key order and a delete of it, against LISTs with no write before them.  A store that lost its key order
  on such writes sorts every key again; targets: full LIST <= 1.3x bare, after a write <= 1.2x.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import statistics
import time
from urllib.parse import urlsplit

LIST = "/api/v1/configmaps"


def get(url: str, path: str) -> tuple[float, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    started = time.perf_counter()
    conn.request("GET", path)
    body = conn.getresponse().read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, body


def request(url: str, method: str, path: str, body: bytes = b"") -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request(method, path, body=body or None, headers={"Content-Type": "application/json"})
    conn.getresponse().read()
    conn.close()


async def bare_server(body: bytes) -> tuple[object, str]:
    from aiohttp import web

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get(LIST, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


def measure(size: int, repeat: int) -> None:
    from fakekube import FakeCluster
    from fakekube.registry.context import Context

    cluster = FakeCluster()
    res = cluster.catalog.get("", "v1", "configmaps")
    namespaces = cluster.catalog.get("", "v1", "namespaces")

    def seed() -> None:
        for n in range(50):
            cluster.registry.create(Context(), namespaces, "", {"metadata": {"name": f"ns-{n:02d}"}})
        for i in range(size):
            cluster.registry.create(Context(), res, f"ns-{i % 50:02d}", {
                "metadata": {"name": f"cm-{i:06d}", "labels": {"app": "a"}}, "data": {"k": "v" * 100}})

    cluster.call(seed)
    url = cluster.start()
    try:
        _, body = get(url, LIST)
        loop = asyncio.new_event_loop()
        _, bare_url = loop.run_until_complete(bare_server(body))
        import threading

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        bare = statistics.median(get(bare_url, LIST)[0] for _ in range(repeat))
        plain = statistics.median(get(url, LIST)[0] for _ in range(repeat))
        after: list[float] = []
        for i in range(repeat):
            path = "/api/v1/namespaces/ns-25/configmaps"
            request(url, "POST", path, b'{"metadata":{"name":"between-%d"}}' % i)
            request(url, "DELETE", f"{path}/between-{i}")
            request(url, "POST", path, b'{"metadata":{"name":"again-%d"}}' % i)
            after.append(get(url, LIST)[0])
        after_write = statistics.median(after)
        print(f"{size:>8} objects ({len(body) / 1e6:.1f} MB): bare {bare * 1e3:7.1f} ms, fakekube "
              f"{plain * 1e3:7.1f} ms ({plain / bare:.2f}x, target <= 1.3x), after a write "
              f"{after_write * 1e3:7.1f} ms ({after_write / plain:.2f}x of a plain LIST, target <= 1.2x)")
        loop.call_soon_threadsafe(loop.stop)
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        measure(size, args.repeat)


if __name__ == "__main__":
    main()
