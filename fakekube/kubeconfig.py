"""Kubeconfig documents pointing at a fake cluster, in the shape kubectl and every client library read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TOKEN = "fakekube"


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


def write_kubeconfig(path: str | Path, url: str, name: str = "fakekube") -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(kubeconfig_dict(url, name), sort_keys=False))
    return target
