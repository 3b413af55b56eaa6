"""Custom resources: how soon a new CRD serves, and what CEL validation rules add to a create.

    python benchmarks/crd_bench.py [--requests 3000] [--runs 3] [--crds 40]

Figures, all over real HTTP on loopback, each server in a process of its own:

* **CRD create -> first custom resource accepted**: wall time from sending the CRD's POST until a POST of
  one of its custom resources answers 201 (the client retries at once while the answer is 404), for
  ``--crds`` CRDs of their own, as a ratio to one ConfigMap POST measured in the same run;
* **create throughput**: the server's CPU per create (from /proc) of a custom resource whose spec
  carries 10 ``x-kubernetes-validations`` rules, of the same custom resource without the rules, and of
  a built-in 2.2 KB Deployment (``http_bench.deployment``); target: the rules add <= 50 % to a create.

Whether the rules were evaluated at all is checked first (a custom resource breaking one rule must be
refused with 422); if not, the script says so next to the figures, which then measure no CEL.
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
from http_bench import CONCURRENCY, cpu_seconds, deployment, start

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
CONFIGMAPS = "/api/v1/namespaces/default/configmaps"

RULES = [  # ten rules of the kinds CRD authors write: comparisons, strings, regex, lists, maps, membership
    {"rule": "self.minReplicas <= self.maxReplicas", "message": "minReplicas must not exceed maxReplicas"},
    {"rule": "self.replicas >= self.minReplicas"},
    {"rule": "self.replicas <= self.maxReplicas"},
    {"rule": "self.name.startsWith('app-')"},
    {"rule": "self.image.contains(':')"},
    {"rule": "self.ports.all(p, p > 0 && p < 65536)"},
    {"rule": "size(self.ports) == 0 || self.ports.exists(p, p == 8080)"},
    {"rule": "self.name.matches('^[a-z0-9-]+$')"},
    {"rule": "self.labels.all(k, size(k) < 64)"},
    {"rule": "self.mode in ['fast', 'slow']"},
]


def spec_schema(rules: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["replicas", "minReplicas", "maxReplicas", "name", "image", "ports", "labels", "mode"],
        "properties": {
            "replicas": {"type": "integer", "minimum": 0, "maximum": 100},
            "minReplicas": {"type": "integer", "minimum": 0, "maximum": 100},
            "maxReplicas": {"type": "integer", "minimum": 0, "maximum": 100},
            "name": {"type": "string", "maxLength": 63},
            "image": {"type": "string", "maxLength": 256},
            "ports": {"type": "array", "maxItems": 16, "items": {"type": "integer"}},
            "labels": {"type": "object", "maxProperties": 16,
                       "additionalProperties": {"type": "string", "maxLength": 63}},
            "mode": {"type": "string", "enum": ["fast", "slow"]},
        },
    }
    if rules:
        schema["x-kubernetes-validations"] = RULES
    return schema


def crd(group: str, rules: bool) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"apps.{group}"},
        "spec": {"group": group, "scope": "Namespaced",
                 "names": {"plural": "apps", "singular": "app", "kind": "App"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "properties": {"spec": spec_schema(rules)}}}}]},
    }


def app(group: str, name: str, **changes: Any) -> dict[str, Any]:
    spec = {"replicas": 3, "minReplicas": 1, "maxReplicas": 10, "name": f"app-{name}",
            "image": "registry.example.com/team/web:1.27.3", "ports": [8080, 9090],
            "labels": {"team": "payments", "tier": "frontend"}, "mode": "fast"}
    spec.update(changes)
    return {"apiVersion": f"{group}/v1", "kind": "App", "metadata": {"name": name}, "spec": spec}


def app_path(group: str) -> str:
    return f"/apis/{group}/v1/namespaces/default/apps"


async def serve(mode: str) -> None:
    from fakekube import FakeCluster

    cluster = FakeCluster()
    url = await cluster.start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


async def post(session: Any, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    async with session.post(path, data=orjson.dumps(body), headers={"Content-Type": "application/json"}) as resp:
        return resp.status, await resp.read()


async def setup_crds(port: int) -> bool:
    """Both CRDs registered and serving; returns whether a rule-breaking custom resource is refused."""
    import aiohttp

    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        for group, rules in (("plain.example.com", False), ("ruled.example.com", True)):
            status, body = await post(session, CRDS, crd(group, rules))
            if status != 201:
                raise RuntimeError(f"CRD {group} -> {status}: {body.decode()}")
            while (await post(session, app_path(group), app(group, "probe")))[0] == 404:
                await asyncio.sleep(0.001)
        status, _ = await post(session, app_path("ruled.example.com"),
                               app("ruled.example.com", "breaks", minReplicas=20, replicas=20))
        return status == 422


async def drive(port: int, requests: list[tuple[str, bytes]]) -> None:
    import aiohttp

    queue = list(reversed(requests))
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}",
                                     connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session:
        async def worker() -> None:
            while queue:
                path, body = queue.pop()
                async with session.post(path, data=body, headers={"Content-Type": "application/json"}) as resp:
                    await resp.read()
                    if resp.status != 201:
                        raise RuntimeError(f"POST {path} -> {resp.status}: {await resp.text()}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def workload(kind: str, count: int, offset: int) -> list[tuple[str, bytes]]:
    if kind == "deployment":
        return [(DEPLOYMENTS, orjson.dumps(deployment(f"d-{i}"))) for i in range(offset, offset + count)]
    group = f"{kind}.example.com"
    return [(app_path(group), orjson.dumps(app(group, f"a-{i}"))) for i in range(offset, offset + count)]


def measure_creates(count: int) -> tuple[dict[str, float], bool]:
    """Server CPU microseconds per create of each kind, in one server; and whether CEL rules are enforced."""
    proc, port = start("fakekube", __file__)
    try:
        enforced = asyncio.run(setup_crds(port))
        out: dict[str, float] = {}
        for kind in ("deployment", "plain", "ruled"):
            asyncio.run(drive(port, workload(kind, min(400, count // 5), 10**6)))  # warm up
            before = cpu_seconds(proc.pid)
            asyncio.run(drive(port, workload(kind, count, 0)))
            out[kind] = (cpu_seconds(proc.pid) - before) / count * 1e6
        return out, enforced
    finally:
        proc.kill()
        proc.wait()


async def time_to_serve(port: int, crds: int) -> tuple[list[float], list[int], list[float]]:
    """Per CRD: seconds from its POST to the first custom resource accepted, and the 404s seen on the
    way; and a baseline of single ConfigMap POSTs."""
    import aiohttp

    waits: list[float] = []
    misses: list[int] = []
    baseline: list[float] = []
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        for i in range(50):  # warm up the ConfigMap path and the connection
            await post(session, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"w-{i}"}})
        for i in range(crds):
            started = time.perf_counter()
            status, _ = await post(session, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap",
                                                         "metadata": {"name": f"cm-{i}"}, "data": {"a": "b"}})
            baseline.append(time.perf_counter() - started)
            group = f"g{i}.example.com"
            started = time.perf_counter()
            status, body = await post(session, CRDS, crd(group, rules=i % 2 == 1))
            if status != 201:
                raise RuntimeError(f"CRD {group} -> {status}: {body.decode()}")
            missed = 0
            while True:
                status, body = await post(session, app_path(group), app(group, "first"))
                if status == 201:
                    break
                if status != 404 or missed > 10_000:
                    raise RuntimeError(f"first {group} App -> {status}: {body.decode()}")
                missed += 1
            waits.append(time.perf_counter() - started)
            misses.append(missed)
    return waits, misses, baseline


def measure_time_to_serve(crds: int) -> tuple[list[float], list[int], list[float]]:
    proc, port = start("fakekube", __file__)
    try:
        return asyncio.run(time_to_serve(port, crds))
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--crds", type=int, default=40)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    started = time.perf_counter()

    waits, misses, baseline = measure_time_to_serve(args.crds)
    base = statistics.median(baseline)
    print(f"CRD create -> first custom resource accepted, {args.crds} CRDs (half with 10 CEL rules):")
    for label, part in (("all", waits), ("no rules", waits[0::2]), ("10 CEL rules", waits[1::2])):
        print(f"  {label:13} median {statistics.median(part) * 1e3:7.2f} ms  max {max(part) * 1e3:7.2f} ms   "
              f"= {statistics.median(part) / base:5.1f}x one ConfigMap POST ({base * 1e3:.2f} ms)")
    print(f"  404s before the first accepted create: median {statistics.median(misses):.0f}, max {max(misses)}\n")

    runs: list[dict[str, float]] = []
    enforced = True
    for _ in range(args.runs):
        figures, enforced_now = measure_creates(args.requests)
        runs.append(figures)
        enforced = enforced and enforced_now
    cpu = {kind: statistics.median(run[kind] for run in runs) for kind in runs[0]}
    print(f"create throughput, {args.requests} creates per figure, median of {args.runs} runs, {CONCURRENCY} "
          "connections, server CPU from /proc:")
    labels = {"deployment": "built-in Deployment (2.2 KB)", "plain": "custom resource, no rules",
              "ruled": "custom resource, 10 CEL rules"}
    for kind, label in labels.items():
        print(f"  {label:34}{cpu[kind]:8.1f} us  {1e6 / cpu[kind]:7.0f} creates/s of CPU  "
              f"{cpu[kind] / cpu['deployment']:5.2f}x the Deployment")
    added = cpu["ruled"] / cpu["plain"] - 1
    print(f"  CEL adds {added:+.1%} to a custom resource's create   target <= +50%")
    if not enforced:
        print("  NOTE: CEL rules are not enforced by this fakekube yet (a custom resource breaking a rule was "
              "accepted): the 'rules' figure measures no CEL evaluation")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
