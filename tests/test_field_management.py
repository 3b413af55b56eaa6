"""Field management over HTTP, table-driven: each case is a sequence of requests to a real fakekube server
and the exact object fields and ``metadata.managedFields`` that follow (times checked for their form, then
left out).  Each expected value is derived from kube-apiserver's behaviour; the comment of each case names
the upstream source that shows it (structured-merge-diff's ``merge`` tests, kube's ``test/integration/
apiserver/apply`` tests, apimachinery's ``managedfields/internal``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


@dataclass
class Step:
    method: str
    path: str
    body: Any
    content_type: str = APPLY
    query: str = ""
    status: int | None = None  # None: 200, or 201 where the write created the object


@dataclass
class Case:
    steps: list[Step]
    path: str  # the object read at the end
    expect: dict[str, Any]  # top-level fields of the final object, exactly
    managed: list[dict[str, Any]]  # its managedFields, without times
    untimed: list[str] = field(default_factory=list)  # managers whose entry has no time


def cm(data: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", **meta}}
    if data is not None:
        out["data"] = data
    return out


def apply(path: str, body: Any, manager: str, *, force: bool = False, status: int | None = None) -> Step:
    return Step("PATCH", path, body, APPLY, f"fieldManager={manager}" + ("&force=true" if force else ""), status)


def entry(manager: str, operation: str, fields: dict[str, Any], api_version: str = "v1",
          subresource: str = "") -> dict[str, Any]:
    out = {"manager": manager, "operation": operation, "apiVersion": api_version, "fieldsType": "FieldsV1",
           "fieldsV1": fields}
    if subresource:
        out["subresource"] = subresource
    return out


def deployment(replicas: int | None = None, containers: list[dict[str, Any]] | None = None,
               selector: dict[str, str] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"selector": {"matchLabels": selector or {"app": "w"}},
                            "template": {"metadata": {"labels": {"app": "w"}},
                                         "spec": {"containers": containers or [{"name": "a", "image": "i:1"}]}}}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec}


C = f"{CMS}/c"
D = f"{DEPLOYMENTS}/d"
CONTAINERS = ("f:spec", "f:template", "f:spec", "f:containers")


def nest(path: tuple[str, ...], leaf: dict[str, Any]) -> dict[str, Any]:
    out = leaf
    for element in reversed(path):
        out = {element: out}
    return out


def dep_fields(containers: dict[str, Any], *, replicas: bool = False, selector: bool = True) -> dict[str, Any]:
    """An applier's set for ``deployment()``: selector, template labels, the containers given."""
    spec: dict[str, Any] = {}
    if replicas:
        spec["f:replicas"] = {}
    if selector:
        spec["f:selector"] = {}
    spec["f:template"] = {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:containers": containers}}
    return {"f:spec": spec}


def item(name: str, *fields: str) -> tuple[str, dict[str, Any]]:
    return f'k:{{"name":"{name}"}}', {".": {}, **{f"f:{f}": {} for f in sorted(fields)}}


CASES = {
    # Two appliers own different items of an associative list (containers, keyed by name); the merge keeps the
    # live item first and adds the new one after it.  structured-merge-diff merge/multiple_appliers_test.go
    # (TestMultipleAppliersNestedType) and typed/merge.go's visitListItems ordering.
    "associative list items by key": Case(
        [apply(D, deployment(containers=[{"name": "a", "image": "i:1"}]), "alice"),
         apply(D, deployment(containers=[{"name": "b", "image": "j:1"}]), "bob")],
        D, {"spec.template.spec.containers": [("a", "i:1"), ("b", "j:1")]},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")])), "apps/v1"),
         entry("bob", "Apply", dep_fields(dict([item("b", "image", "name")])), "apps/v1")]),
    # Set items (finalizers are x-kubernetes-list-type: set) are owned by value, ``v:<json>``.
    # structured-merge-diff typed/toset_test.go ("setStr") and fieldpath/serialize-pe.go.
    "set items by value": Case(
        [apply(C, cm(finalizers=["example.com/a"]), "alice"),
         apply(C, cm(finalizers=["example.com/b"]), "bob")],
        C, {"metadata.finalizers": ["example.com/a", "example.com/b"]},
        [entry("alice", "Apply", {"f:metadata": {"f:finalizers": {'v:"example.com/a"': {}}}}),
         entry("bob", "Apply", {"f:metadata": {"f:finalizers": {'v:"example.com/b"': {}}}})]),
    # An atomic list (container args) is owned as one field: a second applier with another value conflicts,
    # and with force takes it whole.  merge/multiple_appliers_test.go (atomic lists) and
    # managedfields/internal/conflict.go for the 409's wording.
    "atomic list conflict then force": Case(
        [apply(D, deployment(containers=[{"name": "a", "image": "i:1", "args": ["1", "2"]}]), "alice"),
         apply(D, deployment(containers=[{"name": "a", "image": "i:1", "args": ["3"]}]), "bob", status=409),
         apply(D, deployment(containers=[{"name": "a", "args": ["3"]}]), "bob", force=True)],
        D, {"spec.template.spec.containers": [("a", "i:1", ["3"])]},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")])), "apps/v1"),
         entry("bob", "Apply", dep_fields(dict([item("a", "args", "name")])), "apps/v1")]),
    # An atomic map (LabelSelector is x-kubernetes-map-type: atomic) is one field: ``f:selector: {}``.
    # kube-openapi schemaconv (map-type atomic) and test/integration/apiserver/apply (TestApplyCRDStructuralSchema
    # selector cases).
    "atomic map": Case(
        [apply(D, deployment(selector={"app": "w"}), "alice")],
        D, {"spec.selector": {"matchLabels": {"app": "w"}}},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")])), "apps/v1")]),
    # The same value applied by two managers is owned by both; when one stops applying it the field stays,
    # owned by the other.  merge/multiple_appliers_test.go (shared ownership) and merge/update.go's prune
    # (addBackOwnedItems).
    "shared ownership survives one manager leaving": Case(
        [apply(C, cm({"a": "1", "b": "2"}), "alice"),
         apply(C, cm({"a": "1"}), "bob"),
         apply(C, cm({"b": "2"}), "alice")],
        C, {"data": {"a": "1", "b": "2"}},
        # bob's apply changed nothing in the object, so his entry has no time (managedfieldsupdater.go) and
        # sorts first (sortEncodedManagedFields: a missing time counts as 0).
        [entry("bob", "Apply", {"f:data": {"f:a": {}}}),
         entry("alice", "Apply", {"f:data": {"f:b": {}}})], untimed=["bob"]),
    # A field a manager stops applying is removed when nobody else owns it.  merge/update.go (prune) and
    # test/integration/apiserver/apply/apply_test.go (TestApplyRemovesEmptyManagedFields / removal).
    "removal of unapplied fields and items": Case(
        [apply(D, deployment(containers=[{"name": "a", "image": "i:1"}, {"name": "b", "image": "j:1"}]), "alice"),
         apply(C, cm({"a": "1", "b": "2"}, labels={"x": "1"}), "alice"),
         apply(D, deployment(containers=[{"name": "a", "image": "i:1"}]), "alice"),
         apply(C, cm({"a": "1"}), "alice")],
        C, {"data": {"a": "1"}, "metadata.labels": None},
        [entry("alice", "Apply", {"f:data": {"f:a": {}}})]),
    # An update takes over the fields it changes from the applier (force is implied for updates), and its
    # entry records only what it changed, with "." for the nodes it added.  merge/update.go (Update) and
    # managedfields/internal/managedfieldsupdater.go.
    "update takes fields from an applier": Case(
        [apply(C, cm({"a": "1", "b": "2"}), "alice"),
         Step("PATCH", C, {"data": {"a": "9"}, "metadata": {"labels": {"l": "v"}}}, MERGE, "fieldManager=patcher")],
        C, {"data": {"a": "9", "b": "2"}},
        [entry("alice", "Apply", {"f:data": {"f:b": {}}}),
         entry("patcher", "Update", {"f:data": {"f:a": {}}, "f:metadata": {"f:labels": {".": {}, "f:l": {}}}})]),
    # A create is an update from the type's zero value: nodes a typed object always has (metadata, spec,
    # value structs such as the template) carry no "."; defaulted fields belong to the creator.
    # kubectl-create's entry as a v1.36 server records it (create.go runs the field manager after decoding
    # and defaulting; the live object is ``New()``).
    "create records defaults and nodes it added": Case(
        [Step("POST", DEPLOYMENTS, deployment(replicas=1), "application/json", "fieldManager=creator", 201)],
        D, {"spec.replicas": 1},
        [entry("creator", "Update", {"f:spec": {
            "f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {}, "f:selector": {},
            "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
            "f:template": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {
                "f:containers": {'k:{"name":"a"}': {
                    ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {},
                    "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}},
                "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
                "f:terminationGracePeriodSeconds": {}}}}}, "apps/v1")]),
    # /status writes are owned with subresource "status"; the main resource never owns status and /status
    # never owns the spec (GetResetFields of deploymentStatusStrategy: spec and metadata.labels).
    "status is owned through its subresource": Case(
        [apply(D, deployment(replicas=2), "alice"),
         apply(f"{D}/status", {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                               "spec": {"replicas": 7}, "status": {"replicas": 2}}, "controller")],
        D, {"spec.replicas": 2, "status.replicas": 2},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")]), replicas=True), "apps/v1"),
         entry("controller", "Apply", {"f:status": {"f:replicas": {}}}, "apps/v1", "status")]),
    # /scale writes own the parent's spec.replicas with subresource "scale" in the parent's version, taking it
    # from the applier (ScaleHandler.ToParent in apiserver's fieldmanager).
    "scale takes replicas": Case(
        [apply(D, deployment(replicas=2), "alice"),
         Step("PATCH", f"{D}/scale", {"spec": {"replicas": 5}}, MERGE, "fieldManager=scaler")],
        D, {"spec.replicas": 5},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")])), "apps/v1"),
         entry("scaler", "Update", {"f:spec": {"f:replicas": {}}}, "apps/v1", "scale")]),
    # An apply through /scale is owned the same way, as an Apply.
    "apply through scale": Case(
        [apply(D, deployment(replicas=2), "alice"),
         apply(f"{D}/scale", {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "d"},
                              "spec": {"replicas": 4}}, "hpa", force=True)],
        D, {"spec.replicas": 4},
        [entry("alice", "Apply", dep_fields(dict([item("a", "image", "name")])), "apps/v1"),
         entry("hpa", "Apply", {"f:spec": {"f:replicas": {}}}, "apps/v1", "scale")]),
    # A write that sends managedFields: [{}] clears them, and the object stays untracked by later updates
    # (managedfields/internal/fieldmanager.go isResetManagedFields and skipnonapplied.go).
    "an empty entry clears managed fields": Case(
        [apply(C, cm({"a": "1"}), "alice"),
         Step("PATCH", C, {"metadata": {"managedFields": [{}]}}, MERGE, "fieldManager=wiper"),
         Step("PATCH", C, {"data": {"b": "2"}}, MERGE, "fieldManager=later")],
        C, {"data": {"a": "1", "b": "2"}, "metadata.managedFields": None}, []),
    # The first apply to an untracked object records what was there as "before-first-apply"
    # (skipnonapplied.go).
    "first apply to an untracked object": Case(
        [Step("POST", CMS, cm({"a": "1"}), "application/json", "", 201),
         Step("PATCH", C, {"metadata": {"managedFields": [{}]}}, MERGE),
         apply(C, cm({"b": "2"}), "alice")],
        C, {"data": {"a": "1", "b": "2"}},
        [entry("alice", "Apply", {"f:data": {"f:b": {}}}),
         entry("before-first-apply", "Update", {"f:data": {".": {}, "f:a": {}}})]),
}


