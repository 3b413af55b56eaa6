"""A custom resource's subresources, table and patch types, as apiextensions-apiserver serves them: ``/status``
(the custom resource status strategy), ``/scale`` from the CRD's replica and selector paths, the
``additionalPrinterColumns`` table (kubectl's JSONPath, first value, upstream's cell types), the patch types a
custom resource accepts (no strategic merge), server-side apply with the schema's list types, and
``selectableFields`` as field selectors; over HTTP and with kubectl."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Api, Kubectl, run_kubectl
from crd_helpers import CRDS, crd, version, widget

from fakekube import FakeCluster
from fakekube.kinds.columns import NAME_DESCRIPTION

WIDGETS = "/apis/example.com/v1/namespaces/default/widgets"
GADGETS = "/apis/example.com/v1/namespaces/default/gadgets"
TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
MERGE = {"Content-Type": "application/merge-patch+json"}
APPLY = {"Content-Type": "application/apply-patch+yaml"}
NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z, the clock of every cluster here

WIDGET_SCHEMA: dict[str, Any] = {"type": "object", "properties": {
    "spec": {"type": "object", "properties": {
        "replicas": {"x-kubernetes-int-or-string": True, "maximum": 10},
        "color": {"type": "string"},
        "weight": {"type": "number"},
        "enabled": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "required": ["name"], "properties": {
                      "name": {"type": "string"}, "port": {"type": "integer"}}}},
        "hosts": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
        "args": {"type": "array", "items": {"type": "string"}}}},
    "status": {"type": "object", "properties": {
        "replicas": {"type": "integer"},
        "selector": {"type": "string"},
        "startedAt": {"type": "string"},
        "conditions": {"type": "array", "items": {"type": "object", "properties": {
            "type": {"type": "string"}, "status": {"type": "string"}}}}}}}}
COLUMNS = [
    {"name": "Color", "type": "string", "jsonPath": ".spec.color", "description": "the widget's colour"},
    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
    {"name": "Ready", "type": "string", "jsonPath": '.status.conditions[?(@.type=="Ready")].status'},
    {"name": "Weight", "type": "number", "jsonPath": ".spec.weight"},
    {"name": "Enabled", "type": "boolean", "jsonPath": ".spec.enabled"},
    {"name": "Tags", "type": "string", "jsonPath": ".spec.tags", "priority": 1},
    {"name": "Started", "type": "date", "jsonPath": ".status.startedAt", "priority": 1, "format": "date-time"},
]


WIDGET_CRD = crd("widgets", "Widget", version(
    schema=WIDGET_SCHEMA,
    subresources={"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                          "statusReplicasPath": ".status.replicas",
                                          "labelSelectorPath": ".status.selector"}},
    additionalPrinterColumns=COLUMNS,
    selectableFields=[{"jsonPath": ".spec.color"}]))
# No subresources and no columns: status is an ordinary field, the table is Name and Age.
GADGET_CRD = crd("gadgets", "Gadget", version(schema={"type": "object", "properties": {
    "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}))


@pytest.fixture
def now() -> list[float]:
    return [NOW]


@pytest.fixture
def cluster(fake_cluster_factory: Callable[..., FakeCluster], now: list[float]) -> FakeCluster:
    cluster = fake_cluster_factory(clock=lambda: now[0])
    cluster.apply([WIDGET_CRD, GADGET_CRD])
    cluster.settle()
    return cluster


@pytest.fixture
def api(cluster: FakeCluster) -> Api:
    return Api(cluster.url)


@pytest.fixture
def kubectl(cluster: FakeCluster) -> Kubectl:
    return lambda *args, input=None: run_kubectl(cluster.kubeconfig_path, *args, input=input)


def gadget(name: str, spec: dict[str, Any], status: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": name},
                            "spec": spec}
    if status is not None:
        body["status"] = status
    return body


def created(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    status, obj = api.json("POST", path, body)
    assert status == 201, obj
    return obj


def managers(obj: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(m["manager"], m["operation"], m.get("subresource", ""), m["fieldsV1"])
            for m in obj["metadata"]["managedFields"]]


def owned_by(obj: dict[str, Any], manager: str) -> tuple[str, str, dict[str, Any]]:
    (entry,) = [(op, sub, fields) for name, op, sub, fields in managers(obj) if name == manager]
    return entry


# --- /status ----------------------------------------------------------------------------------------------


def test_the_main_endpoint_keeps_the_stored_status_and_status_changes_only_the_status(api: Api) -> None:
    obj = created(api, WIDGETS, {**widget("w", replicas=2), "status": {"replicas": 9}})
    assert "status" not in obj  # a create drops the status
    status, put = api.json("PUT", WIDGETS + "/w/status?fieldManager=ctl", {
        **widget("w", replicas=7, color="red"), "metadata": {"name": "w", "labels": {"from": "status"}},
        "status": {"replicas": 1}})
    assert status == 200, put
    # the stored object with the new status: spec and labels sent to /status are ignored, generation stays
    assert (put["spec"], put["status"], put["metadata"].get("labels")) == ({"replicas": 2}, {"replicas": 1}, None)
    assert put["metadata"]["generation"] == 1
    assert owned_by(put, "ctl") == ("Update", "status", {"f:status": {".": {}, "f:replicas": {}}})

    status, main = api.json("PUT", WIDGETS + "/w", {**widget("w", replicas=3), "status": {"replicas": 5},
                                                    "metadata": {"name": "w", "labels": {"a": "b"}}})
    assert status == 200, main
    assert (main["spec"], main["status"], main["metadata"]["labels"]) == ({"replicas": 3}, {"replicas": 1},
                                                                          {"a": "b"})
    assert main["metadata"]["generation"] == 2
    status, same = api.json("PATCH", WIDGETS + "/w", '{"status":{"replicas":6},"metadata":{"labels":{"c":"d"}}}',
                            headers=MERGE)
    assert (status, same["status"], same["metadata"]["generation"]) == (200, {"replicas": 1}, 2)


def test_an_apply_to_status_owns_only_the_status(api: Api) -> None:
    created(api, WIDGETS, widget("w", replicas=1))
    config = {**widget("w", replicas=4), "metadata": {"name": "w", "labels": {"l": "1"}},
              "status": {"replicas": 3}}
    status, obj = api.json("PATCH", WIDGETS + "/w/status?fieldManager=op", json.dumps(config), headers=APPLY)
    assert status == 200, obj
    assert (obj["spec"], obj["status"], obj["metadata"].get("labels")) == ({"replicas": 1}, {"replicas": 3}, None)
    assert owned_by(obj, "op") == ("Apply", "status", {"f:status": {"f:replicas": {}}})


def test_without_a_status_subresource_status_is_written_through_the_main_endpoint_and_counts(api: Api) -> None:
    obj = created(api, GADGETS, gadget("g", {"a": 1}, {"phase": "new"}))
    assert (obj["status"], obj["metadata"]["generation"]) == ({"phase": "new"}, 1)
    status, body = api.json("PATCH", GADGETS + "/g", '{"status":{"phase":"done"}}', headers=MERGE)
    assert (status, body["status"], body["metadata"]["generation"]) == (200, {"phase": "done"}, 2)
    status, body = api.json("PATCH", GADGETS + "/g", '{"spec":{"a":2},"status":{"phase":"again"}}', headers=MERGE)
    assert (status, body["metadata"]["generation"]) == (200, 3)  # one write, one bump
    status, body = api.json("PATCH", GADGETS + "/g", '{"metadata":{"labels":{"x":"y"}}}', headers=MERGE)
    assert (status, body["metadata"]["generation"]) == (200, 3)  # metadata never counts
    status, body = api.json("GET", GADGETS + "/g/status")
    assert (status, body["reason"]) == (404, "NotFound")


# --- /scale -----------------------------------------------------------------------------------------------


def test_scale_reads_and_writes_the_crd_paths(api: Api) -> None:
    obj = created(api, WIDGETS, widget("w", replicas=2, color="red"))
    api.json("PUT", WIDGETS + "/w/status", {**widget("w"), "status": {"replicas": 1, "selector": "app=w"}})
    status, scale = api.json("GET", WIDGETS + "/w/scale")
    assert status == 200
    meta = obj["metadata"]
    revision = str(int(meta["resourceVersion"]) + 1)  # the /status write's
    assert scale == {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {
        "name": "w", "namespace": "default", "uid": meta["uid"], "resourceVersion": revision,
        "creationTimestamp": "2027-01-15T08:00:00Z"}, "spec": {"replicas": 2},
        "status": {"replicas": 1, "selector": "app=w"}}
    status, answer = api.json("PUT", WIDGETS + "/w/scale?fieldManager=hpa", {
        "apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "w"}, "spec": {"replicas": 5}})
    assert status == 200, answer
    assert (answer["kind"], answer["spec"], answer["status"]) == ("Scale", {"replicas": 5},
                                                                  {"replicas": 1, "selector": "app=w"})
    status, stored = api.json("GET", WIDGETS + "/w")
    assert (stored["spec"], stored["metadata"]["generation"]) == ({"replicas": 5, "color": "red"}, 2)
    assert managers(stored) == [("hpa", "Update", "scale", {"f:spec": {"f:replicas": {}}}),
                                ("unknown", "Update", "", {"f:spec": {".": {}, "f:color": {}}}),
                                ("unknown", "Update", "status", {"f:status": {".": {}, "f:replicas": {},
                                                                              "f:selector": {}}})]
    status, answer = api.json("PATCH", WIDGETS + "/w/scale", '{"spec":{"replicas":0}}', headers=MERGE)
    assert (status, answer["spec"]) == (200, {})  # autoscaling/v1 omits zero spec replicas
    assert api.json("GET", WIDGETS + "/w")[1]["spec"]["replicas"] == 0


def test_scale_of_a_resource_without_replicas(api: Api) -> None:
    created(api, WIDGETS, widget("w", color="red"))
    status, body = api.json("GET", WIDGETS + "/w/scale")
    assert (status, body["reason"], body["message"]) == (
        500, "InternalError", 'Internal error occurred: the spec replicas field ".spec.replicas" does not exist')
    assert body["details"] == {"causes": [{"message": 'the spec replicas field ".spec.replicas" does not exist'}]}
    status, body = api.json("PATCH", WIDGETS + "/w/scale", '{"metadata":{"labels":{"a":"b"}}}', headers=MERGE)
    assert (status, body["reason"], body["message"]) == (
        400, "BadRequest", 'the spec replicas field ".spec.replicas" cannot be empty')
    status, body = api.json("PATCH", WIDGETS + "/w/scale", '{"spec":{"replicas":3}}', headers=MERGE)
    assert (status, body["spec"], body["status"]) == (200, {"replicas": 3}, {"replicas": 0})
    assert api.json("GET", WIDGETS + "/w")[1]["spec"] == {"color": "red", "replicas": 3}


def test_replicas_are_checked_on_every_write_at_the_crd_path(api: Api) -> None:
    status, body = api.json("POST", WIDGETS, widget("w", replicas=-1))
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: .spec.replicas: Invalid value: -1: should be a non-negative integer')
    assert body["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": ".spec.replicas",
                                          "message": "Invalid value: -1: should be a non-negative integer"}]
    status, body = api.json("POST", WIDGETS, widget("w", replicas="three"))
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: .spec.replicas: Invalid value: 0: .spec.replicas accessor error: '
             'three is of the type string, expected int64')
    status, body = api.json("POST", WIDGETS, widget("w", replicas=2**31))
    assert (status, [cause["message"] for cause in body["details"]["causes"]]) == (422, [
        "Invalid value: 2147483648: spec.replicas in body should be less than or equal to 10",
        "Invalid value: 2147483648: should be less than or equal to 2147483647"])
    created(api, WIDGETS, widget("w", replicas=1))
    status, body = api.json("PUT", WIDGETS + "/w/status", {**widget("w"), "status": {"replicas": -2}})
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: .status.replicas: Invalid value: -2: should be a non-negative '
             'integer')
    status, body = api.json("PUT", WIDGETS + "/w/scale", {"apiVersion": "autoscaling/v1", "kind": "Scale",
                                                          "metadata": {"name": "w"}, "spec": {"replicas": -3}})
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: .spec.replicas: Invalid value: -3: should be a non-negative integer')
    # the schema checks what a Scale sets too
    status, body = api.json("PATCH", WIDGETS + "/w/scale", '{"spec":{"replicas":20}}', headers=MERGE)
    assert (status, body["message"]) == (
        422, 'Widget.example.com "w" is invalid: spec.replicas: Invalid value: 20: spec.replicas in body should be '
             'less than or equal to 10')
    assert api.json("GET", WIDGETS + "/w")[1]["spec"] == {"replicas": 1}


def test_scale_errors_follow_the_schema_errors_and_come_with_blocking_ones_when_there_are_no_rules(
        api: Api) -> None:
    """Upstream checks the scale paths with the schema (before the set and map lists) and says CEL rules were
    not checked only when the version has rules.  The scale checks used to run with the CEL rules: after the
    list errors, dropped when a blocking error came first, replaced by "some validation rules were not
    checked" although Widget has no rules."""
    status, body = api.json("POST", WIDGETS, widget("w", replicas=-1, ports=[{"port": 80}]))
    assert (status, [(c["field"], c["message"]) for c in body["details"]["causes"]]) == (422, [
        ("spec.ports[0].name", "Required value"),
        (".spec.replicas", "Invalid value: -1: should be a non-negative integer")])
    status, body = api.json("POST", WIDGETS, widget("w", replicas=-1, hosts=["a", "a"]))
    assert (status, [(c["field"], c["message"]) for c in body["details"]["causes"]]) == (422, [
        (".spec.replicas", "Invalid value: -1: should be a non-negative integer"),
        ("spec.hosts[1]", 'Duplicate value: "a"')])


