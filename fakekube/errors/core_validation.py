"""Error texts of core validation (worded as kube-apiserver words them).

The core kinds other than Pod and the workloads (Services, ConfigMaps and Secrets, storage, LimitRanges and
ResourceQuotas, Events, Endpoints), and discovery's EndpointSlices and coordination's Leases.  Most causes are
generic field errors; the texts here are the details upstream writes by hand, and ``invalid_shown`` for a
typed Go value (a slice, a struct), described in both of the forms releases print (``go_text.GoShown``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fakekube.errors.fields import NOT_NEGATIVE, FieldError
from fakekube.go_text import GoShown, go_int_or_string, go_pointer, go_string_slice, go_struct

MAY_NOT_CHANGE = "may not change once set"
ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'"
NOT_FOR_EXTERNAL_NAME = "may not be set for ExternalName services"
REQUIRED_FOR_CLIENT_IP = "when session affinity type is ClientIP"
AFFINITY_TIMEOUT = "must be greater than 0 and less than 86400"
NON_NEGATIVE = NOT_NEGATIVE
SECRET_REDACTED = "<secret contents redacted>"
NEEDS_UNSET = "needs to be unset"
NOT_MATCHING_NAMESPACE = "does not match event.namespace"
# Services
CLUSTER_IPS_FIRST_MISMATCH = "first value must match `clusterIP`"
CLUSTER_IPS_WITHOUT_CLUSTER_IP = "must be empty when `clusterIP` is not specified"
HEADLESS_ONLY_VALUE = "'None' must be the first and only value"
CLUSTER_IPS_TOO_MANY = "may only hold up to 2 values"
CLUSTER_IPS_ONE_PER_FAMILY = "may specify no more than one IP for each IP family"
NOT_EXTERNALLY_ACCESSIBLE = "may only be set for externally-accessible services"
HEALTH_CHECK_NODE_PORT_NOT_LOCAL = (
    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
)
AFFINITY_CONFIG_WITH_NONE = "must not be set when session affinity is None"
PRIMARY_CLUSTER_IP_UNSET = "primary clusterIP can not be unset"
RELEASE_SECONDARY_NEEDS_SINGLE_STACK = "must be set to 'SingleStack' when releasing the secondary clusterIP"
IPV6_NOT_CONFIGURED = "IPv6 is not configured on this cluster"
DUAL_STACK_NOT_CONFIGURED = "this cluster is not configured for dual-stack services"
FAMILY_NOT_CONFIGURED = "not configured on this cluster"
# Service status
STATUS_ONLY_LOAD_BALANCER = "may only be used when `spec.type` is 'LoadBalancer'"
IP_MODE_REQUIRED = "must be specified when `ip` is set"
IP_MODE_WITHOUT_IP = "may not be specified when `ip` is not set"
DNS_NAME_NOT_IP = "must be a DNS name, not an IP address"
# Storage (PersistentVolumes and claims)
RWOP_ALONE = "may not use ReadWriteOncePod with other access modes"
CLAIM_SPEC_IMMUTABLE = (
    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
)
DEFAULT_API_GROUP_KIND = "must be 'PersistentVolumeClaim' when referencing the default apiGroup"
ACCESS_MODE_REQUIRED = "at least 1 access mode is required"
DATA_SOURCE_WITH_REF_NAMESPACE = "may not be specified when dataSourceRef.namespace is specified"
DATA_SOURCE_REF_MISMATCH = "must match dataSourceRef"
BELOW_CAPACITY = "field can not be less than status.capacity"
VALID_QUANTITY = "must be a valid resource quantity"
NODE_CONSTRAINTS_REQUIRED = "must specify required node constraints"
LOCAL_NEEDS_NODE_AFFINITY = "Local volume requires node affinity"
RECYCLE_ROOT_HOST_PATH = "may not be 'recycle' for a hostPath mount of '/'"
PV_SOURCE_IMMUTABLE = "spec.persistentvolumesource is immutable after creation\n"
# LimitRanges and ResourceQuotas
STANDARD_FOR_QUOTA = "must be a standard resource for quota"
STANDARD_LIMIT_TYPE = "must be a standard limit type or fully qualified"
NOT_FOR_POD_LIMIT = "may not be specified when `type` is 'Pod'"
CLAIM_LIMIT_REQUIRED = "either minimum or maximum storage value is required, but neither was provided"
UNSUPPORTED_SCOPE = "unsupported scope"
SCOPE_NOT_FOR_RESOURCE = "unsupported scope applied to resource"
CONFLICTING_SCOPES = "conflicting scopes"
SCOPE_NEEDS_EXISTS = (
    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
    "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"
)
SCOPE_VALUES_REQUIRED = "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"
SCOPE_VALUES_FORBIDDEN = "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"
# ConfigMaps and Secrets
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"
DUPLICATE_OF_BINARY_DATA = "duplicate of key present in binaryData"
JSON_UNEXPECTED_END = "unexpected end of JSON input"
# Endpoints and EndpointSlices
VALID_IP = "must be a valid IP address"
IP_LOOPBACK = "may not be in the loopback range (127.0.0.0/8, ::1/128)"
IP_LINK_LOCAL = "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
IP_LINK_LOCAL_MULTICAST = "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"
SUBSET_ADDRESSES_REQUIRED = "must specify `addresses` or `notReadyAddresses`"
FQDN_TWO_SEGMENTS = "should be a domain with at least two segments separated by dots"
ADDRESS_REQUIRED = "must contain at least 1 address"
# Events
SERIES_COUNT_MIN = "should be at least 2"
# Leases
SEMVER = "must be a valid semantic version"
PREFERRED_HOLDER_WITHOUT_STRATEGY = "may only be specified if `strategy` is defined"
BINARY_BELOW_EMULATION = "must be greater than or equal to `emulationVersion`"
EMULATION_VERSION_REQUIRED = "must be specified when `strategy` is 'OldestEmulationVersion'"


def invalid_shown(path: str, shown: GoShown, detail: str) -> FieldError:
    """``field.Invalid`` of a typed Go value (a slice, a struct)."""
    return FieldError("FieldValueInvalid", path, shown, detail)


def duplicate_shown(path: str, shown: GoShown) -> FieldError:
    """``field.Duplicate`` of a typed Go value."""
    return FieldError("FieldValueDuplicate", path, shown)


def go_typed_slice(type_name: str, values: Iterable[Any] | None) -> GoShown:
    """A slice of a named string type (``[]core.IPFamily{"IPv4"}``; ``None``: a nil slice)."""
    return go_string_slice(values, type_name)


def service_port_key(protocol: str, port: int) -> GoShown:
    """The ``core.ServicePort`` upstream uses as the key of a duplicate (protocol, port)."""
    return go_struct("core.ServicePort", [
        ("Name", ""), ("Protocol", protocol), ("AppProtocol", go_pointer("string", None)), ("Port", port),
        ("TargetPort", go_int_or_string(0)), ("NodePort", 0)])


def not_headless_for(kind: str) -> str:
    return f"may not be set to 'None' for {kind} services"


def not_when_type(kind: str) -> str:
    return f"may not be used when `type` is '{kind}'"


def ip_family_mismatch(family: str, index: int) -> str:
    return f"expected an {family} value as indicated by `ipFamilies[{index}]`"


def must_match_annotation(other: str) -> str:
    return f"must match annotations[{other}] when both are specified"


def json_not_an_object(kind: str) -> str:
    """Go's ``json.Unmarshal`` of a non-object into a ``map[string]interface{}``."""
    return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"


