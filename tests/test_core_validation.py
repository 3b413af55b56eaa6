"""kube-apiserver's validation of the core kinds other than Pod and the workloads, and of EndpointSlices and
Leases: each invalid manifest gets kube's 422, its message and its exact causes (field, reason, message),
in upstream's order (``pkg/apis/core/validation``, ``pkg/apis/discovery/validation``,
``pkg/apis/coordination/validation``)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import Api

NS = "/api/v1/namespaces/default"
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
              "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
PORT_RANGE = "must be between 1 and 65535, inclusive"
BAD_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
IMMUTABLE_SET = "field is immutable when `immutable` is set"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@dataclass
class Case:
    """A manifest POSTed to ``path`` (after ``setup`` bodies, and then sent as ``method`` to ``target``)."""

    kind: str  # as the message names it: ``Service``, ``Lease.coordination.k8s.io``
    path: str
    body: dict[str, Any]
    causes: list[tuple[str, str, str]]
    setup: list[dict[str, Any]] = field(default_factory=list)
    method: str = "POST"
    target: str = ""


def svc(spec: dict[str, Any], name: str = "web") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def secret(kind: str, data: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": kind,
                            "data": {k: b64(v) for k, v in (data or {}).items()}}
    body.update(extra)
    return body


def claim(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": spec}


def volume(spec: dict[str, Any]) -> dict[str, Any]:
    base = {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"}, "spec": {**base, **spec}}


def limits(*items: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"}, "spec": {"limits": list(items)}}


def quota(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": spec}


def core_event(**fields: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1"},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "default"}, **fields}


def v1_event(**fields: Any) -> dict[str, Any]:
    base = {"eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "example.com/ctl",
            "reportingInstance": "ctl-1", "action": "Sync", "reason": "Synced", "type": "Normal",
            "regarding": {"kind": "Pod", "name": "p", "namespace": "default"}}
    return {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e2"}, **base, **fields}


def endpoints(subsets: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ep"}, "subsets": subsets}


def slice_(address_type: str, endpoints_: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "es"},
            "addressType": address_type, "endpoints": endpoints_, **extra}


def lease(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l"}, "spec": spec}


SERVICES, SECRETS, CONFIG_MAPS = f"{NS}/services", f"{NS}/secrets", f"{NS}/configmaps"
CLAIMS, VOLUMES = f"{NS}/persistentvolumeclaims", "/api/v1/persistentvolumes"
LIMIT_RANGES, QUOTAS, EVENTS = f"{NS}/limitranges", f"{NS}/resourcequotas", f"{NS}/events"
V1_EVENTS = "/apis/events.k8s.io/v1/namespaces/default/events"
ENDPOINTS, SLICES = f"{NS}/endpoints", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
REQ, INV, UNS, FORB, DUP = ("FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported",
                            "FieldValueForbidden", "FieldValueDuplicate")
P80 = {"port": 80}
CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}, "immutable": True}

CASES: dict[str, Case] = {
    # --- Service (ValidateService, ValidateServiceUpdate, the registry's family checks) ---
    "service ports required": Case("Service", SERVICES, svc({"selector": {"app": "web"}}), [
        (REQ, "spec.ports", "Required value")]),
    "service port names required when several": Case("Service", SERVICES, svc({"ports": [P80, {"port": 81}]}), [
        (REQ, "spec.ports[0].name", "Required value"), (REQ, "spec.ports[1].name", "Required value")]),
    "service port names unique": Case("Service", SERVICES, svc({"ports": [
        {"name": "http", "port": 80}, {"name": "http", "port": 81}]}), [
        (DUP, "spec.ports[1].name", 'Duplicate value: "http"')]),
    "service port out of range (targetPort defaulted from it)": Case("Service", SERVICES, svc({"ports": [
        {"port": 70000}]}), [
        (INV, "spec.ports[0].port", f"Invalid value: 70000: {PORT_RANGE}"),
        (INV, "spec.ports[0].targetPort", f"Invalid value: 70000: {PORT_RANGE}")]),
    "service protocol": Case("Service", SERVICES, svc({"ports": [{"port": 80, "protocol": "HTTP"}]}), [
        (UNS, "spec.ports[0].protocol", 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"')]),
    "service target port name charset": Case("Service", SERVICES, svc({"ports": [
        {"port": 80, "targetPort": "http_port"}]}), [
        (INV, "spec.ports[0].targetPort",
         'Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')]),
    "service target port name too long": Case("Service", SERVICES, svc({"ports": [
        {"port": 80, "targetPort": "abcdefghijklmnopq"}]}), [
        (INV, "spec.ports[0].targetPort", 'Invalid value: "abcdefghijklmnopq": must be no more than 15 characters')]),
    "service ExternalName needs externalName": Case("Service", SERVICES, svc({"type": "ExternalName"}), [
        (REQ, "spec.externalName", "Required value")]),
    "service ExternalName is a DNS name": Case("Service", SERVICES, svc({"type": "ExternalName",
                                                                         "externalName": "Not_A_DNS"}), [
        (INV, "spec.externalName", f'Invalid value: "Not_A_DNS": {SUBDOMAIN}')]),
    "service ExternalName has no cluster IP": Case("Service", SERVICES, svc({
        "type": "ExternalName", "externalName": "example.com", "clusterIP": "10.96.5.5"}), [
        (FORB, "spec.clusterIPs", "Forbidden: may not be set for ExternalName services")]),
    "service NodePort is not headless": Case("Service", SERVICES, svc({
        "type": "NodePort", "clusterIP": "None", "selector": {"app": "web"}, "ports": [P80]}), [
        (INV, "spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for NodePort services")]),
    "service ClusterIP has no node port": Case("Service", SERVICES, svc({"ports": [
        {"port": 80, "nodePort": 30080}]}), [
        (FORB, "spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")]),
    "service session affinity": Case("Service", SERVICES, svc({"ports": [P80], "sessionAffinity": "Sticky"}), [
        (UNS, "spec.sessionAffinity", 'Unsupported value: "Sticky": supported values: "ClientIP", "None"')]),
    "service ClientIP timeout": Case("Service", SERVICES, svc({
        "ports": [P80], "sessionAffinity": "ClientIP",
        "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}}), [
        (INV, "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
         "Invalid value: 0: must be greater than 0 and less than 86400")]),
    "service selector labels": Case("Service", SERVICES, svc({"ports": [P80], "selector": {"app": "bad value"}}), [
        (INV, "spec.selector", f'Invalid value: "bad value": {LABEL_VALUE}')]),
    "service type": Case("Service", SERVICES, svc({"ports": [P80], "type": "Foo"}), [
        (UNS, "spec.type",
         'Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"')]),
    "service external traffic policy only when externally accessible": Case("Service", SERVICES, svc({
        "ports": [P80], "externalTrafficPolicy": "Local"}), [
        (INV, "spec.externalTrafficPolicy", 'Invalid value: "Local": may only be set for externally-accessible '
                                            "services")]),
    "service source ranges only for load balancers": Case("Service", SERVICES, svc({
        "ports": [P80], "loadBalancerSourceRanges": ["10.0.0.0/8"]}), [
        (FORB, "spec.LoadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    "service ip family policy": Case("Service", SERVICES, svc({"ports": [P80], "ipFamilyPolicy": "Both"}), [
        (UNS, "spec.ipFamilyPolicy",
         'Unsupported value: "Both": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"')]),
    "service cluster IP is an IP": Case("Service", SERVICES, svc({"ports": [P80], "clusterIP": "10.96.0.300"}), [
        (INV, "spec.clusterIPs[0]", f'Invalid value: "10.96.0.300": {BAD_IP}')]),
    "service duplicate protocol and port": Case("Service", SERVICES, svc({"ports": [
        {"name": "a", "port": 80}, {"name": "b", "port": 80, "targetPort": 8080}]}), [
        (DUP, "spec.ports[1]", 'Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,'
                               '"TargetPort":0,"NodePort":0}')]),
    "service external IP not loopback": Case("Service", SERVICES, svc({"ports": [P80],
                                                                       "externalIPs": ["127.0.0.1"]}), [
        (INV, "spec.externalIPs[0]",
         'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)')]),
    "service dual stack on a single-stack cluster": Case("Service", SERVICES, svc({
        "ports": [P80], "ipFamilyPolicy": "RequireDualStack"}), [
        (INV, "spec.ipFamilyPolicy", 'Invalid value: "RequireDualStack": this cluster is not configured for '
                                     "dual-stack services")]),
    "service IPv6 cluster IP on an IPv4 cluster": Case("Service", SERVICES, svc({"ports": [P80],
                                                                                 "clusterIP": "fd00::10"}), [
        (INV, "spec.clusterIPs[0]", 'Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster')]),
    "service IPv6 family on an IPv4 cluster": Case("Service", SERVICES, svc({"ports": [P80],
                                                                            "ipFamilies": ["IPv6"]}), [
        (INV, "spec.ipFamilies[0]", 'Invalid value: "IPv6": not configured on this cluster')]),
    "service cluster IP may not change": Case("Service", SERVICES, {"spec": {"clusterIP": "10.96.0.200"}}, [
        (INV, "spec.clusterIPs[0]", 'Invalid value: ["10.96.0.200"]: may not change once set')],
        setup=[svc({"ports": [P80]})], method="PATCH", target=f"{SERVICES}/web"),
    "service load balancer class only for load balancers": Case("Service", SERVICES, svc({
        "ports": [P80], "loadBalancerClass": "example.com/lb"}), [
        (FORB, "spec.loadBalancerClass", "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    "service port missing (kube reads 0, and the target port defaults to it)": Case("Service", SERVICES, svc({
        "ports": [{"name": "http"}]}), [
        (INV, "spec.ports[0].port", f"Invalid value: 0: {PORT_RANGE}"),
        (INV, "spec.ports[0].targetPort", f"Invalid value: 0: {PORT_RANGE}")]),
    "service several mistakes in upstream's order": Case("Service", SERVICES, svc({
        "type": "Foo", "sessionAffinity": "Sticky", "selector": {"app": "bad value"}}), [
        (REQ, "spec.ports", "Required value"),
        (INV, "spec.selector", f'Invalid value: "bad value": {LABEL_VALUE}'),
        (UNS, "spec.sessionAffinity", 'Unsupported value: "Sticky": supported values: "ClientIP", "None"'),
        (UNS, "spec.type",
         'Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"')]),
    "service topology annotations agree": Case("Service", SERVICES, {**svc({"ports": [P80]}), "metadata": {
        "name": "web", "annotations": {"service.kubernetes.io/topology-aware-hints": "Auto",
                                       "service.kubernetes.io/topology-mode": "Disabled"}}}, [
        (INV, "metadata.annotations[service.kubernetes.io/topology-mode]", 'Invalid value: "Disabled": must match '
         "annotations[service.kubernetes.io/topology-aware-hints] when both are specified")]),
    "service source ranges annotation only for load balancers": Case("Service", SERVICES, {
        **svc({"ports": [P80]}), "metadata": {
            "name": "web", "annotations": {"service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/8"}}}, [
        (FORB, "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]",
         "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    # --- ConfigMap ---
    "configmap key": Case("ConfigMap", CONFIG_MAPS, {"metadata": {"name": "cm"}, "data": {"a b": "v"}}, [
        (INV, "data[a b]", f'Invalid value: "a b": {CONFIG_KEY}')]),
    "configmap key in data and binaryData": Case("ConfigMap", CONFIG_MAPS, {
        "metadata": {"name": "cm"}, "data": {"k": "v"}, "binaryData": {"k": b64("v")}}, [
        (INV, "data[k]", 'Invalid value: "k": duplicate of key present in binaryData')]),
    "configmap immutable data": Case("ConfigMap", CONFIG_MAPS, {**CM, "data": {"k": "changed"}}, [
        (FORB, "data", f"Forbidden: {IMMUTABLE_SET}")], setup=[CM], method="PUT", target=f"{CONFIG_MAPS}/cm"),
    "configmap stays immutable": Case("ConfigMap", CONFIG_MAPS, {**CM, "immutable": False}, [
        (FORB, "immutable", f"Forbidden: {IMMUTABLE_SET}")], setup=[CM], method="PUT", target=f"{CONFIG_MAPS}/cm"),
    # --- Secret ---
    "secret key": Case("Secret", SECRETS, secret("Opaque", {"a b": "x"}), [
        (INV, "data[a b]", f'Invalid value: "a b": {CONFIG_KEY}')]),
    "secret tls keys": Case("Secret", SECRETS, secret("kubernetes.io/tls"), [
        (REQ, "data[tls.crt]", "Required value"), (REQ, "data[tls.key]", "Required value")]),
    "secret dockerconfigjson key": Case("Secret", SECRETS, secret("kubernetes.io/dockerconfigjson"), [
        (REQ, "data[.dockerconfigjson]", "Required value")]),
    "secret dockerconfigjson syntax": Case("Secret", SECRETS, secret("kubernetes.io/dockerconfigjson", {
        ".dockerconfigjson": "{bad"}), [
        (INV, "data[.dockerconfigjson]", 'Invalid value: "<secret contents redacted>": invalid character \'b\' '
                                         "looking for beginning of object key string")]),
    "secret dockercfg is an object": Case("Secret", SECRETS, secret("kubernetes.io/dockercfg", {
        ".dockercfg": "[]"}), [
        (INV, "data[.dockercfg]", 'Invalid value: "<secret contents redacted>": json: cannot unmarshal array into '
                                  "Go value of type map[string]interface {}")]),
    "secret basic auth": Case("Secret", SECRETS, secret("kubernetes.io/basic-auth"), [
        (REQ, "data[username]", "Required value"), (REQ, "data[password]", "Required value")]),
    "secret ssh auth": Case("Secret", SECRETS, secret("kubernetes.io/ssh-auth", {"other": "x"}), [
        (REQ, "data[ssh-privatekey]", "Required value")]),
    "secret service account token annotation": Case("Secret", SECRETS, secret(
        "kubernetes.io/service-account-token"), [
        (REQ, "metadata.annotations[kubernetes.io/service-account.name]", "Required value")]),
    "secret type is immutable": Case("Secret", SECRETS, secret("example.com/custom"), [
        (INV, "type", 'Invalid value: "example.com/custom": field is immutable')],
        setup=[secret("Opaque")], method="PUT", target=f"{SECRETS}/s"),
    "secret immutable data": Case("Secret", SECRETS, secret("Opaque", {"k": "2"}, immutable=True), [
        (FORB, "data", f"Forbidden: {IMMUTABLE_SET}")],
        setup=[secret("Opaque", {"k": "1"}, immutable=True)], method="PUT", target=f"{SECRETS}/s"),
    # --- PersistentVolumeClaim ---
    "claim access modes and storage": Case("PersistentVolumeClaim", CLAIMS, claim({}), [
        (REQ, "spec.accessModes", "Required value: at least 1 access mode is required"),
        (REQ, "spec.resources[storage]", "Required value")]),
    "claim access mode": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteAlways"], "resources": {"requests": {"storage": "1Gi"}}}), [
        (UNS, "spec.accessModes", 'Unsupported value: "ReadWriteAlways": supported values: "ReadOnlyMany", '
                                  '"ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"')]),
    "claim ReadWriteOncePod alone": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteOncePod", "ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}), [
        (FORB, "spec.accessModes", "Forbidden: may not use ReadWriteOncePod with other access modes")]),
    "claim storage positive": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "0"}}}), [
        (INV, "spec.resources[storage]", 'Invalid value: "0": must be greater than zero')]),
    "claim volume mode": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Raw"}), [
        (UNS, "spec.volumeMode", 'Unsupported value: "Raw": supported values: "Block", "Filesystem"')]),
    "claim storage class name": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
        "storageClassName": "Fast_SSD"}), [
        (INV, "spec.storageClassName", f'Invalid value: "Fast_SSD": {SUBDOMAIN}')]),
    "claim data source kind": Case("PersistentVolumeClaim", CLAIMS, claim({
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
        "dataSource": {"kind": "Snapshot", "name": "snap"}}), [
        (INV, "spec.dataSource", 'Invalid value: "Snapshot": must be \'PersistentVolumeClaim\' when referencing '
                                 "the default apiGroup")]),
    # --- PersistentVolume ---
    "volume needs a source": Case("PersistentVolume", VOLUMES, volume({}), [
        (REQ, "spec", "Required value: must specify a volume type")]),
    "volume one source": Case("PersistentVolume", VOLUMES, volume({
        "hostPath": {"path": "/data"}, "nfs": {"server": "nfs", "path": "/export"}}), [
        (FORB, "spec.nfs", "Forbidden: may not specify more than 1 volume type")]),
    "volume capacity": Case("PersistentVolume", VOLUMES, volume({"capacity": None, "hostPath": {"path": "/d"}}), [
        (REQ, "spec.capacity", "Required value"),
        (UNS, "spec.capacity", 'Unsupported value: null: supported values: "storage"')]),
    "volume reclaim policy": Case("PersistentVolume", VOLUMES, volume({
        "hostPath": {"path": "/d"}, "persistentVolumeReclaimPolicy": "Keep"}), [
        (UNS, "spec.persistentVolumeReclaimPolicy",
         'Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"')]),
    "volume local needs node affinity": Case("PersistentVolume", VOLUMES, volume({"local": {"path": "/mnt"}}), [
        (REQ, "spec.nodeAffinity", "Required value: Local volume requires node affinity")]),
    # --- LimitRange ---
    "limit range type": Case("LimitRange", LIMIT_RANGES, limits({"type": "Node", "max": {"cpu": "1"}}), [
        (INV, "spec.limits[0].type", 'Invalid value: "Node": must be a standard limit type or fully qualified')]),
    "limit range duplicate type": Case("LimitRange", LIMIT_RANGES, limits(
        {"type": "Pod", "max": {"cpu": "2"}}, {"type": "Pod", "max": {"cpu": "1"}}), [
        (DUP, "spec.limits[1].type", 'Duplicate value: "Pod"')]),
    "limit range pod has no default": Case("LimitRange", LIMIT_RANGES, limits({
        "type": "Pod", "default": {"cpu": "1"}}), [
        (FORB, "spec.limits[0].default", "Forbidden: may not be specified when `type` is 'Pod'")]),
    "limit range claim needs storage bounds": Case("LimitRange", LIMIT_RANGES, limits({
        "type": "PersistentVolumeClaim", "max": {"cpu": "1"}}), [
        (REQ, "spec.limits[0].limits",
         "Required value: either minimum or maximum storage value is required, but neither was provided")]),
    "limit range item needs a type": Case("LimitRange", LIMIT_RANGES, limits({"max": {"cpu": "1"}}), [
        (INV, "spec.limits[0].type", 'Invalid value: "": name part must be non-empty'),
        (INV, "spec.limits[0].type", f'Invalid value: "": {NAME_PART}')]),
    # --- ResourceQuota ---
    "quota resource name": Case("ResourceQuota", QUOTAS, quota({"hard": {"foo": "1"}}), [
        (INV, "spec.hard[foo]", 'Invalid value: "foo": must be a standard resource type or fully qualified'),
        (INV, "spec.hard[foo]", 'Invalid value: "foo": must be a standard resource for quota')]),
    "quota non-negative": Case("ResourceQuota", QUOTAS, quota({"hard": {"cpu": "-1"}}), [
        (INV, "spec.hard[cpu]", 'Invalid value: "-1": must be greater than or equal to 0')]),
    "quota object count is an integer": Case("ResourceQuota", QUOTAS, quota({"hard": {"pods": "1500m"}}), [
        (INV, "spec.hard[pods]", 'Invalid value: "1500m": must be an integer')]),
    "quota conflicting scopes": Case("ResourceQuota", QUOTAS, quota({
        "hard": {"pods": "10"}, "scopes": ["BestEffort", "NotBestEffort"]}), [
        (INV, "spec.scopes",
         'Invalid value: ["BestEffort","NotBestEffort"]: conflicting scopes')]),
    "quota scope for its resources": Case("ResourceQuota", QUOTAS, quota({
        "hard": {"cpu": "1"}, "scopes": ["BestEffort"]}), [
        (INV, "spec.scopes",
         'Invalid value: ["BestEffort"]: unsupported scope applied to resource')]),
    "quota scope selector operator": Case("ResourceQuota", QUOTAS, quota({
        "hard": {"pods": "10"},
        "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "Equals"}]}}), [
        (INV, "spec.scopeSelector.matchExpressions.operator",
         'Invalid value: "Equals": not a valid selector operator')]),
    "quota scope selector for its resources": Case("ResourceQuota", QUOTAS, quota({
        "hard": {"cpu": "1"},
        "scopeSelector": {"matchExpressions": [{"scopeName": "BestEffort", "operator": "Exists"}]}}), [
        (INV, "spec.scopeSelector.matchExpressions",
         'Invalid value: {"MatchExpressions":[{"ScopeName":"BestEffort","Operator":"Exists","Values":null}]}: '
         "unsupported scope applied to resource")]),
    "quota scopes are immutable": Case("ResourceQuota", QUOTAS, quota({"hard": {"pods": "1"}}), [
        (INV, "spec.scopes", "Invalid value: null: field is immutable")],
        setup=[quota({"hard": {"pods": "1"}, "scopes": ["NotTerminating"]})], method="PUT", target=f"{QUOTAS}/q"),
    # --- Namespace ---
    "namespace finalizer names": Case("Namespace", "/api/v1/namespaces", {
        "metadata": {"name": "fin"}, "spec": {"finalizers": ["bogus"]}}, [
        (INV, "spec.finalizers",
         'Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified')]),
    # --- Event (core/v1 and events.k8s.io/v1) ---
    # an events.k8s.io/v1 Event is validated as the core Event it is inside kube-apiserver, so its 422 names
    # ``Event``, with no group (recording grpv-event-missing-fields)
    "event involved object namespace": Case("Event", EVENTS, core_event(
        involvedObject={"kind": "Pod", "name": "p", "namespace": "other"}), [
        (INV, "involvedObject.namespace", 'Invalid value: "other": does not match event.namespace')]),
    "event new style needs reporter": Case("Event", EVENTS, core_event(eventTime="2026-01-01T00:00:00.000000Z"), [
        (REQ, "reportingController", "Required value"),
        (INV, "reportingController", 'Invalid value: "": name part must be non-empty'),
        (INV, "reportingController", f'Invalid value: "": {NAME_PART}'),
        (REQ, "reportingInstance", "Required value"), (REQ, "action", "Required value"),
        (REQ, "reason", "Required value")]),
    "events.k8s.io type": Case("Event", V1_EVENTS, v1_event(type="Bad"), [
        (INV, "type", 'Invalid value: "": has invalid value: Bad')]),
    "events.k8s.io series": Case("Event", V1_EVENTS, v1_event(
        series={"count": 1, "lastObservedTime": "2026-01-01T00:00:00.000000Z"}), [
        (INV, "series.count", 'Invalid value: "": should be at least 2')]),
    "events.k8s.io deprecated fields unset": Case("Event", V1_EVENTS, v1_event(deprecatedCount=3), [
        (INV, "count", 'Invalid value: "": needs to be unset')]),
    # --- Endpoints ---
    "endpoints subset needs addresses": Case("Endpoints", ENDPOINTS, endpoints([{"ports": [P80]}]), [
        (REQ, "subsets[0]", "Required value: must specify `addresses` or `notReadyAddresses`")]),
    "endpoints address is an IP": Case("Endpoints", ENDPOINTS, endpoints([{"addresses": [{"ip": "10.0.0.300"}]}]), [
        (INV, "subsets[0].addresses[0].ip", f'Invalid value: "10.0.0.300": {BAD_IP}'),
        (INV, "subsets[0].addresses[0].ip", 'Invalid value: "10.0.0.300": must be a valid IP address')]),
    "endpoints port protocol": Case("Endpoints", ENDPOINTS, endpoints([{
        "addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80, "protocol": "HTTP"}]}]), [
        (UNS, "subsets[0].ports[0].protocol", 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"')]),
    # --- EndpointSlice ---
    "endpointslice address type": Case("EndpointSlice.discovery.k8s.io", SLICES, slice_("IP", []), [
        (UNS, "addressType", 'Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"')]),
    "endpointslice IPv4 address": Case("EndpointSlice.discovery.k8s.io", SLICES, slice_("IPv4", [
        {"addresses": ["fe80::1"]}]), [
        (INV, "endpoints[0].addresses[0]", 'Invalid value: "fe80::1": must be a valid IPv4 address'),
        (INV, "endpoints[0].addresses[0]",
         'Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)')]),
    "endpointslice endpoint needs an address": Case("EndpointSlice.discovery.k8s.io", SLICES, slice_("IPv4", [
        {"addresses": []}]), [
        (REQ, "endpoints[0].addresses", "Required value: must contain at least 1 address")]),
    "endpointslice port names unique": Case("EndpointSlice.discovery.k8s.io", SLICES, slice_("FQDN", [], ports=[
        {"name": "http", "port": 80}, {"name": "http", "port": 81}]), [
        (DUP, "ports[1].name", 'Duplicate value: "http"')]),
    "endpointslice address type required": Case("EndpointSlice.discovery.k8s.io", SLICES, {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "es"}}, [
        (REQ, "addressType", "Required value")]),
    # --- Lease ---
    "lease duration positive": Case("Lease.coordination.k8s.io", LEASES, lease({"leaseDurationSeconds": 0}), [
        (INV, "spec.leaseDurationSeconds", "Invalid value: 0: must be greater than 0")]),
    "lease transitions non-negative": Case("Lease.coordination.k8s.io", LEASES, lease({"leaseTransitions": -1}), [
        (INV, "spec.leaseTransitions", "Invalid value: -1: must be greater than or equal to 0")]),
}


@pytest.mark.parametrize("spec", [{"strategy": "Newest"}, {"preferredHolder": "me"}],
                         ids=["unknown strategy", "preferred holder without strategy"])
def test_a_lease_drops_the_coordinated_leader_election_fields(api: Api, spec: dict[str, Any]) -> None:
    """The CoordinatedLeaderElection gate is off by default (beta since v1.33): the Lease strategy's
    PrepareForCreate drops ``spec.strategy`` and ``spec.preferredHolder`` before validation, so neither is
    refused (recording grpv-lease-bad-durations: only leaseDurationSeconds is reported)."""
    status, created = api.json("POST", LEASES, lease(spec))
    assert status == 201, created
    assert created["spec"] == {}


def expected_message(kind: str, name: str, causes: list[tuple[str, str, str]]) -> str:
    """kube's ``NewInvalid`` message: one cause as itself, several as a bracketed list."""
    shown = [f"{f}: {m}" if f else m for _, f, m in causes]
    return f'{kind} "{name}" is invalid: ' + (shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]")


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_an_invalid_manifest_gets_kube_apiservers_422(api: Api, case: Case) -> None:
    for body in case.setup:
        status, created = api.json("POST", case.path, body)
        assert status == 201, created
    headers = {"Content-Type": "application/merge-patch+json"} if case.method == "PATCH" else None
    status, answer = api.json(case.method, case.target or case.path, json.dumps(case.body) if headers else case.body,
                              headers)
    assert (status, answer.get("reason")) == (422, "Invalid"), answer
    got = [(c["reason"], c.get("field", ""), c["message"]) for c in answer["details"]["causes"]]
    assert got == case.causes
    name = (case.setup[0] if case.setup else case.body)["metadata"]["name"]
    assert answer["message"] == expected_message(case.kind, name, case.causes)


