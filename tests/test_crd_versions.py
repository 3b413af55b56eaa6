"""A CRD served in several versions: served and storage flags, deprecation warnings, and conversion
(``None``, which rewrites apiVersion, and ``Webhook``, which calls the test's own HTTPS webhook)."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from typing import Any

import crd_helpers
import orjson
import pytest
from aiohttp import web
from conftest import Api, Kubectl
from crd_helpers import CRDS
from webhook_server import WebhookServer

from fakekube import FakeCluster

V1 = "/apis/example.com/v1/namespaces/default/widgets"
V2 = "/apis/example.com/v2/namespaces/default/widgets"
V1_SCHEMA = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "string"}}}}}
V2_SCHEMA = {"type": "object", "properties": {"spec": {"type": "object",
                                                        "properties": {"replicas": {"type": "integer"}}}}}


def version(name: str, *, storage: bool = False, **rest: Any) -> dict[str, Any]:
    """A served version, not the storage one unless ``storage``; without ``schema``, an open object."""
    return crd_helpers.version(name, storage=storage, **rest)


def crd(*versions: dict[str, Any], conversion: dict[str, Any] | None = None) -> dict[str, Any]:
    return crd_helpers.crd("widgets", "Widget", *versions, conversion=conversion, singular="widget")


def widget(api_version: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "Widget", "metadata": {"name": name, "namespace": "default"},
            "spec": spec}


def install(cluster: FakeCluster, api: Api, definition: dict[str, Any]) -> dict[str, Any]:
    """POST the CRD (or PUT it over the stored one) and let the CRD controllers establish it."""
    status, stored = api.json("GET", f"{CRDS}/widgets.example.com")
    if status == 404:
        status, stored = api.json("POST", CRDS, definition)
        assert status == 201, stored
    else:
        body = copy.deepcopy(definition)
        body["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
        status, stored = api.json("PUT", f"{CRDS}/widgets.example.com", body)
        assert status == 200, stored
    cluster.settle()
    status, stored = api.json("GET", f"{CRDS}/widgets.example.com")
    assert status == 200
    return stored


def stored_widgets(cluster: FakeCluster) -> dict[str, dict[str, Any]]:
    """The custom resources as stored, by name."""
    return {obj["metadata"]["name"]: obj for obj in cluster.objects() if obj.get("kind") == "Widget"}


# --- strategy None ---------------------------------------------------------------------------------


def test_none_strategy_rewrites_apiversion_on_reads_lists_and_watches(fake_cluster: FakeCluster, api: Api) -> None:
    install(fake_cluster, api, crd(version("v1", storage=True), version("v2")))
    status, created = api.json("POST", V1, widget("example.com/v1", "a", {"size": "3"}))
    assert status == 201, created
    status, got = api.json("GET", f"{V2}/a")
    assert status == 200
    assert got["apiVersion"] == "example.com/v2"
    assert {k: v for k, v in got.items() if k != "apiVersion"} == {
        k: v for k, v in created.items() if k != "apiVersion"}
    status, listed = api.json("GET", V2)
    assert (listed["apiVersion"], listed["kind"]) == ("example.com/v2", "WidgetList")
    assert [(i["apiVersion"], i["metadata"]["name"]) for i in listed["items"]] == [("example.com/v2", "a")]
    # Written in v2, stored in v1 (the storage version), shown in the version asked for.
    status, created_b = api.json("POST", V2, widget("example.com/v2", "b", {"size": "5"}))
    assert status == 201 and created_b["apiVersion"] == "example.com/v2"
    stored = stored_widgets(fake_cluster)
    assert {n: o["apiVersion"] for n, o in stored.items()} == {"a": "example.com/v1", "b": "example.com/v1"}
    assert stored["b"]["spec"] == {"size": "5"}
    # A watch in v2 replays both objects in v2, and a change made in v1 arrives in v2.
    rv = listed["metadata"]["resourceVersion"]
    status, _, body = api.request("GET", f"{V2}?watch=true&resourceVersion=0&timeoutSeconds=1")
    events = [json.loads(line) for line in body.splitlines()]
    assert [(e["type"], e["object"]["apiVersion"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "example.com/v2", "a"), ("ADDED", "example.com/v2", "b")]
    status, patched = api.json("PATCH", f"{V1}/a", {"spec": {"size": "4"}},
                               headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200 and patched["apiVersion"] == "example.com/v1"
    status, _, body = api.request("GET", f"{V2}?watch=true&resourceVersion={rv}&timeoutSeconds=1")
    events = [json.loads(line) for line in body.splitlines()]
    assert [(e["type"], e["object"]["apiVersion"], e["object"]["metadata"]["name"], e["object"]["spec"])
            for e in events] == [("ADDED", "example.com/v2", "b", {"size": "5"}),
                                 ("MODIFIED", "example.com/v2", "a", {"size": "4"})]


def test_switching_the_storage_version_keeps_old_objects_readable(fake_cluster: FakeCluster, api: Api) -> None:
    stored_crd = install(fake_cluster, api, crd(version("v1", storage=True), version("v2")))
    assert stored_crd["status"]["storedVersions"] == ["v1"]
    assert api.json("POST", V1, widget("example.com/v1", "old", {"size": "1"}))[0] == 201
    stored_crd = install(fake_cluster, api, crd(version("v1"), version("v2", storage=True)))
    assert stored_crd["status"]["storedVersions"] == ["v1", "v2"]
    assert api.json("POST", V1, widget("example.com/v1", "new", {"size": "2"}))[0] == 201
    # The old object stays as it was stored; the new one is stored in v2.
    assert {n: o["apiVersion"] for n, o in stored_widgets(fake_cluster).items()} == {
        "old": "example.com/v1", "new": "example.com/v2"}
    for path, want in ((V1, "example.com/v1"), (V2, "example.com/v2")):
        status, got = api.json("GET", f"{path}/old")
        assert (status, got["apiVersion"], got["spec"]) == (200, want, {"size": "1"})
        status, listed = api.json("GET", path)
        assert [(i["apiVersion"], i["metadata"]["name"]) for i in listed["items"]] == [(want, "new"), (want, "old")]
    # An update rewrites the old object in the storage version.
    status, updated = api.json("PATCH", f"{V1}/old", {"metadata": {"labels": {"touched": "yes"}}},
                               headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200 and updated["apiVersion"] == "example.com/v1"
    assert stored_widgets(fake_cluster)["old"]["apiVersion"] == "example.com/v2"


def test_a_version_not_served_is_not_found(fake_cluster: FakeCluster, api: Api) -> None:
    install(fake_cluster, api, crd(version("v1", storage=True), version("v2", served=False)))
    assert api.json("POST", V1, widget("example.com/v1", "a", {}))[0] == 201
    # kube-apiserver's plain 404 (the crd-multiple-versions recording)
    assert api.request("GET", f"{V2}/a")[::2] == (404, b"404 page not found\n")
    _, body = api.json("GET", "/apis/example.com")
    assert [v["version"] for v in body["versions"]] == ["v1"]
    # Served again once the CRD says so.
    install(fake_cluster, api, crd(version("v1", storage=True), version("v2")))
    assert api.json("GET", f"{V2}/a")[0] == 200


def warnings_of(headers: dict[str, list[str]]) -> list[str]:
    return headers.get("warning", [])


def test_deprecated_versions_warn_on_every_request(fake_cluster: FakeCluster, api: Api) -> None:
    install(fake_cluster, api, crd(version("v1alpha1", deprecated=True), version("v1beta1", deprecated=True),
                                   version("v1", storage=True),
                                   version("v2", deprecated=True, deprecationWarning="v2 is going away"),
                                   version("v3alpha1")))
    alpha = "/apis/example.com/v1alpha1/namespaces/default/widgets"
    status, headers, body = api.request("POST", alpha, widget("example.com/v1alpha1", "a", {}))
    assert status == 201, body
    # The default text names the newest served, non-deprecated version above the deprecated one.
    assert warnings_of(headers) == ['299 - "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget"']
    for method, path in (("GET", f"{alpha}/a"), ("GET", alpha), ("DELETE", f"{alpha}/nothing")):
        status, headers, _ = api.request(method, path)
        assert warnings_of(headers) == ['299 - "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget"']
    assert status == 404  # errors carry it too
    status, headers, _ = api.request("GET", "/apis/example.com/v1beta1/namespaces/default/widgets")
    assert warnings_of(headers) == ['299 - "example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget"']
    status, headers, _ = api.request("GET", "/apis/example.com/v2/namespaces/default/widgets/a")
    assert (status, warnings_of(headers)) == (200, ['299 - "v2 is going away"'])
    status, headers, _ = api.request("GET", f"{V1}/a")
    assert (status, warnings_of(headers)) == (200, [])
    # A watch's headers carry it as well, ahead of the stream.
    status, headers, _ = api.request("GET", f"{alpha}?watch=true&timeoutSeconds=1")
    assert warnings_of(headers) == ['299 - "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget"']


def test_a_deprecated_newest_version_warns_without_a_replacement(fake_cluster: FakeCluster, api: Api) -> None:
    install(fake_cluster, api, crd(version("v1", storage=True), version("v2", deprecated=True)))
    status, headers, _ = api.request("GET", V2)
    assert (status, warnings_of(headers)) == (200, ['299 - "example.com/v2 Widget is deprecated"'])


def test_a_deprecation_warning_comes_before_the_requests_own(fake_cluster: FakeCluster, api: Api) -> None:
    install(fake_cluster, api, crd(version("v1", storage=True, schema=V1_SCHEMA),
                                   version("v1beta1", deprecated=True, schema=V1_SCHEMA)))
    path = "/apis/example.com/v1beta1/namespaces/default/widgets?fieldValidation=Warn"
    status, headers, _ = api.request("POST", path, widget("example.com/v1beta1", "a", {"size": "1", "extra": 1}))
    assert status == 201
    assert warnings_of(headers) == ['299 - "example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget"',
                                    '299 - "unknown field \\"spec.extra\\""']


def test_kubectl_prints_the_deprecation_warning(fake_cluster: FakeCluster, api: Api, kubectl: Kubectl) -> None:
    install(fake_cluster, api, crd(version("v1", storage=True), version("v1beta1", deprecated=True)))
    assert api.json("POST", V1, widget("example.com/v1", "a", {}))[0] == 201
    result = kubectl("get", "widgets.v1beta1.example.com", "a", "-o", "name")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "widget.example.com/a\n"
    assert "Warning: example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget\n" in result.stderr


# --- strategy Webhook ------------------------------------------------------------------------------


def convert_widget(obj: dict[str, Any], desired: str) -> dict[str, Any]:
    """The test webhook's conversion: v1 ``spec.size: "3"`` <-> v2 ``spec.replicas: 3``."""
    out = copy.deepcopy(obj)
    spec = out.setdefault("spec", {})
    if desired == "example.com/v2" and "size" in spec:
        spec["replicas"] = int(spec.pop("size"))
    elif desired == "example.com/v1" and "replicas" in spec:
        spec["size"] = str(spec.pop("replicas"))
    out["apiVersion"] = desired
    return out


