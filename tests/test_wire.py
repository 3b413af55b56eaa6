"""What goes over the wire: exact Status bytes, content negotiation, discovery documents, versions."""

from __future__ import annotations

import gzip
import json

import yaml

CM_PATH = "/api/v1/namespaces/default/configmaps"


def test_not_found_status_is_byte_exact(api):
    status, headers, body = api.request("GET", CM_PATH + "/missing")
    assert status == 404
    assert headers["content-type"] == ["application/json"]
    assert body == (b'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":'
                    b'"configmaps \\"missing\\" not found","reason":"NotFound","details":{"name":"missing",'
                    b'"kind":"configmaps"},"code":404}\n')


def test_unknown_path_in_a_built_in_group_is_a_generic_404(api):
    status, _, body = api.request("GET", "/apis/apps/v9/deployments")
    assert status == 404
    assert body == (b'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":'
                    b'"the server could not find the requested resource","reason":"NotFound","details":{},'
                    b'"code":404}\n')


def test_unknown_group_and_non_api_paths_are_gos_plain_404(api):
    """No go-restful web service claims them: kube-apiserver's chain ends in ``http.NotFound``
    (the err-unknown-group-version recording)."""
    for path in ("/apis/nothing.example.com/v1/widgets", "/apis/nothing.example.com", "/nope",
                 "/readyz/nonexistent-check"):
        status, headers, body = api.request("GET", path)
        assert (status, headers["content-type"], body) == (404, ["text/plain; charset=utf-8"], b"404 page not found\n")
    assert api.request("GET", "/livez/ping")[::2] == (200, b"ok")


GENERIC_405 = (b'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":'
               b'"the server does not allow this method on the requested resource","reason":"MethodNotAllowed",'
               b'"details":{},"code":405}\n')