def json_bad_literal(got: str, literal: str, expected: str) -> str:
    """Go's JSON scanner on a misspelled literal (``got`` and ``expected`` quoted as ``quoteChar`` does)."""
    return f"invalid character {got} in literal {literal} (expecting {expected})"


def json_after_top_level(char: str) -> str:
    return f"invalid character {char} after top-level value"


def json_object_key_start(char: str) -> str:
    return f"invalid character {char} looking for beginning of object key string"


def json_value_start(char: str) -> str:
    return f"invalid character {char} looking for beginning of value"


def ip_unspecified(ip: str) -> str:
    return f"may not be unspecified ({ip})"


def valid_ip_version(version: int | str) -> str:
    return f"must be a valid IPv{version} address"


def at_most_characters(limit: int) -> str:
    return f"can have at most {limit} characters"


def event_type_invalid(value: str) -> str:
    return f"has invalid value: {value}"


def min_greater(kind: str, low: str, high: str) -> str:
    """LimitRange: ``min value 2 is greater than max value 1`` and its siblings."""
    return f"min value {low} is greater than {kind} value {high}"


def value_greater(kind: str, value: str, other_kind: str, other: str) -> str:
    """LimitRange: ``default request value 2 is greater than max value 1`` and its siblings."""
    return f"{kind} value {value} is greater than {other_kind} value {other}"


