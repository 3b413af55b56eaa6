"""A server's memory under steady mixed load with a flat number of live objects.

    python benchmarks/memory_soak.py [--minutes 30] [--objects 2000]

One fakekube server in its own process; a client keeps ``--objects`` ConfigMaps and Deployments alive while
it creates, updates, patches (merge and server-side apply), lists and deletes them, and keeps 20 watches
open.  Every minute it prints the server's RSS, the live object count and the requests made, so a leak
shows as RSS growing with live objects flat.  Prints the slope of RSS (MB per minute) over the second half.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time


async def serve() -> None:
    from fakekube import FakeCluster

    cluster = FakeCluster(history_size=10_000)
    url = await cluster.start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def load(port: int, minutes: float, objects: int, pid: int) -> None:
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    cms = "/api/v1/namespaces/default/configmaps"
    deps = "/apis/apps/v1/namespaces/default/deployments"
    live: set[str] = set()
    count = 0
    rng = random.Random(1)

    def deployment(name: str, image: str) -> dict:
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                         "template": {"metadata": {"labels": {"app": name}},
                                      "spec": {"containers": [{"name": "c", "image": image}]}}}}

    async with aiohttp.ClientSession(base) as session:
        async def watcher() -> None:
            while True:
                try:
                    async with session.get(f"{cms}?watch=1&timeoutSeconds=30") as resp:
                        async for _ in resp.content:
                            pass
                except aiohttp.ClientError:
                    await asyncio.sleep(1)

        watchers = [asyncio.create_task(watcher()) for _ in range(20)]
        started = time.monotonic()
        next_report = started
        samples: list[tuple[float, float]] = []
        while time.monotonic() - started < minutes * 60:
            name = f"o{rng.randrange(objects)}"
            op = rng.random()
            if name not in live:
                body = {"metadata": {"name": name}, "data": {"v": str(count)}}
                async with session.post(cms, json=body) as resp:
                    await resp.read()
                async with session.patch(f"{deps}/{name}?fieldManager=soak", data=json.dumps(
                        deployment(name, f"i:{count}")), headers={"Content-Type": "application/apply-patch+yaml"}) as r:
                    await r.read()
                live.add(name)
            elif op < 0.3:
                async with session.patch(f"{cms}/{name}", data=json.dumps({"data": {"v": str(count)}}),
                                         headers={"Content-Type": "application/merge-patch+json"}) as resp:
                    await resp.read()
            elif op < 0.6:
                async with session.patch(f"{deps}/{name}?fieldManager=soak", data=json.dumps(
                        deployment(name, f"i:{count}")), headers={"Content-Type": "application/apply-patch+yaml"}) as r:
                    await r.read()
            elif op < 0.65:
                async with session.get(f"{cms}?limit=500") as resp:
                    await resp.read()
            else:
                for path in (f"{cms}/{name}", f"{deps}/{name}"):
                    async with session.delete(path) as resp:
                        await resp.read()
                live.discard(name)
            count += 1
            now = time.monotonic()
            if now >= next_report:
                minute = (now - started) / 60
                samples.append((minute, rss_mb(pid)))
                print(f"{minute:6.1f} min  RSS {samples[-1][1]:7.1f} MB  live {len(live):5d}  requests {count}",
                      flush=True)
                next_report += 60
        for task in watchers:
            task.cancel()
    half = [s for s in samples if s[0] >= minutes / 2]
    if len(half) >= 2:
        slope = (half[-1][1] - half[0][1]) / (half[-1][0] - half[0][0])
        print(f"RSS slope over the second half: {slope:+.2f} MB/min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    proc = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    try:
        asyncio.run(load(port, args.minutes, args.objects, proc.pid))
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
