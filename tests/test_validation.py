"""Schema validation on its own: decode errors vs field errors, unknown-field modes, JSON Schema conversion."""

from __future__ import annotations

import copy

import pytest

from fakekube.errors import StatusError
from fakekube.schema import builtin_schema, custom_schema
from fakekube.schema.json_schema import json_schema_document
from fakekube.schema.validation import IGNORE, STRICT, WARN, builtin_validator, format_path, strip_nulls, validator_for

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
       "spec": {"containers": [{"name": "c", "image": "busybox", "resources": {"limits": {"cpu": 1, "memory": "1Gi"}},
                                "ports": [{"containerPort": 80}]}]}}


@pytest.fixture(scope="module")
def pods():
    return builtin_validator("v1.36", "io.k8s.api.core.v1.Pod")


def test_a_valid_object_passes_untouched(pods):
    obj = copy.deepcopy(POD)
    result = pods.validate(obj, kind="Pod", version="v1")
    assert result.warnings == [] and result.field_errors == [] and obj == POD


def test_quantities_accept_numbers_and_int_or_string_accepts_both(pods):
    obj = copy.deepcopy(POD)
    obj["spec"]["containers"][0]["livenessProbe"] = {"httpGet": {"port": "http"}}
    assert pods.validate(obj, kind="Pod", version="v1").field_errors == []
    obj["spec"]["containers"][0]["livenessProbe"] = {"httpGet": {"port": 8080}}
    assert pods.validate(obj, kind="Pod", version="v1").field_errors == []


def test_unknown_fields_warn_by_default_and_are_pruned(pods):
    obj = copy.deepcopy(POD)
    obj["spec"]["containers"][0]["imagee"] = "typo"
    obj["metadata"]["labelz"] = {}
    result = pods.validate(obj, kind="Pod", version="v1", mode=WARN)
    assert result.warnings == ['unknown field "metadata.labelz"', 'unknown field "spec.containers[0].imagee"']
    assert "imagee" not in obj["spec"]["containers"][0] and "labelz" not in obj["metadata"]


def test_unknown_fields_are_refused_in_strict_and_dropped_silently_in_ignore(pods):
    obj = copy.deepcopy(POD)
    obj["spec"]["nope"] = True
    with pytest.raises(StatusError) as exc:
        pods.validate(copy.deepcopy(obj), kind="Pod", version="v1", mode=STRICT)
    assert exc.value.code == 400
    assert exc.value.message == ('Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
                                 'unknown field "spec.nope"')
    result = pods.validate(obj, kind="Pod", version="v1", mode=IGNORE)
    assert result.warnings == [] and "nope" not in obj["spec"]


def test_wrong_types_name_the_go_struct_and_type(pods):
    obj = copy.deepcopy(POD)
    obj["spec"]["containers"][0]["ports"][0]["containerPort"] = "eighty"
    with pytest.raises(StatusError) as exc:
        pods.validate(obj, kind="Pod", version="v1")
    assert exc.value.message.endswith("json: cannot unmarshal string into Go struct field "
                                      "ContainerPort.spec.containers.ports.containerPort of type int32")
    obj = copy.deepcopy(POD)
    obj["spec"]["containers"] = {"name": "c"}
    with pytest.raises(StatusError) as exc:
        pods.validate(obj, kind="Pod", version="v1")
    assert "cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container" in (
        exc.value.message)


def test_enums_and_required_fields_are_field_errors(pods):
    obj = copy.deepcopy(POD)
    obj["spec"]["restartPolicy"] = "Sometimes"
    del obj["spec"]["containers"][0]["name"]
    errors = pods.validate(obj, kind="Pod", version="v1").field_errors
    assert [(e.type, e.field) for e in errors] == [("FieldValueRequired", "spec.containers[0].name"),
                                                    ("FieldValueNotSupported", "spec.restartPolicy")]
    assert str(errors[1]) == ('spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                              '"Always", "Never", "OnFailure"')


def test_preserve_unknown_fields_keeps_objects_open():
    spec = {"type": "object", "properties": {"a": {"type": "string"}}}
    preserving = custom_schema({"type": "object", "properties": {
        "spec": {**spec, "x-kubernetes-preserve-unknown-fields": True}}})
    assert "additionalProperties" not in json_schema_document(preserving)["properties"]["spec"]
    closed = custom_schema({"type": "object", "properties": {"spec": spec}})
    assert json_schema_document(closed)["properties"]["spec"]["additionalProperties"] is False


def test_opaque_builtin_objects_stay_open_and_structs_are_closed():
    document = json_schema_document(builtin_schema("v1.36", "io.k8s.api.apps.v1.ControllerRevision"))
    definitions = document["definitions"]
    assert definitions["io.k8s.apimachinery.pkg.runtime.RawExtension"] == {}
    assert definitions["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"] == {"type": "object"}
    assert definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["additionalProperties"] is False


def test_nulls_are_dropped_as_the_go_decoder_leaves_zero_values():
    assert strip_nulls({"a": None, "b": [{"c": None, "d": 1}], "e": {"f": None}}) == {"b": [{"d": 1}], "e": {}}


def test_paths_are_rendered_like_field_paths():
    assert format_path(("spec", "template", "spec", "containers", 0, "image")) == (
        "spec.template.spec.containers[0].image")


def test_validators_are_compiled_once_and_shared():
    assert builtin_validator("v1.36", "io.k8s.api.core.v1.Pod") is builtin_validator("v1.36", "io.k8s.api.core.v1.Pod")
    assert validator_for(builtin_schema("v1.36", "io.k8s.api.core.v1.Pod")) is builtin_validator(
        "v1.36", "io.k8s.api.core.v1.Pod")


def test_integers_that_overflow_their_go_type_are_decode_errors():
    deployments = builtin_validator("v1.36", "io.k8s.api.apps.v1.Deployment")
    with pytest.raises(StatusError) as exc:
        deployments.validate({"spec": {"replicas": 2**31}}, kind="Deployment", version="v1")
    assert exc.value.message == ('Deployment in version "v1" cannot be handled as a Deployment: json: cannot '
                                 "unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas "
                                 "of type int32")


def test_byte_fields_must_be_base64():
    secrets = builtin_validator("v1.36", "io.k8s.api.core.v1.Secret")
    assert secrets.validate({"data": {"k": "aGVsbG8="}}, kind="Secret", version="v1").field_errors == []
    with pytest.raises(StatusError) as exc:
        secrets.validate({"data": {"k": "plain text"}}, kind="Secret", version="v1")
    assert exc.value.message == ('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at '
                                 "input byte 5")


@pytest.mark.parametrize(("value", "reason"), [
    ("abc", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("1 Gi", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("5i", "unable to parse quantity's suffix"),
])
def test_a_quantity_that_does_not_parse_is_a_decode_error(api, value, reason):
    """``resource.Quantity``'s UnmarshalJSON refuses it before anything is validated: a 400, as kube-apiserver."""
    status, body = api.json("POST", "/api/v1/namespaces/default/limitranges", {
        "metadata": {"name": "lr"}, "spec": {"limits": [{"type": "Container", "max": {"cpu": value}}]}})
    assert (status, body["reason"]) == (400, "BadRequest")
    assert body["message"] == f'LimitRange in version "v1" cannot be handled as a LimitRange: {reason}'
    status, _ = api.json("POST", "/api/v1/namespaces/default/limitranges", {
        "metadata": {"name": "lr"}, "spec": {"limits": [{"type": "Container", "max": {"cpu": " 1.5 "}}]}})
    assert status == 201
