"""Server-side apply and field management against a bare aiohttp POST, over real HTTP on loopback, in one run.

    python benchmarks/apply_bench.py [--requests 4000] [--runs 3]

Figures are the *server's* CPU time per request (from /proc), as ratios to the bare handler measured in
the same run (``http_bench.py``'s ``bare`` server: it stores the posted body and echoes it):

* **apply**: a 2 KB Deployment applied server-side to a missing object (a create), then re-applied with
  one change (the image), alternating over fresh names; target <= 4x the bare POST;
* **managedFields overhead on a plain create**: a JSON POST of the same Deployment with field management
  as shipped, and with ``FieldManager.update`` switched off; target <= 15 % of the create's CPU.

Both are measured twice: with Deployments that differ only in name (a test suite creating the same objects
again and again: the field manager's caches of list items and specs are hit) and with Deployments whose
specs all differ (image, env values, replicas: every cache misses).  Each figure is the median of
``--runs`` runs, interleaved, each server in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_bench import CONCURRENCY, cpu_seconds, deployment, serve_bare, start

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
APPLY = "application/apply-patch+yaml"


async def serve_fakekube(mode: str) -> None:
    from fakekube import FakeCluster

    if mode.startswith("fakekube-nofm"):
        from fakekube.registry.fieldmanager import FieldManager

        FieldManager.update = lambda *args, **kwargs: None  # type: ignore[method-assign]
    if mode == "fakekube-fmconst":  # the payload of managedFields without computing them (a diagnosis)
        from fakekube.registry.fieldmanager import FieldManager

        computed: list[Any] = []
        real = FieldManager.update

        def constant(self: Any, ctx: Any, res: Any, obj: Any, old: Any, sub: str) -> None:
            if not computed:
                real(self, ctx, res, obj, old, sub)
                computed.append(obj["metadata"].get("managedFields"))
            else:
                obj["metadata"]["managedFields"] = computed[0]

        FieldManager.update = constant  # type: ignore[method-assign]
    if mode.endswith("-nogc"):  # a diagnosis: what the garbage collector costs
        import gc

        gc.disable()
    cluster = FakeCluster()
    url = await cluster.start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


Request = tuple[str, str, bytes, str]  # method, path, body, content type


async def drive(port: int, requests: list[Request]) -> None:
    import aiohttp

    queue = list(reversed(requests))
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector) as session:
        async def worker() -> None:
            while queue:
                method, path, body, content_type = queue.pop()
                async with session.request(method, path, data=body, headers={"Content-Type": content_type}) as resp:
                    await resp.read()
                    if resp.status >= 300:
                        raise RuntimeError(f"{method} {path} -> {resp.status}: {await resp.text()}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def distinct(name: str, i: int) -> dict[str, Any]:
    """``deployment(name)`` with a spec of its own (image tag, env values, replicas), so no cache is hit."""
    obj = deployment(name)
    spec = obj["spec"]
    spec["replicas"] = i % 7 + 1
    container = spec["template"]["spec"]["containers"][0]
    container["image"] = f"registry.example.com/team/web:1.{i}.0"
    for var in container["env"]:
        var["value"] = f"{var['value']}-{i}"
    return obj


def workload(kind: str, count: int, offset: int) -> list[Request]:
    make = distinct if kind.endswith("-distinct") else (lambda name, i: deployment(name))
    kind = kind.removesuffix("-distinct")
    if kind == "bare":
        return [("POST", "/objects", orjson.dumps(make(f"w-{i}", i)), "application/json")
                for i in range(offset, offset + count)]
    if kind == "create":
        return [("POST", DEPLOYMENTS, orjson.dumps(make(f"w-{i}", i)), "application/json")
                for i in range(offset, offset + count)]
    out: list[Request] = []
    for i in range(offset, offset + count // 2):  # apply creates, then re-apply with one change
        first = make(f"w-{i}", i)
        second: dict[str, Any] = orjson.loads(orjson.dumps(first))
        second["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.com/team/web:1.28.0"
        path = f"{DEPLOYMENTS}/w-{i}?fieldManager=bench"
        out.append(("PATCH", path, orjson.dumps(first), APPLY))
        out.append(("PATCH", path, orjson.dumps(second), APPLY))
    return out


def measure(mode: str, kind: str, count: int) -> float:
    """Server CPU microseconds per request."""
    proc, port = start(mode, __file__)
    try:
        asyncio.run(drive(port, workload(kind, min(400, count // 5), 10**6)))  # warm up
        before = cpu_seconds(proc.pid)
        asyncio.run(drive(port, workload(kind, count, 0)))
        return (cpu_seconds(proc.pid) - before) / count * 1e6
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve_bare() if args.serve == "bare" else serve_fakekube(args.serve))
        return
    n = args.requests
    print(f"{n} requests per figure, median of {args.runs} runs, {CONCURRENCY} connections, server CPU from /proc\n")
    rows = [  # (label, server mode, workload)
        ("bare aiohttp POST (store body)", "bare", "bare"),
        ("fakekube create (JSON POST)", "fakekube", "create"),
        ("fakekube create, field management off", "fakekube-nofm", "create"),
        ("fakekube apply (create, re-apply 1 change)", "fakekube", "apply"),
        ("  the same, each object's spec its own:", "", ""),
        ("fakekube create", "fakekube", "create-distinct"),
        ("fakekube create, field management off", "fakekube-nofm", "create-distinct"),
        ("fakekube apply (create, re-apply 1 change)", "fakekube", "apply-distinct"),
    ]
    figures: dict[int, list[float]] = {i: [] for i, row in enumerate(rows) if row[1]}
    started = time.perf_counter()
    for _ in range(args.runs):  # interleaved, so a slow spell of the machine spreads over every figure
        for i in figures:
            figures[i].append(measure(rows[i][1], rows[i][2], n))
    cpu = {i: statistics.median(values) for i, values in figures.items()}
    bare = cpu[0]
    for i, (label, mode, _) in enumerate(rows):
        if not mode:
            print(label)
            continue
        target = "   target <= 4x" if "apply" in label else ""
        print(f"{label:46}{cpu[i]:8.1f} us {cpu[i] / bare:6.2f}x{target}")
    for label, with_fm, without in (("", 1, 2), (" (specs of their own)", 5, 6)):
        overhead = (cpu[with_fm] - cpu[without]) / cpu[with_fm]
        print(f"managedFields overhead on a plain create{label}: {overhead:.1%} of create CPU   target <= 15%")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
