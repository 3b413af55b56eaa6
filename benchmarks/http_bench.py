"""fakekube against bare aiohttp handlers, over real HTTP on loopback, in one run.

    python benchmarks/http_bench.py [--requests 10000] [--growth 35000]

Each server runs in its own process; the figure that carries across machines is the *server's* CPU
time per request (read from /proc), reported as a ratio to the bare handler measured in the same
run.  Baselines: ``bare`` returns a stored 2 KB JSON body on GET and stores the posted body on POST.
``fakekube-noschema`` is fakekube with the JSON Schema pass switched off and ``fakekube-novalidate``
with schema, metadata and per-kind validation all off, to show what validation adds to a create.
The growth phase creates Deployments until the store holds
``--growth`` objects and prints create latency percentiles per window, to show p99 stays flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import orjson

CONCURRENCY = 4
TICKS = os.sysconf("SC_CLK_TCK")


def deployment(name: str) -> dict[str, Any]:
    """A typical ~2.2 KB Deployment."""
    env = [{"name": f"SETTING_{i}", "value": f"value-{i}-" + "x" * 20} for i in range(12)]
    container = {
        "name": "web", "image": "registry.example.com/team/web:1.27.3",
        "ports": [{"containerPort": 8080, "name": "http"}], "env": env,
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5},
        "livenessProbe": {"httpGet": {"path": "/live", "port": 8080}, "initialDelaySeconds": 10},
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": "web", "team": "payments", "tier": "frontend"},
                     "annotations": {"example.com/owner": "payments-team"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                 "template": {"metadata": {"labels": {"app": "web", "tier": "frontend"}},
                              "spec": {"containers": [container], "serviceAccountName": "web",
                                       "nodeSelector": {"kubernetes.io/os": "linux"}}}},
    }


# --- servers (each runs in its own process) ---------------------------------------------------


async def serve_bare() -> None:
    from aiohttp import web

    stored = {"/object": orjson.dumps(deployment("stored"))}

    async def get(request: web.Request) -> web.Response:
        return web.Response(body=stored["/object"], content_type="application/json")

    async def post(request: web.Request) -> web.Response:
        body = await request.read()
        stored[request.path + str(len(stored))] = body
        return web.Response(status=201, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/object", get)
    app.router.add_post("/objects", post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


async def serve_fakekube(mode: str) -> None:
    from fakekube import FakeCluster
    from fakekube.registry import steps
    from fakekube.registry.resources import ResourceInfo

    if mode in ("fakekube-noschema", "fakekube-novalidate"):  # switch off the JSON Schema pass
        ResourceInfo.validator = property(lambda self: None)  # type: ignore[assignment]
    if mode == "fakekube-novalidate":  # and the metadata and per-kind rules
        steps.create_errors = lambda *args, **kwargs: []  # type: ignore[assignment]
    cluster = FakeCluster()
    cluster.create(deployment("stored") | {"metadata": {"name": "stored", "namespace": "default"}})
    url = await cluster.start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


# --- load generation ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def drive(port: int, method: str, paths: list[str], bodies: list[bytes] | None) -> list[float]:
    import aiohttp

    latencies: list[float] = []
    queue = list(range(len(paths)))
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector) as session:
        async def worker() -> None:
            while queue:
                i = queue.pop()
                started = time.perf_counter()
                data = bodies[i] if bodies else None
                async with session.request(method, paths[i], data=data,
                                           headers={"Content-Type": "application/json"}) as resp:
                    await resp.read()
                    if resp.status >= 300:
                        raise RuntimeError(f"{method} {paths[i]} -> {resp.status}")
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return latencies


def start(mode: str, script: str = __file__) -> tuple[subprocess.Popen[str], int]:
    """``script --serve mode`` in a process of its own, and the port it prints."""
    proc = subprocess.Popen([sys.executable, script, "--serve", mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def measure(mode: str, method: str, count: int) -> dict[str, float]:
    proc, port = start(mode)
    try:
        if mode == "bare":
            get_path, post_path = "/object", "/objects"
        else:
            get_path = "/apis/apps/v1/namespaces/default/deployments/stored"
            post_path = "/apis/apps/v1/namespaces/default/deployments"
        if method == "GET":
            paths, bodies = [get_path] * count, None
        else:
            paths = [post_path] * count
            bodies = [orjson.dumps(deployment(f"web-{i}")) for i in range(count)]
        warm = min(500, count // 10)
        asyncio.run(drive(port, method, paths[:warm], bodies[:warm] if bodies else None))
        if bodies:
            bodies = [orjson.dumps(deployment(f"web-{i + count}")) for i in range(count)]
        before = cpu_seconds(proc.pid)
        started = time.perf_counter()
        latencies = asyncio.run(drive(port, method, paths, bodies))
        wall = time.perf_counter() - started
        cpu = cpu_seconds(proc.pid) - before
    finally:
        proc.kill()
        proc.wait()
    latencies.sort()
    return {"cpu_us": cpu / count * 1e6, "rps": count / wall, "p50_ms": latencies[len(latencies) // 2] * 1e3,
            "p99_ms": latencies[int(len(latencies) * 0.99)] * 1e3}


def growth(total: int, window: int = 5000) -> list[tuple[int, float, float]]:
    proc, port = start("fakekube")
    rows = []
    try:
        path = "/apis/apps/v1/namespaces/default/deployments"
        for start_at in range(0, total, window):
            bodies = [orjson.dumps(deployment(f"g-{i}")) for i in range(start_at, start_at + window)]
            latencies = sorted(asyncio.run(drive(port, "POST", [path] * window, bodies)))
            rows.append((start_at + window, statistics.median(latencies) * 1e3, latencies[int(window * 0.99)] * 1e3))
    finally:
        proc.kill()
        proc.wait()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--growth", type=int, default=35_000)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        coro = serve_bare() if args.serve == "bare" else serve_fakekube(args.serve)
        asyncio.run(coro)
        return
    n = args.requests
    print(f"{n} requests per figure, {CONCURRENCY} concurrent connections, server CPU from /proc\n")
    bare_get, fk_get = measure("bare", "GET", n), measure("fakekube", "GET", n)
    bare_post, fk_post = measure("bare", "POST", n), measure("fakekube", "POST", n)
    fk_post_noschema = measure("fakekube-noschema", "POST", n)
    fk_post_novalid = measure("fakekube-novalidate", "POST", n)
    print(f"{'':38}{'CPU/req':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for label, fig in (("bare GET (stored 2 KB body)", bare_get), ("fakekube GET deployment", fk_get),
                       ("bare POST (store body)", bare_post), ("fakekube create deployment", fk_post),
                       ("fakekube create, schema check off", fk_post_noschema),
                       ("fakekube create, all validation off", fk_post_novalid)):
        print(f"{label:38}{fig['cpu_us']:>8.1f}us{fig['rps']:>9.0f}{fig['p50_ms']:>9.2f}{fig['p99_ms']:>9.2f}")
    print()
    get_ratio = fk_get["cpu_us"] / bare_get["cpu_us"]
    create_ratio = fk_post["cpu_us"] / bare_post["cpu_us"]
    validation_share = (fk_post["cpu_us"] - fk_post_novalid["cpu_us"]) / fk_post["cpu_us"]
    schema_share = (fk_post["cpu_us"] - fk_post_noschema["cpu_us"]) / fk_post["cpu_us"]
    print(f"GET CPU ratio to bare:                {get_ratio:.2f}x  (target <= 1.7x)")
    print(f"create CPU ratio to bare POST:        {create_ratio:.2f}x  (target <= 3x)")
    print(f"schema validation share of create CPU: {schema_share * 100:.1f}%  (target <= 15%)")
    print(f"all validation share of create CPU:   {validation_share * 100:.1f}%  (schema + metadata + kind rules)")
    print(f"req/s ratio GET / create:             {fk_get['rps'] / bare_get['rps']:.2f} / "
          f"{fk_post['rps'] / bare_post['rps']:.2f} of bare")
    if args.growth:
        print(f"\ncreate latency while the store grows to {args.growth} Deployments:")
        print(f"{'objects':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for count, p50, p99 in growth(args.growth):
            print(f"{count:>10}{p50:>10.2f}{p99:>10.2f}")


if __name__ == "__main__":
    main()
