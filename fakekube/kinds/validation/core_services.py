"""A Service's rules (``ValidateService``, ``ValidateServiceUpdate`` of ``pkg/apis/core/validation``).

The strategy sets ``validation_ported``: the schema's stand-in required and enum errors are left out and
these rules word them, in upstream's order, so a manifest with several mistakes
gets the causes in the order kube-apiserver lists them: ports, the type's own rules, each port, the
selector, session affinity, the cluster IPs and families, external IPs, the type, node ports, duplicates,
load-balancer fields, traffic policies.  The
address-allocation checks kube-apiserver makes before validation (``initIPFamilyFields`` of the service
registry: families this single-stack IPv4 cluster does not serve) are reported alone, as it does.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import (
    dns1123_label,
    dns1123_subdomain,
    label_map_errors,
    mapping,
    port_num_or_name,
    port_number_errors,
    qualified_name,
)
from fakekube.kinds.validation.core_network import PROTOCOLS, non_special_ip
from fakekube.name_formats import ip_address_errors

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
AFFINITIES = ["ClientIP", "None"]
FAMILIES = ["IPv4", "IPv6"]
FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"]
TRAFFIC_POLICIES = ["Cluster", "Local"]
TRAFFIC_DISTRIBUTIONS = ["PreferClose", "PreferSameNode", "PreferSameZone"]
MAX_AFFINITY_SECONDS = 86400
TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints"
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"


def cluster_ips(spec: dict[str, Any]) -> list[Any]:
    found = spec.get("clusterIPs")
    return found if isinstance(found, list) else []


def is_headless(spec: dict[str, Any]) -> bool:
    """``isHeadlessService``: exactly one cluster IP, ``None``."""
    ips = cluster_ips(spec)
    return len(ips) == 1 and ips[0] == "None"


def externally_accessible(spec: dict[str, Any]) -> bool:
    """``service.ExternallyAccessible``: node ports, a load balancer, or a cluster IP with external IPs."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and bool(spec.get("externalIPs")))


