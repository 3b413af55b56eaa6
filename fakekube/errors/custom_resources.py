"""Custom resources' subresources (apiextensions-apiserver's ScaleREST and custom resource strategy)."""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import FieldError, invalid
from fakekube.errors.status import StatusError, bad_request, internal_error
from fakekube.go_text import go_quote


def unknown_server_error(message: str) -> StatusError:
    """An error kube-apiserver's REST storage returns without a Status (an ``unstructured`` accessor's): a 500
    with no reason, its text as the message (``ErrorToAPIStatus``)."""
    return StatusError(500, "", message)


def scale_spec_replicas_missing(path: str) -> StatusError:
    """GET ``/scale`` of a custom resource without spec replicas."""
    return internal_error(f"the spec replicas field {go_quote(path)} does not exist")


def scale_spec_replicas_empty(path: str) -> StatusError:
    """A ``/scale`` patch that leaves unset spec replicas unset."""
    return bad_request(f"the spec replicas field {go_quote(path)} cannot be empty")


def accessor_type_error(shown: str, value: str, go_type: str, expected: str) -> str:
    """An ``unstructured`` accessor's error (``NestedInt64``, ``NestedString``, ``NestedFieldNoCopy``): the
    value at ``shown`` (``.spec.replicas``) rendered by Go's ``%v`` and ``%T``, and the type it expected."""
    return f"{shown} accessor error: {value} is of the type {go_type}, expected {expected}"


def accessor_cannot_set(shown: str) -> str:
    """``unstructured.SetNestedField`` meeting a value on the way that is not a map."""
    return f"value cannot be set because {shown} is not a map[string]interface{{}}"


def scale_replicas_negative(path: str, replicas: int) -> FieldError:
    """``ValidateScaleSpec``/``ValidateScaleStatus`` of a custom resource's replicas below zero."""
    return invalid(path, replicas, "should be a non-negative integer")


def scale_replicas_too_large(path: str, replicas: int, limit: int) -> FieldError:
    """Replicas beyond int32."""
    return invalid(path, replicas, f"should be less than or equal to {limit}")


def scale_accessor_invalid(path: str, value: Any, accessor_error: str) -> FieldError:
    """A scale path whose value has the wrong type, with the accessor's error as the detail."""
    return invalid(path, value, accessor_error)


# --- embedded resources and list types of custom resources (apiextensions' schema/objectmeta and
# --- listtype validation) ------------------------------------------------------------------------

def embedded_not_a_string(path: str, value: Any) -> FieldError:
    """An embedded resource's ``apiVersion`` or ``kind`` that is not a string."""
    return invalid(path, value, "must be a string")


def embedded_empty(path: str, value: Any) -> FieldError:
    """An embedded resource's empty ``apiVersion`` or ``kind``."""
    return invalid(path, value, "must not be empty")


def embedded_group_version_invalid(path: str, value: str) -> FieldError:
    """``schema.ParseGroupVersion``'s refusal of an embedded resource's ``apiVersion``."""
    return invalid(path, value, f"unexpected GroupVersion string: {value}")


def list_map_item_not_object(path: str, shown: Any) -> FieldError:
    """An item of a ``map`` list that is not an object (``shown``: the item as field errors print it)."""
    return FieldError("FieldValueInvalid", path, shown, "must be an object for an array of list-type map")

__all__ = [
    "accessor_cannot_set", "accessor_type_error", "embedded_empty", "embedded_group_version_invalid",
    "embedded_not_a_string", "list_map_item_not_object", "scale_accessor_invalid", "scale_replicas_negative",
    "scale_replicas_too_large", "scale_spec_replicas_empty", "scale_spec_replicas_missing", "unknown_server_error",
]
