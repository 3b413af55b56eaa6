"""``pkg/apis/policy/validation``: PodDisruptionBudgets (``policy/v1``).

Why: a budget names either ``minAvailable`` or ``maxUnavailable`` (an int or a percent up to 100%), a valid
selector and a known unhealthy-pod eviction policy; ``policy/v1`` lets the spec change after creation.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import workload_validation as wl
from fakekube.go_text import GoShown, go_int_or_string, go_pointer, go_quote, go_struct
from fakekube.kinds.validation import common

Obj = dict[str, Any]


def _spec_shown(spec: Obj) -> GoShown:
    """The internal ``policy.PodDisruptionBudgetSpec`` (all its fields pointers)."""

    def pointer(name: str, go_type: str, address: str, shown: GoShown | None) -> GoShown:
        return go_pointer(go_type, None if spec.get(name) is None else shown, address)

    min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
    policy = spec.get("unhealthyPodEvictionPolicy")
    return go_struct("policy.PodDisruptionBudgetSpec", [
        ("MinAvailable", pointer("minAvailable", "intstr.IntOrString", "0xc000a1c000",
                                 go_int_or_string(min_available))),
        ("Selector", pointer("selector", "v1.LabelSelector", "0xc000a1c020",
                             wl.go_label_selector(spec.get("selector")))),
        ("MaxUnavailable", pointer("maxUnavailable", "intstr.IntOrString", "0xc000a1c040",
                                   go_int_or_string(max_unavailable))),
        ("UnhealthyPodEvictionPolicy", pointer("unhealthyPodEvictionPolicy", "policy.UnhealthyPodEvictionPolicyType",
                                               "0xc000a1c060", GoShown(go_quote(str(policy)), policy)))])


_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]


def validate_pdb(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidatePodDisruptionBudget`` (create and update alike in ``policy/v1``)."""
    spec = common.mapping(obj.get("spec"))
    out: list[FieldError] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        out.append(wl.invalid_shown("spec", _spec_shown(spec), wl.PDB_BOTH_SET))
    for name in ("minAvailable", "maxUnavailable"):
        if spec.get(name) is not None:
            out.extend(common.positive_int_or_percent(spec[name], f"spec.{name}"))
            out.extend(common.not_more_than_100_percent(spec[name], f"spec.{name}"))
    out.extend(common.label_selector(spec.get("selector"), "spec.selector"))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in _EVICTION_POLICIES:
        out.append(errors.not_supported("spec.unhealthyPodEvictionPolicy", policy, _EVICTION_POLICIES))
    return out
