"""How long the ``fakekube`` command takes to be useful, from process start, against bare Python.

    python benchmarks/start_bench.py [--runs 10] [--no-bytecode-cache] [--tree DIR ...]

What a CI job or a test in another language waits for:

* ``fakekube serve --port 0 --ready-file F``: from the moment the process is spawned until ``F`` exists
  (polled every 5 ms), i.e. the server answers and the kubeconfig is written; then SIGTERM;
* ``fakekube check one-deployment.yaml``: from spawn until the process exits (status 0 expected);

with two baselines measured in the same run, in the same way (spawn to exit): ``python -c pass`` (the
interpreter alone) and ``python -c "import aiohttp"`` (the floor of any aiohttp server).  The four
commands are run round-robin, one run of each per round, so that the CPU load of whatever else runs on
the machine falls on all of them alike; each figure is the median and the best of ``--runs`` rounds,
printed with its ratio to ``python -c pass``.  One warm-up round first.  The CPU time each process used
(until ready, or until it exited) is printed too: on a shared machine it moves far less than wall time.

``--tree DIR`` (repeatable) times fakekube from copies of the source tree instead of the installed one,
in the same rounds: before and after a change, measured back to back.

Bytecode is cached, as an installed package has it (pip compiles it at install): the children run
without ``PYTHONDONTWRITEBYTECODE``, with ``PYTHONPYCACHEPREFIX`` in a temporary directory written by the
warm-up round, so nothing is written into the source tree.  ``--no-bytecode-cache`` measures instead what
a source checkout run with ``PYTHONDONTWRITEBYTECODE=1`` pays: every module without a ``__pycache__`` (all
of fakekube's, in an editable install) compiled at each start.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
"""

POLL = 0.005  # seconds between looks at the ready file
TIMEOUT = 60.0


def fakekube_command(given: str | None) -> list[str]:
    """The ``fakekube`` console script next to this interpreter (what users run), else ``python -m fakekube``."""
    if given:
        return [given]
    script = Path(sys.executable).with_name("fakekube")
    return [str(script)] if script.exists() else [sys.executable, "-m", "fakekube"]


Sample = tuple[float, float]  # wall seconds, CPU seconds of the child (user + system)


def until_exit(argv: list[str], env: dict[str, str]) -> Sample:
    """Seconds from spawn to exit, and the CPU the process used; a non-zero status is an error (the figure
    would mean nothing)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {err.decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime


def cpu_seconds(pid: int) -> float:
    """CPU a running process has used so far (its main thread: ``/proc/PID/schedstat``, in nanoseconds);
    NaN where there is no such file."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return float("nan")


def until_ready(argv: list[str], env: dict[str, str], ready: Path) -> Sample:
    """Seconds from spawn until ``ready`` exists, and the CPU used until then; the server is then stopped
    with SIGTERM (status 0 expected)."""
    ready.unlink(missing_ok=True)
    started = time.perf_counter()
    proc = subprocess.Popen([*argv, "--ready-file", str(ready)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        while not ready.exists():
            if proc.poll() is not None:
                raise SystemExit(f"fakekube serve exited {proc.returncode} before it was ready: "
                                 f"{proc.stderr.read().decode(errors='replace') if proc.stderr else ''}")
            if time.perf_counter() - started > TIMEOUT:
                raise SystemExit(f"fakekube serve not ready after {TIMEOUT:g} s")
            time.sleep(POLL)
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=TIMEOUT)
    if proc.returncode != 0:
        raise SystemExit(f"fakekube serve exited {proc.returncode} on SIGTERM: {err.decode(errors='replace')}")
    return elapsed, cpu


def report(samples: dict[str, list[Sample]]) -> None:
    """Median and best wall time, and median CPU time, each with its ratio to ``python -c pass``'s."""
    base = samples["python -c pass"]
    base_wall = statistics.median(w for w, _ in base)
    base_best = min(w for w, _ in base)
    base_cpu = statistics.median(c for _, c in base)
    width = max(len(name) for name in samples)
    print(f"{'':{width}} {'wall median':>18} {'wall best':>18} {'CPU median':>18}")
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        best = min(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:{width}} {wall * 1000:8.1f}ms {wall / base_wall:6.1f}x {best * 1000:8.1f}ms "
              f"{best / base_best:6.1f}x {cpu * 1000:8.1f}ms {cpu / base_cpu:6.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="rounds measured (default 10)")
    parser.add_argument("--fakekube", default=None, metavar="PATH", help="the fakekube executable to time")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="children run with PYTHONDONTWRITEBYTECODE=1: modules without a __pycache__ are "
                             "compiled at each start")
    parser.add_argument("--tree", action="append", default=[], metavar="DIR",
                        help="time fakekube from this copy of the source tree (put first on PYTHONPATH) "
                             "instead of the installed one; repeat to compare trees in the same rounds")
    args = parser.parse_args()
    fakekube = fakekube_command(args.fakekube)
    work = Path(tempfile.mkdtemp(prefix="fakekube-start-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if args.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # what __pycache__ directories hold is still read
    else:
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    trees = {f" [{tree}]": {**env, "PYTHONPATH": str(Path(tree).resolve())} for tree in args.tree} or {"": env}
    try:
        manifest = work / "deployment.yaml"
        manifest.write_text(DEPLOYMENT)
        ready = work / "ready"
        commands: dict[str, Callable[[], Sample]] = {
            "python -c pass": lambda: until_exit([sys.executable, "-c", "pass"], env),
            "python -c 'import aiohttp'": lambda: until_exit([sys.executable, "-c", "import aiohttp"], env),
        }
        for label, tree_env in trees.items():
            commands[f"fakekube serve, to ready file{label}"] = functools.partial(
                until_ready, [*fakekube, "serve", "--port", "0"], tree_env, ready)
            commands[f"fakekube check, 1 Deployment{label}"] = functools.partial(
                until_exit, [*fakekube, "check", "-q", str(manifest)], tree_env)
        for measure in commands.values():  # warm-up: bytecode written, files in the page cache
            measure()
        samples: dict[str, list[Sample]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, measure in commands.items():
                samples[name].append(measure())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cache = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
    print(f"{args.runs} rounds, {cache}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"ratios to python -c pass")
    report(samples)


if __name__ == "__main__":
    main()
