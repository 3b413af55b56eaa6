"""A cluster's settings (``ClusterSettings``), checked, and the controllers and identities it is built with.

Why apart from ``cluster``: what a cluster is made of (its settings, the controllers they can name, whose
writes the Python API and the bootstrap make) is read by more than the ``FakeCluster`` that serves it: the
generator of the shipped bootstrap snapshots builds one with exactly these.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fakekube.controllers import Controller
from fakekube.controllers import bootstrap as startup
from fakekube.controllers.garbage_collector import GarbageCollector
from fakekube.controllers.namespace import NamespaceController
from fakekube.controllers.pod_termination import PodTermination
from fakekube.controllers.root_ca_publisher import RootCAPublisher
from fakekube.controllers.serviceaccounts import ServiceAccountsController
from fakekube.registry.context import FIELD_VALIDATION_MODES, Context
from fakekube.registry.rest import Registry
from fakekube.schema.validation import STRICT
from fakekube.storage import PARSED_CACHE_SPAN
from fakekube.versions import DEFAULT_VERSION


@dataclass(frozen=True)
class ClusterSettings:
    kubernetes_version: str = DEFAULT_VERSION
    runtime_config: str | None = None
    history_size: int = 10_000  # events kept for watch resume and paging snapshots
    history_age: float = 300.0  # seconds; etcd compacts every 5 minutes by default
    bookmark_interval: float = 60.0  # seconds between BOOKMARK events (kube-apiserver: about a minute)
    watch_buffer: int = 1000  # events a watcher may fall behind before it is closed (at most 2048)
    watch_timeout: float = 1800.0  # watches without timeoutSeconds end after this many seconds
    host: str = "127.0.0.1"
    port: int = 0
    log_requests: bool = False
    # The cluster's clock (seconds since the epoch): creation timestamps, ages, history expiry.
    # Tests can pass their own to move time; kube-apiserver's is the wall clock.
    clock: Callable[[], float] = time.time
    # Control-plane loops that run in the cluster (see ``fakekube.controllers``); an empty tuple runs none.
    controllers: tuple[str, ...] = ("namespace", "serviceaccount", "root-ca-cert-publisher", "garbage-collector",
                                    "pod-termination")
    # What kube-apiserver itself writes at start (``fakekube.controllers.bootstrap``): the ``kubernetes`` Service
    # with its Endpoints and EndpointSlice, and the bootstrap RBAC policy; an empty tuple writes neither.
    bootstrap: tuple[str, ...] = startup.PARTS
    # Extra HTTP filters, innermost in the chain (``fakekube.http.filters``): aiohttp middlewares,
    # ``async (request, handler) -> response``, that see each request's ``RequestInfo``.
    filters: tuple[Callable[..., Awaitable[Any]], ...] = ()
    # How ``apply``/``create`` (and ``serve --load``) treat unknown fields: Strict refuses them, as
    # ``kubectl apply`` asks by default; Warn writes the object and warns; Ignore drops them.
    field_validation: str = STRICT
    # Where webhook services live, as envtest points them at the test process: a CRD conversion webhook's
    # ``service`` (namespace, name, port) is called at ``https://<name>.<namespace>.svc:<port>/<path>`` (its
    # certificate must hold that name), dialling the address given here for ``"<name>.<namespace>.svc:<port>"``,
    # or for ``"<name>.<namespace>.svc"`` (any port), as ``"host:port"``.  A service not listed fails the call
    # as kube-apiserver fails an unknown service (``service "<name>" not found``).
    service_addresses: Mapping[str, str] = field(default_factory=dict)


CONTROLLERS: dict[str, Callable[[Registry], Controller]] = {
    "garbage-collector": GarbageCollector, "pod-termination": PodTermination,
    "namespace": NamespaceController, "serviceaccount": ServiceAccountsController,
    "root-ca-cert-publisher": RootCAPublisher}
# Writes made through the Python API (apply, create, delete) act as a cluster admin.
PYTHON_API = Context(user_agent="fakekube")  # its writes are managed by "fakekube"
KUBE_APISERVER = Context(user_agent="kube-apiserver/v1 (linux/amd64) kubernetes/fakekube")  # the bootstrap's


def check_settings(settings: ClusterSettings) -> None:
    """Refuse, as a ``ValueError`` naming what is allowed, settings a cluster cannot be built with."""
    if not 0 < settings.watch_buffer <= PARSED_CACHE_SPAN:
        raise ValueError(f"watch_buffer must be between 1 and {PARSED_CACHE_SPAN}")
    if settings.field_validation not in FIELD_VALIDATION_MODES:
        raise ValueError(f"field_validation must be one of {', '.join(FIELD_VALIDATION_MODES)}, "
                         f"not {settings.field_validation!r}")
    unknown = sorted(set(settings.controllers) - set(CONTROLLERS))
    if unknown:
        raise ValueError(f"unknown controllers {unknown}; known: {sorted(CONTROLLERS)}")
    unknown = sorted(set(settings.bootstrap) - set(startup.PARTS))
    if unknown:
        raise ValueError(f"unknown bootstrap {unknown}; known: {sorted(startup.PARTS)}")
