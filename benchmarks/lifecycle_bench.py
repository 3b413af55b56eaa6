"""Object lifecycle figures, each as a ratio to a baseline measured in the same run.

    python benchmarks/lifecycle_bench.py [--objects 10000] [--dependents 1000] [--requests 3000]

* **Namespace deletion**: a namespace holding ``--objects`` ConfigMaps is deleted; the time until it is
  gone (the namespace controller deleting every object, then ``/finalize``) against the time it took to
  create those objects, both through the registry in-process.
* **Garbage collection**: an owner with ``--dependents`` dependents deleted in the background; the time
  until the last dependent is gone against creating them.
* **Pod create CPU**: the server's CPU per request (from /proc) for a POST of a full Pod (defaulting
  and validation of its spec) against a bare aiohttp handler that stores the body, over loopback, each
  server in its own process.  Target from the lifecycle issue: at most 3.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from http_bench import CONCURRENCY, cpu_seconds, drive, serve_bare, start

from fakekube import FakeCluster
from fakekube.registry.context import Context
from fakekube.registry.rest import DeleteOptions

CTX = Context(user_agent="bench")


def full_pod(name: str) -> dict[str, Any]:
    """A Pod as a workload's template makes it: ports, env, resources, probes, volumes, security context."""
    env = [{"name": f"SETTING_{i}", "value": f"value-{i}"} for i in range(8)]
    env.append({"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}})
    container = {
        "name": "web", "image": "registry.example.com/team/web:1.27.3",
        "ports": [{"containerPort": 8080, "name": "http"}, {"containerPort": 9090, "name": "metrics"}],
        "env": env, "envFrom": [{"configMapRef": {"name": "web-config"}}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5},
        "livenessProbe": {"httpGet": {"path": "/live", "port": 8080}, "initialDelaySeconds": 10},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/web"}, {"name": "cache", "mountPath": "/cache"}],
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                            "capabilities": {"drop": ["ALL"]}},
    }
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web", "tier": "frontend"}},
        "spec": {"containers": [container],
                 "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sh", "-c", "true"]}],
                 "volumes": [{"name": "config", "configMap": {"name": "web-config"}},
                             {"name": "cache", "emptyDir": {}}],
                 "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}],
                 "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                     "weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}},
                                                        "topologyKey": "kubernetes.io/hostname"}}]}},
                 "serviceAccountName": "default", "nodeSelector": {"kubernetes.io/os": "linux"}},
    }


def namespace_deletion(count: int) -> tuple[float, float]:
    cluster = FakeCluster(bootstrap=())
    namespaces, configmaps = cluster.resource("Namespace"), cluster.resource("ConfigMap")
    cluster.registry.create(CTX, namespaces, "", {"metadata": {"name": "bulk"}})
    cluster.settle()
    started = time.perf_counter()
    for i in range(count):
        cluster.registry.create(CTX, configmaps, "bulk", {"metadata": {"name": f"cm-{i}"}, "data": {"k": "v"}})
    created = time.perf_counter() - started
    started = time.perf_counter()
    cluster.registry.delete(CTX, namespaces, "", "bulk", DeleteOptions())
    cluster.settle()
    gone = time.perf_counter() - started
    assert cluster.store.get(namespaces.storage_key, ("", "bulk")) is None
    return created, gone


def garbage_collection(count: int) -> tuple[float, float]:
    cluster = FakeCluster(bootstrap=())
    configmaps = cluster.resource("ConfigMap")
    owner = orjson.loads(cluster.registry.create(CTX, configmaps, "default", {"metadata": {"name": "owner"}}).data)
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"]}
    started = time.perf_counter()
    for i in range(count):
        body = {"metadata": {"name": f"dep-{i}", "ownerReferences": [ref]}}
        cluster.registry.create(CTX, configmaps, "default", body)
    created = time.perf_counter() - started
    started = time.perf_counter()
    cluster.registry.delete(CTX, configmaps, "default", "owner", DeleteOptions(propagation_policy="Background"))
    cluster.settle()
    gone = time.perf_counter() - started
    assert not [k for k, _ in cluster.store.iter_table(configmaps.storage_key) if k[1].startswith(("dep-", "owner"))]
    return created, gone


async def serve_pods() -> None:
    cluster = FakeCluster()
    url = await cluster.start_async()
    print(url.rsplit(":", 1)[1], flush=True)
    await asyncio.Event().wait()


def minimal_pod(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}


def post_cpu(mode: str, count: int, make: Any = full_pod) -> float:
    """Server CPU microseconds per POST of a Pod ``make`` builds."""
    proc, port = start(mode, __file__)
    path = "/objects" if mode == "bare" else "/api/v1/namespaces/default/pods"
    try:
        warm = [orjson.dumps(make(f"warm-{i}")) for i in range(200)]
        asyncio.run(drive(port, "POST", [path] * len(warm), warm))
        bodies = [orjson.dumps(make(f"web-{i}")) for i in range(count)]
        before = cpu_seconds(proc.pid)
        asyncio.run(drive(port, "POST", [path] * count, bodies))
        return (cpu_seconds(proc.pid) - before) / count * 1e6
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--dependents", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve_bare() if args.serve == "bare" else serve_pods())
        return
    created, gone = namespace_deletion(args.objects)
    print(f"namespace with {args.objects} objects: created in {created:.2f} s, deleted and gone in {gone:.2f} s "
          f"({gone / created:.2f}x the creates)")
    created, gone = garbage_collection(args.dependents)
    print(f"owner with {args.dependents} dependents: created in {created * 1e3:.0f} ms, collected in "
          f"{gone * 1e3:.0f} ms ({gone / created:.2f}x the creates)")
    for label, make in (("a full Pod (2.3 KB)", full_pod), ("a minimal Pod", minimal_pod)):
        bare, pods = post_cpu("bare", args.requests, make), post_cpu("fakekube", args.requests, make)
        print(f"POST of {label}, server CPU per request ({CONCURRENCY} connections): bare aiohttp {bare:.0f} us, "
              f"fakekube {pods:.0f} us ({pods / bare:.2f}x; target <= 3.5x)")


if __name__ == "__main__":
    main()
