"""Kubeconfig documents pointing at a fake cluster, in the shape kubectl and every client library read."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson

TOKEN = "fakekube"
_scratch: list[Path] = []


def scratch_dir() -> Path:
    """One private temporary directory per process for clusters' kubeconfig files (removed at exit)."""
    if not _scratch:
        path = Path(tempfile.mkdtemp(prefix="fakekube-"))
        atexit.register(shutil.rmtree, path, True)
        _scratch.append(path)
    return _scratch[0]


def kubeconfig_dict(url: str, name: str = "fakekube", namespace: str = "default") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [{"name": name, "cluster": {"server": url}}],
        "users": [{"name": name, "user": {"token": TOKEN}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name, "namespace": namespace}}],
        "current-context": name,
    }


def write_kubeconfig(path: str | Path, url: str, name: str = "fakekube", *, as_yaml: bool = True) -> Path:
    """Write a kubeconfig; ``as_yaml=False`` writes JSON (valid YAML too, and ten times faster to write).

    The file appears whole or not at all (written aside, then renamed), so a script that waits for it to
    exist (``until [ -s kubeconfig ]``) never hands kubectl half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc = kubeconfig_dict(url, name)
    if as_yaml:
        import yaml  # only here: the pytest plugin imports this module and writes JSON

        data = yaml.safe_dump(doc, sort_keys=False).encode()
    else:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    real = target.resolve()  # through a symlink, as a plain write would go, rather than replacing the link
    aside = real.with_name(f".{real.name}.{os.getpid()}.tmp")
    try:
        aside.write_bytes(data)
        os.replace(aside, real)
    finally:
        aside.unlink(missing_ok=True)
    return target
