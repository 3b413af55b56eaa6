"""CRDs and custom resources that used to get a 500 or a wrong answer: each now gets kube-apiserver's.

Found by probing the CRD paths with hostile input (review of issue 9)."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

import pytest
from conftest import Api
from crd_helpers import CRDS, crd, version
from test_watch import watch_events

from fakekube import FakeCluster

THINGS = "/apis/example.com/v1/namespaces/default/things"
SCHEMA_PATH = "spec.validation.openAPIV3Schema.properties[spec].properties[a]"


def things_crd(a: dict[str, Any], versions: tuple[str, ...] = ("v1",)) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"a": a}}}}
    return crd("things", "Thing", *(version(name, schema, storage=i == 0) for i, name in enumerate(versions)))


def thing(name: str, a: Any, version: str = "v1") -> dict[str, Any]:
    return {"apiVersion": f"example.com/{version}", "kind": "Thing", "metadata": {"name": name}, "spec": {"a": a}}


def served(api: Api, fake_cluster: FakeCluster, a: dict[str, Any]) -> None:
    status, body = api.json("POST", CRDS, things_crd(a))
    assert status == 201, body
    fake_cluster.settle()


@pytest.mark.parametrize(("pattern", "problem"), [
    ("^(?=a)b", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?<=a)b", "invalid named capture: `(?<=a)b`"),
    ("(a)\\1", "invalid escape sequence: `\\1`"),
    ("a\\Z", "invalid escape sequence: `\\Z`"),
    ("a++", "invalid nested repetition operator: `++`"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("([", "missing closing ]: `[`"),
    ("(abc", "missing closing ): `(abc`"),
])
def test_a_pattern_gos_regexp_refuses_is_a_422_not_a_500_on_every_write(api: Api, pattern: str,
                                                                       problem: str) -> None:
    """Python's ``re`` took lookaround, backreferences and possessive repeats: the CRD was stored and every
    create of its resources failed with an InternalError from the validator's compilation."""
    status, body = api.json("POST", CRDS, things_crd({"type": "string", "pattern": pattern}))
    assert (status, body["reason"]) == (422, "Invalid"), body
    assert body["details"]["causes"] == [{
        "reason": "FieldValueInvalid", "field": f"{SCHEMA_PATH}.pattern",
        "message": f"Invalid value: {_go_quoted(pattern)}: must be a valid regular expression, but isn't: "
                   f"error parsing regexp: {problem}"}]


def _go_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\") + '"'


@pytest.mark.parametrize(("pattern", "good", "bad"), [
    ("^\\Qa.b\\E$", "a.b", "axb"),
    ("^[[:alpha:]]+$", "abc", "ab1"),
    ("^\\p{Greek}+$", "αβ", "ab"),
    ("^\\x{41}\\z", "A", "A\n"),
    ("^a$", "a", "a\n"),  # Go's $ is the end of the text, not before a final newline
])
def test_go_regexp_syntax_is_accepted_and_matched_as_go_matches(api: Api, fake_cluster: FakeCluster, pattern: str,
                                                                good: str, bad: str) -> None:
    """These are valid Go patterns: they were refused as invalid regular expressions (``\\Q``, ``\\p``,
    ``\\x{}``) or read as ECMA-262 (``[[:alpha:]]`` never matched letters)."""
    served(api, fake_cluster, {"type": "string", "pattern": pattern})
    assert api.json("POST", THINGS, thing("good", good))[0] == 201
    status, body = api.json("POST", THINGS, thing("bad", bad))
    assert status == 422, body
    assert body["details"]["causes"][0]["message"] == (
        f"Invalid value: {_json_quoted(bad)}: spec.a in body should match '{pattern}'")


def _json_quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize(("a", "value", "cause"), [
    ({"type": "string", "maxLength": -1}, "", {"reason": "FieldValueTooLong", "field": "spec.a",
                                               "message": "Too long: value is too long"}),
    ({"type": "array", "items": {"type": "string"}, "maxItems": -1}, [],
     {"reason": "FieldValueTooMany", "field": "spec.a", "message": "Too many: 0: has too many items"}),
    ({"type": "integer", "multipleOf": 0}, 4,
     {"reason": "FieldValueInvalid", "field": "spec.a",
      "message": "Invalid value: 0: factor MultipleOf declared for spec.a must be positive: 0"}),
])
def test_bounds_json_schema_forbids_give_kube_openapis_errors(api: Api, fake_cluster: FakeCluster,
                                                              a: dict[str, Any], value: Any,
                                                              cause: dict[str, str]) -> None:
    """kube-apiserver stores such a CRD (it does not check these values) and kube-openapi fails every value
    against them; jsonschema-rs refused to compile the schema, so every create was a 500."""
    served(api, fake_cluster, a)
    status, body = api.json("POST", THINGS, thing("t", value))
    assert (status, body["details"]["causes"]) == (422, [cause]), body


@pytest.mark.parametrize("a", [
    {"type": "string", "minLength": -1},
    {"type": "array", "items": {"type": "string"}, "minItems": -1},
])
def test_a_negative_minimum_is_met_by_every_value(api: Api, fake_cluster: FakeCluster, a: dict[str, Any]) -> None:
    served(api, fake_cluster, a)
    status, body = api.json("POST", THINGS, thing("t", "" if a["type"] == "string" else []))
    assert status == 201, body


