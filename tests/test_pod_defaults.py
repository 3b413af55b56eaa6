"""What kube-apiserver v1.37 stores for a new Pod: the defaults of ``pkg/apis/core/v1/defaults.go`` (through
the generated ``SetObjectDefaults_Pod``), the pod strategy's ``PrepareForCreate`` and the admission plugins of a
default cluster: ServiceAccount (``serviceAccountName``/``serviceAccount`` ``default`` and the
``kube-api-access-*`` volume and mounts), Priority (``priority: 0``, ``preemptionPolicy``) and
DefaultTolerationSeconds (recording coredef-pod-minimal).

Each expected field names the upstream function that sets it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import Api

PODS = "/api/v1/namespaces/default/pods"
# ServiceAccount admission: the projected token volume, mounted read-only in every container.
TOKEN_MOUNT = {"name": "<token-volume>", "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
TOKEN_VOLUME = {"name": "<token-volume>", "projected": {"defaultMode": 420, "sources": [
    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
    {"downwardAPI": {"items": [{"path": "namespace",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
]}}
# DefaultTolerationSeconds admission: 300s for not-ready and unreachable nodes.
DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def _stored(api: Api, manifest: dict[str, Any]) -> dict[str, Any]:
    status, body = api.json("POST", PODS, manifest)
    assert status == 201, body
    status, stored = api.json("GET", f"{PODS}/{manifest['metadata']['name']}")
    assert status == 200
    assert stored == body
    meta = stored["metadata"]
    for volatile in ("uid", "resourceVersion", "creationTimestamp", "managedFields"):
        assert meta.pop(volatile)
    for volume in stored["spec"].get("volumes", []):  # kube-api-access-<5 random characters>
        if volume["name"].startswith("kube-api-access-"):
            assert len(volume["name"]) == len("kube-api-access-") + 5
            token_volume, volume["name"] = volume["name"], "<token-volume>"
            for field in ("initContainers", "containers"):
                for container in stored["spec"].get(field, []):
                    for mount in container.get("volumeMounts", []):
                        if mount["name"] == token_volume:
                            mount["name"] = "<token-volume>"
    return stored


def _container_defaults(**fields: Any) -> dict[str, Any]:
    return {
        "resources": {},                                      # a struct held by value: encoded as {}
        "terminationMessagePath": "/dev/termination-log",     # SetDefaults_Container
        "terminationMessagePolicy": "File",                   # SetDefaults_Container
        **fields,
    }


def test_a_minimal_pod_is_stored_as_kube_apiserver_stores_it(api: Api) -> None:
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                           "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    assert stored == {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "web", "namespace": "default", "generation": 1},  # PrepareForCreate: Generation = 1
        "spec": {
            "containers": [_container_defaults(
                name="c", image="nginx",
                imagePullPolicy="Always",                     # SetDefaults_Container: no tag is :latest
                volumeMounts=[TOKEN_MOUNT],                   # ServiceAccount admission
            )],
            "restartPolicy": "Always",                        # SetDefaults_PodSpec
            "terminationGracePeriodSeconds": 30,              # SetDefaults_PodSpec
            "dnsPolicy": "ClusterFirst",                      # SetDefaults_PodSpec
            "securityContext": {},                            # SetDefaults_PodSpec
            "schedulerName": "default-scheduler",             # SetDefaults_PodSpec
            "enableServiceLinks": True,                       # SetDefaults_Pod
            "serviceAccountName": "default",                  # ServiceAccount admission
            "serviceAccount": "default",                      # ServiceAccount admission
            "volumes": [TOKEN_VOLUME],                        # ServiceAccount admission
            "priority": 0,                                    # Priority admission: no default class
            "preemptionPolicy": "PreemptLowerPriority",       # Priority admission
            "tolerations": DEFAULT_TOLERATIONS,               # DefaultTolerationSeconds admission
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"},  # PrepareForCreate, qos.GetPodQOS
    }


FULL = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "full", "labels": {"app": "web"}},
    "spec": {
        "hostNetwork": True,
        "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["true"],
                            "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}],
        "containers": [{
            "name": "web", "image": "registry.example.com/web@sha256:" + "a" * 64,
            "ports": [{"containerPort": 8080, "name": "http"}],
            "env": [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
            "resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}},
            "readinessProbe": {"httpGet": {"port": "http"}},
            "livenessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 5},
            "lifecycle": {"preStop": {"httpGet": {"port": 8080, "path": "/drain"}}},
            "volumeMounts": [{"name": "cache", "mountPath": "/cache"}, {"name": "config", "mountPath": "/etc/web"},
                             {"name": "info", "mountPath": "/etc/info"}, {"name": "token", "mountPath": "/var/t"}],
        }],
        "volumes": [
            {"name": "cache"},
            {"name": "config", "configMap": {"name": "web"}},
            {"name": "info", "downwardAPI": {"items": [{"path": "labels",
                                                        "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
            {"name": "logs", "hostPath": {"path": "/var/log"}},
        ],
        "serviceAccountName": "default",
    },
}


def test_a_pod_with_probes_volumes_env_ports_and_limits_is_stored_defaulted(api: Api) -> None:
    stored = _stored(api, copy.deepcopy(FULL))
    container = _container_defaults(
        name="web", image="registry.example.com/web@sha256:" + "a" * 64,
        imagePullPolicy="IfNotPresent",                       # SetDefaults_Container: a digest, no tag
        # SetDefaults_Pod: requests default to limits; SetDefaults_ResourceList: canonical quantities
        resources={"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}},
        # generated defaulter (+default="TCP"); SetDefaults_Pod: hostNetwork publishes the port as itself
        ports=[{"containerPort": 8080, "name": "http", "protocol": "TCP", "hostPort": 8080}],
        env=[{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name",
                                                        "apiVersion": "v1"}}}],  # SetDefaults_ObjectFieldSelector
        # SetDefaults_Probe, SetDefaults_HTTPGetAction
        readinessProbe={"httpGet": {"port": "http", "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                        "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
        livenessProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1,
                       "failureThreshold": 3},
        lifecycle={"preStop": {"httpGet": {"port": 8080, "path": "/drain", "scheme": "HTTP"}}},
        # ServiceAccount admission mounts the token in every container, init ones too
        volumeMounts=[*FULL["spec"]["containers"][0]["volumeMounts"], TOKEN_MOUNT],  # type: ignore[index]
    )
    init = _container_defaults(
        name="init", image="busybox:1.36", command=["true"], imagePullPolicy="IfNotPresent",
        resources={"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}},
        volumeMounts=[TOKEN_MOUNT],
    )
    assert stored["spec"] == {
        "hostNetwork": True,
        "initContainers": [init],
        "containers": [container],
        "volumes": [
            # SetDefaults_Volume: no source is an emptyDir
            {"name": "cache", "emptyDir": {}},
            # SetDefaults_ConfigMapVolumeSource: defaultMode 0644
            {"name": "config", "configMap": {"name": "web", "defaultMode": 420}},
            # SetDefaults_DownwardAPIVolumeSource, SetDefaults_ObjectFieldSelector
            {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {
                "fieldPath": "metadata.labels", "apiVersion": "v1"}}], "defaultMode": 420}},
            # SetDefaults_ServiceAccountTokenProjection (an hour), SetDefaults_ProjectedVolumeSource
            {"name": "token", "projected": {"sources": [{"serviceAccountToken": {
                "path": "token", "expirationSeconds": 3600}}], "defaultMode": 420}},
            # SetDefaults_HostPathVolumeSource: HostPathUnset
            {"name": "logs", "hostPath": {"path": "/var/log", "type": ""}},
            TOKEN_VOLUME,  # ServiceAccount admission
        ],
        "serviceAccountName": "default",
        "serviceAccount": "default",  # SetDefaults_PodSpec: the deprecated alias follows serviceAccountName
        "priority": 0, "preemptionPolicy": "PreemptLowerPriority",  # Priority admission
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
        "securityContext": {}, "schedulerName": "default-scheduler", "enableServiceLinks": True,
        "tolerations": DEFAULT_TOLERATIONS,
    }
    # Every container (init ones too) limits cpu and memory, and requests equal limits: Guaranteed.
    assert stored["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}
    assert stored["metadata"] == {"name": "full", "namespace": "default", "labels": {"app": "web"}, "generation": 1}


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
    ("localhost:5000/app", "Always"), ("registry.k8s.io/pause:3.10", "IfNotPresent"),
    ("nginx@sha256:" + "0" * 64, "IfNotPresent"), ("nginx:latest@sha256:" + "0" * 64, "Always"),
])
def test_the_image_pull_policy_follows_the_tag(api: Api, image: str, policy: str) -> None:
    """``SetDefaults_Container``: ``Always`` for the ``latest`` tag (what ``ParseImageName`` gives an image
    without tag or digest), ``IfNotPresent`` otherwise."""
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                           "spec": {"containers": [{"name": "c", "image": image}]}})
    assert stored["spec"]["containers"][0]["imagePullPolicy"] == policy


@pytest.mark.parametrize(("containers", "qos"), [
    ([{"resources": {"requests": {"cpu": "100m"}}}], "Burstable"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}], "Guaranteed"),
    ([{"resources": {"limits": {"cpu": "1"}}}], "Burstable"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}}], "Burstable"),
    ([{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}, {"name": "d"}], "Burstable"),
    ([{"resources": {"requests": {"example.com/gpu": "1"}, "limits": {"example.com/gpu": "1"}}}], "BestEffort"),
], ids=["requests-only", "limits-only", "cpu-limit-only", "request-below-limit", "one-without-limits",
        "extended-resources-only"])
def test_the_qos_class_is_computed_as_upstream_does(api: Api, containers: list[dict[str, Any]], qos: str) -> None:
    """``qos.GetPodQOS`` on the defaulted pod (requests already filled from limits)."""
    spec = {"containers": [{"name": "c", "image": "nginx", **containers[0]},
                           *({"image": "nginx", **c} for c in containers[1:])]}
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    assert stored["status"]["qosClass"] == qos


def test_a_gated_pod_says_why_it_is_not_scheduled(api: Api) -> None:
    """``applySchedulingGatedCondition``: a pod created with scheduling gates has ``PodScheduled=False``."""
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "schedulingGates": [{"name": "example.com/quota"}], "containers": [{"name": "c", "image": "nginx"}]}})
    assert stored["status"] == {"phase": "Pending", "qosClass": "BestEffort", "conditions": [
        {"type": "PodScheduled", "status": "False", "lastProbeTime": None, "lastTransitionTime": None,
         "reason": "SchedulingGated", "message": "Scheduling is blocked due to non-empty scheduling gates"}]}


def test_match_label_keys_are_merged_into_the_selectors(api: Api) -> None:
    """``mutatePodAffinity`` and ``mutateTopologySpreadConstraints``: the pod's value of each key becomes an
    ``In`` (``NotIn`` for ``mismatchLabelKeys``) requirement of the selector."""
    term = {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone",
            "matchLabelKeys": ["version"], "mismatchLabelKeys": ["tenant"]}
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "p", "labels": {"app": "web", "version": "v2", "tenant": "a"}}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}],
        "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}},
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                       "labelSelector": {"matchLabels": {"app": "web"}},
                                       "matchLabelKeys": ["version", "missing"]}]}})
    merged = stored["spec"]["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert merged["labelSelector"] == {"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "version", "operator": "In", "values": ["v2"]},
        {"key": "tenant", "operator": "NotIn", "values": ["a"]}]}
    spread = stored["spec"]["topologySpreadConstraints"][0]
    assert spread["labelSelector"] == {"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "version", "operator": "In", "values": ["v2"]}]}


def test_empty_strings_are_defaulted_as_unset(api: Api) -> None:
    """Go defaulters test ``== ""``: an explicit empty string gets the default.  (An empty enum value such as
    ``protocol: ""`` is refused earlier by fakekube's schema check of enums, which kube-apiserver does not
    make for built-in kinds: a known difference of the decoding layer.)"""
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "schedulerName": "", "containers": [{"name": "c", "image": "nginx:1", "terminationMessagePath": ""}]}})
    assert stored["spec"]["schedulerName"] == "default-scheduler"
    assert stored["spec"]["containers"][0]["terminationMessagePath"] == "/dev/termination-log"


def test_quantities_are_rounded_up_to_milli_units_and_stored_canonical(api: Api) -> None:
    """``SetDefaults_ResourceList`` rounds up to milli-units; Go writes ``Quantity.String()``."""
    stored = _stored(api, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "c", "image": "nginx:1", "resources": {
            "requests": {"cpu": "0.0001", "memory": "1000", "ephemeral-storage": "2048Ki"},
            "limits": {"cpu": 2, "memory": "1.5Gi", "ephemeral-storage": "1e9"}}}]}})
    assert stored["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "1m", "memory": "1k", "ephemeral-storage": "2Mi"},
        "limits": {"cpu": "2", "memory": "1536Mi", "ephemeral-storage": "1e9"}}


def test_pod_templates_do_not_get_the_pod_only_defaults(api: Api) -> None:
    """``SetDefaults_Pod`` is for Pods only: a template's requests stay unset and it has no enableServiceLinks."""
    status, body = api.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {
            "selector": {"matchLabels": {"app": "a"}}, "template": {"metadata": {"labels": {"app": "a"}}, "spec": {
                "containers": [{"name": "c", "image": "nginx:1", "resources": {"limits": {"cpu": "0.5"}}}]}}}})
    assert status == 201, body
    spec = body["spec"]["template"]["spec"]
    assert spec["containers"][0]["resources"] == {"limits": {"cpu": "500m"}}
    assert "enableServiceLinks" not in spec
