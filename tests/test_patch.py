"""The patch engines: RFC 6902 and RFC 7386 examples, evanphx/json-patch quirks, strategic merge patch on real types."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fakekube.patch import (
    MAX_JSON_PATCH_OPERATIONS,
    PANIC_MESSAGE,
    UNPROCESSABLE_MESSAGE,
    PatchError,
    PatchMeta,
    SchemaLookup,
    json_patch,
    merge_patch,
    strategic_merge_patch,
)
from fakekube.schema import builtin_schema
from fakekube.schema import files as schema_files

DEFINITIONS = schema_files.definitions("v1.36")
DEPLOYMENT = SchemaLookup.for_schema(builtin_schema("v1.36", "io.k8s.api.apps.v1.Deployment"))
POD = SchemaLookup.for_schema(builtin_schema("v1.36", "io.k8s.api.core.v1.Pod"))


def deployment(**spec: Any) -> dict[str, Any]:
    containers = spec.pop("containers", [{"name": "web", "image": "nginx:1.26"}])
    pod_spec = {"containers": containers, **spec.pop("pod", {})}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "frontend"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}, **spec},
    }


def pod_spec_patch(**fields: Any) -> dict[str, Any]:
    return {"spec": {"template": {"spec": fields}}}


def containers_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = obj["spec"]["template"]["spec"]["containers"]
    return result


def rejected(call: Any, *args: Any) -> PatchError:
    with pytest.raises(PatchError) as info:
        call(*args)
    return info.value


def assert_unprocessable(error: PatchError, cause: str) -> None:
    assert (error.code, error.reason, error.message) == (422, "Invalid", UNPROCESSABLE_MESSAGE)
    assert error.cause == cause
    assert error.details == {}


# --- RFC 6902, Appendix A ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc", "patch", "expected"), [
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"baz": "qux", "foo": "bar"}),
    ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}], {"foo": ["bar", "qux", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}], {"baz": "boo", "foo": "bar"}),
    ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ({"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}], {"foo": "bar", "baz": "qux"}),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}], {"foo": ["bar", ["abc", "def"]]}),
    ({"a": 1}, [{"op": "copy", "from": "/a", "path": "/b"}], {"a": 1, "b": 1}),
], ids=["A1 add member", "A2 add element", "A3 remove member", "A4 remove element", "A5 replace", "A6 move",
        "A7 move element", "A8 test", "A10 add nested", "A11 unknown members", "A14 escapes", "A16 add array",
        "copy"])
def test_the_rfc_6902_examples_apply(doc: Any, patch: Any, expected: Any) -> None:
    assert json_patch(doc, patch) == expected


def test_a_failed_test_is_the_generic_422_with_the_library_text_as_cause() -> None:
    error = rejected(json_patch, {"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}])
    assert_unprocessable(error, "testing value /baz failed: test failed")


def test_a_string_never_tests_equal_to_a_number() -> None:  # RFC 6902 A.15
    error = rejected(json_patch, {"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": "10"}])
    assert error.cause == "testing value /~01 failed: test failed"


def test_numbers_are_tested_by_their_json_text() -> None:
    assert json_patch({"replicas": 3}, [{"op": "test", "path": "/replicas", "value": 3}]) == {"replicas": 3}
    error = rejected(json_patch, {"replicas": 3}, [{"op": "test", "path": "/replicas", "value": 3.0}])
    assert error.cause == "testing value /replicas failed: test failed"


def test_a_string_the_server_escapes_for_html_never_tests_equal() -> None:
    doc = {"metadata": {"annotations": {"url": "http://x/?a=1&b=2", "plain": "abc"}}}
    assert json_patch(doc, [{"op": "test", "path": "/metadata/annotations/plain", "value": "abc"}]) == doc
    error = rejected(json_patch, doc, [{"op": "test", "path": "/metadata/annotations/url", "value": "http://x/?a=1&b=2"}])
    assert error.cause == "testing value /metadata/annotations/url failed: test failed"
    written = [{"op": "add", "path": "/a", "value": "x&y"}, {"op": "test", "path": "/a", "value": "x&y"}]
    patched = json_patch({}, written)
    assert patched == {"a": "x&y"}  # a value the patch itself wrote keeps the client's text


def test_a_test_of_null_passes_on_a_missing_member() -> None:
    assert json_patch({"a": 1}, [{"op": "test", "path": "/b", "value": None}]) == {"a": 1}


def test_adding_below_a_missing_parent_fails() -> None:  # RFC 6902 A.12
    error = rejected(json_patch, {"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}])
    assert_unprocessable(error, 'add operation does not apply: doc is missing path: "/baz/bat": missing value')


def test_removing_a_missing_member_fails() -> None:
    error = rejected(json_patch, {"metadata": {}}, [{"op": "remove", "path": "/metadata/labels"}])
    assert_unprocessable(error, "error in remove for path: '/metadata/labels': "
                                "Unable to remove nonexistent key: labels: missing value")


def test_removing_past_the_end_of_a_list_fails() -> None:
    error = rejected(json_patch, {"a": [1]}, [{"op": "remove", "path": "/a/3"}])
    assert error.cause == ("error in remove for path: '/a/3': "
                           "Unable to access invalid index: 3: invalid index referenced")


def test_replacing_a_missing_member_adds_it() -> None:
    assert json_patch({"a": 1}, [{"op": "replace", "path": "/b", "value": 2}]) == {"a": 1, "b": 2}


def test_replacing_a_missing_list_element_fails() -> None:
    error = rejected(json_patch, {"a": [1]}, [{"op": "replace", "path": "/a/1", "value": 2}])
    assert error.cause == "replace operation does not apply: doc is missing key: /a/1: missing value"


def test_copying_a_missing_member_writes_null() -> None:
    assert json_patch({"a": 1}, [{"op": "copy", "from": "/nope", "path": "/b"}]) == {"a": 1, "b": None}


def test_negative_indexes_count_from_the_end() -> None:
    doc = {"a": [1, 2, 3]}
    assert json_patch(doc, [{"op": "remove", "path": "/a/-1"}]) == {"a": [1, 2]}
    assert json_patch(doc, [{"op": "add", "path": "/a/-1", "value": 9}]) == {"a": [1, 2, 3, 9]}
    assert json_patch(doc, [{"op": "replace", "path": "/a/-3", "value": 0}]) == {"a": [0, 2, 3]}


def test_a_list_index_that_is_not_a_number_fails_with_the_atoi_text() -> None:
    error = rejected(json_patch, {"a": [1]}, [{"op": "add", "path": "/a/x", "value": 2}])
    assert error.cause == ("error in add for path: '/a/x': value was not a proper array index: 'x': "
                           'strconv.Atoi: parsing "x": invalid syntax')


def test_a_path_without_a_leading_slash_loses_its_first_segment() -> None:
    assert json_patch({"a": 1}, [{"op": "add", "path": "ignored/b", "value": 2}]) == {"a": 1, "b": 2}
    error = rejected(json_patch, {"a": 1}, [{"op": "remove", "path": "a"}])
    assert error.cause == 'remove operation does not apply: doc is missing path: "a": missing value'


def test_replacing_the_whole_document_needs_an_object_or_array() -> None:
    assert json_patch({"a": 1}, [{"op": "replace", "path": "", "value": {"b": 2}}]) == {"b": 2}
    error = rejected(json_patch, {"a": 1}, [{"op": "replace", "path": "", "value": 3}])
    assert error.cause == "replace operation value must be object or array: %!w(<nil>)"


def test_an_unknown_or_missing_op_fails() -> None:
    assert rejected(json_patch, {}, [{"op": "frobnicate", "path": "/a"}]).cause == "Unexpected kind: frobnicate"
    assert rejected(json_patch, {}, [{"path": "/a"}]).cause == "Unexpected kind: unknown"
    assert rejected(json_patch, {}, [None]).cause == "Unexpected kind: unknown"


def test_an_op_without_a_path_fails() -> None:
    error = rejected(json_patch, {}, [{"op": "replace", "value": 1}])
    assert error.cause == "replace operation failed to decode path: operation missing path field: missing value"


def test_a_patch_that_is_not_a_list_of_objects_is_a_bad_request() -> None:
    error = rejected(json_patch, {}, {"op": "add"})
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    error = rejected(json_patch, {}, [{"op": "add", "path": "/a", "value": 1}, 5])
    assert error.message == "json: cannot unmarshal number into Go value of type jsonpatch.Operation"


def test_strict_field_validation_words_decoding_failures_like_the_handler() -> None:
    error = rejected(lambda: json_patch({}, {"op": "add"}, strict=True))
    assert error.message == ("error decoding patch: json: cannot unmarshal object into Go value of type "
                             "[]handlers.jsonPatchOp")
    error = rejected(lambda: json_patch({}, [{"op": 1, "path": "/a"}], strict=True))
    assert error.message == ("error decoding patch: json: cannot unmarshal number into Go struct field "
                             "jsonPatchOp.op of type string")


def test_a_null_json_patch_changes_nothing() -> None:
    assert json_patch({"a": 1}, None) == {"a": 1}


def test_too_many_operations_are_refused_as_too_large() -> None:
    patch = [{"op": "test", "path": "/a", "value": 1}] * (MAX_JSON_PATCH_OPERATIONS + 1)
    error = rejected(json_patch, {"a": 1}, patch)
    assert (error.code, error.reason) == (413, "RequestEntityTooLarge")
    assert error.message == ("Request entity too large: The allowed maximum operations in a JSON patch is 10000, "
                             "got 10001")


def test_where_the_go_library_panics_the_answer_is_the_panic_500() -> None:
    error = rejected(json_patch, {"a": 1}, [{"op": "replace", "path": ""}])
    assert (error.code, error.message, error.panicked) == (500, PANIC_MESSAGE, True)


def test_json_patch_leaves_its_inputs_untouched() -> None:
    doc = {"a": {"b": [1, 2]}}
    patch = [{"op": "add", "path": "/a/b/-", "value": {"c": 1}}, {"op": "add", "path": "/a/b/2/d", "value": 2}]
    before_doc, before_patch = copy.deepcopy(doc), copy.deepcopy(patch)
    assert json_patch(doc, patch) == {"a": {"b": [1, 2, {"c": 1, "d": 2}]}}
    assert (doc, patch) == (before_doc, before_patch)


def test_an_operation_error_stops_the_whole_patch() -> None:
    doc = {"a": 1}
    rejected(json_patch, doc, [{"op": "replace", "path": "/a", "value": 2}, {"op": "test", "path": "/a", "value": 1}])
    assert doc == {"a": 1}


# --- RFC 7386, Appendix A ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc", "patch", "expected"), [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_the_rfc_7386_examples_apply(doc: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(doc, patch) == expected


def test_a_merge_patch_that_is_null_or_a_scalar_is_invalid() -> None:
    for patch in (None, "bar", 3, True):
        error = rejected(merge_patch, {"a": "foo"}, patch)
        assert (error.code, error.reason, error.message) == (400, "BadRequest", "Invalid JSON Patch")


def test_a_merge_patch_keeps_nulls_inside_lists() -> None:
    assert merge_patch({}, {"a": [None, {"b": None, "c": 1}]}) == {"a": [None, {"c": 1}]}
    assert merge_patch({"a": {"x": 1}}, {"a": [{"b": None}]}) == {"a": [{"b": None}]}


def test_a_merge_patch_removes_a_label_with_null() -> None:
    obj = deployment()
    patched = merge_patch(obj, {"metadata": {"labels": {"tier": None, "team": "a"}}})
    assert patched["metadata"]["labels"] == {"app": "web", "team": "a"}
    assert obj["metadata"]["labels"] == {"app": "web", "tier": "frontend"}


def test_a_merge_patch_replaces_lists_whole() -> None:
    patched = merge_patch(deployment(), pod_spec_patch(containers=[{"name": "web", "image": "nginx:1.27"}]))
    assert containers_of(patched) == [{"name": "web", "image": "nginx:1.27"}]


def test_strict_merge_patch_decoding_rejects_a_list() -> None:
    error = rejected(lambda: merge_patch({}, [1], strict=True))
    assert error.message == ("error decoding patch: json: cannot unmarshal array into Go value of type "
                             "map[string]interface {}")


# --- schema lookup -----------------------------------------------------------------------------------------------

def test_the_lookup_finds_strategies_and_merge_keys_through_refs() -> None:
    spec, meta = DEPLOYMENT.struct_field("spec")
    assert meta == PatchMeta(("",), "") and spec.go_name == "DeploymentSpec"
    _, strategy = spec.struct_field("strategy")
    assert strategy.strategies == ("retainKeys",)
    pod_spec = spec.struct_field("template")[0].struct_field("spec")[0]
    container, containers = pod_spec.list_items("containers")
    assert (container.go_name, containers) == ("Container", PatchMeta(("merge",), "name"))
    assert pod_spec.list_items("volumes")[1] == PatchMeta(("merge", "retainKeys"), "name")
    assert container.list_items("ports")[1].merge_key == "containerPort"
    assert pod_spec.list_items("tolerations")[1] == PatchMeta(("",), "")


def test_the_lookup_words_unknown_fields_and_maps_like_the_go_struct_walk() -> None:
    obj = {"metadata": {"name": "p", "annotations": {"a": {"x": 1}}}, "spec": {"containers": [{"name": "c"}]}}
    error = rejected(strategic_merge_patch, obj, {"metadata": {"annotations": {"a": {"y": 1}}}}, POD)
    assert (error.code, error.reason) == (500, "")
    assert error.message == "merging an object in json but data type is not struct, instead is: map"
    error = rejected(strategic_merge_patch, obj, {"spec": {"$setElementOrder/nosuch": []}}, POD)
    assert error.message == 'unable to find api field in struct PodSpec for the json field "nosuch"'


def test_an_unknown_definition_gives_the_empty_lookup() -> None:
    assert SchemaLookup.for_definition(DEFINITIONS, "io.example.v1.Nothing").is_empty
    assert SchemaLookup.for_schema(None).is_empty


def test_a_lookup_by_definition_name_walks_the_shared_model() -> None:
    lookup = SchemaLookup.for_definition(DEFINITIONS, "io.k8s.api.apps.v1.Deployment")
    assert lookup.schema is builtin_schema("v1.36", "io.k8s.api.apps.v1.Deployment")


def test_a_field_referring_to_a_type_keeps_its_own_patch_strategy() -> None:
    strategy, meta = DEPLOYMENT.struct_field("spec")[0].struct_field("strategy")
    assert (strategy.go_name, strategy.kind(), meta) == ("DeploymentStrategy", "struct", PatchMeta(("retainKeys",), ""))


# --- strategic merge patch ---------------------------------------------------------------------------------------

def test_containers_merge_by_name_as_kubectl_set_image_sends() -> None:
    obj = deployment(containers=[{"name": "web", "image": "nginx:1.26"}, {"name": "sidecar", "image": "busybox"}])
    patch = pod_spec_patch(**{"$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
                              "containers": [{"image": "nginx:1.28", "name": "web"}]})
    assert containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT)) == [
        {"name": "web", "image": "nginx:1.28"}, {"name": "sidecar", "image": "busybox"}]


def test_a_new_container_without_set_element_order_goes_first() -> None:
    patched = strategic_merge_patch(deployment(), pod_spec_patch(containers=[{"name": "log", "image": "x"}]),
                                    DEPLOYMENT)
    assert [c["name"] for c in containers_of(patched)] == ["log", "web"]


def test_env_merges_by_name_inside_a_merged_container() -> None:
    obj = deployment(containers=[{"name": "web", "image": "nginx", "env": [{"name": "A", "value": "1"},
                                                                            {"name": "B", "value": "2"}]}])
    patch = pod_spec_patch(containers=[{"name": "web", "env": [{"name": "B", "value": "3"},
                                                               {"name": "C", "value": "4"}]}])
    env = containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT))[0]["env"]
    assert env == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}]


def test_ports_merge_by_container_port() -> None:
    obj = deployment(containers=[{"name": "web", "ports": [{"containerPort": 80, "protocol": "TCP"}]}])
    patch = pod_spec_patch(containers=[{"name": "web", "ports": [{"containerPort": 80, "name": "http"},
                                                                 {"containerPort": 443}]}])
    ports = containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT))[0]["ports"]
    assert ports == [{"containerPort": 80, "protocol": "TCP", "name": "http"}, {"containerPort": 443}]


def test_patch_delete_removes_a_container() -> None:
    obj = deployment(containers=[{"name": "web"}, {"name": "sidecar"}])
    patch = pod_spec_patch(containers=[{"$patch": "delete", "name": "sidecar"}])
    assert containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT)) == [{"name": "web"}]


def test_kubectl_apply_removing_a_container_and_changing_replicas() -> None:
    obj = deployment(containers=[{"name": "web", "image": "nginx:1.26", "env": [{"name": "A", "value": "1"}]},
                                 {"name": "sidecar", "image": "busybox"}])
    patch = {"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
             "spec": {"replicas": 3, "template": {"spec": {
                 "$setElementOrder/containers": [{"name": "web"}],
                 "containers": [{"image": "nginx:1.27", "name": "web"}, {"$patch": "delete", "name": "sidecar"}]}}}}
    patched = strategic_merge_patch(obj, patch, DEPLOYMENT)
    assert patched["spec"]["replicas"] == 3
    assert patched["metadata"]["annotations"] == {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}
    assert containers_of(patched) == [{"name": "web", "image": "nginx:1.27", "env": [{"name": "A", "value": "1"}]}]


def test_set_element_order_reorders_the_list() -> None:
    obj = deployment(containers=[{"name": "a"}, {"name": "b"}, {"name": "c"}])
    patch = pod_spec_patch(**{"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}]})
    assert [c["name"] for c in containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT))] == ["c", "a", "b"]


def test_set_element_order_sees_the_slice_the_merge_edited_in_place() -> None:
    # Go deletes b by shifting the live slice in place and appends v into the freed slot; the ordering step then
    # reads that slice, so the server-only item c lands before v (a fresh copy would have given a, v, c).
    obj = deployment(containers=[{"name": "a"}, {"name": "b"}, {"name": "c"}])
    patch = pod_spec_patch(**{"$setElementOrder/containers": [{"name": "a"}, {"name": "v"}],
                              "containers": [{"name": "v"}, {"$patch": "delete", "name": "b"}]})
    assert [c["name"] for c in containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT))] == ["a", "c", "v"]


def test_a_patch_list_out_of_set_element_order_fails() -> None:
    obj = deployment(containers=[{"name": "a"}])
    patch = pod_spec_patch(**{"$setElementOrder/containers": [{"name": "b"}], "containers": [{"name": "a"}]})
    error = rejected(strategic_merge_patch, obj, patch, DEPLOYMENT)
    assert (error.code, error.reason) == (500, "")
    assert error.message == ("The order in patch list:\n[map[name:a]]\n doesn't match $setElementOrder list:\n"
                             "[map[name:b]]\n")


def test_retain_keys_switching_to_recreate_drops_rolling_update() -> None:
    obj = deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}})
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"}}}
    assert strategic_merge_patch(obj, patch, DEPLOYMENT)["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_drops_what_the_list_does_not_name_even_without_nulls() -> None:
    obj = deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}})
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert strategic_merge_patch(obj, patch, DEPLOYMENT)["spec"]["strategy"] == {"type": "Recreate"}


def test_without_retain_keys_a_strategy_switch_keeps_rolling_update() -> None:
    obj = deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}})
    patched = strategic_merge_patch(obj, {"spec": {"strategy": {"type": "Recreate"}}}, DEPLOYMENT)
    assert patched["spec"]["strategy"] == {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}


def test_retain_keys_must_name_every_field_the_patch_sets() -> None:
    obj = deployment(strategy={"type": "Recreate"})
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    error = rejected(strategic_merge_patch, obj, patch, DEPLOYMENT)
    assert (error.code, error.reason, error.message) == (400, "BadRequest", "invalid patch format of retainKeys")
    error = rejected(strategic_merge_patch, obj, {"spec": {"strategy": {"$retainKeys": "type"}}}, DEPLOYMENT)
    assert error.message == "invalid patch format of retainKeys"


def test_volumes_merge_by_name_and_retain_keys_switches_the_source() -> None:
    obj = deployment(pod={"volumes": [{"name": "conf", "configMap": {"name": "cm"}}, {"name": "tmp", "emptyDir": {}}]})
    patch = pod_spec_patch(volumes=[{"$retainKeys": ["name", "secret"], "name": "conf", "secret": {"secretName": "s"}}])
    volumes = strategic_merge_patch(obj, patch, DEPLOYMENT)["spec"]["template"]["spec"]["volumes"]
    assert volumes == [{"name": "conf", "secret": {"secretName": "s"}}, {"name": "tmp", "emptyDir": {}}]


def test_tolerations_have_no_strategy_and_are_replaced() -> None:
    obj = deployment(pod={"tolerations": [{"key": "a", "operator": "Exists"}]})
    patch = pod_spec_patch(tolerations=[{"key": "b", "operator": "Exists"}])
    patched = strategic_merge_patch(obj, patch, DEPLOYMENT)
    assert patched["spec"]["template"]["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]


def test_finalizers_are_a_union_and_delete_from_primitive_list_removes() -> None:
    obj = deployment()
    obj["metadata"]["finalizers"] = ["a/one", "b/two"]
    patched = strategic_merge_patch(obj, {"metadata": {"finalizers": ["c/three", "a/one"]}}, DEPLOYMENT)
    assert patched["metadata"]["finalizers"] == ["c/three", "a/one", "b/two"]
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/one"]}}
    assert strategic_merge_patch(obj, patch, DEPLOYMENT)["metadata"]["finalizers"] == ["b/two"]


def test_kubectl_apply_finalizer_changes_keep_set_element_order() -> None:
    obj = deployment()
    obj["metadata"]["finalizers"] = ["a", "b", "c"]
    patch = {"metadata": {"$setElementOrder/finalizers": ["d", "a", "c"], "finalizers": ["d"],
                          "$deleteFromPrimitiveList/finalizers": ["b"]}}
    assert strategic_merge_patch(obj, patch, DEPLOYMENT)["metadata"]["finalizers"] == ["d", "a", "c"]


def test_a_malformed_directive_key_is_a_bad_request() -> None:
    obj = deployment()
    error = rejected(strategic_merge_patch, obj, {"metadata": {"$deleteFromPrimitiveListX/finalizers": []}},
                     DEPLOYMENT)
    assert (error.code, error.message) == (400, "invalid patch format of primitive list")
    error = rejected(strategic_merge_patch, obj, {"metadata": {"$setElementOrderX/finalizers": []}}, DEPLOYMENT)
    assert (error.code, error.message) == (400, "invalid patch format of setElementOrder list")


def test_null_removes_a_label_and_a_field() -> None:
    patched = strategic_merge_patch(deployment(), {"metadata": {"labels": {"tier": None}},
                                                   "spec": {"replicas": None}}, DEPLOYMENT)
    assert patched["metadata"]["labels"] == {"app": "web"}
    assert "replicas" not in patched["spec"]


def test_nulls_in_a_new_field_are_dropped() -> None:
    patched = strategic_merge_patch(deployment(), {"metadata": {"annotations": {"a": "1", "b": None}}}, DEPLOYMENT)
    assert patched["metadata"]["annotations"] == {"a": "1"}


def test_kubectl_rollout_restart_adds_a_template_annotation() -> None:
    patch = {"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}}}}}
    patched = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    assert patched["spec"]["template"]["metadata"] == {
        "labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}}


def test_patch_replace_on_a_map_replaces_it() -> None:
    patch = {"metadata": {"labels": {"$patch": "replace", "only": "this"}}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENT)["metadata"]["labels"] == {"only": "this"}


def test_patch_delete_on_a_map_empties_it() -> None:
    patch = {"metadata": {"labels": {"$patch": "delete"}}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENT)["metadata"]["labels"] == {}


def test_patch_replace_in_a_list_replaces_the_list() -> None:
    obj = deployment(containers=[{"name": "web", "image": "a"}, {"name": "sidecar"}])
    patch = pod_spec_patch(containers=[{"$patch": "replace"}, {"name": "only", "image": "b"}])
    assert containers_of(strategic_merge_patch(obj, patch, DEPLOYMENT)) == [{"name": "only", "image": "b"}]


def test_patch_merge_is_refused_on_maps_and_in_lists() -> None:
    error = rejected(strategic_merge_patch, deployment(), {"metadata": {"$patch": "merge"}}, DEPLOYMENT)
    assert (error.code, error.reason) == (500, "")
    assert error.message == "unknown patch type: merge in map: map[$patch:merge]"
    error = rejected(strategic_merge_patch, deployment(), pod_spec_patch(containers=[{"$patch": "merge"}]),
                     DEPLOYMENT)
    assert error.message == "merging lists cannot yet be specified in the patch"


def test_an_unknown_patch_directive_in_a_list_fails() -> None:
    error = rejected(strategic_merge_patch, deployment(),
                     pod_spec_patch(containers=[{"$patch": "bogus", "name": "web"}]), DEPLOYMENT)
    assert error.message == "unknown patch type: bogus in map: map[$patch:bogus name:web]"


def test_a_list_element_without_its_merge_key_fails() -> None:
    error = rejected(strategic_merge_patch, deployment(), pod_spec_patch(containers=[{"image": "x"}]), DEPLOYMENT)
    assert (error.code, error.message) == (500, "map: map[image:x] does not contain declared merge key: name")


def test_a_list_of_lists_is_the_generic_422() -> None:
    obj = deployment()
    obj["metadata"]["finalizers"] = []
    error = rejected(strategic_merge_patch, obj, {"metadata": {"finalizers": [["x"]]}}, DEPLOYMENT)
    assert_unprocessable(error, "lists of lists are not supported")


def test_mixed_element_types_fail_with_the_go_rendering() -> None:
    obj = deployment()
    obj["metadata"]["finalizers"] = ["a"]
    error = rejected(strategic_merge_patch, obj, {"metadata": {"finalizers": [1]}}, DEPLOYMENT)
    assert error.message == "list element types are not identical: [[a] [1]]"


def test_a_strategic_patch_that_is_not_an_object_is_a_bad_request() -> None:
    error = rejected(strategic_merge_patch, deployment(), [{"op": "add"}], DEPLOYMENT)
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message == "json: cannot unmarshal array into Go value of type map[string]interface {}"
    assert strategic_merge_patch(deployment(), None, DEPLOYMENT) == deployment()


def test_a_value_of_another_type_replaces_the_field() -> None:
    patched = strategic_merge_patch(deployment(), {"spec": {"replicas": "3", "selector": "x"}}, DEPLOYMENT)
    assert (patched["spec"]["replicas"], patched["spec"]["selector"]) == ("3", "x")


def test_the_empty_lookup_merges_maps_and_replaces_lists() -> None:
    obj = {"spec": {"items": [{"name": "a", "v": 1}], "settings": {"x": 1, "y": 2}}}
    patch = {"spec": {"items": [{"name": "b"}], "settings": {"y": None, "z": 3}}}
    assert strategic_merge_patch(obj, patch, SchemaLookup.empty()) == {
        "spec": {"items": [{"name": "b"}], "settings": {"x": 1, "z": 3}}}


def test_strategic_merge_patch_leaves_its_inputs_untouched() -> None:
    obj = deployment(containers=[{"name": "web", "image": "a"}, {"name": "sidecar"}])
    patch = pod_spec_patch(**{"$setElementOrder/containers": [{"name": "web"}],
                              "containers": [{"name": "web", "image": "b"}, {"$patch": "delete", "name": "sidecar"}]})
    before_obj, before_patch = copy.deepcopy(obj), copy.deepcopy(patch)
    strategic_merge_patch(obj, patch, DEPLOYMENT)
    assert (obj, patch) == (before_obj, before_patch)
