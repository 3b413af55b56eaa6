"""Field errors (``field.Error`` of ``k8s.io/apimachinery/pkg/util/validation/field``): a path, a type and
the text kube-apiserver shows for it, as causes of an Invalid ``Status``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from fakekube.go_text import go_repr
from fakekube.versions import served_minor

# field.ErrorType -> (reason in causes, text in messages)
FIELD_ERROR_TYPES: dict[str, str] = {
    "FieldValueNotFound": "Not found",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "InternalError": "Internal error",
    "FieldValueTypeInvalid": "Invalid value",
}
# Types whose message never shows the value (field.TooMany shows the count it was given).
_VALUELESS = {"FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong", "InternalError"}
# The release whose field errors show a typed value as its json.Marshal (apimachinery v0.34); before, %#v.
_JSON_VALUES_SINCE = 34
_OMIT = object()
# The value of a field error that shows none (apimachinery's ``field.OmitValueType``): ``Invalid value: <detail>``.
NO_VALUE: Any = _OMIT
ACCEPTED_BODY_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")


@dataclass(frozen=True)
class FieldError:
    """One ``field.Error``: a path like ``spec.template.spec.containers[0].image`` and what is wrong there."""

    type: str
    field: str
    value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        text = FIELD_ERROR_TYPES[self.type]
        if self.type not in _VALUELESS and self.value is not _OMIT:
            text += ": " + go_repr(self.value, as_json=served_minor() >= _JSON_VALUES_SINCE)
        if self.detail:
            text += ": " + self.detail
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}" if self.field else self.body()

    def cause(self) -> dict[str, str]:
        cause = {"reason": self.type, "message": self.body()}
        if self.field:  # metav1.StatusCause omits an empty field
            cause["field"] = self.field
        return cause


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(orjson.dumps(s).decode() for s in supported) if supported else ""
    return FieldError("FieldValueNotSupported", path, value, detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail=detail)


def too_many(path: str, actual: int, most: int, items: str = "items") -> FieldError:
    """``field.TooMany``: ``Too many: 3: must have at most 2 items`` (a negative limit, which a CRD may
    declare, is worded without it)."""
    if most < 0:
        return FieldError("FieldValueTooMany", path, actual, "has too many items")
    return FieldError("FieldValueTooMany", path, actual, f"must have at most {most} {items}")


def too_long(path: str, max_length: int) -> FieldError:
    """``field.TooLong``: ``may not be more than 2 bytes``, ``1 byte``; a negative limit is not shown."""
    if max_length < 0:
        return FieldError("FieldValueTooLong", path, detail="value is too long")
    unit = "byte" if max_length == 1 else "bytes"
    return FieldError("FieldValueTooLong", path, detail=f"may not be more than {max_length} {unit}")

__all__ = [
    "ACCEPTED_BODY_TYPES",
    "FIELD_ERROR_TYPES",
    "FIELD_IMMUTABLE",
    "NOT_NEGATIVE",
    "NOT_POSITIVE",
    "NO_VALUE",
    "PORT_RANGE",
    "SELECTOR_OPERATOR_INVALID",
    "SELECTOR_VALUES_FORBIDDEN",
    "SELECTOR_VALUES_REQUIRED",
    "FieldError",
    "forbidden",
    "invalid",
    "not_supported",
    "required",
    "too_long",
    "too_many",
]


# Details several validators share (apimachinery's validation helpers).
NOT_NEGATIVE = "must be greater than or equal to 0"
FIELD_IMMUTABLE = "field is immutable"
NOT_POSITIVE = "must be greater than zero"
PORT_RANGE = "must be between 1 and 65535, inclusive"
SELECTOR_VALUES_REQUIRED = "must be specified when `operator` is 'In' or 'NotIn'"
SELECTOR_VALUES_FORBIDDEN = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
SELECTOR_OPERATOR_INVALID = "not a valid selector operator"
