"""Custom resources through the Python clients, against a CRD registered in the test's cluster: the official
client's ``CustomObjectsApi`` and ``DynamicClient``, lightkube's generic resources, and kr8s's ``new_class``.
Each test sees what a user of that client sees: returned objects and the API server's errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from crd_helpers import crd, version, widget
from kubernetes import client, config
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

from fakekube import FakeCluster

CRD = crd("widgets", "Widget", version(schema={
    "type": "object",
    "properties": {
        "spec": {"type": "object", "required": ["color"], "properties": {
            "color": {"type": "string", "enum": ["red", "blue"]},
            "size": {"type": "integer", "minimum": 1, "default": 5},
        }},
        "status": {"type": "object", "properties": {"phase": {"type": "string"}}},
    },
}, subresources={"status": {}}), singular="widget", shortNames=["wd"])
GROUP, VERSION, PLURAL, NS = "example.com", "v1", "widgets", "default"


@pytest.fixture
def cluster(fake_cluster: FakeCluster) -> FakeCluster:
    fake_cluster.apply(CRD)
    fake_cluster.settle()
    return fake_cluster


@pytest.fixture
def k8s(cluster: FakeCluster) -> Iterator[client.ApiClient]:
    config.load_kube_config(config_file=str(cluster.kubeconfig_path))
    with client.ApiClient() as api_client:
        yield api_client


# --- the official client ----------------------------------------------------------------------------------


def test_custom_objects_api_create_get_list_patch_replace_delete(k8s: client.ApiClient) -> None:
    api = client.CustomObjectsApi(k8s)
    created = api.create_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, widget("a", color="red"))
    assert created["spec"] == {"color": "red", "size": 5}  # defaulted from the schema
    assert created["metadata"]["generation"] == 1 and created["metadata"]["namespace"] == NS

    got = api.get_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, "a")
    assert got["metadata"]["uid"] == created["metadata"]["uid"]
    api.create_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, widget("b", color="blue", size=2))
    listed = api.list_namespaced_custom_object(GROUP, VERSION, NS, PLURAL)
    assert listed["kind"] == "WidgetList" and listed["apiVersion"] == "example.com/v1"
    assert [(w["metadata"]["name"], w["spec"]) for w in listed["items"]] == [
        ("a", {"color": "red", "size": 5}), ("b", {"color": "blue", "size": 2})]
    everywhere = api.list_cluster_custom_object(GROUP, VERSION, PLURAL)
    assert [w["metadata"]["name"] for w in everywhere["items"]] == ["a", "b"]

    # The client sends a dict body of patch_* as a merge patch (application/merge-patch+json).
    patched = api.patch_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, "a", {"spec": {"size": 9}})
    assert patched["spec"] == {"color": "red", "size": 9} and patched["metadata"]["generation"] == 2

    patched["spec"]["color"] = "blue"
    replaced = api.replace_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, "a", patched)
    assert replaced["spec"] == {"color": "blue", "size": 9} and replaced["metadata"]["generation"] == 3

    status = api.patch_namespaced_custom_object_status(GROUP, VERSION, NS, PLURAL, "a",
                                                       {"status": {"phase": "Ready"}, "spec": {"size": 1}})
    assert status["status"] == {"phase": "Ready"}
    assert status["spec"]["size"] == 9 and status["metadata"]["generation"] == 3  # /status ignores the spec

    deleted = api.delete_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, "a")
    assert deleted == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",  # not the object
                       "details": {"name": "a", "group": "example.com", "kind": "widgets",
                                   "uid": created["metadata"]["uid"]}}
    with pytest.raises(ApiException) as missing:
        api.get_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, "a")
    assert missing.value.status == 404
    assert json.loads(missing.value.body)["message"] == 'widgets.example.com "a" not found'


def test_custom_objects_api_reports_schema_errors(k8s: client.ApiClient) -> None:
    api = client.CustomObjectsApi(k8s)
    with pytest.raises(ApiException) as refused:
        api.create_namespaced_custom_object(GROUP, VERSION, NS, PLURAL, widget("bad", color="green", size=0))
    body = json.loads(refused.value.body)
    assert (refused.value.status, body["reason"]) == (422, "Invalid")
    assert body["details"]["causes"] == [
        {"reason": "FieldValueNotSupported", "message": 'Unsupported value: "green": supported values: "red", "blue"',
         "field": "spec.color"},
        {"reason": "FieldValueInvalid",
         "message": "Invalid value: 0: spec.size in body should be greater than or equal to 1", "field": "spec.size"},
    ]


def test_dynamic_client_finds_the_kind_through_discovery(k8s: client.ApiClient) -> None:
    widgets = DynamicClient(k8s).resources.get(api_version="example.com/v1", kind="Widget")
    assert (widgets.name, widgets.namespaced, widgets.short_names) == ("widgets", True, ["wd"])
    created = widgets.create(body=widget("d", color="red"), namespace=NS)
    assert created.spec.size == 5
    patched = widgets.patch(name="d", namespace=NS, body={"spec": {"color": "blue"}},
                            content_type="application/merge-patch+json")
    assert patched.spec.to_dict() == {"color": "blue", "size": 5}
    assert [w.metadata.name for w in widgets.get(namespace=NS).items] == ["d"]
    status = widgets.status.patch(name="d", namespace=NS, body={"status": {"phase": "Done"}},
                                  content_type="application/merge-patch+json")
    assert status.status.phase == "Done"
    widgets.delete(name="d", namespace=NS)
    assert widgets.get(namespace=NS).items == []


# --- lightkube ------------------------------------------------------------------------------------------


def test_lightkube_generic_resource(cluster: FakeCluster) -> None:
    from lightkube import Client, KubeConfig
    from lightkube.generic_resource import create_namespaced_resource
    from lightkube.models.meta_v1 import ObjectMeta
    from lightkube.types import PatchType

    Widget = create_namespaced_resource("example.com", "v1", "Widget", "widgets")
    kube = Client(KubeConfig.from_file(cluster.kubeconfig_path), field_manager="tests")
    created = kube.create(Widget(metadata=ObjectMeta(name="l", namespace=NS), spec={"color": "red"}))
    assert created.spec == {"color": "red", "size": 5}
    assert kube.get(Widget, "l", namespace=NS).metadata.uid == created.metadata.uid
    patched = kube.patch(Widget, "l", {"spec": {"size": 7}}, namespace=NS, patch_type=PatchType.MERGE)
    assert patched.spec == {"color": "red", "size": 7}
    status = kube.patch(Widget.Status, "l", {"status": {"phase": "Up"}}, namespace=NS, patch_type=PatchType.MERGE)
    assert status.status == {"phase": "Up"}
    assert [(w.metadata.name, w.status) for w in kube.list(Widget, namespace=NS)] == [("l", {"phase": "Up"})]
    kube.delete(Widget, "l", namespace=NS)
    assert list(kube.list(Widget, namespace=NS)) == []


def test_lightkube_loads_generic_resources_from_the_clusters_crds(cluster: FakeCluster) -> None:
    from lightkube import Client, KubeConfig
    from lightkube.generic_resource import get_generic_resource, load_in_cluster_generic_resources

    kube = Client(KubeConfig.from_file(cluster.kubeconfig_path))
    load_in_cluster_generic_resources(kube)
    Widget = get_generic_resource("example.com/v1", "Widget")
    assert Widget is not None
    kube.create(Widget(metadata={"name": "loaded", "namespace": NS}, spec={"color": "blue"}))
    assert [w.spec for w in kube.list(Widget, namespace=NS)] == [{"color": "blue", "size": 5}]


# --- kr8s -----------------------------------------------------------------------------------------------


def test_kr8s_new_class(cluster: FakeCluster) -> None:
    import kr8s
    from kr8s.objects import new_class

    api = kr8s.api(kubeconfig=str(cluster.kubeconfig_path))
    Widget = new_class("Widget", version="example.com/v1", namespaced=True, plural="widgets")
    made = Widget(widget("k", color="red") | {"metadata": {"name": "k", "namespace": NS}}, api=api)
    made.create()
    assert made.spec == {"color": "red", "size": 5}
    got = Widget.get("k", namespace=NS, api=api)
    assert got.metadata.uid == made.metadata.uid
    got.patch({"spec": {"size": 3}})  # kr8s sends a merge patch
    assert got.spec == {"color": "red", "size": 3}
    assert [w.name for w in api.get("widgets.example.com", namespace=NS)] == ["k"]
    got.delete()
    assert not got.exists()
