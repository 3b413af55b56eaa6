"""A CRD version's ``openAPIV3Schema``, worded as apiextensions-apiserver words its rules:
``validation.go``'s ``ValidateCustomResourceDefinitionOpenAPISchema`` (keywords, list and map types,
``x-kubernetes-validations`` shapes), ``pkg/apiserver/schema``'s ``NewStructural`` and ``ValidateStructural``
(structural schemas) and ``defaulting.ValidateDefaults``."""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import FieldError, forbidden, invalid, required

# --- validation.go: the root and the keywords of every node ------------------------------------------


def crd_status_root_type(path: str, kind: Any) -> FieldError:
    """A root that is not an object while the status subresource is on."""
    return invalid(path, kind, 'only "object" is allowed as the type at the root of the schema if the status '
                   "subresource is enabled")


# The keywords a root may use with the status subresource, as Go's ``%v`` prints their field names.
CRD_STATUS_ROOT_NAMES = ("[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength "
                         "MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties "
                         "ExternalDocs Example XPreserveUnknownFields XValidations]")


def crd_status_root_fields(path: str, schema: Any) -> FieldError:
    """A root using other keywords than ``CRD_STATUS_ROOT_NAMES`` with the status subresource."""
    return invalid(path, schema, f"only {CRD_STATUS_ROOT_NAMES} fields are allowed at the root of the schema if "
                   "the status subresource is enabled")


def crd_root_nullable(path: str) -> FieldError:
    return forbidden(path, "nullable cannot be true at the root")


def crd_not_structural(path: str, problem: str) -> FieldError:
    """``NewStructural``'s refusal (``problem``: one of the ``crd_structural_init_*`` texts)."""
    return invalid(path, "", problem)


