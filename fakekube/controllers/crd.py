"""The apiextensions server's CRD controllers: names, establishing, and cleanup on deletion.

kube-apiserver runs three loops over CRDs in-process (they are part of the API server, not of the
controller manager, so they always run):

* the **naming** controller accepts a CRD's requested names unless another CRD of the same group holds
  them (``status.acceptedNames`` and the ``NamesAccepted`` condition, ``Established`` set to
  ``Installing`` until the next step);
* the **establishing** controller then marks it ``Established`` (the resources are served from then on,
  and discovery lists them);
* the **finalizer** controller, once a CRD is marked for deletion (``customresourcecleanup``
  finalizer, ``Terminating``), deletes every custom resource (each with its own DELETED event),
  waits for those held by finalizers, and removes the finalizer, which deletes the CRD.

Each status change is a write through ``/status``, as upstream's ``UpdateStatus``, so watchers see the
same MODIFIED events in the same order.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.errors import StatusError
from fakekube.kinds.apiextensions import CLEANUP_FINALIZER, in_go_order
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.custom_resources import CRD_TABLE, condition_true, resources_for_crd
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import Registry
from fakekube.storage import DELETED, Event, Store

IDENTITY = Context(user=UserInfo("system:apiserver", ("system:authenticated", "system:masters")),
                   user_agent="kube-apiserver/v1 (linux/amd64) kubernetes/fakekube")
_NAME_FIELDS = (("plural", "PluralConflict"), ("singular", "SingularConflict"))
_KIND_FIELDS = (("kind", "KindConflict"), ("listKind", "ListKindConflict"))

Obj = dict[str, Any]


def set_condition(crd: Obj, condition: Obj, now: str) -> None:
    """``SetCRDCondition``: replace the condition of that type; its transition time moves only when its
    status does."""
    conditions = crd.setdefault("status", {}).setdefault("conditions", None) or []
    for i, old in enumerate(conditions):
        if old.get("type") == condition["type"]:
            moved = old.get("status") != condition["status"]
            conditions[i] = _go_condition(condition, now if moved else old.get("lastTransitionTime"))
            break
    else:
        conditions.append(_go_condition(condition, now))
    crd["status"]["conditions"] = conditions
    crd["status"] = in_go_order(crd["status"])


def _go_condition(condition: Obj, when: Any) -> Obj:
    return {"type": condition["type"], "status": condition["status"], "lastTransitionTime": when,
            "reason": condition["reason"], "message": condition["message"]}


def _condition(crd: Obj, kind: str) -> Obj | None:
    for cond in (crd.get("status") or {}).get("conditions") or ():
        if cond.get("type") == kind:
            return dict(cond)
    return None


def _cond(kind: str, status: str, reason: str, message: str) -> Obj:
    return {"type": kind, "status": status, "reason": reason, "message": message}


class CRDController:
    """Naming, establishing and cleanup of one cluster's CRDs."""

    name = "crd"

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._queue: dict[str, None] = {}  # CRD names to look at, in arrival order, once each
        self._cleaning: dict[str, str] = {}  # storage table of a CRD being cleaned up -> CRD name
        self._notify: Callable[[], None] = lambda: None

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        self._notify = notify
        store.subscribe(CRD_TABLE, self._on_crd)
        store.subscribe_all(self._on_any)

    def _enqueue(self, name: str) -> None:
        self._queue[name] = None
        self._notify()

    def _on_crd(self, event: Event) -> None:
        name = event.key[1]
        if event.type == DELETED:
            group = name.partition(".")[2]
            # the names it held are free: other CRDs of its group may now get theirs
            for (_, other), data in self.registry.store.iter_table(CRD_TABLE):
                if other.partition(".")[2] == group and b'"NamesAccepted","status":"True"' not in data:
                    self._enqueue(other)
            return
        self._enqueue(name)

    def _on_any(self, event: Event) -> None:
        """A custom resource of a CRD being cleaned up went away (its finalizers held it)."""
        if event.type == DELETED and event.table in self._cleaning:
            self._enqueue(self._cleaning[event.table])

    def has_work(self) -> bool:
        return bool(self._queue)

    @property
    def _crds(self) -> ResourceInfo:
        res = self.registry.catalog.get("apiextensions.k8s.io", "v1", "customresourcedefinitions")
        assert res is not None
        return res

    def process_one(self) -> None:
        name = next(iter(self._queue))
        del self._queue[name]
        try:
            crd = self.registry.get_object(IDENTITY, self._crds, "", name)
        except StatusError:
            return  # gone already
        if crd["metadata"].get("deletionTimestamp"):
            if CLEANUP_FINALIZER in (crd["metadata"].get("finalizers") or ()):
                self._clean_up(crd)
            return
        if self._accept_names(crd):
            return  # the status write brings the CRD back here to be established
        if condition_true(crd, "NamesAccepted") and not condition_true(crd, "Established"):
            updated = copy.deepcopy(crd)
            set_condition(updated, _cond("Established", "True", "InitialNamesAccepted",
                                         "the initial names have been accepted"), self._now())
            self._write_status(updated)

    def _now(self) -> str:
        return rfc3339(self.registry.now())

    def _write_status(self, crd: Obj) -> bool:
        try:
            self.registry.update(IDENTITY, self._crds, "", crd["metadata"]["name"], crd, "status")
        except StatusError as exc:
            if exc.code in (404, 409):  # deleted or changed meanwhile: its own event brings it back
                return False
            raise
        return True

    # --- naming -----------------------------------------------------------------------------------

    def _names_in_use(self, crd: Obj) -> tuple[set[str], set[str]]:
        """The resource names and kinds other CRDs of the group have been granted."""
        group = crd["spec"].get("group")
        resources: set[str] = set()
        kinds: set[str] = set()
        for (_, other), data in self.registry.store.iter_table(CRD_TABLE):
            if other == crd["metadata"]["name"]:
                continue
            obj = orjson.loads(data)
            if obj["spec"].get("group") != group:
                continue
            accepted = (obj.get("status") or {}).get("acceptedNames") or {}
            resources.update((accepted.get("plural", ""), accepted.get("singular", ""),
                              *(accepted.get("shortNames") or ())))
            kinds.update((accepted.get("kind", ""), accepted.get("listKind", "")))
        return resources, kinds

    def _accept_names(self, crd: Obj) -> bool:
        """The naming controller's pass; True if it wrote the status."""
        requested: Obj = crd["spec"].get("names") or {}
        status = crd.get("status") or {}
        accepted: Obj = status.get("acceptedNames") or {}
        if requested == accepted:
            return False
        resources, kinds = self._names_in_use(crd)
        new = dict(accepted)
        conflict: tuple[str, str] | None = None

        def claim(fields: tuple[tuple[str, str], ...], used: set[str]) -> None:
            """``equalToAcceptedOrFresh`` per name: kept if it is already ours or nobody else holds it."""
            nonlocal conflict
            for field, reason in fields:
                wanted = requested.get(field, "")
                if wanted == accepted.get(field, "") or wanted not in used:
                    _set(new, field, wanted)
                else:
                    conflict = (reason, errors.crd_name_in_use(wanted))

        claim(_NAME_FIELDS, resources)
        if (requested.get("shortNames") or None) != (accepted.get("shortNames") or None):
            mine = set(accepted.get("shortNames") or ())
            taken = [errors.crd_name_in_use(s) for s in requested.get("shortNames") or ()
                     if s not in mine and s in resources]
            if taken:
                conflict = ("ShortNamesConflict", taken[0] if len(taken) == 1 else "[" + ", ".join(taken) + "]")
            else:
                _set(new, "shortNames", requested.get("shortNames"))
        claim(_KIND_FIELDS, kinds)
        _set(new, "categories", requested.get("categories"))
        names_accepted = (_cond("NamesAccepted", "False", *conflict) if conflict else
                          _cond("NamesAccepted", "True", "NoConflicts", "no conflicts found"))
        established = _condition(crd, "Established") or _cond("Established", "False", "NotAccepted",
                                                               "not all names are accepted")
        if established.get("status") != "True" and not conflict:
            established = _cond("Established", "False", "Installing", "the initial names have been accepted")
        old_names_accepted = _condition(crd, "NamesAccepted")
        if new == accepted and old_names_accepted is not None and all(
                old_names_accepted.get(k) == names_accepted[k] for k in ("status", "reason", "message")):
            return False
        updated = copy.deepcopy(crd)
        updated.setdefault("status", {})["acceptedNames"] = new
        now = self._now()
        set_condition(updated, names_accepted, now)
        established.pop("lastTransitionTime", None)
        set_condition(updated, established, now)
        return self._write_status(updated)

    # --- cleanup ----------------------------------------------------------------------------------

    def _clean_up(self, crd: Obj) -> None:
        """The finalizer controller: delete every instance, then let the CRD go."""
        updated = copy.deepcopy(crd)
        now = self._now()
        set_condition(updated, _cond("Terminating", "True", "InstanceDeletionInProgress",
                                     "CustomResource deletion is in progress"), now)
        if updated != crd:
            if not self._write_status(updated):
                return
            crd = self.registry.get_object(IDENTITY, self._crds, "", crd["metadata"]["name"])
        if self._overlaps_builtin(crd):  # its table is a built-in's: nothing in it is the CRD's to delete
            final = _cond("Terminating", "False", "OverlappingBuiltInResource",
                          "instances overlap with built-in resources in storage")
        elif condition_true(crd, "Established"):
            remaining = self._delete_instances(crd)
            if remaining:
                return  # an instance held by finalizers: its DELETED event brings the CRD back
            final = _cond("Terminating", "False", "InstanceDeletionCompleted", "removed all instances")
        else:
            final = _cond("Terminating", "False", "NeverEstablished", "resource was never established")
        updated = copy.deepcopy(crd)
        set_condition(updated, final, now)
        updated["metadata"]["finalizers"] = [
            f for f in updated["metadata"].get("finalizers") or () if f != CLEANUP_FINALIZER]
        self._cleaning = {t: n for t, n in self._cleaning.items() if n != crd["metadata"]["name"]}
        self._write_status(updated)

    def _overlaps_builtin(self, crd: Obj) -> bool:
        group, plural = crd["spec"]["group"], crd["spec"]["names"]["plural"]
        return any(r.group == group and r.plural == plural and not r.is_custom
                   for r in self.registry.catalog.resources())

    def _delete_instances(self, crd: Obj) -> bool:
        """Delete every custom resource of the CRD; True if some remain (held by finalizers)."""
        group = crd["spec"]["group"]
        plural = crd["spec"]["names"]["plural"]
        res = next((r for r in self.registry.catalog.resources()
                    if r.group == group and r.plural == plural and r.is_custom), None)
        if res is None:  # no version served: its objects are still stored, and go (upstream uses the storage)
            res = next((r for r in resources_for_crd(crd, self.registry.catalog.kubernetes_version, served_only=False)
                        if r.api_version == r.storage_version), None)
        if res is None:
            return False
        self._cleaning[res.storage_key] = crd["metadata"]["name"]
        store = self.registry.store
        remaining = False
        for (namespace, name), data in list(store.iter_table(res.storage_key)):
            if b'"deletionTimestamp"' in data:
                remaining = True
                continue
            try:
                self.registry.delete(IDENTITY, res, namespace, name)
            except StatusError as exc:
                if exc.code != 404:
                    raise
            if store.get(res.storage_key, (namespace, name)) is not None:
                remaining = True
        return remaining


def _set(names: Obj, field: str, value: Any) -> None:
    """Accepted names keep Go's omitempty: an empty singular, listKind or list is left out."""
    if value or field in ("plural", "kind"):
        names[field] = value if value is not None else ""
    else:
        names.pop(field, None)
