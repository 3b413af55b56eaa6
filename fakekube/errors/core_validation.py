"""Error texts of core validation (worded as kube-apiserver words them).

The core kinds other than Pod and the workloads (Services, ConfigMaps and Secrets, storage, LimitRanges and
ResourceQuotas, Events, Endpoints), and discovery's EndpointSlices and coordination's Leases.  Most causes are
generic field errors; the texts here are the details upstream writes by hand, and ``invalid_shown`` for a
value Go prints with ``%#v`` (a slice, a struct), which ``go_repr`` does not render.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fakekube.errors.fields import NO_VALUE, FieldError
from fakekube.go_text import go_quote

FIELD_IMMUTABLE = "field is immutable"
MAY_NOT_CHANGE = "may not change once set"
ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'"
NOT_FOR_EXTERNAL_NAME = "may not be set for ExternalName services"
REQUIRED_FOR_CLIENT_IP = "when session affinity type is ClientIP"
AFFINITY_TIMEOUT = "must be greater than 0 and less than 86400"
NON_NEGATIVE = "must be greater than or equal to 0"
SECRET_REDACTED = "<secret contents redacted>"
NEEDS_UNSET = "needs to be unset"
NOT_MATCHING_NAMESPACE = "does not match event.namespace"


def invalid_shown(path: str, shown: str, detail: str) -> FieldError:
    """``field.Invalid`` whose value Go prints as ``shown`` (``[]string{"a", "b"}``, a struct's ``%#v``)."""
    return FieldError("FieldValueInvalid", path, NO_VALUE, f"{shown}: {detail}")


def duplicate_shown(path: str, shown: str) -> FieldError:
    """``field.Duplicate`` of a value Go prints as ``shown``."""
    return FieldError("FieldValueDuplicate", path, NO_VALUE, shown)


def go_string_slice(values: Iterable[Any]) -> str:
    """``%#v`` of a ``[]string``."""
    return "[]string{" + ", ".join(go_quote(str(v)) for v in values) + "}"


def go_typed_slice(type_name: str, values: Iterable[Any]) -> str:
    """``%#v`` of a slice of a named string type (``[]core.IPFamily{"IPv4"}``)."""
    return f"[]{type_name}{{" + ", ".join(go_quote(str(v)) for v in values) + "}"


def service_port_key(protocol: str, port: int) -> str:
    """``%#v`` of the ``core.ServicePort`` upstream uses as the key of a duplicate (protocol, port)."""
    return ('core.ServicePort{Name:"", Protocol:' + go_quote(protocol) + ", AppProtocol:(*string)(nil), "
            f"Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}")


def not_headless_for(kind: str) -> str:
    return f"may not be set to 'None' for {kind} services"


def not_when_type(kind: str) -> str:
    return f"may not be used when `type` is '{kind}'"


def ip_family_mismatch(family: str, index: int) -> str:
    return f"expected an {family} value as indicated by `ipFamilies[{index}]`"


def at_most_characters(limit: int) -> str:
    return f"can have at most {limit} characters"


def event_type_invalid(value: str) -> str:
    return f"has invalid value: {value}"


def min_greater(kind: str, low: str, high: str) -> str:
    """LimitRange: ``min value 2 is greater than max value 1`` and its siblings."""
    return f"min value {low} is greater than {kind} value {high}"


__all__ = [
    "AFFINITY_TIMEOUT",
    "FIELD_IMMUTABLE",
    "MAY_NOT_CHANGE",
    "NEEDS_UNSET",
    "NON_NEGATIVE",
    "NOT_FOR_EXTERNAL_NAME",
    "NOT_MATCHING_NAMESPACE",
    "ONLY_LOAD_BALANCER",
    "REQUIRED_FOR_CLIENT_IP",
    "SECRET_REDACTED",
    "at_most_characters",
    "duplicate_shown",
    "event_type_invalid",
    "go_string_slice",
    "go_typed_slice",
    "invalid_shown",
    "ip_family_mismatch",
    "min_greater",
    "not_headless_for",
    "not_when_type",
    "service_port_key",
]
