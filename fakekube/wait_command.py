"""``fakekube wait``: poll a server's ``/readyz`` until it answers 200, for CI scripts that start ``fakekube serve``
in the background.  The standard library only (no aiohttp, none of the server), so that it starts at once; the
command line is parsed in ``fakekube.cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXIT_USAGE = 2  # as ``fakekube.cli``'s


def fail(message: str, status: int = EXIT_USAGE) -> int:
    """One ``fakekube: ...`` line on stderr; returns the exit status."""
    print(f"fakekube: {message}", file=sys.stderr, flush=True)
    return status



class WaitError(Exception):
    """Why ``fakekube wait`` cannot even start polling (exit status 2)."""


def readyz_url(url: str) -> str:
    """The URL to poll: ``URL/readyz`` for a server's URL, or a health URL as it is."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WaitError(f"invalid URL {url!r}: expected http://HOST:PORT or https://HOST:PORT")
    if parts.path.rstrip("/").rsplit("/", 1)[-1] in ("readyz", "livez", "healthz"):
        return url
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/readyz"


def kubeconfig_server(path: Path) -> str | None:
    """The server of the kubeconfig's current context, or None while the file does not exist yet."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WaitError(f"cannot read kubeconfig {path}: {exc.strerror or exc}") from exc
    try:
        doc = json.loads(text)  # fakekube's own are YAML; a JSON one needs no YAML parser
    except ValueError:
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise WaitError(f"cannot read kubeconfig {path}: {str(exc).splitlines()[0]}") from exc
    try:
        context = next(c["context"] for c in doc["contexts"] if c["name"] == doc["current-context"])
        return str(next(c["cluster"]["server"] for c in doc["clusters"] if c["name"] == context["cluster"]))
    except (KeyError, TypeError, StopIteration):
        raise WaitError(f"cannot read kubeconfig {path}: no server for its current context") from None


def wait(args: argparse.Namespace) -> int:
    """``fakekube wait``: poll until /readyz answers 200 (0), or give up after --timeout (1)."""
    import urllib.error
    import urllib.request

    if (args.url is None) == (args.kubeconfig is None):
        return fail("wait: give either a URL or --kubeconfig PATH (see fakekube wait --help)")
    started = time.monotonic()
    deadline = started + args.timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight there, whatever *_proxy say
    target = args.url or str(args.kubeconfig)
    last = "not tried"
    delay = 0.01
    while True:
        try:
            server = args.url if args.url is not None else kubeconfig_server(args.kubeconfig)
            if server is None:
                last = f"kubeconfig {args.kubeconfig} does not exist yet"
            else:
                target = readyz_url(server)
                with opener.open(target, timeout=max(0.1, min(5.0, deadline - time.monotonic()))) as response:
                    if response.status == 200:
                        print(f"fakekube: {target} is ready ({time.monotonic() - started:.2f} s)", flush=True)
                        return 0
                    last = f"HTTP {response.status}"
        except WaitError as exc:
            return fail(f"wait: {exc}")
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:  # refused, reset, timed out, a malformed answer
            reason = getattr(exc, "reason", None) or exc
            last = str(getattr(reason, "strerror", None) or reason)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return fail(f"wait: {target} not ready after {args.timeout:g} s (last: {last})", 1)
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.2)
