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

from fakekube.managedfields import typed
from fakekube.managedfields.fieldpath import EMPTY, FieldSet, Path
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

    def __init__(self, schema: Schema | None, ignored: FieldSet = EMPTY):
        self.schema = schema
        self.ignored = ignored

    def _compare(self, old: Any, new: Any) -> typed.Comparison:
        compared = typed.compare(old, new, self.schema)
        if not self.ignored.empty():
            compared.added = compared.added.without_leaves_under(self.ignored)
            compared.modified = compared.modified.without_leaves_under(self.ignored)
            compared.removed = compared.removed.without_leaves_under(self.ignored)
        return compared

    def _settle(self, old: Any, new: Any, managers: Managers, workflow: ManagerKey, force: bool
                ) -> typed.Comparison:
        """Takes what changed from every manager but ``workflow``; without ``force`` that is a conflict."""
        compared = self._compare(old, new)
        changed = compared.changed()
        conflicts: dict[ManagerKey, FieldSet] = {}
        for key, owned in managers.items():
            if key == workflow:
                continue
            taken = owned.fields.intersection(changed)
            if not taken.empty():
                conflicts[key] = taken
        if conflicts and not force:
            raise Conflicts([Conflict(key, path) for key, taken in conflicts.items() for path in taken.paths()])
        for key, owned in list(managers.items()):
            if key == workflow:
                continue
            rest = owned.fields
            if key in conflicts:
                rest = rest.difference(conflicts[key])
            if not compared.removed.empty():
                rest = rest.difference(compared.removed)
            if rest is not owned.fields:
                managers[key] = VersionedSet(rest, owned.api_version, owned.applied)
        for key in [key for key, owned in managers.items() if owned.fields.empty()]:
            del managers[key]
        return compared

    def update(self, old: Any, new: Any, version: str, managers: Managers, manager: ManagerKey) -> Managers:
        """``Updater.Update``: ``manager`` owns what it changed; the others lose it."""
        managers = dict(managers)
        compared = self._settle(old, new, managers, manager, force=True)
        if compared.is_same():
            return managers
        previous = managers.get(manager)
        owned = previous.fields if previous is not None else EMPTY
        owned = owned.difference(compared.removed).union(compared.modified).union(compared.added)
        owned = owned.without_leaves_under(self.ignored)
        if owned.empty():
            managers.pop(manager, None)
        else:
            managers[manager] = VersionedSet(owned, version, False)
        return managers

    def apply(self, live: Any, config: Any, version: str, managers: Managers, manager: ManagerKey, force: bool
              ) -> tuple[Any, Managers]:
        """``Updater.Apply``: the merged object (``None`` when it equals ``live``) and the new ownership."""
        managers = dict(managers)
        merged = typed.merge(live, config, self.schema)
        last = managers.get(manager)
        applied = typed.to_field_set(config, self.schema).without_leaves_under(self.ignored)
        managers[manager] = VersionedSet(applied, version, True)
        merged = self._prune(merged, managers, last)
        self._settle(live, merged, managers, manager, force)
        return (None if merged == live else merged), managers

    def _prune(self, merged: Any, managers: Managers, last: VersionedSet | None) -> Any:
        """Removes what ``last`` held and nobody owns any more (``Updater.prune``)."""
        if last is None or last.fields.empty():
            return merged
        schema = self.schema
        last_named = typed.with_named_fields(last.fields, schema)
        pruned = typed.remove_items(merged, last_named, schema)
        # Add back what another manager, or this manager's new configuration, owns.
        owned = EMPTY
        for entry in managers.values():
            owned = owned.union(entry.fields)
        merged_set = typed.with_named_fields(typed.to_field_set(merged, schema), schema)
        pruned_set = typed.with_named_fields(typed.to_field_set(pruned, schema), schema)
        pruned = typed.remove_items(
            merged, merged_set.difference(pruned_set.union(typed.with_named_fields(owned, schema))), schema)
        # Add back what the manager did not own before (``addBackDanglingItems``).
        pruned_set = typed.with_named_fields(typed.to_field_set(pruned, schema), schema)
        return typed.remove_items(merged, merged_set.difference(pruned_set).intersection(last_named), schema)
