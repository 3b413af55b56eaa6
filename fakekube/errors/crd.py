"""CustomResourceDefinition validation, worded as apiextensions-apiserver's validation.go and schema
checks word it."""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import FieldError, forbidden, invalid
from fakekube.go_text import GoShown, go_quote


def invalid_go_value(path: str, shown: GoShown, detail: str) -> FieldError:
    """``field.Invalid`` of a typed Go value (a struct, a slice), in both of the forms releases print."""
    return FieldError("FieldValueInvalid", path, shown, detail)


def duplicate(path: str, value: Any) -> FieldError:
    """``field.Duplicate``."""
    return FieldError("FieldValueDuplicate", path, value)


def internal_field_error(path: str, detail: str) -> FieldError:
    """``field.InternalError``."""
    return FieldError("InternalError", path, detail=detail)


CRD_STORAGE_VERSION_COUNT = "must have exactly one version marked as storage version"
CRD_UNIQUE_VERSIONS = "must contain unique version names"
CRD_STRUCTURAL_TYPE_MISSING = {
    "root": "must not be empty at the root",
    "item": "must not be empty for specified array items",
    "field": "must not be empty for specified object fields",
}
CRD_METADATA_RESTRICTED = ("must not specify anything other than name and generateName, but metadata is implicitly "
                           "specified")
CRD_COLUMN_TYPES = "must be one of boolean,date,integer,number,string"
CRD_COLUMN_FORMATS = "must be one of byte,date,date-time,double,float,int32,int64,password"
CRD_SELECTABLE_TYPE = ("must point to a field of type string, boolean or integer. Enum string fields and strings "
                       "with formats are allowed.")
CRD_API_APPROVAL = "api-approved.kubernetes.io"
CRD_APPROVAL_MISSING = (f'protected groups must have approval annotation "{CRD_API_APPROVAL}", see '
                        "https://github.com/kubernetes/enhancements/pull/1111")
CRD_APPROVAL_INVALID = (f'protected groups must have approval annotation "{CRD_API_APPROVAL}" with either a URL or a '
                        'reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111')
WEBHOOK_URL_FORM = "; desired format: https://host[/path]"


def crd_stored_version_missing(path: str, version: str) -> FieldError:
    """A stored version dropped from ``spec.versions`` before a storage migration."""
    return invalid(path, version, f"missing from spec.versions; {version} was previously a storage version, and must "
                   f"remain in spec.versions until a storage migration ensures no data remains persisted in {version} "
                   f"and removes {version} from status.storedVersions")


# RE2's error texts (``kErrorStrings``) as Go's ``regexp/syntax.ErrorCode`` words them.
_GO_REGEXP_CODES = {
    "missing ]": "missing closing ]",
    "missing )": "missing closing )",
    "trailing \\": "trailing backslash at end of expression",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid repetition size": "invalid repeat count",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
}


def go_regexp_parse_error(re2_code: str, expr: str) -> str:
    """Go's ``*syntax.Error`` text for a pattern RE2 refused with ``re2_code`` at ``expr``."""
    return f"error parsing regexp: {_GO_REGEXP_CODES.get(re2_code, re2_code)}: `{expr}`"


def crd_cost_exceeded(path: str, cost_name: str, cost: int, limit: int) -> FieldError:
    """``getCostErrorMessage``: a CEL rule (or all of a schema's rules) estimated over budget."""
    factor = cost / limit
    shown = "more than 100x" if factor > 100 else f"{factor:f}x" if factor < 1.5 else f"{factor:.1f}x"
    return forbidden(path, f"{cost_name} exceeds budget by factor of {shown} (try simplifying the rule, or adding "
                     "maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)")


# --- apiextensions-apiserver's validation.go: names, versions, conversion, status -----------------------


