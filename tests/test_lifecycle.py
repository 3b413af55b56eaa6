"""Deletion as a step of the write pipeline: finalizers, namespace termination through its controller, /finalize."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from fakekube import FakeCluster


def watch_events(url: str, path: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(url + path, timeout=10) as response:
        return [json.loads(line) for line in response.read().splitlines() if line.strip()]


def summary(events: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(e["type"], e["object"]["metadata"]["name"], int(e["object"]["metadata"]["resourceVersion"]))
            for e in events]


def test_a_deleted_namespace_turns_terminating_first_then_loses_its_contents_then_goes(api, fake_cluster):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    for name in ("a", "b"):
        api.json("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": name}})
    start = fake_cluster.store.revision
    status, body = api.json("DELETE", "/api/v1/namespaces/doomed")
    assert status == 200
    assert body["status"]["phase"] == "Terminating" and body["metadata"]["deletionTimestamp"]
    assert body["spec"]["finalizers"] == ["kubernetes"]
    fake_cluster.settle()
    namespaces = summary(watch_events(fake_cluster.url, f"/api/v1/namespaces?watch=1&resourceVersion={start}"
                                                        "&timeoutSeconds=1&fieldSelector=metadata.name%3Ddoomed"))
    contents = summary(watch_events(fake_cluster.url, f"/api/v1/namespaces/doomed/configmaps?watch=1"
                                                      f"&resourceVersion={start}&timeoutSeconds=1"))
    # marked, then (once its contents are deleted) its deletion conditions written, then gone
    assert [(t, n) for t, n, _ in namespaces] == [("MODIFIED", "doomed"), ("MODIFIED", "doomed"), ("DELETED", "doomed")]
    assert [(t, n) for t, n, _ in contents] == [("DELETED", "a"), ("DELETED", "b"), ("DELETED", "kube-root-ca.crt")]
    terminating, conditions, gone = (rv for _, _, rv in namespaces)
    assert terminating < contents[0][2] < contents[1][2] < contents[2][2] < conditions < gone
    assert api.json("GET", "/api/v1/namespaces/doomed")[0] == 404


def test_the_controller_removes_only_the_kubernetes_finalizer_and_finalize_completes_the_delete(api, fake_cluster):
    api.json("POST", "/api/v1/namespaces",
             {"metadata": {"name": "held"}, "spec": {"finalizers": ["kubernetes", "example.com/hold"]}})
    api.json("POST", "/api/v1/namespaces/held/configmaps", {"metadata": {"name": "c"}})
    api.json("DELETE", "/api/v1/namespaces/held")
    fake_cluster.settle()
    status, ns = api.json("GET", "/api/v1/namespaces/held")
    assert status == 200 and ns["status"]["phase"] == "Terminating"
    assert ns["spec"]["finalizers"] == ["example.com/hold"]
    assert api.json("GET", "/api/v1/namespaces/held/configmaps/c")[0] == 404
    # deleting it again answers the namespace as it is (kube's namespace REST; the life-delete-namespace recording)
    status, again = api.json("DELETE", "/api/v1/namespaces/held")
    assert (status, again["kind"], again["metadata"]["resourceVersion"]) == (200, "Namespace",
                                                                            ns["metadata"]["resourceVersion"])
    status, body = api.json("PUT", "/api/v1/namespaces/held/finalize",
                            {"metadata": {"name": "held"}, "spec": {"finalizers": ["bad name"]}})
    assert status == 422
    assert body["message"].startswith('Namespace "held" is invalid: [spec.finalizers[0]: Invalid value: "bad name": '
                                      "name part must consist of alphanumeric characters")
    assert body["message"].endswith('spec.finalizers[0]: Invalid value: "bad name": name is neither a standard '
                                    "finalizer name nor is it fully qualified]")
    status, body = api.json("PUT", "/api/v1/namespaces/held/finalize", {"metadata": {"name": "held"}, "spec": {}})
    assert status == 200 and body["kind"] == "Namespace"
    assert api.json("GET", "/api/v1/namespaces/held")[0] == 404


def test_a_terminating_namespace_refuses_new_content_but_a_label_named_deletion_timestamp_does_not(api):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "odd", "labels": {"deletionTimestamp": "x"}}})
    status, _ = api.json("POST", "/api/v1/namespaces/odd/configmaps", {"metadata": {"name": "fine"}})
    assert status == 201
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "closing", "finalizers": ["example.com/x"]}})
    api.json("DELETE", "/api/v1/namespaces/closing")
    status, body = api.json("POST", "/api/v1/namespaces/closing/configmaps", {"metadata": {"name": "late"}})
    assert (status, body["reason"]) == (403, "Forbidden")
    assert body["message"] == ('configmaps "late" is forbidden: unable to create new content in namespace closing '
                               "because it is being terminated")


def test_an_object_with_finalizers_stays_until_an_update_removes_the_last_one(api, fake_cluster):
    path = "/api/v1/namespaces/default/configmaps"
    api.json("POST", path, {"metadata": {"name": "kept", "finalizers": ["example.com/keep"]}})
    start = fake_cluster.store.revision
    status, marked = api.json("DELETE", path + "/kept")
    assert status == 200 and marked["kind"] == "ConfigMap"
    stamp = marked["metadata"]["deletionTimestamp"]
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 0
    status, again = api.json("DELETE", path + "/kept")
    assert status == 200 and again["metadata"]["deletionTimestamp"] == stamp
    assert again["metadata"]["resourceVersion"] == marked["metadata"]["resourceVersion"]  # nothing written
    more = '{"metadata":{"finalizers":["example.com/keep","example.com/more"]}}'
    status, body = api.json("PATCH", path + "/kept", more,
                            headers={"Content-Type": "application/merge-patch+json"})
    assert status == 422
    assert body["message"] == (
        'ConfigMap "kept" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object '
        'is being deleted, found new finalizers []string{"example.com/more"}')
    status, body = api.json("PATCH", path + "/kept", '{"metadata":{"finalizers":null}}',
                            headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200 and body["metadata"]["name"] == "kept"
    assert api.json("GET", path + "/kept")[0] == 404
    events = summary(watch_events(fake_cluster.url, f"{path}?watch=1&resourceVersion={start}&timeoutSeconds=1"))
    assert [(t, n) for t, n, _ in events] == [("MODIFIED", "kept"), ("DELETED", "kept")]


def test_a_namespace_waits_for_contents_held_by_finalizers(api, fake_cluster):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "waiting"}})
    api.json("POST", "/api/v1/namespaces/waiting/configmaps",
             {"metadata": {"name": "held", "finalizers": ["example.com/keep"]}})
    api.json("DELETE", "/api/v1/namespaces/waiting")
    fake_cluster.settle()
    status, held = api.json("GET", "/api/v1/namespaces/waiting/configmaps/held")
    assert status == 200 and held["metadata"]["deletionTimestamp"]
    assert api.json("GET", "/api/v1/namespaces/waiting")[0] == 200
    api.json("PATCH", "/api/v1/namespaces/waiting/configmaps/held", '{"metadata":{"finalizers":null}}',
             headers={"Content-Type": "application/merge-patch+json"})
    fake_cluster.settle()
    assert api.json("GET", "/api/v1/namespaces/waiting")[0] == 404


def test_settle_steps_controllers_of_a_cluster_that_is_not_serving():
    cluster = FakeCluster()
    cluster.create("apiVersion: v1\nkind: Namespace\nmetadata: {name: tmp}\n---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: tmp}\n")
    cluster.delete("Namespace", "tmp")
    assert cluster.get("Namespace", "tmp")["status"]["phase"] == "Terminating"
    assert cluster.settle() >= 1
    assert [o["metadata"]["name"] for o in cluster.objects() if o["kind"] == "Namespace"] == [
        "default", "kube-node-lease", "kube-public", "kube-system"]
    assert not [o for o in cluster.objects() if o["kind"] == "ConfigMap" and o["metadata"]["namespace"] == "tmp"]
    assert cluster.settle() == 0


def test_a_cluster_without_controllers_leaves_namespaces_terminating(fake_cluster_factory):
    cluster = fake_cluster_factory(controllers=())
    cluster.create("apiVersion: v1\nkind: Namespace\nmetadata: {name: stays}\n")
    cluster.delete("Namespace", "stays")
    assert cluster.settle() == 0
    assert cluster.get("Namespace", "stays")["status"]["phase"] == "Terminating"
