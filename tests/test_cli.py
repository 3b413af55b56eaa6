"""``fakekube serve`` as a user runs it: a subprocess, a kubeconfig, manifests loaded at start, signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import run_kubectl


def start_server(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "fakekube", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "serving at http://127.0.0.1:" in line, line + (proc.stderr.read() if proc.poll() is not None else "")
    return proc, line.rsplit(" ", 1)[-1].strip()


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> int:
    proc.send_signal(sig)
    return proc.wait(timeout=10)


def test_serve_writes_a_kubeconfig_and_loads_manifests(tmp_path):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: preloaded}\n")
    (manifests / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seed, namespace: preloaded}\ndata: {a: b}\n")
    kubeconfig = tmp_path / "kubeconfig"
    proc, url = start_server("--kubeconfig", str(kubeconfig), "--load", str(manifests))
    try:
        got = run_kubectl(kubeconfig, "get", "configmap", "seed", "-n", "preloaded", "-o", "jsonpath={.data.a}")
        assert got.returncode == 0, got.stderr
        assert got.stdout == "b"
        version = run_kubectl(kubeconfig, "version", "-o", "json")
        assert '"gitVersion": "v1.36.0"' in version.stdout
        assert url.startswith("http://127.0.0.1:")
    finally:
        assert stop(proc, signal.SIGINT) == 0
    assert "fakekube stopped" in proc.stdout.read()


def test_an_invalid_manifest_stops_start_up_naming_file_document_and_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n---\n"
                   "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: x}\n")
    result = subprocess.run([sys.executable, "-m", "fakekube", "serve", "--load", str(bad)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"{bad} (document 2)" in result.stderr
    assert "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32" in result.stderr


def test_an_unknown_kind_in_a_manifest_is_reported(tmp_path):
    bad = tmp_path / "widget.yaml"
    bad.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    result = subprocess.run(["fakekube", "serve", "--load", str(bad)], capture_output=True, text=True, timeout=30,
                            env=dict(os.environ, PATH=path))
    assert result.returncode == 1
    assert 'no matches for kind "Widget" in version "example.com/v1"' in result.stderr


@pytest.mark.parametrize("version", ["v1.33", "v1.35"])
def test_serve_emulates_older_versions(tmp_path, version):
    kubeconfig = tmp_path / "kubeconfig"
    proc, _ = start_server("--kubeconfig", str(kubeconfig), "--kubernetes-version", version)
    try:
        result = run_kubectl(kubeconfig, "version", "-o", "json")
        assert f'"gitVersion": "{version}.0"' in result.stdout
    finally:
        stop(proc)
