"""CRUD, generateName, conflicts and validation through the official ``kubernetes`` client."""

from __future__ import annotations

import json

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ApiException as DynamicApiException


@pytest.fixture
def k8s(fake_cluster) -> client.ApiClient:
    config.load_kube_config()  # the plugin points the default kubeconfig at this test's cluster
    with client.ApiClient() as api_client:
        yield api_client


def deployment(name: str = "web", **spec_overrides) -> dict:
    spec = {
        "replicas": 1,
        "selector": {"matchLabels": {"app": name}},
        "template": {"metadata": {"labels": {"app": name}},
                     "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
    }
    spec.update(spec_overrides)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}


def error_body(exc: ApiException) -> dict:
    return json.loads(exc.body)


@pytest.fixture
def deployments(k8s):
    """The dynamic client: sends bodies as given (the typed client validates them client-side first)."""
    return DynamicClient(k8s).resources.get(api_version="apps/v1", kind="Deployment")


def test_configmap_create_read_update_delete(k8s):
    core = client.CoreV1Api(k8s)
    created = core.create_namespaced_config_map("default", {"metadata": {"name": "settings"}, "data": {"a": "1"}})
    assert created.metadata.uid and created.metadata.resource_version
    assert created.metadata.creation_timestamp is not None
    assert created.metadata.generation is None  # ConfigMaps carry no generation

    created.data["b"] = "2"
    updated = core.replace_namespaced_config_map("settings", "default", created)
    assert updated.data == {"a": "1", "b": "2"}
    assert int(updated.metadata.resource_version) > int(created.metadata.resource_version)
    assert updated.metadata.uid == created.metadata.uid

    listed = core.list_namespaced_config_map("default")
    assert [c.metadata.name for c in listed.items] == ["kube-root-ca.crt", "settings"]
    assert listed.metadata.resource_version

    status = core.delete_namespaced_config_map("settings", "default")
    assert status["status"] == "Success" and status["details"]["name"] == "settings"
    with pytest.raises(ApiException) as missing:
        core.read_namespaced_config_map("settings", "default")
    assert missing.value.status == 404
    assert error_body(missing.value)["message"] == 'configmaps "settings" not found'


def test_cluster_scoped_crud_and_list_across_namespaces(k8s):
    core = client.CoreV1Api(k8s)
    core.create_namespace({"metadata": {"name": "team-a"}})
    ns = core.read_namespace("team-a")
    assert ns.status.phase == "Active"
    assert ns.metadata.labels == {"kubernetes.io/metadata.name": "team-a"}
    core.create_namespaced_config_map("team-a", {"metadata": {"name": "x"}})
    core.create_namespaced_config_map("default", {"metadata": {"name": "y"}})
    everywhere = core.list_config_map_for_all_namespaces(field_selector="metadata.name!=kube-root-ca.crt")
    assert [(c.metadata.namespace, c.metadata.name) for c in everywhere.items] == [("default", "y"), ("team-a", "x")]
    nodes = core.create_node({"metadata": {"name": "node-1"}})
    assert nodes.metadata.namespace is None


def test_generate_name_gives_a_random_suffix(k8s):
    core = client.CoreV1Api(k8s)
    names = {core.create_namespaced_config_map("default", {"metadata": {"generateName": "job-"}}).metadata.name
             for _ in range(5)}
    assert len(names) == 5
    assert all(n.startswith("job-") and len(n) == len("job-") + 5 for n in names)


def test_creating_twice_is_a_conflict(k8s):
    apps = client.AppsV1Api(k8s)
    apps.create_namespaced_deployment("default", deployment())
    with pytest.raises(ApiException) as exc:
        apps.create_namespaced_deployment("default", deployment())
    assert exc.value.status == 409
    body = error_body(exc.value)
    assert body["reason"] == "AlreadyExists"
    assert body["message"] == 'deployments.apps "web" already exists'
    assert body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


def test_stale_resource_version_is_rejected_and_generation_counts_spec_changes(k8s):
    apps = client.AppsV1Api(k8s)
    first = apps.create_namespaced_deployment("default", deployment())
    assert first.metadata.generation == 1
    first.spec.replicas = 3
    second = apps.replace_namespaced_deployment("web", "default", first)
    assert second.metadata.generation == 2
    second.metadata.labels = {"team": "a"}
    third = apps.replace_namespaced_deployment("web", "default", second)
    assert third.metadata.generation == 2  # metadata-only change
    with pytest.raises(ApiException) as exc:
        apps.replace_namespaced_deployment("web", "default", first)  # first's resourceVersion is stale
    assert exc.value.status == 409
    assert error_body(exc.value)["message"] == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again")


def test_status_subresource_splits_spec_and_status(k8s):
    apps = client.AppsV1Api(k8s)
    apps.create_namespaced_deployment("default", deployment())
    current = apps.read_namespaced_deployment("web", "default")
    current.status = client.V1DeploymentStatus(replicas=1, ready_replicas=1)
    main = apps.replace_namespaced_deployment("web", "default", current)
    assert main.status is None or main.status.ready_replicas is None  # main endpoint ignores status
    main.status = client.V1DeploymentStatus(replicas=1, ready_replicas=1)
    main.spec.replicas = 5
    status = apps.replace_namespaced_deployment_status("web", "default", main)
    assert status.status.ready_replicas == 1
    assert status.spec.replicas == 1  # /status ignores spec changes
    assert status.metadata.generation == 1


