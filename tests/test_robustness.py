"""Answers to malformed requests that used to be server errors, dropped connections or plain-text bodies:
each is now kube-apiserver's Status (issue: robustness defects found by fuzzing)."""

from __future__ import annotations

import json

CMS = "/api/v1/namespaces/default/configmaps"


def test_a_named_watch_with_a_bad_field_selector_is_a_400_as_on_lists(api):
    api.json("POST", CMS, {"metadata": {"name": "cm1"}})
    status, body = api.json("GET", "/api/v1/watch/namespaces/default/configmaps/cm1?timeoutSeconds=1"
                                   "&fieldSelector=garbage")
    listed_status, listed = api.json("GET", f"{CMS}?fieldSelector=garbage")
    assert (status, body["reason"], body["message"]) == (400, "BadRequest", listed["message"])
    assert listed_status == 400


def test_a_newline_in_a_path_gets_a_status(api):
    status, headers, data = api.request("GET", f"{CMS}/a%0Ab")
    assert status == 404 and headers["content-type"] == ["application/json"]
    assert json.loads(data)["message"] == 'configmaps "a\\nb" not found'


def test_integer_options_are_read_as_go_reads_them(api):
    # the parameter codec's strconv.ParseInt error, as it is (the err-bad-query-parameters recording)
    for value, text, problem in (("1_0", "1_0", "invalid syntax"), ("%D9%A3", "\u0663", "invalid syntax"),
                                 ("%205", " 5", "invalid syntax"),
                                 ("99999999999999999999", "99999999999999999999", "value out of range")):
        status, body = api.json("GET", f"{CMS}?limit={value}")
        assert (status, body["message"]) == (400, f'strconv.ParseInt: parsing "{text}": {problem}'), value
    assert api.json("GET", f"{CMS}?limit=%2B5")[0] == 200  # a sign is allowed (+ itself is a space in a query)


def test_a_content_type_without_a_media_type_is_a_415(api):
    status, body = api.json("POST", CMS, json.dumps({"metadata": {"name": "c"}}), {"Content-Type": ";;;"})
    assert (status, body["reason"]) == (415, "UnsupportedMediaType")
    assert api.json("GET", f"{CMS}/c")[0] == 404


def test_an_unknown_field_with_a_control_character_is_answered_once_and_stored_once(api):
    """The Warning header kube would write for it holds a newline: net.NewWarningHeader refuses such text,
    so no warning is sent, and the answer reaches the client (the connection used to drop, the object
    stored, and a retry met AlreadyExists)."""
    status, headers, data = api.request("POST", CMS, json.dumps({"metadata": {"name": "c"}, "a\nb": 1}),
                                        {"Content-Type": "application/json"})
    assert status == 201 and "warning" not in headers
    assert json.loads(data)["metadata"]["name"] == "c"
    status, headers, _ = api.request("POST", CMS, json.dumps({"metadata": {"name": "d"}, "ab": 1}),
                                     {"Content-Type": "application/json"})
    assert status == 201 and headers["warning"] == ['299 - "unknown field \\"ab\\""']


