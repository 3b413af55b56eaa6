"""The schema model (built-in definitions and CRD schemas) and custom-resource validation from it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fakekube.errors import StatusError
from fakekube.schema import GroupVersionKind, Schema, builtin_schema, custom_schema, validator_for
from fakekube.schema.validation import IGNORE, STRICT, WARN
from fakekube.versions import DEFAULT_VERSION

V = DEFAULT_VERSION  # the version a custom schema's ObjectMeta comes from
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def builtin(name: str) -> Schema:
    return builtin_schema(V, name)


# --- built-in definitions ------------------------------------------------------------------------------

def test_a_definition_is_one_shared_node_per_process() -> None:
    pod = builtin("io.k8s.api.core.v1.Pod")
    assert pod is builtin("io.k8s.api.core.v1.Pod")
    assert pod.ref == "io.k8s.api.core.v1.Pod" and pod.is_definition and pod.type_name == "Pod"
    assert pod.group_version_kinds == (GroupVersionKind("", "v1", "Pod"),)
    assert pod.properties["metadata"] is builtin(OBJECT_META)
    with pytest.raises(KeyError):
        builtin("io.example.v1.Nothing")


def test_nodes_are_immutable() -> None:
    pod = builtin("io.k8s.api.core.v1.Pod")
    with pytest.raises(AttributeError):
        pod.type = "string"  # type: ignore[misc]
    with pytest.raises(TypeError):
        pod.properties["spec"] = pod  # type: ignore[index]


def test_list_types_map_keys_and_patch_metadata() -> None:
    pod_spec = builtin("io.k8s.api.core.v1.PodSpec")
    containers = pod_spec.properties["containers"]
    assert (containers.type, containers.list_type, containers.list_map_keys) == ("array", "map", ("name",))
    assert (containers.patch_strategy, containers.patch_merge_key) == ("merge", "name")
    assert containers.items is builtin("io.k8s.api.core.v1.Container")
    assert pod_spec.properties["volumes"].patch_strategy == "merge,retainKeys"
    ports = builtin("io.k8s.api.core.v1.ServiceSpec").properties["ports"]
    assert ports.list_map_keys == ("port", "protocol")
    assert builtin("io.k8s.api.core.v1.Container").properties["args"].list_type == "atomic"
    assert builtin("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").map_type == "atomic"


def test_a_field_referring_to_a_definition_keeps_its_own_extensions() -> None:
    strategy = builtin("io.k8s.api.apps.v1.DeploymentSpec").properties["strategy"]
    definition = builtin("io.k8s.api.apps.v1.DeploymentStrategy")
    assert strategy.ref == definition.ref and not strategy.is_definition and strategy.base is definition
    assert (strategy.patch_strategy, definition.patch_strategy) == ("retainKeys", "")
    assert strategy.properties["rollingUpdate"] is definition.properties["rollingUpdate"]


def test_int_or_string_quantities_and_maps() -> None:
    port = builtin("io.k8s.api.core.v1.HTTPGetAction").properties["port"]
    assert port.int_or_string and port.ref == "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
    limits = builtin("io.k8s.api.core.v1.ResourceRequirements").properties["limits"]
    assert limits.type == "object" and limits.additional_properties is not None
    assert limits.additional_properties.quantity and not limits.closed
    labels = builtin(OBJECT_META).properties["labels"]
    assert labels.additional_properties is not None and labels.additional_properties.type == "string"


def test_structs_are_closed_and_opaque_objects_keep_everything() -> None:
    assert builtin("io.k8s.api.core.v1.Container").closed
    assert builtin("io.k8s.apimachinery.pkg.runtime.RawExtension").preserve_unknown_fields
    assert builtin("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1").preserve_unknown_fields


def test_recursive_types_are_cycles_of_shared_nodes() -> None:
    props = builtin("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps")
    assert props.properties["properties"].additional_properties is props
    assert props.properties["not"] is props


def test_references_are_the_direct_edges_between_definitions() -> None:
    assert builtin("io.k8s.api.apps.v1.Deployment").references() == {
        "io.k8s.api.apps.v1.DeploymentSpec", "io.k8s.api.apps.v1.DeploymentStatus", OBJECT_META}


# --- custom schemas --------------------------------------------------------------------------------------

WIDGET: dict[str, Any] = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "string", "enum": ["small", "large"]},
                "replicas": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10},
                "name": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$"},
                "port": {"x-kubernetes-int-or-string": True},
                "ports": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
                    "items": {"type": "object", "required": ["containerPort"], "properties": {
                        "containerPort": {"type": "integer"}, "protocol": {"type": "string"}}},
                },
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2, "x-kubernetes-list-type": "set"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "when": {"type": "string", "format": "date-time"},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "x-kubernetes-preserve-unknown-fields": True},
            },
            "x-kubernetes-validations": [{"rule": "self.replicas <= 5", "message": "too many"}],
        },
        "status": {"type": "object", "properties": {"phase": {"type": "string"}}},
    },
}


def widget(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
            "spec": {"size": "small", **spec}}


def check(obj: dict[str, Any], mode: str = WARN, schema: dict[str, Any] = WIDGET) -> tuple[list[str], list[str]]:
    """(warnings, field errors as kube-apiserver prints them) of validating ``obj`` in place."""
    result = validator_for(custom_schema(schema)).validate(obj, kind="Widget", version="v1", mode=mode)
    return result.warnings, [str(e) for e in result.field_errors]


def refused(obj: dict[str, Any], mode: str = WARN, schema: dict[str, Any] = WIDGET) -> StatusError:
    with pytest.raises(StatusError) as exc:
        check(obj, mode, schema)
    assert exc.value.code == 400
    return exc.value


def test_a_custom_schema_gets_kube_metadata_and_its_extensions() -> None:
    root = custom_schema(WIDGET)
    assert root is custom_schema(copy.deepcopy(WIDGET))  # cached by content
    assert root.ref is None and root.properties["metadata"] is builtin(OBJECT_META)
    spec = root.properties["spec"]
    ports = spec.properties["ports"]
    assert (ports.list_type, ports.list_map_keys) == ("map", ("containerPort", "protocol"))
    assert spec.properties["port"].int_or_string and spec.properties["config"].preserve_unknown_fields
    assert spec.properties["replicas"].constraints == {"minimum": 1, "maximum": 10}
    assert spec.validations == ({"rule": "self.replicas <= 5", "message": "too many"},)
    template = spec.properties["template"]
    assert template.embedded_resource and template.properties["metadata"] is builtin(OBJECT_META)
    assert template.properties["kind"].type == "string"


def test_metadata_restrictions_of_a_crd_stay_on_top_of_object_meta() -> None:
    schema = {**WIDGET, "properties": {**WIDGET["properties"], "metadata": {
        "type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}}}}
    meta = custom_schema(schema).properties["metadata"]
    assert meta.ref == OBJECT_META and meta.base is builtin(OBJECT_META)
    assert meta.properties["name"].constraints == {"maxLength": 5}
    assert meta.properties["labels"] is builtin(OBJECT_META).properties["labels"]
    obj = widget()
    obj["metadata"]["name"] = "too-long"
    assert check(obj, schema=schema) == ([], ["metadata.name: Too long: may not be more than 5 bytes"])


# --- custom-resource validation --------------------------------------------------------------------------

def test_a_valid_custom_resource_passes_untouched() -> None:
    obj = widget(replicas=3, ports=[{"containerPort": 80, "protocol": "TCP"}], config={"any": {"thing": 1}},
                 when="2024-05-01T10:00:00Z", template={"apiVersion": "v1", "kind": "Pod", "spec": {"x": 1}})
    expected = copy.deepcopy(obj)
    assert check(obj) == ([], []) and obj == expected


def test_unknown_fields_are_pruned_with_warnings_sorted_as_kube_does() -> None:
    obj = widget(unknown1="a", unknownDupe="b", ports=[{"containerPort": 80, "protocol": "TCP", "unknownNested": 1}])
    obj["metadata"]["bogus"] = True
    obj["extra"] = 1
    assert check(obj) == ([
        'unknown field "metadata.bogus"',
        'unknown field "extra"',
        'unknown field "spec.ports[0].unknownNested"',
        'unknown field "spec.unknown1"',
        'unknown field "spec.unknownDupe"',
    ], [])
    assert obj == {**widget(ports=[{"containerPort": 80, "protocol": "TCP"}])}


def test_unknown_fields_are_refused_in_strict_and_dropped_silently_in_ignore() -> None:
    error = refused(widget(foo=1, ports=[{"containerPort": 80, "bar": 2}]), STRICT)
    assert error.message == ('Widget in version "v1" cannot be handled as a Widget: strict decoding error: '
                             'unknown field "spec.foo", unknown field "spec.ports[0].bar"')
    obj = widget(foo=1)
    assert check(obj, IGNORE) == ([], []) and "foo" not in obj["spec"]


def test_preserve_unknown_fields_keeps_them_but_not_below_declared_properties() -> None:
    schema = {**WIDGET, "properties": {**WIDGET["properties"], "spec": {
        **WIDGET["properties"]["spec"], "x-kubernetes-preserve-unknown-fields": True}}}
    obj = widget(unknown1="kept", ports=[{"containerPort": 80, "unknownNested": 1}], config={"deep": {"x": 1}})
    assert check(obj, schema=schema) == (['unknown field "spec.ports[0].unknownNested"'], [])
    assert obj["spec"]["unknown1"] == "kept" and obj["spec"]["config"] == {"deep": {"x": 1}}


def test_an_object_without_properties_keeps_nothing() -> None:
    schema = {"type": "object", "properties": {"spec": {"type": "object"}}}
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {}, "spec": {"a": 1, "b": {"c": 2}}}
    assert check(obj, schema=schema) == (['unknown field "spec.a"', 'unknown field "spec.b"'], [])
    assert obj["spec"] == {}


def test_wrong_types_are_field_errors_worded_by_the_openapi_validator() -> None:
    assert check(widget(replicas="3")) == ([], [
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'])
    assert check(widget(port=True, tags=[1])) == ([], [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        'spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"'])


def test_enums_required_fields_and_bounds() -> None:
    obj = widget(replicas=0)
    obj["spec"]["size"] = "medium"
    assert check(obj)[1] == [
        'spec.size: Unsupported value: "medium": supported values: "small", "large"',
        "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
    ]
    obj = widget(replicas=11)
    del obj["spec"]["size"]
    assert check(obj)[1] == [  # kube-openapi checks the properties, then required
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
        "spec.size: Required value"]


def test_strings_arrays_and_formats() -> None:
    assert check(widget(name="toolong"))[1] == ["spec.name: Too long: may not be more than 5 bytes"]
    assert check(widget(name="ABC"))[1] == [
        "spec.name: Invalid value: \"ABC\": spec.name in body should match '^[a-z]+$'"]
    assert check(widget(tags=["a", "b", "c"]))[1] == ["spec.tags: Too many: 3: must have at most 2 items"]
    assert check(widget(when="yesterday"))[1] == [
        'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']
    assert check(widget(ports=[{"protocol": "TCP"}]))[1] == ["spec.ports[0].containerPort: Required value"]


def test_metadata_decodes_as_object_meta() -> None:
    obj = widget()
    obj["metadata"]["labels"] = "app"
    assert refused(obj).message == ('Widget in version "v1" cannot be handled as a Widget: json: cannot unmarshal '
                                    "string into Go struct field ObjectMeta.labels of type map[string]string")


def test_embedded_resources_decode_their_metadata_and_need_string_type_meta() -> None:
    error = refused(widget(template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "zzz": 1}}), STRICT)
    assert error.message.endswith('strict decoding error: unknown field "spec.template.metadata.zzz"')
    error = refused(widget(template={"kind": 3}))
    assert error.message.endswith("as a Widget: spec.template.kind: Invalid value: 3: must be a string")
    error = refused(widget(template={"metadata": {"labels": [1]}}))
    assert error.message.endswith('spec.template.metadata: Invalid value: {"labels":[1]}: json: cannot unmarshal '
                                  "array into Go struct field ObjectMeta.labels of type map[string]string")


def test_custom_validators_are_compiled_once_per_schema() -> None:
    assert validator_for(custom_schema(WIDGET)) is validator_for(custom_schema(copy.deepcopy(WIDGET)))


def test_defaults_are_filled_in_before_validation() -> None:
    schema = {"type": "object", "properties": {"spec": {"type": "object", "required": ["mode"], "properties": {
        "mode": {"type": "string", "default": "auto"},
        "limits": {"type": "object", "default": {}, "properties": {"cpu": {"type": "string", "default": "1"}}},
        "rules": {"type": "array", "items": {"type": "object", "properties": {
            "weight": {"type": "integer", "default": 1}, "name": {"type": "string"}}}},
    }}}}
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
           "spec": {"rules": [{"name": "a"}, {"name": "b", "weight": 5}]}}
    assert check(obj, schema=schema) == ([], [])
    assert obj["spec"] == {"rules": [{"name": "a", "weight": 1}, {"name": "b", "weight": 5}], "mode": "auto",
                           "limits": {"cpu": "1"}}