def _value(obj: dict[str, Any], dotted: str) -> Any:
    value: Any = obj
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if dotted.endswith("containers") and isinstance(value, list):
        return [tuple(x for x in (c["name"], c.get("image"), c.get("args")) if x is not None) for c in value]
    return value


FROZEN = 1_780_000_000.0  # the cluster's clock stands still: entries of one case share a second
FROZEN_TIME = "2026-05-28T20:26:40Z"


@pytest.mark.parametrize("name", list(CASES))
def test_field_management(api, fake_cluster, monkeypatch, name):
    monkeypatch.setattr(fake_cluster.registry, "clock", lambda: FROZEN)
    case = CASES[name]
    for step in case.steps:
        path = step.path + (f"?{step.query}" if step.query else "")
        status, body = api.json(step.method, path, json.dumps(step.body), {"Content-Type": step.content_type})
        assert status == step.status if step.status else status in (200, 201), (step, body)
    status, obj = api.json("GET", case.path)
    assert status == 200
    for dotted, expected in case.expect.items():
        assert _value(obj, dotted) == expected, dotted
    entries = obj["metadata"].get("managedFields", [])
    for e in entries:
        assert e.pop("time", None) == (None if e["manager"] in case.untimed else FROZEN_TIME), e
    assert entries == case.managed


