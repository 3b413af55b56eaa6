"""The three PATCH engines of kube-apiserver as pure functions: JSON patch, JSON merge patch, strategic merge patch.

They reproduce what a v1.36 server does with a patch body, quirks included:

* ``json_patch`` follows ``gopkg.in/evanphx/json-patch.v4`` (v4.13.0, as vendored by Kubernetes): an ``add``
  below a missing parent fails, ``replace`` of a missing object key adds it, ``copy`` from a missing object key
  copies ``null``, negative array indexes count from the end, a path without a leading ``/`` drops its first
  segment, and ``test`` compares scalars by their JSON text (``1`` is not ``1.0``; a string with ``<``, ``>`` or
  ``&`` never matches, since the server's encoding escapes those characters).
* ``merge_patch`` follows the same library's ``MergePatch`` (RFC 7386 plus its null pruning rules).
* ``strategic_merge_patch`` follows ``k8s.io/apimachinery/pkg/util/strategicpatch`` as the server applies it
  (``StrategicMergeMapPatch``: parallel lists merged, unmatched nulls dropped), including its list ordering,
  which depends on Go's stable sort and on how Go slices share memory (modelled for a live object whose slices
  have no spare capacity, as the watch cache's deep copy gives); the field metadata comes from the schema
  model (``fakekube.schema.Schema``, built from the OpenAPI definitions) through ``SchemaLookup`` instead of
  Go struct tags.

Failures raise ``PatchError`` carrying the status ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go``
answers with: the library's error as a 400 ``BadRequest`` where the handler wraps it so, the fixed 422 text of
``NewGenericServerResponse`` for JSON patch application errors and for two strategic-merge errors, and a 500 with an
empty reason and the bare error text for the strategic-merge errors the handler passes through unconverted.  Where
the Go code would panic, the error is the 500 of the panic-recovery filter.

The modules: ``errors`` (``PatchError`` and the texts and constructors of the statuses), ``go_values`` (Go value
semantics shared by the engines), ``json_patch`` with ``json_document``, ``merge_patch``, ``schema_lookup``
(``SchemaLookup``, ``PatchMeta``), and ``strategic`` with ``directives`` and ``strategic_lists``.
"""

from __future__ import annotations

from fakekube.patch.errors import PANIC_MESSAGE as PANIC_MESSAGE
from fakekube.patch.errors import UNPROCESSABLE_MESSAGE as UNPROCESSABLE_MESSAGE
from fakekube.patch.errors import PatchError
from fakekube.patch.json_patch import JSON_PATCH_MAX_COPY_BYTES as JSON_PATCH_MAX_COPY_BYTES
from fakekube.patch.json_patch import MAX_JSON_PATCH_OPERATIONS, json_patch
from fakekube.patch.merge_patch import merge_patch
from fakekube.patch.schema_lookup import PatchMeta, SchemaLookup
from fakekube.patch.strategic import strategic_merge_patch

__all__ = [
    "MAX_JSON_PATCH_OPERATIONS",
    "PatchError",
    "PatchMeta",
    "SchemaLookup",
    "json_patch",
    "merge_patch",
    "strategic_merge_patch",
]