def test_a_verb_the_resource_lacks_is_go_restfuls_generic_405(api):
    """kube-apiserver has no route for these methods; go-restful's 405 names no resource."""
    api.json("POST", "/api/v1/namespaces/default/pods",
             {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    for method, path in (("DELETE", "/api/v1/namespaces"),  # namespaces have no deletecollection
                         ("GET", "/api/v1/namespaces/default/bindings"),  # create-only resource
                         ("DELETE", "/api/v1/namespaces/default/pods/p/status"),  # no delete on a subresource
                         ("PUT", "/api/v1/namespaces/default/pods/p/exec"),  # exec has GET and POST only
                         ("PUT", "/api/v1/namespaces/default/pods"),  # a collection has no PUT
                         ("POST", "/api/v1/namespaces/default/pods/p")):  # an object has no POST
        status, _, body = api.request(method, path)
        assert (method, path, status, body) == (method, path, 405, GENERIC_405)


def test_yaml_in_and_yaml_out(api):
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  key: value\n"
    status, headers, body = api.request("POST", CM_PATH, manifest,
                                        {"Content-Type": "application/yaml", "Accept": "application/yaml"})
    assert status == 201
    assert headers["content-type"] == ["application/yaml"]
    obj = yaml.safe_load(body)
    assert obj["data"] == {"key": "value"}
    assert list(obj)[:3] == ["kind", "apiVersion", "metadata"]


def test_unsupported_content_type_is_415_and_unacceptable_accept_is_406(api):
    status, body = api.json("POST", CM_PATH, "<xml/>", {"Content-Type": "application/xml"})
    assert status == 415 and body["reason"] == "UnsupportedMediaType"
    status, body = api.json("GET", CM_PATH, headers={"Accept": "text/html"})
    assert status == 406 and body["reason"] == "NotAcceptable"


def test_protobuf_preferring_client_that_accepts_json_gets_json(api):
    status, headers, body = api.request(
        "GET", CM_PATH, headers={"Accept": "application/vnd.kubernetes.protobuf, application/json"})
    assert status == 200
    assert headers["content-type"] == ["application/json"]
    assert json.loads(body)["kind"] == "ConfigMapList"


def test_gzip_when_asked_for_large_responses_as_kube_apiserver(api):
    status, headers, _ = api.request("GET", CM_PATH, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers  # small answers go out plain
    for i in range(20):
        api.request("POST", CM_PATH, {"metadata": {"name": f"cm-{i}"}, "data": {"k": "v" * 8000}})
    status, headers, body = api.request("GET", CM_PATH, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == ["gzip"]
    assert len(json.loads(gzip.decompress(body))["items"]) == 21  # and the namespace's kube-root-ca.crt


def test_malformed_json_and_yaml_are_400(api):
    status, body = api.json("POST", CM_PATH, "{not json", {"Content-Type": "application/json"})
    assert status == 400 and body["reason"] == "BadRequest"
    assert body["message"] == ("the object provided is unrecognized (must be of type ConfigMap): couldn't get "
                               "version/kind; json parse error: invalid character 'n' looking for beginning of "
                               "object key string ({not json)")
    status, body = api.json("POST", CM_PATH, "a: [b", {"Content-Type": "application/yaml"})
    assert (status, body["message"]) == (400, "the object provided is unrecognized (must be of type ConfigMap): "
                                              "yaml: did not find expected ',' or ']' (613a205b62)")


def test_body_must_match_the_endpoint(api):
    # as the err-body-wrong-kind and err-body-other-kind recordings
    status, body = api.json("POST", CM_PATH, {"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "a"}})
    assert (status, body["message"]) == (400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind '
                                              '"ConfigMap" is registered for version "apps/v1" in scheme '
                                              '"pkg/runtime/scheme.go:111"')
    status, body = api.json("POST", CM_PATH, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}})
    assert (status, body["message"]) == (400, 'Secret in version "v1" cannot be handled as a ConfigMap: converting '
                                              "(v1.Secret) to (core.ConfigMap): unknown conversion")
    hpa = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"
    status, body = api.json("POST", hpa, {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
                                          "metadata": {"name": "a"}})
    assert (status, body["message"]) == (400, "the API version in the data (autoscaling/v1) does not match the "
                                              "expected API version (autoscaling/v2)")
    status, body = api.json("POST", CM_PATH, {"metadata": {"name": "a", "namespace": "kube-system"}})
    assert status == 400
    assert body["message"] == ("the namespace of the provided object does not match the namespace sent on the "
                               "request")


def test_bad_input_never_leaves_a_half_written_object(api):
    for body in (b"\xff\xfe", b"[]", b'"text"', b"null", b'{"metadata": 5}', b'{"metadata": {"name": 5}}'):
        status, _, _ = api.request("POST", CM_PATH, body, {"Content-Type": "application/json"})
        assert 400 <= status < 500, body
    status, listing = api.json("GET", CM_PATH)
    assert [i["metadata"]["name"] for i in listing["items"]] == ["kube-root-ca.crt"]  # what the namespace held


def test_lists_carry_kind_api_version_and_resource_version(api):
    status, body = api.json("GET", "/apis/apps/v1/deployments")
    assert status == 200
    assert body["kind"] == "DeploymentList" and body["apiVersion"] == "apps/v1"
    assert body["metadata"]["resourceVersion"].isdigit()
    assert body["items"] == []


def test_resource_version_is_global_and_monotonic(api):
    _, a = api.json("POST", CM_PATH, {"metadata": {"name": "a"}})
    _, b = api.json("POST", "/api/v1/namespaces/default/secrets", {"metadata": {"name": "b"}})
    _, c = api.json("POST", CM_PATH, {"metadata": {"name": "c"}})
    rvs = [int(x["metadata"]["resourceVersion"]) for x in (a, b, c)]
    assert rvs == sorted(rvs) and len(set(rvs)) == 3


def test_bearer_tokens_are_accepted(api):
    status, _ = api.json("GET", CM_PATH, headers={"Authorization": "Bearer anything"})
    assert status == 200


def test_version_and_health_endpoints(api):
    status, version = api.json("GET", "/version")
    assert status == 200
    assert version["gitVersion"].startswith("v1.37.") and version["major"] == "1" and version["minor"] == "37"
    for path in ("/healthz", "/livez", "/readyz"):
        status, _, body = api.request("GET", path)
        assert (status, body) == (200, b"ok")


def test_legacy_discovery_documents(api):
    _, core = api.json("GET", "/api")
    assert core["kind"] == "APIVersions" and core["versions"] == ["v1"]
    _, groups = api.json("GET", "/apis")
    apps = next(g for g in groups["groups"] if g["name"] == "apps")
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    autoscaling = next(g for g in groups["groups"] if g["name"] == "autoscaling")
    assert [v["version"] for v in autoscaling["versions"]] == ["v2", "v1"]
    _, resources = api.json("GET", "/api/v1")
    assert resources["groupVersion"] == "v1"
    pods = next(r for r in resources["resources"] if r["name"] == "pods")
    assert pods["shortNames"] == ["po"] and pods["namespaced"] is True and "watch" in pods["verbs"]
    assert any(r["name"] == "pods/status" for r in resources["resources"])
    _, apps_v1 = api.json("GET", "/apis/apps/v1")
    scale = next(r for r in apps_v1["resources"] if r["name"] == "deployments/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")


def test_aggregated_discovery_answers_with_its_content_type(api):
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    status, headers, body = api.request("GET", "/apis", headers={"Accept": accept})
    assert status == 200
    assert headers["content-type"] == ["application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"]
    doc = json.loads(body)
    assert doc["kind"] == "APIGroupDiscoveryList"
    apps = next(i for i in doc["items"] if i["metadata"]["name"] == "apps")
    deploy = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deploy["scope"] == "Namespaced" and deploy["shortNames"] == ["deploy"]
    assert {s["subresource"] for s in deploy["subresources"]} == {"scale", "status"}


def test_table_output_has_name_and_age(api):
    api.request("POST", CM_PATH, {"metadata": {"name": "t"}, "data": {"a": "b"}})
    accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    status, table = api.json("GET", CM_PATH, headers={"Accept": accept})
    assert status == 200 and table["kind"] == "Table"
    names = [c["name"] for c in table["columnDefinitions"]]
    assert names[0] == "Name" and names[-1] == "Age"
    assert [row["cells"][0] for row in table["rows"]] == ["kube-root-ca.crt", "t"]
    assert table["rows"][1]["object"]["kind"] == "PartialObjectMetadata"


def test_hpa_is_served_in_v1_and_v2_over_the_same_data(api):
    hpa_v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
              "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                       "minReplicas": 1, "maxReplicas": 5, "targetCPUUtilizationPercentage": 70}}
    status, created = api.json("POST", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers", hpa_v1)
    assert status == 201, created
    status, v2 = api.json("GET", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")
    assert status == 200
    assert v2["apiVersion"] == "autoscaling/v2"
    assert v2["spec"]["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]
    assert v2["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    v2["spec"]["maxReplicas"] = 9
    status, updated = api.json("PUT", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web", v2)
    assert status == 200, updated
    _, again = api.json("GET", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web")
    assert again["spec"]["maxReplicas"] == 9 and again["spec"]["targetCPUUtilizationPercentage"] == 70
    _, listed = api.json("GET", "/apis/autoscaling/v1/horizontalpodautoscalers")
    # the list is in v1 (its items carry no apiVersion, as kube-apiserver writes them), so the v1 field shows
    assert listed["apiVersion"] == "autoscaling/v1" and "apiVersion" not in listed["items"][0]
    assert listed["items"][0]["spec"]["targetCPUUtilizationPercentage"] == 70


def test_core_and_events_k8s_io_events_are_the_same_objects(api):
    event = {"metadata": {"name": "e1"}, "involvedObject": {"kind": "Pod", "name": "p", "namespace": "default"},
             "reason": "Started", "message": "started the thing", "type": "Normal"}
    status, _ = api.json("POST", "/api/v1/namespaces/default/events", event)
    assert status == 201
    status, new = api.json("GET", "/apis/events.k8s.io/v1/namespaces/default/events/e1")
    assert status == 200
    assert new["note"] == "started the thing" and new["regarding"]["name"] == "p"
    assert new["reason"] == "Started"


def test_alpha_versions_are_off_by_default_and_can_be_enabled(fake_cluster_factory):
    from conftest import Api

    default = Api(fake_cluster_factory().url)
    status, _ = default.json("GET", "/apis/resource.k8s.io/v1beta1")
    assert status == 404
    enabled = Api(fake_cluster_factory(runtime_config="resource.k8s.io/v1beta1=true").url)
    status, doc = enabled.json("GET", "/apis/resource.k8s.io/v1beta1")
    assert status == 200 and doc["groupVersion"] == "resource.k8s.io/v1beta1"


def test_writes_on_the_all_namespaces_path_are_405(api):
    api.request("POST", CM_PATH, {"metadata": {"name": "keep"}})
    status, body = api.json("DELETE", "/api/v1/configmaps")
    assert status == 405 and body["reason"] == "MethodNotAllowed"
    status, _ = api.json("POST", "/api/v1/configmaps", {"metadata": {"name": "x", "namespace": "default"}})
    assert status == 405
    status, body = api.json("GET", "/api/v1/configmaps/keep")
    assert status == 404 and body["message"] == "the server could not find the requested resource"
    status, _ = api.json("GET", "/api/v1/namespaces//configmaps")
    assert status == 404
    assert api.json("GET", CM_PATH + "/keep")[0] == 200


def test_delete_options_are_decoded_and_validated(api):
    api.request("POST", CM_PATH, {"metadata": {"name": "d"}})
    status, body = api.json("DELETE", CM_PATH + "/d", {"preconditions": "x"})
    assert status == 400 and "cannot unmarshal string into Go struct field" in body["message"]
    status, body = api.json("DELETE", CM_PATH + "/d?propagationPolicy=Bogus")
    assert status == 422
    assert body["message"] == ('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: '
                               '"Bogus": supported values: "Foreground", "Background", "Orphan", "nil"')
    status, body = api.json("DELETE", CM_PATH + "/d?dryRun=Bogus")
    assert status == 422 and body["details"]["causes"][0]["field"] == "dryRun"
    status, body = api.json("DELETE", CM_PATH + "/d", "[1, 2]", {"Content-Type": "application/json"})
    assert status == 400
    assert api.json("GET", CM_PATH + "/d")[0] == 200  # none of the bad requests deleted anything
    status, body = api.json("DELETE", CM_PATH + "/d", {"kind": "DeleteOptions", "apiVersion": "v1",
                                                       "propagationPolicy": "Background"})
    assert status == 200 and body["status"] == "Success"


def test_create_options_are_validated(api):
    status, body = api.json("POST", CM_PATH + "?fieldValidation=Loose", {"metadata": {"name": "x"}})
    assert status == 422
    assert body["message"] == ('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: '
                               '"Loose": supported values: "", "Ignore", "Strict", "Warn"')


def test_yaml_bombs_and_deep_nesting_are_refused_quickly(api):
    bomb = "a0: &a0 [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    status, body = api.json("POST", CM_PATH, bomb, {"Content-Type": "application/yaml"})
    assert status == 400 and "excessive aliasing" in body["message"]
    status, body = api.json("POST", CM_PATH, "[" * 3000 + "]" * 3000, {"Content-Type": "application/yaml"})
    assert status == 400
    nested = {"metadata": {"name": "deep"}, "data": {}}
    cursor = nested
    for _ in range(300):
        cursor["x"] = {}
        cursor = cursor["x"]
    status, body = api.json("POST", CM_PATH, nested)
    assert status == 400


def test_watch_in_yaml_is_not_acceptable(api):
    status, headers, raw = api.request("GET", CM_PATH + "?watch=1", headers={"Accept": "application/yaml"})
    body = yaml.safe_load(raw)  # the error itself is negotiated, as kube's ErrorNegotiated does (err-not-acceptable)
    assert (status, headers["content-type"], body["reason"]) == (406, ["application/yaml"], "NotAcceptable")


def test_metadata_only_clients_get_partial_object_metadata(fake_cluster, api):
    api.request("POST", CM_PATH, {"metadata": {"name": "m", "labels": {"a": "b"}}, "data": {"big": "x" * 100}})
    one = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
    status, body = api.json("GET", CM_PATH + "/m", headers={"Accept": one})
    assert status == 200
    assert body["kind"] == "PartialObjectMetadata" and body["apiVersion"] == "meta.k8s.io/v1"
    assert body["metadata"]["labels"] == {"a": "b"} and "data" not in body
    many = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
    status, listing = api.json("GET", CM_PATH, headers={"Accept": many})
    assert listing["kind"] == "PartialObjectMetadataList"
    assert [i["kind"] for i in listing["items"]] == ["PartialObjectMetadata"] * 2  # m and kube-root-ca.crt
    status, _, raw = api.request("GET", CM_PATH + "?watch=1&timeoutSeconds=1", headers={"Accept": one})
    event = json.loads(raw.splitlines()[0])
    assert event["type"] == "ADDED" and event["object"]["kind"] == "PartialObjectMetadata"


def test_every_verb_answers_as_a_table_or_metadata_when_asked(api):
    """kube-apiserver transforms the result of every verb, not only of GET (``transformObject``); a
    Status (a binding's answer) passes through."""
    one = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
    table = "application/json;as=Table;g=meta.k8s.io;v=v1"
    status, body = api.json("POST", CM_PATH, {"metadata": {"name": "t", "labels": {"a": "b"}}, "data": {"k": "v"}},
                            headers={"Accept": table})
    assert (status, body["kind"], body["apiVersion"]) == (201, "Table", "meta.k8s.io/v1")
    assert [c["name"] for c in body["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert [row["cells"][:2] for row in body["rows"]] == [["t", 1]]
    assert body["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    status, body = api.json("PATCH", CM_PATH + "/t", '{"data":{"k2":"v"}}',
                            headers={"Content-Type": "application/merge-patch+json", "Accept": one})
    assert (status, body["kind"], body["metadata"]["labels"]) == (200, "PartialObjectMetadata", {"a": "b"})
    assert "data" not in body
    status, body = api.json("PUT", CM_PATH + "/t", {"metadata": {"name": "t"}, "data": {}}, headers={"Accept": table})
    assert (status, body["kind"], body["rows"][0]["cells"][:2]) == (200, "Table", ["t", 0])
    status, body = api.json("DELETE", CM_PATH + "/t", headers={"Accept": one})  # a ConfigMap's delete is a Status
    assert (status, body["kind"], body["status"], body["details"]["name"]) == (200, "Status", "Success", "t")
    for name in ("u", "v"):
        api.json("POST", CM_PATH, {"metadata": {"name": name}})
    status, body = api.json("DELETE", CM_PATH, headers={
        "Accept": "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"})
    assert (status, body["kind"]) == (200, "PartialObjectMetadataList")
    assert sorted(i["metadata"]["name"] for i in body["items"] if i["metadata"]["name"] in ("u", "v")) == ["u", "v"]
    api.json("POST", "/api/v1/namespaces/default/pods",
             {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    status, body = api.json("POST", "/api/v1/namespaces/default/pods/p/binding",
                            {"metadata": {"name": "p"}, "target": {"kind": "Node", "name": "n1"}},
                            headers={"Accept": one})
    assert (status, body["kind"], body["status"], body["code"]) == (201, "Status", "Success", 201)
    status, body = api.json("DELETE", "/api/v1/namespaces/default/pods/p", headers={"Accept": one})
    assert (status, body["kind"], body["metadata"]["name"]) == (200, "PartialObjectMetadata", "p")
    api.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
            "metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    status, body = api.json("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale", headers={"Accept": one})
    assert (status, body["kind"], body["metadata"]["name"]) == (200, "PartialObjectMetadata", "web")


def test_openapi_v3_documents_are_cached_by_hash_and_stale_hashes_redirect(api):
    _, index = api.json("GET", "/openapi/v3")
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    status, headers, body = api.request("GET", url)
    assert status == 200 and headers["cache-control"] == ["public, immutable"]
    assert json.loads(body)["openapi"].startswith("3.")
    status, headers, _ = api.request("GET", "/openapi/v3/apis/apps/v1?hash=STALE")
    assert status == 301 and headers["location"] == [url]
