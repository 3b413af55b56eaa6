"""Objects as kube-apiserver writes them: Go's field order, and conversion between served and stored versions."""

from __future__ import annotations

from typing import Any

import orjson

from fakekube.registry.resources import ResourceInfo

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


def encode(res: ResourceInfo, data: bytes) -> bytes:
    """Stored bytes -> bytes in ``res``'s version (no parse when they are the same)."""
    if res.api_version == res.storage_version:
        return data
    return orjson.dumps(to_version(res, orjson.loads(data)))


def to_version(res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
    """A stored (or any-version) object as ``res``'s version shows it."""
    if obj.get("apiVersion") == res.api_version:
        return obj
    return ordered(res.converter.convert(obj, res.api_version))


def to_storage(res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
    if res.api_version == res.storage_version:
        return obj
    return ordered(res.converter.convert(obj, res.storage_version))
