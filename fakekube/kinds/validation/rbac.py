"""``rbac.authorization.k8s.io/v1``: Roles, ClusterRoles and their bindings, as ``pkg/apis/rbac/validation``.

Why here: RBAC objects come in bulk from charts and operators, and kube-apiserver refuses a rule without
verbs, a binding to an unknown kind of role or a subject it cannot resolve, and any change of a binding's
``roleRef`` ("cannot change roleRef": bindings are deleted and recreated instead).  Objects arrive
defaulted (``roleRef.apiGroup`` and the subjects' ``apiGroup``, ``kinds/rbac.py``).  Names need only be
path segments, which the name rule of the strategy already checks for ``metadata.name``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import GoShown
from fakekube.kinds.validation.common import label_selector, mapping, selector_converts
from fakekube.name_formats import dns1123_subdomain_errors, path_segment_name_errors
from fakekube.versions import served_minor

GROUP = "rbac.authorization.k8s.io"
_SUBJECT_KINDS = ["ServiceAccount", "User", "Group"]


def _policy_rule(rule: Mapping[str, Any], namespaced: bool, path: str) -> list[FieldError]:
    """``ValidatePolicyRule``: verbs always; non-resource URLs alone and only cluster-wide; else API groups and
    resources."""
    out: list[FieldError] = []
    if not rule.get("verbs"):
        out.append(errors.rbac_verbs_required(f"{path}.verbs"))
    urls = rule.get("nonResourceURLs")
    if urls:
        shown = errors.go_slice("string", urls)
        if namespaced:
            out.append(errors.rbac_namespaced_non_resource_urls(f"{path}.nonResourceURLs", shown))
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            out.append(errors.rbac_non_resource_urls_with_resources(f"{path}.nonResourceURLs", shown))
        return out
    if not rule.get("apiGroups"):
        out.append(errors.rbac_api_groups_required(f"{path}.apiGroups"))
    if not rule.get("resources"):
        out.append(errors.rbac_resources_required(f"{path}.resources"))
    return out


def _rules(obj: Mapping[str, Any], namespaced: bool) -> list[FieldError]:
    out: list[FieldError] = []
    for i, rule in enumerate(obj.get("rules") or []):
        out.extend(_policy_rule(mapping(rule), namespaced, f"rules[{i}]"))
    return out


def validate_role(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateRole`` (and ``ValidateRoleUpdate``, which adds only metadata rules)."""
    return _rules(obj, namespaced=True)


def _selector_lenient(old: Mapping[str, Any] | None) -> bool:
    """An update may keep invalid label values in the aggregation selectors the stored role already had."""
    if old is None:
        return False
    selectors = mapping(old.get("aggregationRule")).get("clusterRoleSelectors") or []
    return any(label_selector(mapping(s), "") for s in selectors)


def validate_cluster_role(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateClusterRole``: its rules, and an aggregation rule's selectors (at least one, each valid and
    convertible to a label selector)."""
    out = _rules(obj, namespaced=False)
    aggregation = obj.get("aggregationRule")
    if not isinstance(aggregation, dict):
        return out
    path = "aggregationRule.clusterRoleSelectors"
    selectors = aggregation.get("clusterRoleSelectors") or []
    if not selectors:
        out.append(errors.rbac_aggregation_selectors_required(path))
    lenient = _selector_lenient(old)
    for i, selector in enumerate(selectors):
        selector = mapping(selector)
        out.extend(label_selector(selector, f"{path}[{i}]", allow_invalid_values=lenient))
        if not selector_converts(selector):
            out.append(errors.rbac_invalid_aggregation_selector(f"{path}[{i}]"))
    return out


def _subject(subject: Mapping[str, Any], namespaced: bool, path: str) -> list[FieldError]:
    """``ValidateRoleBindingSubject``."""
    out: list[FieldError] = []
    name, kind, group = subject.get("name") or "", subject.get("kind") or "", subject.get("apiGroup") or ""
    if not name:
        out.append(errors.required(f"{path}.name"))
    if kind == "ServiceAccount":
        if name:
            out.extend(errors.invalid(f"{path}.name", name, m) for m in dns1123_subdomain_errors(name))
        if group:
            out.append(errors.not_supported(f"{path}.apiGroup", group, [""]))
        if not namespaced and not subject.get("namespace"):
            out.append(errors.required(f"{path}.namespace"))
    elif kind in ("User", "Group"):
        if group != GROUP:
            out.append(errors.not_supported(f"{path}.apiGroup", group, [GROUP]))
    else:
        out.append(errors.not_supported(f"{path}.kind", kind, _SUBJECT_KINDS))
    return out


def _role_ref_shown(ref: Mapping[str, Any]) -> GoShown:
    return errors.go_struct("rbac.RoleRef", [("APIGroup", ref.get("apiGroup") or ""), ("Kind", ref.get("kind") or ""),
                                             ("Name", ref.get("name") or "")])


def _binding(obj: Mapping[str, Any], old: Mapping[str, Any] | None, namespaced: bool) -> list[FieldError]:
    """``ValidateRoleBinding`` / ``ValidateClusterRoleBinding`` and their updates (``roleRef`` is fixed)."""
    ref = mapping(obj.get("roleRef"))
    out: list[FieldError] = []
    group = ref.get("apiGroup") or ""
    if group != GROUP:
        out.append(errors.not_supported("roleRef.apiGroup", group, [GROUP]))
    kinds = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    kind = ref.get("kind") or ""
    if kind not in kinds:
        out.append(errors.not_supported("roleRef.kind", kind, kinds))
    name = ref.get("name") or ""
    if not name:
        out.append(errors.required("roleRef.name"))
    else:
        out.extend(errors.invalid("roleRef.name", name, m) for m in path_segment_name_errors(name))
    for i, subject in enumerate(obj.get("subjects") or []):
        out.extend(_subject(mapping(subject), namespaced, f"subjects[{i}]"))
    if old is not None:
        old_ref = mapping(old.get("roleRef"))
        if any((ref.get(k) or "") != (old_ref.get(k) or "") for k in ("apiGroup", "kind", "name")):
            out.append(errors.rbac_role_ref_changed(_role_ref_shown(ref), immutable_wording=served_minor() >= 37))
    return out


def validate_role_binding(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    return _binding(obj, old, namespaced=True)


def validate_cluster_role_binding(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    return _binding(obj, old, namespaced=False)
