"""Error texts of group validation (worded as kube-apiserver words them).

The networking, storage, RBAC, scheduling and admission-webhook rules of ``pkg/apis/<group>/validation``
(``fakekube/kinds/validation/{networking,storage,rbac,scheduling,admission_webhooks}.py``): each
constructor is one ``field.Error`` whose detail upstream writes inline; the generic ones (required, not
supported) come from ``fakekube.errors.fields``.  Typed Go values (slices, structs)
arrive described in both of the forms releases print (``go_slice``, ``go_struct``: ``go_text.GoShown``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fakekube.errors.crd import invalid_go_value
from fakekube.errors.fields import FieldError, forbidden, invalid, required
from fakekube.go_text import GoShown, go_pointer, go_string_slice
from fakekube.go_text import go_struct as go_text_struct


def go_slice(go_type: str, values: Iterable[str] | None) -> GoShown:
    """A Go string slice (``[]rbac.T{"a", "b"}``, ``[]T(nil)`` for a missing one)."""
    return go_string_slice(values, go_type)


def go_struct(go_type: str, fields: Iterable[tuple[str, str]]) -> GoShown:
    """A Go struct of string fields (``rbac.RoleRef{APIGroup:"g", Kind:"k", Name:"n"}``)."""
    return go_text_struct(go_type, fields)


def immutable_field(path: str, value: Any) -> FieldError:
    """``ValidateImmutableField``."""
    return invalid(path, value, "field is immutable")


# --- networking.k8s.io ---

WILDCARD_SUBDOMAIN_TOO_LONG = "must be no more than 253 characters"
_WILDCARD_SUBDOMAIN = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
                       "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
                       "character")


def wildcard_subdomain_invalid(regex: str) -> str:
    """``validation.IsWildcardDNS1123Subdomain``'s format error, naming the ``regex`` it checks with."""
    return f"{_WILDCARD_SUBDOMAIN} (e.g. '*.example.com', regex used for validation is '{regex}')"


def http_path_invalid(regex: str) -> str:
    """``validation.IsDomainPrefixedPath``: the path part is not HTTP path characters."""
    return f"Invalid path (regex used for validation is '{regex}')"


def ingress_needs_backend_or_rules(path: str, rules_shown: GoShown) -> FieldError:
    return invalid_go_value(path, rules_shown, "either `defaultBackend` or `rules` must be specified")


def ingress_class_annotation_mismatch(path: str, value: str) -> FieldError:
    return invalid(path, value, "must match `ingressClassName` when both are specified")


def ingress_host_is_ip(path: str, host: str) -> FieldError:
    return invalid(path, host, "must be a DNS name, not an IP address")


def ingress_path_type_required(path: str) -> FieldError:
    return required(path, "pathType must be specified")


def ingress_path_not_absolute(path: str, value: str) -> FieldError:
    return invalid(path, value, "must be an absolute path")


def ingress_path_sequence(path: str, value: str, sequence: str) -> FieldError:
    return invalid(path, value, f"must not contain '{sequence}'")


def ingress_path_suffix(path: str, value: str, suffix: str) -> FieldError:
    return invalid(path, value, f"cannot end with '{suffix}'")


def ingress_backend_both(path: str) -> FieldError:
    return invalid(path, "", "cannot set both resource and service backends")


def ingress_backend_none(path: str) -> FieldError:
    return invalid(path, "", "resource or service backend is required")


def ingress_port_both(path: str) -> FieldError:
    return invalid(path, "", "cannot set both port name & port number")


def ingress_port_missing(path: str) -> FieldError:
    return required(path, "port name or number is required")


def ingress_class_namespace_required(path: str) -> FieldError:
    return required(path, "`parameters.scope` is set to 'Namespace'")


def ingress_class_namespace_forbidden(path: str) -> FieldError:
    return forbidden(path, "`parameters.scope` is set to 'Cluster'")


def domain_prefixed_path_malformed(path: str, value: str) -> FieldError:
    return invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')


def network_policy_end_port_below_port(path: str, end_port: int) -> FieldError:
    return invalid(path, end_port, "must be greater than or equal to `port`")


def network_policy_end_port_named_port(path: str, end_port: int) -> FieldError:
    return invalid(path, end_port, "may not be specified when `port` is non-numeric")


def network_policy_end_port_without_port(path: str, end_port: int) -> FieldError:
    return invalid(path, end_port, "may not be specified when `port` is not specified")