def test_a_value_of_another_type_at_a_scale_path_is_an_accessor_error(cluster: FakeCluster, api: Api) -> None:
    # a resource stored before its CRD declared /scale: its replicas are a string
    created(api, GADGETS, gadget("g", {"replicas": "three"}, {"count": {"n": 1}}))
    gadgets = json.loads(json.dumps(GADGET_CRD))
    version = gadgets["spec"]["versions"][0]
    version["subresources"] = {"scale": {"specReplicasPath": ".spec.replicas",
                                         "statusReplicasPath": ".status.count.n"}}
    status, current = api.json("GET", CRDS + "/gadgets.example.com")
    gadgets["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
    assert api.json("PUT", CRDS + "/gadgets.example.com", gadgets)[0] == 200
    cluster.settle()
    status, body = api.json("GET", GADGETS + "/g/scale")
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": ".spec.replicas accessor error: three is of the type string, expected int64",
                    "code": 500}
    status, body = api.json("PATCH", GADGETS + "/g", '{"spec":{"replicas":4}}', headers=MERGE)
    assert (status, body["spec"]) == (200, {"replicas": 4})
    assert api.json("GET", GADGETS + "/g/scale")[1]["status"] == {"replicas": 1}


def test_kubectl_scale_a_custom_resource(api: Api, kubectl: Kubectl) -> None:
    created(api, WIDGETS, widget("w", replicas=1))
    result = kubectl("scale", "widget/w", "--replicas=5")
    assert (result.returncode, result.stdout, result.stderr) == (0, "widget.example.com/w scaled\n", "")
    assert api.json("GET", WIDGETS + "/w")[1]["spec"] == {"replicas": 5}
    result = kubectl("scale", "widget/w", "--replicas=2", "--current-replicas=5")
    assert (result.returncode, result.stdout) == (0, "widget.example.com/w scaled\n")
    result = kubectl("scale", "widget/w", "--replicas=9", "--current-replicas=5")
    assert result.returncode == 1
    assert result.stderr == "error: Expected replicas to be 5, was 2\n"


