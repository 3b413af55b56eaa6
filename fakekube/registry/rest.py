"""The generic registry: every verb of every resource, over one read-modify-write primitive.

kube-apiserver's ``registry/generic/registry/store.go`` in small.  Every write -- create, update,
each patch type, ``/status``, ``/scale``, ``/finalize``, bindings, deletion, the Python API and the
controllers -- takes the same ordered steps (``create``, ``update``, ``delete``):

    decode -> patch -> defaults -> mutating admission -> strategy prepare (status split, reset
    fields, generation) -> validation (schema, metadata, kind rules) -> validating admission ->
    field management -> dry run stops here -> store

Updates and deletes run inside ``Store.guaranteed_update``, so they act on the object as it is when
they are stored; the resource's ``Strategy`` (``fakekube.kinds``) decides each kind's part.  Nothing
here knows HTTP; the handlers, the Python API and the controllers call the same methods with a
``Context`` that says who writes and how.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry import create, delete, steps, update
from fakekube.registry.admission import Admission
from fakekube.registry.admission_policy_warnings import with_admission_warnings
from fakekube.registry.catalog import Catalog
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, to_version
from fakekube.registry.fieldmanager import FieldManager
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.steps import DeleteOptions, Result
from fakekube.storage import Store
from fakekube.versions import serving

__all__ = ["DeleteOptions", "Registry", "Result"]


class Registry:
    """REST semantics for one cluster: its store, its catalog, its admission chains and allocators."""

    def __init__(self, store: Store, catalog: Catalog, clock: Callable[[], float] = time.time):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.admission = Admission(store, catalog)
        self.field_manager = FieldManager(self.now)
        self._last_ip = 10  # service addresses handed out so far (10.96.0.1 is the API server's, .10 DNS)
        self._last_node_port = 29999

    # --- what strategies may ask of the cluster (kinds.strategy.ClusterAccess) --------------------

    def now(self) -> float:
        return self.clock()

    def allocate_cluster_ip(self) -> str:
        """The next free address of the cluster's service range 10.96.0.0/12 (10.96.0.1-10 are reserved)."""
        self._last_ip += 1
        return f"10.{96 + (self._last_ip >> 16)}.{(self._last_ip >> 8) & 255}.{self._last_ip & 255}"

    def allocate_node_port(self) -> int:
        """The next port of the default NodePort range 30000-32767."""
        self._last_node_port = 30000 + (self._last_node_port - 29999) % 2768
        return self._last_node_port

    # --- reads -------------------------------------------------------------------------------------

    def get(self, ctx: Context, res: ResourceInfo, namespace: str, name: str, subresource: str | None = None
            ) -> bytes:
        data = self.store.get(res.storage_key, steps.key(res, namespace, name))
        if data is None:
            raise errors.not_found(res.plural, res.group, name)
        if subresource is not None:
            sub = res.subresource_strategy(subresource)
            if sub is not None and sub.view is not None:
                return orjson.dumps(sub.view(to_version(res, orjson.loads(data))))
        return encode(res, data)

    def get_object(self, ctx: Context, res: ResourceInfo, namespace: str, name: str) -> dict[str, Any]:
        result: dict[str, Any] = orjson.loads(self.get(ctx, res, namespace, name))
        return result

    # --- writes ------------------------------------------------------------------------------------

    @with_admission_warnings
    def create(self, ctx: Context, res: ResourceInfo, namespace: str, body: Any, *, name: str | None = None,
               subresource: str | None = None) -> Result:
        """POST: a new object, or (with ``subresource``) a create that writes the named object's subresource."""
        with self._dry_run_scope(ctx), serving(res.kubernetes_version):
            if subresource is not None:
                return update.write_subresource(self, ctx, res, namespace, name or "", subresource, body,
                                                created=True)
            if res.strategy.writes_subresource is not None:
                return update.create_through_parent(self, ctx, res, namespace, body)
            return create.create(self, ctx, res, namespace, body)

    @with_admission_warnings
    def update(self, ctx: Context, res: ResourceInfo, namespace: str, name: str, body: Any,
               subresource: str | None = None) -> Result:
        """PUT of the object or of one of its subresources."""
        with self._dry_run_scope(ctx), serving(res.kubernetes_version):
            if subresource is not None:
                return update.write_subresource(self, ctx, res, namespace, name, subresource, body)
            return update.update(self, ctx, res, namespace, name, body)

    @with_admission_warnings
    def patch(self, ctx: Context, res: ResourceInfo, namespace: str, name: str, patch_type: str, patch_body: Any,
              subresource: str | None = None) -> Result:
        """PATCH (``json``, ``merge`` or ``strategic``): the patch applies to the object as stored, inside
        the read-modify-write, then takes the update path."""
        with self._dry_run_scope(ctx), serving(res.kubernetes_version):
            if subresource is not None:
                return update.write_subresource(self, ctx, res, namespace, name, subresource, None,
                                                patch=(patch_type, patch_body))
            return update.patch(self, ctx, res, namespace, name, patch_type, patch_body)

    @with_admission_warnings
    def apply(self, ctx: Context, res: ResourceInfo, namespace: str, name: str, config: Any, *, force: bool = False,
              subresource: str | None = None, strictness: str = "") -> Result:
        """Server-side apply of ``config`` by ``ctx.field_manager``: merged into the stored object, or creating
        it (``Result.created``) when there is none.  ``strictness``: what a strict reading of the body found
        (a key set twice), refused under ``fieldValidation=Strict`` and a warning under ``Warn``."""
        with self._dry_run_scope(ctx), serving(res.kubernetes_version):
            if subresource is not None:
                return update.write_subresource(self, ctx, res, namespace, name, subresource, None,
                                                patch=(update.APPLY, (config, force, strictness)))
            return update.apply(self, ctx, res, namespace, name, config, force, strictness)

    @contextlib.contextmanager
    def _dry_run_scope(self, ctx: Context) -> Iterator[None]:
        """A dry run allocates nothing: the addresses and ports it drew are handed out again."""
        if not ctx.dry_run:
            yield
            return
        last_ip, last_node_port = self._last_ip, self._last_node_port
        try:
            yield
        finally:
            self._last_ip, self._last_node_port = last_ip, last_node_port

    @with_admission_warnings
    def delete(self, ctx: Context, res: ResourceInfo, namespace: str, name: str,
               opts: DeleteOptions | None = None) -> Result:
        """DELETE: removes the object, or marks it as being deleted while it has finalizers."""
        return delete.delete(self, ctx, res, namespace, name, opts or DeleteOptions())
