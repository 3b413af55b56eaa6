"""``fakekube serve`` once its options are read: everything that can fail checked and built first (the
cluster, the --load paths and manifests, the files it writes, the address it listens on), each failure one
``fakekube: ...`` line and an exit status; then serving until a stop signal, and a clean stop.

Why apart from ``cli``: the command line (options, help, dispatch) and running a server are two jobs;
``fakekube wait`` and ``--help`` need only the first.  This module imports the standard library alone at
load time; the cluster and the server's modules load when ``serve`` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import shlex
import signal
import socket
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

    from fakekube.cluster import FakeCluster

# Exit statuses.  2 is what argparse already uses for a bad command line; every other problem of the
# command line or of the machine (port, address, files) joins it, so that 1 means one thing only: the
# manifests given to --load are wrong, which is the user's YAML to fix, not the way fakekube was started.
EXIT_STOPPED = 0
EXIT_INVALID_MANIFESTS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # interrupted before it could handle signals itself, as shells report SIGINT

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartupError(Exception):
    """A reason fakekube cannot start, worded as the one line the user sees (exit status 2)."""


# --- start-up ------------------------------------------------------------------------------------


def make_cluster(args: argparse.Namespace) -> FakeCluster:
    """The cluster the flags describe; a setting it refuses (a bad --runtime-config...) is a StartupError."""
    from fakekube.cluster import FakeCluster
    from fakekube.errors import RuntimeConfigError

    log_requests = args.log_requests or args.log_format == "json" or args.log_file is not None

    try:
        return FakeCluster(args.kubernetes_version, runtime_config=args.runtime_config, host=args.host,
                           port=args.port, log_requests=log_requests, field_validation=args.field_validation)
    except RuntimeConfigError as exc:
        raise StartupError(f"invalid --runtime-config: {exc}") from exc
    except ValueError as exc:
        raise StartupError(str(exc)) from exc


def check_load_paths(paths: Sequence[Path]) -> None:
    """A missing or unreadable --load path is a mistake in how fakekube was started (exit status 2), not
    an invalid manifest (1): check every path can be opened before anything is applied."""
    from fakekube.manifests import manifest_files

    for path in paths:
        if not path.exists():
            raise StartupError(f"cannot load {path}: no such file or directory")
        try:
            if path.is_dir():
                with os.scandir(path):  # an unreadable directory raises here; rglob would skip it silently
                    pass
            for file in manifest_files(path):
                # Non-blocking, so that a pipe (--load <(kustomize build)) is not waited on here.
                os.close(os.open(file, os.O_RDONLY | os.O_NONBLOCK))
        except OSError as exc:
            raise StartupError(f"cannot read {exc.filename or path}: {exc.strerror or exc}") from exc


def load_manifests(cluster: FakeCluster, paths: Sequence[Path]) -> None:
    """Apply the --load paths; the API server's warnings (--field-validation Warn) are shown as one line
    each rather than as Python warnings with a source location."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for path in paths:
            cluster.apply(path)
    for warning in caught:
        print(f"fakekube: warning: {warning.message}", file=sys.stderr)


