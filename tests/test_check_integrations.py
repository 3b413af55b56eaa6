"""``fakekube check`` where users run it: the pre-commit hook (``.pre-commit-hooks.yaml``) and the composite GitHub
Action (``action.yml``), each run as its runner runs it, on a small repository of the user's.

pre-commit itself needs the hook's repository as git and installs it from PyPI into an environment of its own;
instead the test does what pre-commit does with the hook's definition: select the files with its ``files`` and
``exclude`` patterns (Python regexes searched in each path, as pre-commit does), then run its ``entry`` with its
``args`` and the selected names, from the repository's root, with the venv's ``fakekube`` on PATH (what the
hook's environment would hold).

The action's ``run:`` steps run with ``bash --noprofile --norc -eo pipefail`` (GitHub's ``shell: bash``), with
``${{ inputs.* }}``, ``${{ github.action_path }}`` and ``${{ steps.*.outputs.* }}`` substituted as GitHub does,
the ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY``/``GITHUB_PATH`` files and ``RUNNER_TEMP`` of a runner. Its install
step is skipped: it would pip-install fakekube and its dependencies from PyPI into a new venv (network, about a
minute); the venv running the tests already has the ``fakekube`` it would put on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "check_corpus"
BIN = Path(sys.executable).parent  # the test venv's bin/, holding the `fakekube` console script
README_TEXT = (ROOT / "README.md").read_text()
README_SECTION = README_TEXT.split("## Contract testing: fakekube check", 1)[1].split("\n## ", 1)[0]
README_YAML = re.findall(r"```yaml\n(.*?)```", README_SECTION, re.S)

SELECTOR_ERROR = ('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: '
                  "`selector` does not match template `labels`")
PDB_REMOVED = "policy/v1beta1 PodDisruptionBudget is unavailable in v1.25+; use policy/v1 PodDisruptionBudget"

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"
WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
SETTINGS = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "team"}}\n'
NOT_MANIFESTS = {  # YAML and JSON most repositories hold that are no Kubernetes manifests: the hook leaves them out
    ".pre-commit-config.yaml": "repos: []\n",
    ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
    "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "chart/values.yaml": "replicas: 2\n",
    "chart/templates/deployment.yaml": "replicas: {{ .Values.replicas }}\n",
    "package.json": "{}\n",
    "docs/index.md": "# docs\n",
    "scripts/deploy.sh": "kubectl apply -f deploy/\n",
}


def user_repository(root: Path, bad: bool = False) -> Path:
    """A user's repository: manifests under ``deploy/`` (with ``bad``, a Deployment whose selector misses its
    template and a PodDisruptionBudget in a removed API version) beside files that are no manifests."""
    files = {"deploy/namespace.yaml": NAMESPACE, "deploy/web.yaml": WEB, "deploy/settings.json": SETTINGS,
             **NOT_MANIFESTS}
    if bad:
        files["deploy/broken.yaml"] = (CORPUS / "selector_mismatch.yaml").read_text()
        files["deploy/pdb.yml"] = (CORPUS / "removed.yaml").read_text()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def tool_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **extra}


# --- pre-commit -------------------------------------------------------------------------------------------------

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def hook(hook_id: str, **config: Any) -> dict[str, Any]:
    """The hook as pre-commit runs it: its definition, with the keys a user's config sets in its place."""
    found = next(h for h in HOOKS if h["id"] == hook_id)
    return {"args": [], "exclude": "^$", "types": ["file"], "types_or": [], "pass_filenames": True, **found,
            **config}


def selected(definition: dict[str, Any], repo: Path) -> list[str]:
    """The files pre-commit passes for ``--all-files``: the repository's files, sorted as git lists them,
    matching ``files`` and not ``exclude`` (``re.search`` on the path with ``/``)."""
    assert definition["types"] == ["file"] and not definition["types_or"]  # every file is a "file": no tag check
    names = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    files, exclude = re.compile(definition["files"]), re.compile(definition["exclude"])
    return [n for n in names if files.search(n) and not exclude.search(n)]


