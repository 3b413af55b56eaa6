"""Ownership bookkeeping of updates and applies, as structured-merge-diff's ``merge.Updater``.

``managers`` maps a manager's identity to the set of fields it owns (a ``VersionedSet``: the set, the
API version it was recorded in, whether it came from an apply).  An *update* takes the fields it
changed away from everyone else; an *apply* merges a configuration into the object, removes what the
manager applied before and no longer applies (unless someone else owns it), and fails with
``Conflicts`` where it would change a field another manager owns, unless forced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from fakekube.managedfields import fieldpath, typed
from fakekube.managedfields.fieldpath import FieldSet, Path
from fakekube.schema.model import Schema

ManagerKey = tuple[str, str, str, str]  # (manager, operation, apiVersion, subresource)


@dataclass(frozen=True)
class VersionedSet:
    fields: FieldSet
    api_version: str
    applied: bool


Managers = dict[ManagerKey, VersionedSet]


class Conflict(NamedTuple):
    manager: ManagerKey
    path: Path


class Conflicts(Exception):
    """Fields an apply would change that other managers own."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(conflicts)
        self.conflicts = conflicts


class Updater:
    """One type's updater: its schema and the fields its strategy resets (never owned, never in conflict)."""

    def __init__(self, schema: Schema | None, ignored: FieldSet | None = None):
        self.schema = schema
        self.ignored: FieldSet = ignored or {}

    def _compare(self, old: Any, new: Any) -> typed.Comparison:
        compared = typed.compare(old, new, self.schema)
        if self.ignored:
            compared.added = fieldpath.without_under(compared.added, self.ignored)
            compared.modified = fieldpath.without_under(compared.modified, self.ignored)
            compared.removed = fieldpath.without_under(compared.removed, self.ignored)
        return compared

    def _settle(self, old: Any, new: Any, managers: Managers, workflow: ManagerKey, force: bool
                ) -> typed.Comparison:
        """Takes what changed from every manager but ``workflow``; without ``force`` that is a conflict."""
        compared = self._compare(old, new)
        if compared.is_same():
            return compared
        changed = fieldpath.union(compared.modified, compared.added)
        conflicts: dict[ManagerKey, FieldSet] = {}
        if changed:
            for key, owned in managers.items():
                if key != workflow:
                    taken = fieldpath.intersection(owned.fields, changed)
                    if taken:
                        conflicts[key] = taken
        if conflicts and not force:
            raise Conflicts([Conflict(key, path) for key, taken in conflicts.items()
                             for path in fieldpath.paths(taken)])
        for key, owned in list(managers.items()):
            if key == workflow:
                continue
            rest = owned.fields
            if key in conflicts:
                rest = fieldpath.difference(rest, conflicts[key])
            rest = fieldpath.difference(rest, compared.removed)
            if not rest:
                del managers[key]
            elif rest is not owned.fields:
                managers[key] = VersionedSet(rest, owned.api_version, owned.applied)
        return compared

    def update(self, old: Any, new: Any, version: str, managers: Managers, manager: ManagerKey) -> Managers:
        """``Updater.Update``: ``manager`` owns what it changed; the others lose it."""
        managers = dict(managers)
        compared = self._settle(old, new, managers, manager, force=True)
        if compared.is_same():
            return managers
        previous = managers.get(manager)
        owned = fieldpath.difference(previous.fields, compared.removed) if previous is not None else {}
        owned = fieldpath.union(fieldpath.union(owned, compared.modified), compared.added)
        owned = fieldpath.without_under(owned, self.ignored)
        if owned:
            managers[manager] = VersionedSet(owned, version, False)
        else:
            managers.pop(manager, None)
        return managers

    def apply(self, live: Any, config: Any, version: str, managers: Managers, manager: ManagerKey, force: bool
              ) -> tuple[Any, Managers]:
        """``Updater.Apply``: the merged object (``None`` when it equals ``live``) and the new ownership."""
        managers = dict(managers)
        applied = fieldpath.without_under(typed.to_field_set(config, self.schema), self.ignored)  # types it too
        merged = typed.merge(live, config, self.schema)
        last = managers.get(manager)
        managers[manager] = VersionedSet(applied, version, True)
        if last is not None and last.fields and fieldpath.difference(last.fields, applied):
            merged = self._prune(merged, managers, last.fields)  # it applied something last time it does not now
        if any(key != manager for key in managers):  # others may own what changed
            self._settle(live, merged, managers, manager, force)
        if not applied:
            del managers[manager]
        return (None if merged == live else merged), managers

    def _prune(self, merged: Any, managers: Managers, last: FieldSet) -> Any:
        """Removes what the manager applied last time, no longer applies, and nobody else owns
        (``Updater.prune``: its remove, add-back-owned and add-back-dangling passes come to removing the
        paths of the last set, named fields included, that no manager's set holds)."""
        schema = self.schema
        owned: FieldSet = {}
        for entry in managers.values():
            owned = fieldpath.union(owned, entry.fields)
        gone = fieldpath.difference(typed.with_named_fields(last, schema), typed.with_named_fields(owned, schema))
        return typed.remove_items(merged, gone, schema) if gone else merged