class Behaviour:
    """What the test webhook answers; a test changes ``mode`` to make it misbehave."""

    def __init__(self) -> None:
        self.mode = "convert"
        self.lock = threading.Lock()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        review = await request.json()
        req = review["request"]
        converted = [convert_widget(o, req["desiredAPIVersion"]) for o in req["objects"]]
        response: dict[str, Any] = {"uid": req["uid"], "convertedObjects": converted, "result": {"status": "Success"}}
        if self.mode == "fail":
            response = {"uid": req["uid"], "result": {"status": "Failure", "message": "cannot convert this widget"}}
        elif self.mode == "fail-silently":
            response = {"uid": req["uid"], "result": {"status": "Failure"}}
        elif self.mode == "wrong-uid":
            response["uid"] = "not-the-request"
        elif self.mode == "two-objects":
            response["convertedObjects"] = converted * 2
        elif self.mode == "rename":
            for obj in converted:
                obj["metadata"]["name"] = "renamed"
        elif self.mode == "wrong-version":
            for obj in converted:
                obj["apiVersion"] = "example.com/v3"
        elif self.mode == "relabel":
            for obj in converted:
                obj["metadata"]["labels"] = {"converted": "true"}
                obj["metadata"]["generation"] = 99  # not the webhook's to change: restored
        elif self.mode == "http-422":
            return web.Response(status=422, text="Cannot handle this ConversionReview")
        elif self.mode == "http-500":
            return web.Response(status=500, text="webhook crashed")
        return web.json_response({"apiVersion": review["apiVersion"], "kind": "ConversionReview",
                                  "response": response})


