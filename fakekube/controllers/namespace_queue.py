"""What the per-namespace controllers share: a queue of namespaces to sync, and a create that minds nothing.

kube-controller-manager's service account controller and root CA publisher both keep a work queue of
namespace names (each queued once, in arrival order), fed by namespace events and by events of the one
object they keep in each namespace, and both create that object ignoring a namespace that is gone or
terminating, or an object someone created first.
"""

from __future__ import annotations

from collections.abc import Callable

from fakekube.errors import StatusError
from fakekube.registry.context import Context
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import Registry
from fakekube.storage import Store


class NamespaceQueue:
    """A controller's queue of namespaces; subclasses subscribe in ``start`` and sync in ``process_one``."""

    name = ""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._queue: dict[str, None] = {}  # namespaces to look at, in arrival order, once each
        self._notify: Callable[[], None] = lambda: None

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        self._notify = notify

    def _enqueue(self, namespace: str) -> None:
        self._queue[namespace] = None
        self._notify()

    def has_work(self) -> bool:
        return bool(self._queue)

    def _next(self) -> str:
        namespace = next(iter(self._queue))
        del self._queue[namespace]
        return namespace


def namespace_active(store: Store, namespace: str) -> bool:
    """The namespace exists and its phase is ``Active`` (what the controllers' namespace lister shows)."""
    data = store.get("namespaces", ("", namespace))
    return data is not None and b'"phase":"Active"' in data


def create_ignoring_terminating(registry: Registry, ctx: Context, res: ResourceInfo, namespace: str,
                                body: dict[str, object]) -> None:
    """Create, as upstream's controllers do, not minding a namespace that is gone or terminating, or an
    object someone else created first."""
    try:
        registry.create(ctx, res, namespace, body)
    except StatusError as exc:
        terminating = any(c.get("reason") == "NamespaceTerminating" for c in exc.causes)
        if not (terminating or exc.code in (404, 409)):
            raise
