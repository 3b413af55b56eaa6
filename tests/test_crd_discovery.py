"""What a CRD adds to discovery and OpenAPI, on the wire, as apiextensions' discovery controller and
OpenAPI builder publish it: served versions only, the preferred version, short names, categories,
subresources, the storage version hash, CRD verbs in upstream's order (fewer while the CRD is being
deleted), and the schema (with its descriptions) in ``/openapi/v2`` and ``/openapi/v3``."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from conftest import Api

from fakekube import FakeCluster

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all, batchy]}
  versions:
  - name: v1alpha1
    served: false
    storage: false
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  - name: v1beta1
    served: true
    storage: false
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        description: A CronTab runs a command on a schedule.
        properties:
          spec:
            type: object
            description: What to run and when.
            properties:
              schedule: {type: string, description: Cron schedule., default: "* * * * *"}
              replicas: {type: integer, default: 1}
              port: {x-kubernetes-int-or-string: true, description: A port by number or name.}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              note: {type: string, nullable: true}
          status:
            type: object
            properties:
              replicas: {type: integer}
"""
AGGREGATED = {"Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}
CRD_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]


def upstream_hash(group: str, version: str, kind: str) -> str:
    """apiserver's ``discovery.StorageVersionHash``, written out from its definition."""
    return base64.b64encode(hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()[:8]).decode()


@pytest.fixture
def api(fake_cluster: FakeCluster) -> Api:
    fake_cluster.apply(CRD)
    fake_cluster.settle()
    return Api(fake_cluster.url)


def test_group_lists_served_versions_only_with_the_preferred_first(api: Api) -> None:
    versions = [{"groupVersion": "stable.example.com/v1", "version": "v1"},
                {"groupVersion": "stable.example.com/v1beta1", "version": "v1beta1"}]
    assert api.json("GET", "/apis/stable.example.com") == (200, {
        "kind": "APIGroup", "apiVersion": "v1", "name": "stable.example.com", "versions": versions,
        "preferredVersion": versions[0]})
    _status, groups = api.json("GET", "/apis")
    assert groups["groups"][-1] == {"name": "stable.example.com", "versions": versions,
                                    "preferredVersion": versions[0]}  # CRD groups rank below built-in ones
    # a version no CRD serves falls through to Go's plain 404, as on kube-apiserver (crd-multiple-versions)
    assert api.request("GET", "/apis/stable.example.com/v1alpha1")[::2] == (404, b"404 page not found\n")