@pytest.fixture
def behaviour() -> Behaviour:
    return Behaviour()


@pytest.fixture
def hook(behaviour: Behaviour) -> Iterator[WebhookServer]:
    with WebhookServer(behaviour.handle, names=["widget-conversion.webhooks.svc"]) as server:
        yield server


def webhook_crd(client_config: dict[str, Any], review_versions: tuple[str, ...] = ("v1",)) -> dict[str, Any]:
    return crd(version("v1", storage=True, schema=V1_SCHEMA), version("v2", schema=V2_SCHEMA),
               conversion={"strategy": "Webhook", "webhook": {"clientConfig": client_config,
                                                              "conversionReviewVersions": list(review_versions)}})


def test_webhook_converts_between_shapes(fake_cluster: FakeCluster, api: Api, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url + "/convert", "caBundle": hook.ca_bundle}))
    status, created = api.json("POST", V1, widget("example.com/v1", "a", {"size": "3"}))
    assert status == 201, created
    assert hook.requests == []  # stored in its own version: nothing to convert
    status, got = api.json("GET", f"{V2}/a")
    assert status == 200, got
    assert (got["apiVersion"], got["spec"]) == ("example.com/v2", {"replicas": 3})
    assert got["metadata"] == created["metadata"]
    call = hook.requests[-1]
    assert call["path"] == "/convert?timeout=30s"
    assert (call["headers"]["Content-Type"], call["headers"]["User-Agent"]) == (
        "application/json", "kube-apiserver-admission")
    review = call["body"]
    assert (review["apiVersion"], review["kind"]) == ("apiextensions.k8s.io/v1", "ConversionReview")
    assert review["request"]["desiredAPIVersion"] == "example.com/v2"
    assert review["request"]["objects"] == [stored_widgets(fake_cluster)["a"]]
    # Written in v2: converted to v1 for storage, answered in v2.
    status, created_b = api.json("POST", V2, widget("example.com/v2", "b", {"replicas": 7}))
    assert status == 201, created_b
    assert (created_b["apiVersion"], created_b["spec"]) == ("example.com/v2", {"replicas": 7})
    stored = stored_widgets(fake_cluster)["b"]
    assert (stored["apiVersion"], stored["spec"]) == ("example.com/v1", {"size": "7"})
    status, back = api.json("GET", f"{V1}/b")
    assert (back["apiVersion"], back["spec"]) == ("example.com/v1", {"size": "7"})
    calls = len(hook.requests)
    status, listed = api.json("GET", V2)
    assert [(i["apiVersion"], i["metadata"]["name"], i["spec"]) for i in listed["items"]] == [
        ("example.com/v2", "a", {"replicas": 3}), ("example.com/v2", "b", {"replicas": 7})]
    assert len(hook.requests) == calls + 2  # each stored object converted on its own, as upstream's storage does