def run_hook(definition: dict[str, Any], repo: Path) -> tuple[int, list[str], list[str]]:
    """Exit status and output of the hook over the repository, and the files it was given."""
    names = selected(definition, repo) if definition["pass_filenames"] else []
    assert definition["require_serial"]  # one process for every file: one cluster sees them all
    command = [*shlex.split(definition["entry"]), *definition["args"], *names]
    done = subprocess.run(command, cwd=repo, env=tool_env(), capture_output=True, text=True, timeout=120)
    return done.returncode, (done.stdout + done.stderr).splitlines(), names


def test_hook_definition() -> None:
    h = hook("fakekube-check")
    assert (h["language"], h["entry"], h["args"]) == ("python", "fakekube check", ["--quiet"])


def test_hook_passes_a_clean_repository(tmp_path: Path) -> None:
    code, out, names = run_hook(hook("fakekube-check"), user_repository(tmp_path))
    assert names == ["deploy/namespace.yaml", "deploy/settings.json", "deploy/web.yaml"]
    assert (code, out) == (0, ["checked 4 documents against v1.37: 4 ok"])


def test_hook_fails_on_what_the_server_refuses(tmp_path: Path) -> None:
    code, out, names = run_hook(hook("fakekube-check"), user_repository(tmp_path, bad=True))
    assert names[:2] == ["deploy/broken.yaml", "deploy/namespace.yaml"] and len(names) == 5
    assert (code, out) == (1, [
        f"deploy/broken.yaml:1: [v1.37] Deployment default/web: error: {SELECTOR_ERROR}",
        f"deploy/pdb.yml:1: [v1.37] PodDisruptionBudget web: removed: {PDB_REMOVED}",
        "checked 6 documents against v1.37: 4 ok, 1 error, 1 removed"])


def test_hook_of_one_changed_file_with_its_namespace_as_state(tmp_path: Path) -> None:
    """pre-commit passes only the files a commit changes: the Namespace in an unchanged file comes as --state."""
    repo = user_repository(tmp_path)
    alone = hook("fakekube-check", files="^deploy/web.yaml$")
    code, out, _ = run_hook(alone, repo)
    assert code == 1
    assert out[0] == 'deploy/web.yaml:1: [v1.37] Deployment team/web: error: namespaces "team" not found'
    code, out, _ = run_hook({**alone, "args": ["--quiet", "--state", "deploy/namespace.yaml"]}, repo)
    assert (code, out) == (0, ["checked 2 documents against v1.37: 2 ok"])
    whole = hook("fakekube-check", pass_filenames=False, args=["--quiet", "deploy/"])  # the README's other way
    assert run_hook(whole, repo)[:2] == (0, ["checked 4 documents against v1.37: 4 ok"])