# --- the table ---------------------------------------------------------------------------------------------


def _ready_widget(api: Api, name: str, ready: str, **spec: Any) -> None:
    created(api, WIDGETS, widget(name, **spec))
    status, body = api.json("PUT", WIDGETS + f"/{name}/status", {**widget(name), "status": {
        "startedAt": "2027-01-15T05:00:00Z", "conditions": [{"type": "Synced", "status": "True"},
                                                           {"type": "Ready", "status": ready}]}})
    assert status == 200, body


def test_the_table_shows_the_crd_columns_with_upstream_cell_types(api: Api, now: list[float]) -> None:
    _ready_widget(api, "a", "False", color="red", replicas=2, weight=1.5, enabled=True, tags=["x", "y"])
    created(api, WIDGETS, widget("b", weight=3))
    now[0] += 60
    status, _, data = api.request("GET", WIDGETS, headers=TABLE)
    table = json.loads(data)
    assert status == 200
    assert table["columnDefinitions"] == [
        {"name": "Name", "type": "string", "format": "name", "description": NAME_DESCRIPTION, "priority": 0},
        {"name": "Color", "type": "string", "format": "", "description": "the widget's colour", "priority": 0},
        {"name": "Replicas", "type": "integer", "format": "", "priority": 0,
         "description": "Custom resource definition column (in JSONPath format): .spec.replicas"},
        {"name": "Ready", "type": "string", "format": "", "priority": 0, "description":
         'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status'},
        {"name": "Weight", "type": "number", "format": "", "priority": 0,
         "description": "Custom resource definition column (in JSONPath format): .spec.weight"},
        {"name": "Enabled", "type": "boolean", "format": "", "priority": 0,
         "description": "Custom resource definition column (in JSONPath format): .spec.enabled"},
        {"name": "Tags", "type": "string", "format": "", "priority": 1,
         "description": "Custom resource definition column (in JSONPath format): .spec.tags"},
        {"name": "Started", "type": "date", "format": "date-time", "priority": 1,
         "description": "Custom resource definition column (in JSONPath format): .status.startedAt"}]
    # no Age column: the CRD declares its columns; a number is sent as Go writes a float64 (3, not 3.0)
    assert [row["cells"] for row in table["rows"]] == [
        ["a", "red", 2, "False", 1.5, True, '["x","y"]', "3h1m"],
        ["b", None, None, None, 3, None, None, None]]
    assert b'"cells":["b",null,null,null,3,null,null,null]' in data