def test_webhook_by_service_reference(fake_cluster_factory: Any, behaviour: Behaviour, hook: WebhookServer) -> None:
    cluster = fake_cluster_factory(service_addresses={"widget-conversion.webhooks.svc:8443": hook.address})
    api = Api(cluster.url)
    install(cluster, api, webhook_crd({"service": {"namespace": "webhooks", "name": "widget-conversion",
                                                   "path": "/convert/", "port": 8443},
                                       "caBundle": hook.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "2"}))[0] == 201
    status, got = api.json("GET", f"{V2}/a")
    assert (status, got["spec"]) == (200, {"replicas": 2})
    assert hook.requests[-1]["path"] == "/convert?timeout=30s"
    assert hook.requests[-1]["headers"]["Host"] == "widget-conversion.webhooks.svc:8443"


def test_a_service_nobody_mapped_is_not_found(fake_cluster: FakeCluster, api: Api, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"service": {"namespace": "webhooks", "name": "nowhere", "path": "/c"},
                                            "caBundle": hook.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "2"}))[0] == 201
    status, body = api.json("GET", f"{V2}/a")
    assert (status, body.get("reason"), body["message"]) == (
        500, None, 'conversion webhook for example.com/v1, Kind=Widget failed: Post '
                   '"https://nowhere.webhooks.svc:443/c?timeout=30s": service "nowhere" not found')