def test_readme_pre_commit_config(tmp_path: Path) -> None:
    """The README's ``.pre-commit-config.yaml``: its hooks exist, and run as configured on the bad repository."""
    config = next(yaml.safe_load(code) for code in README_YAML if code.startswith("# .pre-commit-config.yaml"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert {h["id"] for h in hooks} <= {h["id"] for h in HOOKS}
    repo = user_repository(tmp_path, bad=True)
    results = [run_hook(hook(h["id"], **{k: v for k, v in h.items() if k != "id"}), repo) for h in hooks]
    assert [code for code, _, _ in results] == [1] * len(hooks)
    first = results[0][1]
    assert f"deploy/broken.yaml:1: [v1.34] Deployment default/web: error: {SELECTOR_ERROR}" in first
    assert first[-1] == "checked 6 documents against v1.34, v1.35, v1.36, v1.37: 16 ok, 4 errors, 4 removed"


# --- GitHub Action ----------------------------------------------------------------------------------------------

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
SKIPPED_STEPS = ("Install fakekube",)


@dataclass
class ActionRun:
    code: int  # the action's outcome: 0, or the exit status of the step that failed
    stdout: list[str]
    outputs: dict[str, str]
    summary: str
    path: list[str]  # what the steps appended to GITHUB_PATH


def evaluate(text: str, inputs: dict[str, str], steps: dict[str, dict[str, str]]) -> str:
    """``${{ ... }}`` as GitHub substitutes it, for the expressions the action uses; any other fails the test."""
    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr == "github.action_path":
            return str(ROOT)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            return steps.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"an expression this test does not evaluate: {expr}")
    return EXPRESSION.sub(value, text)


def condition_holds(condition: str, inputs: dict[str, str]) -> bool:
    m = re.fullmatch(r"inputs\.([\w-]+) != ''", condition)
    assert m, f"a condition this test does not evaluate: {condition}"
    return inputs[m.group(1)] != ""


def run_action(workspace: Path, runner: Path, **given: str) -> ActionRun:
    """The action's steps, as a runner runs them in a job whose checkout is ``workspace``."""
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, unknown
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given
    files = {name: runner / name for name in ("output", "summary", "path", "env")}
    env = tool_env(RUNNER_TEMP=str(runner), GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(ROOT),
                   GITHUB_OUTPUT=str(files["output"]), GITHUB_PATH=str(files["path"]), GITHUB_ENV=str(files["env"]),
                   GITHUB_STEP_SUMMARY=str(files["summary"]), GITHUB_ACTIONS="true", CI="true")
    steps: dict[str, dict[str, str]] = {}
    stdout: list[str] = []
    code = 0
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if "if" in step and not condition_holds(step["if"], inputs):
            continue
        assert "uses" not in step, f"the test cannot run {step['uses']} (an input asks for it)"
        if step["name"] in SKIPPED_STEPS:
            continue
        assert step["shell"] == "bash"
        files["output"].write_text("")
        script = runner / "step.sh"
        script.write_text(evaluate(step["run"], inputs, steps))
        step_env = {key: evaluate(str(value), inputs, steps) for key, value in step.get("env", {}).items()}
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env={**env, **step_env}, capture_output=True, text=True, timeout=120)
        stdout.extend(done.stdout.splitlines())
        if "id" in step:
            steps[step["id"]] = dict(line.split("=", 1) for line in files["output"].read_text().splitlines())
        if done.returncode != 0:
            code = done.returncode
            break
    outputs = {name: evaluate(spec["value"], inputs, steps) for name, spec in ACTION["outputs"].items()}
    summary = files["summary"].read_text() if files["summary"].exists() else ""
    path = files["path"].read_text().splitlines() if files["path"].exists() else []
    return ActionRun(code, stdout, outputs, summary, path)


@pytest.fixture
def runner(tmp_path: Path) -> Path:
    (tmp_path / "runner-temp").mkdir()
    return tmp_path / "runner-temp"


def test_action_annotates_what_the_server_refuses(tmp_path: Path, runner: Path) -> None:
    workspace = user_repository(tmp_path / "checkout", bad=True)
    run = run_action(workspace, runner, paths="deploy")
    assert run.code == 1
    assert run.stdout == [
        f"::error file=deploy/broken.yaml,line=1,title=[v1.37] Deployment default/web%3A error::{SELECTOR_ERROR}",
        f"::error file=deploy/pdb.yml,line=1,title=[v1.37] PodDisruptionBudget web%3A removed::{PDB_REMOVED}",
        "checked 6 documents against v1.37: 4 ok, 1 error, 1 removed"]
    assert run.outputs == {"exit-code": "1"}
    assert run.summary == "fakekube check: checked 6 documents against v1.37: 4 ok, 1 error, 1 removed\n"


def test_action_passes_clean_manifests(tmp_path: Path, runner: Path) -> None:
    workspace = user_repository(tmp_path / "checkout")
    run = run_action(workspace, runner, paths="deploy/*.yaml\ndeploy/*.json", **{"kubernetes-version": "v1.36..v1.37"})
    assert (run.code, run.stdout, run.outputs) == (0, ["checked 4 documents against v1.36, v1.37: 8 ok"],
                                                    {"exit-code": "0"})


