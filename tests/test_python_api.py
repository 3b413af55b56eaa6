"""The Python API's helpers, seen by a user: what kubectl shows after ``patch``/``set_status``, the
errors a test catches (``StatusError``, ``ManifestError``), and ``apply`` validating as ``kubectl apply``."""

from __future__ import annotations

import json
import warnings

import pytest

from fakekube import FakeCluster, ManifestError, ManifestWarning, Problem, StatusError

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
"""


def test_patch_of_each_type_is_what_kubectl_then_shows(fake_cluster, kubectl):
    fake_cluster.apply(DEPLOYMENT)
    merged = fake_cluster.patch("deployment", "web", {"metadata": {"labels": {"tier": "front"}}})
    assert merged["metadata"]["labels"] == {"tier": "front"}
    fake_cluster.patch("deploy", "web", '[{"op": "replace", "path": "/spec/replicas", "value": 4}]', type="json")
    fake_cluster.patch("Deployment", "web", "spec:\n  template:\n    spec:\n      containers:\n"
                       "      - {name: web, image: nginx:1.28}\n", type="strategic")
    shown = kubectl("get", "deployment", "web", "-o",
                    "jsonpath={.metadata.labels.tier} {.spec.replicas} {.spec.template.spec.containers[*].image}")
    assert shown.stdout == "front 4 nginx:1.28"
    scale = fake_cluster.patch("deployment", "web", {"spec": {"replicas": 1}}, subresource="scale")
    assert scale["kind"] == "Scale" and scale["spec"] == {"replicas": 1}
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "1"


def test_a_refused_patch_raises_status_error_as_the_server_words_it(fake_cluster):
    fake_cluster.apply(DEPLOYMENT)
    with pytest.raises(StatusError) as missing:
        fake_cluster.patch("deployment", "nope", {"spec": {"replicas": 1}})
    assert (missing.value.code, missing.value.reason) == (404, "NotFound")
    assert missing.value.message == 'deployments.apps "nope" not found'
    assert missing.value.details == {"name": "nope", "group": "apps", "kind": "deployments"}
    with pytest.raises(StatusError) as invalid:
        fake_cluster.patch("deployment", "web", {"spec": {"replicas": -1}})
    assert (invalid.value.code, invalid.value.reason) == (422, "Invalid")
    assert invalid.value.details["causes"] == [{"reason": "FieldValueInvalid", "message": "Invalid value: -1: "
                                                "must be greater than or equal to 0", "field": "spec.replicas"}]
    with pytest.raises(ValueError, match="unknown patch type 'apply'"):
        fake_cluster.patch("deployment", "web", {}, type="apply")


def test_set_status_makes_a_rollout_complete_for_kubectl(fake_cluster, kubectl):
    created = fake_cluster.apply(DEPLOYMENT)[0]
    waiting = kubectl("rollout", "status", "deployment/web", "--timeout=1s")
    assert waiting.returncode != 0
    updated = fake_cluster.set_status("deployment", "web", {
        "observedGeneration": created["metadata"]["generation"], "replicas": 2, "updatedReplicas": 2,
        "readyReplicas": 2, "availableReplicas": 2})
    assert updated["metadata"]["generation"] == created["metadata"]["generation"]
    done = kubectl("rollout", "status", "deployment/web", "--timeout=5s")
    assert done.returncode == 0, done.stderr
    assert 'deployment "web" successfully rolled out' in done.stdout
    assert kubectl("get", "deployment", "web", "--no-headers").stdout.split()[1:3] == ["2/2", "2"]


def test_set_status_changes_only_the_status(fake_cluster, kubectl):
    created = fake_cluster.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                 "spec: {containers: [{name: c, image: busybox}]}\n")[0]
    updated = fake_cluster.set_status("pod", "p", {"phase": "Running", "podIP": "10.1.2.3"})
    assert updated["spec"] == created["spec"]
    assert updated["metadata"]["generation"] == created["metadata"]["generation"]
    shown = kubectl("get", "pod", "p", "-o", "wide", "--no-headers").stdout.split()
    assert shown[2] == "Running" and shown[5] == "10.1.2.3"
    fake_cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    with pytest.raises(StatusError) as no_status:
        fake_cluster.set_status("configmap", "c", {})  # a ConfigMap has no /status
    assert (no_status.value.code, no_status.value.message) == (404, "the server could not find the requested resource")


UNKNOWN_FIELD = DEPLOYMENT.replace("image: nginx:1.27}", "image: nginx:1.27, imagePullPolicyy: Always}")


def test_apply_refuses_unknown_fields_as_kubectl_apply_does(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(UNKNOWN_FIELD)
    with pytest.raises(ManifestError) as refused:
        FakeCluster().apply(path)
    assert str(refused.value) == (
        f'{path} (document 1): Deployment in version "v1" cannot be handled as a Deployment: strict decoding '
        'error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"')
    warned_cluster = FakeCluster(field_validation="Warn")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warned_cluster.apply(path)
    assert [(w.category, str(w.message)) for w in caught] == [
        (ManifestWarning, f'{path} (document 1): unknown field "spec.template.spec.containers[0].imagePullPolicyy"')]
    assert "imagePullPolicyy" not in json.dumps(warned_cluster.get("deploy", "web"))
    FakeCluster(field_validation="Ignore").apply(path)
    with pytest.raises(ValueError, match="field_validation must be one of Strict, Warn, Ignore"):
        FakeCluster(field_validation="strict")


def test_every_invalid_document_is_reported_in_one_pass(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: not-base64!}\n")
    (tmp_path / "b.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: missing}\n")
    (tmp_path / "c.yaml").write_text("kind: [unclosed\n")
    cluster = FakeCluster()
    with pytest.raises(ManifestError) as exc:
        cluster.apply(tmp_path)
    problems = exc.value.problems
    assert [(p.origin, p.index) for p in problems] == [
        (str(tmp_path / "a.yaml"), 1), (str(tmp_path / "a.yaml"), 2), (str(tmp_path / "b.yaml"), 0),
        (str(tmp_path / "c.yaml"), None)]
    assert problems[0].message.startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"')
    assert problems[2] == Problem(str(tmp_path / "b.yaml"), 0, 'namespaces "missing" not found')
    assert problems[3].message.startswith("invalid YAML: ")
    assert str(exc.value).startswith("4 invalid documents:\n  " + str(tmp_path / "a.yaml") + " (document 2): ")
    assert [o["metadata"]["name"] for o in cluster.list("configmaps", "default")] == ["good", "kube-root-ca.crt"]


def test_documents_that_are_not_objects_or_not_json_are_problems_not_crashes(tmp_path):
    cluster = FakeCluster()
    with pytest.raises(ManifestError) as exc:
        cluster.apply([
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: listed}}\n- 5\n",
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": [1]}},
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: "\\ud800"}\n'])
    messages = sorted(p.message for p in exc.value.problems)
    assert messages[0] == ('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal '
                           'array into Go struct field ObjectMeta.metadata.namespace of type string')
    assert messages[1].startswith("cannot be encoded as JSON: ")
    assert messages[2] == "expected a mapping, got int"
    assert [o["metadata"]["name"] for o in cluster.list("configmaps", "default")] == ["kube-root-ca.crt", "listed"]
    assert cluster.apply("") == [] and cluster.apply("  \n") == []  # no documents, not the current directory
    with pytest.raises(ManifestError, match=r"^nope/dir: No such file or directory$"):
        cluster.apply("nope/dir")


def test_warnings_are_issued_on_the_callers_thread_after_every_write(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(UNKNOWN_FIELD + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n")
    with FakeCluster(field_validation="Warn") as cluster, warnings.catch_warnings():
        warnings.simplefilter("error")  # as a test suite with filterwarnings = error has it
        with pytest.raises(ManifestWarning) as warned:
            cluster.apply(path)
        assert warned.value.args[0].startswith(f"{path} (document 1): unknown field")
        assert cluster.get("configmap", "after")["metadata"]["name"] == "after"  # the batch was not cut short


def test_patch_text_that_is_empty_or_not_json_or_yaml_is_a_value_error(fake_cluster):
    fake_cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    with pytest.raises(ValueError, match="holds no document"):
        fake_cluster.patch("cm", "c", "")
    with pytest.raises(ValueError, match="neither JSON nor YAML"):
        fake_cluster.patch("cm", "c", "{bad")
    assert fake_cluster.patch("cm", "c", b'{"data": {"k": "v"}}')["data"] == {"k": "v"}


def test_set_status_of_a_pod_keeps_its_qos_class(fake_cluster, kubectl):
    fake_cluster.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                       "spec: {containers: [{name: c, image: busybox}]}\n")
    fake_cluster.set_status("pod", "p", {"phase": "Running"})
    assert kubectl("get", "pod", "p", "-o", "jsonpath={.status.qosClass}").stdout == "BestEffort"
