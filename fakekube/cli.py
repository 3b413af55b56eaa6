"""``fakekube serve``: the standalone fake API server, for tests in any language and for CI jobs.

A new user runs it once and must be able to use it without reading anything else: what it prints on
start says where the kubeconfig is, how to point a client at it and how to stop it; what it prints when
it cannot start is one line that says why, with an exit status a CI job can tell apart (see
``EXIT_STATUS_HELP``).
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
from typing import TYPE_CHECKING, Any, NoReturn

from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

# Everything else loads when a command needs it (asyncio, the schema, the server's modules): ``fakekube
# wait`` runs on the standard library alone, and ``serve`` pays only for what it uses.
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

EXIT_STATUS_HELP = """\
exit status:
  0  stopped by SIGINT (Ctrl-C) or SIGTERM
  1  a manifest given to --load is invalid (every bad document is named on stderr)
  2  it could not start: a bad option, a port in use or out of range, an address it cannot
     listen on, a --load path missing or unreadable, a --runtime-config kube-apiserver would
     refuse, a --kubeconfig, --ready-file, --pid-file or --log-file it cannot write

A stop signal stops it cleanly: the server closed, the --ready-file, the --pid-file and a temporary
kubeconfig removed (a --kubeconfig or --log-file you name is kept), then exit status 0.

ready: the --ready-file appears (whole, holding the server's URL) once /readyz answers 200, after
--load; `fakekube wait URL` or `fakekube wait --kubeconfig PATH` waits for the same.  The --pid-file
appears as soon as SIGTERM is handled, so `kill -TERM "$(cat PIDFILE)"` always ends in status 0."""

WAIT_HELP = """\
exit status:
  0  /readyz answered 200
  1  it did not within --timeout (the last error is on stderr)
  2  a bad option, a URL that is not http(s), a kubeconfig it cannot read"""

LOG_FORMATS = ("text", "json")
DEFAULT_WAIT_TIMEOUT = 30.0

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
MAX_PORT = 65535


class StartupError(Exception):
    """A reason fakekube cannot start, worded as the one line the user sees (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit status 2), like every other start-up error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def package_version() -> str:
    """fakekube's own version, from the installed distribution's metadata (not a constant to forget)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("fakekube")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def version_text() -> str:
    """What ``fakekube --version`` prints: fakekube's version, then the Kubernetes versions it emulates."""
    return (f"fakekube {package_version()}\n"
            f"emulates Kubernetes {', '.join(SUPPORTED_VERSIONS)} (default {DEFAULT_VERSION})")


class _VersionAction(argparse.Action):
    """``--version``: print ``version_text()`` as it is (argparse's own action would re-wrap its lines)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit(0)


def port_number(text: str) -> int:
    """``--port``: refused by argparse when it is not a TCP port, before anything starts."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: not a number") from None
    if not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"port {port} is out of range 0-{MAX_PORT}")
    return port


