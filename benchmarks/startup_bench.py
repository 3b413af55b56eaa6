"""What the first cluster of a process costs, against a bare aiohttp server started the same way.

Each figure is measured in fresh processes (bytecode cached in a temporary directory, as an installed
package has it), median of ``--runs``:

* first cluster: import fakekube, construct, start (thread), first GET, first Deployment create;
  baseline: import aiohttp, start a bare app in a thread, first GET;
* a second cluster in the same process (what every later test pays);
* the pytest plugin's import in a pytest process that makes no cluster (baseline: ``import pytest``).

    python benchmarks/startup_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

FIRST_CLUSTER = r"""
import json, time, urllib.request
t0 = time.perf_counter()
from fakekube import FakeCluster
def first(cluster):
    url = cluster.start()
    urllib.request.urlopen(url + "/api/v1/namespaces").read()
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {
        "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})
    cluster.stop()
first(FakeCluster())
t1 = time.perf_counter()
first(FakeCluster())
t2 = time.perf_counter()
print(json.dumps({"first": t1 - t0, "second": t2 - t1}))
"""

BARE_AIOHTTP = r"""
import json, time, urllib.request, threading, asyncio
t0 = time.perf_counter()
from aiohttp import web
async def handler(request):
    return web.json_response({"items": []})
def serve(ready, box):
    loop = asyncio.new_event_loop()
    app = web.Application(); app.router.add_get("/api/v1/namespaces", handler)
    runner = web.AppRunner(app); loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0); loop.run_until_complete(site.start())
    box.append(runner.addresses[0][1]); ready.set()
    loop.run_forever()
ready, box = threading.Event(), []
threading.Thread(target=serve, args=(ready, box), daemon=True).start(); ready.wait()
urllib.request.urlopen(f"http://127.0.0.1:{box[0]}/api/v1/namespaces").read()
print(json.dumps({"first": time.perf_counter() - t0}))
"""

PLUGIN_IMPORT = r"""
import json, time, importlib.metadata as md
import pytest
plugins = [ep for ep in md.entry_points(group="pytest11")]
for ep in plugins:
    if ep.name != "fakekube":
        ep.load()
t = time.perf_counter()
[ep.load() for ep in plugins if ep.name == "fakekube"]
print(json.dumps({"plugin": time.perf_counter() - t}))
"""


def measure(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def median_ms(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(s[key] for s in samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for code in (FIRST_CLUSTER, BARE_AIOHTTP, PLUGIN_IMPORT):  # warm the bytecode cache
            measure(code, env)
        fake = [measure(FIRST_CLUSTER, env) for _ in range(args.runs)]
        bare = [measure(BARE_AIOHTTP, env) for _ in range(args.runs)]
        plugin = [measure(PLUGIN_IMPORT, env) for _ in range(args.runs)]
    first, baseline = median_ms(fake, "first"), median_ms(bare, "first")
    print(f"first cluster (import, start, GET, create): {first:7.1f} ms")
    print(f"bare aiohttp (import, start, GET):          {baseline:7.1f} ms   ratio {first / baseline:.2f}x")
    print(f"second cluster in the same process:         {median_ms(fake, 'second'):7.1f} ms")
    print(f"pytest plugin import (no cluster made):     {median_ms(plugin, 'plugin'):7.1f} ms")


if __name__ == "__main__":
    main()
