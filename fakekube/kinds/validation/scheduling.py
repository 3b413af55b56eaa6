"""``scheduling.k8s.io/v1`` PriorityClass, as ``pkg/apis/scheduling/validation``.

Why here: the ``system-`` names belong to the two classes the API server creates itself, with fixed values,
and user classes may not outrank them (at most one billion); a class's value and preemption policy never
change, since pods copied them when they were admitted.  kube-apiserver refuses all of these with a 422.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError

SYSTEM_PREFIX = "system-"
HIGHEST_USER_PRIORITY = 1_000_000_000
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_PRIORITY
# ``SystemPriorityClasses()``: name -> (value, globalDefault)
SYSTEM_CLASSES = {
    "system-node-critical": (SYSTEM_CRITICAL_PRIORITY + 1000, False),
    "system-cluster-critical": (SYSTEM_CRITICAL_PRIORITY, False),
}
_PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]


def _system_class_problem(name: str, value: int, global_default: bool) -> str | None:
    """``IsKnownSystemPriorityClass``: why a ``system-`` class is not one of the known ones, or None."""
    known = SYSTEM_CLASSES.get(name)
    if known is None:
        return errors.priority_class_unknown_system(name)
    if known[0] != value:
        return errors.priority_class_system_value(name, known[0])
    if known[1] != global_default:
        return errors.priority_class_system_global_default(name, known[1])
    return None


def _preemption_policy(policy: Any) -> list[FieldError]:
    """``ValidatePreemptionPolicy``."""
    if policy in _PREEMPTION_POLICIES:
        return []
    if policy == "":
        return [errors.required("preemptionPolicy")]
    return [errors.not_supported("preemptionPolicy", policy, _PREEMPTION_POLICIES)]


def validate_priority_class(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidatePriorityClass`` on create; ``ValidatePriorityClassUpdate`` (value and preemption policy fixed)
    on update, which upstream runs instead of the create rules."""
    value = obj.get("value") or 0
    policy = obj.get("preemptionPolicy")
    if old is not None:
        out: list[FieldError] = []
        if value != (old.get("value") or 0):
            out.append(errors.priority_class_value_changed())
        if policy != old.get("preemptionPolicy"):
            out.append(errors.immutable_field("preemptionPolicy", policy))
        return out
    out = []
    name = str((obj.get("metadata") or {}).get("name") or "")
    if name.startswith(SYSTEM_PREFIX):
        problem = _system_class_problem(name, value, bool(obj.get("globalDefault")))
        if problem is not None:
            out.append(errors.priority_class_reserved_name(problem))
    elif value > HIGHEST_USER_PRIORITY:
        out.append(errors.priority_class_value_too_high(HIGHEST_USER_PRIORITY))
    if policy is not None:
        out.extend(_preemption_policy(policy))
    return out
