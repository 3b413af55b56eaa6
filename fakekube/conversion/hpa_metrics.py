"""HorizontalPodAutoscaler metrics between autoscaling/v2 (internal) and the autoscaling/v1 form the
round-trip annotations carry them in: metric specs (``spec.metrics``) and statuses
(``status.currentMetrics``).
"""

from __future__ import annotations

import copy
from typing import Any

from fakekube.conversion.common import JSONDict, _dict
from fakekube.conversion.decoding import (
    _quantity_is_zero,
    _read_object,
    _read_optional_int32,
    _read_quantity,
    _read_selector,
    _read_str,
)


def _cross_version_ref(ref: Any) -> JSONDict:
    ref = _dict(ref)
    out: JSONDict = {"kind": ref.get("kind") or "", "name": ref.get("name") or ""}
    if ref.get("apiVersion"):
        out["apiVersion"] = ref["apiVersion"]
    return out


def _read_cross_version_ref(data: JSONDict, name: str) -> JSONDict:
    ref = _read_object(data, name) or {}
    out: JSONDict = {"kind": _read_str(ref, "kind"), "name": _read_str(ref, "name")}
    api_version = _read_str(ref, "apiVersion")
    if api_version:
        out["apiVersion"] = api_version
    return out


def _metric_identifier(name: str, selector: Any) -> JSONDict:
    out: JSONDict = {"name": name}
    if selector is not None:
        out["selector"] = selector
    return out


def _metric_target(
    target_type: str,
    value: str | None = None,
    average_value: str | None = None,
    average_utilization: int | None = None,
) -> JSONDict:
    out: JSONDict = {"type": target_type}
    if value is not None:
        out["value"] = value
    if average_value is not None:
        out["averageValue"] = average_value
    if average_utilization is not None:
        out["averageUtilization"] = average_utilization
    return out


def _metric_value_status(
    value: str | None = None, average_value: str | None = None, average_utilization: int | None = None
) -> JSONDict:
    out: JSONDict = {}
    if value is not None:
        out["value"] = value
    if average_value is not None:
        out["averageValue"] = average_value
    if average_utilization is not None:
        out["averageUtilization"] = average_utilization
    return out


def _cpu_utilization_metric(utilization: Any) -> JSONDict:
    return {
        "type": "Resource",
        "resource": {"name": "cpu", "target": _metric_target("Utilization", average_utilization=utilization)},
    }


def _is_cpu_utilization_metric(metric: Any) -> bool:
    metric = _dict(metric)
    resource = metric.get("resource")
    return (
        metric.get("type") == "Resource"
        and isinstance(resource, dict)
        and resource.get("name") == "cpu"
        and _dict(resource.get("target")).get("averageUtilization") is not None
    )


# -- v2 (internal) metric specs and statuses -> their autoscaling/v1 form, for the annotations


def _object_and_pods_to_v1(metric: JSONDict, side: str) -> JSONDict:
    """The ``type``, ``object`` and ``pods`` parts, alike for specs (``side="target"``) and statuses
    (``side="current"``): only the field names differ (``targetValue`` / ``currentValue``...)."""
    out: JSONDict = {"type": metric.get("type") or ""}
    source = metric.get("object")
    if isinstance(source, dict):
        values = _dict(source.get(side))
        ident = _dict(source.get("metric"))
        obj: JSONDict = {
            "target": _cross_version_ref(source.get("describedObject")),
            "metricName": ident.get("name") or "",
            f"{side}Value": values.get("value") if values.get("value") is not None else "0",
        }
        if ident.get("selector") is not None:
            obj["selector"] = copy.deepcopy(ident["selector"])
        if values.get("averageValue") is not None:
            obj["averageValue"] = values["averageValue"]
        out["object"] = obj
    source = metric.get("pods")
    if isinstance(source, dict):
        values = _dict(source.get(side))
        ident = _dict(source.get("metric"))
        pods: JSONDict = {
            "metricName": ident.get("name") or "",
            f"{side}AverageValue": values.get("averageValue") if values.get("averageValue") is not None else "0",
        }
        if ident.get("selector") is not None:
            pods["selector"] = copy.deepcopy(ident["selector"])
        out["pods"] = pods
    return out


def _v2_metric_spec_to_v1(metric: Any) -> JSONDict:
    metric = _dict(metric)
    out = _object_and_pods_to_v1(metric, "target")
    for field in ("resource", "containerResource"):
        source = metric.get(field)
        if isinstance(source, dict):
            target = _dict(source.get("target"))
            resource: JSONDict = {"name": source.get("name") or ""}
            if target.get("averageUtilization") is not None:
                resource["targetAverageUtilization"] = target["averageUtilization"]
            if target.get("averageValue") is not None:
                resource["targetAverageValue"] = target["averageValue"]
            if field == "containerResource":
                resource["container"] = source.get("container") or ""
            out[field] = resource
    source = metric.get("external")
    if isinstance(source, dict):
        target = _dict(source.get("target"))
        ident = _dict(source.get("metric"))
        external: JSONDict = {"metricName": ident.get("name") or ""}
        if ident.get("selector") is not None:
            external["metricSelector"] = copy.deepcopy(ident["selector"])
        if target.get("value") is not None:
            external["targetValue"] = target["value"]
        if target.get("averageValue") is not None:
            external["targetAverageValue"] = target["averageValue"]
        out["external"] = external
    return out


