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

from fakekube.negotiation import partial_metadata

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


COLUMNS: dict[tuple[str, str], list[tuple[dict[str, Any], Cell]]] = {
    ("apps", "Deployment"): [
        (_col("Ready"), _ready),
        (_col("Up-to-date", "integer"), lambda o: (o.get("status") or {}).get("updatedReplicas", 0)),
        (_col("Available", "integer"), lambda o: (o.get("status") or {}).get("availableReplicas", 0)),
    ],
    ("", "Pod"): [
        (_col("Ready"), _pod_ready),
        (_col("Status"), lambda o: (o.get("status") or {}).get("phase", "")),
        (_col("Restarts", "string"), lambda o: str(sum(c.get("restartCount", 0) for c in
                                                       (o.get("status") or {}).get("containerStatuses") or []))),
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
    ],
}


def render_table(group: str, kind: str, items: list[dict[str, Any]], resource_version: str = "",
                 continue_token: str = "", include_object: str = "Metadata", version: str = "v1") -> bytes:
    extra = COLUMNS.get((group, kind), [])
    columns = [NAME_COLUMN] + [c for c, _ in extra] + [AGE_COLUMN]
    now = time.time()
    rows = []
    for obj in items:
        cells: list[Any] = [(obj.get("metadata") or {}).get("name", "")]
        cells += [fn(obj) for _, fn in extra]
        cells.append(age(obj, now))
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
