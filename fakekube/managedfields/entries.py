"""``metadata.managedFields`` as kube-apiserver reads and writes it.

Each entry is one manager's ownership: ``manager``, ``operation`` (``Apply`` or ``Update``),
``apiVersion``, ``time``, ``fieldsType: FieldsV1``, ``fieldsV1`` and ``subresource``.  A manager is
identified by its name, operation and subresource, and for updates also by the API version
(``BuildManagerIdentifier``): an applier owns one set whatever version it applies in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from fakekube.go_text import go_quote
from fakekube.managedfields import fieldpath
from fakekube.managedfields.merge import ManagerKey, Managers, VersionedSet

APPLY, UPDATE = "Apply", "Update"
Times = dict[ManagerKey, str]


def manager_key(manager: str, operation: str, api_version: str, subresource: str) -> ManagerKey:
    return (manager, operation, "" if operation == APPLY else api_version, subresource)


def identity(key: ManagerKey) -> str:
    """The identifier JSON kube builds for a manager (its sort order in conflict messages)."""
    manager, operation, api_version, subresource = key
    parts = {"manager": manager, "operation": operation, "apiVersion": api_version, "subresource": subresource}
    return orjson.dumps({k: v for k, v in parts.items() if v}).decode()


def printed(key: ManagerKey) -> str:
    """A manager as conflict messages name it: ``"kubectl"``, ``"kubelet" with subresource "status" using v1``."""
    manager, operation, api_version, subresource = key
    out = go_quote(manager)
    if subresource:
        out += f" with subresource {go_quote(subresource)}"
    if operation == UPDATE:
        out += f" using {api_version}"
    return out


def is_reset(entries: Any) -> bool:
    """``[]`` or ``[{}]``: a non-apply write that clears the object's managed fields."""
    return isinstance(entries, list) and (not entries or (len(entries) == 1 and entries[0] == {}))


def decode(entries: Any, trusted: bool = False) -> tuple[Managers, Times]:
    """Parses ``managedFields``; raises ``ValueError`` with kube's wording where an entry is not valid.
    ``trusted``: entries as stored (written or checked by this module before), whose sets need no check."""
    managers: Managers = {}
    times: Times = {}
    if entries is None:
        return managers, times
    if not isinstance(entries, list):
        raise ValueError("managedFields must be a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ValueError(f"managed fields entry {i} is not an object")
        operation = entry.get("operation")
        if operation not in (APPLY, UPDATE):
            raise ValueError("operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion")
        if not api_version or not isinstance(api_version, str):
            raise ValueError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType")
        if not fields_type:
            raise ValueError(f"missing fieldsType in managed fields entry {i}")
        if fields_type != "FieldsV1":
            raise ValueError(f'invalid fieldsType "{fields_type}" in managed fields entry {i}')
        fields = entry.get("fieldsV1") or {}
        if not trusted:
            try:
                fields = fieldpath.canonical(fields)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"error decoding versioned set from entry {i}: {exc}") from None
        key = manager_key(str(entry.get("manager") or ""), operation, api_version, str(entry.get("subresource") or ""))
        managers[key] = VersionedSet(fields, api_version, operation == APPLY)
        if isinstance(entry.get("time"), str):
            times[key] = entry["time"]
    return managers, times


def encode(managers: Managers, times: Times, unchanged: Managers | None = None) -> list[dict[str, Any]]:
    """The ``managedFields`` list, sorted as kube sorts it: applies first, then oldest first, then by name.
    Sets found in ``unchanged`` (as read from the stored object) are written as they were."""
    out: list[dict[str, Any]] = []
    for key, owned in managers.items():
        manager, _, _, subresource = key
        entry: dict[str, Any] = {"manager": manager, "operation": APPLY if owned.applied else UPDATE,
                                 "apiVersion": owned.api_version}
        if key in times:
            entry["time"] = times[key]
        entry["fieldsType"] = "FieldsV1"
        same = unchanged.get(key) if unchanged is not None else None
        entry["fieldsV1"] = owned.fields if same is not None and same.fields is owned.fields \
            else fieldpath.sorted_fields(owned.fields)
        if subresource:
            entry["subresource"] = subresource
        if not manager:
            del entry["manager"]
        out.append(entry)
    out.sort(key=lambda e: (e["operation"], e.get("time", ""), e.get("manager", ""), e["apiVersion"],
                            e.get("subresource", "")))
    return out
