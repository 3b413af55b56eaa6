"""The schema checks of a custom resource's validation step, in kube-apiserver's order, with ratcheting.

apiextensions-apiserver's custom resource strategy validates the object it is about to store (after
the strategy has prepared it, so a status reset from the stored object is what is checked):

1. the OpenAPI validation of the CRD version's schema (``Validator.origin_errors``); on update,
   errors at values unchanged from the stored object are dropped (``ratcheting``); then the scale
   subresource's checks of its paths' values (given by the caller, ``scale_errors``);
2. the type and object metadata of embedded resources (``embedded``), create and update alike;
3. the uniqueness of ``set`` and ``map`` lists (``listtype``), on update only when the stored object
   had no such error (a coarse ratchet of its own).

A write through ``/status`` checks only the ``status`` part against its schema, and no embedded
resources.  The CEL rules come after these, from the kind's strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fakekube.errors import FieldError
from fakekube.schema.embedded import MetaErrors, embedded_errors
from fakekube.schema.listtype import list_errors
from fakekube.schema.ratcheting import Correlation, ratcheted
from fakekube.schema.validation import Validator

STATUS = "status"


def custom_resource_errors(validator: Validator, obj: dict[str, Any], old: dict[str, Any] | None, *,
                           meta_errors: MetaErrors, subresource: str = "",
                           scale_errors: Sequence[FieldError] = ()) -> list[FieldError]:
    """The schema errors of custom resource ``obj`` (``old``: the stored object, None on create), to follow
    the ObjectMeta errors and precede the CEL ones.  ``meta_errors(metadata, path)`` checks an embedded
    resource's metadata as ObjectMeta on create, its fields under ``path``; ``scale_errors`` (the scale
    subresource's checks of the replicas and selector paths) come right after the OpenAPI errors."""
    schema = validator.schema
    found = validator.origin_errors(obj)
    out: list[FieldError]
    if subresource == STATUS:
        status_node = schema.properties.get(STATUS)
        root = Correlation(obj.get(STATUS), old.get(STATUS) if old is not None else None, status_node)
        out = [error for path, error in found
               if path[:1] == (STATUS,) and not ratcheted(root, path[1:], resource_root=False)]
        out.extend(scale_errors)
    else:
        if old is not None and found:
            root = Correlation(obj, old, schema)
            found = [(path, error) for path, error in found if not ratcheted(root, path)]
        out = [error for _, error in found]
        out.extend(scale_errors)
        out.extend(embedded_errors(obj, schema, meta_errors))
    lists = list_errors(obj, schema)
    if lists and (old is None or not list_errors(old, schema)):
        out.extend(lists)
    return out
