"""Shared test helpers: run kubectl against the test's fake cluster (the plugin's ``fake_cluster``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fakekube import FakeCluster

pytest_plugins = ["pytester"]

KUBECTL = shutil.which("kubectl") or str(Path(sys.executable).parent / "kubectl")


def run_kubectl(kubeconfig: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KUBECONFIG=str(kubeconfig), KUBECACHEDIR=str(kubeconfig.parent / "cache"))
    return subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, input=input, timeout=60)


Kubectl = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def kubectl(fake_cluster: FakeCluster) -> Kubectl:
    """``kubectl("get", "pods")`` against this test's cluster; returns the CompletedProcess."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_kubectl(fake_cluster.kubeconfig_path, *args, input=input)

    return run


class Api:
    """A bare HTTP client for wire-level assertions (status codes, headers, exact bytes)."""

    def __init__(self, url: str):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80

    def request(self, method: str, path: str, body: bytes | str | dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]], bytes]:
        import http.client
        import json

        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        hdrs = {"Authorization": "Bearer test-token"}
        if isinstance(body, dict):
            body = json.dumps(body)
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        out: dict[str, list[str]] = {}
        for key, value in resp.getheaders():
            out.setdefault(key.lower(), []).append(value)
        conn.close()
        return resp.status, out, data

    def json(self, method: str, path: str, body: bytes | str | dict | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict]:
        import json

        status, _, data = self.request(method, path, body, headers)
        return status, json.loads(data)


@pytest.fixture
def api(fake_cluster: FakeCluster) -> Api:
    return Api(fake_cluster.url)
