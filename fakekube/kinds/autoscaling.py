"""``autoscaling`` (``pkg/registry/autoscaling``): HorizontalPodAutoscalers, served as ``v2`` and ``v1``.

Defaults are the request version's (``pkg/apis/autoscaling/v2/defaults.go``, ``.../v1/defaults.go``): the body
reaches ``defaults`` in the version it was sent in.  Validation is ``kinds/validation/autoscaling.py``.
"""

from __future__ import annotations

from typing import Any

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation.autoscaling import validate_hpa

# GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: what an HPA's behavior gets for what it leaves unset.
_SCALE_UP = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
_SCALE_DOWN = {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}
DEFAULT_CPU_UTILIZATION = 80


def _rules(given: Any, defaults: dict[str, Any]) -> dict[str, Any]:
    """``copyHPAScalingRules``: the defaults, with each field the user set kept."""
    out: dict[str, Any] = {k: ([dict(p) for p in v] if isinstance(v, list) else v) for k, v in defaults.items()}
    for name in ("selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"):
        if isinstance(given, dict) and given.get(name) is not None:
            out[name] = given[name]
    return out


def _defaults(obj: Obj) -> None:
    """``SetDefaults_HorizontalPodAutoscaler`` of the request's version: one minimum replica; in ``v2`` an 80%
    CPU utilization metric when none is given, and a behavior's unset rules filled in."""
    spec = obj.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if obj.get("apiVersion") == "autoscaling/v1":
        return
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION},
                },
            }
        ]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _rules(as_dict(behavior.get("scaleUp")) or None, _SCALE_UP)
        behavior["scaleDown"] = _rules(as_dict(behavior.get("scaleDown")) or None, _SCALE_DOWN)


def _drop_status(obj: Obj, cluster: object) -> None:
    """``autoscalerStrategy.PrepareForCreate``: the status is the controller's."""
    obj.pop("status", None)


KINDS = {
    "HorizontalPodAutoscaler": Strategy(
        defaults=_defaults, prepare_for_create=_drop_status, validate=validate_hpa, kube_finalizers=True
    )
}