def test_missing_namespace_is_404(k8s):
    with pytest.raises(ApiException) as exc:
        client.CoreV1Api(k8s).create_namespaced_config_map("nowhere", {"metadata": {"name": "x"}})
    assert exc.value.status == 404
    assert error_body(exc.value)["message"] == 'namespaces "nowhere" not found'


def test_validation_errors_carry_reasons_and_field_paths(deployments):
    body = deployment()
    del body["spec"]["selector"]
    body["spec"]["template"]["spec"]["containers"][0].pop("image")
    body["spec"]["template"]["spec"]["restartPolicy"] = "Sometimes"
    with pytest.raises(DynamicApiException) as exc:
        deployments.create(body=body, namespace="default")
    assert exc.value.status == 422
    status = error_body(exc.value)
    assert status["reason"] == "Invalid"
    causes = {(c["reason"], c["field"]) for c in status["details"]["causes"]}
    assert ("FieldValueRequired", "spec.selector") in causes
    assert ("FieldValueRequired", "spec.template.spec.containers[0].image") in causes
    assert ("FieldValueNotSupported", "spec.template.spec.restartPolicy") in causes
    assert status["message"].startswith('Deployment.apps "web" is invalid: [')


def test_wrong_json_type_is_a_decode_error(deployments):
    body = deployment()
    body["spec"]["replicas"] = "three"
    with pytest.raises(DynamicApiException) as exc:
        deployments.create(body=body, namespace="default")
    assert exc.value.status == 400
    assert error_body(exc.value)["message"] == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go '
        "struct field DeploymentSpec.spec.replicas of type int32")


def test_field_validation_strict_warn_and_ignore(k8s, deployments, api):
    apps = client.AppsV1Api(k8s)
    body = deployment()
    body["spec"]["replicaz"] = 2
    body["spec"]["template"]["spec"]["containers"][0]["imagez"] = "x"
    with pytest.raises(DynamicApiException) as exc:
        deployments.create(body=body, namespace="default",
                           query_params=[("fieldValidation", "Strict")])
    assert exc.value.status == 400
    assert error_body(exc.value)["message"] == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.template.spec.containers[0].imagez", unknown field "spec.replicaz"')

    status, headers, _ = api.request("POST", "/apis/apps/v1/namespaces/default/deployments", body)
    assert status == 201
    # in the order the body holds them, as Go's strict decoder meets them (err-field-validation-unknown)
    assert headers["warning"] == ['299 - "unknown field \\"spec.template.spec.containers[0].imagez\\""',
                                  '299 - "unknown field \\"spec.replicaz\\""']
    stored = apps.read_namespaced_deployment("web", "default", _preload_content=False)
    assert b"replicaz" not in stored.data and b"imagez" not in stored.data

    body["metadata"]["name"] = "quiet"
    status, headers, _ = api.request("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore",
                                     body)
    assert status == 201 and "warning" not in headers


def test_invalid_names_and_labels_are_rejected(k8s):
    core = client.CoreV1Api(k8s)
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("default", {"metadata": {"name": "Bad_Name", "labels": {"a b": "c"}}})
    assert exc.value.status == 422
    fields = [c["field"] for c in error_body(exc.value)["details"]["causes"]]
    assert "metadata.name" in fields and "metadata.labels" in fields


def test_uid_cannot_be_changed(k8s):
    core = client.CoreV1Api(k8s)
    cm = core.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    original_created = cm.metadata.creation_timestamp
    cm.metadata.uid = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ApiException) as exc:
        core.replace_namespaced_config_map("x", "default", cm)
    assert exc.value.status == 409
    assert error_body(exc.value)["message"].startswith(
        'Operation cannot be fulfilled on configmaps "x": Precondition failed: UID in precondition: '
        "00000000-0000-0000-0000-000000000000, UID in object meta: ")
    assert core.read_namespaced_config_map("x", "default").metadata.creation_timestamp == original_created


def test_reviews_are_answered_and_never_stored(k8s, kubectl):
    result = kubectl("auth", "can-i", "delete", "pods")
    assert result.returncode == 0 and result.stdout.strip() == "yes"
    authz = client.AuthorizationV1Api(k8s)
    review = {"spec": {"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "default"}}}
    for _ in range(2):  # no name needed, no AlreadyExists: nothing is stored
        answer = authz.create_self_subject_access_review(review)
        assert answer.status.allowed is True


def test_binding_assigns_a_pod_to_a_node(k8s):
    core = client.CoreV1Api(k8s)
    core.create_namespaced_pod("default", {"metadata": {"name": "p"},
                                           "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    # kube-apiserver answers a Binding with a Status, which the typed client cannot read back as a
    # V1Binding (kubernetes-client/python#547), hence the raw response.
    raw = core.create_namespaced_binding("default", {"metadata": {"name": "p"},
                                                     "target": {"kind": "Node", "name": "node-1"}},
                                         _preload_content=False)
    assert raw.status == 201 and json.loads(raw.data)["status"] == "Success"
    assert core.read_namespaced_pod("p", "default").spec.node_name == "node-1"
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_binding("default", {"metadata": {"name": "p"},
                                                   "target": {"kind": "Node", "name": "node-2"}},
                                       _preload_content=False)
    assert exc.value.status == 409


def test_kubectl_auth_can_i_list_and_whoami(kubectl):
    rules = kubectl("auth", "can-i", "--list")
    assert rules.returncode == 0, rules.stderr
    assert rules.stdout.splitlines()[1].split()[:2] == ["*.*", "[]"]
    whoami = kubectl("auth", "whoami")
    assert whoami.returncode == 0, whoami.stderr
    assert "fakekube-admin" in whoami.stdout