def network_policy_peer_missing(path: str) -> FieldError:
    return required(path, "must specify a peer")


def network_policy_peer_ip_block_and_other(path: str) -> FieldError:
    return forbidden(path, "may not specify both ipBlock and another peer")


def network_policy_too_many_policy_types(path: str, shown: GoShown) -> FieldError:
    return invalid_go_value(path, shown, "may not specify more than two policyTypes")


def ip_address_invalid(path: str, value: str) -> FieldError:
    """``IsValidIPForLegacyField`` with StrictIPCIDRValidation off: only an unparsable address."""
    return invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")


def cidr_invalid(path: str, value: str) -> FieldError:
    return invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")


def ip_block_except_outside_cidr(path: str, value: str) -> FieldError:
    return invalid(path, value, "must be a strict subset of `cidr`")


# --- storage.k8s.io ---

def storage_class_parameter_key_empty(path: str) -> FieldError:
    return invalid(path, "", "field can not be empty.")


def storage_class_update_forbidden(field_name: str) -> FieldError:
    return forbidden(field_name, f"updates to {field_name} are forbidden.")


def csi_token_too_short(path: str, seconds: int) -> FieldError:
    return invalid(path, seconds, "may not specify a duration less than 10 minutes")


def csi_token_too_long(path: str, seconds: int) -> FieldError:
    return invalid(path, seconds, "may not specify a duration larger than 2^32 seconds")


def csi_allocatable_period_too_short(path: str, seconds: int) -> FieldError:
    return invalid(path, seconds, "must be greater than or equal to 10 seconds")


# --- rbac.authorization.k8s.io ---

def rbac_verbs_required(path: str) -> FieldError:
    return required(path, "verbs must contain at least one value")


def rbac_namespaced_non_resource_urls(path: str, shown: GoShown) -> FieldError:
    return invalid_go_value(path, shown, "namespaced rules cannot apply to non-resource URLs")


def rbac_non_resource_urls_with_resources(path: str, shown: GoShown) -> FieldError:
    return invalid_go_value(path, shown, "rules cannot apply to both regular resources and non-resource URLs")


def rbac_api_groups_required(path: str) -> FieldError:
    return required(path, "resource rules must supply at least one api group")


def rbac_resources_required(path: str) -> FieldError:
    return required(path, "resource rules must supply at least one resource")


def rbac_aggregation_selectors_required(path: str) -> FieldError:
    return required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil")


def rbac_invalid_aggregation_selector(path: str) -> FieldError:
    """``LabelSelectorAsSelector`` failed: upstream shows the nil selector it got back."""
    return invalid(path, None, "invalid label selector.")


def rbac_role_ref_changed(shown: GoShown, *, immutable_wording: bool) -> FieldError:
    """A binding's ``roleRef`` changed: ``cannot change roleRef`` up to v1.36, ``ValidateImmutableField``'s
    ``field is immutable`` from v1.37 (``immutable_wording``)."""
    return invalid_go_value("roleRef", shown, "field is immutable" if immutable_wording else "cannot change roleRef")


# --- scheduling.k8s.io ---

def priority_class_reserved_name(reason: str) -> FieldError:
    return forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for system use only. "
                     f"error: {reason}")


def priority_class_system_value(name: str, value: int) -> str:
    return f"value of {name} PriorityClass must be {value}"


def priority_class_system_global_default(name: str, value: bool) -> str:
    return f"globalDefault of {name} PriorityClass must be {'true' if value else 'false'}"


def priority_class_unknown_system(name: str) -> str:
    return f"{name} is not a known system priority class"


def priority_class_value_too_high(highest: int) -> FieldError:
    return forbidden("value", f"maximum allowed value of a user defined priority is {highest}")


def priority_class_value_changed() -> FieldError:
    return forbidden("value", "may not be changed in an update.")


# --- admissionregistration.k8s.io (webhook configurations) ---

def webhook_resource_under_wildcard_subresources(path: str, value: str, resource: str) -> FieldError:
    return invalid(path, value, f"if '{resource}/*' is present, must not specify {value}")


def webhook_subresource_under_wildcard_resource(path: str, value: str, subresource: str) -> FieldError:
    return invalid(path, value, f"if '*/{subresource}' is present, must not specify {value}")


def webhook_wildcard_with_others(path: str, shown: GoShown, what: str) -> FieldError:
    """``if '*' is present, must not specify other <what>`` (API groups, API versions, operations...)."""
    return invalid_go_value(path, shown, f"if '*' is present, must not specify other {what}")


