"""Table columns (``kubectl get``) as data: a column definition and a cell function per column.

Every kind shows Name first and Age, placed where the kind's list puts ``AGE`` (at the end when it
does not); a kind's strategy carries its own columns (``Strategy.columns``), as kube-apiserver's
printers register them per kind (``pkg/printers/internalversion``).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fakekube.kinds.strategy import Cell, Column, Obj


def column(name: str, kind: str = "string", priority: int = 0) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": "", "description": "", "priority": priority}




def _no_cell(obj: Obj) -> Any:
    return None


# Marks where the Age column goes; columns after it are usually the wide (priority 1) ones.
AGE: Column = ({"name": "Age"}, _no_cell)


def joined(values: Iterable[str]) -> str:
    return ",".join(values) or "<none>"


def spec(obj: Obj) -> dict[str, Any]:
    value = obj.get("spec")
    return value if isinstance(value, dict) else {}


def status(obj: Obj) -> dict[str, Any]:
    value = obj.get("status")
    return value if isinstance(value, dict) else {}


def cell(fn: Cell) -> Cell:
    return fn


# Marks a table without an Age column: a CRD's table shows exactly the columns it declares.
NO_AGE: Column = ({"name": ""}, _no_cell)

# Leads a complete table, as a built-in kind's printer defines it (``kinds/printers.py``): the columns after it
# are all the table's, Name and Age among them where the printer puts them (an Event's Name comes last).
PRINTED: Column = ({"name": ""}, _no_cell)


def name_cell(obj: Obj) -> Any:
    return (obj.get("metadata") or {}).get("name", "")


@dataclass(frozen=True)
class Since:
    """A date cell (a CRD column of type ``date``), shown as the time since ``seconds`` (kubectl's ages), so
    the table renderer computes it with the cluster's clock; ``None`` is an unset time (``<unknown>``)."""

    seconds: float | None


def since(stamp: Any) -> Since:
    """A date cell from an RFC 3339 time (``metav1.Time`` or ``MicroTime``); unset or unreadable is ``<unknown>``,
    as the printers' ``translateTimestampSince`` shows a zero time."""
    return Since(parse_time(stamp))


def parse_time(stamp: Any) -> float | None:
    """Seconds since the epoch of an RFC 3339 time in UTC (``Z``, optional fraction), else None."""
    if not isinstance(stamp, str) or not stamp.endswith("Z"):
        return None
    whole, _, fraction = stamp[:-1].partition(".")
    try:
        seconds = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    return seconds + (float("0." + fraction) if fraction.isdigit() else 0.0)


def age_cell(obj: Obj) -> Since:
    return since((obj.get("metadata") or {}).get("creationTimestamp"))


# kube-apiserver describes a Name column and the default table's Created At (and a CRD's default Age) with
# metav1.ObjectMeta's API documentation of name and creationTimestamp.  The repository keeps no upstream API
# documentation, so these columns go out without a description (the conformance recordings leave column
# descriptions out for the same reason); a printer's own short texts are kept (``printer_columns.json``).
CREATION_TIMESTAMP_DESCRIPTION = ""
NAME_DESCRIPTION = ""
NAME_COLUMN = {"name": "Name", "type": "string", "format": "name", "description": NAME_DESCRIPTION, "priority": 0}
AGE_COLUMN = {"name": "Age", "type": "string", "format": "", "description": CREATION_TIMESTAMP_DESCRIPTION,
              "priority": 0}
CREATED_AT_COLUMN = {"name": "Created At", "type": "date", "format": "", "description": CREATION_TIMESTAMP_DESCRIPTION,
                     "priority": 0}


def _created_at(obj: Obj) -> Any:
    return (obj.get("metadata") or {}).get("creationTimestamp")


# kube-apiserver's default table (``rest.NewDefaultTableConvertor``), for resources without printers of their
# own (CustomResourceDefinitions up to v1.36): Name, then the creation time as an RFC 3339 date, no Age.
DEFAULT_CONVERTOR: tuple[Column, ...] = (NO_AGE, (CREATED_AT_COLUMN, _created_at))


def described(name: str, kind: str, description: str, priority: int = 0) -> dict[str, Any]:
    """A column definition with its description (the printers of ``pkg/printers`` leave it out; others keep it)."""
    return {"name": name, "type": kind, "format": "", "description": description, "priority": priority}
