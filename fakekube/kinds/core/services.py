"""Services (``pkg/registry/core/service``): defaults, cluster IPs and node ports, their immutability, columns."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

from fakekube import errors
from fakekube.kinds import columns
from fakekube.kinds.columns import AGE, column, joined
from fakekube.kinds.field_labels import fields, string
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import STATUS, ClusterAccess, Obj, Strategy
from fakekube.kinds.validation import core_service_status, core_services

NODE_PORT_TYPES = ("NodePort", "LoadBalancer")
SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/12")  # the cluster's service range (``Registry.allocate_cluster_ip``)
NODE_PORT_RANGE = (30000, 32767)  # kube-apiserver's default --service-node-port-range
DEFAULT_AFFINITY_SECONDS = 10800  # v1.DefaultClientIPServiceAffinitySeconds


def _defaults(obj: Obj) -> None:
    """``SetDefaults_Service`` (the address families come with the addresses, in the prepare steps)."""
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    affinity = spec.setdefault("sessionAffinity", "None") or "None"
    spec["sessionAffinity"] = affinity
    if affinity == "None":
        spec.pop("sessionAffinityConfig", None)
    elif affinity == "ClientIP":
        client = as_dict(as_dict(spec.get("sessionAffinityConfig")).get("clientIP"))
        if client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": DEFAULT_AFFINITY_SECONDS}}
    kind = spec.get("type") or "ClusterIP"
    spec["type"] = kind
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            if not port.get("protocol"):
                port["protocol"] = "TCP"
            if port.get("targetPort") in (None, 0, ""):
                port["targetPort"] = port.get("port", 0)
    if core_services.externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
        for ingress in as_dict(as_dict(obj.get("status")).get("loadBalancer")).get("ingress") or []:
            if isinstance(ingress, dict) and ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"


def _ip_families(spec: Obj, old_spec: Obj | None) -> None:
    """``initIPFamilyFields`` on this single-stack IPv4 cluster: an update keeps the stored policy; else a
    headless service without a selector asks for both families (``RequireDualStack``) and any other gets
    ``SingleStack``; families follow the requested cluster IPs, else default to the cluster's IPv4.  Run by the
    registry after field management, so
    no manager owns what it sets."""
    if spec.get("type") == "ExternalName":
        return
    first_ip = spec.get("clusterIP") or next(iter(core_services.cluster_ips(spec)), "")
    headless_free = first_ip == "None" and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        inherited = (old_spec or {}).get("ipFamilyPolicy")
        spec["ipFamilyPolicy"] = inherited or ("RequireDualStack" if headless_free else "SingleStack")
    found = spec.get("ipFamilies")
    families: list[Any] = list(found) if isinstance(found, list) else []
    for index, ip in enumerate(core_services.cluster_ips(spec)):
        if ip == "None" or index < len(families):
            continue
        if ":" in str(ip):  # IPv6 is not served here: validation says so, with nothing defaulted
            if families:
                spec["ipFamilies"] = families
            return
        families.append("IPv4")
    spec["ipFamilies"] = families = families or ["IPv4"]
    if headless_free and len(families) < 2 and spec["ipFamilyPolicy"] != "SingleStack" \
            and families[0] in ("IPv4", "IPv6"):
        families.append("IPv6" if families[0] == "IPv4" else "IPv4")


def _normalize_cluster_ips(spec: Obj, old_spec: Obj | None = None) -> None:
    """``NormalizeClusterIPs``: ``clusterIP`` and ``clusterIPs[0]`` follow each other when one is unset, and an
    update that changes only ``clusterIP`` changes ``clusterIPs[0]`` with it (validation then refuses it)."""
    ips = core_services.cluster_ips(spec)
    if old_spec is not None and old_spec.get("clusterIP") != spec.get("clusterIP") \
            and ips == core_services.cluster_ips(old_spec) and ips:
        if not spec.get("clusterIP"):
            spec.pop("clusterIPs", None)
        else:
            spec["clusterIPs"] = [spec["clusterIP"], *ips[1:]]
        return
    if spec.get("clusterIP") and not ips:
        spec["clusterIPs"] = [spec["clusterIP"]]
    elif not spec.get("clusterIP") and ips:
        spec["clusterIP"] = ips[0]


def _check_requested_cluster_ips(obj: Obj) -> None:
    """The IP allocator's refusal of a requested IPv4 cluster IP outside the service range; it runs before
    validation (the registry's ``BeginCreate``), so it is the only error such a request gets.  Addresses that do
    not parse, ``None`` and IPv6 ones are left to validation."""
    spec = obj.get("spec") or {}
    ips = core_services.cluster_ips(spec)
    for ip in ips:
        try:
            address = ipaddress.ip_address(str(ip))
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv4Address) and address not in SERVICE_CIDR:
            raise errors.invalid_object("Service", "", str((obj.get("metadata") or {}).get("name", "")),
                                        [errors.cluster_ip_not_allocated(list(ips), str(ip))])


def _check_requested_node_ports(obj: Obj, held: set[Any]) -> None:
    """The node-port allocator's refusal of a requested port outside the node-port range (ports the stored
    service already holds are not allocated again), before validation as above."""
    spec = obj.get("spec") or {}
    if spec.get("type") not in NODE_PORT_TYPES:
        return
    low, high = NODE_PORT_RANGE
    for index, port in enumerate(spec.get("ports") or []):
        number = port.get("nodePort") if isinstance(port, dict) else None
        if isinstance(number, int) and number and number not in held and not low <= number <= high:
            raise errors.invalid_object("Service", "", str((obj.get("metadata") or {}).get("name", "")), [
                errors.node_port_not_in_range(f"spec.ports[{index}].nodePort", number, f"{low}-{high}")])


def _allocate_node_ports(obj: Obj, cluster: ClusterAccess) -> None:
    """``initNodePorts``: a NodePort service, or a load balancer that allocates them, gets a node port per
    port number (ports of one number share it); a load balancer keeping traffic local gets its
    health-check port."""
    spec = obj.setdefault("spec", {})
    kind = spec.get("type")
    if kind in NODE_PORT_TYPES:
        allocate = kind == "NodePort" or spec.get("allocateLoadBalancerNodePorts") is not False
        by_number: dict[Any, int] = {p.get("port"): p["nodePort"] for p in spec.get("ports") or []
                                     if isinstance(p, dict) and p.get("nodePort")}
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort") and allocate:
                if port.get("port") not in by_number:
                    by_number[port.get("port")] = cluster.allocate_node_port()
                port["nodePort"] = by_number[port.get("port")]
    if core_services.needs_health_check(spec) and not spec.get("healthCheckNodePort"):
        spec["healthCheckNodePort"] = cluster.allocate_node_port()


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    spec = obj.setdefault("spec", {})
    _normalize_cluster_ips(spec)
    _ip_families(spec, None)
    if spec.get("type") != "ExternalName":
        _check_requested_cluster_ips(obj)
    _check_requested_node_ports(obj, set())
    if spec.get("type") != "ExternalName" and not spec.get("clusterIP") \
            and (spec.get("ipFamilies") or ["IPv4"])[0] == "IPv4":
        address = cluster.allocate_cluster_ip()
        spec["clusterIP"] = address
        spec["clusterIPs"] = [address]
    _allocate_node_ports(obj, cluster)
    obj["status"] = {"loadBalancer": {}}


def _prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """``PrepareForUpdate``: what the server assigned and an update omits is kept (``patchAllocatedValues``),
    clusterIP and clusterIPs follow each other, the fields the new type no longer uses are dropped when the
    update left them as they were (``dropTypeDependentFields``); then new cluster IPs and node ports."""
    spec, old_spec = obj.setdefault("spec", {}), old.get("spec") or {}
    if spec.get("type") != "ExternalName" and old_spec.get("type") != "ExternalName":
        for field in ("clusterIP", "clusterIPs"):
            if field in old_spec and not spec.get(field):
                spec[field] = old_spec[field]
    if spec.get("type") in NODE_PORT_TYPES and old_spec.get("type") in NODE_PORT_TYPES:
        _patch_node_ports(spec, old_spec)
    if core_services.needs_health_check(old_spec) and core_services.needs_health_check(spec) \
            and not spec.get("healthCheckNodePort"):
        spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort")
    _normalize_cluster_ips(spec, old_spec)
    _drop_type_dependent_fields(obj, spec, old_spec)
    _ip_families(spec, old_spec)
    _check_requested_node_ports(obj, {p.get("nodePort") for p in old_spec.get("ports") or [] if isinstance(p, dict)})
    if spec.get("type") != "ExternalName" and not spec.get("clusterIP"):
        address = cluster.allocate_cluster_ip()
        spec["clusterIP"] = address
        spec["clusterIPs"] = [address]
    _allocate_node_ports(obj, cluster)
    # Go writes a spec's fields in one order; keep the stored one, so an update that changes nothing is no write
    ordered = {key: spec[key] for key in old_spec if key in spec}
    ordered.update((key, value) for key, value in spec.items() if key not in ordered)
    spec.clear()
    spec.update(ordered)


def _patch_node_ports(spec: Obj, old_spec: Obj) -> None:
    """A port without a node port gets the one its name had, unless another port of the update uses it."""
    def used(ports: Any) -> set[Any]:
        return {p.get("nodePort") for p in ports or [] if isinstance(p, dict) and p.get("nodePort")}

    taken = used(old_spec.get("ports")) & used(spec.get("ports"))
    by_name = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or [] if isinstance(p, dict)}
    for port in spec.get("ports") or []:
        if isinstance(port, dict) and not port.get("nodePort"):
            previous = by_name.get(port.get("name", ""))
            if previous and previous not in taken:
                port["nodePort"] = previous


def _drop_type_dependent_fields(obj: Obj, spec: Obj, old_spec: Obj) -> None:
    """``dropTypeDependentFields``: a field the new type does not use goes when the update did not change it
    (a changed one is left for validation to refuse)."""
    kind, old_kind = spec.get("type"), old_spec.get("type")
    if old_kind != "ExternalName" and kind == "ExternalName":
        if spec.get("clusterIPs") == old_spec.get("clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if spec.get(field) == old_spec.get(field):
                spec.pop(field, None)
    if old_kind in NODE_PORT_TYPES and kind not in NODE_PORT_TYPES:
        old_ports = old_spec.get("ports") or []
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and any(isinstance(o, dict) and o.get("nodePort") == port.get("nodePort")
                                              for o in old_ports):
                port.pop("nodePort", None)
    if core_services.needs_health_check(old_spec) and not core_services.needs_health_check(spec) \
            and spec.get("healthCheckNodePort") == old_spec.get("healthCheckNodePort"):
        spec.pop("healthCheckNodePort", None)
    if old_kind == "LoadBalancer" and kind != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is not None \
                and spec.get("allocateLoadBalancerNodePorts") == old_spec.get("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
        if spec.get("loadBalancerClass") == old_spec.get("loadBalancerClass"):
            spec.pop("loadBalancerClass", None)
    if core_services.externally_accessible(old_spec) and not core_services.externally_accessible(spec) \
            and spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
        spec.pop("externalTrafficPolicy", None)
    if kind != "LoadBalancer":
        obj["status"] = {"loadBalancer": {}}


def _status_write(new: Obj, old: Obj) -> Obj:
    """A ``/status`` write keeps the stored spec.  Its load-balancer ingress IPs get ``ipMode: VIP`` only when
    the body itself is a LoadBalancer: ``SetDefaults_Service`` runs when the body is decoded, on the body's own
    ``spec.type`` (a body typed ClusterIP over a stored LoadBalancer gets no default, and is refused for the
    missing ``ipMode``)."""
    if columns.spec(new).get("type") == "LoadBalancer":
        for ingress in as_dict(as_dict(new.get("status")).get("loadBalancer")).get("ingress") or []:
            if isinstance(ingress, dict) and ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"
    return STATUS.reset(new, old)


def _external_ips(obj: Obj) -> str:
    spec = columns.spec(obj)
    ingress = as_dict(columns.status(obj).get("loadBalancer")).get("ingress") or []
    addresses = [i.get("ip") or i.get("hostname", "") for i in ingress] + list(spec.get("externalIPs") or [])
    if addresses:
        return ",".join(addresses)
    if spec.get("type") == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<pending>" if spec.get("type") == "LoadBalancer" else "<none>"


def _ports(obj: Obj) -> str:
    out = []
    for port in columns.spec(obj).get("ports") or []:
        text = str(port.get("port", ""))
        if port.get("nodePort"):
            text += f":{port['nodePort']}"
        out.append(f"{text}/{port.get('protocol', 'TCP')}")
    return ",".join(out) or "<none>"


def _selector(obj: Obj) -> Any:
    return joined(f"{k}={v}" for k, v in (columns.spec(obj).get("selector") or {}).items())


STRATEGY = Strategy(
    allow_create_on_update=True,  # the Service registry lets a PUT create
    returns_deleted_object=True,
    defaults=_defaults,
    prepare_for_create=_prepare_for_create,
    prepare_for_update=_prepare_for_update,
    validate=core_services.validate_service,
    validation_ported=True,
    subresources={"status": replace(STATUS, reset=_status_write, validate=core_service_status.validate_service_status)},
    # RelaxedServiceNameValidation is beta and on by default in v1.36; with it off the rule is dns1035-label.
    name_rule="dns1123-label",
    kube_finalizers=True,
    field_labels=fields({"spec.clusterIP": string("spec.clusterIP"), "spec.type": string("spec.type")}),
    columns=(
        (column("Type"), lambda o: columns.spec(o).get("type", "ClusterIP")),
        (column("Cluster-IP"), lambda o: columns.spec(o).get("clusterIP", "<none>") or "<none>"),
        (column("External-IP"), _external_ips),
        (column("Port(s)"), _ports),
        AGE,
        (column("Selector", priority=1), _selector),
    ),
)
