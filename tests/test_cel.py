"""CEL rules (``x-kubernetes-validations``) of a real CRD, over HTTP: failures at their field paths in
kube-apiserver's words, transition rules, ratcheting, cost limits, and the CRD-time compile and cost errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import Api

from fakekube import FakeCluster

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
PATH = "/apis/example.com/v1/namespaces/default/widgets"


def crd(spec_schema: dict[str, Any], plural: str = "widgets", kind: str = "Widget") -> dict[str, Any]:
    schema = {"type": "object", "properties": {"spec": spec_schema}}
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": plural, "singular": kind.lower(), "kind": kind},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": schema}}]}}


def widget(name: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name}, "spec": spec}


SPEC: dict[str, Any] = {
    "type": "object",
    "x-kubernetes-validations": [
        {"rule": "self.replicas <= self.maxReplicas"},
        {"rule": "self.replicas >= 0", "messageExpression": "'replicas is ' + string(self.replicas)"},
        {"rule": "!has(self.mode) || self.mode != 'off'", "fieldPath": ".mode", "reason": "FieldValueForbidden",
         "message": "mode may not be off"},
        {"rule": "self.mode == oldSelf.mode", "message": "mode is immutable"},
        {"rule": "!oldSelf.hasValue() || self.maxReplicas >= oldSelf.value().maxReplicas",
         "optionalOldSelf": True, "message": "maxReplicas may only grow"},
    ],
    "properties": {
        "replicas": {"type": "integer"},
        "maxReplicas": {"type": "integer"},
        "mode": {"type": "string", "maxLength": 10},
        "names": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 20},
                  "x-kubernetes-validations": [{"rule": "self.all(x, x.matches('^[a-z]+$'))"}]},
        "ports": {"type": "array", "maxItems": 10, "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "required": ["name"],
                            "properties": {"name": {"type": "string", "maxLength": 10},
                                           "port": {"type": "integer"}},
                            "x-kubernetes-validations": [{"rule": "self.port >= oldSelf.port",
                                                          "message": "port may not decrease"}]}},
        "legacy": {"type": "string", "maxLength": 20,
                   "x-kubernetes-validations": [{"rule": "self.startsWith('v2-')"}]},
    },
}


@pytest.fixture
def api(fake_cluster: FakeCluster) -> Api:
    api = Api(fake_cluster.url)
    status, body = api.json("POST", CRDS, crd(SPEC))
    assert status == 201, body
    return api


def causes(body: dict[str, Any]) -> list[dict[str, str]]:
    assert body["reason"] == "Invalid", body
    return list(body["details"]["causes"])


def test_a_failing_rule_is_a_422_at_its_node_showing_no_value_for_an_object_or_array(api: Api) -> None:
    status, body = api.json("POST", PATH, widget("w", replicas=5, maxReplicas=3, names=["ok", "Bad"]))
    assert status == 422
    assert causes(body) == [
        {"reason": "FieldValueInvalid", "message": 'Invalid value: failed rule: '
         "self.replicas <= self.maxReplicas", "field": "spec"},
        {"reason": "FieldValueInvalid", "message": "Invalid value: failed rule: "
         "self.all(x, x.matches('^[a-z]+$'))", "field": "spec.names"},
    ]
    assert body["message"] == ('Widget.example.com "w" is invalid: [spec: Invalid value: failed rule: '
                               'self.replicas <= self.maxReplicas, spec.names: Invalid value: failed rule: '
                               "self.all(x, x.matches('^[a-z]+$'))]")


def test_message_expression_field_path_and_reason(api: Api) -> None:
    status, body = api.json("POST", PATH, widget("w", replicas=-1, maxReplicas=3, mode="off"))
    assert status == 422
    assert causes(body) == [
        {"reason": "FieldValueInvalid", "message": 'Invalid value: replicas is -1', "field": "spec"},
        {"reason": "FieldValueForbidden", "message": "Forbidden: mode may not be off", "field": "spec.mode"},
    ]


def test_a_valid_object_is_stored_as_sent(api: Api) -> None:
    status, body = api.json("POST", PATH, widget("w", replicas=1, maxReplicas=3, names=["a", "b"], mode="on"))
    assert status == 201, body
    status, stored = api.json("GET", PATH + "/w")
    assert stored["spec"] == {"replicas": 1, "maxReplicas": 3, "names": ["a", "b"], "mode": "on"}


def test_transition_rules_run_on_update_only(api: Api) -> None:
    assert api.json("POST", PATH, widget("w", replicas=1, maxReplicas=3, mode="on",
                                         ports=[{"name": "http", "port": 80}]))[0] == 201
    _, current = api.json("GET", PATH + "/w")
    changed = copy.deepcopy(current)
    changed["spec"].update(mode="auto", maxReplicas=2, ports=[{"name": "http", "port": 79}, {"name": "x", "port": 1}])
    status, body = api.json("PUT", PATH + "/w", changed)
    assert status == 422
    assert causes(body) == [
        {"reason": "FieldValueInvalid", "message": 'Invalid value: mode is immutable', "field": "spec"},
        {"reason": "FieldValueInvalid", "message": 'Invalid value: maxReplicas may only grow',
         "field": "spec"},
        {"reason": "FieldValueInvalid", "message": 'Invalid value: port may not decrease',
         "field": "spec.ports[0]"},
    ]
    changed["spec"].update(mode="on", maxReplicas=4, ports=[{"name": "x", "port": 1}, {"name": "http", "port": 81}])
    status, body = api.json("PUT", PATH + "/w", changed)
    assert status == 200, body
    assert body["metadata"]["generation"] == 2


def test_an_unchanged_invalid_value_ratchets_and_a_changed_one_fails(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    loose = copy.deepcopy(SPEC)
    loose["properties"]["legacy"].pop("x-kubernetes-validations")
    assert api.json("POST", CRDS, crd(loose))[0] == 201
    assert api.json("POST", PATH, widget("w", replicas=1, maxReplicas=3, mode="on", legacy="v1-old"))[0] == 201
    status, stored_crd = api.json("GET", CRDS + "/widgets.example.com")
    stored_crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] = SPEC
    status, body = api.json("PUT", CRDS + "/widgets.example.com", stored_crd)
    assert status == 200, body["message"]
    _, current = api.json("GET", PATH + "/w")
    current["spec"]["replicas"] = 2
    status, body = api.json("PUT", PATH + "/w", current)
    assert status == 200, body["details"]
    current = body
    current["spec"]["legacy"] = "v1-new"
    status, body = api.json("PUT", PATH + "/w", current)
    assert status == 422
    assert causes(body) == [{"reason": "FieldValueInvalid", "message": "Invalid value: \"v1-new\": failed rule: "
                             "self.startsWith('v2-')", "field": "spec.legacy"}]


def test_rules_below_atomic_lists_and_maps_ratchet_as_their_nearest_correlated_ancestor(
        fake_cluster: FakeCluster) -> None:
    """Upstream correlates an atomic map's fields (only oldSelf is withheld there) and, below an atomic list's
    items, ratchets by the list itself.  Both used to fail an update that left them unchanged."""
    api = Api(fake_cluster.url)
    legacy = {"type": "string", "maxLength": 10}
    spec = {"type": "object", "properties": {
        "other": {"type": "string"},
        "l": {"type": "array", "maxItems": 5, "items": {"type": "object", "properties": {"x": legacy}}},
        "m": {"type": "object", "x-kubernetes-map-type": "atomic", "properties": {"x": legacy}}}}
    assert api.json("POST", CRDS, crd(spec))[0] == 201
    assert api.json("POST", PATH, widget("w", other="1", l=[{"x": "v1"}], m={"x": "v1"}))[0] == 201
    _, stored_crd = api.json("GET", CRDS + "/widgets.example.com")
    legacy["x-kubernetes-validations"] = [{"rule": "self.startsWith('v2-')"}]
    stored_crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] = spec
    assert api.json("PUT", CRDS + "/widgets.example.com", stored_crd)[0] == 200
    _, current = api.json("GET", PATH + "/w")
    current["spec"]["other"] = "2"
    status, body = api.json("PUT", PATH + "/w", current)
    assert status == 200, body
    body["spec"].update(l=[{"x": "v1"}, {"x": "v1-new"}], m={"x": "v1-new"})
    status, body = api.json("PUT", PATH + "/w", body)
    assert status == 422
    assert [c["field"] for c in causes(body)] == ["spec.l[0].x", "spec.l[1].x", "spec.m.x"]


def test_evaluation_errors_name_the_rule(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    spec = {"type": "object", "properties": {"a": {"type": "integer"}, "m": {
        "type": "object", "maxProperties": 5, "additionalProperties": {"type": "integer"}}},
        "x-kubernetes-validations": [{"rule": "self.m['x'] > 0"}, {"rule": "10 / self.a > 1"}]}
    assert api.json("POST", CRDS, crd(spec))[0] == 201
    status, body = api.json("POST", PATH, widget("w", a=0, m={"y": 1}))
    assert status == 422
    assert causes(body) == [
        {"reason": "FieldValueInvalid", "message": "Invalid value: \"object\": no such key: x evaluating rule: "
         "self.m['x'] > 0", "field": "spec"},
        {"reason": "FieldValueInvalid", "message": "Invalid value: \"object\": division by zero evaluating rule: "
         "10 / self.a > 1", "field": "spec"},
    ]


def test_runtime_cost_over_the_per_call_limit_stops_validation(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    spec = {"type": "object", "properties": {"xs": {
        "type": "array", "maxItems": 1000, "items": {"type": "integer"},
        "x-kubernetes-validations": [{"rule": "self.all(a, self.all(b, a + b >= 0))"}]}}}
    assert api.json("POST", CRDS, crd(spec))[0] == 201
    assert api.json("POST", PATH, widget("small", xs=list(range(100))))[0] == 201
    status, body = api.json("POST", PATH, widget("big", xs=list(range(1000))))
    assert status == 422
    assert causes(body) == [{"reason": "FieldValueInvalid", "message": (
        "Invalid value: \"array\": 'operation cancelled: actual cost limit exceeded': no further validation rules "
        "will be run due to call cost exceeds limit for rule: self.all(a, self.all(b, a + b >= 0))"),
        "field": "spec.xs"}]


def test_a_message_expression_out_of_budget_is_reported_at_its_rules_path(fake_cluster: FakeCluster) -> None:
    """Each list's messages fit the per-expression limit, both lists' do not fit the per-request budget: the
    messageExpression that runs out is reported at the node whose rule failed (``spec.b[0]``), as
    upstream's ``currentFldPath``; it used to come without a field (only the rule's ``fieldPath``)."""
    api = Api(fake_cluster.url)
    inner = {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 3},
             "x-kubernetes-validations": [{
                 "rule": "self.size() < 0",
                 "messageExpression": "self.map(x, self.map(y, self.map(z, x + y + z))).size() > 0 ? 'big' : ''"}]}
    outer = {"type": "array", "maxItems": 9, "items": inner}
    assert api.json("POST", CRDS, crd({"type": "object", "properties": {"a": outer, "b": outer}}))[0] == 201
    lists = [[f"{i:03d}" for i in range(50)] for _ in range(9)]
    status, body = api.json("POST", PATH, widget("w", a=lists, b=lists))
    assert status == 422
    assert causes(body)[-2:] == [
        {"reason": "FieldValueInvalid", "message": "Invalid value: big", "field": "spec.a[8]"},
        {"reason": "FieldValueInvalid", "message": 'Invalid value: "array": messageExpression evaluation failed due '
                                                   "to running out of cost budget, no further validation rules will "
                                                   "be run", "field": "spec.b[0]"}]


# --- CRD time -----------------------------------------------------------------------------------------


def crd_causes(api: Api, spec: dict[str, Any]) -> list[dict[str, str]]:
    status, body = api.json("POST", CRDS, crd(spec, "gadgets", "Gadget"))
    assert status == 422, body
    return causes(body)


ROOT = "spec.validation.openAPIV3Schema.properties[spec]"


def test_a_rule_that_does_not_compile_is_refused(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    spec = {"type": "object", "properties": {"a": {"type": "integer"}},
            "x-kubernetes-validations": [{"rule": "self.b == 1"}, {"rule": "nope(self.a)"},
                                         ]}
    found = crd_causes(api, spec)
    assert found == [
        {"reason": "FieldValueInvalid", "message": (
            'Invalid value: {"Rule":"self.b == 1","Message":"","MessageExpression":"",'
            '"Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
            "compilation failed: ERROR: <input>:1:5: undefined field 'b'\n | self.b == 1\n | ....^"),
         "field": f"{ROOT}.x-kubernetes-validations[0].rule"},
        {"reason": "FieldValueInvalid", "message": (
            'Invalid value: {"Rule":"nope(self.a)","Message":"","MessageExpression":"",'
            '"Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
            "compilation failed: ERROR: <input>:1:5: undeclared reference to 'nope' (in container '')\n"
            " | nope(self.a)\n | ....^"),
         "field": f"{ROOT}.x-kubernetes-validations[1].rule"},
    ]


@pytest.mark.parametrize("list_type", [None, "set", "atomic"])
def test_old_self_below_a_list_whose_items_cannot_be_paired_is_refused(fake_cluster: FakeCluster,
                                                                        list_type: str | None) -> None:
    tags: dict[str, Any] = {"type": "array", "maxItems": 5, "items": {
        "type": "string", "maxLength": 10, "x-kubernetes-validations": [{"rule": "self == oldSelf"}]}}
    if list_type:
        tags["x-kubernetes-list-type"] = list_type
    found = crd_causes(Api(fake_cluster.url), {"type": "object", "properties": {"tags": tags}})
    assert found == [{
        "reason": "FieldValueInvalid", "field": f"{ROOT}.properties[tags].items.x-kubernetes-validations[0].rule",
        "message": 'Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the '
                   f"schema within {ROOT}.properties[tags]"}]


def test_old_self_is_allowed_in_list_map_items_and_optional_old_self_needs_it(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    items = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "maxLength": 10}, "size": {"type": "integer"}},
        "x-kubernetes-validations": [{"rule": "self.size >= oldSelf.size", "message": "may only grow"}]}
    spec = {"type": "object", "properties": {"disks": {
        "type": "array", "maxItems": 5, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
        "items": items}}}
    status, body = api.json("POST", CRDS, crd(spec))
    assert status == 201, body
    spec["x-kubernetes-validations"] = [{"rule": "has(self.disks)", "optionalOldSelf": True}]
    assert crd_causes(api, spec) == [{
        "reason": "FieldValueInvalid", "field": f"{ROOT}.x-kubernetes-validations[0].optionalOldSelf",
        "message": "Invalid value: true: may not be set if oldSelf is not used in rule"}]


UNBOUNDED = {"type": "object", "properties": {"names": {
    "type": "array", "items": {"type": "string"},
    "x-kubernetes-validations": [{"rule": "self.all(x, x.matches('^[a-z]+$'))"}]}}}


def test_an_unbounded_list_rule_is_over_budget_and_bounds_make_it_fit(fake_cluster: FakeCluster) -> None:
    api = Api(fake_cluster.url)
    names = f"{ROOT}.properties[names].x-kubernetes-validations[0].rule"
    hint = ("(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and "
            "strings are declared)")
    assert crd_causes(api, UNBOUNDED) == [
        {"reason": "FieldValueForbidden", "message": f"Forbidden: estimated rule cost exceeds budget by factor of "
         f"more than 100x {hint}", "field": names},
        {"reason": "FieldValueForbidden", "message": "Forbidden: contributed to estimated rule & messageExpression "
         "cost total exceeding cost limit for entire OpenAPIv3 schema", "field": names},
        {"reason": "FieldValueForbidden", "message": "Forbidden: x-kubernetes-validations estimated rule cost total "
         f"for entire OpenAPIv3 schema exceeds budget by factor of more than 100x {hint}",
         "field": "spec.validation.openAPIV3Schema"},
    ]
    bounded = copy.deepcopy(UNBOUNDED)
    bounded["properties"]["names"].update(maxItems=100)
    bounded["properties"]["names"]["items"].update(maxLength=64)
    status, body = api.json("POST", CRDS, crd(bounded, "gadgets", "Gadget"))
    assert status == 201, body


# --- CEL semantics CRD authors rely on (cel-go's, as Kubernetes configures it) ------------------------

SEMANTICS_SPEC = {"type": "object", "properties": {
    "a": {"type": "integer"}, "b": {"type": "integer"},
    "s": {"type": "string", "maxLength": 64}, "opt": {"type": "string", "maxLength": 64},
    "m": {"type": "object", "maxProperties": 10, "additionalProperties": {"type": "integer"}},
    "xs": {"type": "array", "maxItems": 10, "items": {"type": "integer"}},
    "ratio": {"type": "number"}, "when": {"type": "string", "format": "date-time"},
    "timeout": {"type": "string", "format": "duration"}}}

# (rule, spec that satisfies it, spec that does not, what the failure says after 'Invalid value: ' (a failed rule
# shows no value for an object from v1.35) or 'Invalid value: "object": ' (an evaluation error))
SEMANTICS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    # int64 arithmetic
    ("self.a * self.b != 0", {"a": 2**40, "b": 2**20}, {"a": 2**62, "b": 4}, "integer overflow evaluating rule"),
    ("self.a + self.b != 0", {"a": 1, "b": 1}, {"a": 2**63 - 1, "b": 1}, "integer overflow evaluating rule"),
    ("self.a / self.b == -2 && self.a % self.b == -1", {"a": -7, "b": 3}, {"a": 7, "b": 3}, "failed rule"),
    ("self.a / self.b >= 0", {"a": 1, "b": 1}, {"a": 1, "b": 0}, "division by zero evaluating rule"),
    ("self.a % self.b >= 0", {"a": 1, "b": 1}, {"a": 1, "b": 0}, "modulus by zero evaluating rule"),
    ("self.a < 2.5 && 3u > self.a", {"a": 2}, {"a": 3}, "failed rule"),
    # errors absorbed by a deciding side of || and &&, kept otherwise
    ("self.m['x'] > 0 || self.a > 0", {"a": 1, "m": {}}, {"a": 0, "m": {}}, "no such key: x evaluating rule"),
    ("self.a > 0 || self.m['x'] > 0", {"a": 1, "m": {}}, {"a": 0, "m": {"x": 0}}, "failed rule"),
    ("self.m['x'] > 0 && self.a > 0", {"a": 1, "m": {"x": 1}}, {"a": 0, "m": {}}, "failed rule"),
    # presence, missing keys, bounds
    ("!has(self.opt) || self.opt.size() > 2", {"s": "x"}, {"opt": "ab"}, "failed rule"),
    ("self.opt == 'x'", {"opt": "x"}, {"s": "x"}, "no such key: opt evaluating rule"),
    ("'k' in self.m && !('j' in self.m)", {"m": {"k": 1}}, {"m": {"j": 1}}, "failed rule"),
    ("self.xs[2] > 0", {"xs": [0, 0, 1]}, {"xs": [1]}, "index out of bounds: 2 evaluating rule"),
    # macros
    ("self.xs.exists_one(x, x > 10)", {"xs": [1, 11]}, {"xs": [11, 12]}, "failed rule"),
    ("self.xs.map(x, x > 0, x * 2) == [2, 6]", {"xs": [1, -2, 3]}, {"xs": [1, 2, 3]}, "failed rule"),
    ("self.xs.filter(x, x % 2 == 0) == [4] && self.m.map(k, k) == ['k']", {"xs": [1, 4], "m": {"k": 1}},
     {"xs": [2, 4], "m": {"k": 1}}, "failed rule"),
    ("self.xs.all(x, 10 / x > 1)", {"xs": [1, 2]}, {"xs": [0, 20]}, "failed rule"),
    ("self.xs.exists(x, 10 / x == 5)", {"xs": [0, 2]}, {"xs": [0, 1]}, "division by zero evaluating rule"),
    # literals: escapes, raw strings, bytes; RE2's $ is the end of the text
    (r"self.s == 'a\tb\x21\u00e9\101'", {"s": "a\tb!\u00e9A"}, {"s": "a\\tb!\u00e9A"}, "failed rule"),
    (r"self.s == r'\d+' && size(b'\xff\303\277') == 3 && size('\303') == 1", {"s": "\\d+"}, {"s": "1"},
     "failed rule"),
    ("self.s.matches('^[0-9]+$')", {"s": "123"}, {"s": "123\n"}, "failed rule"),
    ("string(self.a) + '/' + string(double(self.a) / 2.0) == '3/1.5'", {"a": 3}, {"a": 4}, "failed rule"),
    # values typed by the schema: a number written 1 is a double, formatted strings are timestamps, durations
    ("self.ratio * 2.0 == 2.0", {"ratio": 1}, {"ratio": 1.5}, "failed rule"),
    ("self.when < timestamp('2030-01-01T00:00:00Z') && self.when.getFullYear() == 2024",
     {"when": "2024-05-01T10:00:00Z"}, {"when": "2031-01-01T00:00:00Z"}, "failed rule"),
    ("self.timeout >= duration('1m') && self.timeout.getSeconds() == 90", {"timeout": "1m30s"},
     {"timeout": "30s"}, "failed rule"),
]


@pytest.fixture
def semantics_api(fake_cluster: FakeCluster) -> Api:
    api = Api(fake_cluster.url)
    spec = dict(SEMANTICS_SPEC, **{"x-kubernetes-validations": [{"rule": rule} for rule, _, _, _ in SEMANTICS]})
    status, body = api.json("POST", CRDS, crd(spec))
    assert status == 201, body
    return api


def messages(api: Api, name: str, spec: dict[str, Any]) -> list[str]:
    status, body = api.json("POST", PATH, widget(name, **spec))
    if status == 201:
        return []
    return [cause["message"] for cause in causes(body)]


@pytest.mark.parametrize("index", range(len(SEMANTICS)), ids=[rule for rule, _, _, _ in SEMANTICS])
def test_cel_semantics(semantics_api: Api, index: int) -> None:
    """Rules that read fields a spec lacks fail with ``no such key`` too; only this rule's causes count."""
    rule, good, bad, failure = SEMANTICS[index]
    assert not [m for m in messages(semantics_api, "good", good) if m.endswith(f"rule: {rule}")]
    assert [m for m in messages(semantics_api, "bad", bad) if m.endswith(f"rule: {rule}")] == [
        f'Invalid value: {failure}: {rule}' if failure == "failed rule" else
        f'Invalid value: "object": {failure}: {rule}']