def webhook_double_wildcard_with_others(path: str, shown: GoShown) -> FieldError:
    return invalid_go_value(path, shown, "if '*/*' is present, must not specify other resources")


def webhook_review_versions_required(path: str, accepted: Iterable[str]) -> FieldError:
    return required(path, "must specify one of " + ", ".join(accepted))


def webhook_review_version_duplicate(path: str, version: str) -> FieldError:
    return invalid(path, version, "duplicate version")


def webhook_review_versions_unknown(path: str, shown: GoShown, accepted: Iterable[str]) -> FieldError:
    return invalid_go_value(path, shown, "must include at least one of " + ", ".join(accepted))


def webhook_side_effects_required(path: str, allowed: Iterable[str]) -> FieldError:
    return required(path, "must specify one of " + ", ".join(allowed))


def webhook_timeout_out_of_range(path: str, timeout: int) -> FieldError:
    return invalid(path, timeout, "the timeout value must be between 1 and 30 seconds")


def fully_qualified_name_too_few_segments(path: str, name: str) -> FieldError:
    return invalid(path, name, "should be a domain with at least three segments separated by dots")


VOLUME_ATTACHMENT_SOURCE_ONE_OF = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"
VOLUME_ATTACHMENT_PV_NAME_EMPTY = "must specify non empty persistentVolumeName"


def volume_attachment_spec_immutable(attacher: str, pv_name: str | None, inline: Any, node_name: str) -> FieldError:
    """``spec: Invalid value: storage.VolumeAttachmentSpec{...}: field is immutable`` (the handwritten rule, up
    to v1.36); an inline volume spec is shown as sent, not as Go's internal type would be."""
    source = go_text_struct("storage.VolumeAttachmentSource", [
        ("PersistentVolumeName", go_pointer("string", pv_name)),
        ("InlineVolumeSpec", go_pointer("core.PersistentVolumeSpec", inline))])
    shown = go_text_struct("storage.VolumeAttachmentSpec", [
        ("Attacher", attacher), ("Source", source), ("NodeName", node_name)])
    return FieldError("FieldValueInvalid", "spec", shown, "field is immutable")


__all__ = [
    "VOLUME_ATTACHMENT_PV_NAME_EMPTY", "VOLUME_ATTACHMENT_SOURCE_ONE_OF", "WILDCARD_SUBDOMAIN_TOO_LONG",
    "cidr_invalid", "csi_allocatable_period_too_short", "csi_token_too_long", "csi_token_too_short",
    "domain_prefixed_path_malformed", "fully_qualified_name_too_few_segments", "go_slice", "go_struct",
    "http_path_invalid",
    "immutable_field", "ingress_backend_both", "ingress_backend_none", "ingress_class_annotation_mismatch",
    "ingress_class_namespace_forbidden", "ingress_class_namespace_required", "ingress_host_is_ip",
    "ingress_needs_backend_or_rules", "ingress_path_not_absolute", "ingress_path_sequence", "ingress_path_suffix",
    "ingress_path_type_required", "ingress_port_both", "ingress_port_missing", "ip_address_invalid",
    "ip_block_except_outside_cidr", "network_policy_end_port_below_port", "network_policy_end_port_named_port",
    "network_policy_end_port_without_port", "network_policy_peer_ip_block_and_other", "network_policy_peer_missing",
    "network_policy_too_many_policy_types", "priority_class_reserved_name", "priority_class_system_global_default",
    "priority_class_system_value", "priority_class_unknown_system", "priority_class_value_changed",
    "priority_class_value_too_high", "rbac_aggregation_selectors_required", "rbac_api_groups_required",
    "rbac_invalid_aggregation_selector", "rbac_namespaced_non_resource_urls",
    "rbac_non_resource_urls_with_resources", "rbac_resources_required", "rbac_role_ref_changed",
    "rbac_verbs_required", "storage_class_parameter_key_empty", "storage_class_update_forbidden",
    "volume_attachment_spec_immutable",
    "webhook_double_wildcard_with_others", "webhook_resource_under_wildcard_subresources",
    "webhook_review_version_duplicate", "webhook_review_versions_required", "webhook_review_versions_unknown",
    "webhook_side_effects_required", "webhook_subresource_under_wildcard_resource", "webhook_timeout_out_of_range",
    "webhook_wildcard_with_others", "wildcard_subdomain_invalid",
]
