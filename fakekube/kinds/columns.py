"""Table columns (``kubectl get``) as data: a column definition and a cell function per column.

Every kind shows Name first and Age, placed where the kind's list puts ``AGE`` (at the end when it
does not); a kind's strategy carries its own columns (``Strategy.columns``), as kube-apiserver's
printers register them per kind (``pkg/printers/internalversion``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fakekube.kinds.strategy import Cell, Column, Obj


def column(name: str, kind: str = "string", priority: int = 0) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": "", "description": "", "priority": priority}


AGE_COLUMN = {"name": "Age", "type": "string", "format": "", "description": "CreationTimestamp is a timestamp "
              "representing the server time when this object was created.", "priority": 0}


def _no_cell(obj: Obj) -> Any:
    return None


# Marks where the Age column goes; columns after it are usually the wide (priority 1) ones.
AGE: Column = (AGE_COLUMN, _no_cell)


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


@dataclass(frozen=True)
class Since:
    """A date cell (a CRD column of type ``date``), shown as the time since ``seconds`` (kubectl's ages), so
    the table renderer computes it with the cluster's clock; ``None`` is an unset time (``<unknown>``)."""

    seconds: float | None


# metav1.ObjectMeta's documentation of creationTimestamp (``SwaggerDoc()["creationTimestamp"]``), which the
# default table's Created At column and a CRD's default Age column describe themselves with.
CREATION_TIMESTAMP_DESCRIPTION = (
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
    "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. "
    "It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. "
    "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
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
