"""Services (``pkg/registry/core/service``): defaults, cluster IPs and node ports, their immutability, columns."""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds import columns
from fakekube.kinds.columns import AGE, column, joined
from fakekube.kinds.field_labels import fields, string
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy

NODE_PORT_TYPES = ("NodePort", "LoadBalancer")


def _defaults(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    kind = spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if kind == "ExternalName":
        return
    spec.setdefault("internalTrafficPolicy", "Cluster")
    if kind in NODE_PORT_TYPES:
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if spec.get("clusterIP") != "None":
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
            if "port" in port:
                port.setdefault("targetPort", port["port"])


def _allocate_node_ports(obj: Obj, cluster: ClusterAccess) -> None:
    spec = obj.setdefault("spec", {})
    if spec.get("type") in NODE_PORT_TYPES:
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort"):
                port["nodePort"] = cluster.allocate_node_port()


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    spec = obj.setdefault("spec", {})
    if spec.get("type") != "ExternalName" and not spec.get("clusterIP"):
        address = cluster.allocate_cluster_ip()
        spec["clusterIP"] = address
        spec["clusterIPs"] = [address]
    _allocate_node_ports(obj, cluster)
    obj["status"] = {"loadBalancer": {}}


def _prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """Addresses and node ports were assigned by the server: a write that omits them keeps them
    (node ports follow their port by name, else by number), and ports new to a NodePort get one."""
    spec, old_spec = obj.setdefault("spec", {}), old.get("spec") or {}
    for field in ("clusterIP", "clusterIPs"):
        if field in old_spec and field not in spec:
            spec[field] = old_spec[field]
    if spec.get("type") not in NODE_PORT_TYPES and old_spec.get("type") in NODE_PORT_TYPES:
        spec.pop("externalTrafficPolicy", None)  # only node-port services have one
    old_ports = [p for p in old_spec.get("ports") or [] if isinstance(p, dict) and p.get("nodePort")]
    for port in spec.get("ports") or []:
        if not isinstance(port, dict) or port.get("nodePort"):
            continue
        previous = next((p for p in old_ports if port.get("name") and p.get("name") == port.get("name")), None) \
            or next((p for p in old_ports if p.get("port") == port.get("port")), None)
        if previous is not None:
            port["nodePort"] = previous["nodePort"]
    _allocate_node_ports(obj, cluster)


def _validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    out: list[FieldError] = []
    headless = spec.get("clusterIP") == "None"
    if not spec.get("ports") and not headless and spec.get("type") != "ExternalName":
        out.append(errors.required("spec.ports"))
    if old is not None:
        old_spec = as_dict(old.get("spec"))
        if old_spec.get("clusterIP") and spec.get("clusterIP") != old_spec.get("clusterIP") \
                and spec.get("type") != "ExternalName":
            out.append(errors.invalid("spec.clusterIPs[0]", spec.get("clusterIP"), "may not change once set"))
    return out


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
    returns_deleted_object=True,
    defaults=_defaults,
    prepare_for_create=_prepare_for_create,
    prepare_for_update=_prepare_for_update,
    validate=_validate,
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
