"""The service account controller: every active namespace has a ``default`` ServiceAccount.

As kube-controller-manager's ``serviceaccount`` controller (``pkg/controller/serviceaccount/
serviceaccounts_controller.go``) does: a namespace that is added or updated is queued, and so is the
namespace of a deleted ``default`` ServiceAccount; syncing a namespace that is ``Active`` creates the
account if it is missing.  What it creates is only ``{"metadata": {"name": "default"}}``: since
v1.24 no token Secret is made for it, so the stored account has no ``secrets``.  A terminating
namespace is left alone, and a create refused because the namespace started terminating meanwhile is
ignored, as upstream ignores ``NamespaceTerminating``.
"""

from __future__ import annotations

from collections.abc import Callable

from fakekube.controllers.namespace_queue import NamespaceQueue, create_ignoring_terminating, namespace_active
from fakekube.registry.context import Context, UserInfo
from fakekube.storage import DELETED, Event, Store

DEFAULT_SERVICE_ACCOUNT = "default"
TABLE = "serviceaccounts"
# kube-controller-manager with --use-service-account-credentials: the controller's own account, and its
# client's user agent (``rest.AddUserAgent``: the binary's, then the controller's name), whose first
# segment names the field manager.
IDENTITY = Context(user=UserInfo("system:serviceaccount:kube-system:service-account-controller",
                                 ("system:serviceaccounts", "system:serviceaccounts:kube-system",
                                  "system:authenticated")),
                   user_agent="kube-controller-manager/v1 (linux/amd64) kubernetes/fakekube/service-account-controller")


class ServiceAccountsController(NamespaceQueue):
    name = "serviceaccount"

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        super().start(store, notify)
        store.subscribe("namespaces", self._on_namespace)
        store.subscribe(TABLE, self._on_service_account)

    def _on_namespace(self, event: Event) -> None:
        if event.type != DELETED:
            self._enqueue(event.key[1])

    def _on_service_account(self, event: Event) -> None:
        if event.type == DELETED and event.key[1] == DEFAULT_SERVICE_ACCOUNT:
            self._enqueue(event.key[0])

    def process_one(self) -> None:
        namespace = self._next()
        store = self.registry.store
        if store.get(TABLE, (namespace, DEFAULT_SERVICE_ACCOUNT)) is not None:
            return
        if not namespace_active(store, namespace):
            return
        res = self.registry.catalog.get("", "v1", TABLE)
        if res is None:
            return
        create_ignoring_terminating(self.registry, IDENTITY, res, namespace,
                                    {"metadata": {"name": DEFAULT_SERVICE_ACCOUNT}})
