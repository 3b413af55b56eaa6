"""``pkg/apis/policy/validation``: PodDisruptionBudgets (``policy/v1``).

Why: a budget names either ``minAvailable`` or ``maxUnavailable`` (an int or a percent up to 100%), a valid
selector and a known unhealthy-pod eviction policy; ``policy/v1`` lets the spec change after creation.
"""

from __future__ import annotations

from typing import Any

from fakekube.errors import FieldError
from fakekube.errors import workload_validation as wl
from fakekube.kinds.validation import common

Obj = dict[str, Any]


def _spec_shown(spec: Obj) -> str:
    """``policy.PodDisruptionBudgetSpec`` as ``%#v`` prints it: its pointer fields as addresses (a stand-in)."""

    def pointer(name: str, go_type: str, address: str) -> str:
        return f"(*{go_type})(nil)" if spec.get(name) is None else f"(*{go_type})({address})"

    return (
        "policy.PodDisruptionBudgetSpec{"
        f"MinAvailable:{pointer('minAvailable', 'intstr.IntOrString', '0xc000a1c000')}, "
        f"Selector:{pointer('selector', 'v1.LabelSelector', '0xc000a1c020')}, "
        f"MaxUnavailable:{pointer('maxUnavailable', 'intstr.IntOrString', '0xc000a1c040')}, "
        "UnhealthyPodEvictionPolicy:"
        f"{pointer('unhealthyPodEvictionPolicy', 'policy.UnhealthyPodEvictionPolicyType', '0xc000a1c060')}}}"
    )


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
    # an unknown unhealthyPodEvictionPolicy is the schema's enum error
    return out
