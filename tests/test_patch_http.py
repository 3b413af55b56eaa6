"""PATCH through kubectl and HTTP: apply, label, annotate, set image, rollout restart, patch types."""

from __future__ import annotations

import json

import yaml

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [
                              {"name": "web", "image": "nginx:1.26", "env": [{"name": "A", "value": "1"}]},
                              {"name": "sidecar", "image": "busybox:1.36"}]}}},
}
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def test_kubectl_apply_twice_updates_in_place(kubectl, api, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(yaml.safe_dump(DEPLOYMENT))
    first = kubectl("apply", "-f", str(path))
    assert first.returncode == 0 and first.stdout.strip() == "deployment.apps/web created", first.stderr
    changed = json.loads(json.dumps(DEPLOYMENT))
    changed["spec"]["replicas"] = 3
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    del changed["spec"]["template"]["spec"]["containers"][1]  # removed from the manifest: removed from the object
    path.write_text(yaml.safe_dump(changed))
    second = kubectl("apply", "-f", str(path))
    assert second.returncode == 0 and second.stdout.strip() == "deployment.apps/web configured", second.stderr
    _, obj = api.json("GET", f"{DEPLOYMENTS}/web")
    assert obj["spec"]["replicas"] == 3 and obj["metadata"]["generation"] == 2
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("web", "nginx:1.27")]
    assert containers[0]["env"] == [{"name": "A", "value": "1"}]
    third = kubectl("apply", "-f", str(path))
    assert third.stdout.strip() == "deployment.apps/web unchanged"


