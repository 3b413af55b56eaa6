"""The README's examples run as written, in a fresh virtualenv holding only what the README tells a user
to install (not the test venv, whose extra packages could hide a missing instruction): the fixture
examples in a pytest run of their own, the Python API example and the standalone clients as scripts, the
standalone server's shell session with the venv's ``fakekube`` and ``kubectl``."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)
TEST_BLOCKS = [code for lang, code in BLOCKS if lang == "python" and code.startswith("# test_")]
STANDALONE_BLOCKS = [code for lang, code in BLOCKS if lang == "python" and code.startswith("# standalone_")]
SHELL_BLOCKS = [code for lang, code in BLOCKS if lang == "sh"]
NAMESPACES = "['default', 'kube-node-lease', 'kube-public', 'kube-system']"

pytestmark = pytest.mark.timeout(600)


def test_the_readme_starts_with_the_install_and_test_commands():
    first = BLOCKS[0][1].splitlines()
    assert first[0].startswith("pip install . && fakekube serve")
    assert first[1].startswith("pip install -e '.[test]' && pytest -n 2")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && pytest -n 2" in ci


def install_lines() -> list[str]:
    """The README's ``pip install ./fakekube ...`` lines: what a user installs into their own project."""
    return [line.split("#", 1)[0].strip() for code in SHELL_BLOCKS for line in code.splitlines()
            if line.startswith("pip install ./fakekube")]


