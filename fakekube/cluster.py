"""``FakeCluster``: one isolated fake Kubernetes cluster — its store, catalog, registry and HTTP server.

Nothing is shared between two clusters but immutable process-wide caches (the generated
catalogs, compiled validators, OpenAPI documents).  A cluster serves HTTP either in the caller's
event loop (``async with``) or in a background thread with its own loop (``with``), with the same
API; the Python helpers (``apply``, ``get``, ``list``...) go through the same registry as HTTP
requests, without HTTP.
"""

from __future__ import annotations

import asyncio
import builtins
import importlib
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import orjson
import yaml

from fakekube import errors, kubeconfig, yaml_input
from fakekube.clock import FakeClock
from fakekube.cluster_settings import CONTROLLERS, KUBE_APISERVER, PYTHON_API, ClusterSettings, check_settings
from fakekube.controllers import ControllerManager
from fakekube.controllers import bootstrap as startup
from fakekube.controllers.crd import CRDController
from fakekube.loading import Loader
from fakekube.manifests import Source
from fakekube.registry.catalog import Catalog
from fakekube.registry.custom_resources import CustomResourceServing
from fakekube.registry.listing import ListOptions, list_objects
from fakekube.registry.patching import JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import Store
from fakekube.versions import DEFAULT_VERSION

__all__ = ["BOOTSTRAP_NAMESPACES", "CONTROLLERS", "KUBE_APISERVER", "PATCH_RELEASE", "PATCH_TYPES", "PYTHON_API",
           "ClusterSettings", "FakeCluster"]

T = TypeVar("T")
BOOTSTRAP_NAMESPACES = startup.NAMESPACES
PATCH_RELEASE = "0"
PATCH_TYPES = (MERGE_PATCH, JSON_PATCH, STRATEGIC_MERGE_PATCH)