def _address(host: str, port: int) -> str:
    """``host:port`` as a URL shows it (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def listen_error(host: str, port: int, exc: OSError) -> str:
    """One line saying why ``host:port`` cannot be listened on, and what to do about it."""
    where = _address(host, port)
    if isinstance(exc, socket.gaierror):
        return f"cannot listen on {where}: cannot resolve host {host!r}: {exc.strerror}"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: address already in use (choose another --port; --port 0 picks a free one)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: {host} is not an address of this machine (try --host 127.0.0.1)"
    if exc.errno == errno.EACCES:
        return f"cannot listen on {where}: permission denied (ports below 1024 need privileges)"
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return f"cannot listen on {where}: {reason}"


async def listen(cluster: FakeCluster, host: str, port: int) -> str:
    """Start serving; returns the URL.  An address or port that cannot be bound is a StartupError.  The
    modules only some requests need load after the ready file is written (``preload_after_ready``)."""
    try:
        return await cluster.start_async(preload=False)
    except OSError as exc:
        raise StartupError(listen_error(host, port, exc)) from exc


@dataclass(frozen=True)
class KubeconfigFile:
    """The kubeconfig pointing at this server, and whether fakekube removes it when it stops."""

    path: Path
    temporary: bool

    def remove_if_temporary(self) -> None:
        """Remove the file fakekube chose; one the user named is theirs and stays."""
        if self.temporary:
            self.path.unlink(missing_ok=True)


def write_kubeconfig(cluster: FakeCluster, named: Path | None) -> KubeconfigFile:
    """Write the user's --kubeconfig (kept), or a temporary one (removed on stop): without a kubeconfig a
    new user has no way in, so there is always one."""
    from fakekube import kubeconfig

    target = KubeconfigFile(named.resolve(), False) if named else KubeconfigFile(
        kubeconfig.scratch_dir() / "kubeconfig", True)
    try:
        cluster.write_kubeconfig(target.path)
    except OSError as exc:
        raise StartupError(f"cannot write kubeconfig {target.path}: {exc.strerror or exc}") from exc
    return target


def announce(cluster: FakeCluster, url: str, config: KubeconfigFile) -> None:
    """What a user needs once it is up: where it serves, the kubeconfig, the line to paste, how to stop."""
    kept = ("temporary: removed when fakekube stops; --kubeconfig PATH writes one that is kept"
            if config.temporary else "kept after fakekube stops")
    print(f"fakekube {cluster.git_version} serving at {url}")
    print(f"kubeconfig written to {config.path} ({kept}); to use it, paste:")
    print(f"export KUBECONFIG={shlex.quote(str(config.path))}")  # alone on its line, to paste as it is
    print(f"stop with Ctrl-C (SIGINT) or: kill -TERM {os.getpid()}", flush=True)


def write_file(path: Path, text: str, option: str) -> Path:
    """Write ``text`` to ``path`` whole or not at all (aside, then renamed): a script waiting for the file
    to exist never reads half of it.  Returns the absolute path, to remove on stop."""
    target = path.resolve()
    aside = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        aside.write_text(text)
        os.replace(aside, target)
    except OSError as exc:
        raise StartupError(f"cannot write {option} {target}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):  # not there, or its directory is not one
            aside.unlink()
    return target


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: a request (``extra={"request": {...}}`` from the HTTP layer's request log)
    with its time first, or any other record as time, level, logger and message."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
        fields: dict[str, Any] = {"time": when.replace("+00:00", "Z")}
        request = getattr(record, "request", None)
        if isinstance(request, dict):
            fields.update(request)
        else:
            fields.update(level=record.levelname, logger=record.name, message=record.getMessage())
            if record.exc_info:
                fields["exception"] = self.formatException(record.exc_info)
        return json.dumps(fields, ensure_ascii=False)


def configure_logging(args: argparse.Namespace) -> None:
    """The request log (--log-requests, --log-format, --log-file); a --log-file it cannot open is a
    StartupError.  Lines are flushed one by one, so the file is whole at any moment a CI job copies it."""
    if not (args.log_requests or args.log_format == "json" or args.log_file is not None):
        return
    handler: logging.Handler
    if args.log_file is not None:
        try:
            args.log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(args.log_file, encoding="utf-8")
        except OSError as exc:
            raise StartupError(f"cannot write --log-file {args.log_file}: {exc.strerror or exc}") from exc
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter() if args.log_format == "json"
                         else logging.Formatter("%(asctime)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def preload_after_ready() -> None:
    """Load what only some requests need (patch engines, protobuf, OpenAPI, CRD validation, CEL) once the
    server is announced, rather than before: readiness comes sooner, and a client that starts when the
    ready file appears still finds them loaded (a request arriving meanwhile waits for them, as it would
    have waited for the start)."""
    from fakekube.http.app import load_request_time_modules

    load_request_time_modules()


def stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM, installed before anything is written so that a signal at any
    point still ends in a clean stop (and the temporary kubeconfig removed)."""
    import asyncio

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    return stop


def fail(message: str, status: int = EXIT_USAGE) -> int:
    """Report why it cannot start as one ``fakekube: ...`` line on stderr; returns the exit status."""
    print(f"fakekube: {message}", file=sys.stderr, flush=True)
    return status


async def serve(args: argparse.Namespace) -> int:
    """``fakekube serve``: check and build everything that can fail before serving, so that a failure is
    one line and an exit status, then serve until a stop signal."""
    from fakekube.manifests import ManifestError

    stop = stop_event()
    pid_file: Path | None = None
    try:
        if args.pid_file is not None:
            pid_file = write_file(args.pid_file, f"{os.getpid()}\n", "--pid-file")
        configure_logging(args)
        cluster = make_cluster(args)
        check_load_paths(args.load)
        try:
            load_manifests(cluster, args.load)
        except ManifestError as exc:
            return fail(f"cannot load manifests: {exc}", EXIT_INVALID_MANIFESTS)
        return await run(cluster, args, stop)
    except StartupError as exc:
        return fail(str(exc))
    finally:
        if pid_file is not None:
            pid_file.unlink(missing_ok=True)


async def run(cluster: FakeCluster, args: argparse.Namespace, stop: asyncio.Event) -> int:
    """Serve until a stop signal; whatever happens, the server is closed, a temporary kubeconfig and the
    ready file removed.  The ready file is written last, when everything a client needs is in place."""
    config: KubeconfigFile | None = None
    ready: Path | None = None
    try:
        url = await listen(cluster, args.host, args.port)
        config = write_kubeconfig(cluster, args.kubeconfig)
        if args.ready_file is not None:
            ready = write_file(args.ready_file, f"{url}\n", "--ready-file")
        announce(cluster, url, config)
        preload_after_ready()
        await stop.wait()
    finally:
        if ready is not None:  # first: whoever reads it must not find a server that is going away
            ready.unlink(missing_ok=True)
        await cluster.stop_async()
        if config is not None:
            config.remove_if_temporary()
    print("fakekube stopped", flush=True)
    return EXIT_STOPPED
