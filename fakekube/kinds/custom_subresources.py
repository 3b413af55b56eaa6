"""What a CRD version's ``subresources`` and ``additionalPrinterColumns`` add to its custom resources' strategy.

apiextensions-apiserver's custom resource strategy differs from a built-in one in four ways this module adds
to the strategy built from the schema (``kinds/custom.py``):

* generation: every change outside ``metadata`` counts, so without a ``status`` subresource a status change
  bumps it too (with one, the main endpoint keeps the stored status anyway);
* ``/status`` keeps the whole stored object but the status (metadata included: labels sent there are
  ignored), and owns nothing outside the status (``metadata`` and ``spec`` are its reset fields);
* ``/scale`` reads and writes the paths the CRD names (``kinds/custom_scale.py``), and every write checks
  those paths' values;
* the table shows the CRD's columns, or Age alone (``kinds/custom_columns.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from fakekube.kinds.custom_columns import columns_for_version
from fakekube.kinds.custom_scale import ScalePaths, with_scale_checks
from fakekube.kinds.strategy import STATUS, ClusterAccess, Obj, PrepareUpdate, Strategy, SubresourceStrategy


def _counted(obj: Obj) -> dict[str, Any]:
    """What the generic generation step compares: everything but metadata, status, kind and apiVersion."""
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "kind", "apiVersion")}


def _counting_status(prepare: PrepareUpdate | None) -> PrepareUpdate:
    """``PrepareForUpdate`` of a custom resource without ``/status``: a change of the status alone bumps the
    generation (the generic step counts every other field outside metadata)."""
    def prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
        if prepare is not None:
            prepare(obj, old, cluster)
        meta = obj["metadata"]
        if "generation" in meta and obj.get("status") != old.get("status") and _counted(obj) == _counted(old):
            meta["generation"] = int(meta["generation"]) + 1
    return prepare_for_update


def with_declared_subresources(base: Strategy, version: Mapping[str, Any]) -> Strategy:
    """``base`` (the schema's strategy) with the version's status, scale and table behaviour."""
    declared = version.get("subresources") or {}
    has_status = isinstance(declared, Mapping) and declared.get("status") is not None
    scale = ScalePaths.of(version)
    subresources: dict[str, SubresourceStrategy] = dict(base.subresources)
    validate = base.validate
    if scale is not None:
        subresources["scale"] = scale.subresource()
        validate = with_scale_checks(base.validate, lambda obj: [*scale.spec_errors(obj), *scale.status_errors(obj)])
    if has_status:
        status_validate = with_scale_checks(base.validate, scale.status_errors) if scale is not None else None
        subresources["status"] = dataclasses.replace(STATUS, validate=status_validate)
    return dataclasses.replace(
        base, validate=validate, subresources=MappingProxyType(subresources),
        status_resets=(*base.status_resets, "metadata") if has_status else base.status_resets,
        prepare_for_update=base.prepare_for_update if has_status else _counting_status(base.prepare_for_update),
        columns=columns_for_version(version))
