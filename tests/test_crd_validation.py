"""A CustomResourceDefinition is validated as kube-apiserver validates it: 422 Invalid, with upstream's field
paths (a schema all versions share is reported at ``spec.validation``, as in kube's internal form) and
messages."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from conftest import Api, Kubectl

PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "color": {"type": "string"}}}}}


def crd(**spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "group": "example.com", "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}}],
    }
    body.update(spec)
    names = body["names"]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{names.get('plural', '')}.{body.get('group', '')}"}, "spec": body}


def with_schema(schema: dict[str, Any], **version: Any) -> dict[str, Any]:
    return crd(versions=[{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema},
                          **version}])


def causes(api: Api, body: dict[str, Any]) -> list[tuple[str, str, str]]:
    status, answer = api.json("POST", PATH, body)
    assert (status, answer["reason"]) == (422, "Invalid"), answer
    assert answer["message"].startswith(f'CustomResourceDefinition.apiextensions.k8s.io '
                                        f'"{body["metadata"]["name"]}" is invalid: ')
    return [(c["reason"], c.get("field", ""), c["message"]) for c in answer["details"]["causes"]]


def test_names_follow_dns_1035_and_kind_rules(api: Api) -> None:
    body = crd(names={"plural": "Widgets", "singular": "wid_get", "kind": "Wid.get", "listKind": "Wid.get",
                      "shortNames": ["w", "W1"], "categories": ["all", "bad cat"]})
    body["metadata"]["name"] = "Widgets.example.com"
    found = causes(api, body)
    label = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
             "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
             "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
    mixed = f"may have mixed case, but should otherwise match: {label}"
    assert found == [
        ("FieldValueInvalid", "metadata.name",
         'Invalid value: "Widgets.example.com": a lowercase RFC 1123 subdomain must consist of lower case '
         "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
         "'example.com', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ("FieldValueInvalid", "spec.names.plural", f'Invalid value: "Widgets": {label}'),
        ("FieldValueInvalid", "spec.names.singular", f'Invalid value: "wid_get": {label}'),
        ("FieldValueInvalid", "spec.names.kind", f'Invalid value: "Wid.get": {mixed}'),
        ("FieldValueInvalid", "spec.names.listKind", f'Invalid value: "Wid.get": {mixed}'),
        ("FieldValueInvalid", "spec.names.shortNames[1]", f'Invalid value: "W1": {label}'),
        ("FieldValueInvalid", "spec.names.listKind", 'Invalid value: "Wid.get": kind and listKind may not be the same'),
        ("FieldValueInvalid", "spec.names.categories[1]", f'Invalid value: "bad cat": {label}'),
    ]


def test_group_scope_and_required_names(api: Api) -> None:
    body = crd(group="example", scope="Global", names={"plural": "widgets", "kind": ""})
    found = causes(api, body)
    assert found == [
        ("FieldValueInvalid", "spec.group", 'Invalid value: "example": should be a domain with at least one dot'),
        ("FieldValueNotSupported", "spec.scope",
         'Unsupported value: "Global": supported values: "Cluster", "Namespaced"'),
        ("FieldValueRequired", "spec.names.singular", "Required value"),
        ("FieldValueRequired", "spec.names.kind", "Required value"),
        ("FieldValueRequired", "spec.names.listKind", "Required value"),
    ]


def test_versions_need_exactly_one_storage_version_and_unique_names(api: Api) -> None:
    versions = [{"name": "v1", "served": True, "storage": False, "schema": {"openAPIV3Schema": SCHEMA}},
                {"name": "v1", "served": True, "storage": False, "schema": {"openAPIV3Schema": SCHEMA}},
                {"name": "V2", "served": False, "storage": False, "schema": {"openAPIV3Schema": SCHEMA}}]
    found = causes(api, crd(versions=versions))
    assert [(r, f) for r, f, _ in found] == [
        ("FieldValueInvalid", "spec.versions[2].name"),
        ("FieldValueInvalid", "spec.versions"),
        ("FieldValueInvalid", "spec.versions"),
        ("FieldValueInvalid", "status.storedVersions"),
    ]
    assert found[3][2] == "Invalid value: null: must have at least one stored version"
    assert found[1][2].endswith(": must contain unique version names")
    assert found[2][2].endswith(": must have exactly one version marked as storage version")
    assert found[2][2].startswith('Invalid value: [{"Name":"v1","Served":true,"Storage":false,"Deprecated":false,'
                                  '"DeprecationWarning":null,')


def test_every_version_needs_a_schema(api: Api) -> None:
    body = crd(versions=[{"name": "v1", "served": True, "storage": True}])
    assert causes(api, body) == [("FieldValueRequired", "spec.versions[0].schema.openAPIV3Schema", "Required value")]


def test_conversion_webhook_rules(api: Api) -> None:
    webhook = {"strategy": "Webhook", "webhook": {"clientConfig": {"url": "http://conv.example.com/x?y=1"},
                                                   "conversionReviewVersions": ["v2", "v2"]}}
    found = causes(api, crd(conversion=webhook))
    assert found == [
        ("FieldValueInvalid", "spec.conversion.webhookClientConfig.url",
         'Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]'),
        ("FieldValueInvalid", "spec.conversion.webhookClientConfig.url",
         'Invalid value: "y=1": query parameters are not permitted in the URL'),
        ("FieldValueInvalid", "spec.conversion.conversionReviewVersions[1]", 'Invalid value: "v2": duplicate version'),
        ("FieldValueInvalid", "spec.conversion.conversionReviewVersions",
         'Invalid value: ["v2","v2"]: must include at least one of v1, v1beta1'),
    ]
    both = {"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"], "clientConfig": {
        "url": "https://a.example.com", "service": {"name": "s", "namespace": "n"}}}}
    assert causes(api, crd(conversion=both)) == [
        ("FieldValueRequired", "spec.conversion.webhookClientConfig",
         "Required value: exactly one of url or service is required")]
    none = {"strategy": "None", "webhook": {"conversionReviewVersions": ["v1"]}}
    assert causes(api, crd(conversion=none)) == [
        ("FieldValueForbidden", "spec.conversion.conversionReviewVersions",
         "Forbidden: should not be set when strategy is not set to Webhook")]
    service = {"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"], "clientConfig": {
        "service": {"name": "s", "namespace": "n", "port": 0, "path": "/Bad"}}}}
    assert causes(api, crd(conversion=service))[0] == (
        "FieldValueInvalid", "spec.conversion.webhookClientConfig.service.port",
        "Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive")


def test_a_missing_type_is_not_structural(api: Api) -> None:
    schema = {"type": "object", "properties": {"spec": {"properties": {"size": {"type": "integer"}}}}}
    assert causes(api, with_schema(schema)) == [
        ("FieldValueRequired", "spec.validation.openAPIV3Schema.properties[spec].type",
         "Required value: must not be empty for specified object fields")]


def test_structural_rules_are_sorted_by_text(api: Api) -> None:
    schema = {"type": "object", "properties": {
        "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}},
        "list": {"type": "array"},
        "value": {"type": "string", "anyOf": [{"type": "string", "description": "d"}]},
        "mixed": {"type": "object", "properties": {"a": {"type": "string"}}},
        "embedded": {"type": "object", "x-kubernetes-embedded-resource": True},
    }, "allOf": [{"properties": {"mixed": {"properties": {"b": {"minLength": 1}}}}}]}
    root = "spec.validation.openAPIV3Schema"
    assert causes(api, with_schema(schema)) == [
        ("FieldValueRequired", f"{root}.properties[embedded].properties", "Required value: must not be empty if "
         "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"),
        ("FieldValueRequired", f"{root}.properties[list].items", "Required value: must be specified"),
        ("FieldValueForbidden", f"{root}.properties[metadata]", "Forbidden: must not specify anything other than "
         "name and generateName, but metadata is implicitly specified"),
        ("FieldValueRequired", f"{root}.properties[mixed].properties[b]",
         f"Required value: because it is defined in {root}.allOf[0].properties[mixed].properties[b]"),
        ("FieldValueForbidden", f"{root}.properties[value].anyOf[0].description",
         "Forbidden: must be empty to be structural"),
        ("FieldValueForbidden", f"{root}.properties[value].anyOf[0].type", "Forbidden: must be empty to be structural"),
    ]


def test_openapi_keyword_and_list_type_rules(api: Api) -> None:
    schema = {"type": "object", "properties": {
        "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "nope"],
                  "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
        "tags": {"type": "array", "x-kubernetes-list-type": "set", "uniqueItems": True,
                 "items": {"type": "object", "properties": {"a": {"type": "string"}}}},
        "labels": {"type": "object", "properties": {"a": {"type": "string"}},
                   "additionalProperties": {"type": "string"}},
        "ref": {"type": "string", "x-kubernetes-map-type": "atomic"},
    }}
    root = "spec.validation.openAPIV3Schema"
    assert causes(api, with_schema(schema)) == [
        ("FieldValueForbidden", f"{root}.properties[labels].additionalProperties",
         "Forbidden: additionalProperties and properties are mutual exclusive"),
        ("FieldValueInvalid", f"{root}.properties[ports].x-kubernetes-list-map-keys",
         'Invalid value: ["port","nope"]: entries must all be names of item properties'),
        ("FieldValueRequired", f"{root}.properties[ports].items.properties[port].default",
         "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a "
         "required property"),
        ("FieldValueInvalid", f"{root}.properties[ref].type",
         'Invalid value: "string": must be object if x-kubernetes-map-type is specified'),
        ("FieldValueForbidden", f"{root}.properties[tags].uniqueItems",
         "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"),
        ("FieldValueInvalid", f"{root}.properties[tags].items.x-kubernetes-map-type",
         "Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set"),
    ]


def test_defaults_must_validate_and_be_pruned(api: Api) -> None:
    schema = {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
            "size": {"type": "integer", "default": "big"},
            "box": {"type": "object", "properties": {"w": {"type": "integer"}}, "default": {"w": 1, "h": 2}},
            "name": {"type": "string", "maxLength": 2, "default": "long"},
        }},
        "metadata": {"type": "object", "default": {"name": "x"}},
    }}
    root = "spec.validation.openAPIV3Schema"
    assert causes(api, with_schema(schema)) == [
        ("FieldValueInvalid", f"{root}.properties[spec].properties[box].default",
         'Invalid value: {"h":2,"w":1}: must not have unknown fields'),
        ("FieldValueTooLong", f"{root}.properties[spec].properties[name].default",
         "Too long: may not be more than 2 bytes"),
        ("FieldValueTypeInvalid", f"{root}.properties[spec].properties[size].default",
         'Invalid value: "string":  in body must be of type integer: "string"'),
        ("FieldValueForbidden", f"{root}.properties[metadata].default",
         "Forbidden: must not be set in top-level metadata"),
    ]


def test_printer_columns_scale_paths_and_selectable_fields(api: Api) -> None:
    columns = [{"name": "", "type": "float", "format": "money", "jsonPath": "spec.color"},
               {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
    body = with_schema(SCHEMA, additionalPrinterColumns=columns,
                       subresources={"scale": {"specReplicasPath": ".status.r", "statusReplicasPath": ""}},
                       selectableFields=[{"jsonPath": ".spec.color"}, {"jsonPath": ".spec"},
                                         {"jsonPath": ".spec.nope"}, {"jsonPath": ".spec.color"}])
    column = "spec.additionalPrinterColumns[0]"
    assert causes(api, body) == [
        ("FieldValueInvalid", "spec.subresources.scale.specReplicasPath",
         'Invalid value: ".status.r": should be a json path under .spec'),
        ("FieldValueRequired", "spec.subresources.scale.statusReplicasPath", "Required value"),
        ("FieldValueRequired", f"{column}.name", "Required value"),
        ("FieldValueInvalid", f"{column}.type",
         'Invalid value: "float": must be one of boolean,date,integer,number,string'),
        ("FieldValueInvalid", f"{column}.format",
         'Invalid value: "money": must be one of byte,date,date-time,double,float,int32,int64,password'),
        ("FieldValueInvalid", f"{column}.JSONPath",
         'Invalid value: "spec.color": must be a simple json path starting with .'),
        ("FieldValueInvalid", "spec.selectableFields[1].jsonPath", 'Invalid value: ".spec": must point to a field '
         "of type string, boolean or integer. Enum string fields and strings with formats are allowed."),
        ("FieldValueInvalid", "spec.selectableFields[2].jsonPath",
         'Invalid value: ".spec.nope": is an invalid path: does not refer to a valid field'),
        ("FieldValueDuplicate", "spec.selectableFields[3].jsonPath", 'Duplicate value: ".spec.color"'),
    ]


def test_per_version_schemas_are_reported_per_version(api: Api) -> None:
    bad = {"type": "object", "properties": {"spec": {"properties": {}}}}
    body = crd(versions=[{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}},
                         {"name": "v2", "served": True, "storage": False, "schema": {"openAPIV3Schema": bad}}])
    assert causes(api, body) == [
        ("FieldValueRequired", "spec.versions[1].schema.openAPIV3Schema.properties[spec].type",
         "Required value: must not be empty for specified object fields")]


RICH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "required": ["color"], "properties": {
            "color": {"type": "string", "enum": ["red", "blue"]},
            "replicas": {"type": "integer", "default": 1, "minimum": 0},
            "port": {"x-kubernetes-int-or-string": True, "default": 80},
            "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                      "items": {"type": "object", "required": ["name"], "properties": {
                          "name": {"type": "string"}, "number": {"type": "integer", "default": 8080}}}},
            "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
            "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                         "x-kubernetes-preserve-unknown-fields": True},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "default": {"any": "thing"}},
        }},
        "status": {"type": "object", "properties": {"replicas": {"type": "integer"},
                                                    "selector": {"type": "string"}}},
    },
}


def test_a_feature_rich_crd_is_accepted_and_stored(api: Api) -> None:
    columns = [{"name": "Color", "type": "string", "jsonPath": ".spec.color"},
               {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas", "priority": 1}]
    v1 = {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": RICH_SCHEMA},
          "additionalPrinterColumns": columns, "selectableFields": [{"jsonPath": ".spec.color"}],
          "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                   "statusReplicasPath": ".status.replicas",
                                                   "labelSelectorPath": ".status.selector"}}}
    v1beta1 = copy.deepcopy(v1) | {"name": "v1beta1", "storage": False, "deprecated": True,
                                   "deprecationWarning": "use v1"}
    body = crd(versions=[v1, v1beta1])
    status, created = api.json("POST", PATH, body)
    assert status == 201, created
    assert created["spec"]["versions"][0]["schema"]["openAPIV3Schema"] == RICH_SCHEMA
    assert created["status"]["storedVersions"] == ["v1"]


def test_updates_keep_group_plural_and_stored_versions(api: Api) -> None:
    status, created = api.json("POST", PATH, crd())
    assert status == 201, created
    status, changed = api.json("GET", f"{PATH}/widgets.example.com")
    assert status == 200, changed
    changed["spec"]["names"]["plural"] = "gadgets"
    changed["spec"]["versions"] = [{"name": "v2", "served": True, "storage": True,
                                    "schema": {"openAPIV3Schema": SCHEMA}}]
    status, answer = api.json("PUT", f"{PATH}/widgets.example.com", changed)
    immutable = 'Invalid value: "gadgets": field is immutable'
    stored = ('Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain '
              "in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from "
              "status.storedVersions")
    assert (status, answer["message"]) == (
        422, f'CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: '
             f"[spec.names.plural: {immutable}, status.storedVersions[0]: {stored}]"), answer
    assert [(c["reason"], c.get("field", ""), c["message"]) for c in answer["details"]["causes"]] == [
        ("FieldValueInvalid", "spec.names.plural", immutable),
        ("FieldValueInvalid", "status.storedVersions[0]", stored)]


def test_protected_groups_need_api_approval(api: Api) -> None:
    body = crd(group="widgets.k8s.io")
    assert causes(api, body) == [
        ("FieldValueRequired", "metadata.annotations[api-approved.kubernetes.io]",
         'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see '
         "https://github.com/kubernetes/enhancements/pull/1111")]


def test_kubectl_apply_prints_upstreams_error(kubectl: Kubectl, tmp_path: Any) -> None:
    manifest = tmp_path / "bad-crd.yaml"
    untyped_spec = {"type": "object", "properties": {"spec": {"properties": {"size": {"type": "integer"}}}}}
    manifest.write_text(yaml.safe_dump(with_schema(untyped_spec)))
    result = kubectl("apply", "-f", str(manifest))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'The CustomResourceDefinition "widgets.example.com" is invalid: '
        "spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified "
        "object fields")


def test_cel_rules_are_compiled_when_the_schema_is_otherwise_valid(api: Api) -> None:
    schema = {"type": "object", "properties": {"spec": {
        "type": "object", "properties": {"x": {"type": "string"}},
        "x-kubernetes-validations": [{"rule": "self.x == "}, {"rule": "self.x == 'a'", "message": "a\nb"}]}}}
    where = "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations"
    assert causes(api, with_schema(schema)) == [
        ("FieldValueInvalid", f"{where}[1].message", 'Invalid value: "a\\nb": must not contain line breaks')]
    del schema["properties"]["spec"]["x-kubernetes-validations"][1]
    found = causes(api, with_schema(schema))
    assert [(r, f) for r, f, _ in found] == [("FieldValueInvalid", f"{where}[0].rule")]
    assert found[0][2].startswith(
        'Invalid value: {"Rule":"self.x == ","Message":"","MessageExpression":"","Reason":null,"FieldPath":"",'
        '"OptionalOldSelf":null}: '
        "compilation failed: ERROR: <input>:1:8: Syntax error:")  # cel-go's own detail: see the report
