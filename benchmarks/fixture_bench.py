"""What a fresh fake cluster per test costs, next to a bare aiohttp app measured in the same run.

    python benchmarks/fixture_bench.py [--rounds 300] [--tests 1000]

1. Setup + teardown of one cluster, exactly as the ``fake_cluster`` fixture does it (a server
   thread with its own loop, the bootstrap namespaces, a kubeconfig file), against starting and
   stopping a bare aiohttp app on an ephemeral port in a background thread (what any sync fixture
   must do) and in the caller's loop.  Medians over ``--rounds``.
2. ``--tests`` generated tests, each with its own cluster and one create + get over HTTP, run by
   pytest (``-n 2`` on the 2 cores, and in one process; target < 15 s); total wall time, and
   threads, open file descriptors and RSS sampled at the start, middle and end of the run.  The
   same tests against a bare aiohttp app per test show how much of the RSS growth is pytest's own
   per-test bookkeeping.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path


def median_ms(fn: Callable[[], None], rounds: int) -> float:
    for _ in range(min(20, rounds)):
        fn()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bare_app_in_thread() -> None:
    from aiohttp import web

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, web.AppRunner] = {}

    async def start() -> None:
        app = web.Application()
        app.router.add_get("/", hello)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        holder["runner"] = runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(holder["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()


async def bare_app_in_loop() -> None:
    from aiohttp import web

    app = web.Application()
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await runner.cleanup()


def fake_cluster_fixture() -> None:
    from fakekube import FakeCluster

    cluster = FakeCluster()
    cluster.start()
    cluster.kubeconfig_path  # noqa: B018 - the fixture writes it for KUBECONFIG
    cluster.stop()


async def fake_cluster_in_loop() -> None:
    from fakekube import FakeCluster

    async with FakeCluster():
        pass


def per_test_figures(rounds: int) -> None:
    loop = asyncio.new_event_loop()
    bare_thread = median_ms(bare_app_in_thread, rounds)
    fake_thread = median_ms(fake_cluster_fixture, rounds)
    bare_loop = median_ms(lambda: loop.run_until_complete(bare_app_in_loop()), rounds)
    fake_loop = median_ms(lambda: loop.run_until_complete(fake_cluster_in_loop()), rounds)
    loop.close()
    print(f"per-test cost, median of {rounds} (setup + teardown):")
    print(f"  bare aiohttp app, background thread     {bare_thread:6.2f} ms")
    print(f"  fake_cluster fixture (thread, kubeconfig) {fake_thread:6.2f} ms   "
          f"ratio {fake_thread / bare_thread:.2f}x  (target <= 2x and <= 5 ms)")
    print(f"  bare aiohttp app, caller's loop         {bare_loop:6.2f} ms")
    print(f"  `async with FakeCluster()`, caller's loop {fake_loop:6.2f} ms   ratio {fake_loop / bare_loop:.2f}x")


TEST_FILE = '''
import http.client, json, os, threading
import pytest

SAMPLES = os.environ["FAKEKUBE_BENCH_SAMPLES"]
COUNT = int(os.environ["FAKEKUBE_BENCH_COUNT"])


def sample(i):
    if i in (0, COUNT // 2, COUNT - 1):
        rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        line = f"{os.getpid()} {i} {threading.active_count()} {len(os.listdir('/proc/self/fd'))} {rss}\\n"
        with open(SAMPLES, "a") as fh:
            fh.write(line)


@pytest.mark.parametrize("i", range(COUNT))
def test_create_and_get(fake_cluster, i):
    sample(i)
    host, port = fake_cluster.url.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port))
    body = json.dumps({"metadata": {"name": f"cm-{i}"}, "data": {"i": str(i)}})
    conn.request("POST", "/api/v1/namespaces/default/configmaps", body, {"Content-Type": "application/json"})
    created = conn.getresponse()
    assert created.status == 201, created.read()
    created.read()
    conn.request("GET", f"/api/v1/namespaces/default/configmaps/cm-{i}")
    response = conn.getresponse()
    assert response.status == 200 and json.loads(response.read())["data"] == {"i": str(i)}
    conn.close()
'''


BARE_CONFTEST = '''
import asyncio, threading
import pytest
from aiohttp import web


class BareServer:
    """A bare aiohttp app in a thread that stores posted bodies: the baseline for the same tests."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.objects = {}
        ready = threading.Event()

        async def post(request):
            body = await request.read()
            self.objects[request.path] = body
            return web.Response(status=201, body=body, content_type="application/json")

        async def get(request):
            name = request.match_info["name"]
            import json
            for path, body in self.objects.items():
                if json.loads(body)["metadata"]["name"] == name:
                    return web.Response(body=body, content_type="application/json")
            return web.Response(status=404)

        async def start():
            app = web.Application()
            app.router.add_post("/api/v1/namespaces/default/configmaps", post)
            app.router.add_get("/api/v1/namespaces/default/configmaps/{name}", get)
            self.runner = web.AppRunner(app, handle_signals=False, access_log=None)
            await self.runner.setup()
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

        def run():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(start())
            ready.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.runner.cleanup())
            self.loop.close()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait()

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


@pytest.fixture
def fake_cluster():
    server = BareServer()
    yield server
    server.stop()
'''


def suite_figures(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        test_file = Path(tmp) / "test_many_clusters.py"
        test_file.write_text(textwrap.dedent(TEST_FILE))
        bare_dir = Path(tmp) / "bare"
        bare_dir.mkdir()
        (bare_dir / "test_many_clusters.py").write_text(textwrap.dedent(TEST_FILE))
        (bare_dir / "conftest.py").write_text(BARE_CONFTEST)
        runs = (("fakekube, pytest -n 2", ["-n", "2"], test_file),
                ("fakekube, pytest in one process", [], test_file),
                ("baseline: bare aiohttp app per test, one process", ["-p", "no:fakekube"],
                 bare_dir / "test_many_clusters.py"))
        for index, (label, extra, path) in enumerate(runs):
            samples = Path(tmp) / f"samples-{index}.txt"
            env = dict(os.environ, FAKEKUBE_BENCH_SAMPLES=str(samples), FAKEKUBE_BENCH_COUNT=str(count))
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
                                     "no:randomly", *extra, str(path)], cwd=path.parent, env=env,
                                    capture_output=True, text=True)
            wall = time.perf_counter() - started
            summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
            print(f"\n{count} tests with a server each, create + get ({label}): {wall:.1f} s wall - {summary}")
            rows = [line.split() for line in samples.read_text().splitlines()] if samples.exists() else []
            for pid in sorted({r[0] for r in rows}):
                points = sorted((int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows if r[0] == pid)
                shown = ", ".join(f"test {i}: {t} threads, {fds} fds, {rss / 2**20:.0f} MiB"
                                  for i, t, fds, rss in points)
                print(f"  worker {pid}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--tests", type=int, default=1000)
    args = parser.parse_args()
    per_test_figures(args.rounds)
    suite_figures(args.tests)


if __name__ == "__main__":
    main()