def test_conflicts_name_every_manager_and_path(api):
    """Two managers' fields in one 409: the message groups paths by manager (sorted), the causes list each
    (managedfields/internal/conflict.go: NewConflictError, getConflictMessage, printManager)."""
    api.json("PATCH", f"{C}?fieldManager=alice", json.dumps(cm({"a": "1"})), {"Content-Type": APPLY})
    api.json("PATCH", f"{C}?fieldManager=bob", json.dumps({"data": {"b": "2"}}), {"Content-Type": MERGE})
    status, body = api.json("PATCH", f"{C}?fieldManager=carol", json.dumps(cm({"a": "x", "b": "y"})),
                            {"Content-Type": APPLY})
    assert status == 409
    assert body["reason"] == "Conflict"
    assert body["message"] == ('Apply failed with 2 conflicts: conflicts with "alice":\n- .data.a\n'
                               'conflicts with "bob" using v1:\n- .data.b')
    assert sorted(body["details"]["causes"], key=lambda c: c["field"]) == [
        {"reason": "FieldManagerConflict", "message": 'conflict with "alice"', "field": ".data.a"},
        {"reason": "FieldManagerConflict", "message": 'conflict with "bob" using v1', "field": ".data.b"}]
    status, body = api.json("PATCH", f"{C}?fieldManager=carol", json.dumps(cm({"a": "x"})), {"Content-Type": APPLY})
    assert (status, body["message"]) == (409, 'Apply failed with 1 conflict: conflict with "alice": .data.a')