def test_v1beta1_reviews_when_the_crd_asks_for_them_first(fake_cluster: FakeCluster, api: Api,
                                                          hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}, ("v1beta1", "v1")))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
    status, got = api.json("GET", f"{V2}/a")
    assert (status, got["spec"]) == (200, {"replicas": 4})
    assert hook.requests[-1]["body"]["apiVersion"] == "apiextensions.k8s.io/v1beta1"
    assert hook.requests[-1]["path"] == "/?timeout=30s"


def test_webhook_may_change_labels_but_not_other_metadata(fake_cluster: FakeCluster, api: Api,
                                                          behaviour: Behaviour, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    status, created = api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))
    behaviour.mode = "relabel"
    status, got = api.json("GET", f"{V2}/a")
    assert status == 200
    assert got["metadata"] == {**created["metadata"], "labels": {"converted": "true"}}


def failure(api: Api, path: str) -> tuple[int, str | None, str]:
    status, body = api.json("GET", path)
    return status, body.get("reason"), body.get("message", "")


GVK = "example.com/v1, Kind=Widget"


@pytest.mark.parametrize(("mode", "message"), [
    ("fail", f"conversion webhook for {GVK} failed: cannot convert this widget"),
    ("fail-silently", f"conversion webhook for {GVK} failed: response.result.status was 'Failure', not 'Success'"),
    ("two-objects", f"conversion webhook for {GVK} returned 2 objects, expected 1"),
    ("rename", f"conversion webhook for {GVK} returned invalid object: must have the same name: a != renamed"),
    ("wrong-version", f"conversion webhook for {GVK} returned invalid object at index 0: invalid groupVersion "
                      "(expected example.com/v2, received example.com/v3)"),
    ("http-422", f"conversion webhook for {GVK} failed: the server rejected our request due to an error in our "
                 "request"),
    ("http-500", f'conversion webhook for {GVK} failed: an error on the server ("webhook crashed") has prevented '
                 "the request from succeeding"),
])
def test_webhook_failures_are_500s_in_upstreams_words(fake_cluster: FakeCluster, api: Api, behaviour: Behaviour,
                                                      hook: WebhookServer, mode: str, message: str) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
    behaviour.mode = mode
    assert failure(api, f"{V2}/a") == (500, None, message)
    assert failure(api, V2) == (500, None, message)  # a list fails as a whole


