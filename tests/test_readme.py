"""The README's examples run as written: fixture examples in an inner pytest run, the rest as scripts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import start_server, stop

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.S)
TEST_BLOCKS = [code for lang, code in BLOCKS if lang == "python" and code.startswith("# test_")]

pytestmark = pytest.mark.timeout(180)


def test_the_readme_starts_with_the_install_and_test_commands():
    first = BLOCKS[0][1].splitlines()
    assert first[0].startswith("pip install . && fakekube serve")
    assert first[1].startswith("pip install -e '.[test]' && pytest -n 2")
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && pytest -n 2" in ci


def test_fixture_examples_pass(pytester):
    assert len(TEST_BLOCKS) == 5
    for code in TEST_BLOCKS:
        name = code.splitlines()[0][2:].strip()
        pytester.path.joinpath(name).write_text(code)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=5)


def test_python_api_example_runs():
    code = next(code for lang, code in BLOCKS if lang == "python" and code.startswith("from fakekube import"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:" in result.stdout


STANDALONE_BLOCKS = [code for lang, code in BLOCKS if lang == "python" and code.startswith("# standalone_")]


def test_standalone_examples_run_against_fakekube_serve(tmp_path):
    assert len(STANDALONE_BLOCKS) == 4
    kubeconfig = tmp_path / "kubeconfig"
    proc, _ = start_server("--kubeconfig", str(kubeconfig))
    env = dict(os.environ, KUBECONFIG=str(kubeconfig), KUBECACHEDIR=str(tmp_path / "cache"))
    try:
        shell = next(code for lang, code in BLOCKS if lang == "sh" and "kubectl get namespaces -o name" in code)
        assert "fakekube serve --port 0 --kubeconfig ./kubeconfig &" in shell
        listed = subprocess.run(["kubectl", "get", "namespaces", "-o", "name"], capture_output=True, text=True,
                                env=env, timeout=60)
        assert listed.stdout.split() == ["namespace/default", "namespace/kube-node-lease", "namespace/kube-public",
                                         "namespace/kube-system"]
        for code in STANDALONE_BLOCKS:
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                                    env=env, cwd=tmp_path)
            assert result.returncode == 0, (code.splitlines()[0], result.stderr)
            assert result.stdout.strip() == "['default', 'kube-node-lease', 'kube-public', 'kube-system']", (
                code.splitlines()[0])
    finally:
        stop(proc)