def test_reapplying_the_same_configuration_writes_nothing(api, fake_cluster):
    config = json.dumps(cm({"a": "1"}))
    status, first = api.json("PATCH", f"{C}?fieldManager=alice", config, {"Content-Type": APPLY})
    assert status == 201  # apply to a missing object creates it
    revision = fake_cluster.store.revision
    status, second = api.json("PATCH", f"{C}?fieldManager=alice", config, {"Content-Type": APPLY})
    assert status == 200
    assert second["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert second["metadata"]["managedFields"] == first["metadata"]["managedFields"]
    assert fake_cluster.store.revision == revision  # nothing stored: no watch event either


def test_apply_errors_are_upstreams(api):
    cases = [
        # PatchOptions validation (apimachinery ValidatePatchOptions)
        ("?force=true", cm(), MERGE, 422,
         'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch'),
        ("?fieldManager=a%09b", cm(), APPLY, 422,
         'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\tb": invalid character '
         "U+0009 (at position 1)"),
        ("?fieldManager=x", {**cm(), "metadata": {"name": "c", "managedFields": []}}, APPLY, 400,
         "metadata.managedFields must be nil"),
        ("?fieldManager=x", {"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "c"}}, APPLY, 400,
         "invalid object type: apps/v1, Kind=ConfigMap"),
        ("?fieldManager=x", {**cm(), "spec": {"x": 1}}, APPLY, 500,
         "failed to create typed patch object (/c; /v1, Kind=ConfigMap): .spec: field not declared in schema"),
        ("?fieldManager=x&force=maybe", cm(), APPLY, 400, 'strconv.ParseBool: parsing "maybe": invalid syntax'),
    ]
    for query, body, content_type, code, message in cases:
        status, answer = api.json("PATCH", f"{C}{query}", json.dumps(body), {"Content-Type": content_type})
        assert (status, answer["message"]) == (code, message)
    status, answer = api.json("PATCH", f"{C}?fieldManager=x", "a: [", {"Content-Type": APPLY})
    # refused while turned into JSON for the audit log (the ssa-missing-kind-and-bad-yaml recording)
    assert (status, answer["message"]) == (400, "error encoding patch: yaml: did not find expected node content")
    status, answer = api.json("PATCH", f"{C}?fieldManager=x", "[1]", {"Content-Type": APPLY})
    assert (status, answer["message"]) == (400, "error decoding YAML: error unmarshaling JSON: while decoding JSON: "
                                                "json: cannot unmarshal array into Go value of type "
                                                "map[string]interface {}")


def test_apply_yaml_body_and_missing_key_field(api):
    body = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n" \
           "  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{image: x}]\n"
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", body, {"Content-Type": APPLY})
    assert status == 500
    assert answer["message"] == (
        "failed to create typed patch object (/d; apps/v1, Kind=Deployment): .spec.template.spec.containers: "
        'element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t '
        "have default values for any key fields)")
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", body.replace("{image: x}", "{name: a, image: x}"),
                              {"Content-Type": APPLY})
    assert status == 201 and answer["spec"]["template"]["spec"]["containers"][0]["name"] == "a"