class UserVenv:
    """A virtualenv made as a user makes it: the repository's files copied beside it as ``./fakekube``."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.bin = workdir / "venv" / "bin"
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("PYTHON", "PYTEST", "VIRTUAL_ENV", "KUBE"))}
        self.env.update(PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}", PIP_DISABLE_PIP_VERSION_CHECK="1",
                        PIP_NO_COMPILE="1", KUBECACHEDIR=str(workdir / "kubecache"))

    def run(self, command: str, cwd: Path | None = None, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=cwd or self.workdir, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory) -> UserVenv:
    workdir = tmp_path_factory.mktemp("user-project")
    shutil.copytree(ROOT, workdir / "fakekube", ignore=shutil.ignore_patterns(
        ".venv*", ".git", "build", "dist", "*.egg-info", ".*_cache", "__pycache__", "kubeconfig"))
    venv = UserVenv(workdir)
    made = subprocess.run(["python3", "-m", "venv", str(workdir / "venv")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    lines = install_lines()
    assert lines, "the README says what to pip install"
    for line in lines:
        installed = venv.run(line, timeout=540)
        assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return venv


def test_fixture_examples_pass_in_a_users_venv(user_venv: UserVenv):
    assert len(TEST_BLOCKS) == 7
    project = user_venv.workdir / "tests"
    project.mkdir()
    for code in TEST_BLOCKS:
        project.joinpath(code.splitlines()[0][2:].strip()).write_text(code)
    result = user_venv.run("python -m pytest -p no:cacheprovider -q", cwd=project)
    assert result.returncode == 0, result.stdout[-5000:]
    assert "7 passed" in result.stdout


def test_python_api_example_runs(user_venv: UserVenv):
    code = next(code for lang, code in BLOCKS if lang == "python" and code.startswith("from fakekube import"))
    script = user_venv.workdir / "python_api.py"
    script.write_text(code)
    result = user_venv.run(f"python {script}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("http://127.0.0.1:")


def read_until(proc: subprocess.Popen[str], prefix: str, timeout: float = 30) -> list[str]:
    """The lines a server prints up to the first starting with ``prefix`` (or all it printed in time)."""
    lines: queue.Queue[str] = queue.Queue()
    stdout = proc.stdout
    assert stdout is not None

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            printed.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            break
        if printed[-1].startswith(prefix):
            break
    return printed


@pytest.fixture
def served(user_venv: UserVenv) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The README's ``fakekube serve`` with the venv's ``fakekube``; yields it and the export line it printed."""
    serve_line = next(line.split("#", 1)[0].strip() for code in SHELL_BLOCKS for line in code.splitlines()
                      if line.startswith("fakekube serve"))
    proc = subprocess.Popen(shlex.split(serve_line), cwd=user_venv.workdir, env=user_venv.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed = read_until(proc, "export KUBECONFIG=")
    export = printed[-1].strip()
    assert export.startswith("export KUBECONFIG="), printed
    try:
        yield proc, export
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_standalone_session_runs_as_written(user_venv: UserVenv, served: tuple[subprocess.Popen[str], str]):
    _, export = served
    session = next(code for code in SHELL_BLOCKS if code.startswith("kubectl create namespace demo"))
    result = user_venv.run(f"set -e\n{export}\n{session}")
    assert result.returncode == 0, result.stderr
    assert "namespace/demo created" in result.stdout
    assert "deployment.apps/web created" in result.stdout
    assert re.search(r"^web\s+0/2\s+0\s+0\s+", result.stdout, re.M)  # no controllers: no pods (README says so)
    assert "FIELD: strategy <DeploymentStrategy>" in result.stdout
    assert 'deployment.apps "web" deleted' in result.stdout


def test_standalone_clients_run_against_fakekube_serve(user_venv: UserVenv):
    assert len(STANDALONE_BLOCKS) == 4
    shell = next(code for code in SHELL_BLOCKS if "kubectl get namespaces -o name" in code)
    workdir = user_venv.workdir / "standalone"
    workdir.mkdir()
    commands = [shell]
    for code in STANDALONE_BLOCKS:
        script = workdir / code.splitlines()[0][2:].strip()
        script.write_text(code)
        commands.append(f"python {script.name}")
    result = user_venv.run("set -e\n" + "\n".join(commands) + "\nkill %1\nwait %1 || true\n", cwd=workdir, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = [line for line in result.stdout.splitlines() if line.startswith(("namespace/", "['"))]
    assert printed == ["namespace/default", "namespace/kube-node-lease", "namespace/kube-public",
                       "namespace/kube-system"] + [NAMESPACES] * 4, result.stdout


YAML_BLOCKS = [code for lang, code in BLOCKS if lang == "yaml"]


def test_ci_jobs_run_as_written(user_venv: UserVenv, tmp_path: Path):
    """The README's GitHub Actions and GitLab CI jobs, their steps run by bash in the order the CI runs them
    (each GitHub step its own shell, GitLab's script one shell), but for the install, done by the README's
    own install lines: the server starts, is waited for, answers kubectl and curl, stops with status 0."""
    import yaml

    github = next(yaml.safe_load(code) for code in YAML_BLOCKS if code.startswith("# .github/workflows/"))
    steps = [step["run"] for step in next(iter(github["jobs"].values()))["steps"]
             if "run" in step and not step["run"].startswith("pip install")]
    workdir = tmp_path / "github"
    (workdir / "runner-temp").mkdir(parents=True)
    env = {"RUNNER_TEMP": str(workdir / "runner-temp"), "GITHUB_ENV": str(workdir / "github-env")}
    for step in steps:
        exported = dict(line.split("=", 1) for line in (workdir / "github-env").read_text().splitlines()) \
            if (workdir / "github-env").exists() else {}
        result = user_venv.run(f"set -e\n{step}", cwd=workdir, env={**env, **exported}, timeout=120)
        assert result.returncode == 0, step + result.stdout + result.stderr
    assert not (workdir / "runner-temp" / "fakekube.pid").exists()
    log = [json.loads(line) for line in (workdir / "fakekube-requests.jsonl").read_text().splitlines()]
    assert any(e["path"] == "/api/v1/namespaces/ci/configmaps/settings" and e["user_agent"].startswith("curl/")
               for e in log)

    gitlab = next(yaml.safe_load(code) for code in YAML_BLOCKS if code.startswith("# .gitlab-ci.yml"))
    job = next(iter(gitlab.values()))
    assert job["artifacts"]["paths"] == ["fakekube-requests.jsonl"]
    script = "\n".join(line for line in job["script"] if not line.startswith("pip install"))
    workdir = tmp_path / "gitlab"
    workdir.mkdir()
    result = user_venv.run(f"set -e\n{script}", cwd=workdir, env={"CI_PROJECT_DIR": str(workdir)}, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fakekube stopped" in result.stdout
    assert sorted(p.name for p in workdir.iterdir()) == ["fakekube-requests.jsonl", "kubeconfig"]
