"""What clients read back of new objects, as kube-apiserver writes them; its protected namespaces; probe defaults.

* kube-apiserver answers with its typed Go object as ``encoding/json`` writes it: a struct held by value is
  never omitted (``status: {}``), a zero ``metav1.Time`` is ``null`` (and, from v1.34, ``omitzero`` drops
  ``creationTimestamp``), a nil slice without ``omitempty`` is ``null``, a string without it ``""``;
* NamespaceLifecycle refuses to delete ``default``, ``kube-system`` and ``kube-public``;
* the defaults of probes and lifecycle handlers (``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``,
  ``grpc.service``), in Pods and in every pod template, and a few more defaults of pods, volumes and claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Kubectl, run_kubectl
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from fakekube import FakeCluster
from fakekube.kinds import custom_resource_strategy
from fakekube.kinds.field_labels import custom_fields
from fakekube.registry.resources import ResourceInfo

SELECTOR = {"matchLabels": {"app": "web"}}


def pod_template(**container: Any) -> dict[str, Any]:
    return {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27", **container}]}}


def job_template(**container: Any) -> dict[str, Any]:
    template = pod_template(**container)
    template["spec"]["restartPolicy"] = "Never"
    return template


@pytest.fixture
def k8s(fake_cluster: FakeCluster) -> Iterator[client.ApiClient]:
    config.load_kube_config()  # the plugin points the default kubeconfig at this test's cluster
    with client.ApiClient() as api_client:
        yield api_client


def get_json(kubectl: Kubectl, *args: str) -> dict[str, Any]:
    got = kubectl("get", *args, "-o", "json")
    assert got.returncode == 0, got.stderr
    obj: dict[str, Any] = json.loads(got.stdout)
    return obj


def create(kubectl: Kubectl, manifest: dict[str, Any]) -> None:
    created = kubectl("create", "-f", "-", input=json.dumps(manifest))
    assert created.returncode == 0, created.stderr


# --- empty shapes ---------------------------------------------------------------------------------


def test_a_new_deployment_has_an_empty_status_the_official_client_can_read(k8s: client.ApiClient) -> None:
    apps = client.AppsV1Api(k8s)
    body = {"metadata": {"name": "web"}, "spec": {"selector": SELECTOR, "template": pod_template()}}
    created = apps.create_namespaced_deployment("default", body)
    assert created.status is not None and created.status.observed_generation is None
    read = apps.read_namespaced_deployment("web", "default")
    assert read.status is not None and read.status.observed_generation is None and read.status.replicas is None
    job = client.BatchV1Api(k8s).create_namespaced_job(
        "default", {"metadata": {"name": "once"}, "spec": {"template": job_template()}})
    assert job.status is not None and job.status.active is None


NEW_OBJECT_STATUS = [
    ("deployment", {"apiVersion": "apps/v1", "kind": "Deployment",
                    "spec": {"selector": SELECTOR, "template": pod_template()}}, {}),
    ("replicaset", {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "spec": {"selector": SELECTOR, "template": pod_template()}}, {"replicas": 0}),
    ("statefulset", {"apiVersion": "apps/v1", "kind": "StatefulSet",
                     "spec": {"selector": SELECTOR, "serviceName": "web", "template": pod_template()}},
     {"replicas": 0, "availableReplicas": 0}),
    ("daemonset", {"apiVersion": "apps/v1", "kind": "DaemonSet",
                   "spec": {"selector": SELECTOR, "template": pod_template()}},
     {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0}),
    ("job", {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": job_template()}}, {}),
    ("cronjob", {"apiVersion": "batch/v1", "kind": "CronJob",
                 "spec": {"schedule": "@hourly", "jobTemplate": {"spec": {"template": job_template()}}}}, {}),
    ("ingress", {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                 "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}},
     {"loadBalancer": {}}),
    ("persistentvolumeclaim", {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}, {"phase": "Pending"}),
    ("resourcequota", {"apiVersion": "v1", "kind": "ResourceQuota", "spec": {"hard": {"pods": "10"}}}, {}),
]


@pytest.mark.parametrize(("resource", "manifest", "status"), NEW_OBJECT_STATUS,
                         ids=[r for r, _, _ in NEW_OBJECT_STATUS])
def test_a_new_object_reads_back_with_the_status_go_writes_for_it(kubectl: Kubectl, resource: str,
                                                                  manifest: dict[str, Any],
                                                                  status: dict[str, Any]) -> None:
    create(kubectl, {**manifest, "metadata": {"name": "web"}})
    assert get_json(kubectl, resource, "web")["status"] == status


@pytest.mark.parametrize("version", ["v1.33", "v1.36"])
def test_a_template_creation_timestamp_is_null_until_v1_34_made_it_omitzero(fake_cluster_factory: Any,
                                                                            version: str) -> None:
    cluster = fake_cluster_factory(version=version)
    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                "spec": {"selector": SELECTOR, "template": pod_template()}}
    created = run_kubectl(cluster.kubeconfig_path, "create", "-f", "-", "-o", "json", input=json.dumps(manifest))
    assert created.returncode == 0, created.stderr
    template_meta = json.loads(created.stdout)["spec"]["template"]["metadata"]
    if version == "v1.33":
        assert template_meta == {"creationTimestamp": None, "labels": {"app": "web"}}
    else:
        assert template_meta == {"labels": {"app": "web"}}


def test_unset_fields_of_an_event_and_a_cluster_role_are_written_as_go_writes_them(k8s: client.ApiClient,
                                                                                     kubectl: Kubectl) -> None:
    event = client.CoreV1Api(k8s).create_namespaced_event(
        "default", {"metadata": {"name": "e"}, "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Started"})
    assert event.source is not None and event.source.component is None
    assert event.first_timestamp is None and event.reporting_component == ""
    raw = get_json(kubectl, "events", "e")
    assert {k: raw[k] for k in ("eventTime", "firstTimestamp", "lastTimestamp", "source", "reportingComponent",
                                "reportingInstance")} == {
        "eventTime": None, "firstTimestamp": None, "lastTimestamp": None, "source": {}, "reportingComponent": "",
        "reportingInstance": ""}
    create(kubectl, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": "aggregated"}})
    role = get_json(kubectl, "clusterrole", "aggregated")
    assert "rules" in role and role["rules"] is None


def test_an_update_keeps_the_shape_and_counts_no_generation(k8s: client.ApiClient) -> None:
    apps = client.AppsV1Api(k8s)
    apps.create_namespaced_deployment(
        "default", {"metadata": {"name": "web"}, "spec": {"selector": SELECTOR, "template": pod_template()}})
    patched = apps.patch_namespaced_deployment("web", "default", {"metadata": {"labels": {"tier": "front"}}})
    assert patched.metadata.generation == 1 and patched.status is not None
    status = apps.patch_namespaced_deployment_status("web", "default", {"status": {"observedGeneration": 1}})
    assert status.status.observed_generation == 1 and status.metadata.generation == 1


SCHEMA: dict[str, Any] = {"type": "object", "properties": {
    "spec": {"type": "object", "properties": {"size": {"type": "string"}}},
    "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}}}


def test_a_custom_resource_has_no_go_type_and_reads_back_as_sent(fake_cluster: FakeCluster,
                                                                 k8s: client.ApiClient) -> None:
    widgets = ResourceInfo(group="example.com", version="v1", kind="Widget", plural="widgets", singular="widget",
                           namespaced=True, verbs=frozenset({"get", "list", "create", "update", "patch", "delete"}),
                           schema=SCHEMA, strategy=custom_resource_strategy(custom_fields({})))
    fake_cluster.call(lambda: fake_cluster.catalog.add(widgets))
    custom = client.CustomObjectsApi(k8s)
    created = custom.create_namespaced_custom_object("example.com", "v1", "default", "widgets", {
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {}})
    assert set(created) == {"apiVersion", "kind", "metadata", "spec"} and created["spec"] == {}


# --- protected namespaces ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_kubectl_cannot_delete_the_clusters_own_namespaces(kubectl: Kubectl, name: str) -> None:
    for dry_run in ((), ("--dry-run=server",)):
        deleted = kubectl("delete", "namespace", name, *dry_run)
        assert deleted.returncode == 1
        assert deleted.stderr.strip() == (
            f'Error from server (Forbidden): namespaces "{name}" is forbidden: this namespace may not be deleted')
    assert get_json(kubectl, "namespace", name)["status"] == {"phase": "Active"}


def test_the_official_client_reads_a_forbidden_namespace_delete(k8s: client.ApiClient, kubectl: Kubectl) -> None:
    core = client.CoreV1Api(k8s)
    with pytest.raises(ApiException) as raised:
        core.delete_namespace("kube-system")
    assert (raised.value.status, raised.value.reason) == (403, "Forbidden")
    assert json.loads(raised.value.body) == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'namespaces "kube-system" is forbidden: this namespace may not be deleted', "reason": "Forbidden",
        "details": {"name": "kube-system", "kind": "namespaces"}, "code": 403}
    # Namespaces have no deletecollection; kubectl deletes them one by one, and the others do go.
    collection = kubectl("delete", "--raw", "/api/v1/namespaces")
    assert collection.returncode == 1 and "(MethodNotAllowed)" in collection.stderr
    core.create_namespace({"metadata": {"name": "scratch"}})
    everything = kubectl("delete", "namespaces", "--all", "--wait=false")
    assert 'namespace "scratch" deleted' in everything.stdout
    for name in ("default", "kube-public", "kube-system"):
        assert f'namespaces "{name}" is forbidden: this namespace may not be deleted' in everything.stderr
    assert core.read_namespace("default").status.phase == "Active"


# --- probe and pod defaults ----------------------------------------------------------------------

HTTP_PROBE = {"httpGet": {"port": 8080}}
DEFAULT_TIMINGS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}


def test_probes_and_lifecycle_handlers_of_a_pod_are_defaulted(k8s: client.ApiClient) -> None:
    pod = client.CoreV1Api(k8s).create_namespaced_pod("default", {
        "metadata": {"name": "p"},
        "spec": {
            # A probe on an init container needs restartPolicy: Always (a sidecar) upstream.
            "initContainers": [{"name": "init", "image": "busybox", "restartPolicy": "Always",
                                "startupProbe": {"exec": {"command": ["true"]}}}],
            "containers": [{
                "name": "c", "image": "nginx:1.27",
                "readinessProbe": {"httpGet": {"port": 8080, "path": ""}, "timeoutSeconds": 0},
                "livenessProbe": {"grpc": {"port": 9000}, "periodSeconds": 30, "failureThreshold": 5},
                "startupProbe": {"tcpSocket": {"port": 80}},
                "lifecycle": {"preStop": {"httpGet": {"port": 8080, "path": "/stop"}},
                              "postStart": {"httpGet": {"port": 8080, "scheme": "HTTPS"}}},
            }],
        },
    })
    c = pod.spec.containers[0]
    readiness = c.readiness_probe
    assert (readiness.timeout_seconds, readiness.period_seconds, readiness.success_threshold,
            readiness.failure_threshold) == (1, 10, 1, 3)
    assert (readiness.http_get.path, readiness.http_get.scheme) == ("/", "HTTP")
    liveness = c.liveness_probe
    assert (liveness.period_seconds, liveness.failure_threshold, liveness.timeout_seconds) == (30, 5, 1)
    assert liveness.grpc.service == ""
    assert c.startup_probe.success_threshold == 1 and c.startup_probe.tcp_socket.port == 80
    assert (c.lifecycle.pre_stop.http_get.path, c.lifecycle.pre_stop.http_get.scheme) == ("/stop", "HTTP")
    assert (c.lifecycle.post_start.http_get.path, c.lifecycle.post_start.http_get.scheme) == ("/", "HTTPS")
    assert pod.spec.init_containers[0].startup_probe.period_seconds == 10
    assert pod.spec.enable_service_links is True


PROBED_CONTAINER = {"readinessProbe": HTTP_PROBE}
TEMPLATES = [
    ("deployment", {"apiVersion": "apps/v1", "kind": "Deployment",
                    "spec": {"selector": SELECTOR, "template": pod_template(**PROBED_CONTAINER)}},
     ("spec", "template")),
    ("job", {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": job_template(**PROBED_CONTAINER)}},
     ("spec", "template")),
    ("cronjob", {"apiVersion": "batch/v1", "kind": "CronJob", "spec": {
        "schedule": "@hourly", "jobTemplate": {"spec": {"template": job_template(**PROBED_CONTAINER)}}}},
     ("spec", "jobTemplate", "spec", "template")),
    ("podtemplate", {"apiVersion": "v1", "kind": "PodTemplate", "template": pod_template(**PROBED_CONTAINER)},
     ("template",)),
]


@pytest.mark.parametrize(("resource", "manifest", "path"), TEMPLATES, ids=[r for r, _, _ in TEMPLATES])
def test_probes_of_every_pod_template_are_defaulted(kubectl: Kubectl, resource: str, manifest: dict[str, Any],
                                                    path: tuple[str, ...]) -> None:
    create(kubectl, {**manifest, "metadata": {"name": "web"}})
    template = get_json(kubectl, resource, "web")
    for key in path:
        template = template[key]
    assert template["spec"]["containers"][0]["readinessProbe"] == {
        "httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"}, **DEFAULT_TIMINGS}
    assert template["spec"]["dnsPolicy"] == "ClusterFirst"  # a CronJob's pod template is defaulted at all


def test_cron_job_volume_and_claim_defaults(kubectl: Kubectl) -> None:
    create(kubectl, {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {
        "schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [{"name": "c", "image": "busybox", "env": [
                {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]}],
            "volumes": [{"name": "s", "secret": {"secretName": "creds"}},
                        {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
                        {"name": "h", "hostPath": {"path": "/data"}}]}}}}}})
    cron = get_json(kubectl, "cronjob", "nightly")
    assert {k: cron["spec"][k] for k in ("concurrencyPolicy", "suspend", "successfulJobsHistoryLimit",
                                         "failedJobsHistoryLimit")} == {
        "concurrencyPolicy": "Allow", "suspend": False, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1}
    pod_spec = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod_spec["containers"][0]["env"][0]["valueFrom"] == {
        "fieldRef": {"fieldPath": "spec.nodeName", "apiVersion": "v1"}}
    assert pod_spec["volumes"] == [
        {"name": "s", "secret": {"secretName": "creds", "defaultMode": 420}},
        {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}],
                                    "defaultMode": 420}},
        {"name": "h", "hostPath": {"path": "/data", "type": ""}}]
    create(kubectl, {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {
        "selector": SELECTOR, "serviceName": "db", "template": pod_template(),
        "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})
    claim = get_json(kubectl, "statefulset", "db")["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["volumeMode"] == "Filesystem" and claim["status"] == {"phase": "Pending"}


def test_a_new_custom_resource_definition_lists_its_storage_version(k8s: client.ApiClient) -> None:
    crd = client.ApiextensionsV1Api(k8s).create_custom_resource_definition({
        "metadata": {"name": "gadgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced", "names": {"plural": "gadgets", "kind": "Gadget"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object"}}}]}})
    assert crd.status.stored_versions == ["v1"]
    assert (crd.status.accepted_names.kind, crd.status.accepted_names.plural) == ("", "")


def test_a_volume_that_names_no_source_is_an_empty_directory(kubectl: Kubectl) -> None:
    created = kubectl("create", "-f", "-", "-o", "jsonpath={.spec.volumes}", input=(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: scratch}\n"
        "spec: {automountServiceAccountToken: false, containers: [{name: c, image: busybox}],\n"
        "       volumes: [{name: tmp}]}\n"))
    assert created.returncode == 0, created.stderr
    assert created.stdout == '[{"emptyDir":{},"name":"tmp"}]'


APP = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80}]}
"""


def test_an_emptied_map_is_not_stored_and_kubectl_diff_after_apply_is_clean(kubectl: Kubectl) -> None:
    assert kubectl("create", "configmap", "c", "--from-literal=a=b").returncode == 0
    assert kubectl("label", "configmap", "c", "tier=web").returncode == 0
    assert kubectl("label", "configmap", "c", "tier-").returncode == 0
    metadata = json.loads(kubectl("get", "configmap", "c", "-o", "jsonpath={.metadata}").stdout)
    assert "labels" not in metadata  # Go's omitempty: an empty map is not written
    applied = kubectl("apply", "--server-side", "-f", "-", input=APP)
    assert applied.returncode == 0, applied.stderr
    diff = kubectl("diff", "--server-side", "-f", "-", input=APP)
    assert (diff.returncode, diff.stdout) == (0, ""), (diff.stdout, diff.stderr)
    # A client-side diff adds the last-applied annotation, and a Deployment's annotation change counts a
    # generation (deploymentStrategy.PrepareForUpdate): the generation line is the only difference.
    diff = kubectl("diff", "-f", "-", input=APP)
    changed = [line for line in diff.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-  generation: 1", "+  generation: 2"], (diff.stdout, diff.stderr)
