"""HorizontalPodAutoscaler: autoscaling/v1 <-> autoscaling/v2 (stored as v2).

v1 can only express a CPU-utilization target, so everything else v2 carries travels in
``autoscaling.alpha.kubernetes.io/*`` annotations on the v1 object and comes back when that object
is written through v1 again.
"""

from __future__ import annotations

import copy

from fakekube.conversion.common import (
    AUTOSCALING_V1,
    AUTOSCALING_V2,
    JSONDict,
    _copied_metadata,
    _dict,
    _go_json,
    _list,
    _set_annotation,
    _top_level,
)
from fakekube.conversion.decoding import _decode_annotation_list
from fakekube.conversion.hpa_behavior import (
    _behavior_from_internal,
    _behavior_to_internal,
    _condition,
    _v1_condition_to_v2,
)
from fakekube.conversion.hpa_metrics import (
    _cpu_utilization_metric,
    _cross_version_ref,
    _is_cpu_utilization_metric,
    _metric_value_status,
    _v1_metric_spec_to_v2,
    _v1_metric_status_to_v2,
    _v2_metric_spec_to_v1,
    _v2_metric_status_to_v1,
)

_HPA = "HorizontalPodAutoscaler"

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
SCALE_DOWN_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
SCALE_UP_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"

#: Annotations that only carry data across versions; they never survive into storage or into v2.
ROUND_TRIP_ANNOTATIONS: tuple[str, ...] = (
    METRICS_ANNOTATION,
    BEHAVIOR_ANNOTATION,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    CONDITIONS_ANNOTATION,
)

#: The CPU target a v1 object without one (and without other metrics) stands for.
DEFAULT_CPU_UTILIZATION = 80


def _drop_round_trip_annotations(meta: JSONDict) -> None:
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict) or not any(key in annotations for key in ROUND_TRIP_ANNOTATIONS):
        return
    kept = {key: value for key, value in annotations.items() if key not in ROUND_TRIP_ANNOTATIONS}
    if kept:
        meta["annotations"] = kept
    else:
        del meta["annotations"]


# -- the two directions


def _hpa_v2_to_v1(obj: JSONDict) -> JSONDict:
    meta = _copied_metadata(obj)
    _drop_round_trip_annotations(meta)
    spec = _dict(obj.get("spec"))
    status = _dict(obj.get("status"))
    metrics = _list(spec.get("metrics"))
    current_metrics = _list(status.get("currentMetrics"))
    conditions = _list(status.get("conditions"))

    out_spec: JSONDict = {"scaleTargetRef": _cross_version_ref(spec.get("scaleTargetRef"))}
    if spec.get("minReplicas") is not None:
        out_spec["minReplicas"] = spec["minReplicas"]
    out_spec["maxReplicas"] = spec.get("maxReplicas") or 0
    for metric in metrics:
        if _is_cpu_utilization_metric(metric):
            out_spec["targetCPUUtilizationPercentage"] = metric["resource"]["target"]["averageUtilization"]
            break

    out_status: JSONDict = {}
    for field in ("observedGeneration", "lastScaleTime"):
        if status.get(field) is not None:
            out_status[field] = copy.deepcopy(status[field])
    out_status["currentReplicas"] = status.get("currentReplicas") or 0
    out_status["desiredReplicas"] = status.get("desiredReplicas") or 0
    current_cpu = None
    for metric in current_metrics:  # no early exit upstream: the last CPU utilization wins
        metric = _dict(metric)
        resource = metric.get("resource")
        if metric.get("type") == "Resource" and isinstance(resource, dict) and resource.get("name") == "cpu":
            utilization = _dict(resource.get("current")).get("averageUtilization")
            if utilization is not None:
                current_cpu = utilization
    if current_cpu is not None:
        out_status["currentCPUUtilizationPercentage"] = current_cpu

    other_metrics = [_v2_metric_spec_to_v1(metric) for metric in metrics if not _is_cpu_utilization_metric(metric)]
    if other_metrics:
        _set_annotation(meta, METRICS_ANNOTATION, _go_json(other_metrics))
    if current_metrics:
        _set_annotation(
            meta, CURRENT_METRICS_ANNOTATION, _go_json([_v2_metric_status_to_v1(metric) for metric in current_metrics])
        )
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        _set_annotation(meta, BEHAVIOR_ANNOTATION, _go_json(_behavior_to_internal(behavior)))
    if conditions:
        _set_annotation(meta, CONDITIONS_ANNOTATION, _go_json([_condition(condition) for condition in conditions]))

    return _top_level(_HPA, AUTOSCALING_V1, meta, {"spec": out_spec, "status": out_status})


def _hpa_v1_to_v2(obj: JSONDict) -> JSONDict:
    meta = _copied_metadata(obj)
    annotations = _dict(meta.get("annotations"))
    spec = _dict(obj.get("spec"))
    status = _dict(obj.get("status"))

    out_spec: JSONDict = {"scaleTargetRef": _cross_version_ref(spec.get("scaleTargetRef"))}
    if spec.get("minReplicas") is not None:
        out_spec["minReplicas"] = spec["minReplicas"]
    out_spec["maxReplicas"] = spec.get("maxReplicas") or 0
    metrics: list[JSONDict] = []
    if spec.get("targetCPUUtilizationPercentage") is not None:
        metrics.append(_cpu_utilization_metric(spec["targetCPUUtilizationPercentage"]))

    current_metrics: list[JSONDict] | None = None
    if status.get("currentCPUUtilizationPercentage") is not None:
        current_metrics = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": _metric_value_status(average_utilization=status["currentCPUUtilizationPercentage"]),
                },
            }
        ]

    if METRICS_ANNOTATION in annotations:
        other_metrics = _decode_annotation_list(annotations[METRICS_ANNOTATION], _v1_metric_spec_to_v2)
        if other_metrics is not None:
            # the CPU target from the v1 field, if any, goes after the annotated metrics
            metrics = other_metrics + metrics[:1]
    behavior = _behavior_from_internal(annotations.get(BEHAVIOR_ANNOTATION))
    if CURRENT_METRICS_ANNOTATION in annotations:
        decoded = _decode_annotation_list(annotations[CURRENT_METRICS_ANNOTATION], _v1_metric_status_to_v2)
        if decoded is not None:
            current_metrics = decoded
    if not metrics:
        metrics = [_cpu_utilization_metric(DEFAULT_CPU_UTILIZATION)]
    conditions: list[JSONDict] | None = None
    if CONDITIONS_ANNOTATION in annotations:
        conditions = _decode_annotation_list(annotations[CONDITIONS_ANNOTATION], _v1_condition_to_v2)
    _drop_round_trip_annotations(meta)

    out_spec["metrics"] = metrics
    if behavior is not None:
        out_spec["behavior"] = behavior

    out_status: JSONDict = {}
    for field in ("observedGeneration", "lastScaleTime"):
        if status.get(field) is not None:
            out_status[field] = copy.deepcopy(status[field])
    if status.get("currentReplicas"):
        out_status["currentReplicas"] = status["currentReplicas"]
    out_status["desiredReplicas"] = status.get("desiredReplicas") or 0
    out_status["currentMetrics"] = current_metrics
    if conditions:
        out_status["conditions"] = conditions

    return _top_level(_HPA, AUTOSCALING_V2, meta, {"spec": out_spec, "status": out_status})