def test_writes_whose_body_names_no_object_are_400s(api):
    """kube's update and patch handlers check the body's name against the URL's (``checkName``)."""
    api.json("POST", CMS, {"metadata": {"name": "cm1"}, "data": {"a": "1"}})
    undeterminable = "the name of the object ({} based on URL) was undeterminable: name must be provided"
    status, body = api.json("PUT", f"{CMS}/cm1", {"metadata": {}, "data": {"a": "2"}})
    assert (status, body["message"]) == (400, undeterminable.format("cm1"))
    status, body = api.json("PATCH", f"{CMS}/cm1", json.dumps([{"op": "remove", "path": "/metadata/name"}]),
                            {"Content-Type": "application/json-patch+json"})
    assert (status, body["message"]) == (400, undeterminable.format("cm1"))
    deployments = "/apis/apps/v1/namespaces/default/deployments"
    api.json("POST", deployments, {"metadata": {"name": "web"}, "spec": {
        "replicas": 2, "selector": {"matchLabels": {"a": "b"}},
        "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}})
    status, body = api.json("PUT", f"{deployments}/web/scale", {})
    assert (status, body["message"]) == (400, undeterminable.format("web"))
    assert api.json("GET", f"{deployments}/web")[1]["spec"]["replicas"] == 2  # not set to 0
    assert api.json("GET", f"{CMS}/cm1")[1]["data"] == {"a": "1"}


def test_deletecollection_validates_its_list_options_before_deleting(api):
    api.json("POST", CMS, {"metadata": {"name": "keep"}})
    for query, message in (
            ("resourceVersionMatch=Bogus&resourceVersion=1",
             'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported '
             'values: "Exact", "NotOlderThan", ""'),
            ("sendInitialEvents=true",
             'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden '
             "for list")):
        status, body = api.json("DELETE", f"{CMS}?{query}")
        assert (status, body["message"]) == (422, message)
    assert api.json("GET", f"{CMS}/keep")[0] == 200  # nothing deleted


def test_patches_that_do_not_decode_into_the_type_are_422s(api):
    """jsonPatcher decodes the patched JSON into the type: a failure is ``NewInvalid`` on ``patch`` with the
    patched document as the value (smpPatcher shows the patch as Go prints a map); under Strict, unknown
    fields are a 422 too after a JSON or merge patch, a plain 400 ``strict decoding error`` after a strategic one."""
    api.json("POST", CMS, {"metadata": {"name": "c"}, "data": {"a": "1"}})
    merge = {"Content-Type": "application/merge-patch+json"}
    status, body = api.json("PATCH", f"{CMS}/c", '{"data":5}', merge)
    assert status == 422 and body["reason"] == "Invalid"
    assert body["message"].startswith(' "" is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"v1\\",\\"data\\":5,')
    assert body["message"].endswith('": json: cannot unmarshal number into Go struct field ConfigMap.data of type '
                                    "map[string]string")
    assert body["details"] == {"causes": [{"reason": "FieldValueInvalid", "message": body["message"].split(
        "patch: ", 1)[1], "field": "patch"}]}
    # under Warn (the default) and Strict the patch is first decoded strictly into a map (patch.go)
    status, body = api.json("PATCH", f"{CMS}/c", "[1,2]", merge)
    assert (status, body["message"]) == (400, "error decoding patch: json: cannot unmarshal array into Go value of "
                                              "type map[string]interface {}")
    status, body = api.json("PATCH", f"{CMS}/c?fieldValidation=Ignore", "[1,2]", merge)
    assert (status, body["message"]) == (422, ' "" is invalid: patch: Invalid value: "[1,2]": couldn\'t get '
                                              'version/kind; json parse error: json: cannot unmarshal array into Go '
                                              'value of type struct { APIVersion string "json:\\"apiVersion,'
                                              'omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')
    deployments = "/apis/apps/v1/namespaces/default/deployments"
    api.json("POST", deployments, {"metadata": {"name": "d"}, "spec": {
        "selector": {"matchLabels": {"a": "b"}},
        "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}})
    for replicas in ("9223372036854775808", "1.5"):
        status, body = api.json("PATCH", f"{deployments}/d", f'{{"spec":{{"replicas":{replicas}}}}}', merge)
        assert status == 422 and body["message"].endswith("into Go struct field DeploymentSpec.spec.replicas of "
                                                          "type int32"), body
    status, body = api.json("PATCH", f"{deployments}/d", '{"spec":{"replicas":1.5}}',
                            {"Content-Type": "application/strategic-merge-patch+json"})
    assert (status, body["message"]) == (422, ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:1.5]]": '
                                              "json: cannot unmarshal number 1.5 into Go struct field "
                                              "DeploymentSpec.spec.replicas of type int32")
    status, body = api.json("PATCH", f"{CMS}/c?fieldValidation=Strict",
                            json.dumps([{"op": "add", "path": "/bogus", "value": 1}]),
                            {"Content-Type": "application/json-patch+json"})
    # after a JSON or merge patch the jsonPatcher answers a 422 on "patch" (err-field-validation-patch)
    assert (status, body["reason"], body["details"]["causes"][0]["field"]) == (422, "Invalid", "patch")
    assert body["message"].endswith('": strict decoding error: unknown field "bogus"')
    assert api.json("GET", f"{CMS}/c")[1]["data"] == {"a": "1"}


def test_pods_get_the_default_node_tolerations(api):
    """DefaultTolerationSeconds admission: a new pod tolerates not-ready and unreachable nodes for 300 s,
    unless a toleration of its own already covers them (an empty key and effect covers both)."""
    pods = "/api/v1/namespaces/default/pods"
    status, pod = api.json("POST", pods, {"metadata": {"name": "p"},
                                          "spec": {"containers": [{"name": "c", "image": "i"}]}})
    assert status == 201
    assert pod["spec"]["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 300}]
    assert "f:tolerations" not in json.dumps(pod["metadata"]["managedFields"])  # admission's, nobody's
    status, pod = api.json("POST", pods, {"metadata": {"name": "q"}, "spec": {
        "containers": [{"name": "c", "image": "i"}], "tolerations": [{"operator": "Exists"}]}})
    assert pod["spec"]["tolerations"] == [{"operator": "Exists"}]


def test_secret_data_with_line_breaks_is_accepted_as_go_decodes_it(api):
    """A YAML literal block leaves line breaks in base64 data; Go's decoder skips them, and the stored value
    is the bytes encoded again, without them."""
    encoded = "YWJj" * 20  # 80 characters, broken at 76 as base64 tools do
    wrapped = encoded[:76] + "\n" + encoded[76:] + "\r\n"
    status, secret = api.json("POST", "/api/v1/namespaces/default/secrets",
                              {"metadata": {"name": "s"}, "data": {"k": wrapped}})
    assert status == 201, secret
    assert secret["data"] == {"k": encoded}
    status, body = api.json("POST", "/api/v1/namespaces/default/secrets",
                            {"metadata": {"name": "t"}, "data": {"k": "YW\nJ*"}})
    assert (status, body["message"]) == (400, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 '
                                              "data at input byte 4")


def test_invalid_utf8_in_a_json_string_becomes_the_replacement_character(api):
    status, _, data = api.request("POST", CMS, b'{"metadata":{"name":"u"},"data":{"k":"a\xffb"}}',
                                        {"Content-Type": "application/json"})
    assert status == 201
    assert json.loads(data)["data"] == {"k": "a\ufffdb"}


def test_an_unparsable_timestamp_is_a_decode_error(api):
    """metav1.Time decodes with time.Parse(time.RFC3339): what it cannot read is a 400 with Go's words."""
    status, body = api.json("POST", CMS, {"metadata": {"name": "t", "creationTimestamp": "garbage"}})
    assert (status, body["message"]) == (
        400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: parsing time "garbage" as '
             '"2006-01-02T15:04:05Z07:00": cannot parse "garbage" as "2006"')
    status, body = api.json("POST", CMS, {"metadata": {"name": "t", "creationTimestamp": "2020-13-01T00:00:00Z"}})
    assert (status, body["message"]) == (
        400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: parsing time "2020-13-01T00:00:00Z": '
             "month out of range")
    status, created = api.json("POST", CMS, {"metadata": {"name": "t", "creationTimestamp": "2020-01-01T00:00:00Z"}})
    assert status == 201 and created["metadata"]["creationTimestamp"] != "2020-01-01T00:00:00Z"  # the server's


def _raw_exchange(url: str, request: bytes) -> bytes:
    """One raw HTTP/1.1 exchange (the server answers, then the connection is closed by us)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(
            b"content-length")))
        while len(body) < length:
            body += sock.recv(65536)
        return head + b"\r\n\r\n" + body


def test_an_oversized_chunked_body_is_a_413_status(fake_cluster):
    body = b'{"metadata":{"name":"x"},"data":{"a":"' + b"x" * (4 << 20) + b'"}}'
    chunks = b"".join(b"%x\r\n" % len(body[i:i + 65536]) + body[i:i + 65536] + b"\r\n"
                      for i in range(0, len(body), 65536))
    answer = _raw_exchange(fake_cluster.url, b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
                           + b"0\r\n\r\n")
    head, _, data = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(data)["reason"] == "RequestEntityTooLarge"


def test_request_lines_and_headers_up_to_a_mebibyte_are_read(fake_cluster):
    """Go's http.Server reads up to 1 MiB of headers (aiohttp's default stops at 8 KiB with plain text)."""
    long_query = b"GET /api/v1/namespaces?x=" + b"a" * 60000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _raw_exchange(fake_cluster.url, long_query).startswith(b"HTTP/1.1 200 ")
    big_header = b"GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 60000 + b"\r\n\r\n"
    assert _raw_exchange(fake_cluster.url, big_header).startswith(b"HTTP/1.1 200 ")


def test_config_maps_and_secrets_hold_at_most_a_mebibyte(api):
    """ValidateConfigMap and ValidateSecret: all values together at most core.MaxSecretSize (1 MiB)."""
    status, body = api.json("POST", CMS, {"metadata": {"name": "big"}, "data": {"a": "x" * (1 << 19),
                                                                                "b": "x" * ((1 << 19) + 1)}})
    assert (status, body["message"]) == (422, 'ConfigMap "big" is invalid: []: Too long: may not be more than '
                                              "1048576 bytes")
    assert api.json("POST", CMS, {"metadata": {"name": "fits"}, "data": {"a": "x" * (1 << 20)}})[0] == 201
    secret = {"metadata": {"name": "big"}, "data": {"a": "eHh4" * 350_000}}  # 1,050,000 bytes once decoded
    status, body = api.json("POST", "/api/v1/namespaces/default/secrets", secret)
    assert (status, body["message"]) == (422, 'Secret "big" is invalid: data: Too long: may not be more than '
                                              "1048576 bytes")


def test_a_json_key_set_twice_follows_field_validation(api):
    """kube's strict decoder: a key set twice is a 400 under Strict, a warning under Warn (the last value
    wins, as encoding/json keeps it), nothing under Ignore; pretty-printed bodies too."""
    body = '{"metadata": {"name": "%s"}, "data": {"x": "1", "x": "2"}}'
    status, answer = api.json("POST", f"{CMS}?fieldValidation=Strict", body % "s", {"Content-Type": "application/json"})
    assert (status, answer["message"]) == (400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict '
                                                'decoding error: duplicate field "data.x"')
    status, headers, data = api.request("POST", CMS, body % "w", {"Content-Type": "application/json"})
    assert (status, headers["warning"]) == (201, ['299 - "duplicate field \\"data.x\\""'])
    assert json.loads(data)["data"] == {"x": "2"}
    status, headers, _ = api.request("POST", f"{CMS}?fieldValidation=Ignore", body % "i",
                                     {"Content-Type": "application/json"})
    assert status == 201 and "warning" not in headers
    status, answer = api.json("PUT", f"{CMS}/w?fieldValidation=Strict",
                              '{"metadata":{"name":"w","name":"w"},"data":{}}', {"Content-Type": "application/json"})
    assert (status, answer["message"]) == (400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict '
                                                'decoding error: duplicate field "metadata.name"')


def test_lists_stay_in_key_order_through_creates_and_deletes_between_lists(api):
    """Once listed, a table keeps its (namespace, name) order as objects come and go in the middle of it."""
    for ns in ("a", "c"):
        api.json("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
        api.json("POST", f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "m"}})

    mine = "fieldSelector=metadata.name%21%3Dkube-root-ca.crt"  # not each namespace's CA configmap

    def names() -> list[tuple[str, str]]:
        items = api.json("GET", f"/api/v1/configmaps?{mine}")[1]["items"]
        return [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in items]

    assert names() == [("a", "m"), ("c", "m")]
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "b"}})
    api.json("POST", "/api/v1/namespaces/b/configmaps", {"metadata": {"name": "z"}})
    api.json("POST", "/api/v1/namespaces/a/configmaps", {"metadata": {"name": "n"}})
    api.json("POST", "/api/v1/namespaces/a/configmaps", {"metadata": {"name": "a"}})
    api.json("DELETE", "/api/v1/namespaces/a/configmaps/m")
    assert names() == [("a", "a"), ("a", "n"), ("b", "z"), ("c", "m")]
    assert [n for _, n in names()] == [i["metadata"]["name"] for i in api.json(
        "GET", f"/api/v1/configmaps?{mine}&limit=2")[1]["items"]] + [i["metadata"]["name"] for i in api.json(
        "GET", f"/api/v1/configmaps?{mine}&limit=2&continue=" + api.json(
            "GET", f"/api/v1/configmaps?{mine}&limit=2")[1]["metadata"]["continue"])[1]["items"]]


def test_a_binding_whose_metadata_is_not_an_object_is_a_decode_error(api):
    api.json("POST", "/api/v1/namespaces/default/pods", {"metadata": {"name": "p"},
                                                          "spec": {"containers": [{"name": "c", "image": "i"}]}})
    for metadata, json_type in (("0", "number"), ('"s"', "string"), ("[]", "array"), ("true", "bool")):
        status, body = api.json("POST", "/api/v1/namespaces/default/pods/p/binding",
                                '{"metadata": ' + metadata + ', "target": {"name": "n"}}',
                                {"Content-Type": "application/json"})
        assert (status, body["message"]) == (400, 'Binding in version "v1" cannot be handled as a Binding: json: '
                                                  f"cannot unmarshal {json_type} into Go struct field "
                                                  "Binding.metadata of type v1.ObjectMeta")
    status, body = api.json("POST", "/api/v1/namespaces/default/pods/p/binding",
                            '{"metadata": null, "target": {"name": "n"}}', {"Content-Type": "application/json"})
    assert (status, body["message"]) == (400, "name in URL does not match name in Binding object")


def test_a_key_set_twice_in_a_patch_document_follows_field_validation(api):
    """The patchers read the document with kjson.UnmarshalStrict: a key set twice is a 400 under Strict (a JSON
    patch's errors prefixed "json patch"), a warning under Warn."""
    api.json("POST", CMS, {"metadata": {"name": "c"}, "data": {"a": "1"}})
    merge = '{"data": {"x": "1", "x": "2"}}'
    status, body = api.json("PATCH", f"{CMS}/c?fieldValidation=Strict", merge,
                            {"Content-Type": "application/merge-patch+json"})
    assert (status, body["message"]) == (400, 'strict decoding error: duplicate field "data.x"')
    status, body = api.json("PATCH", f"{CMS}/c?fieldValidation=Strict",
                            '[{"op": "add", "op": "add", "path": "/data/y", "value": "1"}]',
                            {"Content-Type": "application/json-patch+json"})
    assert (status, body["message"]) == (400, 'strict decoding error: json patch duplicate field "[0].op"')
    status, headers, data = api.request("PATCH", f"{CMS}/c", merge, {"Content-Type": "application/merge-patch+json"})
    assert (status, headers["warning"]) == (200, ['299 - "duplicate field \\"data.x\\""'])
    assert json.loads(data)["data"] == {"a": "1", "x": "2"}
