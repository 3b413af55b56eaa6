"""A CRD's life as kube-apiserver runs it: names accepted and established, served at once, updated, deleted
with its custom resources, and never seen by another cluster."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from conftest import Api, Kubectl
from crd_helpers import CRDS, crd, version
from test_watch import watch_events

from fakekube import FakeCluster, StatusError

WIDGETS = "/apis/example.com/v1/namespaces/default/widgets"


def widget_crd(**names: Any) -> dict[str, Any]:
    names = {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"], **names}
    return crd(names.pop("plural"), names.pop("kind"), version(schema={"type": "object", "properties": {
        "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}, subresources={"status": {}}),
        **names)


def widget(name: str, size: int = 1) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name}, "spec": {"size": size}}


def conditions(crd: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {c["type"]: (c["status"], c["reason"], c["message"]) for c in crd["status"]["conditions"]}


def test_a_created_crd_gets_its_names_and_is_established_and_served(api: Api) -> None:
    status, created = api.json("POST", CRDS, widget_crd())
    assert status == 201, created
    # the answer to the create is the CRD as stored, before the controllers ran (as upstream)
    assert created["status"] == {"conditions": None, "acceptedNames": {"plural": "", "kind": ""},
                                 "storedVersions": ["v1"]}
    assert created["spec"]["names"] == {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"],
                                        "singular": "widget", "listKind": "WidgetList"}
    assert created["spec"]["conversion"] == {"strategy": "None"}
    status, crd = api.json("GET", CRDS + "/widgets.example.com")
    assert crd["status"]["acceptedNames"] == {"plural": "widgets", "singular": "widget", "shortNames": ["wd"],
                                              "kind": "Widget", "listKind": "WidgetList"}
    assert conditions(crd) == {
        "NamesAccepted": ("True", "NoConflicts", "no conflicts found"),
        "Established": ("True", "InitialNamesAccepted", "the initial names have been accepted"),
    }
    assert [c["type"] for c in crd["status"]["conditions"]] == ["NamesAccepted", "Established"]
    assert list(crd["status"]["conditions"][0]) == ["type", "status", "lastTransitionTime", "reason", "message"]
    status, body = api.json("POST", WIDGETS, widget("w1", 3))
    assert status == 201, body
    assert (body["apiVersion"], body["kind"], body["spec"]) == ("example.com/v1", "Widget", {"size": 3})


def test_watchers_see_the_crd_created_then_its_names_accepted_then_established(fake_cluster: FakeCluster,
                                                                               api: Api) -> None:
    _, listed = api.json("GET", CRDS)
    start = listed["metadata"]["resourceVersion"]
    api.json("POST", CRDS, widget_crd())
    events = watch_events(fake_cluster.url, f"{CRDS}?watch=1&resourceVersion={start}&timeoutSeconds=1")
    assert [e["type"] for e in events] == ["ADDED", "MODIFIED", "MODIFIED"]
    assert events[0]["object"]["status"]["conditions"] is None
    assert conditions(events[1]["object"]) == {
        "NamesAccepted": ("True", "NoConflicts", "no conflicts found"),
        "Established": ("False", "Installing", "the initial names have been accepted")}
    assert conditions(events[2]["object"])["Established"] == (
        "True", "InitialNamesAccepted", "the initial names have been accepted")
    managers = [(m["manager"], m["operation"], m.get("subresource")) for m in
                events[2]["object"]["metadata"]["managedFields"]]
    assert ("kube-apiserver", "Update", "status") in managers


def test_names_another_crd_of_the_group_holds_are_not_accepted(api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    status, body = api.json("POST", CRDS, widget_crd(plural="gadgets", kind="Gadget", shortNames=["wd"]))
    assert status == 201, body
    _, crd = api.json("GET", CRDS + "/gadgets.example.com")
    assert conditions(crd) == {
        "NamesAccepted": ("False", "ShortNamesConflict", '"wd" is already in use'),
        "Established": ("False", "NotAccepted", "not all names are accepted"),
    }
    assert crd["status"]["acceptedNames"] == {"plural": "gadgets", "singular": "gadget", "kind": "Gadget",
                                              "listKind": "GadgetList"}
    # not established: the CRD handler passes it on to Go's plain 404
    assert api.request("GET", "/apis/example.com/v1/namespaces/default/gadgets")[::2] == (
        404, b"404 page not found\n")
    # a kind in use is refused too
    api.json("POST", CRDS, widget_crd(plural="others", kind="Widget", shortNames=[]))
    _, crd = api.json("GET", CRDS + "/others.example.com")
    assert conditions(crd)["NamesAccepted"] == ("False", "ListKindConflict", '"WidgetList" is already in use')


def test_names_freed_by_a_deleted_crd_are_granted_to_the_one_waiting(fake_cluster: FakeCluster, api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    api.json("POST", CRDS, widget_crd(plural="gadgets", kind="Gadget", shortNames=["wd"]))
    api.request("DELETE", CRDS + "/widgets.example.com")
    fake_cluster.settle()
    _, crd = api.json("GET", CRDS + "/gadgets.example.com")
    assert conditions(crd)["NamesAccepted"] == ("True", "NoConflicts", "no conflicts found")
    assert crd["status"]["acceptedNames"]["shortNames"] == ["wd"]
    status, _ = api.json("GET", "/apis/example.com/v1/namespaces/default/gadgets")
    assert status == 200


def test_deleting_a_crd_deletes_every_custom_resource_with_its_own_event_then_the_crd(
        fake_cluster: FakeCluster, api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "other"}})
    api.json("POST", WIDGETS, widget("a"))
    api.json("POST", WIDGETS, widget("b"))
    api.json("POST", "/apis/example.com/v1/namespaces/other/widgets", widget("c"))
    _, listed = api.json("GET", "/apis/example.com/v1/widgets")
    start = listed["metadata"]["resourceVersion"]
    status, body = api.json("DELETE", CRDS + "/widgets.example.com")
    assert status == 200
    # the first answer is the CRD marked for deletion, as upstream's registry leaves it
    assert body["metadata"]["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"]
    assert conditions(body)["Terminating"] == (
        "True", "InstanceDeletionPending",
        "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon")
    status, body = api.json("GET", CRDS + "/widgets.example.com")
    assert status == 404, body
    assert api.request("GET", WIDGETS)[::2] == (404, b"404 page not found\n")  # as the crd-delete recording
    # the watch of the CRD's table, read back from the store, holds one DELETED event per object
    events = fake_cluster.call(lambda: fake_cluster.store.history_since(int(start), "example.com/widgets"))
    assert sorted((e.type, e.key) for e in events) == [
        ("DELETED", ("default", "a")), ("DELETED", ("default", "b")), ("DELETED", ("other", "c"))]


def test_deleting_a_crd_no_version_of_which_is_served_still_deletes_its_custom_resources(
        fake_cluster: FakeCluster, api: Api) -> None:
    """Upstream's finalizer deletes through the storage, served or not.  The objects used to stay in the
    store when no version was served, and came back when a CRD of that name was created again."""
    api.json("POST", CRDS, widget_crd())
    api.json("POST", WIDGETS, widget("a"))
    _, crd = api.json("GET", CRDS + "/widgets.example.com")
    crd["spec"]["versions"][0]["served"] = False
    assert api.json("PUT", CRDS + "/widgets.example.com", crd)[0] == 200
    assert api.json("DELETE", CRDS + "/widgets.example.com")[0] == 200
    fake_cluster.settle()
    assert api.json("GET", CRDS + "/widgets.example.com")[0] == 404
    assert fake_cluster.call(lambda: list(fake_cluster.store.iter_table("example.com/widgets"))) == []
    assert api.json("POST", CRDS, widget_crd())[0] == 201
    fake_cluster.settle()
    status, listed = api.json("GET", WIDGETS)
    assert (status, listed["items"]) == (200, [])


def test_a_custom_resource_held_by_a_finalizer_keeps_the_crd_terminating(fake_cluster: FakeCluster,
                                                                         api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    held = widget("held")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    api.json("POST", WIDGETS, held)
    api.json("DELETE", CRDS + "/widgets.example.com")
    fake_cluster.settle()
    _, crd = api.json("GET", CRDS + "/widgets.example.com")
    assert conditions(crd)["Terminating"] == ("True", "InstanceDeletionInProgress",
                                              "CustomResource deletion is in progress")
    # still served while terminating: reads and updates work, creates are refused
    status, obj = api.json("GET", WIDGETS + "/held")
    assert status == 200 and obj["metadata"]["deletionTimestamp"]
    status, body = api.json("POST", WIDGETS, widget("new"))
    assert (status, body["reason"], body["message"]) == (
        403, "Forbidden", 'widgets.example.com "new" is forbidden: create not allowed while custom resource '
                          "definition is terminating")
    status, _ = api.json("PATCH", WIDGETS + "/held", '{"metadata":{"finalizers":null}}',
                         headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200
    fake_cluster.settle()
    status, body = api.json("GET", CRDS + "/widgets.example.com")
    assert (status, body["message"]) == (
        404, 'customresourcedefinitions.apiextensions.k8s.io "widgets.example.com" not found')


def test_updating_a_crd_takes_effect_for_the_next_request(api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    _, crd = api.json("GET", CRDS + "/widgets.example.com")
    v2 = copy.deepcopy(crd["spec"]["versions"][0])
    v2["name"] = "v2"
    v2["storage"] = False
    crd["spec"]["versions"].append(v2)
    status, body = api.json("PUT", CRDS + "/widgets.example.com", crd)
    assert status == 200, body
    status, body = api.json("POST", "/apis/example.com/v2/namespaces/default/widgets",
                            {**widget("two"), "apiVersion": "example.com/v2"})
    assert status == 201, body
    status, body = api.json("GET", WIDGETS + "/two")
    assert (status, body["apiVersion"]) == (200, "example.com/v1")
    _, crd = api.json("GET", CRDS + "/widgets.example.com")
    crd["spec"]["versions"][1]["served"] = False
    api.json("PUT", CRDS + "/widgets.example.com", crd)
    assert api.request("GET", "/apis/example.com/v2/namespaces/default/widgets/two")[::2] == (
        404, b"404 page not found\n")


def test_a_crd_created_in_one_cluster_is_never_seen_in_another() -> None:
    with FakeCluster() as one, FakeCluster() as two:
        one.apply([widget_crd(), widget("w")])
        assert one.get("Widget", "w", "default")["spec"] == {"size": 1}
        assert Api(two.url).request("GET", WIDGETS)[::2] == (404, b"404 page not found\n")
        with pytest.raises(StatusError, match=re.escape('no matches for kind "Widget" in version "example.com/v1"')):
            two.resource("Widget", "example.com/v1")


def test_a_manifest_with_a_crd_and_its_custom_resources_applies_in_one_go() -> None:
    """The Python API establishes a CRD before writing the documents after it, even unstarted."""
    cluster = FakeCluster()
    written = cluster.apply([widget("first", 2), widget_crd()])
    assert [w["kind"] for w in written] == ["CustomResourceDefinition", "Widget"]
    assert cluster.get("Widget", "first", "default")["spec"] == {"size": 2}


def test_kubectl_waits_for_a_crd_to_be_established_and_deletes_it(kubectl: Kubectl, api: Api) -> None:
    import json

    done = kubectl("apply", "-f", "-", input=json.dumps(widget_crd()))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n"
    done = kubectl("wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com")
    assert (done.returncode, done.stdout) == (0, "customresourcedefinition.apiextensions.k8s.io/widgets.example.com "
                                                 "condition met\n"), done.stderr
    done = kubectl("apply", "-f", "-", input=json.dumps(widget("w", 4)))
    assert (done.returncode, done.stdout) == (0, "widget.example.com/w created\n"), done.stderr
    done = kubectl("get", "wd", "w", "-o", "jsonpath={.spec.size}")
    assert (done.returncode, done.stdout) == (0, "4"), done.stderr
    done = kubectl("delete", "crd", "widgets.example.com")
    assert (done.returncode, done.stdout) == (
        0, 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n'), done.stderr
    assert api.request("GET", WIDGETS)[::2] == (404, b"404 page not found\n")


@pytest.mark.fakekube(crds=[widget_crd()], manifests=[widget("from-marker", 5)])
def test_the_plugin_marker_serves_its_crds_to_the_manifests(fake_cluster: FakeCluster, kubectl: Kubectl) -> None:
    assert fake_cluster.get("Widget", "from-marker", "default")["spec"] == {"size": 5}
    done = kubectl("get", "widgets", "-o", "name")
    assert (done.returncode, done.stdout) == (0, "widget.example.com/from-marker\n"), done.stderr


def test_cel_rules_are_not_run_on_an_object_with_blocking_schema_errors(api: Api) -> None:
    crd = widget_crd()
    spec_schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    spec_schema.update(required=["size"], **{"x-kubernetes-validations": [{"rule": "self.size > 1"}]})
    api.json("POST", CRDS, crd)
    status, body = api.json("POST", WIDGETS, {**widget("w"), "spec": {}})
    assert status == 422
    assert body["details"]["causes"] == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.size"},
        {"reason": "FieldValueInvalid", "field": "<nil>",
         "message": 'Invalid value: null: some validation rules were not checked because the object was invalid; '
                    "correct the existing errors to complete validation"}]
    status, body = api.json("POST", WIDGETS, widget("w", 1))
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: spec: Invalid value: failed rule: self.size > 1')


def test_deleting_a_crd_that_shadows_a_built_in_never_deletes_the_built_ins_objects(
        fake_cluster: FakeCluster, api: Api) -> None:
    """Built-ins are served first, so such a CRD serves nothing; its deletion must not reach their table."""
    crd = widget_crd(plural="ingresses", singular="ingress", kind="Ingress", shortNames=[])
    crd["metadata"] = {"name": "ingresses.networking.k8s.io",
                       "annotations": {"api-approved.kubernetes.io": "https://github.com/kubernetes/enhancements/pull/1111"}}
    crd["spec"]["group"] = "networking.k8s.io"
    status, body = api.json("POST", CRDS, crd)
    assert status == 201, body
    ingresses = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"
    status, body = api.json("POST", ingresses, {"metadata": {"name": "web"}, "spec": {"defaultBackend": {
        "service": {"name": "web", "port": {"number": 80}}}}})
    assert status == 201, body
    api.json("DELETE", CRDS + "/ingresses.networking.k8s.io")
    fake_cluster.settle()
    status, body = api.json("GET", CRDS + "/ingresses.networking.k8s.io")
    assert (status, body["message"]) == (
        404, 'customresourcedefinitions.apiextensions.k8s.io "ingresses.networking.k8s.io" not found')
    status, body = api.json("GET", ingresses + "/web")
    assert (status, body["kind"]) == (200, "Ingress")


@pytest.mark.fakekube(version="v1.36")
def test_kubectl_get_crd_shows_the_default_table_name_and_created_at(kubectl: Kubectl, api: Api) -> None:
    """Up to v1.36 CRDs have no printer of their own: kube-apiserver's default table (Name, Created At)."""
    _, created = api.json("POST", CRDS, widget_crd())
    done = kubectl("get", "crd")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["NAME                  CREATED AT",
                                           f"widgets.example.com   {created['metadata']['creationTimestamp']}"]