def test_action_inputs_crds_state_strict_and_report_file(tmp_path: Path, runner: Path) -> None:
    """Globs (``**``), ``crds``, ``state``, a version range, ``strict`` failing on a deprecation warning, the
    text report also written to ``report-file``."""
    workspace = tmp_path / "checkout"
    shutil.copytree(CORPUS / "crd", workspace / "crds")
    shutil.copytree(CORPUS / "state", workspace / "live")
    (workspace / "apps" / "web").mkdir(parents=True)
    shutil.copy(CORPUS / "immutable_update.yaml", workspace / "apps" / "web" / "deploy.yaml")
    (workspace / "apps" / "endpoints.yaml").write_text("apiVersion: v1\nkind: Endpoints\nmetadata: {name: old}\n")
    (workspace / "apps" / "widget.yaml").write_text(
        (CORPUS / "crd" / "widgets.yaml").read_text().split("---")[0])
    run = run_action(workspace, runner, paths="apps/**/*.yaml", crds="crds/crd.yaml", state="live",
                     strict="true", output="text", **{"kubernetes-version": "v1.36..v1.37",
                                                      "report-file": "report.txt"})
    immutable = ('Deployment.apps "web" is invalid: spec.selector: Invalid value: '
                 '{"matchLabels":{"app":"web","tier":"front"}}: field is immutable')
    deprecated = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
    assert run.stdout == [
        f"apps/endpoints.yaml:1: [v1.36] Endpoints default/old: warning: {deprecated}",
        f"apps/endpoints.yaml:1: [v1.37] Endpoints default/old: warning: {deprecated}",
        f"apps/web/deploy.yaml:1: [v1.36] Deployment default/web: error: {immutable}",
        f"apps/web/deploy.yaml:1: [v1.37] Deployment default/web: error: {immutable}",
        "apps/widget.yaml:1: [v1.36] Widget default/good: ok",
        "apps/widget.yaml:1: [v1.37] Widget default/good: ok",
        "checked 3 documents against v1.36, v1.37: 2 ok, 2 errors, 2 warnings"]
    assert (run.code, run.outputs) == (1, {"exit-code": "1"})
    assert (workspace / "report.txt").read_text().splitlines() == run.stdout
    (workspace / "apps" / "web" / "deploy.yaml").unlink()
    assert run_action(workspace, runner, paths="apps", crds="crds/crd.yaml").code == 0  # warnings pass unless strict
    assert run_action(workspace, runner, paths="apps", crds="crds/crd.yaml", strict="true").code == 1


def test_action_inputs_are_never_run_as_commands(tmp_path: Path, runner: Path) -> None:
    workspace = user_repository(tmp_path / "checkout")
    run = run_action(workspace, runner, paths="deploy $(touch pwned) `touch pwned2`; touch pwned3")
    assert (run.code, run.outputs) == (2, {"exit-code": "2"})
    assert not list(workspace.glob("pwned*"))
    assert run.summary == ""  # a usage error has no report to summarise


def test_readme_workflow_uses_the_action_as_defined(tmp_path: Path, runner: Path) -> None:
    """The README's workflow: the step that uses this action gives only inputs it has, and runs as written."""
    workflow = next(yaml.safe_load(code) for code in README_YAML if "uses: you/fakekube@" in code)
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    used = [s for s in steps if s.get("uses", "").startswith("you/fakekube@")]
    assert used
    workspace = user_repository(tmp_path / "checkout", bad=True)
    for step in used:
        run = run_action(workspace, runner, **{k: str(v) for k, v in step.get("with", {}).items()})
        assert run.code == 1
        assert f"::error file=deploy/pdb.yml,line=1,title=[v1.37] PodDisruptionBudget web%3A removed::{PDB_REMOVED}" \
            in run.stdout
