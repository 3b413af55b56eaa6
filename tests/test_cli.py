"""``fakekube serve`` as a user runs it: a subprocess, a kubeconfig, manifests loaded at start, signals."""

from __future__ import annotations

import importlib.metadata
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_kubectl

from fakekube.versions import SUPPORTED_VERSIONS


def start_server(*args: str, cwd: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """``fakekube serve --port 0 ARGS`` in a subprocess, once it serves; returns it and its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "fakekube", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "serving at http://127.0.0.1:" in line, line + (proc.stderr.read() if proc.poll() is not None else "")
    return proc, line.rsplit(" ", 1)[-1].strip()


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> int:
    proc.send_signal(sig)
    return proc.wait(timeout=10)


def announcement(proc: subprocess.Popen[str]) -> tuple[Path, list[str]]:
    """The lines ``serve`` prints after its first one, and the kubeconfig its ``export`` line names."""
    assert proc.stdout is not None
    lines = [proc.stdout.readline().rstrip("\n") for _ in range(3)]
    export = next(line for line in lines if line.startswith("export KUBECONFIG="))
    return Path(shlex.split(export)[1].split("=", 1)[1]), lines


def run_fakekube(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m fakekube ARGS`` to completion (a command that is expected to exit by itself)."""
    return subprocess.run([sys.executable, "-m", "fakekube", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd)


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
        assert '"gitVersion": "v1.37.0"' in version.stdout
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


def test_serve_without_kubeconfig_writes_a_temporary_one_says_how_to_use_it_and_removes_it_on_stop(tmp_path):
    proc, url = start_server()
    try:
        kubeconfig, lines = announcement(proc)
        assert kubeconfig.is_absolute() and kubeconfig.is_file()
        assert lines[0] == f"kubeconfig written to {kubeconfig} (temporary: removed when fakekube stops; " \
                           "--kubeconfig PATH writes one that is kept); to use it, paste:"
        assert lines[1] == f"export KUBECONFIG={kubeconfig}"
        assert lines[2] == f"stop with Ctrl-C (SIGINT) or: kill -TERM {proc.pid}"
        got = run_kubectl(kubeconfig, "get", "namespace", "default", "-o", "name")
        assert (got.returncode, got.stdout.strip()) == (0, "namespace/default"), got.stderr
        assert url in kubeconfig.read_text()
    finally:
        assert stop(proc) == 0
    assert not kubeconfig.exists()
    assert proc.stdout is not None and proc.stdout.read() == "fakekube stopped\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_kubeconfig_named_with_a_relative_path_is_shown_absolute_and_kept_after_stop(tmp_path, sig):
    proc, _ = start_server("--kubeconfig", "kc/config", cwd=tmp_path)
    try:
        kubeconfig, lines = announcement(proc)
        assert kubeconfig == tmp_path / "kc" / "config"
        assert lines[0] == f"kubeconfig written to {kubeconfig} (kept after fakekube stops); to use it, paste:"
    finally:
        assert stop(proc, sig) == 0
    assert kubeconfig.is_file()


def test_version_prints_fakekube_and_the_kubernetes_versions_it_emulates():
    result = run_fakekube("--version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"fakekube {importlib.metadata.version('fakekube')}"
    assert lines[1] == f"emulates Kubernetes {', '.join(SUPPORTED_VERSIONS)} (default {SUPPORTED_VERSIONS[-1]})"


def _unreadable(tmp_path: Path) -> str:
    """A manifest path nobody can open, root included: a Unix socket."""
    path = tmp_path / "sock.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return str(path)


START_UP_ERRORS = {
    "port out of range": (["--port", "70000"], "fakekube serve: error: argument --port: port 70000 is out of range "
                                               "0-65535 (see fakekube serve --help)"),
    "negative port": (["--port", "-1"], "argument --port: port -1 is out of range"),
    "port not a number": (["--port", "http"], "argument --port: invalid port 'http': not a number"),
    "address not on this machine": (["--host", "203.0.113.7"], "fakekube: cannot listen on 203.0.113.7:0: "
                                    "203.0.113.7 is not an address of this machine (try --host 127.0.0.1)"),
    "host that does not resolve": (["--host", "no-such-host.invalid"],
                                   "fakekube: cannot listen on no-such-host.invalid:0: cannot resolve host "
                                   "'no-such-host.invalid'"),
    "missing --load path": (["--load", "{tmp}/missing.yaml"], "fakekube: cannot load {tmp}/missing.yaml: "
                            "no such file or directory"),
    "unreadable --load path": (["--load", "{unreadable}"], "fakekube: cannot read {unreadable}: "),
    "unknown api group": (["--runtime-config", "apps/v1=true,example.com/v1=true"],
                          "fakekube: invalid --runtime-config: unknown api groups example.com"),
    "version the kubernetes version lacks": (
        ["--kubernetes-version", "v1.33", "--runtime-config", "resource.k8s.io/v1"],
        "fakekube: invalid --runtime-config: group version resource.k8s.io/v1 that has not been registered"),
    "malformed runtime config": (["--runtime-config", "api/beta=yes"],
                                 "fakekube: invalid --runtime-config: invalid value api/beta=yes"),
    "unwritable kubeconfig": (["--kubeconfig", "{tmp}/file/kubeconfig"], "fakekube: cannot write kubeconfig "
                              "{tmp}/file/kubeconfig: "),
}


@pytest.mark.parametrize("case", list(START_UP_ERRORS))
def test_a_start_up_error_is_one_line_on_stderr_and_exit_status_2(tmp_path, case):
    args, expected = START_UP_ERRORS[case]
    (tmp_path / "file").write_text("not a directory")
    values = {"tmp": str(tmp_path), "unreadable": _unreadable(tmp_path) if case == "unreadable --load path" else ""}
    result = run_fakekube("serve", *(arg.format(**values) for arg in args))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert expected.format(**values) in result.stderr


def test_a_port_in_use_is_one_line_on_stderr_and_exit_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_fakekube("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr == (f"fakekube: cannot listen on 127.0.0.1:{port}: address already in use "
                             "(choose another --port; --port 0 picks a free one)\n")


def test_serve_help_states_the_exit_statuses():
    result = run_fakekube("serve", "--help")
    assert result.returncode == 0
    assert "exit status:\n  0  stopped by SIGINT (Ctrl-C) or SIGTERM\n  1  a manifest given to --load is invalid" \
        in result.stdout
    assert "  2  it could not start:" in result.stdout


TYPO_POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: typo}\n"
            "spec: {containers: [{name: app, image: nginx, imagePullPolicyy: Always}]}\n")


def test_an_unknown_field_in_a_loaded_manifest_stops_start_up_under_the_default_strict_validation(tmp_path):
    (tmp_path / "pod.yaml").write_text(TYPO_POD)
    result = run_fakekube("serve", "--load", str(tmp_path / "pod.yaml"))
    assert result.returncode == 1
    assert 'strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"' in result.stderr


@pytest.mark.parametrize("mode", ["Warn", "Ignore"])
def test_field_validation_warn_or_ignore_loads_a_manifest_with_an_unknown_field(tmp_path, mode):
    (tmp_path / "pod.yaml").write_text(TYPO_POD)
    kubeconfig = tmp_path / "kubeconfig"
    proc, _ = start_server("--load", str(tmp_path / "pod.yaml"), "--field-validation", mode,
                           "--kubeconfig", str(kubeconfig))
    try:
        got = run_kubectl(kubeconfig, "get", "pod", "typo", "-o", "jsonpath={.spec.containers[0].image}")
        assert (got.returncode, got.stdout) == (0, "nginx"), got.stderr
    finally:
        assert stop(proc) == 0
    assert proc.stderr is not None
    warned = 'unknown field "spec.containers[0].imagePullPolicyy"' in proc.stderr.read()
    assert warned == (mode == "Warn")


def test_a_kubeconfig_is_written_aside_and_renamed_so_no_reader_sees_half_of_one(tmp_path, monkeypatch):
    from fakekube import kubeconfig

    target = tmp_path / "kubeconfig"
    target.write_text("the previous one\n")

    def interrupted(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kubeconfig.os, "replace", interrupted)
    with pytest.raises(OSError):
        kubeconfig.write_kubeconfig(target, "http://127.0.0.1:1")
    assert target.read_text() == "the previous one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kubeconfig"]
