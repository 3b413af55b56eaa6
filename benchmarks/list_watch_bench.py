"""Lists and watches at scale: LIST with a label selector, watch fan-out, memory per object.

    python benchmarks/list_watch_bench.py [--sizes 1000,10000,100000] [--watchers 1000] [--writes 40]

* LIST: a store of N Deployments (one in ten matches the selector) is listed over HTTP with and
  without a page limit; latency is the median of several requests, next to a plain LIST of the
  same store so the selector's own cost is visible.
* Watch fan-out: W concurrent watch streams on one collection, in a separate client process; for
  each write, the delay from the write's response to the event reaching every watcher (p50/p99
  over writes), next to a bare asyncio-queue broadcast of one event to W consumers.
* Memory: bytes per stored 2 KB Deployment, and what a full history window adds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import http.client
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from http_bench import deployment

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def seed(cluster: Any, count: int) -> None:
    """Fill the store through the registry (same path as HTTP creates, minus the socket)."""
    from fakekube.registry.context import Context

    res = cluster.catalog.get("apps", "v1", "deployments")

    def run() -> None:
        for i in range(count):
            body = deployment(f"web-{i:06d}")
            body["metadata"]["labels"]["shard"] = f"s{i % 10}"
            cluster.registry.create(Context(), res, "default", body)

    cluster.call(run)


def timed_get(url: str, path: str, repeat: int) -> tuple[float, int]:
    parts = urlsplit(url)
    times = []
    size = 0
    for _ in range(repeat):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", path)
        body = conn.getresponse().read()
        times.append(time.perf_counter() - started)
        size = len(orjson.loads(body)["items"])
        conn.close()
    return statistics.median(times) * 1000, size


def list_figures(sizes: list[int]) -> None:
    from fakekube import FakeCluster

    print("LIST over HTTP (median ms; 1 in 10 objects match shard=s3)")
    print(f"{'objects':>9}{'all':>10}{'selector':>10}{'sel+limit=500':>15}{'limit=500':>11}{'ms/1k objs':>12}")
    for size in sizes:
        with FakeCluster() as cluster:
            seed(cluster, size)
            repeat = 5 if size <= 10_000 else 3
            every, n_all = timed_get(cluster.url, DEPLOYMENTS, repeat)
            selected, n_sel = timed_get(cluster.url, f"{DEPLOYMENTS}?labelSelector=shard%3Ds3", repeat)
            paged, _ = timed_get(cluster.url, f"{DEPLOYMENTS}?labelSelector=shard%3Ds3&limit=500", repeat)
            page, _ = timed_get(cluster.url, f"{DEPLOYMENTS}?limit=500", repeat)
            assert n_all == size and n_sel == size // 10
            print(f"{size:>9}{every:>10.1f}{selected:>10.1f}{paged:>15.1f}{page:>11.1f}{selected / size * 1000:>12.2f}")


# --- watch fan-out ---------------------------------------------------------------------------------


async def watch_client(port: int, watchers: int, writes: int) -> list[float]:
    """Open ``watchers`` streams, then write ``writes`` times; per write, delay until the last watcher saw it."""
    import aiohttp

    arrivals: dict[int, list[float]] = {i: [] for i in range(writes)}
    ready = asyncio.Event()
    opened = 0
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector, timeout=timeout) as session:

        async def watcher() -> None:
            nonlocal opened
            async with session.get(f"{DEPLOYMENTS}?watch=1&timeoutSeconds=600") as resp:
                opened += 1
                if opened == watchers:
                    ready.set()
                seen = 0
                while seen < writes:
                    line = await resp.content.readline()
                    if not line:
                        return
                    marker = line.find(b'"name":"fan-')
                    if marker < 0:
                        continue
                    end = line.index(b'"', marker + 12)
                    arrivals[int(line[marker + 12:end])].append(time.perf_counter())
                    seen += 1

        tasks = [asyncio.create_task(watcher()) for _ in range(watchers)]
        await asyncio.wait_for(ready.wait(), 60)
        await asyncio.sleep(0.5)
        responded: list[float] = []
        for i in range(writes):
            async with session.post(DEPLOYMENTS, data=orjson.dumps(deployment(f"fan-{i}")),
                                    headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
                responded.append(time.perf_counter())
            await asyncio.sleep(0.15)
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
    return [max(arrivals[i]) - responded[i] for i in range(writes)]


async def queue_baseline(consumers: int, payload: bytes, rounds: int = 20) -> float:
    """A bare asyncio broadcast of one 2 KB event to ``consumers`` queues: time until the last got it."""
    queues: list[asyncio.Queue[bytes]] = [asyncio.Queue() for _ in range(consumers)]
    times = []
    for _ in range(rounds):
        done = 0
        finished = asyncio.Event()

        async def consume(q: asyncio.Queue[bytes], finished: asyncio.Event) -> None:
            nonlocal done
            await q.get()
            done += 1
            if done == consumers:
                finished.set()

        tasks = [asyncio.create_task(consume(q, finished)) for q in queues]
        await asyncio.sleep(0)
        started = time.perf_counter()
        for q in queues:
            q.put_nowait(payload)
        await finished.wait()
        times.append(time.perf_counter() - started)
        await asyncio.gather(*tasks)
    return statistics.median(times) * 1000


def watch_figures(watchers: int, writes: int) -> None:
    server = subprocess.Popen([sys.executable, str(Path(__file__).parent / "http_bench.py"), "--serve", "fakekube"],
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    port = int(server.stdout.readline())
    try:
        delays = sorted(asyncio.run(watch_client(port, watchers, writes)))
    finally:
        server.kill()
        server.wait()
    baseline = asyncio.run(queue_baseline(watchers, orjson.dumps(deployment("x"))))
    p50 = statistics.median(delays) * 1000
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000
    print(f"\nwatch fan-out: {watchers} watchers on one collection, {writes} writes of a 2 KB Deployment")
    print(f"  delay from write response to the last watcher: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 < 100)")
    print(f"  bare asyncio queue broadcast to {watchers} consumers (in-process, no HTTP): {baseline:.1f} ms")


# --- memory ------------------------------------------------------------------------------------


def memory_after_seeding(count: int, history_size: int) -> int:
    """Bytes a new cluster holds after ``count`` Deployments, with a history window of ``history_size``."""
    from fakekube import FakeCluster

    gc.collect()
    tracemalloc.start()
    cluster = FakeCluster(history_size=history_size)
    base = tracemalloc.get_traced_memory()[0]
    seed(cluster, count)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return used


def memory_figures(count: int = 20_000) -> None:
    stored = memory_after_seeding(count, history_size=1)
    full = memory_after_seeding(count, history_size=10_000)
    sample = len(orjson.dumps(deployment("web-000001")))
    print(f"\nmemory: {count} Deployments of {sample} bytes of JSON each")
    print(f"  per stored object: {stored / count:.0f} bytes ({stored / count / sample:.2f}x its JSON)")
    print(f"  a full 10,000-event history window adds {(full - stored) / 1e6:.1f} MB "
          f"({(full - stored) / 10_000:.0f} bytes per event)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=40)
    args = parser.parse_args()
    list_figures([int(s) for s in args.sizes.split(",")])
    watch_figures(args.watchers, args.writes)
    memory_figures()


if __name__ == "__main__":
    main()