def ratio_below_one(ratio: str) -> str:
    return f"ratio {ratio} is less than 1"


def ratio_above_max_min(ratio: str, limit: str) -> str:
    return f"ratio {ratio} is greater than max/min = {limit}"


def default_not_request(default: str, request: str, name: str) -> str:
    return f"default value {default} must equal to defaultRequest value {request} in {name}"


# What the service allocators refuse (``pkg/registry/core/service/storage/alloc.go``), before validation.
SERVICE_IP_OUT_OF_RANGE = "the provided network does not match the current range"


def cluster_ip_not_allocated(ips: list[Any], ip: str) -> FieldError:
    """A requested cluster IP outside every service CIDR (the MultiCIDRServiceAllocator's wording)."""
    return FieldError("FieldValueInvalid", "spec.clusterIPs", go_string_slice(ips),
                      f"failed to allocate IP {ip}: {SERVICE_IP_OUT_OF_RANGE}")


def node_port_not_in_range(path: str, port: Any, valid: str) -> FieldError:
    """``portallocator.ErrNotInRange`` of a requested node port."""
    return FieldError("FieldValueInvalid", path, port,
                      f"provided port is not in the valid range. The range of valid ports is {valid}")


# A Node's spec (``ValidateNode``, ``ValidateNodeUpdate``).
NODE_TAINT_DUPLICATE = "taints must be unique by key and effect pair"
NODE_CIDR_PER_FAMILY = "may specify no more than one CIDR for each IP family"
NODE_POD_CIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid'
NODE_PROVIDER_ID_MODIFIED = "field cannot be modified once set"
NODE_PROVIDER_ID_CLEARED = "field cannot be cleared once set"
CIDR_LEADING_ZEROS = "must not have leading 0s in IP or prefix length"
CIDR_IPV4_MAPPED = "must not have an IPv4-mapped IPv6 address"
CIDR_BITS_BEYOND_PREFIX = "must not have bits set beyond the prefix length"


def node_taint(key: str, value: str, effect: str) -> GoShown:
    """The ``core.Taint`` a duplicate taint error shows (``timeAdded`` is never set on a spec taint)."""
    return go_struct("core.Taint", [("Key", key), ("Value", value), ("Effect", effect),
                                    ("TimeAdded", go_pointer("v1.Time", None))])


