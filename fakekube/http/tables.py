"""Server-side ``Table`` rendering (``Accept: application/json;as=Table;g=meta.k8s.io;v=v1``).

kubectl asks for Tables to print ``kubectl get``.  Every kind gets Name and Age; a few kinds get
their real columns from the data table ``COLUMNS`` (column name -> function of the object).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from typing import Any

import orjson

from fakekube.http.negotiation import partial_metadata

Cell = Callable[[dict[str, Any]], Any]

NAME_COLUMN = {"name": "Name", "type": "string", "format": "name", "description": "Name must be unique within a "
               "namespace.", "priority": 0}
AGE_COLUMN = {"name": "Age", "type": "string", "format": "", "description": "CreationTimestamp is a timestamp "
              "representing the server time when this object was created.", "priority": 0}


def human_duration(seconds: float) -> str:
    """The short ages kubectl shows: 5s, 3m20s, 45m, 5h10m, 3d4h, 400d, 2y30d."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if days < 365 * 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def age(obj: dict[str, Any], now: float | None = None) -> str:
    stamp = (obj.get("metadata") or {}).get("creationTimestamp")
    if not stamp:
        return "<unknown>"
    try:
        created = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return "<unknown>"
    return human_duration((now or time.time()) - created)


def _ready(obj: dict[str, Any]) -> str:
    status = obj.get("status") or {}
    return f"{status.get('readyReplicas', 0)}/{(obj.get('spec') or {}).get('replicas', 0)}"


def _pod_ready(obj: dict[str, Any]) -> str:
    statuses = (obj.get("status") or {}).get("containerStatuses") or []
    total = len((obj.get("spec") or {}).get("containers") or [])
    return f"{sum(1 for c in statuses if c.get('ready'))}/{total}"


def _col(name: str, kind: str = "string", priority: int = 0) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": "", "description": "", "priority": priority}


def _joined(values: Any) -> str:
    return ",".join(values) or "<none>"


def _template_containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}
    return [c for c in spec.get("containers") or [] if isinstance(c, dict)]


def _external_ips(obj: dict[str, Any]) -> str:
    spec = obj.get("spec") or {}
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    addresses = [i.get("ip") or i.get("hostname", "") for i in ingress] + list(spec.get("externalIPs") or [])
    if addresses:
        return ",".join(addresses)
    if spec.get("type") == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<pending>" if spec.get("type") == "LoadBalancer" else "<none>"


def _service_ports(obj: dict[str, Any]) -> str:
    out = []
    for port in (obj.get("spec") or {}).get("ports") or []:
        text = str(port.get("port", ""))
        if port.get("nodePort"):
            text += f":{port['nodePort']}"
        out.append(f"{text}/{port.get('protocol', 'TCP')}")
    return ",".join(out) or "<none>"


# Marks where the Age column goes; columns after it are usually the wide (priority 1) ones.
AGE: tuple[dict[str, Any], Cell] = (AGE_COLUMN, lambda o: None)


COLUMNS: dict[tuple[str, str], list[tuple[dict[str, Any], Cell]]] = {
    ("apps", "Deployment"): [
        (_col("Ready"), _ready),
        (_col("Up-to-date", "integer"), lambda o: (o.get("status") or {}).get("updatedReplicas", 0)),
        (_col("Available", "integer"), lambda o: (o.get("status") or {}).get("availableReplicas", 0)),
        AGE,
        (_col("Containers", priority=1), lambda o: _joined(c.get("name", "") for c in _template_containers(o))),
        (_col("Images", priority=1), lambda o: _joined(c.get("image", "") for c in _template_containers(o))),
        (_col("Selector", priority=1), lambda o: _joined(
            f"{k}={v}" for k, v in (((o.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}).items())),
    ],
    ("", "Pod"): [
        (_col("Ready"), _pod_ready),
        (_col("Status"), lambda o: (o.get("status") or {}).get("phase", "")),
        (_col("Restarts", "string"), lambda o: str(sum(c.get("restartCount", 0) for c in
                                                       (o.get("status") or {}).get("containerStatuses") or []))),
        AGE,
        (_col("IP", priority=1), lambda o: (o.get("status") or {}).get("podIP") or "<none>"),
        (_col("Node", priority=1), lambda o: (o.get("spec") or {}).get("nodeName") or "<none>"),
        (_col("Nominated Node", priority=1), lambda o: (o.get("status") or {}).get("nominatedNodeName") or "<none>"),
        (_col("Readiness Gates", priority=1), lambda o: _joined(
            g.get("conditionType", "") for g in (o.get("spec") or {}).get("readinessGates") or [])),
    ],
    ("", "Namespace"): [(_col("Status"), lambda o: (o.get("status") or {}).get("phase", ""))],
    ("", "ConfigMap"): [(_col("Data", "integer"), lambda o: len(o.get("data") or {}) + len(o.get("binaryData") or {}))],
    ("", "Secret"): [
        (_col("Type"), lambda o: o.get("type", "")),
        (_col("Data", "integer"), lambda o: len(o.get("data") or {})),
    ],
    ("", "Service"): [
        (_col("Type"), lambda o: (o.get("spec") or {}).get("type", "ClusterIP")),
        (_col("Cluster-IP"), lambda o: (o.get("spec") or {}).get("clusterIP", "<none>") or "<none>"),
        (_col("External-IP"), _external_ips),
        (_col("Port(s)"), _service_ports),
        AGE,
        (_col("Selector", priority=1), lambda o: _joined(
            f"{k}={v}" for k, v in ((o.get("spec") or {}).get("selector") or {}).items())),
    ],
}


def render_table(group: str, kind: str, items: list[dict[str, Any]], resource_version: str = "",
                 continue_token: str = "", include_object: str = "Metadata", version: str = "v1",
                 now: float | None = None) -> bytes:
    """A ``Table``; ``now`` is the cluster clock's time, so ages follow a clock that tests move."""
    extra = COLUMNS.get((group, kind), [])
    if AGE not in extra:
        extra = [*extra, AGE]
    columns = [NAME_COLUMN] + [c for c, _ in extra]
    now = time.time() if now is None else now
    rows = []
    for obj in items:
        cells: list[Any] = [(obj.get("metadata") or {}).get("name", "")]
        cells += [age(obj, now) if column is AGE else column[1](obj) for column in extra]
        row: dict[str, Any] = {"cells": cells}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    meta: dict[str, Any] = {}
    if resource_version:
        meta["resourceVersion"] = resource_version
    if continue_token:
        meta["continue"] = continue_token
    table = {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}", "metadata": meta,
             "columnDefinitions": columns, "rows": rows}
    return orjson.dumps(table)