def seconds(text: str) -> float:
    """``--timeout``: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}: not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}: must be more than 0 seconds")
    return value


def add_wait_arguments(wait: argparse.ArgumentParser) -> None:
    """The options of ``fakekube wait``: in the full command line, and on their own (``main``'s fast path)."""
    wait.add_argument("url", nargs="?", metavar="URL",
                      help="the server's URL (its /readyz is polled), or a full URL to poll as it is")
    wait.add_argument("--kubeconfig", type=Path, metavar="PATH",
                      help="poll the server of this kubeconfig's current context instead (the file may not "
                           "exist yet: it is waited for too)")
    wait.add_argument("--timeout", type=seconds, default=DEFAULT_WAIT_TIMEOUT, metavar="SECONDS",
                      help=f"give up after this long, exit status 1 (default {DEFAULT_WAIT_TIMEOUT:g})")


def wait_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fakekube wait", description=WAIT_DESCRIPTION, epilog=WAIT_HELP,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_wait_arguments(parser)
    return parser


WAIT_DESCRIPTION = "Wait until a fakekube (or any Kubernetes API server) answers 200 on /readyz."


def build_parser() -> argparse.ArgumentParser:
    """The command line; every bad option is refused here, before anything starts."""
    from fakekube.schema.validation import FIELD_VALIDATION_MODES, STRICT

    parser = _Parser(prog="fakekube", description="An in-memory fake Kubernetes API server.")
    parser.add_argument("--version", action=_VersionAction,
                        help="print fakekube's version and the Kubernetes versions it emulates, then exit")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", add_help=False,
                   help="validate manifests as kube-apiserver would, across Kubernetes versions (fakekube check -h)")
    serve = sub.add_parser("serve", help="run a fake API server until interrupted", epilog=EXIT_STATUS_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           description="Run a fake Kubernetes API server until Ctrl-C (SIGINT) or SIGTERM.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=0,
                       help="port to listen on; 0 picks a free one (default 0)")
    serve.add_argument("--kubeconfig", type=Path, metavar="PATH",
                       help="write the kubeconfig here and keep it after stopping (default: a temporary "
                            "file, printed at start and removed on stop)")
    serve.add_argument("--kubernetes-version", default=DEFAULT_VERSION, choices=SUPPORTED_VERSIONS,
                       help=f"Kubernetes version to emulate (default {DEFAULT_VERSION})")
    serve.add_argument("--runtime-config", default=None, metavar="KEY=BOOL,...",
                       help="API versions on or off, read and checked as kube-apiserver's flag: api/all, api/ga, "
                            "api/beta, api/alpha, GROUP/VERSION (v1 for the core group), GROUP/VERSION/RESOURCE "
                            "(/v1/RESOURCE in the core group), e.g. 'resource.k8s.io/v1beta2=true,api/beta=true'; "
                            "a group or version this Kubernetes version lacks is refused")
    serve.add_argument("--load", type=Path, nargs="+", default=[], metavar="PATH",
                       help="YAML files or directories to apply at start")
    serve.add_argument("--field-validation", choices=FIELD_VALIDATION_MODES, default=STRICT,
                       help="unknown fields in --load manifests: Strict refuses them, as kubectl "
                            "apply does (default); Warn loads them and warns; Ignore drops them")
    serve.add_argument("--log-requests", action="store_true",
                       help="log every request (to stderr, or to --log-file)")
    serve.add_argument("--log-format", choices=LOG_FORMATS, default="text",
                       help="request log lines as text (default) or one JSON object per line: time (RFC 3339), "
                            "method, path (with the query), status, verb, duration_ms, user_agent, bytes; "
                            "json turns --log-requests on")
    serve.add_argument("--log-file", type=Path, metavar="PATH",
                       help="append the request log to this file instead of stderr (kept after stopping); "
                            "turns --log-requests on")
    serve.add_argument("--ready-file", type=Path, metavar="PATH",
                       help="write the server's URL to this file once it is ready (/readyz answers 200); "
                            "removed on stop")
    serve.add_argument("--pid-file", type=Path, metavar="PATH",
                       help="write fakekube's process id here at start, once SIGTERM is handled; removed on stop")
    wait = sub.add_parser("wait", help="wait until a server answers 200 on /readyz (fakekube wait -h)",
                          description=WAIT_DESCRIPTION, epilog=WAIT_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    add_wait_arguments(wait)
    return parser


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


def main(argv: list[str] | None = None) -> int:
    """The ``fakekube`` entry point; returns the exit status (see ``EXIT_STATUS_HELP``)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:  # its own command line (fakekube/check/command.py)
        from fakekube.check.command import main as check_main

        return check_main(argv[1:])
    if argv[:1] == ["wait"]:  # without the full command line, whose choices need the schema loaded
        from fakekube.wait_command import wait

        return wait(wait_parser().parse_args(argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            import asyncio

            return asyncio.run(serve(args))
        if args.command == "wait":
            from fakekube.wait_command import wait

            return wait(args)
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        return EXIT_INTERRUPTED
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