def crd_preserve_unknown_fields_set() -> FieldError:
    """``spec.preserveUnknownFields`` turned on (it may only stay on, from v1beta1)."""
    return invalid("spec.preserveUnknownFields", True, "cannot set to true, set x-kubernetes-preserve-unknown-fields "
                   "to true in spec.versions[*].schema instead")


def crd_group_not_domain(group: str) -> FieldError:
    """``spec.group`` without a dot."""
    return invalid("spec.group", group, "should be a domain with at least one dot")


def crd_defaults_with_preserve_unknown_fields() -> FieldError:
    """Defaults in a schema of a CRD with ``spec.preserveUnknownFields``."""
    return invalid("spec.preserveUnknownFields", True, "must be false in order to use defaults in the schema")


def crd_selectable_fields_without_schema(path: str) -> FieldError:
    """Shared ``selectableFields`` (internal ``spec.selectableFields``) without a shared schema."""
    return invalid(path, "", "may only be set when validations.schema is included")


def crd_version_selectable_fields_without_schema(path: str) -> FieldError:
    """A version's ``selectableFields`` without the version's ``schema.openAPIV3Schema``."""
    return invalid(path, "", "may only be set when `version.schema.openAPIV3Schema` is not included")


def crd_conversion_with_preserve_unknown_fields(strategy: Any) -> FieldError:
    """A conversion strategy other than None while ``spec.preserveUnknownFields`` is on."""
    return invalid("spec.conversion.strategy", strategy, "must be None if spec.preserveUnknownFields is true")


# ``validateDeprecationWarning``'s details, each one a ``field.Invalid`` of ``deprecationWarning``.
CRD_DEPRECATION_WARNING_NOT_DEPRECATED = "can only be set for deprecated versions"
CRD_DEPRECATION_WARNING_TOO_LONG = "must be <= 256 characters long"
CRD_DEPRECATION_WARNING_EMPTY = "must not be an empty string"


def crd_deprecation_warning_unprintable(kind: str, offset: int) -> str:
    """``kind``: "control" or "non-printable"; ``offset``: the character's byte offset."""
    return f"must only contain printable UTF-8 characters; {kind} character found at index {offset}"


def kind_name_invalid(path: str, value: Any, problems: list[str]) -> FieldError:
    """A kind (``spec.names.kind``, ``listKind``, an embedded resource's ``kind``): a DNS-1035 label but for
    its case (apiextensions' names validation and its embedded-resource checks)."""
    return invalid(path, value, "may have mixed case, but should otherwise match: " + ",".join(problems))


def crd_list_kind_same_as_kind(path: str, list_kind: Any) -> FieldError:
    return invalid(path, list_kind, "kind and listKind may not be the same")


def crd_no_stored_versions(path: str, shown: GoShown) -> FieldError:
    """An empty ``status.storedVersions`` (``shown``: the slice)."""
    return invalid_go_value(path, shown, "must have at least one stored version")


def crd_storage_version_not_stored(path: str, shown: GoShown, name: Any) -> FieldError:
    """The storage version missing from ``status.storedVersions``."""
    return invalid_go_value(path, shown, f"must have the storage version {name}")


def crd_field_immutable(path: str, value: Any) -> FieldError:
    """``ValidateCustomResourceDefinitionUpdate``: scope, kind, group and plural may not change."""
    return invalid(path, value, "field is immutable")


# --- printer columns, scale paths and selectable fields ---------------------------------------------


def crd_json_path_empty(path: str, value: str) -> FieldError:
    """``validateSimpleJSONPath`` of an empty path."""
    return invalid(path, value, "must not be empty")


def crd_json_path_not_simple(path: str, value: str) -> FieldError:
    """``validateSimpleJSONPath`` of a path not starting with a dot."""
    return invalid(path, value, "must be a simple json path starting with .")


def crd_scale_replicas_path_outside(path: str, value: str, under: str) -> FieldError:
    """A scale replicas path not under ``under`` (``.spec`` or ``.status``)."""
    return invalid(path, value, f"should be a json path under {under}")