def test_label_annotate_set_image_and_rollout_restart(kubectl, api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    assert kubectl("label", "deployment", "web", "tier=frontend").returncode == 0
    assert kubectl("annotate", "deployment", "web", "owner=team-a").returncode == 0
    assert kubectl("set", "image", "deployment/web", "web=nginx:1.28").returncode == 0
    restarted = kubectl("rollout", "restart", "deployment/web")
    assert restarted.returncode == 0, restarted.stderr
    _, obj = api.json("GET", f"{DEPLOYMENTS}/web")
    assert obj["metadata"]["labels"] == {"app": "web", "tier": "frontend"}
    assert obj["metadata"]["annotations"]["owner"] == "team-a"
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [c["image"] for c in containers] == ["nginx:1.28", "busybox:1.36"]
    assert "kubectl.kubernetes.io/restartedAt" in obj["spec"]["template"]["metadata"]["annotations"]
    assert kubectl("label", "deployment", "web", "tier-").returncode == 0
    _, obj = api.json("GET", f"{DEPLOYMENTS}/web")
    assert obj["metadata"]["labels"] == {"app": "web"}


def test_the_three_patch_types_over_http(api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    status, obj = api.json("PATCH", f"{DEPLOYMENTS}/web", '{"spec": {"replicas": 2}}',
                           {"Content-Type": "application/merge-patch+json"})
    assert status == 200 and obj["spec"]["replicas"] == 2
    status, obj = api.json("PATCH", f"{DEPLOYMENTS}/web",
                           '[{"op": "replace", "path": "/spec/replicas", "value": 4}]',
                           {"Content-Type": "application/json-patch+json"})
    assert status == 200 and obj["spec"]["replicas"] == 4
    smp = {"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "busybox:1.37"}]}}}}
    status, obj = api.json("PATCH", f"{DEPLOYMENTS}/web", json.dumps(smp),
                           {"Content-Type": "application/strategic-merge-patch+json"})
    assert status == 200
    assert [c["image"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["nginx:1.26", "busybox:1.37"]


def test_patches_are_validated_and_conflict_like_updates(api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", '{"spec": {"replicas": -2}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 422 and body["details"]["causes"][0]["field"] == "spec.replicas"
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", '{"metadata": {"resourceVersion": "1"}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 409 and body["reason"] == "Conflict"
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/missing", "{}", {"Content-Type": "application/merge-patch+json"})
    assert status == 404
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", "{}", {"Content-Type": "application/apply-patch+yaml"})
    assert (status, body["message"]) == (
        422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", "[", {"Content-Type": "application/json-patch+json"})
    assert status == 400


def test_status_patch_changes_only_status(api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    status, obj = api.json("PATCH", f"{DEPLOYMENTS}/web/status",
                           '{"status": {"readyReplicas": 1}, "spec": {"replicas": 9}}',
                           {"Content-Type": "application/merge-patch+json"})
    assert status == 200
    assert obj["status"]["readyReplicas"] == 1 and obj["spec"]["replicas"] == 1


def test_kubectl_patch_and_edit(kubectl, api, fake_cluster, tmp_path):
    import os
    import subprocess

    from conftest import KUBECTL

    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    patched = kubectl("patch", "deployment", "web", "-p",
                      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.29"}]}}}}')
    assert patched.returncode == 0, patched.stderr
    assert patched.stdout.strip() == "deployment.apps/web patched"
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/replicas: 1/replicas: 5/' \"$1\"\n")
    editor.chmod(0o755)
    env = dict(os.environ, KUBECONFIG=str(fake_cluster.kubeconfig_path), KUBE_EDITOR=str(editor),
               KUBECACHEDIR=str(tmp_path / "cache"))
    edited = subprocess.run([KUBECTL, "edit", "deployment", "web"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == "deployment.apps/web edited"
    _, obj = api.json("GET", f"{DEPLOYMENTS}/web")
    assert obj["spec"]["replicas"] == 5
    assert [c["image"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["nginx:1.29", "busybox:1.36"]


def test_scale_subresource_with_kubectl_scale(kubectl, api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    status, scale = api.json("GET", f"{DEPLOYMENTS}/web/scale")
    assert status == 200
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 1} and scale["status"] == {"replicas": 0, "selector": "app=web"}
    scaled = kubectl("scale", "deployment", "web", "--replicas=4")
    assert scaled.returncode == 0 and scaled.stdout.strip() == "deployment.apps/web scaled", scaled.stderr
    _, obj = api.json("GET", f"{DEPLOYMENTS}/web")
    assert obj["spec"]["replicas"] == 4 and obj["metadata"]["generation"] == 2
    scale["spec"]["replicas"] = 2  # a PUT with the resourceVersion read before the scale: stale
    status, body = api.json("PUT", f"{DEPLOYMENTS}/web/scale", scale)
    assert status == 409
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web/scale", '{"spec": {"replicas": -1}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 422
    assert body["message"] == ('Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: '
                               "must be greater than or equal to 0")


def test_patch_options_scale_body_and_pod_binding_checks(api):
    api.json("POST", DEPLOYMENTS, DEPLOYMENT)
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web?force=true", "{}",
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 422 and body["details"]["causes"][0]["field"] == "force"
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", '{"metadata": {"uid": "other"}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 422
    assert [(c["reason"], c["field"]) for c in body["details"]["causes"]] == [("FieldValueInvalid", "metadata.uid")]
    assert body["details"]["causes"][0]["message"] == 'Invalid value: "other": field is immutable'
    status, body = api.json("PUT", f"{DEPLOYMENTS}/web/scale", {"metadata": {"name": "other"}, "spec": {"replicas": 2}})
    assert status == 400
    assert body["message"] == "the name of the object (other) does not match the name on the URL (web)"
    status, body = api.json("PUT", f"{DEPLOYMENTS}/web/scale?fieldValidation=Strict",
                            {"metadata": {"name": "web"}, "spec": {"replicas": 2, "extra": 1}})
    assert status == 400 and 'unknown field "spec.extra"' in body["message"]
    status, body = api.json("PATCH", f"{DEPLOYMENTS}/web", "x" * (3 * 1024 * 1024 + 10),
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 413 and body["kind"] == "Status"
    api.json("POST", "/api/v1/namespaces/default/pods",
             {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    status, body = api.json("POST", "/api/v1/namespaces/default/pods/p/binding",
                            {"metadata": {"name": "p"}, "target": {"kind": "Node", "name": "n1"}})
    assert status == 201 and body["status"] == "Success"
    _, pod = api.json("GET", "/api/v1/namespaces/default/pods/p")
    assert pod["spec"]["nodeName"] == "n1"


def test_a_failed_json_patch_test_is_kubes_generic_422_body(api):
    """jsonPatcher answers NewGenericServerResponse(422, ...): a generic message, details present but empty."""
    api.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "c"}, "data": {"a": "1"}})
    status, body = api.json("PATCH", "/api/v1/namespaces/default/configmaps/c",
                            json.dumps([{"op": "test", "path": "/data/a", "value": "2"}]),
                            {"Content-Type": "application/json-patch+json"})
    assert (status, body) == (422, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                    "message": "the server rejected our request due to an error in our request",
                                    "reason": "Invalid", "details": {}, "code": 422})
