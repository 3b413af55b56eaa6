"""What 10 CEL validation rules add to the create of a custom resource (issue 9: at most +50 %).

    python benchmarks/cel_bench.py [--creates 2000] [--rounds 5] [--http-creates 3000]

Three kinds, created in the same run: a custom resource whose spec carries 10 typical
``x-kubernetes-validations`` rules (comparisons, ``has``, regex, list and map macros, a quantity), the
same custom resource of a CRD without the rules, and a built-in 2.2 KB Deployment (``http_bench``).

* **Python API**: ``FakeCluster().create(obj)`` in this process, wall time per create, the kinds
  interleaved in ``--rounds`` rounds (median per kind), so that drift hits them alike;
* **HTTP**: POSTs from 4 aiohttp connections to a server in a process of its own, the server's CPU
  per create from /proc.

Before measuring, a custom resource breaking a rule must be refused with 422 (otherwise the figures
would measure no CEL).  Figures are ratios to the rule-less custom resource measured in the same run.
Not a test.
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
RULES = [
    "self.replicas <= self.maxReplicas",
    "self.minReplicas >= 0 && self.minReplicas <= self.replicas",
    "self.name.matches('^[a-z]+$')",
    "self.items.all(x, x.size() < 10)",
    "has(self.paused) || self.replicas > 0",
    "quantity(self.mem).isLessThan(quantity('1Gi'))",
    "self.image.startsWith('registry.example.com/')",
    "self.mode in ['fast', 'slow']",
    "self.labels.all(k, size(k) < 64 && self.labels[k].size() < 64)",
    "size(self.ports) == 0 || self.ports.exists(p, p == 8080)",
]
KINDS = {"deployment": "built-in Deployment (2.2 KB)", "plain": "custom resource, no rules",
         "ruled": "custom resource, 10 CEL rules"}


def spec_schema(rules: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {
        "replicas": {"type": "integer"}, "minReplicas": {"type": "integer"}, "maxReplicas": {"type": "integer"},
        "paused": {"type": "boolean"},
        "name": {"type": "string", "maxLength": 63},
        "image": {"type": "string", "maxLength": 256},
        "mem": {"type": "string", "maxLength": 32},
        "mode": {"type": "string", "maxLength": 8},
        "items": {"type": "array", "maxItems": 32, "items": {"type": "string", "maxLength": 32}},
        "ports": {"type": "array", "maxItems": 16, "items": {"type": "integer"}},
        "labels": {"type": "object", "maxProperties": 16, "additionalProperties": {"type": "string", "maxLength": 63}},
    }}
    if rules:
        schema["x-kubernetes-validations"] = [{"rule": rule} for rule in RULES]
    return schema


def crd(group: str, rules: bool) -> dict[str, Any]:
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"apps.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": "apps", "singular": "app", "kind": "App"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                         "type": "object", "properties": {"spec": spec_schema(rules)}}}}]}}


def app(kind: str, name: str, **changes: Any) -> dict[str, Any]:
    spec = {"replicas": 3, "minReplicas": 1, "maxReplicas": 10, "name": "web", "mem": "512Mi",
            "image": "registry.example.com/team/web:1.27.3", "mode": "fast", "items": ["a", "bb", "ccc"],
            "ports": [8080, 9090], "labels": {"team": "payments", "tier": "frontend"}}
    spec.update(changes)
    return {"apiVersion": f"{kind}.example.com/v1", "kind": "App",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def body(kind: str, name: str) -> dict[str, Any]:
    if kind == "deployment":
        obj = deployment(name)
        obj["metadata"]["namespace"] = "default"
        return obj
    return app(kind, name)


# --- in process, through the Python API ------------------------------------------------------------


def python_api(creates: int, rounds: int) -> dict[str, float]:
    """Microseconds per ``FakeCluster.create`` of each kind (median over the rounds)."""
    from fakekube import FakeCluster
    from fakekube.manifests import ManifestError

    cluster = FakeCluster()
    cluster.create([crd("plain.example.com", False), crd("ruled.example.com", True)])
    try:
        cluster.create(app("ruled", "breaks", minReplicas=20))
        raise SystemExit("a custom resource breaking a CEL rule was accepted: the figures would measure no CEL")
    except ManifestError:
        pass
    per_round: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for kind in KINDS:  # warm up
        for i in range(min(200, creates // 5)):
            cluster.create(body(kind, f"warm-{i}"))
    for round_ in range(rounds):
        for kind in KINDS:
            objects = [body(kind, f"r{round_}-{i}") for i in range(creates)]
            started = time.perf_counter()
            for obj in objects:
                cluster.create(obj)
            per_round[kind].append((time.perf_counter() - started) / creates * 1e6)
    return {kind: statistics.median(values) for kind, values in per_round.items()}


# --- over HTTP, a server in a process of its own ---------------------------------------------------


async def serve() -> None:
    from fakekube import FakeCluster

    url = await FakeCluster().start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


def path_of(kind: str) -> str:
    return DEPLOYMENTS if kind == "deployment" else f"/apis/{kind}.example.com/v1/namespaces/default/apps"


async def _post_all(port: int, requests: list[tuple[str, bytes]], expect: int = 201) -> None:
    import aiohttp

    queue = list(reversed(requests))
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}",
                                     connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session:
        async def worker() -> None:
            while queue:
                path, data = queue.pop()
                async with session.post(path, data=data, headers={"Content-Type": "application/json"}) as resp:
                    text = await resp.read()
                    if resp.status != expect:
                        raise RuntimeError(f"POST {path} -> {resp.status}: {text.decode()}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def over_http(creates: int) -> dict[str, float]:
    """Server CPU microseconds per create of each kind."""
    proc, port = start("fakekube", __file__)
    try:
        asyncio.run(_post_all(port, [(CRDS, orjson.dumps(crd(f"{k}.example.com", k == "ruled")))
                                     for k in ("plain", "ruled")]))
        time.sleep(0.2)
        asyncio.run(_post_all(port, [(path_of("ruled"), orjson.dumps(app("ruled", "breaks", minReplicas=20)))],
                              expect=422))
        out: dict[str, float] = {}
        for kind in KINDS:
            asyncio.run(_post_all(port, [(path_of(kind), orjson.dumps(body(kind, f"warm-{i}")))
                                         for i in range(min(300, creates // 5))]))
            requests = [(path_of(kind), orjson.dumps(body(kind, f"c-{i}"))) for i in range(creates)]
            before = cpu_seconds(proc.pid)
            asyncio.run(_post_all(port, requests))
            out[kind] = (cpu_seconds(proc.pid) - before) / creates * 1e6
        return out
    finally:
        proc.kill()
        proc.wait()


def report(title: str, figures: dict[str, float]) -> None:
    print(title)
    for kind, label in KINDS.items():
        print(f"  {label:32}{figures[kind]:8.1f} us  {figures[kind] / figures['plain']:5.2f}x no rules  "
              f"{figures[kind] / figures['deployment']:5.2f}x the Deployment")
    print(f"  10 CEL rules add {figures['ruled'] / figures['plain'] - 1:+.1%} to a create   (target <= +50%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http-creates", type=int, default=3000)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    report(f"FakeCluster.create, {args.creates} creates per kind and round, median of {args.rounds} rounds:",
           python_api(args.creates, args.rounds))
    if args.http_creates:
        report(f"HTTP POST, {args.http_creates} creates per kind, {CONCURRENCY} connections, server CPU:",
               over_http(args.http_creates))


if __name__ == "__main__":
    main()
