"""Server-side ``Table`` rendering (``Accept: application/json;as=Table;g=meta.k8s.io;v=v1``).

kubectl asks for Tables to print ``kubectl get``.  Every kind gets Name and Age; a kind's
strategy carries its own columns (``fakekube.kinds.columns``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from fakekube import errors
from fakekube.http.negotiation import partial_metadata
from fakekube.kinds.columns import AGE, AGE_COLUMN, NAME_COLUMN, NO_AGE, PRINTED, Since, age_cell, name_cell
from fakekube.kinds.printers_format import human_duration
from fakekube.kinds.strategy import Cell, Column


def _shown(cell: Any, now: float) -> Any:
    """A cell as sent: a date cell (``Since``) becomes the time since it by the cluster's clock."""
    if isinstance(cell, Since):
        return "<unknown>" if cell.seconds is None else human_duration(now - cell.seconds)
    return cell


# The ``includeObject`` values a Table takes; empty means Metadata.
_INCLUDE_OBJECT = frozenset({"Metadata", "Object", "None", ""})


def _laid_out(kind_columns: Sequence[Column]) -> list[tuple[Mapping[str, Any], Cell]]:
    """Every column of the table with its cell: a printed kind's columns as they are; otherwise Name first,
    the kind's columns, and Age where the kind puts ``AGE`` (last when it does not; none after ``NO_AGE``)."""
    if kind_columns and kind_columns[0] is PRINTED:
        return list(kind_columns[1:])
    extra = list(kind_columns)
    if NO_AGE in extra:
        extra.remove(NO_AGE)
    elif AGE not in extra:
        extra = [*extra, AGE]
    return [(NAME_COLUMN, name_cell)] + [(AGE_COLUMN, age_cell) if c is AGE else c for c in extra]


def render_table(kind_columns: Sequence[Column], items: list[dict[str, Any]], resource_version: str = "",
                 continue_token: str = "", include_object: str = "Metadata", version: str = "v1",
                 now: float | None = None, remaining: int | None = None) -> bytes:
    """A ``Table`` with the kind's columns (its strategy's); ``now`` is the cluster clock's time, so ages
    follow a clock that tests move.  Rows carry the object as ``includeObject`` asks, in the Table's own
    ``meta.k8s.io`` version; with ``None`` kube-apiserver still writes the key, as ``null``."""
    if include_object not in _INCLUDE_OBJECT:
        raise errors.table_include_object_invalid(include_object)
    laid_out = _laid_out(kind_columns)
    now = time.time() if now is None else now
    rows = []
    for obj in items:
        row: dict[str, Any] = {"cells": [_shown(cell(obj), now) for _, cell in laid_out]}
        if include_object == "Object":
            row["object"] = obj
        elif include_object == "None":
            row["object"] = None
        else:
            row["object"] = partial_metadata(obj, version)
        rows.append(row)
    meta: dict[str, Any] = {}
    if resource_version:
        meta["resourceVersion"] = resource_version
    if continue_token:
        meta["continue"] = continue_token
    if remaining is not None:
        meta["remainingItemCount"] = remaining
    table = {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}", "metadata": meta,
             "columnDefinitions": [definition for definition, _ in laid_out], "rows": rows}
    return orjson.dumps(table)
