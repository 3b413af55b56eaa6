"""Table cells of core kinds whose strategies carry none: Nodes, Events, Endpoints, ReplicationControllers,
PodTemplates (``pkg/printers/internalversion``'s ``printNode``, ``printEvent``...).

The column definitions are the release's (``kinds/printers.py``); these are only the values, by column name.
An ``events.k8s.io`` Event is printed by the same printer after conversion to the core shape, so its cells
read both shapes (``regarding`` for ``involvedObject``, ``note`` for ``message``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube.kinds.columns import Since, parse_time, since, spec, status
from fakekube.kinds.printers_format import as_dict, container_cells, format_labels
from fakekube.kinds.strategy import Cell, Obj


def _node_status(obj: Obj) -> str:
    ready = [c for c in status(obj).get("conditions") or [] if as_dict(c).get("type") == "Ready"]
    shown = ["Unknown"] if not ready else ["Ready" if ready[-1].get("status") == "True" else "NotReady"]
    if spec(obj).get("unschedulable") is True:
        shown.append("SchedulingDisabled")
    return ",".join(shown)


def _node_roles(obj: Obj) -> str:
    roles: set[str] = set()
    for key, value in as_dict(as_dict(obj.get("metadata")).get("labels")).items():
        if key.startswith("node-role.kubernetes.io/") and key != "node-role.kubernetes.io/":
            roles.add(key.removeprefix("node-role.kubernetes.io/"))
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _node_address(kind: str) -> Cell:
    def cell(obj: Obj) -> str:
        for address in status(obj).get("addresses") or []:
            if as_dict(address).get("type") == kind:
                return str(address.get("address", ""))
        return "<none>"
    return cell


def _node_info(field: str, arch: bool = False) -> Cell:
    def cell(obj: Obj) -> str:
        info = as_dict(status(obj).get("nodeInfo"))
        value = str(info.get(field) or "") or "<unknown>"
        if arch and info.get("architecture"):
            value += f" ({info['architecture']})"
        return value
    return cell


NODE: Mapping[str, Cell] = {
    "Status": _node_status,
    "Roles": _node_roles,
    "Version": lambda o: str(as_dict(status(o).get("nodeInfo")).get("kubeletVersion", "")),
    "Internal-IP": _node_address("InternalIP"),
    "External-IP": _node_address("ExternalIP"),
    "OS-Image": _node_info("osImage"),
    "Kernel-Version": _node_info("kernelVersion", arch=True),
    "Container-Runtime": _node_info("containerRuntimeVersion"),
}


def _event_field(obj: Obj, core: str, events: str) -> Any:
    """A field of a core Event, or its counterpart in an ``events.k8s.io`` Event."""
    return obj[core] if core in obj else obj.get(events)


def _first_seen(obj: Obj) -> Since:
    first = parse_time(_event_field(obj, "firstTimestamp", "deprecatedFirstTimestamp"))
    return Since(first if first is not None else parse_time(obj.get("eventTime")))


def _last_seen(obj: Obj) -> Since:
    series = as_dict(obj.get("series"))
    if series:
        return since(series.get("lastObservedTime"))
    last = parse_time(_event_field(obj, "lastTimestamp", "deprecatedLastTimestamp"))
    return _first_seen(obj) if last is None else Since(last)


def _count(obj: Obj) -> int:
    series = as_dict(obj.get("series"))
    if series:
        return int(series.get("count") or 0)
    count = _event_field(obj, "count", "deprecatedCount")
    return int(count) if isinstance(count, int) and count else 1


def _involved(obj: Obj) -> dict[str, Any]:
    return as_dict(_event_field(obj, "involvedObject", "regarding"))


def _target(obj: Obj) -> str:
    involved = _involved(obj)
    kind = str(involved.get("kind") or "").lower()
    return f"{kind}/{involved['name']}" if involved.get("name") else kind


def _source(obj: Obj) -> str:
    source = as_dict(_event_field(obj, "source", "deprecatedSource"))
    component = source.get("component") or _event_field(obj, "reportingComponent", "reportingController") or ""
    instance = source.get("host") or obj.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else str(component)


EVENT: Mapping[str, Cell] = {
    "Last Seen": _last_seen,
    "Type": lambda o: o.get("type", ""),
    "Reason": lambda o: o.get("reason", ""),
    "Object": _target,
    "Subobject": lambda o: _involved(o).get("fieldPath", ""),
    "Source": _source,
    "Message": lambda o: str(_event_field(o, "message", "note") or "").strip(),
    "First Seen": _first_seen,
    "Count": _count,
}


def _host_port(ip: str, port: Any) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _endpoints(obj: Obj) -> str:
    """``formatEndpoints`` without a port filter: each port's addresses as ``ip:port`` (bare IPs for a subset
    without ports), at most three, then ``+ N more...``; ``<none>`` only without subsets."""
    subsets = [as_dict(s) for s in obj.get("subsets") or []]
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [str(as_dict(a).get("ip", "")) for a in subset.get("addresses") or []]
        ports = [as_dict(p).get("port", 0) for p in subset.get("ports") or []]
        for port in ports or [None]:
            count += len(addresses)
            for ip in addresses:
                if len(shown) == 3:
                    break
                shown.append(ip if port is None else _host_port(ip, port))
    more = f" + {count - 3} more..." if count > 3 else ""
    return ",".join(shown) + more


def _rc_template(obj: Obj) -> Obj:
    return as_dict(spec(obj).get("template"))


REPLICATION_CONTROLLER: Mapping[str, Cell] = {
    "Desired": lambda o: spec(o).get("replicas", 0),
    "Current": lambda o: status(o).get("replicas", 0),
    "Ready": lambda o: status(o).get("readyReplicas", 0),
    "Containers": lambda o: container_cells(_rc_template(o))[0],
    "Images": lambda o: container_cells(_rc_template(o))[1],
    "Selector": lambda o: format_labels(spec(o).get("selector")),
}

POD_TEMPLATE: Mapping[str, Cell] = {
    "Containers": lambda o: container_cells(as_dict(o.get("template")))[0],
    "Images": lambda o: container_cells(as_dict(o.get("template")))[1],
    "Pod Labels": lambda o: format_labels(as_dict(as_dict(o.get("template")).get("metadata")).get("labels")),
}

CELLS: Mapping[str, Mapping[str, Cell]] = {
    "Node": NODE,
    "Event": EVENT,
    "Endpoints": {"Endpoints": _endpoints},
    "ReplicationController": REPLICATION_CONTROLLER,
    "PodTemplate": POD_TEMPLATE,
    # up to v1.33 a ServiceAccount's table counts its secrets
    "ServiceAccount": {"Secrets": lambda o: len(o.get("secrets") or [])},
}
