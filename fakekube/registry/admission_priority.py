"""The Priority admission plugin (``plugin/pkg/admission/priority``): a pod's priority comes from its
PriorityClass, never from the pod.

A new pod naming no class gets the global default class's (the lowest-valued one marked ``globalDefault``), or
priority 0 and ``preemptionPolicy: PreemptLowerPriority`` when there is none; a named class must exist, and a
pod that states another priority or policy than its class's is refused.  An update keeps the stored priority
and policy when the body leaves them out.  A PriorityClass marked ``globalDefault`` is refused while another one
is.  The two system classes kube-apiserver creates at start are known even when the store lacks them.
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube import errors
from fakekube.registry.admission_attributes import CREATE, UPDATE, Attributes, stored
from fakekube.storage import Store

TABLE = "scheduling.k8s.io/priorityclasses"
PREEMPT_LOWER = "PreemptLowerPriority"
# ``scheduling.SystemPriorityClasses``: what the apiserver's post-start hook creates
SYSTEM_CLASSES: dict[str, dict[str, Any]] = {
    "system-node-critical": {"value": 2000001000, "preemptionPolicy": PREEMPT_LOWER},
    "system-cluster-critical": {"value": 2000000000, "preemptionPolicy": PREEMPT_LOWER},
}


def _classes(store: Store) -> list[dict[str, Any]]:
    return [orjson.loads(data) for _, data in store.iter_table(TABLE)]


def _default_class(store: Store) -> dict[str, Any] | None:
    """The class new pods without one get: the lowest value among those marked ``globalDefault``."""
    found: dict[str, Any] | None = None
    for pc in _classes(store):
        if pc.get("globalDefault") and (found is None or int(found.get("value", 0)) > int(pc.get("value", 0))):
            found = pc
    return found


def _establish(store: Store, attrs: Attributes, name: str) -> tuple[str, int, str | None]:
    """The class name, priority and preemption policy a pod naming ``name`` (or none) gets."""
    if not name:
        default = _default_class(store)
        if default is None:
            return "", 0, PREEMPT_LOWER
        return default["metadata"]["name"], int(default.get("value", 0)), default.get("preemptionPolicy")
    pc = stored(store, TABLE, "", name) or SYSTEM_CLASSES.get(name)
    if pc is None:
        raise _forbidden(attrs, errors.priority_class_not_found(name))
    return name, int(pc.get("value", 0)), pc.get("preemptionPolicy")


def _forbidden(attrs: Attributes, detail: str) -> errors.StatusError:
    return errors.admission_forbidden(attrs.resource.plural, attrs.resource.group, attrs.name, detail)


def admit(store: Store, attrs: Attributes) -> None:
    if not attrs.is_core("pods") or attrs.obj is None or attrs.operation not in (CREATE, UPDATE):
        return
    spec = attrs.obj.get("spec")
    if not isinstance(spec, dict):
        return
    if attrs.operation == UPDATE:
        old_spec = (attrs.old or {}).get("spec") or {}
        for name in ("priority", "preemptionPolicy"):
            if spec.get(name) is None and old_spec.get(name) is not None:
                spec[name] = old_spec[name]
        return
    given = spec.get("priorityClassName")
    class_name, priority, policy = _establish(store, attrs, given if isinstance(given, str) else "")
    if class_name:
        spec["priorityClassName"] = class_name
    else:
        spec.pop("priorityClassName", None)
    stated = spec.get("priority")
    if stated is not None and stated != priority:
        raise _forbidden(attrs, errors.priority_value_given(stated, priority))
    spec["priority"] = priority
    if policy is not None:
        stated_policy = spec.get("preemptionPolicy")
        if stated_policy is not None and stated_policy != policy:
            raise _forbidden(attrs, errors.preemption_policy_given(stated_policy, policy))
        spec["preemptionPolicy"] = policy


def validate(store: Store, attrs: Attributes) -> None:
    """Only one PriorityClass may be the global default."""
    res = attrs.resource
    if res.group != "scheduling.k8s.io" or res.plural != "priorityclasses" or attrs.subresource \
            or attrs.operation not in (CREATE, UPDATE) or attrs.obj is None or not attrs.obj.get("globalDefault"):
        return
    default = _default_class(store)
    if default is None:
        return
    default_name = default["metadata"]["name"]
    if attrs.operation == CREATE or default_name != attrs.obj["metadata"].get("name"):
        raise _forbidden(attrs, errors.priority_default_exists(default_name))