def _v2_metric_status_to_v1(metric: Any) -> JSONDict:
    metric = _dict(metric)
    out = _object_and_pods_to_v1(metric, "current")
    for field in ("resource", "containerResource"):
        source = metric.get(field)
        if isinstance(source, dict):
            current = _dict(source.get("current"))
            resource: JSONDict = {"name": source.get("name") or ""}
            if current.get("averageUtilization") is not None:
                resource["currentAverageUtilization"] = current["averageUtilization"]
            resource["currentAverageValue"] = (
                current.get("averageValue") if current.get("averageValue") is not None else "0"
            )
            if field == "containerResource":
                resource["container"] = source.get("container") or ""
            out[field] = resource
    source = metric.get("external")
    if isinstance(source, dict):
        current = _dict(source.get("current"))
        ident = _dict(source.get("metric"))
        external: JSONDict = {"metricName": ident.get("name") or ""}
        if ident.get("selector") is not None:
            external["metricSelector"] = copy.deepcopy(ident["selector"])
        external["currentValue"] = current.get("value") if current.get("value") is not None else "0"
        if current.get("averageValue") is not None:
            external["currentAverageValue"] = current["averageValue"]
        out["external"] = external
    return out


# -- autoscaling/v1 annotation payloads -> v2 (internal)


def _v1_metric_spec_to_v2(metric: JSONDict) -> JSONDict:
    out: JSONDict = {"type": _read_str(metric, "type")}
    source = _read_object(metric, "object")
    if source is not None:
        target_value = _read_quantity(source, "targetValue") or "0"
        average_value = _read_quantity(source, "averageValue")
        if average_value is None:
            target = _metric_target("Value", value=target_value)
        else:
            # v1 cannot leave targetValue out and writes "0"; a zero is not carried back (#137856).
            value = None if _quantity_is_zero(target_value) else target_value
            target = _metric_target("AverageValue", value=value, average_value=average_value)
        out["object"] = {
            "describedObject": _read_cross_version_ref(source, "target"),
            "target": target,
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "selector")),
        }
    source = _read_object(metric, "pods")
    if source is not None:
        out["pods"] = {
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "selector")),
            "target": _metric_target("AverageValue", average_value=_read_quantity(source, "targetAverageValue") or "0"),
        }
    for field in ("resource", "containerResource"):
        source = _read_object(metric, field)
        if source is not None:
            utilization = _read_optional_int32(source, "targetAverageUtilization")
            resource: JSONDict = {
                "name": _read_str(source, "name"),
                "target": _metric_target(
                    "AverageValue" if utilization is None else "Utilization",
                    average_value=_read_quantity(source, "targetAverageValue"),
                    average_utilization=utilization,
                ),
            }
            if field == "containerResource":
                resource["container"] = _read_str(source, "container")
            out[field] = resource
    source = _read_object(metric, "external")
    if source is not None:
        value = _read_quantity(source, "targetValue")
        out["external"] = {
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "metricSelector")),
            "target": _metric_target(
                "AverageValue" if value is None else "Value",
                value=value,
                average_value=_read_quantity(source, "targetAverageValue"),
            ),
        }
    return out


def _v1_metric_status_to_v2(metric: JSONDict) -> JSONDict:
    out: JSONDict = {"type": _read_str(metric, "type")}
    source = _read_object(metric, "object")
    if source is not None:
        out["object"] = {
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "selector")),
            "current": _metric_value_status(
                value=_read_quantity(source, "currentValue") or "0",
                average_value=_read_quantity(source, "averageValue"),
            ),
            "describedObject": _read_cross_version_ref(source, "target"),
        }
    source = _read_object(metric, "pods")
    if source is not None:
        out["pods"] = {
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "selector")),
            "current": _metric_value_status(average_value=_read_quantity(source, "currentAverageValue") or "0"),
        }
    for field in ("resource", "containerResource"):
        source = _read_object(metric, field)
        if source is not None:
            resource: JSONDict = {
                "name": _read_str(source, "name"),
                "current": _metric_value_status(
                    average_value=_read_quantity(source, "currentAverageValue") or "0",
                    average_utilization=_read_optional_int32(source, "currentAverageUtilization"),
                ),
            }
            if field == "containerResource":
                resource["container"] = _read_str(source, "container")
            out[field] = resource
    source = _read_object(metric, "external")
    if source is not None:
        out["external"] = {
            "metric": _metric_identifier(_read_str(source, "metricName"), _read_selector(source, "metricSelector")),
            "current": _metric_value_status(
                value=_read_quantity(source, "currentValue") or "0",
                average_value=_read_quantity(source, "currentAverageValue"),
            ),
        }
    return out