class FakeCluster:
    """One isolated cluster.  ``with FakeCluster() as c`` (thread) or ``async with FakeCluster() as c``."""

    def __init__(self, kubernetes_version: str = DEFAULT_VERSION, **options: Any):
        self.settings = replace(ClusterSettings(), kubernetes_version=kubernetes_version, **options)
        check_settings(self.settings)
        self.catalog = Catalog(kubernetes_version, self.settings.runtime_config)
        self.store = Store(self.settings.history_size, self.settings.history_age, clock=self.settings.clock)
        self.registry = Registry(self.store, self.catalog, clock=self.settings.clock)
        self.custom_resources = CustomResourceServing(self.store, self.catalog, self.settings.service_addresses)
        # The CRD controllers are part of the API server (its apiextensions server), so they always run.
        self.controllers = ControllerManager(self.store, [CRDController(self.registry), *(
            CONTROLLERS[name](self.registry) for name in self.settings.controllers)], self.settings.clock)
        self._unwatch_clock: Callable[[], None] | None = None
        self._ctx = replace(PYTHON_API, field_validation=self.settings.field_validation)
        self._loader = Loader(self.registry, self._ctx, self.controllers.settle)
        self._server: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._loop_thread = 0
        self._url: str | None = None
        self._kubeconfig_path: Path | None = None
        self._bootstrap()

    def _bootstrap(self) -> None:
        """The namespaces, the API server's bootstrap objects and what the controllers add to them, written
        through the registry once per process and copied in (``fakekube.controllers.bootstrap``)."""
        s = self.settings
        key = startup.spec(s.kubernetes_version, s.runtime_config, s.bootstrap, s.controllers, s.host, s.port)
        startup.replay(self.store, startup.snapshot(key, KUBE_APISERVER, CONTROLLERS), s.clock())

    # --- identity -------------------------------------------------------------------------------

    @property
    def kubernetes_version(self) -> str:
        return self.settings.kubernetes_version

    @property
    def git_version(self) -> str:
        return f"{self.kubernetes_version}.{PATCH_RELEASE}"

    def version_info(self) -> dict[str, str]:
        major, minor = self.kubernetes_version[1:].split(".")
        return {"major": major, "minor": minor, "emulationMajor": major, "emulationMinor": minor,
                "minCompatibilityMajor": major, "minCompatibilityMinor": str(int(minor) - 1),
                "gitVersion": self.git_version, "gitCommit": "fakekube", "gitTreeState": "clean",
                "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
                "platform": "linux/amd64"}

    # --- serving --------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the cluster is not serving; use `with FakeCluster()` or `await cluster.start_async()`")
        return self._url

    @property
    def kubeconfig(self) -> dict[str, Any]:
        return kubeconfig.kubeconfig_dict(self.url)

    @property
    def kubeconfig_path(self) -> Path:
        """A kubeconfig file for this cluster (written on first use, removed when the cluster stops)."""
        if self._kubeconfig_path is None:
            path = kubeconfig.scratch_dir() / f"kubeconfig-{os.getpid()}-{id(self):x}-{self.url.rsplit(':', 1)[1]}"
            self._kubeconfig_path = kubeconfig.write_kubeconfig(path, self.url, as_yaml=False)
        return self._kubeconfig_path

    def write_kubeconfig(self, path: str | Path) -> Path:
        return kubeconfig.write_kubeconfig(path, self.url)

    async def start_async(self, *, preload: bool = True) -> str:
        """Serve in the running event loop; returns the URL.  ``preload=False`` leaves the modules only some
        requests need to load on their first use (``fakekube.http.app.load_request_time_modules``), for a
        caller that serves from this one thread and wants to be ready sooner (``fakekube serve``)."""
        from fakekube.http.server import serve

        if self._server is not None:
            return self.url
        self._server = await serve(self, self.settings.host, self.settings.port, self.settings.log_requests,
                                   self.settings.filters, preload=preload)
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._url = self._server.url
        self.controllers.attach(self._loop)
        if isinstance(self.settings.clock, FakeClock):  # moving the clock wakes the controllers while serving
            self._unwatch_clock = self.settings.clock.on_advance(self.controllers.wake)
        return self._url

    async def stop_async(self) -> None:
        server, self._server = self._server, None
        if self._unwatch_clock is not None:
            self._unwatch_clock()
            self._unwatch_clock = None
        self.controllers.detach()
        if server is not None:
            await server.close()
        self._url = None
        self._loop = None
        self._cleanup_files()

    def start(self) -> str:
        """Serve from a background thread with its own event loop; returns the URL."""
        if self._thread is not None:
            return self.url
        # The server's modules load here, on the caller's thread, not in the new one: clusters started from
        # several threads at once would otherwise import them concurrently.
        importlib.import_module("fakekube.http.server")
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start_async())
            except BaseException as exc:  # report start-up failures to the caller
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop_async())
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        thread = threading.Thread(target=run, name="fakekube-server", daemon=True)
        thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        self._thread = thread
        return self.url

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        loop = self._loop
        assert loop is not None
        loop.call_soon_threadsafe(loop.stop)
        thread.join()

    def _cleanup_files(self) -> None:
        if self._kubeconfig_path is not None:
            self._kubeconfig_path.unlink(missing_ok=True)
            self._kubeconfig_path = None

    def __enter__(self) -> FakeCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeCluster:
        await self.start_async()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_async()

    # --- direct access (no HTTP, same semantics) ------------------------------------------------

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` where the cluster's state lives: on its event loop's thread while it serves.

        All state changes happen on that one thread (watchers are woken from it), so code running
        in any other thread — a test's main thread, a worker thread — hands its work over.
        """
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread:
            return fn()

        async def in_loop() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(in_loop(), loop).result()

    def resource(self, kind: str, api_version: str | None = None) -> ResourceInfo:
        """Find a served resource by kind, plural, singular or short name (``Deployment``, ``deploy``...)."""
        if api_version:
            res = self.catalog.by_api_version(api_version, kind)
            if res is not None:
                return res
            group, _, version = api_version.rpartition("/")
            for candidate in self.catalog.resources_in(group, version):
                if kind in (candidate.plural, candidate.singular) or kind in candidate.short_names:
                    return candidate
            raise errors.no_kind_match(kind, api_version)
        wanted = kind.lower()
        groups = self.catalog.group_versions()
        matches = [r for r in self.catalog.resources()
                   if wanted in (r.kind.lower(), r.plural, r.singular) or wanted in r.short_names]
        if not matches:
            raise errors.no_resource_type(kind)
        matches.sort(key=lambda r: (r.group != "", groups[r.group].index(r.version)))
        return matches[0]

    def create(self, source: Source) -> list[dict[str, Any]]:
        """Create every object in ``source`` (YAML text, a path, dicts).  Every document is tried; if any
        cannot be read or created, ``ManifestError`` lists them all (the others are created)."""
        return self._loader.load(source, False, self.call)

    def apply(self, source: Source) -> list[dict[str, Any]]:
        """Create or replace every object in ``source``; errors as for ``create``."""
        return self._loader.load(source, True, self.call)

    def patch(self, kind: str, name: str, patch: Any, *, type: str = "merge", namespace: str | None = None,
              subresource: str | None = None, api_version: str | None = None) -> dict[str, Any]:
        """Patch an object as ``kubectl patch --type merge|json|strategic [--subresource status|scale]``
        does; ``patch`` is a dict or list, or its JSON/YAML text.  Returns the patched object (the
        subresource's view for ``scale``); a refused patch raises ``StatusError`` as the server words it."""
        if type not in PATCH_TYPES:
            raise ValueError(f"unknown patch type {type!r}; use one of {', '.join(PATCH_TYPES)}")
        res = self.resource(kind, api_version)
        body = _patch_body(patch)
        if subresource is not None and res.subresource(subresource) is None:
            raise errors.not_found_path()
        ns = _namespace(res, namespace)
        result = self.call(lambda: self.registry.patch(self._ctx, res, ns, name, type, body, subresource))
        patched: dict[str, Any] = orjson.loads(result.data)
        return patched

    def set_status(self, kind: str, name: str, status: dict[str, Any], *, namespace: str | None = None,
                   api_version: str | None = None) -> dict[str, Any]:
        """Replace an object's ``status`` through its ``/status`` subresource, as a controller (or a
        kubelet) would: only the status changes, and the object's generation stays.  For tests that need
        a Deployment ready or a Pod running without the controllers that would do it."""
        res = self.resource(kind, api_version)
        if not res.has_status:
            raise errors.not_found_path()
        ns = _namespace(res, namespace)

        def run() -> bytes:
            current = self.registry.get_object(self._ctx, res, ns, name)
            current["status"] = status
            return self.registry.update(self._ctx, res, ns, name, current, subresource="status").data

        updated: dict[str, Any] = orjson.loads(self.call(run))
        return updated

    def get(self, kind: str, name: str, namespace: str | None = None, api_version: str | None = None) -> dict[str, Any]:
        res = self.resource(kind, api_version)
        return self.call(lambda: self.registry.get_object(self._ctx, res, _namespace(res, namespace), name))

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str = "", field_selector: str = "",
             api_version: str | None = None) -> builtins.list[dict[str, Any]]:
        res = self.resource(kind, api_version)

        def run() -> builtins.list[dict[str, Any]]:
            result = list_objects(self.store, res, namespace, ListOptions(label_selector, field_selector))
            return [orjson.loads(item) for item in result.items]

        return self.call(run)

    def delete(self, kind: str, name: str, namespace: str | None = None, api_version: str | None = None, *,
               propagation_policy: str | None = None, grace_period_seconds: int | None = None) -> None:
        """Delete an object as ``kubectl delete`` does: ``propagation_policy`` is ``Background``, ``Foreground``
        or ``Orphan`` (None: the kind's default), ``grace_period_seconds`` a pod's grace period.  An object
        held by finalizers or a grace period is marked and stays (``settle()`` lets the controllers act)."""
        if propagation_policy not in (None, "Background", "Foreground", "Orphan"):
            raise ValueError(f"unknown propagation policy {propagation_policy!r}; use Background, Foreground or Orphan")
        res = self.resource(kind, api_version)
        opts = DeleteOptions(propagation_policy=propagation_policy, grace_period_seconds=grace_period_seconds)
        self.call(lambda: self.registry.delete(self._ctx, res, _namespace(res, namespace), name, opts))

    def settle(self) -> int:
        """Run the cluster's controllers until none has work left (a namespace being deleted is gone
        afterwards, for one); returns how many items of work were done.  While the cluster serves they
        also run on their own as work arrives; ``settle`` makes a test's next step deterministic."""
        return self.call(self.controllers.settle)

    def objects(self) -> builtins.list[dict[str, Any]]:
        """Every stored object of the cluster, in its storage version, ordered by kind, namespace, name."""

        def run() -> builtins.list[dict[str, Any]]:
            out: builtins.list[dict[str, Any]] = []
            for table in sorted(self.store.tables()):
                out.extend(orjson.loads(data) for _, data in self.store.iter_table(table))
            return out

        return self.call(run)


def _namespace(res: ResourceInfo, namespace: str | None) -> str:
    """The namespace a helper addresses, as kubectl picks it: the one given, else ``default`` for a namespaced
    resource; a cluster-scoped one has none (admission sees no namespace, as kube-apiserver's does)."""
    if not res.namespaced:
        return ""
    return namespace or "default"


def _patch_body(patch: Any) -> Any:
    """A patch given as text (JSON or YAML, ``bytes`` too) read as kubectl reads ``--patch``: its first
    document; a value that cannot be sent as JSON is the caller's mistake, a ``ValueError``."""
    if isinstance(patch, bytes):
        patch = patch.decode("utf-8", errors="replace")
    if isinstance(patch, str):
        try:
            docs = yaml_input.load_all(patch)
        except yaml.YAMLError as exc:
            raise ValueError(f"the patch is neither JSON nor YAML: {exc}") from None
        if not docs or docs[0] is None:
            raise ValueError("the patch text holds no document")
        patch = yaml_input.jsonable(docs[0])
    try:
        return orjson.loads(orjson.dumps(patch))  # what would go over the wire; the registry mutates it
    except (orjson.JSONEncodeError, TypeError) as exc:
        raise ValueError(f"the patch cannot be sent as JSON: {exc}") from None