@pytest.mark.parametrize(("rule", "field", "detail"), [
    ({"rule": "self.a"}, "rule", "cel expression must evaluate to a bool"),
    ({"rule": "self.a + 1"}, "rule", "cel expression must evaluate to a bool"),
    ({"rule": "size(self.s)"}, "rule", "cel expression must evaluate to a bool"),
    ({"rule": "self.a > 1", "messageExpression": "self.a"}, "messageExpression",
     "messageExpression must evaluate to a string"),
])
def test_a_rule_that_is_not_a_bool_or_a_message_that_is_not_a_string_is_refused(
        fake_cluster: FakeCluster, rule: dict[str, str], field: str, detail: str) -> None:
    spec = {"type": "object", "properties": {"a": {"type": "integer"}, "s": {"type": "string", "maxLength": 5}},
            "x-kubernetes-validations": [rule]}
    shown = (f'{{"Rule":"{rule["rule"]}","Message":"",'
             f'"MessageExpression":"{rule.get("messageExpression", "")}",'
             '"Reason":null,"FieldPath":"","OptionalOldSelf":null}')
    shown = shown.replace(">", "\\u003e")  # encoding/json escapes HTML characters
    assert crd_causes(Api(fake_cluster.url), spec) == [{
        "reason": "FieldValueInvalid", "field": f"{ROOT}.x-kubernetes-validations[0].{field}",
        "message": f"Invalid value: {shown}: {detail}"}]


