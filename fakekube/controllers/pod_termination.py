"""Pod termination: a gracefully deleted pod goes when its grace period is over, on the cluster's clock.

On a real cluster the kubelet running a deleted pod stops its containers and then deletes the pod
with a zero grace period.  fakekube runs no containers, so this loop stands in for that last step: it
keeps the deadline of every pod marked with a grace period (its ``deletionTimestamp``), and when the
cluster's clock passes it deletes the pod with ``gracePeriodSeconds=0`` and its uid as a precondition,
as the node's identity.  A pod that still has finalizers stays until they are gone, as upstream.  With
``FakeClock`` a test moves time on instead of waiting: ``clock.advance(30)``, then ``cluster.settle()``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import orjson

from fakekube.errors import StatusError
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import DELETED, Event, Key, Store


def _kubelet(node: str) -> Context:
    return Context(user=UserInfo(f"system:node:{node}", ("system:nodes", "system:authenticated")),
                   user_agent="kubelet/v1 (linux/amd64) kubernetes/fakekube")


class PodTermination:
    name = "pod-termination"

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._deadlines: list[tuple[float, Key]] = []  # a heap of (deadline, pod key); stale entries are skipped
        self._due: dict[Key, float] = {}
        # When each pod was first marked, on the cluster's clock: its deadline is that plus its grace period
        # (``deletionTimestamp`` says the same to the second; the kubelet times the period itself).
        self._marked_at: dict[Key, float] = {}
        self._notify: Callable[[], None] = lambda: None
        pods = registry.catalog.get("", "v1", "pods")
        self._table = pods.storage_key if pods is not None else "pods"

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        self._notify = notify
        store.subscribe(self._table, self._on_pod)

    def _on_pod(self, event: Event) -> None:
        if event.type == DELETED:
            self._due.pop(event.key, None)
            self._marked_at.pop(event.key, None)
            return
        if b'"deletionGracePeriodSeconds"' not in event.data:
            return
        meta = event.obj()["metadata"]
        grace = meta.get("deletionGracePeriodSeconds")
        if not isinstance(grace, int) or grace <= 0 or not meta.get("deletionTimestamp"):
            self._due.pop(event.key, None)
            return
        deadline = self._marked_at.setdefault(event.key, event.at) + grace
        if self._due.get(event.key) != deadline:
            self._due[event.key] = deadline
            heapq.heappush(self._deadlines, (deadline, event.key))
            self._notify()

    def next_deadline(self) -> float | None:
        """When the next pod is due (controllers with deadlines are woken then, see ``ControllerManager``)."""
        while self._deadlines and self._due.get(self._deadlines[0][1]) != self._deadlines[0][0]:
            heapq.heappop(self._deadlines)
        return self._deadlines[0][0] if self._deadlines else None

    def has_work(self) -> bool:
        deadline = self.next_deadline()
        return deadline is not None and deadline <= self.registry.now()

    def process_one(self) -> None:
        _, key = heapq.heappop(self._deadlines)
        self._due.pop(key, None)
        data = self.registry.store.get(self._table, key)
        pods = self.registry.catalog.get("", "v1", "pods")
        if data is None or pods is None:
            return
        pod = orjson.loads(data)
        node = (pod.get("spec") or {}).get("nodeName") or ""
        try:
            self.registry.delete(_kubelet(node), pods, key[0], key[1],
                                 DeleteOptions(uid=pod["metadata"].get("uid"), grace_period_seconds=0))
        except StatusError as exc:
            if exc.code not in (404, 409):
                raise
