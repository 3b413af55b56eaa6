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


# --- fakekube serve as a CI service: --ready-file, --pid-file, fakekube wait, a JSON request log, SIGTERM ---


def fakekube_command() -> str:
    """The venv's ``fakekube`` script, as a CI job runs it."""
    return str(Path(sys.executable).with_name("fakekube"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn_serve(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    """``fakekube serve ARGS`` in the background, not waited for (the caller waits as a CI job would)."""
    return subprocess.Popen([fakekube_command(), "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd)


def http_get(url: str, user_agent: str = "ci-smoke/1.0") -> tuple[int, bytes]:
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return response.status, response.read()


def test_serve_as_a_ci_service_ready_file_pid_file_wait_json_log_and_sigterm(tmp_path):
    import json
    from datetime import datetime

    (tmp_path / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: preloaded}\n")
    ready, pid, log, kubeconfig = (tmp_path / n for n in ("run/ready", "run/fakekube.pid", "requests.jsonl", "kc"))
    proc = spawn_serve("--kubeconfig", str(kubeconfig), "--load", str(tmp_path / "ns.yaml"), "--ready-file",
                       str(ready), "--pid-file", str(pid), "--log-format", "json", "--log-file", str(log))
    try:
        waited = subprocess.run([fakekube_command(), "wait", "--kubeconfig", str(kubeconfig), "--timeout", "30"],
                                capture_output=True, text=True, timeout=60)
        assert waited.returncode == 0, waited.stderr
        assert ready.is_file() and pid.read_text() == f"{proc.pid}\n"
        url = ready.read_text().strip()
        assert waited.stdout.startswith(f"fakekube: {url}/readyz is ready (")
        assert subprocess.run([fakekube_command(), "wait", url], capture_output=True, timeout=30).returncode == 0
        assert http_get(f"{url}/readyz") == (200, b"ok")
        status, body = http_get(f"{url}/api/v1/namespaces/preloaded?pretty=false")
        assert status == 200 and json.loads(body)["metadata"]["name"] == "preloaded"
        got = run_kubectl(kubeconfig, "create", "configmap", "from-ci", "--from-literal=a=b")
        assert got.returncode == 0, got.stderr
    finally:
        assert stop(proc, signal.SIGTERM) == 0
    assert not ready.exists() and not pid.exists()
    assert kubeconfig.exists()  # named: the user's, kept
    assert proc.stdout is not None and proc.stdout.read().endswith("fakekube stopped\n")
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert all(set(e) == {"time", "method", "path", "status", "verb", "duration_ms", "user_agent", "bytes"}
               for e in entries), entries
    for entry in entries:
        assert entry["time"].endswith("Z") and datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
    mine = [e for e in entries if e["user_agent"] == "ci-smoke/1.0"]
    assert [(e["method"], e["path"], e["status"], e["verb"], e["bytes"]) for e in mine] == [
        ("GET", "/readyz", 200, "get", 2), ("GET", "/api/v1/namespaces/preloaded?pretty=false", 200, "get", len(body))]
    created = [e for e in entries if e["method"] == "POST"]
    assert [(e["path"].split("?")[0], e["status"], e["verb"]) for e in created] == [
        ("/api/v1/namespaces/default/configmaps", 201, "create")]
    assert created[0]["user_agent"].startswith("kubectl/") and created[0]["duration_ms"] >= 0
    assert any(e["path"] == "/readyz" and e["user_agent"].startswith("Python-urllib/") for e in entries)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_removes_the_ready_file_pid_file_and_temporary_kubeconfig_and_exits_0(tmp_path, sig):
    proc, url = start_server("--ready-file", str(tmp_path / "ready"), "--pid-file", str(tmp_path / "pid"))
    try:
        kubeconfig, _ = announcement(proc)
        assert (tmp_path / "ready").read_text() == f"{url}\n"
        assert (tmp_path / "pid").read_text() == f"{proc.pid}\n"
    finally:
        assert stop(proc, sig) == 0
    assert sorted(tmp_path.iterdir()) == [] and not kubeconfig.exists()


def test_wait_waits_for_a_kubeconfig_not_written_yet_then_for_readyz(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    waiting = subprocess.Popen([fakekube_command(), "wait", "--kubeconfig", str(kubeconfig), "--timeout", "60"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = spawn_serve("--kubeconfig", str(kubeconfig))
    try:
        out, err = waiting.communicate(timeout=90)
        assert waiting.returncode == 0, err
        assert "/readyz is ready" in out
    finally:
        assert stop(proc) == 0


def test_wait_gives_up_after_its_timeout_with_exit_status_1():
    url = f"http://127.0.0.1:{free_port()}"
    result = subprocess.run([fakekube_command(), "wait", url, "--timeout", "0.3"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"fakekube: wait: {url}/readyz not ready after 0.3 s (last: Connection refused)\n"


@pytest.mark.parametrize(("args", "expected"), [
    ([], "fakekube: wait: give either a URL or --kubeconfig PATH (see fakekube wait --help)"),
    (["http://127.0.0.1:1", "--kubeconfig", "kc"], "fakekube: wait: give either a URL or --kubeconfig PATH"),
    (["127.0.0.1:6443"], "fakekube: wait: invalid URL '127.0.0.1:6443': expected http://HOST:PORT"),
    (["http://127.0.0.1:1", "--timeout", "0"], "argument --timeout: invalid duration '0': must be more than 0"),
    (["http://127.0.0.1:1", "--timeout", "soon"], "argument --timeout: invalid duration 'soon': not a number"),
])
def test_wait_usage_errors_are_one_line_and_exit_status_2(args, expected):
    result = subprocess.run([fakekube_command(), "wait", *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr


def test_wait_polls_the_url_as_given_when_it_names_a_health_endpoint_and_loads_neither_aiohttp_nor_the_server():
    code = ("import sys; from fakekube.cli import main; status = main(sys.argv[1:]); "
            "assert not [m for m in sys.modules if m.startswith(('aiohttp', 'fakekube.schema', 'fakekube.cluster'))]; "
            "raise SystemExit(status)")
    url = f"http://127.0.0.1:{free_port()}/livez"
    result = subprocess.run([sys.executable, "-c", code, "wait", url, "--timeout", "0.2"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 1, result.stderr
    assert f"{url} not ready after 0.2 s" in result.stderr


def test_the_text_request_log_goes_to_a_log_file(tmp_path):
    log = tmp_path / "requests.log"
    proc, url = start_server("--log-requests", "--log-file", str(log))
    try:
        assert http_get(f"{url}/api/v1/namespaces/default")[0] == 200
    finally:
        assert stop(proc) == 0
    assert " GET /api/v1/namespaces/default -> 200 get (" in log.read_text()
    assert proc.stderr is not None and proc.stderr.read() == ""


def test_a_failed_start_removes_the_pid_file_and_an_unwritable_ready_file_is_exit_status_2(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    pid = tmp_path / "pid"
    result = run_fakekube("serve", "--pid-file", str(pid), "--ready-file", str(tmp_path / "file" / "ready"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"fakekube: cannot write --ready-file {tmp_path}/file/ready: ")
    assert result.stderr.count("\n") == 1
    assert not pid.exists()
    result = run_fakekube("serve", "--log-format", "json", "--log-file", str(tmp_path / "file" / "log"))
    assert (result.returncode, result.stderr.count("\n")) == (2, 1)
    assert result.stderr.startswith(f"fakekube: cannot write --log-file {tmp_path}/file/log: ")