def test_version_resource_list(api: Api) -> None:
    assert api.json("GET", "/apis/stable.example.com/v1") == (200, {
        "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "stable.example.com/v1",
        "resources": [
            {"name": "crontabs", "singularName": "crontab", "namespaced": True, "kind": "CronTab",
             "verbs": CRD_VERBS, "shortNames": ["ct"], "categories": ["all", "batchy"],
             "storageVersionHash": upstream_hash("stable.example.com", "v1", "CronTab")},
            {"name": "crontabs/status", "singularName": "", "namespaced": True, "kind": "CronTab",
             "verbs": ["get", "patch", "update"]},
            {"name": "crontabs/scale", "singularName": "", "namespaced": True, "group": "autoscaling",
             "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]},
        ]})
    _, beta = api.json("GET", "/apis/stable.example.com/v1beta1")
    # Every served version publishes the hash of the one storage version.
    assert [r["storageVersionHash"] for r in beta["resources"]] == [
        upstream_hash("stable.example.com", "v1", "CronTab")]


def test_storage_version_hashes_of_built_ins_are_upstreams(api: Api) -> None:
    """Values a real v1.3x cluster publishes."""
    hashes = {}
    for path in ("/api/v1", "/apis/apps/v1", "/apis/events.k8s.io/v1"):
        for res in api.json("GET", path)[1]["resources"]:
            hashes[(path, res["name"])] = res.get("storageVersionHash")
    assert hashes[("/api/v1", "pods")] == "xPOwRZ+Yhw8="
    assert hashes[("/apis/apps/v1", "deployments")] == "8aSe+NMegvE="
    assert hashes[("/api/v1", "events")] == hashes[("/apis/events.k8s.io/v1", "events")] == "r2yiGXH7wu8="


def test_aggregated_discovery(api: Api) -> None:
    status, body = api.json("GET", "/apis", headers=AGGREGATED)
    assert status == 200
    item = body["items"][-1]
    kind = {"group": "stable.example.com", "kind": "CronTab"}
    assert item == {"metadata": {"name": "stable.example.com"}, "versions": [
        {"version": "v1", "freshness": "Current", "resources": [{
            "resource": "crontabs", "singularResource": "crontab", "scope": "Namespaced",
            "responseKind": {**kind, "version": "v1"}, "verbs": CRD_VERBS,
            "shortNames": ["ct"], "categories": ["all", "batchy"],
            "subresources": [
                {"subresource": "status", "responseKind": {**kind, "version": "v1"},
                 "verbs": ["get", "patch", "update"]},
                {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
                 "verbs": ["get", "patch", "update"]}]}]},
        {"version": "v1beta1", "freshness": "Current", "resources": [{
            "resource": "crontabs", "singularResource": "crontab", "scope": "Namespaced",
            "responseKind": {**kind, "version": "v1beta1"}, "verbs": CRD_VERBS,
            "shortNames": ["ct"], "categories": ["all", "batchy"]}]},
    ]}


def test_a_terminating_crd_is_listed_with_read_and_delete_verbs_only(api: Api, fake_cluster: FakeCluster) -> None:
    fake_cluster.apply({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
                        "metadata": {"name": "held", "namespace": "default", "finalizers": ["example.com/hold"]}})
    fake_cluster.delete("crd", "crontabs.stable.example.com")
    fake_cluster.settle()
    reduced = ["delete", "deletecollection", "get", "list", "watch"]
    assert api.json("GET", "/apis/stable.example.com/v1")[1]["resources"][0]["verbs"] == reduced
    aggregated = api.json("GET", "/apis", headers=AGGREGATED)[1]["items"][-1]
    assert aggregated["versions"][0]["resources"][0]["verbs"] == reduced
    fake_cluster.patch("crontab", "held", {"metadata": {"finalizers": None}}, namespace="default")
    fake_cluster.settle()
    assert api.request("GET", "/apis/stable.example.com")[::2] == (404, b"404 page not found\n")
    assert "stable.example.com" not in [g["name"] for g in api.json("GET", "/apis")[1]["groups"]]


def v3_schema(api: Api) -> dict[str, Any]:
    status, doc = api.json("GET", "/openapi/v3/apis/stable.example.com/v1")
    assert status == 200
    return doc


def test_openapi_v3_document_of_a_crd_version(api: Api) -> None:
    _, index = api.json("GET", "/openapi/v3")
    assert "apis/stable.example.com/v1" in index["paths"] and "apis/stable.example.com/v1beta1" in index["paths"]
    assert "apis/stable.example.com" not in index["paths"] and "apis/stable.example.com/v1alpha1" not in index["paths"]
    doc = v3_schema(api)
    assert sorted(doc["paths"]) == [
        "/apis/stable.example.com/v1/crontabs",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status",
    ]
    crontab = doc["components"]["schemas"]["com.example.stable.v1.CronTab"]
    meta = {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]}
    assert crontab["description"] == "A CronTab runs a command on a schedule."
    assert crontab["x-kubernetes-group-version-kind"] == [{"group": "stable.example.com", "kind": "CronTab",
                                                           "version": "v1"}]
    assert crontab["properties"]["metadata"] == meta
    spec = crontab["properties"]["spec"]
    assert spec["description"] == "What to run and when."
    assert spec["properties"]["schedule"] == {"type": "string", "description": "Cron schedule.", "default": "* * * * *"}
    assert spec["properties"]["port"] == {  # unfolded as apiextensions does
        "x-kubernetes-int-or-string": True, "description": "A port by number or name.",
        "anyOf": [{"type": "integer"}, {"type": "string"}]}
    assert spec["properties"]["template"] == {
        "type": "object", "x-kubernetes-embedded-resource": True, "x-kubernetes-preserve-unknown-fields": True,
        "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": meta},
        "required": ["kind", "apiVersion"]}
    assert spec["properties"]["note"] == {"type": "string", "nullable": True}


def test_openapi_v2_definitions_in_swagger_2_terms(api: Api) -> None:
    status, doc = api.json("GET", "/openapi/v2")
    assert status == 200
    spec = doc["definitions"]["com.example.stable.v1.CronTab"]["properties"]["spec"]
    assert spec["properties"] == {
        "schedule": {"type": "string", "description": "Cron schedule."},  # defaults pruned
        "replicas": {"type": "integer"},
        "port": {"x-kubernetes-int-or-string": True, "description": "A port by number or name."},
        "template": {"x-kubernetes-embedded-resource": True, "x-kubernetes-preserve-unknown-fields": True},
        "extra": {"x-kubernetes-preserve-unknown-fields": True},
        "note": {},
    }
    # A version whose schema keeps unknown fields at its root is only an object to kubectl.
    assert doc["definitions"]["com.example.stable.v1beta1.CronTab"] == {
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": "stable.example.com", "kind": "CronTab", "version": "v1beta1"}]}
    crd_paths = sorted(path for path in doc["paths"] if "stable.example.com" in path)
    assert crd_paths == [
        "/apis/stable.example.com/v1/crontabs",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale",
        "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status",
        "/apis/stable.example.com/v1beta1/crontabs",
        "/apis/stable.example.com/v1beta1/namespaces/{namespace}/crontabs",
        "/apis/stable.example.com/v1beta1/namespaces/{namespace}/crontabs/{name}",
    ]