def test_manager_comes_from_the_user_agent(api):
    status, obj = api.json("POST", CMS, json.dumps(cm({"a": "1"})),
                           {"Content-Type": "application/json", "User-Agent": "my-operator/v1.2 (linux/amd64)"})
    assert status == 201
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == ["my-operator"]
    status, obj = api.json("PATCH", C, json.dumps({"data": {"b": "2"}}), {"Content-Type": MERGE, "User-Agent": ""})
    assert status == 200
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == ["my-operator", "unknown"]


def test_dry_run_apply_and_create_store_and_allocate_nothing(api, fake_cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"type": "NodePort", "ports": [{"port": 80}]}}
    services = "/api/v1/namespaces/default/services"
    status, dry = api.json("PATCH", f"{services}/s?fieldManager=x&dryRun=All", json.dumps(svc),
                           {"Content-Type": APPLY})
    assert status == 201 and dry["spec"]["clusterIP"]
    status, dry2 = api.json("POST", f"{services}?dryRun=All", json.dumps(svc), {"Content-Type": "application/json"})
    assert status == 201
    assert api.json("GET", f"{services}/s")[0] == 404
    status, real = api.json("PATCH", f"{services}/s?fieldManager=x", json.dumps(svc), {"Content-Type": APPLY})
    assert status == 201
    # the dry runs handed out nothing: the real write gets the addresses the dry run showed
    assert real["spec"]["clusterIP"] == dry["spec"]["clusterIP"] == dry2["spec"]["clusterIP"]
    assert real["spec"]["ports"][0]["nodePort"] == dry["spec"]["ports"][0]["nodePort"]
    revision = fake_cluster.store.revision
    changed = json.dumps({**svc, "metadata": {"name": "s", "labels": {"a": "b"}}})
    status, answer = api.json("PATCH", f"{services}/s?fieldManager=x&dryRun=All", changed, {"Content-Type": APPLY})
    assert status == 200 and answer["metadata"]["labels"] == {"a": "b"}
    assert fake_cluster.store.revision == revision
    assert "labels" not in api.json("GET", f"{services}/s")[1]["metadata"]
    # nor does a dry-run update that makes a service a NodePort one (prepare_for_update allocates its ports)
    api.json("POST", services, {"metadata": {"name": "t"}, "spec": {"ports": [{"port": 80}]}})
    to_node_port = {"spec": {"type": "NodePort"}}
    status, dry3 = api.json("PATCH", f"{services}/t?dryRun=All", json.dumps(to_node_port), {"Content-Type": MERGE})
    assert status == 200
    status, real3 = api.json("PATCH", f"{services}/t", json.dumps(to_node_port), {"Content-Type": MERGE})
    assert real3["spec"]["ports"][0]["nodePort"] == dry3["spec"]["ports"][0]["nodePort"]


def test_apply_with_a_key_set_twice_follows_field_validation(api):
    """applyPatcher reads the body strictly once the merge succeeded: a key set twice is a 400 under Strict;
    under Warn each key set twice is a warning of its own (recorded from kube-apiserver v1.37:
    tests/conformance scenario apply-yaml-duplicate-keys)."""
    as_json = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"x":"1","x":"2"}}'
    as_yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: "1"\n  x: "2"\n'
    for body, line in ((as_json, 1), (as_yaml, 6)):
        status, answer = api.json("PATCH", f"{C}?fieldManager=m&fieldValidation=Strict", body, {"Content-Type": APPLY})
        assert (status, answer["message"]) == (400, "error strict decoding patch: error converting YAML to JSON: yaml: "
                                                    f'unmarshal errors:\n  line {line}: key "x" already set in map')
    assert api.json("GET", C)[0] == 404  # nothing stored
    status, headers, data = api.request("PATCH", f"{C}?fieldManager=m&fieldValidation=Warn", as_yaml,
                                        {"Content-Type": APPLY})
    assert status == 201 and headers["warning"] == ['299 - "line 6: key \\"x\\" already set in map"']
    assert json.loads(data)["data"] == {"x": "2"}  # the last one wins, as go-yaml reads it


