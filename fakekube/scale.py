"""The ``/scale`` subresource: an ``autoscaling/v1`` Scale view of a workload's replica count.

``kubectl scale`` and autoscalers read and write replicas through it without touching the rest of
the object.  Reads build the Scale from the parent; writes change the parent's ``spec.replicas``
through the registry's update, so conflicts, validation and generation work as for any update.
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube import errors
from fakekube.catalog import ResourceInfo
from fakekube.registry import Registry, Result, WriteOptions


def selector_string(selector: Any) -> str:
    """A label selector as the text Scale ``status.selector`` carries (``app=web,tier in (a,b)``)."""
    if not isinstance(selector, dict):
        return ""
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        if operator == "In":
            parts.append(f"{key} in ({values})")
        elif operator == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif operator == "Exists":
            parts.append(key)
        elif operator == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


def scale_of(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    selector = spec.get("selector")
    if obj.get("kind") == "ReplicationController" and isinstance(selector, dict):
        selector = {"matchLabels": selector}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if k in meta},
        "spec": {"replicas": spec.get("replicas", 0)},
        "status": {"replicas": status.get("replicas", 0), "selector": selector_string(selector)},
    }


def get_scale(registry: Registry, res: ResourceInfo, namespace: str, name: str) -> dict[str, Any]:
    return scale_of(registry.get_object(res, namespace, name))


def update_scale(registry: Registry, res: ResourceInfo, namespace: str, name: str, scale: Any,
                 opts: WriteOptions | None = None) -> Result:
    """Set the parent's replicas from a Scale body; a stale resourceVersion in it is a conflict."""
    if not isinstance(scale, dict):
        raise errors.decode_error("Scale", "v1", "json: cannot unmarshal non-object into Go value of type v1.Scale")
    replicas = (scale.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise errors.decode_error("Scale", "v1", "json: cannot unmarshal " + type(replicas).__name__ +
                                  " into Go struct field ScaleSpec.spec.replicas of type int32")
    if replicas < 0:
        raise errors.invalid_object("Scale", "autoscaling", name, [
            errors.invalid("spec.replicas", replicas, "must be greater than or equal to 0")])
    parent = registry.get_object(res, namespace, name)
    wanted_rv = (scale.get("metadata") or {}).get("resourceVersion")
    if wanted_rv and wanted_rv != parent["metadata"]["resourceVersion"]:
        raise errors.stale_update(res.plural, res.group, name)
    parent.setdefault("spec", {})["replicas"] = replicas
    updated = registry.update(res, namespace, name, parent, opts)
    return Result(orjson.dumps(scale_of(orjson.loads(updated.data))), updated.warnings)