def needs_health_check(spec: dict[str, Any]) -> bool:
    """``service.NeedsHealthCheck``: a load balancer that keeps traffic local."""
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _service_port(port: dict[str, Any], require_name: bool, names: set[str], path: str) -> list[FieldError]:
    out: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        out.append(errors.required(f"{path}.name"))
    elif name:
        out.extend(dns1123_label(name, f"{path}.name"))
        if name in names:
            out.append(FieldError("FieldValueDuplicate", f"{path}.name", name))
        else:
            names.add(name)
    number = port.get("port", 0)
    out.extend(errors.invalid(f"{path}.port", number, msg) for msg in port_number_errors(number))
    protocol = port.get("protocol") or ""
    if not protocol:
        out.append(errors.required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        out.append(errors.not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    out.extend(port_num_or_name(port.get("targetPort", 0), f"{path}.targetPort"))
    if isinstance(port.get("appProtocol"), str):
        out.extend(qualified_name(port["appProtocol"], f"{path}.appProtocol"))
    return out


def _affinity_config(config: Any, path: str) -> list[FieldError]:
    """``validateClientIPAffinityConfig``: a ClientIP affinity needs its timeout, 1 to 86400 seconds."""
    if not isinstance(config, dict):
        return [errors.required(path, errors.REQUIRED_FOR_CLIENT_IP)]
    client = config.get("clientIP")
    if not isinstance(client, dict):
        return [errors.required(f"{path}.clientIP", errors.REQUIRED_FOR_CLIENT_IP)]
    timeout = client.get("timeoutSeconds")
    if timeout is None:
        return [errors.required(f"{path}.clientIP.timeoutSeconds", errors.REQUIRED_FOR_CLIENT_IP)]
    if not isinstance(timeout, int) or timeout <= 0 or timeout > MAX_AFFINITY_SECONDS:
        return [errors.invalid(f"{path}.clientIP.timeoutSeconds", timeout, errors.AFFINITY_TIMEOUT)]
    return []


def _is_ipv6(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv6Address)
    except ValueError:
        return False


def cluster_ips_related(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceClusterIPsRelatedFields``: clusterIP and clusterIPs agree, families and policy are
    known values, the IPs are valid, at most one per family, and each matches its family."""
    if spec.get("type") == "ExternalName":
        return []
    out: list[FieldError] = []
    ips = cluster_ips(spec)
    shown = errors.go_string_slice(ips)
    if spec.get("clusterIP"):
        if not ips:
            out.append(errors.required("spec.clusterIPs"))
        elif ips[0] != spec["clusterIP"]:
            out.append(errors.invalid_shown("spec.clusterIPs", shown, errors.CLUSTER_IPS_FIRST_MISMATCH))
    elif ips:
        out.append(errors.invalid_shown("spec.clusterIPs", shown, errors.CLUSTER_IPS_WITHOUT_CLUSTER_IP))
    found = spec.get("ipFamilies")
    families: list[Any] = found if isinstance(found, list) else []
    seen: set[Any] = set()
    for index, family in enumerate(families):
        if family not in FAMILIES:
            out.append(errors.not_supported(f"spec.ipFamilies[{index}]", family, FAMILIES))
        if family in seen:
            out.append(FieldError("FieldValueDuplicate", f"spec.ipFamilies[{index}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in FAMILY_POLICIES:
        out.append(errors.not_supported("spec.ipFamilyPolicy", policy, FAMILY_POLICIES))
    bad_ips = False
    for index, ip in enumerate(ips):
        if index == 0 and ip == "None":
            if len(ips) > 1:
                bad_ips = True
                out.append(errors.invalid_shown("spec.clusterIPs", shown, errors.HEADLESS_ONLY_VALUE))
            continue
        found = ip_address_errors(str(ip))
        bad_ips = bad_ips or bool(found)
        out.extend(errors.invalid(f"spec.clusterIPs[{index}]", ip, msg) for msg in found)
    if len(ips) > 2:
        out.append(errors.invalid_shown("spec.clusterIPs", shown, errors.CLUSTER_IPS_TOO_MANY))
    if bad_ips:
        return out
    if len(ips) > 1 and len({_is_ipv6(str(ip)) for ip in ips}) != 2:
        out.append(errors.invalid_shown("spec.clusterIPs", shown, errors.CLUSTER_IPS_ONE_PER_FAMILY))
    if not is_headless(spec) and ips and families:
        for index, ip in enumerate(ips[:len(families)]):
            if families[index] == "IPv4" and _is_ipv6(str(ip)):
                out.append(errors.invalid(f"spec.clusterIPs[{index}]", ip, errors.ip_family_mismatch("IPv4", index)))
            if families[index] == "IPv6" and not _is_ipv6(str(ip)):
                out.append(errors.invalid(f"spec.clusterIPs[{index}]", ip, errors.ip_family_mismatch("IPv6", index)))
    return out


def _ports_checks(spec: dict[str, Any], ports: list[dict[str, Any]]) -> list[FieldError]:
    """Node ports: none on a ClusterIP service, no (protocol, nodePort) or (protocol, port) twice."""
    out: list[FieldError] = []
    if spec.get("type") == "ClusterIP":
        out.extend(errors.forbidden(f"spec.ports[{i}].nodePort", errors.not_when_type("ClusterIP"))
                   for i, port in enumerate(ports) if port.get("nodePort"))
    node_ports: set[tuple[Any, Any]] = set()
    for index, port in enumerate(ports):
        if not port.get("nodePort"):
            continue
        key = (port.get("protocol"), port["nodePort"])
        if key in node_ports:
            out.append(FieldError("FieldValueDuplicate", f"spec.ports[{index}].nodePort", port["nodePort"]))
        node_ports.add(key)
    seen: set[tuple[Any, Any]] = set()
    for index, port in enumerate(ports):
        key = (port.get("protocol"), port.get("port", 0))
        if key in seen:
            shown = errors.service_port_key(str(key[0] or ""), int(key[1] or 0))
            out.append(errors.duplicate_shown(f"spec.ports[{index}]", shown))
        seen.add(key)
    return out


def _cidr(text: str, path: str) -> list[FieldError]:
    """``IsValidCIDR`` (parse failures only)."""
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return [errors.cidr_invalid(path, text)]
    return []


def _load_balancer_fields(spec: dict[str, Any], annotations: dict[str, Any]) -> list[FieldError]:
    """Source ranges (the field, else the older annotation), node-port allocation and class: load balancers'."""
    out: list[FieldError] = []
    is_lb = spec.get("type") == "LoadBalancer"
    ranges = spec.get("loadBalancerSourceRanges")
    if isinstance(ranges, list) and ranges:
        if not is_lb:
            out.append(errors.forbidden("spec.LoadBalancerSourceRanges", errors.ONLY_LOAD_BALANCER))
        for index, value in enumerate(ranges):
            out.extend(_cidr(str(value).strip(), f"spec.LoadBalancerSourceRanges[{index}]"))
    elif isinstance(annotations.get(SOURCE_RANGES), str):
        path = f"metadata.annotations[{SOURCE_RANGES}]"
        if not is_lb:
            out.append(errors.forbidden(path, errors.ONLY_LOAD_BALANCER))
        text = annotations[SOURCE_RANGES].strip()
        for value in text.split(",") if text else []:
            out.extend(_cidr(value.strip(), path))
    if spec.get("allocateLoadBalancerNodePorts") is not None and not is_lb:
        out.append(errors.forbidden("spec.allocateLoadBalancerNodePorts", errors.ONLY_LOAD_BALANCER))
    if is_lb and spec.get("allocateLoadBalancerNodePorts") is None:
        out.append(errors.required("allocateLoadBalancerNodePorts"))
    out.extend(load_balancer_class(spec, None))
    return out


def load_balancer_class(spec: dict[str, Any], old_spec: dict[str, Any] | None) -> list[FieldError]:
    """``validateLoadBalancerClassField``: a qualified name, only on load balancers, fixed once set."""
    out: list[FieldError] = []
    is_lb = spec.get("type") == "LoadBalancer"
    cls = spec.get("loadBalancerClass")
    if old_spec is not None and is_lb and old_spec.get("type") == "LoadBalancer" \
            and old_spec.get("loadBalancerClass") != cls:
        out.append(errors.invalid("spec.loadBalancerClass", cls, errors.MAY_NOT_CHANGE))
    if is_lb:
        if isinstance(cls, str):
            out.extend(qualified_name(cls, "spec.loadBalancerClass"))
    elif cls is not None:
        out.append(errors.forbidden("spec.loadBalancerClass", errors.ONLY_LOAD_BALANCER))
    return out


def _traffic_policies(spec: dict[str, Any]) -> list[FieldError]:
    """External traffic policy and health-check node port, internal traffic policy, traffic distribution."""
    out: list[FieldError] = []
    external = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if external:
            out.append(errors.invalid("spec.externalTrafficPolicy", external, errors.NOT_EXTERNALLY_ACCESSIBLE))
    elif not external:
        out.append(errors.required("spec.externalTrafficPolicy"))
    elif external not in TRAFFIC_POLICIES:
        out.append(errors.not_supported("spec.externalTrafficPolicy", external, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort") or 0
    if not needs_health_check(spec):
        if health:
            out.append(errors.invalid("spec.healthCheckNodePort", health, errors.HEALTH_CHECK_NODE_PORT_NOT_LOCAL))
    elif not health:
        out.append(errors.required("spec.healthCheckNodePort"))
    else:
        out.extend(errors.invalid("spec.healthCheckNodePort", health, m) for m in port_number_errors(health))
    internal = spec.get("internalTrafficPolicy")
    if internal is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        out.append(errors.required("spec.internalTrafficPolicy"))
    if internal is not None and internal not in TRAFFIC_POLICIES:
        out.append(errors.not_supported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        out.append(errors.not_supported("spec.trafficDistribution", distribution, TRAFFIC_DISTRIBUTIONS))
    return out


def _type_rules(spec: dict[str, Any]) -> list[FieldError]:
    out: list[FieldError] = []
    kind = spec.get("type")
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        out.append(errors.invalid("spec.clusterIPs[0]", "None", errors.not_headless_for(str(kind))))
    elif kind == "ExternalName":
        if cluster_ips(spec):
            out.append(errors.forbidden("spec.clusterIPs", errors.NOT_FOR_EXTERNAL_NAME))
        if spec.get("ipFamilies"):
            out.append(errors.forbidden("spec.ipFamilies", errors.NOT_FOR_EXTERNAL_NAME))
        if spec.get("ipFamilyPolicy") is not None:
            out.append(errors.forbidden("spec.ipFamilyPolicy", errors.NOT_FOR_EXTERNAL_NAME))
        cname = str(spec.get("externalName") or "").removesuffix(".")
        out.extend(dns1123_subdomain(cname, "spec.externalName") if cname else [errors.required("spec.externalName")])
    return out


def validate_service(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateService`` (with ``ValidateServiceUpdate``'s checks first on an update)."""
    spec = mapping(obj.get("spec"))
    refused = _single_stack_cluster(spec)
    if refused:  # the registry refuses these before it validates anything
        return refused
    out: list[FieldError] = []
    old_spec = mapping(old.get("spec")) if old is not None else None
    if old_spec is not None:
        out.extend(_upgrade_downgrade(old_spec, spec))
        out.extend(load_balancer_class(spec, old_spec))
        if needs_health_check(old_spec) and needs_health_check(spec) \
                and spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            out.append(errors.forbidden("spec.healthCheckNodePort", errors.FIELD_IMMUTABLE))
    annotations = mapping(mapping(obj.get("metadata")).get("annotations"))
    hints, mode = annotations.get(TOPOLOGY_HINTS), annotations.get(TOPOLOGY_MODE)
    if hints is not None and mode is not None and hints != mode:
        out.append(errors.invalid(f"metadata.annotations[{TOPOLOGY_MODE}]", mode,
                                  errors.must_match_annotation(TOPOLOGY_HINTS)))
    ports = [p if isinstance(p, dict) else {} for p in spec.get("ports") or []]
    if not ports and not is_headless(spec) and spec.get("type") != "ExternalName":
        out.append(errors.required("spec.ports"))
    out.extend(_type_rules(spec))
    names: set[str] = set()
    for index, port in enumerate(ports):
        out.extend(_service_port(port, len(ports) > 1, names, f"spec.ports[{index}]"))
    if isinstance(spec.get("selector"), dict):
        out.extend(label_map_errors(spec["selector"], "spec.selector"))
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        out.append(errors.required("spec.sessionAffinity"))
    elif affinity not in AFFINITIES:
        out.append(errors.not_supported("spec.sessionAffinity", affinity, AFFINITIES))
    if affinity == "ClientIP":
        out.extend(_affinity_config(spec.get("sessionAffinityConfig"), "spec.sessionAffinityConfig"))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        out.append(errors.forbidden("spec.sessionAffinityConfig", errors.AFFINITY_CONFIG_WITH_NONE))
    out.extend(cluster_ips_related(spec))
    for index, ip in enumerate(spec.get("externalIPs") or []):
        out.extend(non_special_ip(str(ip), f"spec.externalIPs[{index}]"))
    kind = spec.get("type") or ""
    if not kind:
        out.append(errors.required("spec.type"))
    elif kind not in SERVICE_TYPES:
        out.append(errors.not_supported("spec.type", kind, SERVICE_TYPES))
    out.extend(_ports_checks(spec, ports))
    out.extend(_load_balancer_fields(spec, annotations))
    out.extend(_traffic_policies(spec))
    return out


def _upgrade_downgrade(old_spec: dict[str, Any], spec: dict[str, Any]) -> list[FieldError]:
    """``validateUpgradeDowngradeClusterIPs`` and ``...IPFamilies``: the primary address and family stay."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    out: list[FieldError] = []
    old_ips, ips = cluster_ips(old_spec), cluster_ips(spec)
    shown = errors.go_string_slice(ips)
    if not (is_headless(old_spec) and is_headless(spec)):
        if len(old_ips) == len(ips):
            out.extend(errors.invalid_shown(f"spec.clusterIPs[{i}]", shown, errors.MAY_NOT_CHANGE)
                       for i, ip in enumerate(old_ips) if ip != ips[i])
        elif len(old_ips) > len(ips):
            if not ips:
                out.append(errors.invalid_shown("spec.clusterIPs[0]", shown, errors.PRIMARY_CLUSTER_IP_UNSET))
            elif old_ips and ips[0] != old_ips[0]:
                out.append(errors.invalid_shown("spec.clusterIPs[0]", shown, errors.MAY_NOT_CHANGE))
            if len(ips) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
                out.append(errors.invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"),
                                          errors.RELEASE_SECONDARY_NEEDS_SINGLE_STACK))
        elif old_ips and ips[0] != old_ips[0]:
            out.append(errors.invalid_shown("spec.clusterIPs[0]", shown, errors.MAY_NOT_CHANGE))
    if is_headless(old_spec) or is_headless(spec):
        return out
    old_families = old_spec.get("ipFamilies") or []
    families = spec.get("ipFamilies") or []
    shown_families = errors.go_typed_slice("core.IPFamily", families)
    if len(old_families) == len(families):
        out.extend(errors.invalid_shown("spec.ipFamilies[0]", shown_families, errors.MAY_NOT_CHANGE)
                   for i, family in enumerate(old_families) if family != families[i])
    return out


def _single_stack_cluster(spec: dict[str, Any]) -> list[FieldError]:
    """The service registry's family checks against this cluster, which serves IPv4 only."""
    if spec.get("type") == "ExternalName" or (spec.get("clusterIP") == "None" and not spec.get("selector")):
        return []
    out: list[FieldError] = []
    ips, families = cluster_ips(spec), spec.get("ipFamilies") or []
    for index, ip in enumerate(ips):
        if ip != "None" and index >= len(families) and _is_ipv6(str(ip)):
            out.append(errors.invalid_shown(f"spec.clusterIPs[{index}]", errors.go_string_slice(ips),
                                            errors.IPV6_NOT_CONFIGURED))
    if out:
        return out
    if spec.get("ipFamilyPolicy") == "RequireDualStack":
        out.append(errors.invalid("spec.ipFamilyPolicy", "RequireDualStack",
                                  errors.DUAL_STACK_NOT_CONFIGURED))
    for index, family in enumerate(spec.get("ipFamilies") or []):
        if family == "IPv6":
            out.append(errors.invalid(f"spec.ipFamilies[{index}]", family, errors.FAMILY_NOT_CONFIGURED))
    return out