def test_wrong_uid_names_both(fake_cluster: FakeCluster, api: Api, behaviour: Behaviour, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
    behaviour.mode = "wrong-uid"
    status, reason, message = failure(api, f"{V2}/a")
    uid = hook.requests[-1]["body"]["request"]["uid"]
    assert (status, reason, message) == (
        500, None, f'conversion webhook for {GVK} failed: expected response.uid="{uid}", got "not-the-request"')


def test_a_failed_conversion_on_create_stores_nothing(fake_cluster: FakeCluster, api: Api, behaviour: Behaviour,
                                                      hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    behaviour.mode = "fail"
    status, body = api.json("POST", V2, widget("example.com/v2", "b", {"replicas": 1}))
    assert (status, body.get("reason"), body["message"]) == (
        500, None, "conversion webhook for example.com/v2, Kind=Widget failed: cannot convert this widget")
    assert stored_widgets(fake_cluster) == {}


def test_an_unreachable_webhook(fake_cluster: FakeCluster, api: Api, hook: WebhookServer) -> None:
    url = hook.url + "/convert"
    port = hook.port
    hook.stop()
    install(fake_cluster, api, webhook_crd({"url": url, "caBundle": hook.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
    assert failure(api, f"{V2}/a") == (
        500, None, f'conversion webhook for {GVK} failed: Post "https://127.0.0.1:{port}/convert?timeout=30s": '
                   f"dial tcp 127.0.0.1:{port}: connect: connection refused")


def test_a_webhook_the_ca_bundle_does_not_vouch_for(fake_cluster: FakeCluster, api: Api, hook: WebhookServer) -> None:
    with WebhookServer(hook.handler) as other:
        install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": other.ca_bundle}))
    assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
    assert failure(api, f"{V2}/a") == (
        500, None, f'conversion webhook for {GVK} failed: Post "{hook.url}/?timeout=30s": tls: failed to verify '
                   "certificate: x509: certificate signed by unknown authority")


def test_stored_bytes_stay_in_the_storage_version(fake_cluster: FakeCluster, api: Api, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    assert api.json("POST", V2, widget("example.com/v2", "b", {"replicas": 9}))[0] == 201
    raw = fake_cluster.call(lambda: fake_cluster.store.get("example.com/widgets", ("default", "b")))
    assert raw is not None
    obj = orjson.loads(raw)
    assert (obj["apiVersion"], obj["spec"]) == ("example.com/v1", {"size": "9"})


def test_a_watch_ends_with_an_error_event_when_conversion_fails(fake_cluster: FakeCluster, api: Api,
                                                                behaviour: Behaviour, hook: WebhookServer) -> None:
    install(fake_cluster, api, webhook_crd({"url": hook.url, "caBundle": hook.ca_bundle}))
    status, created = api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))
    rv = created["metadata"]["resourceVersion"]
    status, _ = api.json("PATCH", f"{V1}/a", {"spec": {"size": "5"}},
                         headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200
    behaviour.mode = "fail"
    status, _, body = api.request("GET", f"{V2}?watch=true&resourceVersion={rv}&timeoutSeconds=5")
    assert status == 200
    detail = f"conversion webhook for {GVK} failed: cannot convert this widget"
    assert [json.loads(line) for line in body.splitlines()] == [{"type": "ERROR", "object": {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": f"Internal error occurred: {detail}", "reason": "InternalError",
        "details": {"causes": [{"message": detail}]}, "code": 500}}]


def test_a_service_whose_certificate_does_not_name_it(fake_cluster_factory: Any, behaviour: Behaviour) -> None:
    with WebhookServer(behaviour.handle) as plain:  # valid for localhost and 127.0.0.1 only
        cluster = fake_cluster_factory(service_addresses={"widget-conversion.webhooks.svc": plain.address})
        api = Api(cluster.url)
        install(cluster, api, webhook_crd({"service": {"namespace": "webhooks", "name": "widget-conversion"},
                                           "caBundle": plain.ca_bundle}))
        assert api.json("POST", V1, widget("example.com/v1", "a", {"size": "4"}))[0] == 201
        assert failure(api, f"{V2}/a") == (
            500, None, f'conversion webhook for {GVK} failed: Post "https://widget-conversion.webhooks.svc:443/'
                       '?timeout=30s": tls: failed to verify certificate: x509: certificate is valid for localhost, '
                       "not widget-conversion.webhooks.svc")
