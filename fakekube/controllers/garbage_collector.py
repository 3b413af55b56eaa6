"""The garbage collector: dependents go when their owners go, as kube-controller-manager's does.

Fed by the store's change feed and its owner index (owner uid -> dependents), it keeps three kinds
of work, each keyed by a stored object:

* **attempt**: a dependent whose owners may be gone.  Each ``ownerReferences`` entry is classified as
  upstream does: *dangling* (no such object in the dependent's namespace, or cluster-wide for a
  cluster-scoped owner kind, or one with another uid), *waiting* (the owner is being deleted in the
  foreground) or *solid*.  With a solid owner the dependent stays and loses its dangling and waiting
  references; without one it is deleted (in the foreground when an owner waits for it and it has
  dependents of its own, else by the policy its own finalizers ask for, else in the background).  A
  reference whose kind is not served is solid (upstream retries it forever and deletes nothing), and
  a cluster-scoped dependent naming a namespaced owner kind is left alone.
* **foreground**: an owner deleted with ``propagationPolicy=Foreground`` (the ``foregroundDeletion``
  finalizer): every dependent is attempted; the finalizer is removed (and the owner goes) once no
  dependent with ``blockOwnerDeletion: true`` is left.
* **orphan**: an owner deleted with ``Orphan``: its dependents lose their reference to it, then the
  ``orphan`` finalizer is removed.

A dependent naming an owner that lives in another namespace gets the ``OwnerRefInvalidNamespace``
warning Event, as upstream reports it.  Writes go through the registry as the
``generic-garbage-collector`` service account; merge patches carry the uid as a precondition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.controllers.lookup import resource_for_table
from fakekube.errors import StatusError
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.delete import FOREGROUND_FINALIZER, ORPHAN_FINALIZER
from fakekube.registry.patching import MERGE_PATCH
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import ADDED, DELETED, Event, Key, Store

IDENTITY = Context(user=UserInfo("system:serviceaccount:kube-system:generic-garbage-collector",
                                 ("system:serviceaccounts", "system:serviceaccounts:kube-system",
                                  "system:authenticated")),
                   user_agent="kube-controller-manager/v1 (linux/amd64) kubernetes/fakekube")
EVENT_SOURCE = "garbage-collector-controller"
ATTEMPT, FOREGROUND, ORPHAN = "attempt", "foreground", "orphan"
Work = tuple[str, str, Key]  # (what, table, key)


def _deleting(meta: dict[str, Any], finalizer: str) -> bool:
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or [])


class GarbageCollector:
    name = "garbage-collector"

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.store = registry.store
        self._queue: dict[Work, None] = {}
        self._reported: set[tuple[str, str]] = set()  # (dependent uid, owner uid) already given an Event
        self._events = 0  # Events recorded, to keep their names apart on a clock that stands still
        self._notify: Callable[[], None] = lambda: None

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        self._notify = notify
        store.subscribe_all(self._on_event)

    # --- the change feed ------------------------------------------------------------------------

    def _enqueue(self, what: str, table: str, key: Key) -> None:
        self._queue[(what, table, key)] = None
        self._notify()

    def _on_event(self, event: Event) -> None:
        data = event.data
        if event.type == DELETED:
            if self.store.has_dependents() or b'"ownerReferences"' in data:
                self._on_deleted(event)
            return
        had_owners = event.prev is not None and b'"ownerReferences"' in event.prev
        if (b'"ownerReferences"' in data or had_owners) and (event.type == ADDED or self._owners_changed(event)):
            if b'"ownerReferences"' in data:
                self._enqueue(ATTEMPT, event.table, event.key)
            if had_owners:
                self._released_owners(event)
        if b'"deletionTimestamp"' in data and (b'"orphan"' in data or b'"foregroundDeletion"' in data):
            self._on_deleting(event)

    @staticmethod
    def _owners_changed(event: Event) -> bool:
        prev = event.prev_obj()
        return prev is None or prev["metadata"].get("ownerReferences") != event.obj()["metadata"].get("ownerReferences")

    def _released_owners(self, event: Event) -> None:
        """A dependent dropped an owner or stopped blocking it: an owner waiting in the foreground may go on
        (upstream's ``addUnblockedOwnersToDeleteQueue``)."""
        prev = event.prev_obj()
        assert prev is not None
        blocking_now = {r.get("uid") for r in event.obj()["metadata"].get("ownerReferences") or []
                        if isinstance(r, dict) and r.get("blockOwnerDeletion") is True}
        for ref in prev["metadata"].get("ownerReferences") or []:
            if isinstance(ref, dict) and ref.get("blockOwnerDeletion") is True and ref.get("uid") not in blocking_now:
                found = self._owner_location(ref, event.key[0])
                if found is not None:
                    self._enqueue(FOREGROUND, *found)

    def _on_deleting(self, event: Event) -> None:
        """An owner starts being deleted in the foreground or with its dependents orphaned."""
        meta = event.obj()["metadata"]
        prev = event.prev_obj()
        old = prev["metadata"] if prev is not None else {}
        if _deleting(meta, ORPHAN_FINALIZER) and not _deleting(old, ORPHAN_FINALIZER):
            self._enqueue(ORPHAN, event.table, event.key)
        if _deleting(meta, FOREGROUND_FINALIZER) and not _deleting(old, FOREGROUND_FINALIZER):
            for table, key in self.store.dependents(meta.get("uid", "")):
                self._enqueue(ATTEMPT, table, key)
            self._enqueue(FOREGROUND, event.table, event.key)

    def _on_deleted(self, event: Event) -> None:
        """An object went: its dependents may be garbage now, and an owner waiting for it may go on."""
        meta = event.obj()["metadata"]
        for table, key in self.store.dependents(meta.get("uid", "")):
            self._enqueue(ATTEMPT, table, key)
        for ref in meta.get("ownerReferences") or []:
            found = self._owner_location(ref, event.key[0])
            if found is not None:
                self._enqueue(FOREGROUND, *found)

    # --- work -----------------------------------------------------------------------------------

    def has_work(self) -> bool:
        return bool(self._queue)

    def process_one(self) -> None:
        work = next(iter(self._queue))
        del self._queue[work]
        what, table, key = work
        try:
            if what == ATTEMPT:
                self._attempt(table, key)
            elif what == FOREGROUND:
                self._foreground(table, key)
            else:
                self._orphan(table, key)
        except StatusError as exc:
            if exc.code not in (404, 409):  # gone or changed meanwhile: its next event brings it back
                raise

    def _load(self, table: str, key: Key) -> dict[str, Any] | None:
        data = self.store.get(table, key)
        return None if data is None else orjson.loads(data)

    def _owner_location(self, ref: Any, namespace: str) -> tuple[str, Key] | None:
        """Where the owner a reference names would be stored (None if its kind is not served or it is namespaced
        and the dependent is not)."""
        if not isinstance(ref, dict):
            return None
        res = self.registry.catalog.by_api_version(str(ref.get("apiVersion", "")), str(ref.get("kind", "")))
        if res is None or (res.namespaced and not namespace):
            return None
        return res.storage_key, (namespace if res.namespaced else "", str(ref.get("name", "")))

    def _attempt(self, table: str, key: Key) -> None:
        obj = self._load(table, key)
        if obj is None:
            return
        meta = obj["metadata"]
        if _deleting(meta, FOREGROUND_FINALIZER):
            self._foreground(table, key)
            return
        refs = [r for r in meta.get("ownerReferences") or [] if isinstance(r, dict)]
        if meta.get("deletionTimestamp") or not refs:
            return  # being deleted is a one-way trip; its dependents are handled when it is gone
        classified: dict[str, list[dict[str, Any]]] = {"solid": [], "dangling": [], "waiting": []}
        for ref in refs:
            state = self._classify(ref, table, key, meta)
            if state is None:
                return  # a cluster-scoped object naming a namespaced owner: nothing upstream would do either
            classified[state].append(ref)
        solid, dangling, waiting = classified["solid"], classified["dangling"], classified["waiting"]
        res = resource_for_table(self.registry.catalog, table)
        if res is None:
            return
        if solid:
            if dangling or waiting:
                gone = {r.get("uid") for r in (*dangling, *waiting)}
                self._set_owner_refs(res, key, meta, [r for r in refs if r.get("uid") not in gone])
            return
        if waiting and self.store.dependents(meta.get("uid", "")):
            if self._dependent_waits(meta.get("uid", "")):
                # an owner waits for this object and this object for one of its dependents: as upstream,
                # it stops blocking its owners (else the two wait on each other for ever), then goes
                self._set_owner_refs(res, key, meta, [{**r, "blockOwnerDeletion": False}
                                                      if r.get("blockOwnerDeletion") is True else r for r in refs])
            policy = "Foreground"
        elif ORPHAN_FINALIZER in (meta.get("finalizers") or []):
            policy = "Orphan"
        elif FOREGROUND_FINALIZER in (meta.get("finalizers") or []):
            policy = "Foreground"
        else:
            policy = "Background"
        self.registry.delete(IDENTITY, res, key[0], key[1],
                             DeleteOptions(uid=meta.get("uid"), propagation_policy=policy))

    def _dependent_waits(self, uid: str) -> bool:
        """Whether a dependent of ``uid`` is itself being deleted in the foreground."""
        for table, key in self.store.dependents(uid):
            dependent = self._load(table, key)
            if dependent is not None and _deleting(dependent["metadata"], FOREGROUND_FINALIZER):
                return True
        return False

    def _classify(self, ref: dict[str, Any], table: str, key: Key, meta: dict[str, Any]) -> str | None:
        res = self.registry.catalog.by_api_version(str(ref.get("apiVersion", "")), str(ref.get("kind", "")))
        if res is None:
            return "solid"  # not a served kind: upstream cannot resolve it and keeps retrying
        if res.namespaced and not key[0]:
            return None
        owner = self._load(res.storage_key, (key[0] if res.namespaced else "", str(ref.get("name", ""))))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            if owner is None and res.namespaced:
                self._report_other_namespace(res, ref, table, key, meta)
            return "dangling"
        if _deleting(owner["metadata"], FOREGROUND_FINALIZER):
            return "waiting"
        return "solid"

    def _report_other_namespace(self, res: ResourceInfo, ref: dict[str, Any], table: str, key: Key,
                                meta: dict[str, Any]) -> None:
        """The owner exists, but in another namespace: a warning Event on the dependent, once."""
        uid, owner_uid, name = meta.get("uid", ""), ref.get("uid", ""), ref.get("name", "")
        if (uid, owner_uid) in self._reported:
            return
        elsewhere = any(k[1] == name and k[0] != key[0] and b'"%s"' % owner_uid.encode() in data
                        for k, data in self.store.iter_table(res.storage_key))
        if not elsewhere:
            return
        self._reported.add((uid, owner_uid))
        dependent = resource_for_table(self.registry.catalog, table, "get")
        events = self.registry.catalog.get("", "v1", "events")
        if dependent is None or events is None:
            return
        now = self.registry.now()
        self._events += 1
        message = errors.owner_ref_invalid_namespace(str(ref.get("apiVersion", "")), str(ref.get("kind", "")),
                                                     name, owner_uid, key[0])
        stamp = rfc3339(now)
        event = {
            "metadata": {"name": f"{key[1]}.{int(now * 1e9) + self._events:x}", "namespace": key[0]},
            "involvedObject": {"kind": dependent.kind, "namespace": key[0], "name": key[1], "uid": uid,
                               "apiVersion": dependent.api_version},
            "reason": "OwnerRefInvalidNamespace", "message": message, "source": {"component": EVENT_SOURCE},
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1, "type": "Warning",
            "eventTime": None, "reportingComponent": EVENT_SOURCE, "reportingInstance": ""}
        try:
            self.registry.create(IDENTITY, events, key[0], event)
        except StatusError:  # recording is best effort, as an event recorder's is: the collection goes on
            pass

    def _set_owner_refs(self, res: ResourceInfo, key: Key, meta: dict[str, Any], refs: list[dict[str, Any]]) -> None:
        patch = {"metadata": {"ownerReferences": refs or None, "uid": meta.get("uid")}}
        self.registry.patch(IDENTITY, res, key[0], key[1], MERGE_PATCH, patch)

    def _remove_finalizer(self, res: ResourceInfo, key: Key, meta: dict[str, Any], finalizer: str) -> None:
        rest = [f for f in meta.get("finalizers") or [] if f != finalizer]
        patch = {"metadata": {"finalizers": rest or None, "uid": meta.get("uid"),
                              "resourceVersion": meta.get("resourceVersion")}}
        self.registry.patch(IDENTITY, res, key[0], key[1], MERGE_PATCH, patch)

    def _foreground(self, table: str, key: Key) -> None:
        owner = self._load(table, key)
        if owner is None or not _deleting(owner["metadata"], FOREGROUND_FINALIZER):
            return
        meta = owner["metadata"]
        uid = meta.get("uid", "")
        blocking = []
        for dep_table, dep_key in self.store.dependents(uid):
            dependent = self._load(dep_table, dep_key)
            if dependent is None:
                continue
            if any(isinstance(r, dict) and r.get("uid") == uid and r.get("blockOwnerDeletion") is True
                   for r in dependent["metadata"].get("ownerReferences") or []):
                blocking.append((dep_table, dep_key, dependent["metadata"]))
        if not blocking:
            res = resource_for_table(self.registry.catalog, table)
            if res is not None:
                self._remove_finalizer(res, key, meta, FOREGROUND_FINALIZER)
            return
        for dep_table, dep_key, dep_meta in blocking:
            if not _deleting(dep_meta, FOREGROUND_FINALIZER) and not dep_meta.get("deletionTimestamp"):
                self._enqueue(ATTEMPT, dep_table, dep_key)

    def _orphan(self, table: str, key: Key) -> None:
        owner = self._load(table, key)
        if owner is None or not _deleting(owner["metadata"], ORPHAN_FINALIZER):
            return
        meta = owner["metadata"]
        uid = meta.get("uid", "")
        for dep_table, dep_key in self.store.dependents(uid):
            dependent = self._load(dep_table, dep_key)
            res = resource_for_table(self.registry.catalog, dep_table)
            if dependent is None or res is None:
                continue
            refs = [r for r in dependent["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
            try:
                self._set_owner_refs(res, dep_key, dependent["metadata"], refs)
            except StatusError as exc:
                if exc.code != 404:
                    raise
        res = resource_for_table(self.registry.catalog, table)
        if res is not None:
            self._remove_finalizer(res, key, meta, ORPHAN_FINALIZER)
