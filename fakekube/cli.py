"""``fakekube serve``: the standalone fake API server, for tests in any language and for CI jobs."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from fakekube.registry.catalog import DEFAULT_VERSION, SUPPORTED_VERSIONS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakekube", description="An in-memory fake Kubernetes API server.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run a fake API server until interrupted")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default 0)")
    serve.add_argument("--kubeconfig", type=Path, help="write a kubeconfig whose current context points here")
    serve.add_argument("--kubernetes-version", default=DEFAULT_VERSION, choices=SUPPORTED_VERSIONS,
                       help=f"Kubernetes version to emulate (default {DEFAULT_VERSION})")
    serve.add_argument("--runtime-config", default=None,
                       help="enable/disable API versions, e.g. 'resource.k8s.io/v1beta1=true,api/beta=true'")
    serve.add_argument("--load", type=Path, nargs="+", default=[], metavar="PATH",
                       help="YAML files or directories to apply at start")
    serve.add_argument("--log-requests", action="store_true", help="log every request to stderr")
    return parser


async def serve(args: argparse.Namespace) -> int:
    from fakekube.cluster import FakeCluster
    from fakekube.manifests import ManifestError

    cluster = FakeCluster(args.kubernetes_version, runtime_config=args.runtime_config, host=args.host,
                          port=args.port, log_requests=args.log_requests)
    try:
        for path in args.load:
            if not path.exists():
                raise ManifestError(f"{path}: no such file or directory")
            cluster.apply(path)
    except ManifestError as exc:
        print(f"fakekube: cannot load manifests: {exc}", file=sys.stderr)
        return 1
    url = await cluster.start_async()
    if args.kubeconfig:
        cluster.write_kubeconfig(args.kubeconfig)
    print(f"fakekube {cluster.git_version} serving at {url}", flush=True)
    if args.kubeconfig:
        print(f"kubeconfig written to {args.kubeconfig}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await cluster.stop_async()
    print("fakekube stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "log_requests", False):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if args.command == "serve":
        return asyncio.run(serve(args))
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