@pytest.mark.fakekube(version="v1.36")
def test_the_crd_table_describes_its_columns_as_the_default_table_convertor_does(api: Api) -> None:
    """``rest.NewDefaultTableConvertor`` describes Created At with ObjectMeta's whole ``creationTimestamp``
    documentation; only its first sentence used to be sent."""
    api.json("POST", CRDS, widget_crd())
    status, table = api.json("GET", CRDS, headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    assert status == 200
    created_at = table["columnDefinitions"][1]
    assert created_at == {
        "name": "Created At", "type": "date", "format": "", "priority": 0,
        "description": ""}  # kube-apiserver sends ObjectMeta's API documentation, which is not shipped


def test_kubectl_get_crd_shows_apiextensions_own_printer_from_v1_37(kubectl: Kubectl, api: Api) -> None:
    """v1.37 gave CRDs a printer (apiextensions' ``tableconvertor``): scope, served versions (the storage one
    marked), creation time, and with ``-o wide`` group, kind, short names and whether it is established."""
    two = widget_crd(shortNames=["wd", "wg"])
    two["spec"]["versions"] = [{**two["spec"]["versions"][0], "name": "v2"},
                               {**two["spec"]["versions"][0], "name": "v1", "storage": False},
                               {**two["spec"]["versions"][0], "name": "v0", "served": False, "storage": False}]
    _, created = api.json("POST", CRDS, two)
    stamp = created["metadata"]["creationTimestamp"]
    done = kubectl("get", "crd")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["NAME                  SCOPE        VERSIONS         CREATED AT",
                                           f"widgets.example.com   Namespaced   v1,v2(storage)   {stamp}"]
    wide = kubectl("get", "crd", "-o", "wide")
    assert wide.stdout.split("\n")[1].split() == [
        "widgets.example.com", "Namespaced", "v1,v2(storage)", stamp, "example.com", "Widget", "wd,wg", "true"]
    status, table = api.json("GET", CRDS, headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    assert status == 200
    assert [(c["name"], c["type"], c["priority"], c["description"][:18]) for c in table["columnDefinitions"]] == [
        ("Name", "string", 0, ""), ("Scope", "string", 0, "Cluster/Namespaced"),
        ("Versions", "string", 0, "Served versions"), ("Created At", "date", 0, ""),
        ("Group", "string", 1, "API group"), ("Kind", "string", 1, "CustomResource kin"),
        ("ShortNames", "string", 1, "Short names"), ("Established", "boolean", 1, "Established status")]
    assert table["rows"][0]["cells"][1:] == ["Namespaced", "v1,v2(storage)", stamp, "example.com", "Widget",
                                             "wd,wg", True]


def test_a_watch_of_custom_resources_ends_when_their_crd_changes(fake_cluster: FakeCluster, api: Api) -> None:
    import threading
    import time

    api.json("POST", CRDS, widget_crd())
    api.json("POST", WIDGETS, widget("w"))
    _, crd = api.json("GET", CRDS + "/widgets.example.com")
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["color"] = {
        "type": "string"}
    timer = threading.Timer(0.3, lambda: api.json("PUT", CRDS + "/widgets.example.com", crd))
    timer.start()
    started = time.monotonic()
    events = watch_events(fake_cluster.url, f"{WIDGETS}?watch=1&timeoutSeconds=30")
    timer.join()
    assert [e["type"] for e in events] == ["ADDED"]
    assert time.monotonic() - started < 5  # the stream ended soon after the change, not at its timeout


def test_a_custom_resource_sent_without_its_kind_is_a_400_as_unstructured_decoding_has_it(api: Api) -> None:
    api.json("POST", CRDS, widget_crd())
    raw = '{"apiVersion": "example.com/v1", "metadata": {"name": "w"}}'
    status, body = api.json("POST", WIDGETS, raw, headers={"Content-Type": "application/json"})
    assert (status, body["reason"], body["message"]) == (400, "BadRequest", f"Object 'Kind' is missing in '{raw}'")
    status, body = api.json("GET", WIDGETS + "/w")
    assert (status, body["message"]) == (404, 'widgets.example.com "w" not found')
