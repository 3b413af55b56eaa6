"""The ``fakekube`` command line: ``serve`` (the standalone fake API server, for tests in any language and
for CI jobs), ``wait`` and ``check``; its options, help and dispatch.  What ``serve`` does once its options are
read is ``cli_serve``.

A new user runs it once and must be able to use it without reading anything else: what it prints on
start says where the kubeconfig is, how to point a client at it and how to stop it; what it prints when
it cannot start is one line that says why, with an exit status a CI job can tell apart (see
``EXIT_STATUS_HELP``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from fakekube.cli_serve import EXIT_INTERRUPTED, EXIT_USAGE
from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

# Everything else loads when a command needs it (the schema, the server's modules): ``fakekube wait`` runs
# on the standard library alone, and ``serve`` pays only for what it uses (``cli_serve``).

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

MAX_PORT = 65535


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

            from fakekube.cli_serve import serve

            return asyncio.run(serve(args))
        if args.command == "wait":
            from fakekube.wait_command import wait

            return wait(args)
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        return EXIT_INTERRUPTED
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
