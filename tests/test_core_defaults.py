"""What kube-apiserver stores for a minimal manifest of the core kinds other than Pod and the workloads, and of
EndpointSlices and Leases: the whole object after defaulting (``pkg/apis/core/v1/defaults.go``,
``pkg/apis/discovery/v1/defaults.go``), the strategies' ``PrepareForCreate`` and the Service registry's
address allocation.  Server-chosen values (uid, resourceVersion, timestamps, managed fields, allocated
cluster IPs and node ports) are replaced by markers before comparing."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api

NS = "/api/v1/namespaces/default"
META = {"uid": "<uid>", "resourceVersion": "<rv>", "creationTimestamp": "<now>"}


def normalised(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    meta.pop("managedFields", None)
    for key in META:
        if key in meta:
            meta[key] = META[key]
    spec = obj.get("spec")
    if obj.get("kind") == "Service" and isinstance(spec, dict):
        if spec.get("clusterIP", "None") != "None":
            assert spec["clusterIP"].startswith("10.9") and spec["clusterIPs"] == [spec["clusterIP"]]
            spec["clusterIP"], spec["clusterIPs"] = "<ip>", ["<ip>"]
        for port in spec.get("ports") or []:
            if "nodePort" in port:
                assert 30000 <= port["nodePort"] <= 32767
                port["nodePort"] = "<nodePort>"
        if "healthCheckNodePort" in spec:
            spec["healthCheckNodePort"] = "<nodePort>"
    status = obj.get("status")
    if isinstance(status, dict) and "lastPhaseTransitionTime" in status:
        status["lastPhaseTransitionTime"] = "<now>"
    return obj


def meta(name: str, namespaced: bool = True, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if namespaced:
        out["namespace"] = "default"
    return {**out, **META, **extra}


CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    # SetDefaults_Service: sessionAffinity None, type ClusterIP, port protocol TCP and targetPort = port,
    # internalTrafficPolicy Cluster; the registry (alloc.go initIPFamilyFields + allocClusterIPs): SingleStack,
    # [IPv4], one cluster IP; PrepareForCreate: an empty status (loadBalancer {} as Go writes it).
    ("service ClusterIP", f"{NS}/services",
     {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("web"),
      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
               "sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster",
               "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "clusterIP": "<ip>", "clusterIPs": ["<ip>"]},
      "status": {"loadBalancer": {}}}),
    # SetDefaults_Service for a load balancer: externalTrafficPolicy Cluster unless set, allocateLoadBalancer-
    # NodePorts true, a ClientIP affinity's timeout 10800; initNodePorts: one node port per port number (UDP and
    # TCP 53 share it); a Local policy gets a health-check node port (allocHealthCheckNodePort).
    ("service LoadBalancer", f"{NS}/services",
     {"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local",
                                           "sessionAffinity": "ClientIP",
                                           "ports": [{"name": "dns", "port": 53, "protocol": "UDP"},
                                                     {"name": "dns-tcp", "port": 53, "targetPort": "dns"}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("lb"),
      "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "sessionAffinity": "ClientIP",
               "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53, "nodePort": "<nodePort>"},
                         {"name": "dns-tcp", "port": 53, "targetPort": "dns", "protocol": "TCP",
                          "nodePort": "<nodePort>"}],
               "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
               "internalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True,
               "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "clusterIP": "<ip>", "clusterIPs": ["<ip>"],
               "healthCheckNodePort": "<nodePort>"},
      "status": {"loadBalancer": {}}}),
    # NodePort: externalTrafficPolicy defaults to Cluster (ExternallyAccessible).
    ("service NodePort", f"{NS}/services",
     {"metadata": {"name": "np"}, "spec": {"type": "NodePort", "ports": [{"port": 8080, "targetPort": 0}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("np"),
      "spec": {"type": "NodePort", "ports": [{"port": 8080, "targetPort": 8080, "protocol": "TCP",
                                              "nodePort": "<nodePort>"}],
               "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
               "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "clusterIP": "<ip>", "clusterIPs": ["<ip>"]},
      "status": {"loadBalancer": {}}}),
    # ExternalName: no internal traffic policy, no families, no address; ports still defaulted.
    ("service ExternalName", f"{NS}/services",
     {"metadata": {"name": "ext"}, "spec": {"type": "ExternalName", "externalName": "example.com",
                                            "ports": [{"port": 443}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("ext"),
      "spec": {"type": "ExternalName", "externalName": "example.com",
               "ports": [{"port": 443, "protocol": "TCP", "targetPort": 443}], "sessionAffinity": "None"},
      "status": {"loadBalancer": {}}}),
    # Headless without a selector: RequireDualStack and both families (initIPFamilyFields' special case);
    # NormalizeClusterIPs copies clusterIP into clusterIPs.
    ("service headless selectorless", f"{NS}/services",
     {"metadata": {"name": "hl"}, "spec": {"clusterIP": "None", "ports": [{"port": 80}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("hl"),
      "spec": {"clusterIP": "None", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
               "sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster",
               "ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv4", "IPv6"], "clusterIPs": ["None"]},
      "status": {"loadBalancer": {}}}),
    # Headless with a selector: SingleStack, the cluster's family.
    ("service headless", f"{NS}/services",
     {"metadata": {"name": "db"}, "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}},
     {"kind": "Service", "apiVersion": "v1", "metadata": meta("db"),
      "spec": {"clusterIP": "None", "selector": {"app": "db"},
               "ports": [{"port": 5432, "protocol": "TCP", "targetPort": 5432}],
               "sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster",
               "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "clusterIPs": ["None"]},
      "status": {"loadBalancer": {}}}),
    # SetDefaults_Secret: type Opaque.
    ("secret", f"{NS}/secrets", {"metadata": {"name": "s"}},
     {"kind": "Secret", "apiVersion": "v1", "metadata": meta("s"), "type": "Opaque"}),
    # SetDefaults_ConfigMap makes data an empty map, which Go's encoding omits.
    ("configmap", f"{NS}/configmaps", {"metadata": {"name": "cm"}},
     {"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("cm")}),
    ("serviceaccount", f"{NS}/serviceaccounts", {"metadata": {"name": "robot"}},
     {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": meta("robot")}),
    # SetDefaults_Namespace (the name label), PrepareForCreate: phase Active and the kubernetes finalizer.
    ("namespace", "/api/v1/namespaces", {"metadata": {"name": "team"}},
     {"kind": "Namespace", "apiVersion": "v1",
      "metadata": meta("team", namespaced=False, labels={"kubernetes.io/metadata.name": "team"}),
      "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
    # SetDefaults_PersistentVolumeClaimSpec: Filesystem; SetDefaults_PersistentVolumeClaim: Pending;
    # StorageObjectInUseProtection admission: the pvc-protection finalizer (recording coredef-pvc-minimal).
    ("persistentvolumeclaim", f"{NS}/persistentvolumeclaims",
     {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                             "resources": {"requests": {"storage": "1Gi"}}}},
     {"kind": "PersistentVolumeClaim", "apiVersion": "v1",
      "metadata": meta("data", finalizers=["kubernetes.io/pvc-protection"]),
      "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
               "volumeMode": "Filesystem"},
      "status": {"phase": "Pending"}}),
    # SetDefaults_PersistentVolume: Retain, Filesystem; SetDefaults_HostPathVolumeSource: type "";
    # PrepareForCreate: Pending since now; StorageObjectInUseProtection: the pv-protection finalizer.
    ("persistentvolume", "/api/v1/persistentvolumes",
     {"metadata": {"name": "pv"}, "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"},
                                           "hostPath": {"path": "/data"}}},
     {"kind": "PersistentVolume", "apiVersion": "v1",
      "metadata": meta("pv", namespaced=False, finalizers=["kubernetes.io/pv-protection"]),
      "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"},
               "hostPath": {"path": "/data", "type": ""}, "persistentVolumeReclaimPolicy": "Retain",
               "volumeMode": "Filesystem"},
      "status": {"phase": "Pending", "lastPhaseTransitionTime": "<now>"}}),
    # SetDefaults_LimitRangeItem (Container): default from max, defaultRequest from default, then from min.
    ("limitrange", f"{NS}/limitranges",
     {"metadata": {"name": "lr"}, "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"},
                                                       "min": {"memory": "64Mi"}},
                                                      {"type": "Pod", "max": {"cpu": "4"}}]}},
     {"kind": "LimitRange", "apiVersion": "v1", "metadata": meta("lr"),
      "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"},
                           "default": {"cpu": "2"}, "defaultRequest": {"cpu": "2", "memory": "64Mi"}},
                          {"type": "Pod", "max": {"cpu": "4"}}]}}),
    # ResourceQuota PrepareForCreate: an empty status.
    ("resourcequota", f"{NS}/resourcequotas", {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "10"}}},
     {"kind": "ResourceQuota", "apiVersion": "v1", "metadata": meta("q"), "spec": {"hard": {"pods": "10"}},
      "status": {}}),
    # SetDefaults_Endpoints: port protocol TCP.
    ("endpoints", f"{NS}/endpoints",
     {"metadata": {"name": "ep"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]},
     {"kind": "Endpoints", "apiVersion": "v1", "metadata": meta("ep"),
      "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80, "protocol": "TCP"}]}]}),
    # discovery/v1 SetDefaults_EndpointPort: name "" and protocol TCP; conditions is a struct Go always writes;
    # endpointSliceStrategy.PrepareForCreate: generation 1.
    ("endpointslice", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
     {"metadata": {"name": "es"}, "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}],
      "ports": [{"port": 80}]},
     {"kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1", "metadata": meta("es", generation=1),
      "addressType": "IPv4",
      "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {}}],
      "ports": [{"port": 80, "name": "", "protocol": "TCP"}]}),
    # Leases have no defaults.
    ("lease", "/apis/coordination.k8s.io/v1/namespaces/default/leases",
     {"metadata": {"name": "l"}, "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15}},
     {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1", "metadata": meta("l"),
      "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15}}),
]


@pytest.mark.parametrize(("path", "body", "stored"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_minimal_manifest_is_stored_as_kube_apiserver_stores_it(api: Api, path: str, body: dict[str, Any],
                                                                   stored: dict[str, Any]) -> None:
    status, created = api.json("POST", path, body)
    assert status == 201, created
    assert normalised(created) == stored
    _, read = api.json("GET", f"{path}/{body['metadata']['name']}")
    assert normalised(read) == stored


def test_a_generated_namespace_is_labelled_with_its_generated_name(api: Api) -> None:
    """The name label follows ``generateName`` (kube's namespace ``Canonicalize``)."""
    status, created = api.json("POST", "/api/v1/namespaces", {"metadata": {"generateName": "team-"}})
    assert status == 201, created
    assert created["metadata"]["labels"] == {"kubernetes.io/metadata.name": created["metadata"]["name"]}


def test_a_service_keeps_its_addresses_and_node_ports_when_a_put_omits_them(api: Api) -> None:
    """PrepareForUpdate's ``patchAllocatedValues``: omitted cluster IPs and node ports are the stored ones."""
    _, first = api.json("POST", f"{NS}/services", {"metadata": {"name": "np"},
                                                   "spec": {"type": "NodePort", "ports": [{"port": 80}]}})
    status, replaced = api.json("PUT", f"{NS}/services/np", {"metadata": {"name": "np"},
                                                             "spec": {"type": "NodePort", "ports": [{"port": 80}]}})
    assert status == 200, replaced
    assert replaced["spec"]["clusterIPs"] == first["spec"]["clusterIPs"]
    assert replaced["spec"]["ports"] == first["spec"]["ports"]


def test_a_client_ip_affinity_dropped_for_none_loses_its_config(api: Api) -> None:
    """SetDefaults_Service clears ``sessionAffinityConfig`` when the affinity is None."""
    status, created = api.json("POST", f"{NS}/services", {"metadata": {"name": "aff"}, "spec": {
        "ports": [{"port": 80}], "sessionAffinity": "None",
        "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}})
    assert status == 201, created
    assert "sessionAffinityConfig" not in created["spec"]


def test_a_service_switched_to_external_name_drops_what_it_no_longer_uses(api: Api) -> None:
    """``dropTypeDependentFields``: the cluster IPs, families, node ports, health-check port and external
    traffic policy the update left unchanged go; internalTrafficPolicy stays (upstream never wipes it)."""
    status, created = api.json("POST", f"{NS}/services", {"metadata": {"name": "sw"}, "spec": {
        "type": "LoadBalancer", "externalTrafficPolicy": "Local", "ports": [{"port": 80}]}})
    assert status == 201, created
    status, patched = api.json("PATCH", f"{NS}/services/sw",
                               '{"spec": {"type": "ExternalName", "externalName": "example.com"}}',
                               {"Content-Type": "application/merge-patch+json"})
    assert status == 200, patched
    assert patched["spec"] == {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                               "sessionAffinity": "None", "type": "ExternalName", "internalTrafficPolicy": "Cluster",
                               "externalName": "example.com"}
    assert patched["status"] == {"loadBalancer": {}}