def test_apply_answers_like_create_for_every_built_in_kind(api, fake_cluster):
    """For every resource that can be created and patched, applying a minimal manifest to a missing object
    gives the create's answer (201 with an Apply entry, or the same 422 a POST gets), never a server error."""
    checked = created_ok = 0
    for res in fake_cluster.registry.catalog.resources():
        if not {"create", "patch"} <= set(res.verbs) or res.strategy.answer is not None:
            continue
        prefix = f"/apis/{res.group}/{res.version}" if res.group else f"/api/{res.version}"
        base = f"{prefix}/namespaces/default/{res.plural}" if res.namespaced else f"{prefix}/{res.plural}"
        body = {"apiVersion": res.api_version, "kind": res.kind,
                "metadata": {"name": "apply-probe", "labels": {"a": "b"}}}
        status, applied = api.json("PATCH", f"{base}/apply-probe?fieldManager=probe", json.dumps(body),
                                   {"Content-Type": APPLY})
        if status == 201:
            assert [(e["manager"], e["operation"]) for e in applied["metadata"].get("managedFields", [])] == [
                ("probe", "Apply")], (res.plural, applied)
            assert api.json("DELETE", f"{base}/apply-probe")[0] in (200, 202), res.plural
        created_status, created = api.json("POST", base, json.dumps(body), {"Content-Type": "application/json"})
        assert (status, applied.get("message")) == (created_status, created.get("message")), res.plural
        if created_status == 201:
            api.json("DELETE", f"{base}/apply-probe")
        checked += 1
        created_ok += created_status == 201
    assert checked > 50 and created_ok > 20


def test_dry_run_of_every_write_answers_as_the_write_and_changes_nothing(api, fake_cluster):
    status, stored = api.json("POST", CMS, json.dumps(cm({"a": "1"})), {"Content-Type": "application/json"})
    assert status == 201
    assert api.json("GET", C)[1] == stored
    revision = fake_cluster.store.revision
    writes = [
        ("PUT", C, json.dumps({**cm({"a": "2"}), "metadata": {"name": "c", "resourceVersion": stored["metadata"][
            "resourceVersion"]}}), "application/json", {"a": "2"}),
        ("PATCH", C, json.dumps([{"op": "add", "path": "/data/b", "value": "3"}]), "application/json-patch+json",
         {"a": "1", "b": "3"}),
        ("PATCH", C, json.dumps({"data": {"c": "4"}}), MERGE, {"a": "1", "c": "4"}),
        ("PATCH", C, json.dumps({"data": {"d": "5"}}), "application/strategic-merge-patch+json", {"a": "1", "d": "5"}),
        ("PATCH", C + "?fieldManager=x", json.dumps(cm({"e": "6"})), APPLY, {"a": "1", "e": "6"}),
    ]
    for method, path, body, content_type, data in writes:
        joiner = "&" if "?" in path else "?"
        status, answer = api.json(method, f"{path}{joiner}dryRun=All", body, {"Content-Type": content_type})
        assert (status, answer["data"]) == (200, data), (method, content_type)
        assert answer["metadata"]["resourceVersion"] == stored["metadata"]["resourceVersion"]
        managers = [e["manager"] for e in answer["metadata"]["managedFields"]]
        assert len(managers) == (2 if content_type == APPLY else 1), managers  # recorded as a real write would
    status, answer = api.json("DELETE", f"{C}?dryRun=All")
    assert status == 200 and answer["status"] == "Success"
    assert fake_cluster.store.revision == revision  # nothing stored, no event
    assert api.json("GET", C)[1] == stored
    status, answer = api.json("DELETE", f"{C}?dryRun=Maybe")
    assert (status, answer["message"]) == (
        422, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Maybe"]: supported values: "All"')


def test_hostile_apply_bodies_and_managed_fields_get_clear_answers(api):
    """Bad input never crashes the server: each answer is upstream's (decode errors 400, structured-merge-diff's
    typed-patch errors 500 with their message), and nothing is half-written."""
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", json.dumps({**deployment(), "metadata": 5}),
                              {"Content-Type": APPLY})
    assert (status, answer["message"]) == (400, 'Deployment in version "v1" cannot be handled as a Deployment: '
                                                "json: cannot unmarshal number into Go struct field "
                                                "Deployment.metadata of type v1.ObjectMeta")
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", json.dumps({**deployment(), "metadata": None}),
                              {"Content-Type": APPLY})
    assert (status, answer["message"]) == (  # null metadata is no metadata: checkName finds no name
        400, "the name of the object (d based on URL) was undeterminable: name must be provided")
    assert api.json("PATCH", f"{D}?fieldManager=x", json.dumps(deployment()), {"Content-Type": APPLY})[0] == 201
    duplicated = deployment(containers=[{"name": "a", "image": "i:1", "env": [{"name": "E"}, {"name": "E"}]}])
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", json.dumps(duplicated), {"Content-Type": APPLY})
    assert (status, answer["message"]) == (
        500, 'failed to create typed patch object (/d; apps/v1, Kind=Deployment): .spec.template.spec.containers'
             '[name="a"].env: duplicate entries for key [name="E"]')
    wrong_shape = deployment()
    wrong_shape["spec"]["template"]["spec"]["containers"] = {"a": 1}
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", json.dumps(wrong_shape), {"Content-Type": APPLY})
    assert (status, answer["message"]) == (
        500, "failed to create typed patch object (/d; apps/v1, Kind=Deployment): .spec.template.spec.containers: "
             "expected list, got map")
    assert api.json("GET", D)[1]["spec"]["template"]["spec"]["containers"][0]["name"] == "a"  # nothing written
    huge = deployment()
    huge["spec"]["replicas"] = 10**30
    status, answer = api.json("PATCH", f"{D}?fieldManager=x", json.dumps(huge), {"Content-Type": APPLY})
    assert status == 400 and "nested too deeply" not in answer["message"], answer
    # a managedFields entry with a non-ASCII digit index does not decode: the stored ones stay (decodeLiveOrNew)
    stored = api.json("GET", D)[1]
    bad = [{"manager": "m", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"i:²": {}}}}]
    status, answer = api.json("PATCH", D, json.dumps({"metadata": {"managedFields": bad}}), {"Content-Type": MERGE})
    assert status == 200 and answer["metadata"]["managedFields"] == stored["metadata"]["managedFields"]