def crd_scale_selector_path_outside(path: str, value: str) -> FieldError:
    return invalid(path, value, "should be a json path under either .spec or .status")


def crd_selectable_field_invalid(path: str, json_path: str, problem: Any) -> FieldError:
    """A selectable field's path that ``ValidFieldPath`` refuses (``problem``: its error)."""
    return invalid(path, json_path, f"is an invalid path: {problem}")


def crd_selectable_field_in_metadata(path: str, json_path: str) -> FieldError:
    return invalid(path, json_path, "must not point to fields in metadata")


def crd_selectable_field_type(path: str, json_path: str) -> FieldError:
    """A selectable field that names no string, boolean or integer field."""
    return invalid(path, json_path, CRD_SELECTABLE_TYPE)


# ``cel.ValidFieldPath``'s errors (apiextensions-apiserver ``pkg/apiserver/schema/cel/model``).
FIELD_PATH_ARRAY_NOTATION = "array notation is not allowed"
FIELD_PATH_UNEXPECTED_END = "unexpected end of JSON path"
FIELD_PATH_NOT_A_FIELD = "does not refer to a valid field"


def field_path_unexpected_token(token: str) -> str:
    return f"expected [ or . but got: {token}"


def field_path_unquoted(name: str) -> str:
    return f"expected single quoted string but got {name}"


def field_path_unclosed(token: str) -> str:
    return f"expected ] but got {token}"


def field_path_invalid_escape(escape: str) -> str:
    """A quoted field name with an escape Go's ``strconv.Unquote`` refuses."""
    return f"invalid string literal: invalid escape char {escape}"

def crd_name_in_use(name: str) -> str:
    """The naming controller's conflict (``NamesAccepted=False``): ``fmt.Errorf("%q is already in use")``."""
    return f"{go_quote(name)} is already in use"


__all__ = [
    "CRD_API_APPROVAL",
    "CRD_APPROVAL_INVALID",
    "CRD_APPROVAL_MISSING",
    "CRD_COLUMN_FORMATS",
    "CRD_COLUMN_TYPES",
    "CRD_DEPRECATION_WARNING_EMPTY",
    "CRD_DEPRECATION_WARNING_NOT_DEPRECATED",
    "CRD_DEPRECATION_WARNING_TOO_LONG",
    "CRD_METADATA_RESTRICTED",
    "CRD_SELECTABLE_TYPE",
    "CRD_STORAGE_VERSION_COUNT",
    "CRD_STRUCTURAL_TYPE_MISSING",
    "CRD_UNIQUE_VERSIONS",
    "FIELD_PATH_ARRAY_NOTATION",
    "FIELD_PATH_NOT_A_FIELD",
    "FIELD_PATH_UNEXPECTED_END",
    "WEBHOOK_URL_FORM",
    "crd_conversion_with_preserve_unknown_fields",
    "crd_cost_exceeded",
    "crd_defaults_with_preserve_unknown_fields",
    "crd_deprecation_warning_unprintable",
    "crd_field_immutable",
    "crd_group_not_domain",
    "crd_json_path_empty",
    "crd_json_path_not_simple",
    "crd_list_kind_same_as_kind",
    "crd_name_in_use",
    "crd_no_stored_versions",
    "crd_preserve_unknown_fields_set",
    "crd_scale_replicas_path_outside",
    "crd_scale_selector_path_outside",
    "crd_selectable_field_in_metadata",
    "crd_selectable_field_invalid",
    "crd_selectable_field_type",
    "crd_selectable_fields_without_schema",
    "crd_storage_version_not_stored",
    "crd_stored_version_missing",
    "crd_version_selectable_fields_without_schema",
    "duplicate",
    "field_path_invalid_escape",
    "field_path_unclosed",
    "field_path_unexpected_token",
    "field_path_unquoted",
    "go_regexp_parse_error",
    "internal_field_error",
    "invalid_go_value",
    "kind_name_invalid",
]
