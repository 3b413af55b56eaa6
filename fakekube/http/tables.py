"""Server-side ``Table`` rendering (``Accept: application/json;as=Table;g=meta.k8s.io;v=v1``).

kubectl asks for Tables to print ``kubectl get``.  Every kind gets Name and Age; a kind's
strategy carries its own columns (``fakekube.kinds.columns``).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Sequence
from typing import Any

import orjson

from fakekube.http.negotiation import partial_metadata
from fakekube.kinds.columns import AGE, NO_AGE, Since
from fakekube.kinds.strategy import Column

NAME_COLUMN = {"name": "Name", "type": "string", "format": "name", "description": "Name must be unique within a "
               "namespace.", "priority": 0}


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


def _shown(cell: Any, now: float) -> Any:
    """A cell as sent: a date cell (``Since``) becomes the time since it by the cluster's clock."""
    if isinstance(cell, Since):
        return "<unknown>" if cell.seconds is None else human_duration(now - cell.seconds)
    return cell


def render_table(kind_columns: Sequence[Column], items: list[dict[str, Any]], resource_version: str = "",
                 continue_token: str = "", include_object: str = "Metadata", version: str = "v1",
                 now: float | None = None) -> bytes:
    """A ``Table`` with the kind's columns (its strategy's); ``now`` is the cluster clock's time, so ages
    follow a clock that tests move."""
    extra = list(kind_columns)
    if NO_AGE in extra:
        extra.remove(NO_AGE)
    elif AGE not in extra:
        extra = [*extra, AGE]
    columns = [NAME_COLUMN] + [c for c, _ in extra]
    now = time.time() if now is None else now
    rows = []
    for obj in items:
        cells: list[Any] = [(obj.get("metadata") or {}).get("name", "")]
        cells += [age(obj, now) if column is AGE else _shown(column[1](obj), now) for column in extra]
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