def test_client_sent_managed_fields_are_read_as_kube_reads_them(api):
    """Elements are compared as structured-merge-diff parses them (key order, spacing, number spelling), and
    an element of an unknown kind is skipped rather than failing the whole entry."""
    api.json("PATCH", f"{D}?fieldManager=alice", json.dumps(deployment()), {"Content-Type": APPLY})
    handmade = [{"manager": "bob", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                 "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {
                     'k:{"name": "a"}': {"f:image": {}}}}}}, "x:future": {}}}]
    status, answer = api.json("PATCH", D, json.dumps({"metadata": {"managedFields": handmade}}),
                              {"Content-Type": MERGE})
    assert status == 200
    assert [(e["manager"], e["fieldsV1"]) for e in answer["metadata"]["managedFields"]] == [
        ("bob", {"f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"a"}': {"f:image": {}}}}}}})]
    changed = deployment(containers=[{"name": "a", "image": "i:2"}])
    status, answer = api.json("PATCH", f"{D}?fieldManager=carol", json.dumps(changed), {"Content-Type": APPLY})
    assert (status, answer["message"]) == (
        409, 'Apply failed with 1 conflict: conflict with "bob" using apps/v1: '
             '.spec.template.spec.containers[name="a"].image')


def test_booleans_never_equal_numbers_in_untyped_values(api):
    """A RawExtension holds untyped JSON: ``true`` and ``1`` differ there (``value.Equals``), so changing
    one into the other is a change, and a conflict with its owner."""
    revisions = "/apis/apps/v1/namespaces/default/controllerrevisions"

    def revision(value: Any) -> str:
        return json.dumps({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": "r"},
                           "revision": 1, "data": {"a": value}})

    status, _ = api.json("PATCH", f"{revisions}/r?fieldManager=alice", revision(True), {"Content-Type": APPLY})
    assert status == 201
    status, body = api.json("PATCH", f"{revisions}/r?fieldManager=bob", revision(1), {"Content-Type": APPLY})
    assert (status, body["message"]) == (409, 'Apply failed with 1 conflict: conflict with "alice": .data.a')
