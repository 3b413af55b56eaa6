"""The ``/scale`` subresource: an ``autoscaling/v1`` Scale view of a workload's replica count.

``kubectl scale`` and autoscalers read and write replicas through it without touching the rest of
the object.  Reads build the Scale from the parent; writes change the parent's ``spec.replicas``
through the registry's update, so conflicts, validation and generation work as for any update.
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube import errors
from fakekube.schema import validation
from fakekube.registry.catalog import ResourceInfo
from fakekube.registry.rest import Registry, Result, WriteOptions


def selector_string(selector: Any) -> str:
    """A label selector as the text Scale ``status.selector`` carries (``app=web,tier in (a,b)``)."""
    if not isinstance(selector, dict):
        return ""
    parts = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        shown = {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key,
                 "DoesNotExist": f"!{key}"}.get(operator)
        if shown is not None:
            parts.append((key, shown))
    return ",".join(text for _, text in sorted(parts, key=lambda part: part[0]))  # sorted by key, as upstream


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


SCALE_DEFINITION = "io.k8s.api.autoscaling.v1.Scale"


def update_scale(registry: Registry, res: ResourceInfo, namespace: str, name: str, scale: Any,
                 opts: WriteOptions | None = None) -> Result:
    """Set the parent's replicas from a Scale body, decoded and checked like any autoscaling/v1 object."""
    opts = opts or WriteOptions()
    if not isinstance(scale, dict):
        raise errors.decode_error("Scale", "v1", f"json: cannot unmarshal {validation.json_type(scale)} into Go "
                                  "value of type v1.Scale")
    if scale.get("apiVersion", "autoscaling/v1") != "autoscaling/v1":
        raise errors.bad_request(f"the API version in the data ({scale.get('apiVersion')}) does not match the "
                                 "expected API version (autoscaling/v1)")
    if scale.get("kind", "Scale") != "Scale":
        raise errors.bad_request(f"the kind in the data ({scale.get('kind')}) does not match the expected kind (Scale)")
    body = validation.strip_nulls(scale)
    checked = validation.builtin_validator(registry.catalog.kubernetes_version, SCALE_DEFINITION).validate(
        body, kind="Scale", version="v1", mode=opts.field_validation)
    meta = body.get("metadata") or {}
    if meta.get("name") and meta["name"] != name:
        raise errors.bad_request(f"the name of the object ({meta['name']}) does not match the name on the URL "
                                 f"({name})")
    if meta.get("namespace") and res.namespaced and meta["namespace"] != namespace:
        raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the "
                                 "request")
    replicas = (body.get("spec") or {}).get("replicas", 0)
    if replicas < 0:
        raise errors.invalid_object("Scale", "autoscaling", name, [
            errors.invalid("spec.replicas", replicas, "must be greater than or equal to 0")])
    parent = registry.get_object(res, namespace, name)
    if meta.get("uid") and meta["uid"] != parent["metadata"].get("uid"):
        raise errors.conflict(f"{res.plural}/scale", res.group, name,
                              f"Precondition failed: UID in precondition: {meta['uid']}, UID in object meta: "
                              f"{parent['metadata'].get('uid', '')}")
    wanted_rv = meta.get("resourceVersion")
    if wanted_rv and wanted_rv != parent["metadata"]["resourceVersion"]:
        raise errors.stale_update(res.plural, res.group, name)
    parent.setdefault("spec", {})["replicas"] = replicas
    updated = registry.update(res, namespace, name, parent, opts)
    return Result(orjson.dumps(scale_of(orjson.loads(updated.data))), checked.warnings + updated.warnings)