__all__ = [
    "ACCESS_MODE_REQUIRED",
    "ADDRESS_REQUIRED",
    "AFFINITY_CONFIG_WITH_NONE",
    "AFFINITY_TIMEOUT",
    "BELOW_CAPACITY",
    "BINARY_BELOW_EMULATION",
    "CIDR_BITS_BEYOND_PREFIX",
    "CIDR_IPV4_MAPPED",
    "CIDR_LEADING_ZEROS",
    "CLAIM_LIMIT_REQUIRED",
    "CLAIM_SPEC_IMMUTABLE",
    "CLUSTER_IPS_FIRST_MISMATCH",
    "CLUSTER_IPS_ONE_PER_FAMILY",
    "CLUSTER_IPS_TOO_MANY",
    "CLUSTER_IPS_WITHOUT_CLUSTER_IP",
    "CONFLICTING_SCOPES",
    "DATA_SOURCE_REF_MISMATCH",
    "DATA_SOURCE_WITH_REF_NAMESPACE",
    "DEFAULT_API_GROUP_KIND",
    "DNS_NAME_NOT_IP",
    "DUAL_STACK_NOT_CONFIGURED",
    "DUPLICATE_OF_BINARY_DATA",
    "EMULATION_VERSION_REQUIRED",
    "FAMILY_NOT_CONFIGURED",
    "FQDN_TWO_SEGMENTS",
    "HEADLESS_ONLY_VALUE",
    "HEALTH_CHECK_NODE_PORT_NOT_LOCAL",
    "IMMUTABLE_WHEN_SET",
    "IPV6_NOT_CONFIGURED",
    "IP_LINK_LOCAL",
    "IP_LINK_LOCAL_MULTICAST",
    "IP_LOOPBACK",
    "IP_MODE_REQUIRED",
    "IP_MODE_WITHOUT_IP",
    "JSON_UNEXPECTED_END",
    "LOCAL_NEEDS_NODE_AFFINITY",
    "MAY_NOT_CHANGE",
    "NEEDS_UNSET",
    "NODE_CIDR_PER_FAMILY",
    "NODE_CONSTRAINTS_REQUIRED",
    "NODE_POD_CIDR_CHANGE",
    "NODE_PROVIDER_ID_CLEARED",
    "NODE_PROVIDER_ID_MODIFIED",
    "NODE_TAINT_DUPLICATE",
    "NON_NEGATIVE",
    "NOT_EXTERNALLY_ACCESSIBLE",
    "NOT_FOR_EXTERNAL_NAME",
    "NOT_FOR_POD_LIMIT",
    "NOT_MATCHING_NAMESPACE",
    "ONLY_LOAD_BALANCER",
    "PREFERRED_HOLDER_WITHOUT_STRATEGY",
    "PRIMARY_CLUSTER_IP_UNSET",
    "PV_SOURCE_IMMUTABLE",
    "RECYCLE_ROOT_HOST_PATH",
    "RELEASE_SECONDARY_NEEDS_SINGLE_STACK",
    "REQUIRED_FOR_CLIENT_IP",
    "RWOP_ALONE",
    "SCOPE_NEEDS_EXISTS",
    "SCOPE_NOT_FOR_RESOURCE",
    "SCOPE_VALUES_FORBIDDEN",
    "SCOPE_VALUES_REQUIRED",
    "SECRET_REDACTED",
    "SEMVER",
    "SERIES_COUNT_MIN",
    "SERVICE_IP_OUT_OF_RANGE",
    "STANDARD_FOR_QUOTA",
    "STANDARD_LIMIT_TYPE",
    "STATUS_ONLY_LOAD_BALANCER",
    "SUBSET_ADDRESSES_REQUIRED",
    "UNSUPPORTED_SCOPE",
    "VALID_IP",
    "VALID_QUANTITY",
    "at_most_characters",
    "cluster_ip_not_allocated",
    "default_not_request",
    "duplicate_shown",
    "event_type_invalid",
    "go_string_slice",
    "go_typed_slice",
    "invalid_shown",
    "ip_family_mismatch",
    "ip_unspecified",
    "json_after_top_level",
    "json_bad_literal",
    "json_not_an_object",
    "json_object_key_start",
    "json_value_start",
    "min_greater",
    "must_match_annotation",
    "node_port_not_in_range",
    "node_taint",
    "not_headless_for",
    "not_when_type",
    "ratio_above_max_min",
    "ratio_below_one",
    "service_port_key",
    "valid_ip_version",
    "value_greater",
]
