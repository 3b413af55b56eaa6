"""The namespace controller: empties a terminating namespace, then lets it go.

As kube-controller-manager's namespace controller does: when a namespace is marked for deletion
(``deletionTimestamp``, phase ``Terminating``) and still lists the ``kubernetes`` finalizer, every
object in it is deleted through the registry with background propagation (each with its own DELETED
event).  The namespace's status then carries the five deletion conditions upstream keeps (content
remaining, finalizers remaining...), written through ``/status`` when they change.  Once nothing is
left, the finalizer is removed through ``/finalize``, and that update deletes the namespace.  An
object that stays because of its own finalizers, or a pod within its grace period, keeps the
namespace until it is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.controllers.lookup import group_resource, resource_for_table
from fakekube.errors import StatusError
from fakekube.kinds.core.namespaces import KUBERNETES_FINALIZER
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import DELETED, Event, Store

BACKGROUND = DeleteOptions(propagation_policy="Background")  # the namespace deleter's options

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
        if not namespace["metadata"].get("deletionTimestamp") or KUBERNETES_FINALIZER not in finalizers_of(namespace):
            return
        remaining, finalizers = self._delete_contents(name)
        self._set_conditions(namespaces, namespace, remaining, finalizers)
        if remaining:
            return  # something is still being deleted; its removal requeues the namespace
        rest = [f for f in finalizers_of(namespace) if f != KUBERNETES_FINALIZER]
        body: dict[str, Any] = {"metadata": {"name": name}, "spec": {"finalizers": rest} if rest else {}}
        self.registry.update(IDENTITY, namespaces, "", name, body, "finalize")

    def _delete_contents(self, namespace: str) -> tuple[dict[str, int], dict[str, int]]:
        """Delete every object stored in ``namespace``; what remains (count per ``resource.group``), and the
        finalizers that hold it (count of objects per finalizer)."""
        store = self.registry.store
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        for table in store.tables():
            if table == "namespaces":
                continue
            res = self._resource_for(table)
            if res is None:  # no served resource reads this table: nothing to delete it through, as upstream
                continue
            for (ns, obj_name), data in list(store.iter_table(table, namespace)):
                if not orjson.loads(data)["metadata"].get("deletionTimestamp"):
                    try:
                        self.registry.delete(IDENTITY, res, ns, obj_name, BACKGROUND)
                    except StatusError as exc:
                        if exc.code != 404:
                            raise
                left = store.get(table, (ns, obj_name))
                if left is not None:
                    key = group_resource(res)
                    remaining[key] = remaining.get(key, 0) + 1
                    for finalizer in orjson.loads(left)["metadata"].get("finalizers") or []:
                        finalizers[finalizer] = finalizers.get(finalizer, 0) + 1
        return remaining, finalizers

    def _set_conditions(self, namespaces: ResourceInfo, namespace: dict[str, Any], remaining: dict[str, int],
                        finalizers: dict[str, int]) -> None:
        """The namespace deleter's conditions, each keeping its transition time while its status holds."""
        found = {c.get("type"): c for c in (namespace.get("status") or {}).get("conditions") or []
                 if isinstance(c, dict)}
        stamp = rfc3339(self.registry.now())
        conditions = []
        for kind, (reason, message) in errors.NAMESPACE_CONDITION_OK.items():
            status = "False"
            if kind == "NamespaceContentRemaining" and remaining:
                status, reason, message = "True", "SomeResourcesRemain", errors.content_remaining(remaining)
            elif kind == "NamespaceFinalizersRemaining" and finalizers:
                status, reason, message = "True", "SomeFinalizersRemain", errors.finalizers_remaining(finalizers)
            old = found.get(kind) or {}
            since = old.get("lastTransitionTime") if old.get("status") == status else None
            conditions.append({"type": kind, "status": status, "lastTransitionTime": since or stamp,
                               "reason": reason, "message": message})
        status_now = dict(namespace.get("status") or {})
        if status_now.get("conditions") == conditions:
            return
        status_now["conditions"] = conditions
        name = namespace["metadata"]["name"]
        self.registry.update(IDENTITY, namespaces, "", name, {**namespace, "status": status_now}, "status")

    def _resource_for(self, table: str) -> ResourceInfo | None:
        return resource_for_table(self.registry.catalog, table)


def finalizers_of(namespace: dict[str, Any]) -> list[str]:
    return list((namespace.get("spec") or {}).get("finalizers") or [])
