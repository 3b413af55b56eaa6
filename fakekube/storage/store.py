"""A versioned in-memory key-value store, modelled on kube-apiserver's storage.Interface over etcd.

Objects are kept as serialized JSON bytes (not dicts): CPython's cyclic GC never walks bytes, so
create latency stays flat as the store grows, and a GET can return the stored bytes untouched.
One global revision counter stamps every write, as etcd's revision does; a bounded history of
changes serves watches from a past revision and lists at a past revision (paging snapshots).

Nothing here knows HTTP, kinds or validation; the registry gives it finished objects.
All methods are synchronous and must be called from one thread (the cluster's event loop).
"""

from __future__ import annotations

import bisect
import heapq
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube.storage.owner_index import OwnerIndex, owner_uids

Key = tuple[str, str]  # (namespace, name); namespace is "" for cluster-scoped objects


def etcd_order(key: Key) -> tuple[str, str]:
    """Where a key sorts in etcd, whose keys are ``<namespace>/<name>`` strings: as (namespace + "/", name),
    so ``ns-b/a`` comes before ``ns/a`` ('-' sorts before '/'), as lists across namespaces show it."""
    return (key[0] + "/", key[1])


def _namespace_bounds(namespace: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The ``etcd_order`` range of a namespace's keys: "0" is the character after "/"."""
    return (namespace + "/", ""), (namespace + "0", "")
PARSED_CACHE_SPAN = 2048  # events whose parsed form stays cached for watchers (>= any watch buffer)

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"


class StorageError(Exception):
    """Base of the conditions the registry turns into API errors."""


class KeyExistsError(StorageError):
    pass


class KeyNotFoundError(StorageError):
    pass


class ConflictError(StorageError):
    """The object changed since the revision the caller based its write on."""


class TooOldError(StorageError):
    """The requested revision is older than the retained history (etcd: compacted).

    The message is kube-apiserver's: the requested revision, then the newest one no longer retained.
    """

    def __init__(self, requested: int, compacted: int):
        super().__init__(f"too old resource version: {requested} ({compacted})")
        self.requested = requested
        self.compacted = compacted


@dataclass(slots=True)
class Event:
    """One committed change. ``data`` is the new state (for DELETED, the last state at the delete revision)."""

    revision: int
    type: str
    table: str
    key: Key
    data: bytes
    prev: bytes | None
    at: float
    _parsed: dict[str, Any] | None = field(default=None, repr=False)
    line: bytes | None = field(default=None, repr=False)  # the watch line, shared by watchers that send it as is
    _prev_parsed: dict[str, Any] | None = field(default=None, repr=False)

    def obj(self) -> dict[str, Any]:
        """The parsed new state, parsed once and shared by every watcher (treat as read-only)."""
        if self._parsed is None:
            self._parsed = orjson.loads(self.data)
        return self._parsed

    def prev_obj(self) -> dict[str, Any] | None:
        if self.prev is None:
            return None
        if self._prev_parsed is None:
            self._prev_parsed = orjson.loads(self.prev)
        return self._prev_parsed


def _stamp(obj: dict[str, Any], revision: int) -> bytes:
    obj["metadata"]["resourceVersion"] = str(revision)
    # orjson hands back a buffer with spare capacity (4 KiB for a 1.6 KB object); an exact copy keeps
    # the store at about the size of its JSON.
    return bytes(memoryview(orjson.dumps(obj)))


def _labels(obj: dict[str, Any]) -> dict[str, str]:
    labels = obj["metadata"].get("labels")
    return dict(labels) if labels else _NO_LABELS


_NO_LABELS: dict[str, str] = {}


class Table:
    """The objects of one storage key (a group-resource), kept in etcd's key order on demand."""

    __slots__ = ("_order", "labels", "objects", "revisions")

    def __init__(self) -> None:
        self.objects: dict[Key, bytes] = {}
        self.revisions: dict[Key, int] = {}
        # Current labels per object, so label selectors need not parse objects.  Dicts of strings
        # are untracked by CPython's GC after their first collection, so this index costs no GC time.
        self.labels: dict[Key, dict[str, str]] = {}
        self._order: list[Key] | None = []

    def sorted_keys(self) -> list[Key]:
        if self._order is None:
            self._order = sorted(self.objects, key=etcd_order)
        return self._order

    def _added(self, key: Key) -> None:
        """Keeps the order once a list has asked for it: a key in the middle is inserted where it belongs (a
        bisection and a move of pointers, far cheaper than sorting every key again on the next list)."""
        order = self._order
        if order is not None:
            if not order or etcd_order(order[-1]) < etcd_order(key):
                order.append(key)
            else:
                bisect.insort(order, key, key=etcd_order)

    def _removed(self, key: Key) -> None:
        order = self._order
        if order is not None:
            at = bisect.bisect_left(order, etcd_order(key), key=etcd_order)
            if at < len(order) and order[at] == key:
                del order[at]


Listener = Callable[[Event], None]
# What a read-modify-write does with the object (see ``Store.guaranteed_update``).
KEEP, WRITE, REMOVE = "keep", "write", "remove"
TryUpdate = Callable[[bytes], "tuple[str, dict[str, Any] | None]"]


class Store:
    """All objects of one cluster, one revision counter, a bounded change history."""

    def __init__(self, history_size: int = 10_000, history_age: float = 300.0, clock: Callable[[], float] = time.time):
        self.revision = 1
        self.history_size = history_size
        self.history_age = history_age
        self._clock = clock
        self._tables: dict[str, Table] = {}
        # One bounded history per table, as kube-apiserver keeps one watch cache per resource: writes to
        # one resource never push another resource's events out of its window.
        self._history: dict[str, deque[Event]] = {}
        # Per table, the newest evicted revision: reads at or below it cannot be served exactly.
        self._compacted: dict[str, int] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._all_listeners: list[Listener] = []
        # Events committed but not yet handed to listeners.  A listener that writes commits a new event
        # while the previous one is being delivered; queueing it keeps every listener's view in revision order.
        self._undelivered: deque[Event] = deque()
        self._delivering = False
        # Owner uid -> the objects whose ownerReferences name it (``owner_index``), kept as objects are written.
        self._owner_index = OwnerIndex()

    # --- reads ----------------------------------------------------------------------------------

    def table(self, name: str) -> Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = Table()
        return table

    def get(self, table: str, key: Key) -> bytes | None:
        t = self._tables.get(table)
        return t.objects.get(key) if t else None

    def labels(self, table: str, key: Key) -> dict[str, str]:
        """The current labels of an object (empty when it has none or does not exist)."""
        t = self._tables.get(table)
        return t.labels.get(key, _NO_LABELS) if t else _NO_LABELS

    def count(self, table: str) -> int:
        t = self._tables.get(table)
        return len(t.objects) if t else 0

    def dependents(self, owner_uid: str) -> list[tuple[str, Key]]:
        """The objects (table, key) whose ``ownerReferences`` name ``owner_uid``, in the order they became so."""
        return self._owner_index.dependents(owner_uid)

    def has_dependents(self) -> bool:
        """Whether any stored object names an owner (the garbage collector has nothing to do otherwise)."""
        return bool(self._owner_index)

    def owner_uids(self, table: str, key: Key) -> tuple[str, ...]:
        """The owner uids the stored object at ``key`` names (empty if none or gone)."""
        return self._owner_index.owners((table, key))

    def tables(self) -> list[str]:
        return [name for name, t in self._tables.items() if t.objects]

    def current(self, table: str, namespace: str | None = None) -> tuple[list[Key], list[bytes]]:
        """Every current key (of ``namespace``, if given) in order, and its object: a whole list in two
        C-level passes, for the LIST that neither filters nor pages."""
        t = self._tables.get(table)
        if t is None:
            return [], []
        keys = t.sorted_keys()
        if namespace is not None:
            first, after = _namespace_bounds(namespace)
            keys = keys[bisect.bisect_left(keys, first, key=etcd_order):bisect.bisect_left(keys, after, key=etcd_order)]
        else:
            keys = list(keys)
        objects = t.objects
        return keys, [objects[key] for key in keys]

    def iter_table(self, table: str, namespace: str | None = None,
                   start_after: Key | None = None) -> Iterator[tuple[Key, bytes]]:
        """Current objects in key order, optionally only one namespace / after a key."""
        t = self._tables.get(table)
        if t is None:
            return
        keys = t.sorted_keys()
        objects = t.objects
        lo = 0
        if namespace is not None:
            lo = bisect.bisect_left(keys, _namespace_bounds(namespace)[0], key=etcd_order)
        if start_after is not None:
            lo = max(lo, bisect.bisect_right(keys, etcd_order(start_after), key=etcd_order))
        for i in range(lo, len(keys)):
            key = keys[i]
            if namespace is not None and key[0] != namespace:
                break
            data = objects.get(key)
            if data is not None:
                yield key, data

    def count_after(self, table: str, namespace: str | None, key: Key) -> int:
        """How many current objects (of ``namespace``, if given) sort after ``key``: bisection, no scan."""
        t = self._tables.get(table)
        if t is None:
            return 0
        keys = t.sorted_keys()
        start = bisect.bisect_right(keys, etcd_order(key), key=etcd_order)
        # Every key of ``namespace`` sorts before its upper bound, and every key of a later one after.
        end = (bisect.bisect_left(keys, _namespace_bounds(namespace)[1], key=etcd_order) if namespace is not None
               else len(keys))
        return max(0, end - start)

    def _later(self, table: str, revision: int) -> list[Event]:
        """The events of ``table`` after ``revision``, oldest first; TooOldError if some were evicted."""
        self._expire(table)
        compacted = self._compacted.get(table, 0)
        if revision < compacted:
            raise TooOldError(revision, compacted)
        later: list[Event] = []
        for event in reversed(self._history.get(table, ())):  # newest first: stop at the revision
            if event.revision <= revision:
                break
            later.append(event)
        later.reverse()
        return later

    def snapshot(self, table: str, revision: int, namespace: str | None = None,
                 start_after: Key | None = None) -> Iterator[tuple[Key, bytes]]:
        """The table as it was at ``revision``, in key order; raises TooOldError past the window.

        Only the keys written since ``revision`` differ from the current state: their old values
        (the ``prev`` of their first later event) are laid over a lazy walk of the current table,
        so a page costs what the page reads, not the size of the table.
        """
        later = self._later(table, revision)
        if not later:
            return self.iter_table(table, namespace, start_after)
        then: dict[Key, bytes | None] = {}
        for event in later:  # oldest first: the first event of a key holds its state at ``revision``
            if event.key not in then:
                then[event.key] = event.prev
        overlay = sorted((k for k in then if (namespace is None or k[0] == namespace)
                          and (start_after is None or etcd_order(k) > etcd_order(start_after))), key=etcd_order)
        return self._overlaid(table, namespace, start_after, overlay, then)

    def _overlaid(self, table: str, namespace: str | None, start_after: Key | None, overlay: list[Key],
                  then: dict[Key, bytes | None]) -> Iterator[tuple[Key, bytes]]:
        current = ((k, d) for k, d in self.iter_table(table, namespace, start_after) if k not in then)
        changed = ((k, then[k]) for k in overlay)
        for key, data in heapq.merge(current, changed, key=lambda item: etcd_order(item[0])):
            if data is not None:  # None: the object did not exist yet at that revision
                yield key, data

    def history_since(self, revision: int, table: str) -> list[Event]:
        """Events of ``table`` after ``revision``, oldest first; raises TooOldError past the window."""
        return self._later(table, revision)

    # --- writes ---------------------------------------------------------------------------------

    def create(self, table: str, key: Key, obj: dict[str, Any]) -> bytes:
        t = self.table(table)
        if key in t.objects:
            raise KeyExistsError(key)
        self.revision += 1
        data = _stamp(obj, self.revision)
        t.objects[key] = data
        t.revisions[key] = self.revision
        t.labels[key] = _labels(obj)
        t._added(key)
        if obj["metadata"].get("ownerReferences"):
            self._owner_index.set((table, key), owner_uids(obj))
        self._commit(Event(self.revision, ADDED, table, key, data, None, self._clock()))
        return data

    def preload(self, objects: Iterable[tuple[str, Key, bytes, dict[str, str]]]) -> None:
        """Objects the cluster starts with, as etcd already holds the bootstrap objects when kube-apiserver
        starts serving: each ``(table, key, data, labels)`` has its ``data`` stamped with the revision it gets
        here (the next one, in order) and carries no ownerReferences.  They are stored and kept in the watch
        history, but no listener is told (nothing listening at construction has work to do for what a cluster
        starts with)."""
        now = self._clock()
        touched: set[str] = set()
        for table, key, data, labels in objects:
            t = self._tables.get(table) or self.table(table)
            if key in t.objects:
                raise KeyExistsError(key)
            self.revision += 1
            t.objects[key] = data
            t.revisions[key] = self.revision
            t.labels[key] = dict(labels) if labels else _NO_LABELS
            t._added(key)
            history = self._history.get(table)
            if history is None:
                history = self._history[table] = deque()
            history.append(Event(self.revision, ADDED, table, key, data, None, now))
            touched.add(table)
        for table in touched:
            self._expire(table)

    def _current(self, table: str, key: Key, expected_revision: int | None) -> tuple[Table, bytes]:
        """The table and stored bytes a write replaces, after its precondition on the revision."""
        t = self.table(table)
        prev = t.objects.get(key)
        if prev is None:
            raise KeyNotFoundError(key)
        if expected_revision is not None and expected_revision != t.revisions[key]:
            raise ConflictError(key)
        return t, prev

    def update(self, table: str, key: Key, obj: dict[str, Any], expected_revision: int | None = None) -> bytes:
        t, prev = self._current(table, key, expected_revision)
        self.revision += 1
        data = _stamp(obj, self.revision)
        t.objects[key] = data
        t.revisions[key] = self.revision
        t.labels[key] = _labels(obj)
        if obj["metadata"].get("ownerReferences") or (table, key) in self._owner_index:
            self._owner_index.set((table, key), owner_uids(obj))
        self._commit(Event(self.revision, MODIFIED, table, key, data, prev, self._clock()))
        return data

    def delete(self, table: str, key: Key, expected_revision: int | None = None) -> bytes:
        t, prev = self._current(table, key, expected_revision)
        self.revision += 1
        del t.objects[key]
        del t.revisions[key]
        del t.labels[key]
        t._removed(key)
        if (table, key) in self._owner_index:
            self._owner_index.set((table, key), ())
        last = orjson.loads(prev)
        data = _stamp(last, self.revision)
        self._commit(Event(self.revision, DELETED, table, key, data, prev, self._clock()))
        return data

    def guaranteed_update(self, table: str, key: Key, try_update: TryUpdate, retries: int = 8) -> tuple[str, bytes]:
        """The one read-modify-write: ``try_update`` gets the current bytes and answers what to do.

        It returns ``(KEEP, _)`` to leave the object as it is, ``(WRITE, obj)`` to store ``obj``, or
        ``(REMOVE, _)`` to delete the object; it may raise to refuse.  If the object changed while
        ``try_update`` ran (a hook of its own wrote it), it runs again on the new state, as etcd's
        compare-and-swap makes kube-apiserver's ``GuaranteedUpdate`` retry.  Returns the action taken and
        the stored bytes (for REMOVE, the last state at the delete's revision).
        """
        for _ in range(retries):
            t = self._tables.get(table)
            current = t.objects.get(key) if t is not None else None
            if t is None or current is None:
                raise KeyNotFoundError(key)
            revision = t.revisions[key]
            action, obj = try_update(current)
            if t.revisions.get(key) != revision:
                continue
            if action == KEEP:
                return KEEP, current
            if action == REMOVE:
                return REMOVE, self.delete(table, key)
            assert obj is not None
            return WRITE, self.update(table, key, obj)
        raise ConflictError(key)

    def object_revision(self, table: str, key: Key) -> int | None:
        t = self._tables.get(table)
        return t.revisions.get(key) if t else None

    # --- watch plumbing -------------------------------------------------------------------------

    def subscribe(self, table: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event of ``table`` from now on; returns the unsubscribe function."""
        listeners = self._listeners.setdefault(table, [])
        listeners.append(listener)

        def unsubscribe() -> None:
            try:
                listeners.remove(listener)
            except ValueError:
                pass

        return unsubscribe

    def subscribe_all(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event of every table from now on (controllers watching contents)."""
        self._all_listeners.append(listener)

        def unsubscribe() -> None:
            try:
                self._all_listeners.remove(listener)
            except ValueError:
                pass

        return unsubscribe

    def _commit(self, event: Event) -> None:
        history = self._history.get(event.table)
        if history is None:
            history = self._history[event.table] = deque()
        history.append(event)
        if len(history) > PARSED_CACHE_SPAN:
            # A watcher this far behind on this table was closed (its buffer is smaller); dropping the
            # cache keeps the history free of GC-tracked dict trees.
            stale = history[-PARSED_CACHE_SPAN - 1]
            stale._parsed = stale._prev_parsed = None
            stale.line = None
        self._expire(event.table)
        self._undelivered.append(event)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._undelivered:
                pending = self._undelivered.popleft()
                for listener in (*self._listeners.get(pending.table, ()), *self._all_listeners):
                    listener(pending)
        finally:
            self._delivering = False

    def _expire(self, table: str) -> None:
        history = self._history.get(table)
        if not history:
            return
        horizon = self._clock() - self.history_age
        while history and (len(history) > self.history_size or history[0].at < horizon):
            self._compacted[table] = history.popleft().revision
