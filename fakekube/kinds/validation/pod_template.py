"""The entry points every kind with a pod spec calls: a Pod's spec, and a workload's pod template.

``ValidatePodSpec`` and ``ValidatePodTemplateSpec`` of ``pkg/apis/core/validation``: the rules a pod
spec obeys wherever it appears, in upstream's order (volumes, containers, then the pod-wide fields).  Rules
that depend on the workload (the restart policy a Deployment or a Job allows) stay with the workload; the
Pod-only rules (``ValidatePodCreate``, ``ValidatePodUpdate``) are ``pod_rules``.  What the decoder already
reports (absent required keys, enum values) is not repeated.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.go_text import GoShown
from fakekube.kinds.validation.common import dns1123_label, dns1123_subdomain, label_map_errors
from fakekube.kinds.validation.pod_annotations import (
    apparmor_annotations_match,
    pod_annotations,
    seccomp_annotations_match,
)
from fakekube.kinds.validation.pod_containers import (
    validate_containers,
    validate_ephemeral_containers,
    validate_init_containers,
)
from fakekube.kinds.validation.pod_dns import host_names, validate_dns_config, validate_host_aliases
from fakekube.kinds.validation.pod_resources import overhead, pod_resources
from fakekube.kinds.validation.pod_scheduling import (
    node_selector_map,
    readiness_gates,
    scheduling_gates,
    validate_affinity,
    validate_tolerations,
    validate_topology_spread,
)
from fakekube.kinds.validation.pod_security import host_users, pod_security_context, validate_os
from fakekube.kinds.validation.pod_values import (
    as_dict,
    enum_error,
    missing,
    reset_schema_reports,
    set_schema_reports,
)
from fakekube.kinds.validation.pod_volumes import validate_volumes
from fakekube.name_formats import qualified_name_errors

MAX_INT32 = 2**31 - 1
TOTAL_ANNOTATION_SIZE = 256 * 1024


def _resource_claims(claims: Any, path: str) -> tuple[set[str], list[FieldError]]:
    """``validatePodResourceClaims``: unique DNS-label names, each from one claim or one template."""
    out: list[FieldError] = []
    names: set[str] = set()
    for i, claim in enumerate(claims or []):
        if not isinstance(claim, dict):
            continue
        here, name = f"{path}[{i}]", str(claim.get("name", ""))
        if missing(claim, "name"):
            pass
        elif not name:
            out.append(errors.required(f"{here}.name"))
        elif name in names:
            out.append(errors.duplicate(f"{here}.name", name))
        else:
            out.extend(dns1123_label(name, f"{here}.name"))
            names.add(name)
        claim_name, template = claim.get("resourceClaimName"), claim.get("resourceClaimTemplateName")
        if claim_name is None and template is None:
            shown = GoShown(f'core.PodResourceClaim{{Name:"{name}", ResourceClaimName:(*string)(nil), '
                            "ResourceClaimTemplateName:(*string)(nil)}",
                            {"Name": name, "ResourceClaimName": None, "ResourceClaimTemplateName": None})
            out.append(errors.invalid_go_value(here, shown, "must specify one of: `resourceClaimName`, "
                                               "`resourceClaimTemplateName`"))
        for field, value in (("resourceClaimName", claim_name), ("resourceClaimTemplateName", template)):
            if isinstance(value, str):
                out.extend(dns1123_subdomain(value, f"{here}.{field}"))
    return names, out


def _host_network_ports(spec: dict[str, Any], path: str, resource_is_pod: bool) -> list[FieldError]:
    """``validatePodHostNetworkDeps``: with the host's network a port is published as itself (a template may
    leave ``hostPort`` unset: the Pod's defaults fill it)."""
    if not spec.get("hostNetwork"):
        return []
    out: list[FieldError] = []
    for i, container in enumerate(spec.get("containers") or []):
        for j, port in enumerate((container.get("ports") or []) if isinstance(container, dict) else []):
            if not isinstance(port, dict):
                continue
            host, number = port.get("hostPort", 0), port.get("containerPort", 0)
            if (resource_is_pod or host != 0) and host != number:
                out.append(errors.invalid(f"{path}.containers[{i}].ports[{j}].hostPort", host, msg.HOST_NETWORK_PORT))
    return out


def _names(spec: dict[str, Any], path: str) -> list[FieldError]:
    """The service account and the node a spec names: object names (DNS subdomains)."""
    out: list[FieldError] = []
    for field in ("serviceAccountName", "nodeName"):
        value = spec.get(field)
        if isinstance(value, str) and value:
            out.extend(dns1123_subdomain(value, f"{path}.{field}"))
    return out


def validate_pod_spec(spec: Any, path: str, *, resource_is_pod: bool = False, pod_name: str = "",
                      schema_checked: bool = True) -> list[FieldError]:
    """The rules of a pod spec at ``path`` (``spec``, ``spec.template.spec``...), ``ValidatePodSpec``'s order.

    ``resource_is_pod``: the spec is a Pod's (not a template's); ``pod_name``: the Pod's name, which the
    claims of its ephemeral volumes take; ``schema_checked``: the decoder's stand-ins reported absent
    required keys and enum values (the caller's strategy does not set ``validation_ported``), so these rules
    leave them out; with False they report them as upstream words them."""
    token = set_schema_reports(schema_checked)
    try:
        return _pod_spec(as_dict(spec), path, resource_is_pod, pod_name)
    finally:
        reset_schema_reports(token)


