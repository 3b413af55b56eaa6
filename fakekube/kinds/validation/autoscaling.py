"""``pkg/apis/autoscaling/validation``: HorizontalPodAutoscalers (``autoscaling/v2``, and ``v1`` through the
same rules on its fields).

Why: an HPA's errors name ``spec.minReplicas``, ``spec.metrics[i]...`` and ``spec.behavior...`` exactly as
autoscalers and kubectl show them.  ``v1`` objects carry ``targetCPUUtilizationPercentage`` instead of
metrics; upstream converts it to a Resource metric before validating, so only its range is checked here.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import workload_validation as wl
from fakekube.errors.pod_validation import GREATER_THAN_0
from fakekube.kinds.validation import common
from fakekube.name_formats import path_segment_name_errors
from fakekube.versions import served_minor

Obj = dict[str, Any]
MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
_SOURCES = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
_SOURCE_LIST = ["ContainerResource", "External", "Object", "Pods", "Resource"]
_TARGET_TYPES = ["AverageValue", "Utilization", "Value"]


def cross_version_reference(ref: Obj, path: str) -> list[FieldError]:
    """``ValidateCrossVersionObjectReference``: kind and name required, each a path segment."""
    out: list[FieldError] = []
    for name in ("kind", "name"):
        value = str(ref.get(name, ""))
        if not value:
            out.append(errors.required(f"{path}.{name}"))
        else:
            out.extend(errors.invalid(f"{path}.{name}", value, msg) for msg in path_segment_name_errors(value))
    return out


def _metric_target(target: Obj, path: str) -> list[FieldError]:
    """``validateMetricTarget``."""
    out: list[FieldError] = []
    kind = target.get("type", "")
    if not kind:
        out.append(errors.required(f"{path}.type", wl.METRIC_TARGET_TYPE_REQUIRED))
    elif kind not in _TARGET_TYPES:
        out.append(errors.not_supported(f"{path}.type", kind, _TARGET_TYPES))
    utilization = target.get("averageUtilization")
    if isinstance(utilization, int) and utilization < 1:
        out.append(errors.invalid(f"{path}.averageUtilization", utilization, GREATER_THAN_0))
    out.extend(
        common.positive_quantity(target.get("value"), f"{path}.value") if target.get("value") is not None else []
    )
    if target.get("averageValue") is not None:
        out.extend(common.positive_quantity(target["averageValue"], f"{path}.averageValue"))
    return out


def _metric_identifier(metric: Obj, path: str) -> list[FieldError]:
    name = str(metric.get("name", ""))
    if not name:
        return [errors.required(f"{path}.name", wl.METRIC_NAME_REQUIRED)]
    out = [errors.invalid(f"{path}.name", name, msg) for msg in path_segment_name_errors(name)]
    out.extend(common.label_selector(metric.get("selector"), f"{path}.selector"))
    return out


def _source(kind: str, src: Obj, path: str) -> list[FieldError]:
    target = common.mapping(src.get("target"))
    out: list[FieldError] = []
    if kind == "object":
        out.extend(cross_version_reference(common.mapping(src.get("describedObject")), f"{path}.describedObject"))
    if kind in ("object", "external", "pods"):
        out.extend(_metric_identifier(common.mapping(src.get("metric")), f"{path}.metric"))
    if kind in ("resource", "containerResource"):
        if not src.get("name"):
            out.append(errors.required(f"{path}.name", wl.RESOURCE_NAME_REQUIRED))
        if kind == "containerResource" and not src.get("container"):
            out.append(errors.required(f"{path}.container", wl.CONTAINER_REQUIRED))
    out.extend(_metric_target(target, f"{path}.target"))
    value, average = target.get("value"), target.get("averageValue")
    utilization = target.get("averageUtilization")
    if kind == "object" and value is None and average is None:
        out.append(errors.required(f"{path}.target.averageValue", wl.OBJECT_TARGET_REQUIRED))
    if kind == "external":
        if value is None and average is None:
            out.append(errors.required(f"{path}.target.averageValue", wl.EXTERNAL_TARGET_REQUIRED))
        if value is not None and average is not None:
            out.append(errors.forbidden(f"{path}.target.value", wl.EXTERNAL_TARGET_BOTH))
    if kind == "pods" and average is None:
        out.append(errors.required(f"{path}.target.averageValue", wl.PODS_AVERAGE_VALUE_REQUIRED))
    if kind in ("resource", "containerResource"):
        if utilization is None and average is None:
            out.append(errors.required(f"{path}.target.averageUtilization", wl.RESOURCE_TARGET_REQUIRED))
        if utilization is not None and average is not None:
            out.append(errors.forbidden(f"{path}.target.averageValue", wl.RESOURCE_TARGET_BOTH))
    return out


def _metric_spec(metric: Obj, path: str) -> list[FieldError]:
    """``validateMetricSpec``: a known type, its source set, and no other."""
    out: list[FieldError] = []
    kind = str(metric.get("type", ""))
    if not kind:
        out.append(errors.required(f"{path}.type", wl.METRIC_SOURCE_TYPE_REQUIRED))
    if kind not in _SOURCES:
        out.append(errors.not_supported(f"{path}.type", kind, _SOURCE_LIST))
    present = [
        name
        for name in ("object", "external", "pods", "resource", "containerResource")
        if isinstance(metric.get(name), dict)
    ]
    if present:
        out.extend(_source(present[0], metric[present[0]], f"{path}.{present[0]}"))
    expected = _SOURCES.get(kind)
    if expected is not None:
        if expected not in present:
            out.append(errors.required(f"{path}.{expected}", wl.METRIC_SOURCE_REQUIRED))
    else:
        out.append(errors.not_supported(f"{path}.type", kind, _SOURCE_LIST))
    if len(present) != 1:
        out.extend(
            errors.forbidden(f"{path}.{name}", wl.METRIC_SOURCE_ONLY) for name in sorted(present) if name != expected
        )
    return out


def _scaling_rules(rules: Any, path: str) -> list[FieldError]:
    if not isinstance(rules, dict):
        return []
    out: list[FieldError] = []
    window = rules.get("stabilizationWindowSeconds")
    if isinstance(window, int) and window < 0:
        out.append(errors.invalid(f"{path}.stabilizationWindowSeconds", window, wl.NOT_NEGATIVE_ZERO))
    if isinstance(window, int) and window > MAX_STABILIZATION_WINDOW_SECONDS:
        out.append(
            errors.invalid(
                f"{path}.stabilizationWindowSeconds",
                window,
                wl.at_most(MAX_STABILIZATION_WINDOW_SECONDS),
            )
        )
    select = rules.get("selectPolicy")
    if select is not None and select not in ("Disabled", "Max", "Min"):
        out.append(errors.not_supported(f"{path}.selectPolicy", select, ["Disabled", "Max", "Min"]))
    policies = rules.get("policies") or []
    if not policies:
        out.append(errors.required(f"{path}.policies", wl.POLICY_REQUIRED))
    for i, policy in enumerate(policies):
        policy, at = common.mapping(policy), f"{path}.policies[{i}]"
        if policy.get("type") not in ("Pods", "Percent"):
            out.append(errors.not_supported(f"{at}.type", policy.get("type", ""), ["Percent", "Pods"]))
        value, period = policy.get("value", 0), policy.get("periodSeconds", 0)
        if isinstance(value, int) and value <= 0:
            out.append(errors.invalid(f"{at}.value", value, errors.NOT_POSITIVE))
        if isinstance(period, int) and period <= 0:
            out.append(errors.invalid(f"{at}.periodSeconds", period, errors.NOT_POSITIVE))
        if isinstance(period, int) and period > MAX_PERIOD_SECONDS:
            out.append(errors.invalid(f"{at}.periodSeconds", period, wl.at_most(MAX_PERIOD_SECONDS)))
    return out


def validate_hpa(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateHorizontalPodAutoscaler`` / ``...Update`` (HPAScaleToZero is off: minReplicas >= 1, unless the
    stored object already had 0)."""
    spec = common.mapping(obj.get("spec"))
    old_min = common.mapping(old.get("spec")).get("minReplicas") if old is not None else None
    lower = 0 if old_min == 0 else 1
    out: list[FieldError] = []
    minimum, maximum = spec.get("minReplicas"), spec.get("maxReplicas", 0)
    if isinstance(minimum, int) and minimum < lower:
        out.append(errors.invalid("spec.minReplicas", minimum, wl.at_least(lower)))
    if isinstance(maximum, int) and maximum < 1:
        out.append(errors.invalid("spec.maxReplicas", maximum, GREATER_THAN_0))
    if isinstance(minimum, int) and isinstance(maximum, int) and maximum < minimum:
        out.append(errors.invalid("spec.maxReplicas", maximum, wl.MAX_BELOW_MIN_REPLICAS))
    out.extend(cross_version_reference(common.mapping(spec.get("scaleTargetRef")), "spec.scaleTargetRef"))
    target = spec.get("targetCPUUtilizationPercentage")  # autoscaling/v1
    if isinstance(target, int) and target < 1:
        out.append(errors.invalid("spec.targetCPUUtilizationPercentage", target, GREATER_THAN_0))
    for i, metric in enumerate(spec.get("metrics") or []):
        out.extend(_metric_spec(common.mapping(metric), f"spec.metrics[{i}]"))
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        out.extend(_scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp"))
        out.extend(_scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown"))
    if served_minor() >= 36:
        # from v1.36 the HPA strategy runs declarative validation, whose filtering of the handwritten errors
        # (``ErrorList.Filter``, through ``ToAggregate``) keeps one of each text: an unknown metric type's two
        # ``Unsupported value`` errors become one
        first: dict[str, FieldError] = {}
        for error in out:
            first.setdefault(str(error), error)
        out = list(first.values())
    return out
