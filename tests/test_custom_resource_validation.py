"""Custom resources checked as kube-apiserver checks them, over HTTP: set and map lists, embedded resources,
nulls, defaults on read, and validation ratcheting on update (errors at unchanged values are dropped)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Api
from crd_helpers import widget

from fakekube import FakeCluster
from fakekube.kinds import custom_resource_strategy
from fakekube.kinds.field_labels import custom_fields
from fakekube.registry.resources import ResourceInfo, SubresourceInfo

PATH = "/apis/example.com/v1/namespaces/default/widgets"
MERGE = {"Content-Type": "application/merge-patch+json"}
VERBS = frozenset({"get", "list", "create", "update", "patch", "delete", "watch"})

Serve = Callable[..., Api]


@pytest.fixture
def serve(fake_cluster: FakeCluster) -> Serve:
    """``serve(schema)`` serves (or re-serves, as a CRD update does) widgets with ``schema``."""

    def add(schema: dict[str, Any], *, status: bool = False) -> Api:
        status_verbs = frozenset({"get", "update", "patch"})
        subresources = (SubresourceInfo("status", "example.com", "v1", "Widget", status_verbs),) if status else ()
        widgets = ResourceInfo(group="example.com", version="v1", kind="Widget", plural="widgets", singular="widget",
                               namespaced=True, verbs=VERBS, schema=schema, subresources=subresources,
                               strategy=custom_resource_strategy(custom_fields({})))
        fake_cluster.call(lambda: fake_cluster.catalog.add(widgets))
        return Api(fake_cluster.url)

    return add


def spec_schema(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {
        "spec": {"type": "object", "properties": properties},
        "status": {"type": "object", "properties": {"phase": {"type": "string", "maxLength": 3}}},
        **extra}}


def causes(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["reason"], c.get("field", ""), c["message"]) for c in body["details"]["causes"]]


# --- x-kubernetes-list-type -------------------------------------------------------------------------

LISTS = spec_schema({
    "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
    "numbers": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "number"}},
    "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
              "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}},
    "routes": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["host", "port"],
               "items": {"type": "object", "properties": {"host": {"type": "string"}, "port": {"type": "integer"},
                                                          "to": {"type": "string"}}}},
    "byName": {"type": "object", "additionalProperties": {
        "type": "array", "x-kubernetes-list-type": "set", "items": {"type": "integer"}}},
})


def test_set_and_map_lists_report_each_repeated_item_once_at_its_second_occurrence(serve: Serve) -> None:
    api = serve(LISTS)
    status, body = api.json("POST", PATH, widget(
        "w", tags=["a", "b", "a", "a", "b"], numbers=[1, 1.5, 1.5],
        ports=[{"name": "http", "port": 80}, {"name": "http", "port": 81}, {"port": 1}, {"port": 2}],
        routes=[{"host": "x", "port": 1, "to": "a"}, {"port": 1, "host": "x", "to": "b"}, {"host": "x", "port": 2}],
        byName={"m": [3, 3]}))
    assert status == 422
    assert causes(body) == [
        ("FieldValueDuplicate", "spec.tags[2]", 'Duplicate value: "a"'),
        ("FieldValueDuplicate", "spec.tags[4]", 'Duplicate value: "b"'),
        ("FieldValueDuplicate", "spec.numbers[2]", "Duplicate value: 1.5"),
        ("FieldValueDuplicate", "spec.ports[1]", 'Duplicate value: {"name":"http"}'),
        ("FieldValueDuplicate", "spec.ports[3]", "Duplicate value: {}"),
        ("FieldValueDuplicate", "spec.routes[1]", 'Duplicate value: {"host":"x","port":1}'),
        ("FieldValueDuplicate", "spec.byName[m][1]", "Duplicate value: 3"),
    ]
    assert body["message"] == (
        'Widget.example.com "w" is invalid: [spec.tags[2]: Duplicate value: "a", spec.tags[4]: Duplicate value: "b", '
        'spec.numbers[2]: Duplicate value: 1.5, spec.ports[1]: Duplicate value: {"name":"http"}, '
        'spec.ports[3]: Duplicate value: {}, spec.routes[1]: Duplicate value: {"host":"x","port":1}, '
        'spec.byName[m][1]: Duplicate value: 3]')


def test_a_list_map_item_that_is_not_an_object_is_refused(serve: Serve) -> None:
    api = serve(spec_schema({"ports": {
        "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
        "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}))
    status, body = api.json("POST", PATH, widget("w", ports=[{"name": "a"}, "b", "b"]))
    assert status == 422
    assert causes(body) == [
        ("FieldValueTypeInvalid", "spec.ports[1]", 'Invalid value: "string": spec.ports[1] in body must be of type '
                                                   'object: "string"'),
        ("FieldValueTypeInvalid", "spec.ports[2]", 'Invalid value: "string": spec.ports[2] in body must be of type '
                                                   'object: "string"'),
        ("FieldValueInvalid", "spec.ports[1]", 'Invalid value: "b": must be an object for an array of list-type map')]


def test_distinct_items_pass_and_are_stored_as_sent(serve: Serve) -> None:
    api = serve(LISTS)
    sent = widget("w", tags=["a", "b"], numbers=[1, 1.5], ports=[{"name": "a", "port": 1}, {"name": "b", "port": 1}],
                  routes=[{"host": "x", "port": 1}, {"host": "x", "port": 2}], byName={"m": [1, 2]})
    status, body = api.json("POST", PATH, sent)
    assert status == 201, body
    assert body["spec"] == sent["spec"]


# --- x-kubernetes-embedded-resource ----------------------------------------------------------------

EMBEDDED = spec_schema({
    "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                 "x-kubernetes-preserve-unknown-fields": True},
    "objects": {"type": "array", "items": {"type": "object", "x-kubernetes-embedded-resource": True,
                                           "properties": {"data": {"type": "string"}}}},
})


def test_an_embedded_resource_needs_its_type_and_valid_metadata(serve: Serve) -> None:
    api = serve(EMBEDDED)
    status, body = api.json("POST", PATH, widget("w", template={"metadata": {"name": "a/b"}}))
    assert status == 422
    assert causes(body) == [
        ("FieldValueRequired", "spec.template.apiVersion", "Required value"),
        ("FieldValueRequired", "spec.template.kind", "Required value"),
        ("FieldValueInvalid", "spec.template.metadata.name", "Invalid value: \"a/b\": may not contain '/'"),
    ]
    status, body = api.json("POST", PATH, widget("w", objects=[
        {"apiVersion": "a/b/c", "kind": "9Lives", "metadata": {"labels": {"bad key": "x"}}},
        {"apiVersion": "", "kind": "", "metadata": {"generateName": "..", "namespace": "Not_A_Label"}}]))
    assert status == 422
    label_detail = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                    "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
    dns1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
               "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
               "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
    dns1123 = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
               "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
               "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
    assert causes(body) == [
        ("FieldValueInvalid", "spec.objects[0].apiVersion",
         'Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c'),
        ("FieldValueInvalid", "spec.objects[0].kind",
         'Invalid value: "9Lives": may have mixed case, but should otherwise match: ' + dns1035),
        ("FieldValueInvalid", "spec.objects[0].metadata.labels", f'Invalid value: "bad key": {label_detail}'),
        ("FieldValueInvalid", "spec.objects[1].apiVersion", 'Invalid value: "": must not be empty'),
        ("FieldValueInvalid", "spec.objects[1].kind", 'Invalid value: "": must not be empty'),
        ("FieldValueInvalid", "spec.objects[1].metadata.generateName", "Invalid value: \"..\": may not be '..'"),
        ("FieldValueInvalid", "spec.objects[1].metadata.namespace", f'Invalid value: "Not_A_Label": {dns1123}'),
    ]


def test_a_valid_embedded_resource_is_stored_pruned_as_its_schema_says(serve: Serve) -> None:
    api = serve(EMBEDDED)
    status, body = api.json("POST", PATH, widget("w", template={"apiVersion": "v1", "kind": "Pod", "spec": {"x": 1}},
                                                 objects=[{"apiVersion": "v1", "kind": "ConfigMap",
                                                           "metadata": {"name": "c"}, "data": "d", "extra": 1}]))
    assert status == 201, body
    assert body["spec"] == {"template": {"apiVersion": "v1", "kind": "Pod", "spec": {"x": 1}},
                            "objects": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                         "data": "d"}]}


def test_openapi_errors_come_before_embedded_resources_and_lists(serve: Serve) -> None:
    api = serve(spec_schema({**EMBEDDED["properties"]["spec"]["properties"],
                             **LISTS["properties"]["spec"]["properties"],
                             "size": {"type": "integer", "maximum": 3}}))
    status, body = api.json("POST", PATH, widget("w", tags=["a", "a"], template={"kind": "Pod"}, size=4))
    assert status == 422
    assert causes(body) == [
        ("FieldValueInvalid", "spec.size", "Invalid value: 4: spec.size in body should be less than or equal to 3"),
        ("FieldValueRequired", "spec.template.apiVersion", "Required value"),
        ("FieldValueDuplicate", "spec.tags[1]", 'Duplicate value: "a"'),
    ]


# --- nulls -----------------------------------------------------------------------------------------

def test_a_null_the_schema_does_not_allow_reads_as_absent_unless_a_default_replaces_it(serve: Serve) -> None:
    api = serve(spec_schema({
        "plain": {"type": "string"},
        "open": {"type": "string", "nullable": True},
        "sized": {"type": "string", "default": "M"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "list": {"type": "array", "items": {"type": "string"}},
    }))
    status, body = api.json("POST", PATH, widget("w", plain=None, open=None, sized=None, labels={"a": None, "b": "x"}))
    assert status == 201, body
    assert body["spec"] == {"open": None, "sized": "M", "labels": {"b": "x"}}
    status, body = api.json("POST", PATH, widget("v", list=["a", None]))
    assert status == 422
    assert causes(body) == [("FieldValueTypeInvalid", "spec.list[1]",
                             'Invalid value: "null": spec.list[1] in body must be of type string: "null"')]


# --- defaults on read ------------------------------------------------------------------------------

def test_a_default_added_later_shows_on_reads_of_objects_stored_before(serve: Serve) -> None:
    plain = spec_schema({
        "size": {"type": "string"},
        "ports": {"type": "array", "items": {"type": "object", "properties": {
            "port": {"type": "integer"}, "protocol": {"type": "string"}}}},
        "limits": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "max": {"type": "integer"}, "unit": {"type": "string"}}}},
    })
    api = serve(plain)
    status, _ = api.json("POST", PATH, widget("w", ports=[{"port": 80}], limits={"cpu": {"max": 2}}))
    assert status == 201
    defaulted = copy.deepcopy(plain)
    spec = defaulted["properties"]["spec"]["properties"]
    spec["size"]["default"] = "M"
    spec["ports"]["items"]["properties"]["protocol"]["default"] = "TCP"
    spec["limits"]["additionalProperties"]["properties"]["unit"]["default"] = "m"
    serve(defaulted)
    expected = {"ports": [{"port": 80, "protocol": "TCP"}], "limits": {"cpu": {"max": 2, "unit": "m"}}, "size": "M"}
    status, body = api.json("GET", PATH + "/w")
    assert status == 200 and body["spec"] == expected
    status, body = api.json("GET", PATH)
    assert [item["spec"] for item in body["items"]] == [expected]
    # an update sees the defaulted object as the old one (no new generation), and writes the defaults:
    # its bytes are not the stored ones
    status, updated = api.json("PATCH", PATH + "/w", "{}", headers=MERGE)
    assert status == 200 and updated["spec"] == expected
    assert updated["metadata"]["generation"] == 1
    assert int(updated["metadata"]["resourceVersion"]) > int(body["items"][0]["metadata"]["resourceVersion"])


# --- ratcheting ------------------------------------------------------------------------------------

LOOSE = spec_schema({
    "a": {"type": "string"},
    "b": {"type": "string"},
    "items": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"],
              "items": {"type": "object", "properties": {"k": {"type": "string"}, "v": {"type": "string"}}}},
    "atomic": {"type": "array", "items": {"type": "object", "properties": {"v": {"type": "string"}}}},
    "m": {"type": "object", "additionalProperties": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}},
})


def tightened() -> dict[str, Any]:
    tight = copy.deepcopy(LOOSE)
    spec = tight["properties"]["spec"]
    props = spec["properties"]
    for name in ("a", "b"):
        props[name]["maxLength"] = 2
    props["items"]["items"]["properties"]["v"]["maxLength"] = 2
    props["atomic"]["items"]["properties"]["v"]["maxLength"] = 2
    props["m"]["additionalProperties"]["maxLength"] = 2
    props["tags"]["x-kubernetes-list-type"] = "set"
    spec["required"] = ["a"]
    return tight


OLD_SPEC = {"a": "long", "b": "long", "items": [{"k": "x", "v": "long"}, {"k": "y", "v": "long"}],
            "atomic": [{"v": "long"}, {"v": "ok"}], "m": {"p": "long", "q": "long"}, "tags": ["t", "t"]}
TOO_LONG = "Too long: may not be more than 2 bytes"


@pytest.fixture
def ratcheting(serve: Serve) -> Api:
    """A widget stored under the loose schema, then the schema tightened under it."""
    api = serve(LOOSE)
    status, body = api.json("POST", PATH, widget("w", **OLD_SPEC))
    assert status == 201, body
    serve(tightened())
    return api


def test_an_update_elsewhere_keeps_the_values_a_tightened_schema_refuses(ratcheting: Api) -> None:
    status, body = ratcheting.json("PATCH", PATH + "/w", '{"spec":{"b":"ok"}}', headers=MERGE)
    assert status == 200, body
    assert body["spec"] == {**OLD_SPEC, "b": "ok"}
    status, body = ratcheting.json("GET", PATH + "/w")
    status, body = ratcheting.json("PUT", PATH + "/w", dict(body, spec={**body["spec"], "m": {"p": "long", "r": "ok"}}))
    assert status == 200, body


def test_a_changed_value_is_checked_against_the_new_schema(ratcheting: Api) -> None:
    status, body = ratcheting.json("PATCH", PATH + "/w", '{"spec":{"a":"longer","b":"also long"}}', headers=MERGE)
    assert status == 422
    assert causes(body) == [("FieldValueTooLong", "spec.a", TOO_LONG), ("FieldValueTooLong", "spec.b", TOO_LONG)]
    status, body = ratcheting.json("PATCH", PATH + "/w", '{"spec":{"m":{"p":"long2"}}}', headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueTooLong", "spec.m.p", TOO_LONG)]


def test_list_map_items_correlate_by_key_and_atomic_lists_only_as_a_whole(ratcheting: Api) -> None:
    reordered = '{"spec":{"items":[{"k":"y","v":"long"},{"k":"z","v":"ok"},{"k":"x","v":"long"}]}}'
    status, body = ratcheting.json("PATCH", PATH + "/w", reordered, headers=MERGE)
    assert status == 200, body
    assert body["spec"]["items"] == [{"k": "y", "v": "long"}, {"k": "z", "v": "ok"}, {"k": "x", "v": "long"}]
    added = '{"spec":{"items":[{"k":"y","v":"long"},{"k":"w","v":"new!"}]}}'
    status, body = ratcheting.json("PATCH", PATH + "/w", added, headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueTooLong", "spec.items[1].v", TOO_LONG)]
    # an atomic list that changed is checked whole: its unchanged first item too
    status, body = ratcheting.json("PATCH", PATH + "/w", '{"spec":{"atomic":[{"v":"long"},{"v":"no"}]}}', headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueTooLong", "spec.atomic[0].v", TOO_LONG)]


def test_a_missing_required_field_ratchets_with_its_parent(ratcheting: Api, serve: Serve) -> None:
    status, _ = ratcheting.json("POST", PATH, widget("bare", b="ok"))
    assert status == 422
    serve(LOOSE)
    status, _ = ratcheting.json("POST", PATH, widget("bare", b="ok"))
    assert status == 201
    serve(tightened())
    status, body = ratcheting.json("PATCH", PATH + "/bare", '{"metadata":{"labels":{"x":"y"}}}', headers=MERGE)
    assert status == 200, body
    status, body = ratcheting.json("PATCH", PATH + "/bare", '{"spec":{"b":"no"}}', headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueRequired", "spec.a", "Required value")]


def test_set_duplicates_ratchet_only_while_the_stored_object_has_some(ratcheting: Api, serve: Serve) -> None:
    status, body = ratcheting.json("PATCH", PATH + "/w", '{"spec":{"tags":["t","t","u","u"]}}', headers=MERGE)
    assert status == 200, body  # the stored object breaks the list rules already: not checked
    serve(LOOSE)
    status, _ = ratcheting.json("POST", PATH, widget("clean", a="ok", tags=["t"]))
    assert status == 201
    serve(tightened())
    status, body = ratcheting.json("PATCH", PATH + "/clean", '{"spec":{"tags":["t","t"]}}', headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueDuplicate", "spec.tags[1]", 'Duplicate value: "t"')]


def test_status_writes_check_and_ratchet_only_the_status(serve: Serve) -> None:
    loose = copy.deepcopy(LOOSE)
    loose["properties"]["status"]["properties"]["phase"].pop("maxLength")
    api = serve(loose, status=True)
    assert api.json("POST", PATH, widget("w", a="long"))[0] == 201
    status, body = api.json("PATCH", PATH + "/w/status", '{"status":{"phase":"Running"}}', headers=MERGE)
    assert status == 200, body
    serve(tightened(), status=True)
    status, body = api.json("PATCH", PATH + "/w/status", '{"metadata":{"labels":{"a":"b"}}}', headers=MERGE)
    assert status == 200, body
    status, body = api.json("PATCH", PATH + "/w/status", '{"status":{"phase":"Pending"}}', headers=MERGE)
    assert status == 422
    assert causes(body) == [("FieldValueTooLong", "status.phase", "Too long: may not be more than 3 bytes")]
    # the main resource: the status it cannot change is not its business, its spec is
    status, body = api.json("PATCH", PATH + "/w", '{"spec":{"b":"xyz"}}', headers=MERGE)
    assert status == 422 and causes(body) == [("FieldValueTooLong", "spec.b", TOO_LONG)]