def _pod_spec(spec: dict[str, Any], path: str, resource_is_pod: bool, pod_name: str) -> list[FieldError]:
    out: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        out.append(errors.required(f"{path}.terminationGracePeriodSeconds"))
    grace = spec.get("terminationGracePeriodSeconds")
    in_host_users = spec.get("hostUsers") is not False
    restart_policy = spec.get("restartPolicy")
    volumes, found = validate_volumes(spec.get("volumes"), pod_name, f"{path}.volumes")
    out.extend(found)
    claims, found = _resource_claims(spec.get("resourceClaims"), f"{path}.resourceClaims")
    out.extend(found)
    out.extend(validate_containers(spec.get("containers"), volumes, claims, grace, f"{path}.containers",
                                   restart_policy, in_host_users))
    out.extend(validate_init_containers(spec.get("initContainers"), spec.get("containers"), volumes, claims, grace,
                                        f"{path}.initContainers", restart_policy, in_host_users))
    out.extend(validate_ephemeral_containers(spec.get("ephemeralContainers"), spec.get("containers"),
                                             spec.get("initContainers"), volumes, claims,
                                             f"{path}.ephemeralContainers", restart_policy, in_host_users))
    out.extend(pod_resources(spec, claims, f"{path}.resources"))
    out.extend(_host_network_ports(spec, path, resource_is_pod))
    out.extend(enum_error(spec.get("restartPolicy"), f"{path}.restartPolicy", ("Always", "OnFailure", "Never"),
                          required_if_empty=True))
    out.extend(enum_error(spec.get("dnsPolicy"), f"{path}.dnsPolicy",
                          ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"), required_if_empty=True))
    out.extend(node_selector_map(spec.get("nodeSelector"), f"{path}.nodeSelector"))
    out.extend(pod_security_context(spec, path))
    out.extend(validate_affinity(spec.get("affinity"), f"{path}.affinity"))
    out.extend(validate_dns_config(spec, path))
    out.extend(readiness_gates(spec.get("readinessGates"), f"{path}.readinessGates"))
    out.extend(scheduling_gates(spec.get("schedulingGates"), f"{path}.schedulingGates"))
    out.extend(validate_topology_spread(spec.get("topologySpreadConstraints"), f"{path}.topologySpreadConstraints"))
    out.extend(host_users(spec, path))
    out.extend(_names(spec, path))
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= MAX_INT32:
        out.append(errors.invalid(f"{path}.activeDeadlineSeconds", deadline, msg.inclusive_range_error(1, MAX_INT32)))
    out.extend(host_names(spec, path))
    out.extend(validate_tolerations(spec.get("tolerations"), f"{path}.tolerations"))
    out.extend(validate_host_aliases(spec.get("hostAliases"), f"{path}.hostAliases"))
    for field in ("priorityClassName", "runtimeClassName"):
        value = spec.get(field)
        if isinstance(value, str) and (value or field == "runtimeClassName"):
            out.extend(dns1123_subdomain(value, f"{path}.{field}"))
    out.extend(enum_error(spec.get("preemptionPolicy"), f"{path}.preemptionPolicy", ("PreemptLowerPriority", "Never"),
                          optional=True, required_if_empty=True))
    if isinstance(spec.get("overhead"), dict):
        out.extend(overhead(spec["overhead"], f"{path}.overhead"))
    out.extend(validate_os(spec, path))
    return out


def annotation_errors(annotations: Any, path: str) -> list[FieldError]:
    """``ValidateAnnotations``: qualified (lowercased) keys, at most 256 KiB in all."""
    if not isinstance(annotations, dict):
        return []
    out: list[FieldError] = []
    size = 0
    for key in sorted(annotations):
        out.extend(errors.invalid(path, key, m) for m in qualified_name_errors(str(key).lower()))
        size += len(str(key).encode()) + len(str(annotations[key]).encode())
    if size > TOTAL_ANNOTATION_SIZE:
        out.append(errors.too_long(path, TOTAL_ANNOTATION_SIZE))
    return out


def validate_pod_template(template: Any, path: str, *, schema_checked: bool = True) -> list[FieldError]:
    """A workload's ``PodTemplateSpec`` at ``path`` (``spec.template``), ``ValidatePodTemplateSpec``: its labels
    and annotations (upstream reports them on ``<path>.labels``), its pod spec, and no ephemeral containers.
    ``schema_checked``: as for ``validate_pod_spec`` (False when the caller's strategy sets
    ``validation_ported``)."""
    template = as_dict(template)
    meta, spec = as_dict(template.get("metadata")), as_dict(template.get("spec"))
    out = label_map_errors(meta.get("labels"), f"{path}.labels")
    out.extend(annotation_errors(meta.get("annotations"), f"{path}.annotations"))
    out.extend(pod_annotations(meta, spec, f"{path}.annotations"))
    out.extend(validate_pod_spec(spec, f"{path}.spec", schema_checked=schema_checked))
    out.extend(seccomp_annotations_match(meta, spec, f"{path}.spec"))
    out.extend(apparmor_annotations_match(meta, spec, f"{path}.spec"))
    if spec.get("ephemeralContainers"):
        out.append(errors.forbidden(f"{path}.spec.ephemeralContainers", msg.EPHEMERAL_IN_TEMPLATE))
    return out


def validate_pod_template_object(obj: Any, old: Any) -> list[FieldError]:
    """A PodTemplate (``ValidatePodTemplate`` / ``ValidatePodTemplateUpdate``): its ``template``, on create and on
    every update alike (a PodTemplate's template is mutable); the ObjectMeta rules are the registry's."""
    return validate_pod_template(as_dict(obj).get("template"), "template", schema_checked=False)