def test_a_claims_spec_is_fixed_after_creation(api: Api) -> None:
    """``ValidatePersistentVolumeClaimUpdate``: an unbound claim's spec may not change (upstream appends a
    cmp.Diff of the specs to the message, which is not reproduced)."""
    body = claim({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}})
    assert api.json("POST", CLAIMS, body)[0] == 201
    body["spec"]["accessModes"] = ["ReadWriteMany"]
    status, answer = api.json("PUT", f"{CLAIMS}/data", body)
    assert (status, answer["reason"]) == (422, "Invalid")
    [cause] = answer["details"]["causes"]
    assert (cause["reason"], cause["field"]) == (FORB, "spec")
    assert cause["message"].startswith("Forbidden: spec is immutable after creation except resources.requests and "
                                       "volumeAttributesClassName for bound claims")


def test_limit_range_bounds_are_ordered(api: Api) -> None:
    """min <= max per resource; the value is shown as Go's %#v of a resource.Quantity (a best guess here, so
    only the field and the text after the value are asserted)."""
    status, answer = api.json("POST", LIMIT_RANGES, limits({"type": "Container", "min": {"cpu": "2"},
                                                            "max": {"cpu": "1"}}))
    assert (status, answer["reason"]) == (422, "Invalid")
    fields = [(c["field"], c["message"].rsplit(": ", 1)[-1]) for c in answer["details"]["causes"]]
    assert fields[0] == ("spec.limits[0].min[cpu]", "min value 2 is greater than max value 1")