def crd_unique_items(path: str) -> FieldError:
    return forbidden(path, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic")


def crd_additional_properties_with_properties(path: str) -> FieldError:
    return forbidden(path, "additionalProperties and properties are mutual exclusive")


# Where ``default`` is forbidden, completing ``crd_default_forbidden``'s "must not be set ...".
CRD_DEFAULT_IN_META_ADDITIONAL_PROPERTIES = "inside additionalProperties applying to object metadata"


def crd_default_in_top_level(name: str) -> str:
    """Where: in the root's ``metadata``, ``apiVersion`` or ``kind``."""
    return f"in top-level {name}"


def crd_default_forbidden(path: str, where: str) -> FieldError:
    return forbidden(path, f"must not be set {where}")


def crd_keyword_not_supported(path: str, name: str) -> FieldError:
    """``id``, ``additionalItems``, ``patternProperties``, ``definitions``, ``dependencies``, ``$ref``."""
    return forbidden(path, f"{name} is not supported")


def crd_null_type(path: str) -> FieldError:
    return forbidden(path, "type cannot be set to null, use nullable as an alternative")


def crd_items_array(path: str) -> FieldError:
    return forbidden(path, "items must be a schema object and not an array")


def crd_embedded_in_meta(path: str) -> FieldError:
    return forbidden(path, "must not be used inside of resource meta")


def crd_preserve_unknown_fields_false(path: str) -> FieldError:
    return invalid(path, False, "must be true or undefined")


def crd_type_for_extension(path: str, kind: str, needed: str, extension: str) -> FieldError:
    """A node whose ``type`` is not ``needed`` (required when unset) though ``extension`` is specified
    (``x-kubernetes-map-type``: object; ``x-kubernetes-list-type``: array)."""
    detail = f"must be {needed} if {extension} is specified"
    return required(path, detail) if not kind else invalid(path, kind, detail)


def crd_set_item_not_atomic(path: str, value: Any) -> FieldError:
    """An item of a ``set`` list that is a list or map but not atomic."""
    return invalid(path, value, "must be atomic as item of a list with x-kubernetes-list-type=set")


def crd_list_type_for_map_keys(path: str, list_type: Any) -> FieldError:
    """``x-kubernetes-list-map-keys`` on a list whose type is not (required when unset) map."""
    detail = "must be map if x-kubernetes-list-map-keys is non-empty"
    return required(path, detail) if list_type is None else invalid(path, list_type, detail)


def crd_map_keys_missing(path: str) -> FieldError:
    return required(path, "must not be empty if x-kubernetes-list-type is map")


def crd_map_items_missing(path: str) -> FieldError:
    return required(path, "must have a schema if x-kubernetes-list-type is map")


def crd_map_items_not_object(path: str, kind: Any) -> FieldError:
    return invalid(path, kind, "must be object if parent array's x-kubernetes-list-type is map")


def crd_map_key_not_scalar(path: str) -> FieldError:
    """A list-map key whose property is an array or object (the value kube shows is always "object")."""
    return invalid(path, "object", "must be a scalar type if parent array's x-kubernetes-list-type is map")


def crd_map_key_not_property(path: str, keys: list[Any]) -> FieldError:
    return invalid(path, keys, "entries must all be names of item properties")


def crd_map_keys_duplicate(path: str, keys: list[Any]) -> FieldError:
    return invalid(path, keys, "must not contain duplicate entries")


def crd_list_items_nullable(path: str, list_type: Any) -> FieldError:
    """``validateMapListKeysMapSet``: the items of a set or map list may not be nullable."""
    return forbidden(path, f"cannot be nullable when x-kubernetes-list-type is {list_type}")


def crd_map_key_without_default(path: str) -> FieldError:
    return required(path, "this property is in x-kubernetes-list-map-keys, so it must have a default or be a "
                    "required property")


def crd_map_key_nullable(path: str) -> FieldError:
    return forbidden(path, "this property is in x-kubernetes-list-map-keys, so it cannot be nullable")


# --- x-kubernetes-validations, before compiling ------------------------------------------------------

CRD_NON_EMPTY_IF_SPECIFIED = "must be non-empty if specified"
CRD_NO_LINE_BREAKS = "must not contain line breaks"


def crd_rule_message_empty(path: str, message: str) -> FieldError:
    return invalid(path, message, CRD_NON_EMPTY_IF_SPECIFIED)


def crd_rule_message_line_breaks(path: str, message: str) -> FieldError:
    return invalid(path, message, CRD_NO_LINE_BREAKS)


def crd_rule_message_required(path: str) -> FieldError:
    """A rule spanning lines needs a message."""
    return required(path, "message must be specified if rule contains line breaks")


def crd_rule_message_expression_empty(path: str) -> FieldError:
    return required(path, "messageExpression must be non-empty if specified")


def crd_rule_field_path_empty(path: str, field_path: str) -> FieldError:
    return invalid(path, field_path, CRD_NON_EMPTY_IF_SPECIFIED)


def crd_rule_field_path_line_breaks(path: str, field_path: str) -> FieldError:
    return invalid(path, field_path, CRD_NO_LINE_BREAKS)


def crd_rule_field_path_invalid(path: str, field_path: str) -> FieldError:
    return invalid(path, field_path, "must be a valid path")


# --- pkg/apiserver/schema: structural schemas --------------------------------------------------------


def crd_structural_init_unsupported(name: str) -> str:
    """``NewStructural``'s refusal of a keyword it cannot represent."""
    return f"OpenAPIV3Schema '{name}' is not supported"


CRD_STRUCTURAL_INIT_ITEMS_ARRAY = "OpenAPIV3Schema 'items' must be a schema, but is an array"
CRD_STRUCTURAL_INIT_PRESERVE_FALSE = "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"

# The details of a keyword forbidden in a value validation (``allOf``, ``anyOf``, ``oneOf``, ``not``).
CRD_NESTED_EMPTY = "must be empty to be structural"
CRD_NESTED_UNDEFINED = "must be undefined to be structural"
CRD_NESTED_FALSE = "must be false to be structural"


def crd_nested_forbidden(path: str, detail: str) -> FieldError:
    """``detail``: ``CRD_NESTED_EMPTY``, ``CRD_NESTED_UNDEFINED`` or ``CRD_NESTED_FALSE``."""
    return forbidden(path, detail)


def crd_nested_metadata(path: str) -> FieldError:
    return forbidden(path, "must not be specified in a nested context")


def crd_array_items_missing(path: str) -> FieldError:
    return required(path, "must be specified")


def crd_additional_properties_at_root(path: str) -> FieldError:
    return forbidden(path, "must not be used at the root")


def crd_with_int_or_string(path: str) -> FieldError:
    """``x-kubernetes-preserve-unknown-fields`` or ``x-kubernetes-embedded-resource`` beside int-or-string."""
    return invalid(path, True, "must be false if x-kubernetes-int-or-string is true")


def crd_embedded_type(path: str, kind: str) -> FieldError:
    """An embedded resource whose type is not (required when unset) object."""
    detail = "must be object if x-kubernetes-embedded-resource is true"
    return required(path, detail) if not kind else invalid(path, kind, detail)


def crd_embedded_additional_properties(path: str) -> FieldError:
    return forbidden(path, "must not be used if x-kubernetes-embedded-resource is set")


def crd_root_type(path: str, kind: Any) -> FieldError:
    return invalid(path, kind, "must be object at the root")


def crd_type_field_not_string(path: str, kind: Any) -> FieldError:
    """``kind`` or ``apiVersion`` of a resource that is not a string."""
    return invalid(path, kind, "must be string")


def crd_metadata_not_object(path: str, kind: Any) -> FieldError:
    return invalid(path, kind, "must be object")


def crd_embedded_properties_missing(path: str) -> FieldError:
    return required(path, "must not be empty if x-kubernetes-embedded-resource is true without "
                    "x-kubernetes-preserve-unknown-fields")


def crd_pattern_invalid(path: str, pattern: str, problem: str) -> FieldError:
    """A ``pattern`` Go's ``regexp`` refuses (``problem``: its error)."""
    return invalid(path, pattern, f"must be a valid regular expression, but isn't: {problem}")


def crd_not_declared(path: str, where: str) -> FieldError:
    """A field a value validation at ``where`` names that the structural schema does not declare."""
    return required(path, f"because it is defined in {where}")


# --- defaulting.ValidateDefaults ---------------------------------------------------------------------


def crd_default_not_pruned(path: str, value: Any) -> FieldError:
    """A default holding fields its schema would prune."""
    return invalid(path, value, "must not have unknown fields")

# What ``JSONSchemaPropsOrBool.UnmarshalJSON`` answers a value that is neither a schema nor a boolean.
CRD_OR_BOOL_EXPECTED = "boolean or JSON schema expected"


__all__ = [
    "CRD_DEFAULT_IN_META_ADDITIONAL_PROPERTIES",
    "CRD_NESTED_EMPTY",
    "CRD_NESTED_FALSE",
    "CRD_NESTED_UNDEFINED",
    "CRD_NON_EMPTY_IF_SPECIFIED",
    "CRD_NO_LINE_BREAKS",
    "CRD_OR_BOOL_EXPECTED",
    "CRD_STATUS_ROOT_NAMES",
    "CRD_STRUCTURAL_INIT_ITEMS_ARRAY",
    "CRD_STRUCTURAL_INIT_PRESERVE_FALSE",
    "crd_additional_properties_at_root",
    "crd_additional_properties_with_properties",
    "crd_array_items_missing",
    "crd_default_forbidden",
    "crd_default_in_top_level",
    "crd_default_not_pruned",
    "crd_embedded_additional_properties",
    "crd_embedded_in_meta",
    "crd_embedded_properties_missing",
    "crd_embedded_type",
    "crd_items_array",
    "crd_keyword_not_supported",
    "crd_list_items_nullable",
    "crd_list_type_for_map_keys",
    "crd_map_items_missing",
    "crd_map_items_not_object",
    "crd_map_key_not_property",
    "crd_map_key_not_scalar",
    "crd_map_key_nullable",
    "crd_map_key_without_default",
    "crd_map_keys_duplicate",
    "crd_map_keys_missing",
    "crd_metadata_not_object",
    "crd_nested_forbidden",
    "crd_nested_metadata",
    "crd_not_declared",
    "crd_not_structural",
    "crd_null_type",
    "crd_pattern_invalid",
    "crd_preserve_unknown_fields_false",
    "crd_root_nullable",
    "crd_root_type",
    "crd_rule_field_path_empty",
    "crd_rule_field_path_invalid",
    "crd_rule_field_path_line_breaks",
    "crd_rule_message_empty",
    "crd_rule_message_expression_empty",
    "crd_rule_message_line_breaks",
    "crd_rule_message_required",
    "crd_set_item_not_atomic",
    "crd_status_root_fields",
    "crd_status_root_type",
    "crd_structural_init_unsupported",
    "crd_type_field_not_string",
    "crd_type_for_extension",
    "crd_unique_items",
    "crd_with_int_or_string",
    ]
