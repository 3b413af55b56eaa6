"""Pods refused as kube-apiserver v1.36 refuses them: 422 ``Invalid`` with upstream's field paths, reasons and
texts (``pkg/apis/core/validation``: ``ValidatePodCreate`` -> ``ValidatePodSpec`` and what it calls).

Each case is a Pod that differs from a valid one by one mistake; the expected causes are written out from
upstream's code (the function named in the case's comment), not from fakekube's output.  A few cases go
through kubectl (the line the user reads) and the official Python client (``ApiException``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Api, Kubectl
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from fakekube import FakeCluster

PODS = "/api/v1/namespaces/default/pods"
TEMPLATES = "/api/v1/namespaces/default/podtemplates"
# apimachinery's format messages (RegexError joins examples with " or ", hence the doubled spaces).
DNS_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
             "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                 "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                 "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
              "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
PORT_RANGE = "must be between 1 and 65535, inclusive"
PORT_CHARS = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
PORT_LETTER = "must contain at least one letter (a-z)"
ID_RANGE = "must be between 0 and 4294967295, inclusive"
NOT_NEGATIVE = "must be greater than or equal to 0"
INIT_ONLY = "may not be set for init containers without restartPolicy=Always"
ENV_PATHS = ('"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
             '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"')
RESOURCE_PATHS = ('"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", '
                  '"requests.ephemeral-storage", "requests.memory"')
INVALID, REQUIRED, FORBIDDEN = "FieldValueInvalid", "FieldValueRequired", "FieldValueForbidden"
DUPLICATE, NOT_FOUND, NOT_SUPPORTED = "FieldValueDuplicate", "FieldValueNotFound", "FieldValueNotSupported"

Cause = tuple[str, str, str]  # field, reason, message


def container(**fields: Any) -> dict[str, Any]:
    return {"name": "c", "image": "nginx", **fields}


def spec(*containers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"containers": list(containers) or [container()], **fields}


def one(**fields: Any) -> dict[str, Any]:
    """A spec whose one container has ``fields``."""
    return spec(container(**fields))


def volume(name: str = "v", **source: Any) -> dict[str, Any]:
    return {"name": name, **(source or {"emptyDir": {}})}


def mounted(*mounts: dict[str, Any], volumes: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    return spec(container(volumeMounts=list(mounts), **fields), volumes=volumes or [volume()])


def term(**fields: Any) -> dict[str, Any]:
    return {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "zone", **fields}]}]}}


def config_map_item(path: str) -> dict[str, Any]:
    return {"name": "cm", "items": [{"key": "k", "path": path}]}


REQUIRED_TERMS = "requiredDuringSchedulingIgnoredDuringExecution"
NODE_EXPR = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]" \
            ".matchExpressions[0]"
POD_TERM = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
HTTP = {"httpGet": {"port": 8080}}
GPU = "example.com/gpu"

# (id, spec, extra metadata, causes)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[Cause]]] = [
    # --- containers: validateContainerCommon, validateContainers, validateInitContainers ---
    ("container-name-uppercase", spec(container(name="Web")), {},
     [("spec.containers[0].name", INVALID, f'Invalid value: "Web": {DNS_LABEL}')]),
    ("container-name-empty", spec(container(name="")), {}, [("spec.containers[0].name", REQUIRED, "Required value")]),
    ("container-image-missing", spec({"name": "c"}), {}, [("spec.containers[0].image", REQUIRED, "Required value")]),
    ("containers-empty", {"containers": []}, {}, [("spec.containers", REQUIRED, "Required value")]),
    ("container-names-duplicate", spec(container(), container()), {},
     [("spec.containers[1].name", DUPLICATE, 'Duplicate value: "c"')]),
    ("init-container-name-of-a-container", spec(initContainers=[container()]), {},
     [("spec.initContainers[0].name", DUPLICATE, 'Duplicate value: "c"')]),
    # validateContainerOnlyForPod
    ("image-with-spaces", spec(container(image=" nginx")), {},
     [("spec.containers[0].image", INVALID,
       'Invalid value: " nginx": must not have leading or trailing whitespace')]),
    ("restart-policy-on-a-container", one(restartPolicy="Always"), {},
     [("spec.containers[0].restartPolicy", FORBIDDEN, "Forbidden: may not be set for non-init containers")]),
    # validateInitContainerRestartPolicy
    ("init-restart-policy-on-failure", spec(initContainers=[container(name="i", restartPolicy="OnFailure")]), {},
     [("spec.initContainers[0].restartPolicy", NOT_SUPPORTED,
       'Unsupported value: "OnFailure": supported values: "Always"')]),
    ("init-container-probe", spec(initContainers=[container(name="i", livenessProbe={"exec": {"command": ["x"]}})]),
     {}, [("spec.initContainers[0].livenessProbe", FORBIDDEN, f"Forbidden: {INIT_ONLY}")]),
    ("init-container-lifecycle", spec(initContainers=[container(name="i", lifecycle={"preStop": HTTP})]), {},
     [("spec.initContainers[0].lifecycle", FORBIDDEN, f"Forbidden: {INIT_ONLY}")]),
    # ValidatePodCreate
    ("ephemeral-container-on-create", spec(ephemeralContainers=[{"name": "debug", "image": "busybox"}]), {},
     [("spec.ephemeralContainers", FORBIDDEN, "Forbidden: cannot be set on create")]),
    # --- ports: validateContainerPorts, checkHostPortConflicts, validatePodHostNetworkDeps ---
    ("container-port-zero", one(ports=[{"containerPort": 0}]), {},
     [("spec.containers[0].ports[0].containerPort", REQUIRED, "Required value")]),
    ("container-port-too-big", one(ports=[{"containerPort": 70000}]), {},
     [("spec.containers[0].ports[0].containerPort", INVALID, f"Invalid value: 70000: {PORT_RANGE}")]),
    ("host-port-too-big", one(ports=[{"containerPort": 80, "hostPort": 65536}]), {},
     [("spec.containers[0].ports[0].hostPort", INVALID, f"Invalid value: 65536: {PORT_RANGE}")]),
    ("port-name-uppercase", one(ports=[{"containerPort": 80, "name": "HTTP"}]), {},
     [("spec.containers[0].ports[0].name", INVALID, f'Invalid value: "HTTP": {PORT_CHARS}'),
      ("spec.containers[0].ports[0].name", INVALID, f'Invalid value: "HTTP": {PORT_LETTER}')]),
    ("port-name-too-long", one(ports=[{"containerPort": 80, "name": "metrics-endpoint"}]), {},
     [("spec.containers[0].ports[0].name", INVALID,
       'Invalid value: "metrics-endpoint": must be no more than 15 characters')]),
    ("port-name-digits", one(ports=[{"containerPort": 80, "name": "8080"}]), {},
     [("spec.containers[0].ports[0].name", INVALID, f'Invalid value: "8080": {PORT_LETTER}')]),
    ("port-name-hyphens", one(ports=[{"containerPort": 80, "name": "-web--ui"}]), {},
     [("spec.containers[0].ports[0].name", INVALID, 'Invalid value: "-web--ui": must not contain consecutive hyphens'),
      ("spec.containers[0].ports[0].name", INVALID,
       'Invalid value: "-web--ui": must not begin or end with a hyphen')]),
    ("port-names-duplicate", one(ports=[{"containerPort": 80, "name": "web"}, {"containerPort": 81, "name": "web"}]),
     {}, [("spec.containers[0].ports[1].name", DUPLICATE, 'Duplicate value: "web"')]),
    ("host-ports-conflict", spec(container(ports=[{"containerPort": 80, "hostPort": 80}]),
                                 container(name="d", ports=[{"containerPort": 81, "hostPort": 80}])), {},
     [("spec.containers[1].ports[0].hostPort", DUPLICATE, 'Duplicate value: "TCP//80"')]),
    ("host-network-port-mismatch", spec(container(ports=[{"containerPort": 80, "hostPort": 8080}]), hostNetwork=True),
     {}, [("spec.containers[0].ports[0].hostPort", INVALID,
           "Invalid value: 8080: must match `containerPort` when `hostNetwork` is true")]),
    # --- probes and handlers: validateProbe, validateHandler, validateLifecycle, validateSleepAction ---
    ("probe-without-handler", one(livenessProbe={"initialDelaySeconds": 5}), {},
     [("spec.containers[0].livenessProbe", REQUIRED, "Required value: must specify a handler type")]),
    ("probe-two-handlers", one(livenessProbe={"exec": {"command": ["true"]}, **HTTP}), {},
     [("spec.containers[0].livenessProbe.httpGet", FORBIDDEN, "Forbidden: may not specify more than 1 handler type")]),
    ("liveness-success-threshold", one(livenessProbe={**HTTP, "successThreshold": 2}), {},
     [("spec.containers[0].livenessProbe.successThreshold", INVALID, "Invalid value: 2: must be 1")]),
    ("startup-success-threshold", one(startupProbe={**HTTP, "successThreshold": 3}), {},
     [("spec.containers[0].startupProbe.successThreshold", INVALID, "Invalid value: 3: must be 1")]),
    ("readiness-negative-delay", one(readinessProbe={**HTTP, "initialDelaySeconds": -1}), {},
     [("spec.containers[0].readinessProbe.initialDelaySeconds", INVALID, f"Invalid value: -1: {NOT_NEGATIVE}")]),
    ("exec-without-command", one(livenessProbe={"exec": {}}), {},
     [("spec.containers[0].livenessProbe.exec.command", REQUIRED, "Required value")]),
    ("http-get-port-zero", one(readinessProbe={"httpGet": {"port": 0}}), {},
     [("spec.containers[0].readinessProbe.httpGet.port", INVALID, f"Invalid value: 0: {PORT_RANGE}")]),
    ("http-get-port-name", one(readinessProbe={"httpGet": {"port": "Metrics"}}), {},
     [("spec.containers[0].readinessProbe.httpGet.port", INVALID, f'Invalid value: "Metrics": {PORT_CHARS}')]),
    ("tcp-socket-port", one(livenessProbe={"tcpSocket": {"port": 99999}}), {},
     [("spec.containers[0].livenessProbe.tcpSocket.port", INVALID, f"Invalid value: 99999: {PORT_RANGE}")]),
    ("grpc-port-zero", one(livenessProbe={"grpc": {"port": 0}}), {},
     [("spec.containers[0].livenessProbe.grpc.port", INVALID, f"Invalid value: 0: {PORT_RANGE}")]),
    ("http-header-name", one(livenessProbe={"httpGet": {"port": 80, "httpHeaders": [{"name": "X Id", "value": "1"}]}}),
     {}, [("spec.containers[0].livenessProbe.httpGet.httpHeaders", INVALID,
           "Invalid value: \"X Id\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
           "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')")]),
    ("readiness-grace-period", one(readinessProbe={**HTTP, "terminationGracePeriodSeconds": 10}), {},
     [("spec.containers[0].readinessProbe.terminationGracePeriodSeconds", INVALID,
       "Invalid value: 10: must not be set for readinessProbes")]),
    ("liveness-grace-period-zero", one(livenessProbe={**HTTP, "terminationGracePeriodSeconds": 0}), {},
     [("spec.containers[0].livenessProbe.terminationGracePeriodSeconds", INVALID,
       "Invalid value: 0: must be greater than 0")]),
    ("pre-stop-sleep-too-long", one(lifecycle={"preStop": {"sleep": {"seconds": 60}}}), {},
     [("spec.containers[0].lifecycle.preStop.sleep", INVALID,
       "Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)")]),
    ("post-start-without-handler", one(lifecycle={"postStart": {}}), {},
     [("spec.containers[0].lifecycle.postStart", REQUIRED, "Required value: must specify a handler type")]),
    # --- resources: validateResourceRequirements, validateContainerResourceName, ValidateResourceQuantityValue ---
    ("cpu-request-above-limit", one(resources={"limits": {"cpu": "1"}, "requests": {"cpu": "1500m"}}), {},
     [("spec.containers[0].resources.requests", INVALID,
       'Invalid value: "1500m": must be less than or equal to cpu limit of 1')]),
    ("memory-request-above-limit", one(resources={"limits": {"memory": "1024Mi"}, "requests": {"memory": "2Gi"}}), {},
     [("spec.containers[0].resources.requests", INVALID,
       'Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi')]),
    ("cpu-request-fraction-above-limit", one(resources={"limits": {"cpu": 0.25}, "requests": {"cpu": 0.5}}), {},
     [("spec.containers[0].resources.requests", INVALID,
       'Invalid value: "500m": must be less than or equal to cpu limit of 250m')]),
    ("negative-cpu-limit", one(resources={"limits": {"cpu": "-1"}}), {},  # requests default to limits on a Pod
     [("spec.containers[0].resources.limits[cpu]", INVALID, f'Invalid value: "-1": {NOT_NEGATIVE}'),
      ("spec.containers[0].resources.requests[cpu]", INVALID, f'Invalid value: "-1": {NOT_NEGATIVE}')]),
    ("unqualified-resource-name", one(resources={"requests": {"gpu": "1"}}), {},
     [("spec.containers[0].resources.requests[gpu]", INVALID,
       'Invalid value: "gpu": must be a standard resource type or fully qualified'),
      ("spec.containers[0].resources.requests[gpu]", INVALID,
       'Invalid value: "gpu": must be a standard resource for containers')]),
    ("quota-resource-in-a-container", one(resources={"requests": {"pods": "1"}}), {},
     [("spec.containers[0].resources.requests[pods]", INVALID,
       'Invalid value: "pods": must be a standard resource for containers')]),
    ("extended-resource-request-without-limit", one(resources={"requests": {GPU: "1"}}), {},
     [("spec.containers[0].resources.limits", REQUIRED,
       "Required value: Limit must be set for non overcommitable resources")]),
    ("extended-resource-request-below-limit", one(resources={"limits": {GPU: "2"}, "requests": {GPU: "1"}}), {},
     [("spec.containers[0].resources.requests", INVALID,
       'Invalid value: "1": must be equal to example.com/gpu limit of 2')]),
    ("hugepages-without-cpu-or-memory", one(resources={"limits": {"hugepages-2Mi": "4Mi"}}), {},
     [("spec.containers[0].resources", FORBIDDEN, "Forbidden: HugePages require cpu or memory")]),
    ("hugepages-not-whole-pages", one(resources={"limits": {"hugepages-2Mi": "3Mi", "memory": "1Gi"}}), {},
     [("spec.containers[0].resources.limits[hugepages-2Mi]", INVALID,
       'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'),
      ("spec.containers[0].resources.requests[hugepages-2Mi]", INVALID,
       'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi')]),
    # --- env: ValidateEnv, validateEnvVarValueFrom, validateObjectFieldSelector, ValidateEnvFrom ---
    ("env-name-with-equals", one(env=[{"name": "A=B", "value": "1"}]), {},
     [("spec.containers[0].env[0].name", INVALID, "Invalid value: \"A=B\": a valid environment variable name must "
       "consist only of printable ASCII characters other than '='")]),
    ("env-name-empty", one(env=[{"name": "", "value": "1"}]), {},
     [("spec.containers[0].env[0].name", REQUIRED, "Required value")]),
    ("env-value-from-empty", one(env=[{"name": "A", "valueFrom": {}}]), {},
     [("spec.containers[0].env[0].valueFrom", INVALID, 'Invalid value: "": must specify one of: `fieldRef`, '
       "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")]),
    ("env-value-and-value-from", one(env=[{"name": "A", "value": "x",
                                           "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]), {},
     [("spec.containers[0].env[0].valueFrom", INVALID,
       'Invalid value: "": may not be specified when `value` is not empty')]),
    ("env-two-sources", one(env=[{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"},
                                                             "secretKeyRef": {"name": "s", "key": "k"}}}]), {},
     [("spec.containers[0].env[0].valueFrom", INVALID,
       'Invalid value: "": may not have more than one field specified at a time')]),
    ("env-field-ref-unsupported", one(env=[{"name": "A", "valueFrom": {
        "fieldRef": {"fieldPath": "spec.restartPolicy"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", NOT_SUPPORTED,
           f'Unsupported value: "spec.restartPolicy": supported values: {ENV_PATHS}')]),
    ("env-field-ref-unknown", one(env=[{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.owner"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", INVALID, 'Invalid value: "metadata.owner": '
       "error converting fieldPath: field label not supported: metadata.owner")]),
    ("env-field-ref-bad-label", one(env=[{"name": "A", "valueFrom": {
        "fieldRef": {"fieldPath": "metadata.labels['-app']"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.fieldRef", INVALID, f'Invalid value: "-app": {NAME_PART}')]),
    ("env-resource-field-unsupported", one(env=[{"name": "A", "valueFrom": {
        "resourceFieldRef": {"resource": "limits.gpu"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.resourceFieldRef.resource", NOT_SUPPORTED,
       f'Unsupported value: "limits.gpu": supported values: {RESOURCE_PATHS}')]),
    ("env-resource-field-divisor", one(env=[{"name": "A", "valueFrom": {
        "resourceFieldRef": {"resource": "limits.cpu", "divisor": "2"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", INVALID,
       'Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource')]),
    ("env-config-map-key", one(env=[{"name": "A", "valueFrom": {
        "configMapKeyRef": {"name": "cm", "key": "a key"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.configMapKeyRef.key", INVALID, f'Invalid value: "a key": {CONFIG_KEY}')]),
    ("env-secret-without-name", one(env=[{"name": "A", "valueFrom": {"secretKeyRef": {"key": "k"}}}]), {},
     [("spec.containers[0].env[0].valueFrom.secretKeyRef.name", INVALID, f'Invalid value: "": {DNS_SUBDOMAIN}')]),
    ("env-from-without-source", one(envFrom=[{"prefix": "X_"}]), {},
     [("spec.containers[0].envFrom", INVALID,
       'Invalid value: "": must specify one of: `configMapRef` or `secretRef`')]),
    ("env-from-config-map-name", one(envFrom=[{"configMapRef": {"name": "My_Config"}}]), {},
     [("spec.containers[0].envFrom[0].configMapRef.name", INVALID, f'Invalid value: "My_Config": {DNS_SUBDOMAIN}')]),
    ("env-from-prefix", one(envFrom=[{"prefix": "A=", "secretRef": {"name": "s"}}]), {},
     [("spec.containers[0].envFrom[0].prefix", INVALID, "Invalid value: \"A=\": a valid environment variable name "
       "must consist only of printable ASCII characters other than '='")]),
    # --- volumes and mounts: ValidateVolumes, validateVolumeSource, ValidateVolumeMounts ---
    ("volume-name", spec(volumes=[volume("Data")]), {},
     [("spec.volumes[0].name", INVALID, f'Invalid value: "Data": {DNS_LABEL}')]),
    ("volume-names-duplicate", spec(volumes=[volume(), volume()]), {},
     [("spec.volumes[1].name", DUPLICATE, 'Duplicate value: "v"')]),
    ("mount-of-missing-volume", mounted({"name": "nope", "mountPath": "/data"}), {},
     [("spec.containers[0].volumeMounts[0].name", NOT_FOUND, 'Not found: "nope"')]),
    ("volume-two-sources", spec(volumes=[volume(emptyDir={}, configMap={"name": "cm"})]), {},
     [("spec.volumes[0].configMap", FORBIDDEN, "Forbidden: may not specify more than 1 volume type")]),
    ("volume-two-sources-downward-api", spec(volumes=[volume(emptyDir={}, downwardAPI={"items": []})]), {},
     [("spec.volumes[0].downwarAPI", FORBIDDEN, "Forbidden: may not specify more than 1 volume type")]),
    ("mount-paths-duplicate", mounted({"name": "v", "mountPath": "/data"}, {"name": "v", "mountPath": "/data"}), {},
     [("spec.containers[0].volumeMounts[1].mountPath", INVALID, 'Invalid value: "/data": must be unique')]),
    ("mount-sub-path-absolute", mounted({"name": "v", "mountPath": "/data", "subPath": "/etc"}), {},
     [("spec.containers[0].volumeMounts.subPath", INVALID, 'Invalid value: "/etc": must be a relative path')]),
    ("mount-sub-path-backsteps", mounted({"name": "v", "mountPath": "/data", "subPath": "a/../../b"}), {},
     [("spec.containers[0].volumeMounts.subPath", INVALID, "Invalid value: \"a/../../b\": must not contain '..'")]),
    ("mount-bidirectional", mounted({"name": "v", "mountPath": "/data", "mountPropagation": "Bidirectional"}), {},
     [("spec.containers[0].volumeMounts.mountPropagation", FORBIDDEN,
       "Forbidden: Bidirectional mount propagation is available only to privileged containers")]),
    ("mount-recursive-read-only", mounted({"name": "v", "mountPath": "/data", "recursiveReadOnly": "Enabled"}), {},
     [("spec.containers[0].volumeMounts.recursiveReadOnly", FORBIDDEN,
       "Forbidden: may only be specified when readOnly is true")]),
    ("config-map-item-backsteps", spec(volumes=[volume(configMap=config_map_item("../x"))]), {},
     [("spec.volumes[0].configMap.items[0].path", INVALID, "Invalid value: \"../x\": must not contain '..'")]),
    ("config-map-item-leading-dots", spec(volumes=[volume(configMap=config_map_item("..x"))]), {},
     [("spec.volumes[0].configMap.items[0].path", INVALID, "Invalid value: \"..x\": must not start with '..'")]),
    ("config-map-default-mode", spec(volumes=[volume(configMap={"name": "cm", "defaultMode": 512})]), {},
     [("spec.volumes[0].configMap.defaultMode", INVALID,
       "Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive")]),
    ("secret-volume-without-name", spec(volumes=[volume(secret={"secretName": ""})]), {},
     [("spec.volumes[0].secret.secretName", REQUIRED, "Required value")]),
    ("claim-without-name", spec(volumes=[volume(persistentVolumeClaim={"claimName": ""})]), {},
     [("spec.volumes[0].persistentVolumeClaim.claimName", REQUIRED, "Required value")]),
    ("host-path-backsteps", spec(volumes=[volume(hostPath={"path": "/var/../etc"})]), {},
     [("spec.volumes[0].hostPath.path", INVALID, "Invalid value: \"/var/../etc\": must not contain '..'")]),
    ("nfs-relative-path", spec(volumes=[volume(nfs={"server": "nfs", "path": "exports"})]), {},
     [("spec.volumes[0].nfs.path", INVALID, 'Invalid value: "exports": must be an absolute path')]),
    ("projected-token-too-short", spec(serviceAccountName="default", volumes=[volume(projected={"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]})]), {},
     [("spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds", INVALID,
       "Invalid value: 60: may not specify a duration less than 10 minutes")]),
    ("ephemeral-claim-template-without-access-modes", spec(volumes=[{"name": "scratch", "ephemeral": {
        "volumeClaimTemplate": {"spec": {"resources": {"requests": {"storage": "1Gi"}}}}}}]), {},
     [("spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes", REQUIRED,  # ValidatePersistentVolumeClaimSpec
       "Required value: at least 1 access mode is required")]),
    # --- scheduling: ValidateLabels, validateAffinity, ValidateTolerations, validateTopologySpreadConstraints ---
    ("node-selector-value", spec(nodeSelector={"disk": "fast ssd"}), {},
     [("spec.nodeSelector", INVALID, f'Invalid value: "fast ssd": {LABEL_VALUE}')]),
    ("node-affinity-in-without-values", spec(affinity={"nodeAffinity": term(operator="In")}), {},
     [(f"{NODE_EXPR}.values", REQUIRED, "Required value: must be specified when `operator` is 'In' or 'NotIn'")]),
    ("node-affinity-exists-with-values", spec(affinity={"nodeAffinity": term(operator="Exists", values=["a"])}), {},
     [(f"{NODE_EXPR}.values", FORBIDDEN,
       "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]),
    ("node-affinity-gt-two-values", spec(affinity={"nodeAffinity": term(operator="Gt", values=["1", "2"])}), {},
     [(f"{NODE_EXPR}.values", REQUIRED,
       "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")]),
    ("node-affinity-no-terms", spec(affinity={"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}), {},
     [("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", REQUIRED,
       "Required value: must have at least one node selector term")]),
    ("node-affinity-weight", spec(affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 0, "preference": {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}}]}}), {},
     [("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", INVALID,
       "Invalid value: 0: must be in the range 1-100")]),
    ("pod-affinity-empty-topology-key", spec(affinity={"podAffinity": {REQUIRED_TERMS: [
        {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": ""}]}}), {},
     [(f"{POD_TERM}.topologyKey", REQUIRED, "Required value: can not be empty"),
      (f"{POD_TERM}.topologyKey", INVALID, 'Invalid value: "": name part must be non-empty'),
      (f"{POD_TERM}.topologyKey", INVALID, f'Invalid value: "": {NAME_PART}')]),
    ("pod-affinity-selector-operator", spec(affinity={"podAffinity": {REQUIRED_TERMS: [
        {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["db"]}]},
         "topologyKey": "zone"}]}}), {},
     [(f"{POD_TERM}.labelSelector.matchExpressions[0].operator", INVALID,
       'Invalid value: "Equals": not a valid selector operator')]),
    ("pod-affinity-namespace", spec(affinity={"podAffinity": {REQUIRED_TERMS: [
        {"namespaces": ["Prod"], "topologyKey": "zone"}]}}), {},
     [(f"{POD_TERM}.namespace", INVALID, f'Invalid value: "Prod": {DNS_LABEL}')]),
    ("pod-anti-affinity-weight", spec(affinity={"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 101, "podAffinityTerm": {"topologyKey": "zone"}}]}}), {},
     [("spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", INVALID,
       "Invalid value: 101: must be in the range 1-100")]),
    ("toleration-empty-key-equal", spec(tolerations=[{"operator": "Equal", "value": "x"}]), {},
     [("spec.tolerations[0].operator", INVALID, 'Invalid value: "Equal": operator must be Exists when `key` is '
       'empty, which means "match all values and all keys"')]),
    ("toleration-seconds-without-no-execute", spec(tolerations=[
        {"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 10}]), {},
     [("spec.tolerations[0].effect", INVALID,
       "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set")]),
    ("toleration-exists-with-value", spec(tolerations=[{"key": "k", "operator": "Exists", "value": "v"}]), {},
     [("spec.tolerations[0].operator", INVALID,
       "Invalid value: \"v\": value must be empty when `operator` is 'Exists'")]),
    ("toleration-value", spec(tolerations=[{"key": "k", "value": "a b"}]), {},
     [("spec.tolerations[0].operator", INVALID, f'Invalid value: "a b": {LABEL_VALUE}')]),
    ("toleration-key", spec(tolerations=[{"key": "a b", "operator": "Exists"}]), {},
     [("spec.tolerations[0].key", INVALID, f'Invalid value: "a b": {NAME_PART}')]),
    ("spread-max-skew", spec(topologySpreadConstraints=[
        {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]), {},
     [("spec.topologySpreadConstraints[0].maxSkew", INVALID, "Invalid value: 0: must be greater than zero")]),
    ("spread-duplicate", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
        {"maxSkew": 2, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]), {},
     [("spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}", DUPLICATE,
       'Duplicate value: "{zone, DoNotSchedule}"')]),
    ("spread-min-domains", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway", "minDomains": 2}]), {},
     [("spec.topologySpreadConstraints[0].minDomains", INVALID,
       "Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway")]),
    ("spread-empty-topology-key", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "", "whenUnsatisfiable": "DoNotSchedule"}]), {},
     [("spec.topologySpreadConstraints[0].topologyKey", REQUIRED, "Required value: can not be empty")]),
    ("spread-match-label-keys-without-selector", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "matchLabelKeys": ["app"]}]), {},
     [("spec.topologySpreadConstraints[0].matchLabelKeys", FORBIDDEN,
       "Forbidden: must not be specified when labelSelector is not set")]),
    ("scheduling-gates-duplicate", spec(schedulingGates=[{"name": "example.com/wait"}, {"name": "example.com/wait"}]),
     {}, [("spec.schedulingGates[1]", DUPLICATE, 'Duplicate value: "example.com/wait"')]),
    ("node-name-while-gated", spec(nodeName="node-1", schedulingGates=[{"name": "wait"}]), {},
     [("spec.nodeName", FORBIDDEN, "Forbidden: cannot be set until all schedulingGates have been cleared")]),
    ("readiness-gate", spec(readinessGates=[{"conditionType": "ready now"}]), {},
     [("spec.readinessGates[0].conditionType", INVALID, f'Invalid value: "ready now": {NAME_PART}')]),
    # --- DNS and names: validatePodDNSConfig, ValidateHostAliases, ValidatePodSpec ---
    ("dns-none-without-config", spec(dnsPolicy="None"), {},
     [("spec.dnsConfig", REQUIRED, "Required value: must provide `dnsConfig` when `dnsPolicy` is None")]),
    ("dns-none-without-nameservers", spec(dnsPolicy="None", dnsConfig={"searches": ["svc.local"]}), {},
     [("spec.dnsConfig.nameservers", REQUIRED,
       "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")]),
    ("dns-four-nameservers", spec(dnsConfig={"nameservers": ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"]}), {},
     [("spec.dnsConfig.nameservers", INVALID, 'Invalid value: ["1.1.1.1","1.0.0.1","8.8.8.8",'
       '"8.8.4.4"]: must not have more than 3 nameservers')]),
    ("dns-nameserver-not-an-ip", spec(dnsConfig={"nameservers": ["dns.local"]}), {},
     [("spec.dnsConfig.nameservers[0]", INVALID,
       'Invalid value: "dns.local": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]),
    ("dns-option-without-name", spec(dnsConfig={"options": [{"value": "2"}]}), {},
     [("spec.dnsConfig.options[0]", REQUIRED, "Required value: must not be empty")]),
    ("host-alias-ip", spec(hostAliases=[{"ip": "10.0.0.300", "hostnames": ["db"]}]), {},
     [("spec.hostAliases[0].ip", INVALID,
       'Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]),
    ("hostname", spec(hostname="Web_1"), {}, [("spec.hostname", INVALID, f'Invalid value: "Web_1": {DNS_LABEL}')]),
    ("subdomain-with-dots", spec(subdomain="a.b"), {},
     [("spec.subdomain", INVALID, 'Invalid value: "a.b": must not contain dots')]),
    ("active-deadline-zero", spec(activeDeadlineSeconds=0), {},
     [("spec.activeDeadlineSeconds", INVALID, "Invalid value: 0: must be between 1 and 2147483647, inclusive")]),
    # --- security: validatePodSpecSecurityContext, ValidateSecurityContext, validateHostUsers, validateOS ---
    ("pod-run-as-user", spec(securityContext={"runAsUser": -1}), {},
     [("spec.securityContext.runAsUser", INVALID, f"Invalid value: -1: {ID_RANGE}")]),
    ("container-run-as-group", one(securityContext={"runAsGroup": 4294967296}), {},
     [("spec.containers[0].securityContext.runAsGroup", INVALID, f"Invalid value: 4294967296: {ID_RANGE}")]),
    ("supplemental-group", spec(securityContext={"supplementalGroups": [-5]}), {},
     [("spec.securityContext.supplementalGroups[0]", INVALID, f"Invalid value: -5: {ID_RANGE}")]),
    ("share-process-namespace-with-host-pid", spec(shareProcessNamespace=True, hostPID=True), {},
     [("spec.securityContext.shareProcessNamespace", INVALID,
       "Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled")]),
    ("sysctl-name", spec(securityContext={"sysctls": [{"name": "Net.Core", "value": "1"}]}), {},
     [("spec.securityContext.sysctls[0].name", INVALID, 'Invalid value: "Net.Core": must have at most 253 '
       "characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")]),
    ("sysctl-net-with-host-network", spec(hostNetwork=True, securityContext={
        "sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]}), {},
     [("spec.securityContext.sysctls[0].name", INVALID,
       "Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true")]),
    ("seccomp-localhost-without-profile", spec(securityContext={"seccompProfile": {"type": "Localhost"}}), {},
     [("spec.securityContext.seccompProfile.localhostProfile", REQUIRED,
       "Required value: must be set when seccomp type is Localhost")]),
    ("apparmor-localhost-without-profile", one(securityContext={"appArmorProfile": {"type": "Localhost"}}), {},
     [("spec.containers[0].securityContext.appArmorProfile.localhostProfile", REQUIRED,
       "Required value: must be set when AppArmor type is Localhost")]),
    ("proc-mount-unmasked-in-host-users", one(securityContext={"procMount": "Unmasked"}), {},
     [("spec.containers[0].securityContext.procMount", INVALID,
       'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`')]),
    ("host-users-false-with-host-network", spec(hostUsers=False, hostNetwork=True), {},
     [("spec.hostNetwork", FORBIDDEN, "Forbidden: when `pod.Spec.HostUsers` is false")]),
    ("linux-pod-with-windows-options", spec(os={"name": "linux"}, securityContext={
        "windowsOptions": {"runAsUserName": "admin"}}), {},
     [("spec.securityContext.windowsOptions", FORBIDDEN, "Forbidden: windows options cannot be set for a linux pod")]),
    ("windows-pod-with-run-as-user", spec(os={"name": "windows"}, securityContext={"runAsUser": 1000}), {},
     [("spec.securityContext.runAsUser", FORBIDDEN, "Forbidden: cannot be set for a windows pod")]),
    # --- enums and required keys: upstream checks them by hand (the strategy sets validation_ported) ---
    ("restart-policy-unsupported", spec(restartPolicy="Sometimes"), {},  # validateRestartPolicy
     [("spec.restartPolicy", NOT_SUPPORTED,
       'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"')]),
    ("dns-policy-unsupported", spec(dnsPolicy="Cluster"), {},  # validateDNSPolicy
     [("spec.dnsPolicy", NOT_SUPPORTED, 'Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", '
       '"ClusterFirst", "Default", "None"')]),
    ("image-pull-policy-unsupported", one(imagePullPolicy="IfMissing"), {},  # validatePullPolicy
     [("spec.containers[0].imagePullPolicy", NOT_SUPPORTED,
       'Unsupported value: "IfMissing": supported values: "Always", "IfNotPresent", "Never"')]),
    ("termination-message-policy-unsupported", one(terminationMessagePolicy="Logs"), {},
     [("spec.containers[0].terminationMessagePolicy", NOT_SUPPORTED,
       'Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError"')]),
    ("port-protocol-unsupported", one(ports=[{"containerPort": 53, "protocol": "udp"}]), {},
     [("spec.containers[0].ports[0].protocol", NOT_SUPPORTED,
       'Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"')]),
    ("toleration-operator-unsupported", spec(tolerations=[{"key": "k", "operator": "Equals", "value": "v"}]), {},
     [("spec.tolerations[0].operator", NOT_SUPPORTED, 'Unsupported value: "Equals": supported values: "Equal", '
       '"Exists"')]),
    ("toleration-effect-unsupported", spec(tolerations=[{"key": "k", "operator": "Exists", "effect": "NoRun"}]), {},
     [("spec.tolerations[0].effect", NOT_SUPPORTED, 'Unsupported value: "NoRun": supported values: "NoSchedule", '
       '"PreferNoSchedule", "NoExecute"')]),
    ("when-unsatisfiable-unsupported", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "Schedule"}]), {},
     [("spec.topologySpreadConstraints[0].whenUnsatisfiable", NOT_SUPPORTED,
       'Unsupported value: "Schedule": supported values: "DoNotSchedule", "ScheduleAnyway"')]),
    ("seccomp-type-unsupported", spec(securityContext={"seccompProfile": {"type": "Default"}}), {},
     [("spec.securityContext.seccompProfile.type", NOT_SUPPORTED,
       'Unsupported value: "Default": supported values: "Localhost", "RuntimeDefault", "Unconfined"')]),
    ("mount-propagation-unsupported", mounted({"name": "v", "mountPath": "/data", "mountPropagation": "Shared"}), {},
     [("spec.containers[0].volumeMounts.mountPropagation", NOT_SUPPORTED,
       'Unsupported value: "Shared": supported values: "Bidirectional", "HostToContainer", "None"')]),
    ("host-path-type-unsupported", spec(volumes=[volume(hostPath={"path": "/data", "type": "Dir"})]), {},
     [("spec.volumes[0].hostPath.type", NOT_SUPPORTED, 'Unsupported value: "Dir": supported values: "", '
       '"BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"')]),
    ("container-name-missing", spec({"image": "nginx"}), {},
     [("spec.containers[0].name", REQUIRED, "Required value")]),
    ("container-port-missing", one(ports=[{"name": "web"}]), {},
     [("spec.containers[0].ports[0].containerPort", REQUIRED, "Required value")]),
    ("http-get-port-missing", one(readinessProbe={"httpGet": {"path": "/healthz"}}), {},
     [("spec.containers[0].readinessProbe.httpGet.port", INVALID, f"Invalid value: 0: {PORT_RANGE}")]),
    ("spread-topology-key-missing", spec(topologySpreadConstraints=[
        {"maxSkew": 1, "whenUnsatisfiable": "DoNotSchedule"}]), {},
     [("spec.topologySpreadConstraints[0].topologyKey", REQUIRED, "Required value: can not be empty")]),
    ("pod-affinity-topology-key-missing", spec(affinity={"podAntiAffinity": {REQUIRED_TERMS: [
        {"labelSelector": {"matchLabels": {"app": "db"}}}]}}), {},
     [(f"spec.affinity.podAntiAffinity.{REQUIRED_TERMS}[0].topologyKey", REQUIRED, "Required value: can not be empty"),
      (f"spec.affinity.podAntiAffinity.{REQUIRED_TERMS}[0].topologyKey", INVALID,
       'Invalid value: "": name part must be non-empty'),
      (f"spec.affinity.podAntiAffinity.{REQUIRED_TERMS}[0].topologyKey", INVALID,
       f'Invalid value: "": {NAME_PART}')]),
    ("env-name-missing", one(env=[{"value": "x"}]), {},
     [("spec.containers[0].env[0].name", REQUIRED, "Required value")]),
    # --- pod annotations: ValidatePodSpecificAnnotations ---
    ("deletion-cost", spec(), {"annotations": {"controller.kubernetes.io/pod-deletion-cost": "+10"}},
     [("metadata.annotations[controller.kubernetes.io/pod-deletion-cost]", INVALID,
       'Invalid value: "+10": must be a 32bit integer')]),
    ("mirror-pod-without-node", spec(), {"annotations": {"kubernetes.io/config.mirror": "x"}},
     [("metadata.annotations[kubernetes.io/config.mirror]", INVALID,
       'Invalid value: "x": must set spec.nodeName if mirror pod annotation is set')]),
]


def pod(spec: dict[str, Any], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", **(meta or {})}, "spec": copy.deepcopy(spec)}


def message(causes: list[Cause]) -> str:
    errs = [f"{field}: {text}" for field, _, text in causes]
    return 'Pod "p" is invalid: ' + (errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 70
    assert len({case_id for case_id, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize(("spec", "meta", "causes"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_an_invalid_pod_is_refused_with_upstreams_causes(api: Api, spec: dict[str, Any], meta: dict[str, Any],
                                                          causes: list[Cause]) -> None:
    status, body = api.json("POST", PODS, pod(spec, meta))
    assert status == 422, body
    assert body["reason"] == "Invalid"
    assert body["details"] == {"name": "p", "kind": "Pod", "causes": [
        {"reason": reason, "message": text, "field": field} for field, reason, text in causes]}
    assert body["message"] == message(causes)


VALID = [
    ("sidecar-with-probes", spec(initContainers=[container(name="proxy", restartPolicy="Always", readinessProbe=HTTP,
                                                           lifecycle={"preStop": {"sleep": {"seconds": 0}}})])),
    ("every-common-volume", spec(container(volumeMounts=[{"name": n, "mountPath": f"/{n}"} for n in "abcdefg"]),
                                 serviceAccountName="default", volumes=[
        volume("a"), volume("b", configMap={"name": "cm", "items": [{"key": "k", "path": "sub/k"}]}),
        volume("c", secret={"secretName": "s", "defaultMode": 0o400}),
        volume("d", persistentVolumeClaim={"claimName": "data"}),
        volume("e", downwardAPI={"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}),
        volume("f", projected={"sources": [{"serviceAccountToken": {"path": "token"}},
                                           {"configMap": {"name": "ca", "items": [{"key": "ca", "path": "ca.crt"}]}}]}),
        volume("g", hostPath={"path": "/var/log", "type": "Directory"})])),
    ("env-of-every-kind", one(env=[
        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
        {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
        {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        {"name": "my.weird-name!", "value": "relaxed names are fine"}],
        envFrom=[{"configMapRef": {"name": "settings-"}, "prefix": "CFG_"}])),
    ("scheduling", spec(nodeSelector={"kubernetes.io/os": "linux"}, tolerations=[{"operator": "Exists"}], affinity={
        "nodeAffinity": term(operator="In", values=["a", "b"]),
        "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": {
            "labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}}]}},
        topologySpreadConstraints=[{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                    "labelSelector": {"matchLabels": {"app": "web"}}, "minDomains": 2}])),
    ("dns-and-resources", spec(container(resources={"limits": {"cpu": "1", "memory": "1Gi", GPU: "2"},
                                                    "requests": {"cpu": "0.5"}}),
                               dnsPolicy="None", dnsConfig={"nameservers": ["10.0.0.10"], "searches": ["_srv.local."],
                                                            "options": [{"name": "ndots", "value": "2"}]})),
]


@pytest.mark.parametrize("spec", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_pods_of_every_shape_are_accepted(api: Api, spec: dict[str, Any]) -> None:
    status, body = api.json("POST", PODS, pod(spec))
    assert status == 201, body


def test_a_pod_template_is_validated_in_a_pod_template_object(api: Api) -> None:
    """``ValidatePodTemplateSpec`` (PodTemplate): its labels on ``template.labels``, no ephemeral containers."""
    template = {"metadata": {"labels": {"app": "a b"}}, "spec": spec(
        container(ports=[{"containerPort": 0}]), ephemeralContainers=[{"name": "debug", "image": "busybox"}])}
    status, body = api.json("POST", TEMPLATES, {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
                                                "template": template})
    assert status == 422, body
    assert [(c["field"], c["message"]) for c in body["details"]["causes"]] == [
        ("template.labels", f'Invalid value: "a b": {LABEL_VALUE}'),
        ("template.spec.containers[0].ports[0].containerPort", "Required value"),
        ("template.spec.ephemeralContainers", "Forbidden: ephemeral containers not allowed in pod template"),
    ]


def test_account_and_class_names_are_checked_in_a_template_and_refused_by_admission_in_a_pod(api: Api) -> None:
    """``ValidatePodSpec`` checks ``serviceAccountName`` and ``priorityClassName`` as subdomains; a Pod naming an
    account or class that cannot exist never gets there: the ServiceAccount and Priority admission plugins
    (mutating, before validation) refuse it first with 403."""
    template = {"metadata": {"labels": {"app": "a"}},
                "spec": spec(serviceAccountName="Builder", priorityClassName="High")}
    status, body = api.json("POST", TEMPLATES, {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
                                                "template": template})
    assert status == 422, body
    assert [(c["field"], c["message"]) for c in body["details"]["causes"]] == [
        ("template.spec.serviceAccountName", f'Invalid value: "Builder": {DNS_SUBDOMAIN}'),
        ("template.spec.priorityClassName", f'Invalid value: "High": {DNS_SUBDOMAIN}'),
    ]
    status, body = api.json("POST", PODS, pod(spec(serviceAccountName="Builder")))
    assert (status, body["reason"]) == (403, "Forbidden"), body
    assert body["message"] == ('pods "p" is forbidden: error looking up service account default/Builder: '
                               'serviceaccount "Builder" not found')
    status, body = api.json("POST", PODS, pod(spec(priorityClassName="High")))
    assert (status, body["reason"]) == (403, "Forbidden"), body
    assert body["message"] == 'pods "p" is forbidden: no PriorityClass with name High was found'


def test_a_template_may_leave_host_ports_unset_with_the_host_network(api: Api) -> None:
    """``validatePodHostNetworkDeps``: only a Pod (whose defaults fill it) needs ``hostPort``; a template may
    leave it 0, but not set it to another port."""
    template = {"metadata": {"labels": {"app": "a"}}, "spec": spec(
        container(ports=[{"containerPort": 80}, {"containerPort": 81, "hostPort": 82}]), hostNetwork=True)}
    status, body = api.json("POST", TEMPLATES, {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
                                                "template": template})
    assert status == 422, body
    assert body["message"] == ('PodTemplate "t" is invalid: template.spec.containers[0].ports[1].hostPort: '
                               "Invalid value: 82: must match `containerPort` when `hostNetwork` is true")


# --- updates: ValidatePodUpdate -------------------------------------------------------------------


def _created(api: Api, spec: dict[str, Any]) -> dict[str, Any]:
    status, body = api.json("POST", PODS, pod(spec))
    assert status == 201, body
    return body


def _update(api: Api, updated: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return api.json("PUT", f"{PODS}/p", updated)


def test_an_image_a_lower_deadline_and_added_tolerations_may_change(api: Api) -> None:
    created = _created(api, spec(activeDeadlineSeconds=600, tolerations=[{"key": "a", "operator": "Exists"}]))
    created["spec"]["containers"][0]["image"] = "nginx:1.27"
    created["spec"]["activeDeadlineSeconds"] = 300
    created["spec"]["tolerations"].append({"key": "b", "operator": "Exists"})
    status, body = _update(api, created)
    assert status == 200, body
    assert body["spec"]["containers"][0]["image"] == "nginx:1.27"


@pytest.mark.parametrize(("change", "causes"), [
    (lambda s: s["containers"].append(container(name="d")),
     [("spec.containers", FORBIDDEN, "Forbidden: pod updates may not add or remove containers")]),
    (lambda s: s.update(activeDeadlineSeconds=1200),
     [("spec.activeDeadlineSeconds", INVALID, "Invalid value: 1200: must be less than or equal to previous value")]),
    (lambda s: s.pop("activeDeadlineSeconds"),
     [("spec.activeDeadlineSeconds", INVALID, "Invalid value: null: must not update from a positive integer to nil "
       "value")]),
    (lambda s: s["containers"][0].update(image=""),
     [("spec.containers[0].image", REQUIRED, "Required value"),
      ("spec.containers[0].image", REQUIRED, "Required value")]),
    (lambda s: s["tolerations"][0].update(key="c"),
     [("spec.tolerations", FORBIDDEN, "Forbidden: existing toleration can not be modified except its "
       "tolerationSeconds")]),
    (lambda s: s.update(schedulingGates=[{"name": "wait"}]),
     [("spec.schedulingGates[0].name", FORBIDDEN, "Forbidden: only deletion is allowed, but found new scheduling "
       "gate 'wait'")]),
], ids=["add-container", "raise-deadline", "unset-deadline", "empty-image", "change-toleration", "add-gate"])
def test_forbidden_pod_updates(api: Api, change: Any, causes: list[Cause]) -> None:
    created = _created(api, spec(activeDeadlineSeconds=600, tolerations=[{"key": "a", "operator": "Exists"}]))
    change(created["spec"])
    status, body = _update(api, created)
    assert status == 422, body
    assert [(c["field"], c["reason"], c["message"]) for c in body["details"]["causes"]] == causes


def test_a_gated_pod_may_only_gain_node_selector_keys(api: Api) -> None:
    """``validateNodeSelectorMutation``: while scheduling gates remain, ``nodeSelector`` may grow."""
    created = _created(api, spec(schedulingGates=[{"name": "wait"}], nodeSelector={"disk": "ssd"}))
    created["spec"]["nodeSelector"]["zone"] = "a"
    status, body = _update(api, created)
    assert status == 200, body
    body["spec"]["nodeSelector"] = {"zone": "b"}
    status, body = _update(api, body)
    assert status == 422, body
    assert body["details"]["causes"] == [{
        "reason": INVALID, "field": "spec.nodeSelector", "message": 'Invalid value: {"zone":"b"}: '
        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"}]


def test_other_spec_changes_are_forbidden(api: Api) -> None:
    """Upstream appends a diff of the specs (``cmp.Diff``) after the list of updatable fields."""
    created = _created(api, spec())
    created["spec"]["restartPolicy"] = "Never"
    status, body = _update(api, created)
    assert status == 422, body
    [cause] = body["details"]["causes"]
    assert cause["field"] == "spec" and cause["reason"] == FORBIDDEN
    assert cause["message"].startswith(
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
        "previously negative)")


# --- clients ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "line"), [
    (one(ports=[{"containerPort": 0}]),
     'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value'),
    (one(ports=[{"containerPort": 70000}]),
     'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: '
     "must be between 1 and 65535, inclusive"),
    (mounted({"name": "config", "mountPath": "/etc/app"}),
     'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "config"'),
], ids=["port-zero", "port-too-big", "missing-volume"])
def test_kubectl_shows_the_invalid_line(kubectl: Kubectl, spec: dict[str, Any], line: str) -> None:
    done = kubectl("apply", "-f", "-", input=json.dumps(pod(spec)))
    assert done.returncode == 1
    assert line in done.stderr.splitlines(), done.stderr


def test_kubectl_lists_several_causes(kubectl: Kubectl) -> None:
    done = kubectl("create", "-f", "-", input=json.dumps(pod(one(
        resources={"limits": {"cpu": "1"}, "requests": {"cpu": "2"}}, env=[{"name": "", "value": "x"}]))))
    assert done.returncode == 1
    assert ('The Pod "p" is invalid: \n* spec.containers[0].env[0].name: Required value\n'
            '* spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit '
            "of 1") in done.stderr, done.stderr


@pytest.fixture
def k8s(fake_cluster: FakeCluster) -> Iterator[client.ApiClient]:
    config.load_kube_config()  # type: ignore[no-untyped-call]  # the plugin points the default kubeconfig at this test's cluster
    with client.ApiClient() as api_client:
        yield api_client


def test_the_python_client_raises_an_api_exception_with_the_causes(k8s: client.ApiClient) -> None:
    manifest = pod(spec(container(name="web", livenessProbe={"httpGet": {"port": 8080}, "successThreshold": 2}),
                        dnsPolicy="None"))
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(k8s).create_namespaced_pod("default", manifest)  # type: ignore[arg-type]
    assert raised.value.status == 422
    body = json.loads(str(raised.value.body))
    assert body["message"] == ('Pod "p" is invalid: [spec.containers[0].livenessProbe.successThreshold: Invalid '
                               "value: 2: must be 1, spec.dnsConfig: Required value: must provide `dnsConfig` when "
                               "`dnsPolicy` is None]")
    assert [c["field"] for c in body["details"]["causes"]] == ["spec.containers[0].livenessProbe.successThreshold",
                                                               "spec.dnsConfig"]