def test_rules_of_bool_type_and_of_types_only_the_checker_would_know_are_accepted(api: Api) -> None:
    spec = {"type": "object", "properties": {"b": {"type": "boolean"}, "m": {
        "type": "object", "maxProperties": 3, "additionalProperties": {"type": "string", "maxLength": 3}}},
        "x-kubernetes-validations": [{"rule": "self.b"}, {"rule": "!has(self.m) || self.m.all(k, k.size() < 3)"},
                                     {"rule": "has(self.b) ? self.b : true",
                                      "messageExpression": "'b is ' + string(self.b)"}]}
    status, body = api.json("POST", CRDS, crd(spec, "gadgets", "Gadget"))
    assert status == 201, body


@pytest.mark.parametrize(("version", "spec_shown", "replicas_shown"), [
    ("v1.34", 'Invalid value: "object": ', 'Invalid value: "integer": '),
    ("v1.35", "Invalid value: ", "Invalid value: 7: "),
    ("v1.36", "Invalid value: ", "Invalid value: 7: "),
    ("v1.37", "Invalid value: ", "Invalid value: 7: "),
])
def test_a_failed_rule_shows_the_schema_type_up_to_v1_34_and_the_value_from_v1_35(
        fake_cluster_factory: Any, version: str, spec_shown: str, replicas_shown: str) -> None:
    """kube-apiserver 1.35 stopped showing the type: a scalar shows itself, an object or array nothing."""
    cluster = fake_cluster_factory(version=version)
    api = Api(cluster.url)
    spec = {"type": "object", "x-kubernetes-validations": [{"rule": "self.replicas < 5", "message": "too many"}],
            "properties": {"replicas": {"type": "integer", "x-kubernetes-validations": [{"rule": "self < 5"}]}}}
    assert api.json("POST", CRDS, crd(spec))[0] == 201
    status, body = api.json("POST", PATH, widget("w", replicas=7))
    assert status == 422
    assert [c["message"] for c in causes(body)] == [f"{spec_shown}too many",
                                                   f"{replicas_shown}failed rule: self < 5"]
