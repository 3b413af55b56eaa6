"""LIST as kube-apiserver serves it: selectors, paging with consistent snapshots, resourceVersion semantics."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import Api

CM = "/api/v1/namespaces/default/configmaps"


def make_configmaps(api: Api, count: int, namespace: str = "default", prefix: str = "cm", **labels: str) -> None:
    for i in range(count):
        status, body = api.json("POST", f"/api/v1/namespaces/{namespace}/configmaps",
                                {"metadata": {"name": f"{prefix}-{i:03d}", "labels": dict(labels, index=str(i))}})
        assert status == 201, body


def names(body: dict) -> list[str]:
    return [item["metadata"]["name"] for item in body["items"]]


@pytest.mark.parametrize(("selector", "expected"), [
    ("tier=web", ["a", "b"]),
    ("tier==web", ["a", "b"]),
    ("tier!=web", ["c", "d", "kube-root-ca.crt"]),  # every namespace holds kube-root-ca.crt, unlabelled
    ("tier in (web,db)", ["a", "b", "c"]),
    ("tier notin (web)", ["c", "d", "kube-root-ca.crt"]),
    ("tier", ["a", "b", "c"]),
    ("!tier", ["d", "kube-root-ca.crt"]),
    ("tier=web,env=prod", ["a"]),
    ("tier in (web), !env", []),
])
def test_label_selector_syntax(api, selector, expected):
    for name, labels in {"a": {"tier": "web", "env": "prod"}, "b": {"tier": "web", "env": "dev"},
                         "c": {"tier": "db"}, "d": {}}.items():
        api.json("POST", CM, {"metadata": {"name": name, "labels": labels}})
    status, body = api.json("GET", f"{CM}?labelSelector={quote(selector)}")
    assert status == 200, body
    assert names(body) == expected


def test_malformed_label_selector_is_400_with_the_parser_message(api):
    status, body = api.json("GET", f"{CM}?labelSelector={quote('a in')}")
    assert status == 400 and body["reason"] == "BadRequest"
    assert body["message"] == "unable to parse requirement: found '' expected: '('"


def test_field_selectors_on_pods(api):
    pods = "/api/v1/namespaces/default/pods"
    for name, node in (("p1", "node-a"), ("p2", "node-b"), ("p3", "")):
        spec = {"containers": [{"name": "c", "image": "busybox"}]}
        if node:
            spec["nodeName"] = node
        status, body = api.json("POST", pods, {"metadata": {"name": name}, "spec": spec})
        assert status == 201, body
    _, body = api.json("GET", f"{pods}?fieldSelector=spec.nodeName%3Dnode-a")
    assert names(body) == ["p1"]
    _, body = api.json("GET", f"{pods}?fieldSelector=spec.nodeName%3D")
    assert names(body) == ["p3"]
    _, body = api.json("GET", f"{pods}?fieldSelector=status.phase%3DPending,metadata.name!%3Dp2")
    assert names(body) == ["p1", "p3"]
    _, body = api.json("GET", "/api/v1/pods?fieldSelector=metadata.namespace%3Ddefault")
    assert names(body) == ["p1", "p2", "p3"]


def test_unsupported_field_is_400(api):
    status, body = api.json("GET", "/api/v1/namespaces/default/pods?fieldSelector=spec.foo%3Dx")
    assert status == 400
    assert body["message"] == "field label not supported: spec.foo"


def test_secrets_by_type_and_namespaces_by_phase(api):
    api.json("POST", "/api/v1/namespaces/default/secrets", {"metadata": {"name": "tls"}, "type": "kubernetes.io/tls",
                                                            "data": {"tls.crt": "", "tls.key": ""}})
    api.json("POST", "/api/v1/namespaces/default/secrets", {"metadata": {"name": "plain"}})
    _, body = api.json("GET", "/api/v1/namespaces/default/secrets?fieldSelector=type%3Dkubernetes.io/tls")
    assert names(body) == ["tls"]
    _, body = api.json("GET", "/api/v1/namespaces?fieldSelector=status.phase%3DActive")
    assert "default" in names(body)


def test_pages_follow_namespace_then_name_order_and_count_what_remains(api):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "aaa"}})
    make_configmaps(api, 3)
    make_configmaps(api, 2, namespace="aaa")
    status, first = api.json("GET", "/api/v1/configmaps?limit=2")
    assert status == 200
    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in first["items"]] == [
        ("aaa", "cm-000"), ("aaa", "cm-001")]
    # each namespace also holds its kube-root-ca.crt: aaa, default, kube-node-lease, kube-public, kube-system
    assert first["metadata"]["remainingItemCount"] == 8
    token = first["metadata"]["continue"]
    _, second = api.json("GET", f"/api/v1/configmaps?limit=2&continue={token}")
    assert names(second) == ["kube-root-ca.crt", "cm-000"]
    assert second["metadata"]["remainingItemCount"] == 6
    _, third = api.json("GET", f"/api/v1/configmaps?limit=5&continue={second['metadata']['continue']}")
    assert names(third) == ["cm-001", "cm-002", "kube-root-ca.crt", "kube-root-ca.crt", "kube-root-ca.crt"]
    assert third["metadata"]["remainingItemCount"] == 1
    _, last = api.json("GET", f"/api/v1/configmaps?limit=2&continue={third['metadata']['continue']}")
    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in last["items"]] == [
        ("kube-system", "kube-root-ca.crt")]
    assert "continue" not in last["metadata"] and "remainingItemCount" not in last["metadata"]


def test_all_pages_come_from_the_first_pages_snapshot(api):
    make_configmaps(api, 6)
    _, first = api.json("GET", f"{CM}?limit=3")
    snapshot_rv = first["metadata"]["resourceVersion"]
    # After the first page: delete one not yet seen, add one that sorts into the rest, modify one not yet seen.
    api.json("DELETE", f"{CM}/cm-003")
    api.json("POST", CM, {"metadata": {"name": "cm-003a"}})
    _, cm4 = api.json("GET", f"{CM}/cm-004")
    cm4["data"] = {"changed": "yes"}
    api.json("PUT", f"{CM}/cm-004", cm4)
    _, rest = api.json("GET", f"{CM}?limit=10&continue={first['metadata']['continue']}")
    assert names(first) + names(rest) == [f"cm-{i:03d}" for i in range(6)] + ["kube-root-ca.crt"]
    assert rest["metadata"]["resourceVersion"] == snapshot_rv
    cm4_then = next(i for i in rest["items"] if i["metadata"]["name"] == "cm-004")
    assert "data" not in cm4_then


def test_a_continue_token_older_than_the_history_window_is_410(fake_cluster_factory):
    api = Api(fake_cluster_factory(history_size=5).url)
    make_configmaps(api, 4)
    _, first = api.json("GET", f"{CM}?limit=2")
    make_configmaps(api, 8, prefix="later")  # more writes than the window keeps
    status, body = api.json("GET", f"{CM}?limit=2&continue={first['metadata']['continue']}")
    assert status == 410
    assert body["reason"] == "Expired"
    assert body["message"].startswith("The provided continue parameter is too old to display a consistent list")
    status, rest = api.json("GET", f"{CM}?limit=100&continue={body['metadata']['continue']}")
    assert status == 200  # the fresh token continues from the latest state, after the same key
    assert names(rest) == ["cm-002", "cm-003", "kube-root-ca.crt"] + [f"later-{i:03d}" for i in range(8)]


def test_malformed_continue_token_is_400(api):
    # worded as the storage's DecodeContinue (the list-invalid-continue recording)
    status, body = api.json("GET", f"{CM}?limit=1&continue=bm90LWpzb24")
    assert (status, body["message"]) == (400, "invalid continue token: continue key is not valid: invalid character "
                                              "'o' in literal null (expecting 'u')")
    status, body = api.json("GET", f"{CM}?limit=1&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0=")
    assert (status, body["message"]) == (400, "invalid continue token: continue key is not valid: illegal base64 "
                                              "data at input byte 55")
    from fakekube.registry.listing import encode_continue

    status, body = api.json("GET", f"{CM}?limit=1&continue={encode_continue(10**9, ('default', 'x'))}")
    assert status == 400 and "future" in body["message"]


def test_resource_version_match_exact_reads_the_past(api):
    make_configmaps(api, 2)
    _, before = api.json("GET", CM)
    api.json("POST", CM, {"metadata": {"name": "later"}})
    rv = before["metadata"]["resourceVersion"]
    _, exact = api.json("GET", f"{CM}?resourceVersion={rv}&resourceVersionMatch=Exact")
    assert names(exact) == ["cm-000", "cm-001", "kube-root-ca.crt"]
    assert exact["metadata"]["resourceVersion"] == rv
    _, newer = api.json("GET", f"{CM}?resourceVersion={rv}&resourceVersionMatch=NotOlderThan")
    assert names(newer) == ["cm-000", "cm-001", "kube-root-ca.crt", "later"]
    _, any_version = api.json("GET", f"{CM}?resourceVersion=0")
    assert names(any_version) == ["cm-000", "cm-001", "kube-root-ca.crt", "later"]


def test_exact_outside_the_window_is_410_and_the_future_is_a_timeout(fake_cluster_factory):
    api = Api(fake_cluster_factory(history_size=3).url)
    make_configmaps(api, 6)
    status, body = api.json("GET", f"{CM}?resourceVersion=2&resourceVersionMatch=Exact")
    assert status == 410 and body["reason"] == "Expired"
    assert body["message"].startswith("too old resource version: 2")
    status, body = api.json("GET", f"{CM}?resourceVersion=999999")
    assert status == 504
    assert body["message"].startswith("Timeout: Too large resource version: 999999")


def test_contradictory_list_options_are_422_on_list_options(api):
    status, body = api.json("GET", f"{CM}?resourceVersionMatch=Exact")
    assert status == 422
    assert body["message"] == ('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
                               "resourceVersionMatch is forbidden unless resourceVersion is provided")
    status, body = api.json("GET", f"{CM}?sendInitialEvents=true")
    assert status == 422 and body["details"]["causes"][0]["field"] == "sendInitialEvents"
    status, body = api.json("GET", f"{CM}?resourceVersion=5&resourceVersionMatch=Newest")
    assert status == 422
    assert body["details"]["causes"][0]["message"] == (
        'Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""')
    status, body = api.json("GET", f"{CM}?watch=1&resourceVersion=1&resourceVersionMatch=Exact")
    assert status == 422


def test_deletecollection_deletes_exactly_the_selected_objects(api):
    make_configmaps(api, 3, team="a")
    make_configmaps(api, 2, prefix="b", team="b")
    status, body = api.json("DELETE", f"{CM}?labelSelector=team%3Da")
    assert status == 200
    assert body["kind"] == "ConfigMapList" and len(body["items"]) == 3
    _, left = api.json("GET", CM)
    assert names(left) == ["b-000", "b-001", "kube-root-ca.crt"]


def test_deletecollection_answers_with_the_deleted_objects_and_405_where_upstream_has_none(api):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "tmp-a", "labels": {"tmp": "yes"}}})
    api.json("POST", "/api/v1/namespaces/tmp-a/configmaps", {"metadata": {"name": "inside"}})
    status, body = api.json("DELETE", "/api/v1/namespaces?labelSelector=tmp%3Dyes")
    assert status == 405  # namespaces have no deletecollection verb, as upstream
    status, body = api.json("DELETE", "/api/v1/namespaces/tmp-a/configmaps")
    assert status == 200 and [i["metadata"]["name"] for i in body["items"]] == ["inside", "kube-root-ca.crt"]


def test_a_paged_list_at_a_revision_reads_that_revision(api):
    make_configmaps(api, 2)
    _, at = api.json("GET", CM)
    make_configmaps(api, 2, prefix="later")
    rv = at["metadata"]["resourceVersion"]
    _, paged = api.json("GET", f"{CM}?resourceVersion={rv}&limit=10")
    assert names(paged) == ["cm-000", "cm-001", "kube-root-ca.crt"] and paged["metadata"]["resourceVersion"] == rv
    _, unpaged = api.json("GET", f"{CM}?resourceVersion={rv}")
    assert len(unpaged["items"]) == 5  # without a limit: NotOlderThan, the current state


def test_deletecollection_with_a_limit_deletes_one_page(api):
    make_configmaps(api, 4)
    status, body = api.json("DELETE", f"{CM}?limit=1")
    assert status == 200 and names(body) == ["cm-000"]
    _, left = api.json("GET", CM)
    assert names(left) == ["cm-001", "cm-002", "cm-003", "kube-root-ca.crt"]
