"""Objects as kube-apiserver writes them: Go's field order, and conversion between served and stored versions."""

from __future__ import annotations

import copy
import functools
from typing import Any

import orjson

from fakekube.registry.resources import ResourceInfo
from fakekube.schema.defaulting import apply_defaults, holds_defaults

# Go's ObjectMeta field order, so objects read back as a real server writes them.
META_ORDER = (
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields",
)


def ordered(obj: dict[str, Any]) -> dict[str, Any]:
    """``kind, apiVersion, metadata, <rest as given>, status``: the field order of the Go types."""
    out: dict[str, Any] = {}
    for key in ("kind", "apiVersion"):
        if key in obj:
            out[key] = obj[key]
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        out["metadata"] = {k: meta[k] for k in META_ORDER if k in meta}
        out["metadata"].update({k: v for k, v in meta.items() if k not in out["metadata"]})
    for key, value in obj.items():
        if key not in out and key != "status":
            out[key] = value
    if "status" in obj:
        out["status"] = obj["status"]
    return out


def verbatim(res: ResourceInfo) -> bool:
    """Whether stored bytes are served as they are: the served version is stored, and reads add no defaults."""
    return res.api_version == res.storage_version and not res.mixed_storage and not _reads_defaults(res)


def encode(res: ResourceInfo, data: bytes) -> bytes:
    """Stored bytes -> bytes in ``res``'s version (no parse when they are the same and nothing is defaulted).

    A custom resource's bytes are looked at before they are trusted: a watch keeps the ``ResourceInfo`` it
    started with, and the CRD's storage version may have moved since (kube-apiserver's old handler, still
    serving the watch, converts what it reads)."""
    defaults = _reads_defaults(res)
    if not defaults and res.api_version == res.storage_version and not res.mixed_storage and (
            not res.is_custom or data.startswith(stored_prefix(res.kind, res.api_version))):
        return data
    obj = orjson.loads(data)  # our own copy: defaulted in place
    if obj.get("apiVersion") != res.api_version:
        obj = ordered(res.converter.convert(obj, res.api_version))
    if defaults:
        apply_defaults(obj, res.schema_model)
    return orjson.dumps(obj)


@functools.lru_cache(maxsize=1024)
def stored_prefix(kind: str, api_version: str) -> bytes:
    """How the bytes of an object stored in ``api_version`` begin (``to_storage`` writes them ``ordered``)."""
    return b'{"kind":' + orjson.dumps(kind) + b',"apiVersion":' + orjson.dumps(api_version) + b","


def to_version(res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
    """A stored (or any-version) object as ``res``'s version shows it.

    A custom resource also gets its schema's defaults, as kube-apiserver defaults what it decodes from
    etcd: a default added to a CRD shows on objects stored before it.  On a copy, as ``obj`` may be shared
    (a watch event's object)."""
    if obj.get("apiVersion") != res.api_version:
        obj = ordered(res.converter.convert(obj, res.api_version))
    if _reads_defaults(res):
        obj = copy.deepcopy(obj)
        apply_defaults(obj, res.schema_model)
    return obj


def _reads_defaults(res: ResourceInfo) -> bool:
    """Whether reads of ``res`` are defaulted: a custom resource whose schema has defaults (built-ins: never)."""
    return res.schema is not None and holds_defaults(res.schema_model)


def to_storage(res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
    if res.api_version == res.storage_version:
        return obj
    return ordered(res.converter.convert(obj, res.storage_version))
