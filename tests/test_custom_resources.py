"""A custom resource in a cluster's catalog is served through the same pipeline: validated, defaulted and pruned
by its own schema."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api
from crd_helpers import widget

from fakekube import FakeCluster
from fakekube.kinds import custom_resource_strategy
from fakekube.kinds.field_labels import custom_fields
from fakekube.registry.resources import ResourceInfo

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["color"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 0},
                "color": {"type": "string", "enum": ["red", "blue"]},
                "size": {"type": "string", "default": "M"},
            },
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}
PATH = "/apis/example.com/v1/namespaces/default/widgets"


@pytest.fixture
def api(fake_cluster: FakeCluster) -> Api:
    widgets = ResourceInfo(group="example.com", version="v1", kind="Widget", plural="widgets", singular="widget",
                           namespaced=True, verbs=frozenset({"get", "list", "create", "update", "patch", "delete",
                                                             "watch"}),
                           schema=SCHEMA, strategy=custom_resource_strategy(custom_fields({})))
    fake_cluster.call(lambda: fake_cluster.catalog.add(widgets))
    return Api(fake_cluster.url)


def test_unknown_fields_are_pruned_with_a_warning_and_defaults_applied(api: Api) -> None:
    status, headers, body = api.request("POST", PATH, widget("w", color="red", extra=1))
    assert status == 201, body
    assert headers["warning"] == ['299 - "unknown field \\"spec.extra\\""']
    status, stored = api.json("GET", PATH + "/w")
    assert stored["spec"] == {"color": "red", "size": "M"}
    assert stored["metadata"]["generation"] == 1


def test_values_the_schema_refuses_are_422s_in_the_openapi_validators_words(api: Api) -> None:
    status, body = api.json("POST", PATH, widget("bad", color="green", replicas="x"))
    assert (status, body["reason"]) == (422, "Invalid")
    assert body["message"] == (
        'Widget.example.com "bad" is invalid: [spec.color: Unsupported value: "green": supported values: "red", '
        '"blue", spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"]')
    assert body["details"]["causes"] == [
        {"reason": "FieldValueNotSupported", "message": 'Unsupported value: "green": supported values: "red", "blue"',
         "field": "spec.color"},
        {"reason": "FieldValueTypeInvalid",
         "message": 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
         "field": "spec.replicas"}]
    status, body = api.json("POST", PATH, widget("missing"))
    assert status == 422 and body["details"]["causes"] == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.color"}]


def test_strict_field_validation_refuses_unknown_fields(api: Api) -> None:
    status, body = api.json("POST", PATH + "?fieldValidation=Strict", widget("w", color="red", extra=1))
    assert (status, body["reason"]) == (400, "BadRequest")
    assert body["message"] == (
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.extra"')


def test_a_patch_goes_through_the_same_schema(api: Api) -> None:
    api.json("POST", PATH, widget("p", color="blue"))
    status, body = api.json("PATCH", PATH + "/p", '{"spec":{"replicas":-1,"other":true}}',
                            headers={"Content-Type": "application/merge-patch+json"})
    assert (status, body["message"]) == (422, 'Widget.example.com "p" is invalid: spec.replicas: Invalid value: -1: '
                                              "spec.replicas in body should be greater than or equal to 0")
    assert body["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": "Invalid value: -1: spec.replicas in body should be greater than "
                                                   "or equal to 0", "field": "spec.replicas"}]
    status, body = api.json("PATCH", PATH + "/p", '{"spec":{"replicas":2,"other":true}}',
                            headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200 and body["spec"] == {"color": "blue", "size": "M", "replicas": 2}
    assert body["metadata"]["generation"] == 2
