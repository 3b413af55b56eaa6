"""The namespace controller: empties a terminating namespace, then lets it go.

As kube-controller-manager's namespace controller does: when a namespace is marked for deletion
(``deletionTimestamp``, phase ``Terminating``) and still lists the ``kubernetes`` finalizer, every
object in it is deleted through the registry (each with its own DELETED event); once nothing is
left, the finalizer is removed through ``/finalize``, and that update deletes the namespace.  An
object that stays because of its own finalizers keeps the namespace until it is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from fakekube.errors import StatusError
from fakekube.kinds.core.namespaces import KUBERNETES_FINALIZER
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import Registry
from fakekube.storage import DELETED, Event, Store

IDENTITY = Context(user=UserInfo("system:serviceaccount:kube-system:namespace-controller",
                                 ("system:serviceaccounts", "system:serviceaccounts:kube-system",
                                  "system:authenticated")),
                   user_agent="kube-controller-manager/v1 (linux/amd64) kubernetes/fakekube")


class NamespaceController:
    name = "namespace"

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._queue: dict[str, None] = {}  # namespaces to look at, in arrival order, once each
        self._terminating: set[str] = set()
        self._notify: Callable[[], None] = lambda: None

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        self._notify = notify
        # Subscribed for the store's whole life: the controller lives and dies with its cluster.
        store.subscribe("namespaces", self._on_namespace)
        store.subscribe_all(self._on_any)

    def _enqueue(self, namespace: str) -> None:
        self._queue[namespace] = None
        self._notify()

    def _on_namespace(self, event: Event) -> None:
        name = event.key[1]
        if event.type == DELETED:
            self._terminating.discard(name)
            return
        if b'"deletionTimestamp"' in event.data and event.obj()["metadata"].get("deletionTimestamp"):
            self._terminating.add(name)
            self._enqueue(name)

    def _on_any(self, event: Event) -> None:
        """Contents of a terminating namespace changed (an object whose finalizers held it went away)."""
        if self._terminating and event.key[0] in self._terminating and event.table != "namespaces":
            self._enqueue(event.key[0])

    def has_work(self) -> bool:
        return bool(self._queue)

    def process_one(self) -> None:
        name = next(iter(self._queue))
        del self._queue[name]
        namespaces = self.registry.catalog.get("", "v1", "namespaces")
        assert namespaces is not None
        try:
            namespace = self.registry.get_object(IDENTITY, namespaces, "", name)
        except StatusError:
            return  # gone already
        finalizers = (namespace.get("spec") or {}).get("finalizers") or []
        if not namespace["metadata"].get("deletionTimestamp") or KUBERNETES_FINALIZER not in finalizers:
            return
        if self._delete_contents(name):
            return  # something is still being deleted; its removal requeues the namespace
        rest = [f for f in finalizers if f != KUBERNETES_FINALIZER]
        body: dict[str, Any] = {"metadata": {"name": name}, "spec": {"finalizers": rest} if rest else {}}
        self.registry.update(IDENTITY, namespaces, "", name, body, "finalize")

    def _delete_contents(self, namespace: str) -> bool:
        """Delete every object stored in ``namespace``; True if some remain (held by finalizers)."""
        store = self.registry.store
        remaining = False
        for table in store.tables():
            if table == "namespaces":
                continue
            res = self._resource_for(table)
            for (ns, obj_name), data in list(store.iter_table(table, namespace)):
                if res is None:  # no served resource reads this table: nothing to delete it through, as upstream
                    break
                meta = orjson.loads(data)["metadata"]
                if meta.get("deletionTimestamp"):
                    remaining = True
                    continue
                try:
                    self.registry.delete(IDENTITY, res, ns, obj_name)
                except StatusError as exc:
                    if exc.code != 404:
                        raise
                if store.get(table, (ns, obj_name)) is not None:
                    remaining = True
        return remaining

    def _resource_for(self, table: str) -> ResourceInfo | None:
        """A served resource stored in ``table`` (the one served in the storage version, if served)."""
        found: ResourceInfo | None = None
        for res in self.registry.catalog.resources():
            if res.storage_key == table and "delete" in res.verbs:
                if res.api_version == res.storage_version:
                    return res
                found = found or res
        return found
