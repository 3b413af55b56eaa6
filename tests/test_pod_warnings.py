"""kubectl prints kube-apiserver's warnings about pod specs (``Warning: ...`` on stderr) on creates, applies and
updates of Pods and workloads, as a real cluster's kube-apiserver v1.37 sends them."""

from __future__ import annotations

import yaml

POD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "old-labels"},
    "spec": {"nodeSelector": {"beta.kubernetes.io/arch": "amd64"},
             "containers": [{"name": "c", "image": "nginx",
                             "env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}]},
}

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"nodeSelector": {"beta.kubernetes.io/os": "linux"},
                                   "containers": [{"name": "c", "image": "nginx",
                                                   "resources": {"requests": {"memory": "1500m"}}}]}}},
}

ARCH = 'deprecated since v1.14; use "kubernetes.io/arch" instead'
OS = 'deprecated since v1.14; use "kubernetes.io/os" instead'


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Warning: ")]


def test_pod_create_prints_each_warning_in_order(kubectl, tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(yaml.safe_dump(POD))
    created = kubectl("create", "-f", str(path))
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "pod/old-labels created"
    assert _warnings(created.stderr) == [
        f"Warning: spec.nodeSelector[beta.kubernetes.io/arch]: {ARCH}",
        'Warning: spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    ]
    # a Pod's update warns about nothing, even when its spec still has what a create warned about
    labelled = kubectl("label", "pod", "old-labels", "x=y")
    assert labelled.returncode == 0, labelled.stderr
    assert _warnings(labelled.stderr) == []


def test_server_dry_run_warns_too(kubectl, tmp_path):
    path = tmp_path / "pod.yaml"
    pod = dict(POD, metadata={"name": "dry.run"}, spec={"nodeSelector": {"beta.kubernetes.io/arch": "amd64"},
                                                       "containers": [{"name": "c", "image": "nginx"}]})
    path.write_text(yaml.safe_dump(pod))
    created = kubectl("apply", "--server-side", "--dry-run=server", "-f", str(path))
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "pod/dry.run serverside-applied (server dry run)"
    assert _warnings(created.stderr) == [
        "Warning: metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; "
        "a DNS label is recommended: [must not contain dots]",
        f"Warning: spec.nodeSelector[beta.kubernetes.io/arch]: {ARCH}",
    ]
    assert kubectl("get", "pods").stdout == ""  # nothing stored


def test_workload_warns_on_create_and_when_its_generation_moves(kubectl, tmp_path):
    path = tmp_path / "deployment.yaml"
    path.write_text(yaml.safe_dump(DEPLOYMENT))
    applied = kubectl("apply", "--server-side", "-f", str(path))
    assert applied.returncode == 0, applied.stderr
    assert _warnings(applied.stderr) == [
        f"Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: {OS}",
        'Warning: spec.template.spec.containers[0].resources.requests[memory]: fractional byte value "1500m" is '
        "invalid, must be an integer",
    ]
    # /scale writes through the Deployment's strategy: a new replica count is a new generation, which warns
    scaled = kubectl("scale", "deployment", "web", "--replicas=3")
    assert scaled.returncode == 0, scaled.stderr
    assert _warnings(scaled.stderr) == _warnings(applied.stderr)
    unchanged = kubectl("scale", "deployment", "web", "--replicas=3")
    assert unchanged.returncode == 0, unchanged.stderr
    assert _warnings(unchanged.stderr) == []
    labelled = kubectl("label", "deployment", "web", "tier=front")
    assert labelled.returncode == 0, labelled.stderr
    assert _warnings(labelled.stderr) == []
    patched = kubectl("patch", "deployment", "web", "--type=merge", "-p",
                      '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}}')
    assert patched.returncode == 0, patched.stderr
    assert _warnings(patched.stderr) == [f"Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: {OS}"]
