"""``autoscaling`` (``pkg/registry/autoscaling``): HorizontalPodAutoscalers, served as ``v2`` and ``v1``.

Defaults are the request version's (``pkg/apis/autoscaling/v2/defaults.go``, ``.../v1/defaults.go``): the body
reaches ``defaults`` in the version it was sent in.  Validation is ``kinds/validation/autoscaling.py``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fakekube.kinds.deferred import deferred
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy, Validate
from fakekube.versions import minor_of


# The rules of ``kinds/validation/autoscaling.py``, loaded with the first HorizontalPodAutoscaler written.
@deferred
def _validate_hpa() -> Validate:
    from fakekube.kinds.validation.autoscaling import validate_hpa

    return validate_hpa


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
_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"


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
        # v1's conversion to the internal type adds the 80% CPU metric when no metric is given (in the field or
        # the metrics annotation), so the v1 object the field manager sees has it as targetCPUUtilizationPercentage
        annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
        if spec.get("targetCPUUtilizationPercentage") is None and _METRICS_ANNOTATION not in annotations:
            spec["targetCPUUtilizationPercentage"] = DEFAULT_CPU_UTILIZATION
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


def _for_release(kubernetes_version: str) -> Strategy:
    """v1.37's ``HPAGeneration`` gate (on by default) gives an HPA ``metadata.generation``: 1 on create, counted
    on spec changes; earlier releases set none."""
    hpa = KINDS["HorizontalPodAutoscaler"]
    return replace(hpa, tracks_generation=minor_of(kubernetes_version) >= 37, for_release=None)


KINDS = {
    "HorizontalPodAutoscaler": Strategy(
        defaults=_defaults, prepare_for_create=_drop_status, validate=_validate_hpa, kube_finalizers=True,
        for_release=_for_release,
    )
}
