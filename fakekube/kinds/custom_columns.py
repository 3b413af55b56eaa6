"""A CRD version's table: its ``additionalPrinterColumns``, or Age alone, as apiextensions-apiserver's
table convertor builds and fills it.

Each column's ``jsonPath`` is read as kubectl's JSONPath with missing keys allowed; a cell is the first value
found, formatted by the column's type: ``string`` prints any value as kubectl's JSONPath prints it (maps and
lists as JSON), ``integer``/``number``/``boolean`` keep only values of their kind, ``date`` shows the time
since an RFC 3339 timestamp (``<invalid>`` when it does not parse).  Nothing found is an empty cell
(``<none>`` in kubectl).  A column whose path does not parse ends the list: upstream falls back to the
columns built so far.  Name comes first (the renderer adds it); there is no Age column unless declared.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import Any

import orjson

from fakekube.go_text import go_float, go_json_escaped, go_time_parse_error
from fakekube.kinds import jsonpath
from fakekube.kinds.columns import CREATION_TIMESTAMP_DESCRIPTION, NO_AGE, Since
from fakekube.kinds.strategy import Cell, Column, Obj

DEFAULT_COLUMNS = ({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp",
                    "description": CREATION_TIMESTAMP_DESCRIPTION},)
_GO_JSON_FLOAT_LIMIT = 1e21


def _go_json_ready(value: Any) -> Any:
    """A value as encoding/json writes it: integral floats without a fraction (``3``, not ``3.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _GO_JSON_FLOAT_LIMIT:
        return int(value)
    if isinstance(value, list):
        return [_go_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _go_json_ready(v) for k, v in value.items()}
    return value


def printed(value: Any) -> str:
    """``JSONPath.PrintResults`` of one value: maps and lists as compact JSON (keys sorted, HTML escaped),
    anything else as Go's ``fmt.Fprint``; a JSON null is ``<no value>``."""
    if isinstance(value, (dict, list)):
        return go_json_escaped(orjson.dumps(_go_json_ready(value), option=orjson.OPT_SORT_KEYS).decode())
    if value is None:
        return "<no value>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def _timestamp(value: str) -> Any:
    """``metav1.Time.UnmarshalQueryParameter`` then ``ConvertToHumanReadableDateType``."""
    if value in ("", "null"):
        return Since(None)
    if go_time_parse_error(value) is not None:
        return "<invalid>"
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "<invalid>"
    return Since(calendar.timegm(when.utctimetuple()) + when.microsecond / 1e6)


def typed_cell(kind: str, value: Any) -> Any:
    """``cellForJSONValue``: the cell of a non-string column."""
    if value is None:
        return None
    if kind == "integer" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _go_json_ready(float(value))
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "date" and isinstance(value, str):
        return _timestamp(value)
    return None


def _cell(kind: str, path: jsonpath.JSONPath) -> Cell:
    def cell(obj: Obj) -> Any:
        value, found = jsonpath.first(path, obj)
        if not found:
            return None
        return printed(value) if kind == "string" else typed_cell(kind, value)
    return cell


def columns_for_version(version: Mapping[str, Any]) -> tuple[Column, ...]:
    """The version's columns after Name (and ``NO_AGE``: the table has exactly these)."""
    declared = version.get("additionalPrinterColumns") or DEFAULT_COLUMNS
    out: list[Column] = []
    for column in declared:
        path_text = str(column.get("jsonPath") or "")
        try:
            path = jsonpath.parse(path_text)
        except jsonpath.JSONPathError:
            break
        kind = str(column.get("type") or "")
        definition = {
            "name": str(column.get("name") or ""), "type": kind, "format": str(column.get("format") or ""),
            # the default Age column carries ObjectMeta's documentation upstream, which is not shipped: empty
            "description": "" if column is DEFAULT_COLUMNS[0] else column.get("description") or
            f"Custom resource definition column (in JSONPath format): {path_text}",
            "priority": int(column.get("priority") or 0),
        }
        out.append((definition, _cell(kind, path)))
    return (*out, NO_AGE)
