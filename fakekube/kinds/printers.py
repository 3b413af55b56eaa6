"""A built-in kind's table as kube-apiserver's printers define it (``pkg/printers/internalversion``), per release.

The column definitions (names, types, priorities and descriptions, in the printer's order) are generated
from each release's ``printers.go`` into ``schemas/v1.NN/printer_columns.json`` by ``python -m
schemas.generate_printer_columns``: they are part of every ``Table`` answer and change between releases, so
they are data, not code.  The cells are fakekube's: a kind's strategy carries some (``Strategy.columns``,
written where the kind lives) and ``printers_core`` / ``printers_workloads`` hold the rest, by kind and
column name.  The catalog builder asks ``with_printer_columns`` once per resource and release.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson

from fakekube.kinds import printers_core, printers_workloads
from fakekube.kinds.columns import AGE, NO_AGE, PRINTED, age_cell, name_cell
from fakekube.kinds.strategy import Cell, Column, Strategy
from fakekube.schema import files

# Cells of kinds whose strategies carry none, by kind and column name.
_CELLS: Mapping[str, Mapping[str, Cell]] = {**printers_core.CELLS, **printers_workloads.CELLS}


@functools.cache
def printer_columns(kubernetes_version: str) -> Mapping[str, tuple[Mapping[str, Any], ...]]:
    """Each printed kind's column definitions in one release; loaded once per process."""
    data = orjson.loads(files.read(kubernetes_version, "printer_columns.json"))["kinds"]
    return {kind: tuple(columns) for kind, columns in data.items()}


def printed_columns(kind: str, columns: tuple[Column, ...], kubernetes_version: str) -> tuple[Column, ...]:
    """The kind's complete table (led by ``PRINTED``) when its printer's every column has a cell; else its own
    columns with the printer's definitions for those it names, so what is known is still worded as upstream."""
    definitions = printer_columns(kubernetes_version).get(kind)
    if definitions is None or NO_AGE in columns:
        return columns
    cells: dict[str, Cell] = {"Name": name_cell, "Age": age_cell, **_CELLS.get(kind, {})}
    cells.update({column[0]["name"]: column[1] for column in columns if column is not AGE and column[0]["name"]})
    if all(definition["name"] in cells for definition in definitions):
        return (PRINTED, *((definition, cells[definition["name"]]) for definition in definitions))
    by_name = {definition["name"]: definition for definition in definitions}
    return tuple(column if column is AGE else (by_name.get(column[0]["name"], column[0]), column[1])
                 for column in columns)


def with_printer_columns(strategy: Strategy, kind: str, kubernetes_version: str) -> Strategy:
    """``strategy`` with the kind's table as the release prints it (the same strategy when nothing changes)."""
    columns = printed_columns(kind, strategy.columns, kubernetes_version)
    return strategy if columns == strategy.columns else replace(strategy, columns=columns)
