"""CustomResourceDefinition validation, worded as apiextensions-apiserver's validation.go and schema
checks word it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakekube.errors.fields import FIELD_ERROR_TYPES, FieldError, forbidden, invalid


@dataclass(frozen=True)
class GoValueFieldError(FieldError):
    """A field error whose value kube prints with Go's ``%#v`` of an internal struct (``shown``), which no
    JSON rendering reproduces (``[]apiextensions.CustomResourceDefinitionVersion{...}``)."""

    shown: str = ""

    def body(self) -> str:
        text = f"{FIELD_ERROR_TYPES[self.type]}: {self.shown}"
        return f"{text}: {self.detail}" if self.detail else text


def invalid_go_value(path: str, shown: str, detail: str) -> FieldError:
    """``field.Invalid`` of a Go struct or slice value, ``shown`` already rendered as ``%#v`` renders it."""
    return GoValueFieldError("FieldValueInvalid", path, detail=detail, shown=shown)


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

__all__ = [
    "CRD_API_APPROVAL",
    "CRD_APPROVAL_INVALID",
    "CRD_APPROVAL_MISSING",
    "CRD_COLUMN_FORMATS",
    "CRD_COLUMN_TYPES",
    "CRD_METADATA_RESTRICTED",
    "CRD_SELECTABLE_TYPE",
    "CRD_STORAGE_VERSION_COUNT",
    "CRD_STRUCTURAL_TYPE_MISSING",
    "CRD_UNIQUE_VERSIONS",
    "WEBHOOK_URL_FORM",
    "GoValueFieldError",
    "crd_cost_exceeded",
    "crd_stored_version_missing",
    "duplicate",
    "go_regexp_parse_error",
    "internal_field_error",
    "invalid_go_value",
]