def test_kubectl_get_prints_the_columns_and_wide_adds_the_priority_ones(api: Api, kubectl: Kubectl) -> None:
    _ready_widget(api, "a", "True", color="red", replicas=2, weight=1.5, enabled=True, tags=["x", "y"])
    created(api, WIDGETS, widget("b", color="blue"))
    result = kubectl("get", "widgets")
    assert (result.returncode, result.stderr) == (0, "")
    # kubectl prints an empty (null) cell as nothing, padded like the others
    assert result.stdout == (
        "NAME   COLOR   REPLICAS   READY   WEIGHT   ENABLED\n"
        "a      red     2          True    1.5      true\n"
        "b      blue                                \n")
    result = kubectl("get", "widgets", "-o", "wide")
    assert result.stdout == (
        "NAME   COLOR   REPLICAS   READY   WEIGHT   ENABLED   TAGS        STARTED\n"
        "a      red     2          True    1.5      true      [\"x\",\"y\"]   3h\n"
        "b      blue                                                      \n")


def test_column_paths_are_kubectl_jsonpath_and_an_unparsable_one_ends_the_columns(cluster: FakeCluster,
                                                                                  api: Api) -> None:
    things = crd("things", "Thing", version(
        schema={"type": "object", "properties": {
            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
        additionalPrinterColumns=[
            {"name": "First", "type": "integer", "jsonPath": ".spec.ports[0].port"},
            {"name": "Last", "type": "string", "jsonPath": ".spec.ports[-1].name"},
            {"name": "Notes", "type": "string", "jsonPath": ".metadata.annotations"},
            {"name": "Quoted", "type": "string", "jsonPath": ".spec['odd.key']"},
            {"name": "Any", "type": "number", "jsonPath": ".spec.ports[*].port"},
            {"name": "Deep", "type": "boolean", "jsonPath": "..enabled"},
            {"name": "Float", "type": "string", "jsonPath": ".spec.ratio"},
            {"name": "Time", "type": "date", "jsonPath": ".spec.when"},
            {"name": "Dashed", "type": "string", "jsonPath": ".spec.a-b"},
            {"name": "After", "type": "string", "jsonPath": ".spec.after"}]))
    cluster.apply([things])
    cluster.settle()
    created(api, "/apis/example.com/v1/namespaces/default/things", {
        "apiVersion": "example.com/v1", "kind": "Thing",
        "metadata": {"name": "t", "annotations": {"b": "2", "a": "<1>"}},
        "spec": {"ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}], "odd.key": 7,
                 "ratio": 1e21, "when": "yesterday", "nested": {"enabled": False}, "after": "x"}})
    status, table = api.json("GET", "/apis/example.com/v1/namespaces/default/things", headers=TABLE)
    assert status == 200
    # ".spec.a-b" does not parse as kubectl's JSONPath: it and the columns after it are left out
    assert [c["name"] for c in table["columnDefinitions"]] == [
        "Name", "First", "Last", "Notes", "Quoted", "Any", "Deep", "Float", "Time"]
    assert table["rows"][0]["cells"] == ["t", 80, "https", '{"a":"\\u003c1\\u003e","b":"2"}', "7", 80, False,
                                         "1e+21", "<invalid>"]


def test_without_declared_columns_the_table_is_name_and_age(api: Api, kubectl: Kubectl, now: list[float]) -> None:
    created(api, GADGETS, gadget("g", {}))
    now[0] += 125
    status, table = api.json("GET", GADGETS, headers=TABLE)
    assert status == 200
    assert [(c["name"], c["type"]) for c in table["columnDefinitions"]] == [("Name", "string"), ("Age", "date")]
    assert table["columnDefinitions"][1]["description"] == ""  # upstream's API documentation is not shipped
    assert table["rows"][0]["cells"] == ["g", "2m5s"]
    assert kubectl("get", "gadgets").stdout == "NAME   AGE\ng      2m5s\n"


# --- patch types and server-side apply --------------------------------------------------------------------


def test_strategic_merge_patch_is_refused_and_merge_and_json_patches_work(api: Api, kubectl: Kubectl) -> None:
    created(api, WIDGETS, widget("w", color="red", args=["a"]))
    message = ("the body of the request was in an unknown format - accepted media types include: "
               "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
    status, body = api.json("PATCH", WIDGETS + "/w", '{"spec":{"color":"blue"}}',
                            headers={"Content-Type": "application/strategic-merge-patch+json"})
    assert (status, body["reason"], body["message"]) == (415, "UnsupportedMediaType", message)
    result = kubectl("patch", "widget", "w", "--type=strategic", "-p", '{"spec":{"color":"blue"}}')
    # kubectl names the patch type it sent in front of the server's message
    assert (result.returncode, result.stderr) == (1, "error: application/strategic-merge-patch+json is not supported "
                                                     f"by example.com/v1, Kind=Widget: {message}\n")
    result = kubectl("patch", "widget", "w", "--type=merge", "-p", '{"spec":{"color":"blue"}}')
    assert (result.returncode, result.stdout) == (0, "widget.example.com/w patched\n")
    result = kubectl("patch", "widget", "w", "--type=json", "-p", '[{"op":"add","path":"/spec/args/-","value":"b"}]')
    assert (result.returncode, result.stdout) == (0, "widget.example.com/w patched\n")
    assert api.json("GET", WIDGETS + "/w")[1]["spec"] == {"color": "blue", "args": ["a", "b"]}


def _apply(api: Api, manager: str, spec: dict[str, Any], force: bool = False) -> tuple[int, dict[str, Any]]:
    query = f"?fieldManager={manager}" + ("&force=true" if force else "")
    return api.json("PATCH", WIDGETS + "/w" + query, json.dumps(widget("w", **spec)), headers=APPLY)


def test_apply_merges_list_maps_by_key_and_sets_by_value_and_replaces_atomic_lists(api: Api) -> None:
    status, obj = _apply(api, "a", {"ports": [{"name": "http", "port": 80}], "hosts": ["x"], "args": ["1"]})
    assert status == 201, obj
    status, obj = _apply(api, "b", {"ports": [{"name": "https", "port": 443}], "hosts": ["y"]})
    assert status == 200, obj
    assert obj["spec"] == {"ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}],
                           "hosts": ["x", "y"], "args": ["1"]}
    assert managers(obj) == [
        ("a", "Apply", "", {"f:spec": {"f:args": {}, "f:hosts": {"v:\"x\"": {}}, "f:ports": {
            'k:{"name":"http"}': {".": {}, "f:name": {}, "f:port": {}}}}}),
        ("b", "Apply", "", {"f:spec": {"f:hosts": {"v:\"y\"": {}}, "f:ports": {
            'k:{"name":"https"}': {".": {}, "f:name": {}, "f:port": {}}}}})]
    status, body = _apply(api, "b", {"ports": [{"name": "http", "port": 8080}], "args": ["2"]})
    assert (status, body["reason"]) == (409, "Conflict")
    assert body["message"] == ('Apply failed with 2 conflicts: conflicts with "a":\n- .spec.args\n'
                               '- .spec.ports[name="http"].port')
    status, obj = _apply(api, "b", {"ports": [{"name": "http", "port": 8080}], "args": ["2"]}, force=True)
    assert status == 200, obj
    # b stopped applying https and y: removed, as nobody else owns them; a keeps what it still owns
    assert obj["spec"] == {"ports": [{"name": "http", "port": 8080}], "hosts": ["x"], "args": ["2"]}


def test_kubectl_apply_server_side_of_a_custom_resource(api: Api, kubectl: Kubectl) -> None:
    manifest = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\n"
                "spec:\n  color: red\n  ports:\n  - name: http\n    port: 80\n")
    result = kubectl("apply", "--server-side", "-f", "-", input=manifest)
    assert (result.returncode, result.stdout, result.stderr) == (0, "widget.example.com/w serverside-applied\n", "")
    result = kubectl("apply", "--server-side", "--field-manager=other", "-f", "-",
                     input=manifest.replace("port: 80", "port: 81"))
    assert result.returncode == 1
    assert result.stderr.startswith(
        'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.ports[name="http"].port\n')
    assert api.json("GET", WIDGETS + "/w")[1]["spec"] == {"color": "red", "ports": [{"name": "http", "port": 80}]}


# --- selectable fields -------------------------------------------------------------------------------------


def test_kubectl_selects_by_a_selectable_field_and_refuses_others(api: Api, kubectl: Kubectl) -> None:
    created(api, WIDGETS, widget("r", color="red"))
    created(api, WIDGETS, widget("b", color="blue"))
    result = kubectl("get", "widgets", "--field-selector", "spec.color=red", "-o", "name")
    assert (result.returncode, result.stdout) == (0, "widget.example.com/r\n")
    result = kubectl("get", "widgets", "--field-selector", "metadata.name=b", "-o", "name")
    assert result.stdout == "widget.example.com/b\n"
    result = kubectl("get", "widgets", "--field-selector", "spec.replicas=1")
    assert (result.returncode, result.stderr) == (
        1, "Error from server (BadRequest): Unable to find \"example.com/v1, Resource=widgets\" that match label "
           "selector \"\", field selector \"spec.replicas=1\": field label not supported: spec.replicas\n")
    status, body = api.json("GET", WIDGETS + "?fieldSelector=spec.replicas%3D1")
    assert (status, body["reason"], body["message"]) == (400, "BadRequest", "field label not supported: spec.replicas")
