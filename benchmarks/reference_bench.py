"""fakekube against the real kube-apiserver with etcd (what envtest runs), on the same requests, in one run.

    python benchmarks/reference_bench.py [--quick]

The reference is kube-apiserver v1.37.2 and etcd as ``tools.reference.launch.Reference`` starts them
(envtest's way: temporary etcd data without fsync, generated client CA and admin certificate, RBAC);
fakekube is ``fakekube serve --port P`` in a process of its own.  Both are measured in this run with
the same client code, so the ratios (reference / fakekube) are what carries across machines:

* start to ready: process start to ``/readyz`` answering 200, polled every 50 ms as ``Reference`` does.
  For the reference this is ``Reference.start``: openssl credentials, etcd and kube-apiserver (the
  credentials' share is printed apart); for fakekube, the ``fakekube serve`` process (interpreter,
  imports, cluster, kubeconfig).  One unmeasured start of each first, then the median of the runs.
* per request: server CPU (utime + stime from /proc of etcd + kube-apiserver, or of the fakekube
  process, before and after a batch, divided by its size) and the client's p50/p99 latency, one
  request at a time on one persistent connection (http.client; HTTPS with the admin certificate for
  the reference, plain HTTP for fakekube), after a warm-up: GET a ConfigMap, create a ConfigMap,
  create a ~2 KB Deployment, LIST 1,000 ConfigMaps of one namespace.
* watch fan-out: W watchers (one thread and connection each) on a namespace's ConfigMaps; per write,
  the time from sending the create to the last watcher reading its event (p50/p99 over the writes).
* idle CPU (a few seconds with no requests) and resident memory after the run, for context: the
  per-request CPU of the reference includes whatever its background loops spend during the batch.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from http_bench import deployment

from tools.reference import launch
from tools.reference.launch import Reference, free_port, make_credentials

TICKS = os.sysconf("SC_CLK_TCK")
JSON = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass
class Sizes:
    ref_starts: int = 3
    fake_starts: int = 10
    gets: int = 3000
    creates: int = 1500
    lists: int = 200
    list_objects: int = 1000
    watchers: int = 100
    writes: int = 20
    idle_seconds: float = 5.0
    rounds: int = 4


QUICK = Sizes(ref_starts=1, fake_starts=3, gets=400, creates=200, lists=20, list_objects=1000, watchers=100,
              writes=8, idle_seconds=2.0, rounds=2)


# --- servers ---------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    pids: list[int]
    context: ssl.SSLContext | None
    stop: Any
    conn: Any = None
    figures: dict[str, float] = field(default_factory=dict)
    samples: dict[str, tuple[float, int, list[float]]] = field(default_factory=dict)

    def tally(self, label: str, cpu: float, count: int, latencies: list[float]) -> None:
        """Add a batch to ``label``: server CPU seconds, requests, client latencies (seconds)."""
        total, n, seen = self.samples.get(label, (0.0, 0, []))
        self.samples[label] = (total + cpu, n + count, seen + latencies)

    def finish(self) -> None:
        for label, (cpu, count, latencies) in self.samples.items():
            self.figures[f"{label}: server CPU"] = cpu / count * 1e6
            self.figures[f"{label}: p50"] = statistics.median(latencies) * 1e3
            self.figures[f"{label}: p99"] = percentile(latencies, 0.99) * 1e3


def fakekube_command() -> str:
    found = shutil.which("fakekube", path=str(Path(sys.executable).parent)) or shutil.which("fakekube")
    if not found:
        raise SystemExit("fakekube is not installed in this environment (pip install -e .)")
    return found


def wait_ready(url: str, context: ssl.SSLContext | None, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll ``/readyz`` as ``Reference._wait_ready`` does (``launch.wait_ready``: a new connection every 50 ms)."""
    def alive() -> None:
        if proc.poll() is not None:
            raise RuntimeError(f"fakekube serve exited with {proc.returncode}")

    if not launch.wait_ready(url, context, alive, timeout):
        raise TimeoutError(f"{url} not ready after {timeout} s")