def test_a_service_status_names_load_balancer_ingress_only_for_load_balancers(api: Api) -> None:
    """``ValidateServiceStatusUpdate``: ingress on a ClusterIP service is refused; a load balancer's ingress IP
    gets ``ipMode: VIP`` (SetDefaults_Service) and its hostname must not be an IP."""
    assert api.json("POST", SERVICES, svc({"ports": [P80]}))[0] == 201
    status, answer = api.json("PUT", f"{SERVICES}/web/status", {**svc({"ports": [P80]}), "status": {
        "loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}})
    assert (status, answer["reason"]) == (422, "Invalid"), answer
    assert answer["details"]["causes"] == [{
        "reason": FORB, "field": "status.loadBalancer.ingress",
        "message": "Forbidden: may only be used when `spec.type` is 'LoadBalancer'"}]
    lb = svc({"type": "LoadBalancer", "ports": [P80]}, name="lb")
    assert api.json("POST", SERVICES, lb)[0] == 201
    _, stored = api.json("GET", f"{SERVICES}/lb")
    stored["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}
    status, written = api.json("PUT", f"{SERVICES}/lb/status", stored)
    assert status == 200, written
    assert written["status"] == {"loadBalancer": {"ingress": [{"ip": "192.0.2.1", "ipMode": "VIP"}]}}
    written["status"] = {"loadBalancer": {"ingress": [{"hostname": "192.0.2.2"}]}}
    status, answer = api.json("PUT", f"{SERVICES}/lb/status", written)
    assert [(c["field"], c["message"]) for c in answer["details"]["causes"]] == [
        ("status.loadBalancer.ingress[0].hostname",
         'Invalid value: "192.0.2.2": must be a DNS name, not an IP address')]


def test_kubectl_shows_the_causes_of_an_invalid_service(kubectl, tmp_path) -> None:
    manifest = tmp_path / "svc.json"
    manifest.write_text(json.dumps(svc({"ports": [P80, {"port": 81}]}, name="two")))
    result = kubectl("apply", "-f", str(manifest))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'The Service "two" is invalid: \n* spec.ports[0].name: Required value\n'
        "* spec.ports[1].name: Required value")


def test_kubectl_shows_a_secret_missing_its_tls_key(kubectl, tmp_path) -> None:
    manifest = tmp_path / "tls.json"
    manifest.write_text(json.dumps(secret("kubernetes.io/tls", {"tls.crt": "cert"})))
    result = kubectl("create", "-f", str(manifest))
    assert result.returncode == 1
    assert result.stderr.strip() == 'The Secret "s" is invalid: data[tls.key]: Required value'


def test_the_python_client_sees_the_invalid_claim(fake_cluster) -> None:
    kubernetes = pytest.importorskip("kubernetes")
    client = kubernetes.config.new_client_from_config(str(fake_cluster.kubeconfig_path))
    core = kubernetes.client.CoreV1Api(client)
    claim_body = kubernetes.client.V1PersistentVolumeClaim(
        metadata=kubernetes.client.V1ObjectMeta(name="data"),
        spec=kubernetes.client.V1PersistentVolumeClaimSpec(
            access_modes=["ReadWriteOnce"],
            resources=kubernetes.client.V1VolumeResourceRequirements(requests={"storage": "0"})))
    with pytest.raises(kubernetes.client.ApiException) as raised:
        core.create_namespaced_persistent_volume_claim("default", claim_body)
    assert raised.value.status == 422
    body = json.loads(raised.value.body)
    assert body["message"] == ('PersistentVolumeClaim "data" is invalid: spec.resources[storage]: '
                               'Invalid value: "0": must be greater than zero')
    assert body["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.resources[storage]",
                                          "message": 'Invalid value: "0": must be greater than zero'}]


def test_valid_manifests_of_every_kind_are_accepted(api: Api) -> None:
    """The rules accept what kube-apiserver accepts: one ordinary manifest of each kind."""
    accepted = [
        (SERVICES, svc({"type": "LoadBalancer", "selector": {"app": "web"}, "externalTrafficPolicy": "Local",
                        "ports": [{"name": "http", "port": 80}, {"name": "dns", "port": 53, "protocol": "UDP"}]})),
        (SERVICES, svc({"type": "ExternalName", "externalName": "example.com."}, name="ext")),
        (SERVICES, svc({"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}, name="db")),
        (SECRETS, secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": '{"auths": {}}'})),
        (CLAIMS, claim({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}})),
        (VOLUMES, volume({"nfs": {"server": "nfs.example.com", "path": "/export"}})),
        (LIMIT_RANGES, limits({"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "100m"}})),
        (QUOTAS, quota({"hard": {"pods": "10", "requests.cpu": "4", "count/deployments.apps": "3"}})),
        (EVENTS, core_event(reason="Started", message="ok")),
        (EVENTS, {"metadata": {"name": "bare"}}),  # no involvedObject: upstream checks none
        (V1_EVENTS, v1_event()),
        (ENDPOINTS, endpoints([{"addresses": [{"ip": "10.0.0.1"}], "ports": [P80]}])),
        (SLICES, slice_("IPv4", [{"addresses": ["10.0.0.1"]}], ports=[{"port": 80}])),
        (LEASES, lease({"holderIdentity": "me", "leaseDurationSeconds": 15})),
    ]
    for path, body in accepted:
        status, answer = api.json("POST", path, body)
        assert status == 201, (path, answer)


def test_lease_candidates_name_their_lease_and_versions() -> None:
    """``ValidateLeaseCandidateSpec`` (coordination.k8s.io/v1beta1, served when the runtime config enables it)."""
    from fakekube import FakeCluster

    with FakeCluster(runtime_config="coordination.k8s.io/v1beta1=true") as cluster:
        api = Api(cluster.url)
        status, answer = api.json("POST", "/apis/coordination.k8s.io/v1beta1/namespaces/default/leasecandidates", {
            "metadata": {"name": "c"},
            "spec": {"binaryVersion": "1.32.0", "emulationVersion": "1.33.0", "strategy": "OldestEmulationVersion"}})
    assert (status, answer["reason"]) == (422, "Invalid")
    assert [(c["reason"], c["field"], c["message"]) for c in answer["details"]["causes"]] == [
        (REQ, "spec.leaseName", "Required value"),
        (INV, "spec.binaryVersion", 'Invalid value: "1.32.0": must be greater than or equal to `emulationVersion`')]