def test_a_required_field_listed_twice_is_required_once(api: Api, fake_cluster: FakeCluster) -> None:
    """JSON Schema wants ``required`` unique (jsonschema-rs refused the schema: a 500 on every create)."""
    crd = things_crd({"type": "string"})
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["required"] = ["a", "a"]
    assert api.json("POST", CRDS, crd)[0] == 201
    fake_cluster.settle()
    assert api.json("POST", THINGS, thing("t", "x"))[0] == 201
    status, body = api.json("POST", THINGS, {**thing("u", "x"), "spec": {}})
    # kube-openapi reports each entry of the list; the message shows the error once (an aggregate is a set)
    assert (status, body["message"]) == (422, 'Thing.example.com "u" is invalid: spec.a: Required value')
    assert body["details"]["causes"] == [{"reason": "FieldValueRequired", "message": "Required value",
                                          "field": "spec.a"}] * 2


def test_a_watch_started_before_the_storage_version_moved_still_sends_its_own_version(
        api: Api, fake_cluster: FakeCluster) -> None:
    """A v1 watch opened before the CRD's storage version moved to v2 sent v2 objects (it took stored bytes to
    be in its own version).  Such a watch now ends within about a second of the CRD's change, as upstream's
    does; what it sends until then is in v1."""
    crd = things_crd({"type": "string"}, versions=("v1", "v2"))
    assert api.json("POST", CRDS, crd)[0] == 201
    fake_cluster.settle()
    assert api.json("POST", THINGS, thing("old", "x"))[0] == 201
    _, listed = api.json("GET", THINGS)
    start = listed["metadata"]["resourceVersion"]
    got: list[list[dict[str, Any]]] = []
    watcher = threading.Thread(target=lambda: got.append(watch_events(
        fake_cluster.url, f"{THINGS}?watch=1&resourceVersion={start}&timeoutSeconds=20", stop_after=2)))
    started = time.monotonic()
    watcher.start()
    _, current = api.json("GET", CRDS + "/things.example.com")
    moved = copy.deepcopy(current)
    moved["spec"]["versions"][0]["storage"], moved["spec"]["versions"][1]["storage"] = False, True
    assert api.json("PUT", CRDS + "/things.example.com", moved)[0] == 200
    fake_cluster.settle()
    assert api.json("POST", "/apis/example.com/v2/namespaces/default/things", thing("new", "y", "v2"))[0] == 201
    status, body = api.json("PATCH", f"{THINGS}/old", '{"spec": {"a": "z"}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 200 and body["apiVersion"] == "example.com/v1", body
    watcher.join()
    sent = [(e["type"], e["object"]["metadata"]["name"], e["object"]["apiVersion"]) for e in got[0]]
    assert sent == [("ADDED", "new", "example.com/v1"), ("MODIFIED", "old", "example.com/v1")][:len(sent)]
    assert time.monotonic() - started < 10  # ended by the CRD's change, not by its 20 s timeout


ITEMS = "spec.versions.schema.openAPIV3Schema.properties.spec.properties.a.items"
DECODE = 'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: '


@pytest.mark.parametrize(("items", "detail"), [
    ({"type": "object", "properties": {"v": 1}},
     f"json: cannot unmarshal number into Go struct field JSONSchemaProps.{ITEMS} of type v1.JSONSchemaProps"),
    ({"type": "object", "required": [{"a": 1}]},
     f"json: cannot unmarshal object into Go struct field JSONSchemaProps.{ITEMS} of type string"),
    ({"type": "string", "maxLength": "5"},
     f"json: cannot unmarshal string into Go struct field JSONSchemaProps.{ITEMS} of type int64"),
    ({"type": "integer", "maxLength": 1.5},
     f"json: cannot unmarshal number 1.5 into Go struct field JSONSchemaProps.{ITEMS} of type int64"),
    ({"type": "string", "x-kubernetes-validations": "self.size() > 1"},
     f"json: cannot unmarshal string into Go struct field JSONSchemaProps.{ITEMS} of type v1.ValidationRules"),
    ({"type": "object", "properties": [1]}, "json: cannot unmarshal array into Go struct field "
                                           f"JSONSchemaProps.{ITEMS} of type map[string]v1.JSONSchemaProps"),
    ({"type": "object", "additionalProperties": 5}, "boolean or JSON schema expected"),
])
def test_a_schema_below_items_that_does_not_decode_is_a_400_never_a_500(api: Api, items: dict[str, Any],
                                                                        detail: str) -> None:
    """What is under ``items`` or ``additionalProperties`` is decoded by those types' own ``UnmarshalJSON``,
    which the OpenAPI document does not describe: Go's error, its field path stopping at the opaque node."""
    status, body = api.json("POST", CRDS, things_crd({"type": "array", "items": items}))
    assert (status, body["reason"], body["message"]) == (400, "BadRequest", DECODE + detail)
    status, _ = api.json("GET", CRDS + "/things.example.com")
    assert status == 404