def start_fakekube() -> tuple[Server, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    proc = subprocess.Popen([fakekube_command(), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, None, proc)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    seconds = time.monotonic() - started

    def stop() -> None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    return Server("fakekube", url, [proc.pid], None, stop), seconds


def start_reference() -> tuple[Server, float]:
    ref = Reference()  # finds the cached binaries; timing starts inside start()
    try:
        ref.start()
    except BaseException:
        ref.stop()
        raise
    return Server("kube-apiserver+etcd", ref.url, ref.pids(), ref.ssl_context(), ref.stop), ref.start_seconds


def credentials_seconds() -> float:
    with tempfile.TemporaryDirectory() as directory:
        started = time.monotonic()
        make_credentials(Path(directory))
        return time.monotonic() - started


# --- measurement -----------------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def connect(server: Server) -> http.client.HTTPConnection:
    parts = urlsplit(server.url)
    host = parts.hostname or "127.0.0.1"
    if server.context is not None:
        return http.client.HTTPSConnection(host, parts.port, timeout=120, context=server.context)
    return http.client.HTTPConnection(host, parts.port, timeout=120)


def call(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> bytes:
    conn.request(method, path, body=body, headers=JSON)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 300:
        raise RuntimeError(f"{method} {path} -> {resp.status}: {data[:300]!r}")
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def batch(server: Server, label: str | None, requests: list[tuple[str, str, bytes | None]]) -> None:
    """One request at a time on the server's connection; counted under ``label`` (None: a warm-up)."""
    latencies = []
    before = cpu_seconds(server.pids)
    for method, path, body in requests:
        started = time.perf_counter()
        call(server.conn, method, path, body)
        latencies.append(time.perf_counter() - started)
    cpu = cpu_seconds(server.pids) - before
    if label is not None:
        server.tally(label, cpu, len(requests), latencies)


def configmap(name: str) -> bytes:
    return orjson.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": name, "labels": {"app": "web", "bench": "reference"}},
                         "data": {"mode": "production", "replicas": "3",
                                  "settings.yaml": "log-level: info\nfeature-x: true\n" + "# padding\n" * 15}})


def namespace(name: str) -> bytes:
    return orjson.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


CMS, DEPS = "/api/v1/namespaces/bench/configmaps", "/apis/apps/v1/namespaces/bench/deployments"
LISTING, WATCHING = "/api/v1/namespaces/listing/configmaps", "/api/v1/namespaces/watching/configmaps"


def prepare(server: Server, sizes: Sizes) -> None:
    """Namespaces, the ConfigMap to GET, the ConfigMaps to LIST, and a warm-up of every request."""
    server.conn = connect(server)
    for ns in ("bench", "listing", "watching"):
        call(server.conn, "POST", "/api/v1/namespaces", namespace(ns))
    call(server.conn, "POST", CMS, configmap("stored"))
    # fakekube publishes kube-root-ca.crt in every namespace (kube-controller-manager's job, absent from
    # envtest): seed up to the same count of items on both
    present = len(orjson.loads(call(server.conn, "GET", LISTING))["items"])
    for i in range(sizes.list_objects - present):
        call(server.conn, "POST", LISTING, configmap(f"item-{i:05d}"))
    body = call(server.conn, "GET", LISTING)
    assert len(orjson.loads(body)["items"]) == sizes.list_objects
    server.figures["LIST response size"] = len(body)
    warm = max(50, sizes.creates // 10)
    batch(server, None, [("GET", f"{CMS}/stored", None)] * max(50, sizes.gets // 10))
    batch(server, None, [("POST", CMS, configmap(f"warm-{i}")) for i in range(warm)])
    batch(server, None, [("POST", DEPS, orjson.dumps(deployment(f"warm-{i}"))) for i in range(warm)])
    batch(server, None, [("GET", LISTING, None)] * max(3, sizes.lists // 10))


def request_figures(servers: list[Server], sizes: Sizes) -> None:
    """Every figure in ``sizes.rounds`` rounds, the servers alternating (and swapping who goes first), so
    that a change in the machine's load while it runs falls on both."""
    rounds = sizes.rounds

    def alternate(label: str, make: Any, total: int) -> None:
        per = total // rounds
        for r in range(rounds):
            for server in servers if r % 2 == 0 else servers[::-1]:
                batch(server, label, make(r * per, per))

    alternate("GET ConfigMap", lambda first, n: [("GET", f"{CMS}/stored", None)] * n, sizes.gets)
    alternate("create ConfigMap", lambda first, n: [("POST", CMS, configmap(f"cm-{i}"))
                                                    for i in range(first, first + n)], sizes.creates)
    alternate("create Deployment 2 KB", lambda first, n: [("POST", DEPS, orjson.dumps(deployment(f"web-{i}")))
                                                          for i in range(first, first + n)], sizes.creates)
    alternate(f"LIST {sizes.list_objects} ConfigMaps", lambda first, n: [("GET", LISTING, None)] * n, sizes.lists)
    per = sizes.writes // rounds
    for r in range(rounds):
        for server in servers if r % 2 == 0 else servers[::-1]:
            watch_round(server, sizes.watchers, r * per, per)


def watch_round(server: Server, watchers: int, first: int, writes: int) -> None:
    """W watcher threads, each on its own connection; per write, send -> the last watcher read the event."""
    arrivals: dict[int, list[float]] = {first + i: [] for i in range(writes)}
    opened = threading.Semaphore(0)
    errors: list[BaseException] = []

    def watcher() -> None:
        try:
            conn = connect(server)
            conn.request("GET", f"{WATCHING}?watch=1&timeoutSeconds=600", headers=JSON)
            resp = conn.getresponse()
            if resp.status != 200:
                raise RuntimeError(f"watch -> {resp.status}")
            opened.release()
            seen = 0
            while seen < writes:
                line = resp.readline()
                if not line:
                    raise RuntimeError("watch ended early")
                marker = line.find(b'"name":"fan-')
                if marker < 0 or b'"type":"ADDED"' not in line:
                    continue
                end = line.index(b'"', marker + 12)
                number = int(line[marker + 12:end])
                if number in arrivals:
                    arrivals[number].append(time.perf_counter())
                    seen += 1
            conn.close()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            opened.release()

    threads = [threading.Thread(target=watcher, daemon=True) for _ in range(watchers)]
    for thread in threads:
        thread.start()
    for _ in threads:
        opened.acquire(timeout=60)
    if errors:
        raise errors[0]
    time.sleep(1.0)
    sent = []
    before = cpu_seconds(server.pids)
    for i in range(first, first + writes):
        sent.append(time.perf_counter())
        call(server.conn, "POST", WATCHING, configmap(f"fan-{i}"))
        time.sleep(0.2)
    for thread in threads:
        thread.join(60)
    cpu = cpu_seconds(server.pids) - before
    if errors:
        raise errors[0]
    assert all(len(a) == watchers for a in arrivals.values()), "a watcher missed an event"
    delays = [max(arrivals[first + i]) - sent[i] for i in range(writes)]
    server.tally(f"watch fan-out to {watchers}", cpu, writes, delays)


# --- report ----------------------------------------------------------------------------------------


def unit(label: str) -> tuple[str, float]:
    if label.startswith("start to ready") or label.startswith("  of which"):
        return "s", 1.0
    if label.endswith("server CPU"):
        return "us", 1.0
    if label.endswith(("p50", "p99")):
        return "ms", 1.0
    if label == "idle CPU":
        return "% core", 1.0
    if label == "RSS after the run":
        return "MB", 1.0
    if label == "LIST response size":
        return "KB", 1 / 1024
    return "", 1.0


def show(value: float | None, label: str) -> str:
    if value is None:
        return "-"
    suffix, scale = unit(label)
    value *= scale
    digits = 3 if suffix == "s" or 0 < value < 1 else 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f} {suffix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer starts, requests and writes (about a minute)")
    args = parser.parse_args()
    sizes = QUICK if args.quick else Sizes()
    began = time.monotonic()
    print(f"kube-apiserver + etcd (tools.reference, v1.37.2) against fakekube serve; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start\n")

    # start to ready: one unmeasured start of each warms the page and bytecode caches, then the
    # reference's starts spread among fakekube's
    for start in (start_reference, start_fakekube):
        server, _ = start()
        server.stop()
    ref_starts: list[float] = []
    fake_starts: list[float] = []
    every = max(1, sizes.fake_starts // sizes.ref_starts)
    for i in range(max(sizes.fake_starts, sizes.ref_starts * every)):
        if i % every == 0 and len(ref_starts) < sizes.ref_starts:
            server, seconds = start_reference()
            server.stop()
            ref_starts.append(seconds)
        if len(fake_starts) < sizes.fake_starts:
            server, seconds = start_fakekube()
            server.stop()
            fake_starts.append(seconds)
    creds = statistics.median(credentials_seconds() for _ in range(sizes.ref_starts))

    servers: list[Server] = []
    try:
        for start in (start_reference, start_fakekube):
            servers.append(start()[0])
        for server in servers:
            prepare(server, sizes)
        time.sleep(1.0)  # idle: both up, nothing asked of either
        before = [cpu_seconds(server.pids) for server in servers]
        time.sleep(sizes.idle_seconds)
        for server, cpu in zip(servers, before, strict=True):
            server.figures["idle CPU"] = (cpu_seconds(server.pids) - cpu) / sizes.idle_seconds * 100
        request_figures(servers, sizes)
        for server in servers:
            server.finish()
            server.figures["RSS after the run"] = rss_mb(server.pids)
    finally:
        for server in servers:
            server.stop()
    ref, fake = servers

    rows: list[tuple[str, float | None, float | None]] = [
        (f"start to ready (median of {sizes.ref_starts} / {sizes.fake_starts})",
         statistics.median(ref_starts), statistics.median(fake_starts)),
        ("  of which openssl credentials", creds, None),
    ]
    rows += [(label, value, fake.figures[label]) for label, value in ref.figures.items()]
    print(f"{'figure':44}{'kube-apiserver+etcd':>21}{'fakekube':>13}{'ratio':>9}")
    for label, r, f in rows:
        ratio = f"{r / f:.1f}x" if r is not None and f else ""
        print(f"{label:44}{show(r, label):>21}{show(f, label):>13}{ratio:>9}")
    print(f"\nstarts: reference {', '.join(f'{s:.2f}' for s in ref_starts)} s; "
          f"fakekube {', '.join(f'{s:.2f}' for s in fake_starts)} s")
    print(f"batches: {sizes.gets} GETs, {sizes.creates} creates of each kind, {sizes.lists} LISTs, "
          f"{sizes.watchers} watchers x {sizes.writes} writes, in {sizes.rounds} rounds alternating the servers; "
          "one request at a time on one keep-alive connection")
    print(f"took {time.monotonic() - began:.0f} s; load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
