"""Conversion between the served versions of resources that share one stored object.

kube-apiserver stores a resource in one version and converts on every read and write through the
internal (hub) version.  Two resource families need that here:

* ``HorizontalPodAutoscaler`` in ``autoscaling/v1`` and ``autoscaling/v2`` (stored as v2).  v1 can
  only express a CPU-utilization target, so everything else v2 carries travels in
  ``autoscaling.alpha.kubernetes.io/*`` annotations on the v1 object and comes back when that
  object is written through v1 again.
* ``Event`` in core ``v1`` and ``events.k8s.io/v1`` (stored as core v1): the same fields under
  other names.

The functions work on JSON dicts in external form and never mutate their input.  Converted objects
are laid out the way Go's ``encoding/json`` writes the target type: struct field order, fields
tagged ``omitempty`` left out when empty, and fields without it (or struct-typed ones, which
``omitempty`` never drops) written out even when empty, zero times as ``null``.

For the autoscaling/v2 side, the internal version has the same shape as v2, so the v2 dict stands
in for the internal object; the only v2 <-> internal work upstream is dropping the round-trip
annotations, which both directions here do.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import orjson

__all__ = [
    "BEHAVIOR_ANNOTATION",
    "CONDITIONS_ANNOTATION",
    "CURRENT_METRICS_ANNOTATION",
    "DEFAULT_CPU_UTILIZATION",
    "METRICS_ANNOTATION",
    "ROUND_TRIP_ANNOTATIONS",
    "SCALE_DOWN_TOLERANCE_ANNOTATION",
    "SCALE_UP_TOLERANCE_ANNOTATION",
    "STORAGE_VERSIONS",
    "ConversionError",
    "convert",
    "shared_storage_key",
]

JSONDict = dict[str, Any]


class ConversionError(Exception):
    """The object cannot be converted to the requested version."""


# --------------------------------------------------------------------------------------------
# Storage

AUTOSCALING_V1 = "autoscaling/v1"
AUTOSCALING_V2 = "autoscaling/v2"
CORE_V1 = "v1"
EVENTS_V1 = "events.k8s.io/v1"

#: (group, plural) -> apiVersion the objects are stored in, for resources served in more than
#: one group-version over shared storage.
STORAGE_VERSIONS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("autoscaling", "horizontalpodautoscalers"): AUTOSCALING_V2,
        ("", "events"): CORE_V1,
        ("events.k8s.io", "events"): CORE_V1,
    }
)

# Resources that live in another resource's storage: (group, plural) -> the key of that storage.
_SHARED_STORAGE_KEYS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("", "events"): "events",
        ("events.k8s.io", "events"): "events",
    }
)


def shared_storage_key(group: str, plural: str) -> str:
    """The key of the store holding ``plural`` in ``group``: equal for resources sharing storage.

    Core resources are keyed by their plural, others by ``plural.group``; events of both the core
    group and ``events.k8s.io`` are one store, ``"events"``.
    """
    shared = _SHARED_STORAGE_KEYS.get((group, plural))
    if shared is not None:
        return shared
    return plural if not group else f"{plural}.{group}"


# --------------------------------------------------------------------------------------------
# Entry point


def convert(obj: dict[str, Any], target_api_version: str) -> dict[str, Any]:
    """Return a new dict holding ``obj`` as ``target_api_version`` sees it.

    Dispatches on ``obj["apiVersion"]`` and ``obj["kind"]``.  When the versions are equal the
    result is a deep copy.  Raises ``ConversionError`` for a pair with no conversion.
    """
    if not isinstance(obj, dict):
        raise ConversionError(f"cannot convert {type(obj).__name__}: not an object")
    source = obj.get("apiVersion")
    kind = obj.get("kind")
    if not isinstance(source, str) or not source:
        raise ConversionError("cannot convert an object without apiVersion")
    if source == target_api_version:
        return copy.deepcopy(obj)
    if not isinstance(kind, str) or not kind:
        raise ConversionError("cannot convert an object without kind")
    converter = _CONVERTERS.get((kind, source, target_api_version))
    if converter is None:
        raise ConversionError(f"no conversion for {kind} from {source} to {target_api_version}")
    return converter(obj)


# --------------------------------------------------------------------------------------------
# Shared helpers

# ObjectMeta field order, used to place an annotations map that conversion has to create.
_OBJECT_META_ORDER = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def _dict(value: Any) -> JSONDict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _copied_metadata(obj: JSONDict) -> JSONDict:
    meta = obj.get("metadata")
    return copy.deepcopy(meta) if isinstance(meta, dict) else {}


def _top_level(kind: str, api_version: str, metadata: JSONDict, rest: JSONDict) -> JSONDict:
    out: JSONDict = {"kind": kind, "apiVersion": api_version, "metadata": metadata}
    out.update(rest)
    return out


def _set_annotation(meta: JSONDict, key: str, value: str) -> None:
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations[key] = value
        return
    fresh: JSONDict = {key: value}
    if "annotations" in meta:  # present but null
        meta["annotations"] = fresh
        return
    # Insert where Go's ObjectMeta puts it: after the last present field that precedes it.
    position = _OBJECT_META_ORDER.index("annotations")
    earlier = set(_OBJECT_META_ORDER[:position])
    keys = list(meta)
    insert_at = 0
    for index, existing in enumerate(keys):
        if existing in earlier:
            insert_at = index + 1
    items = list(meta.items())
    items.insert(insert_at, ("annotations", fresh))
    meta.clear()
    meta.update(items)


def _go_json(value: Any) -> str:
    """Serialize like Go's ``json.Marshal``: compact, key order kept, HTML characters escaped."""
    text = orjson.dumps(value).decode()
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# Quantity syntax (k8s.io/apimachinery/pkg/api/resource): a signed decimal number and a binary
# SI suffix, a decimal SI suffix or a decimal exponent.
_QUANTITY_RE = re.compile(
    r"^[+-]?(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
)


def _quantity_is_zero(quantity: str) -> bool:
    match = _QUANTITY_RE.match(quantity)
    if match is None:
        return False
    return not any(ch not in "0." for ch in match.group("number"))


# --------------------------------------------------------------------------------------------
# Reading JSON the way encoding/json decodes it into a Go struct (annotation payloads only)


class _DecodeError(Exception):
    """A payload that ``json.Unmarshal`` would reject for the target Go type."""


_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1


def _lookup(data: JSONDict, name: str) -> Any:
    """A field as ``encoding/json`` finds it: the exact key, else one equal ignoring case."""
    if name in data:
        return data[name]
    folded = name.casefold()
    for key, value in data.items():
        if key.casefold() == folded:
            return value
    return None


def _read_object(data: JSONDict, name: str) -> JSONDict | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _DecodeError(name)
    return value


def _read_list(data: JSONDict, name: str) -> list[Any] | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _DecodeError(name)
    return value


def _read_str(data: JSONDict, name: str) -> str:
    value = _lookup(data, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _DecodeError(name)
    return value


def _read_optional_str(data: JSONDict, name: str) -> str | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _DecodeError(name)
    return value


def _read_optional_int32(data: JSONDict, name: str) -> int | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not _INT32_MIN <= value <= _INT32_MAX:
        raise _DecodeError(name)
    return value


def _read_int32(data: JSONDict, name: str) -> int:
    value = _read_optional_int32(data, name)
    return 0 if value is None else value


def _read_quantity(data: JSONDict, name: str) -> str | None:
    """A ``*resource.Quantity``: ``None`` when absent or null."""
    value = _lookup(data, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _DecodeError(name)
    text = value if isinstance(value, str) else str(value)
    if _QUANTITY_RE.match(text) is None:
        raise _DecodeError(name)
    return text


def _read_time(data: JSONDict, name: str) -> str | None:
    value = _lookup(data, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _DecodeError(name)
    return value


def _read_selector(data: JSONDict, name: str) -> JSONDict | None:
    selector = _read_object(data, name)
    return None if selector is None else copy.deepcopy(selector)


def _decode_annotation_list(raw: Any, element: Callable[[JSONDict], JSONDict]) -> list[JSONDict] | None:
    """Decode a JSON array annotation element by element; ``None`` when Go's decode would fail."""
    if not isinstance(raw, str):
        return None
    try:
        data = orjson.loads(raw)
        if data is None:
            return []
        if not isinstance(data, list):
            return None
        out: list[JSONDict] = []
        for item in data:
            if item is None:
                item = {}
            if not isinstance(item, dict):
                return None
            out.append(element(item))
        return out
    except (orjson.JSONDecodeError, _DecodeError):
        return None


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler: autoscaling/v1 <-> autoscaling/v2

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


def _v2_metric_spec_to_v1(metric: Any) -> JSONDict:
    metric = _dict(metric)
    out: JSONDict = {"type": metric.get("type") or ""}
    source = metric.get("object")
    if isinstance(source, dict):
        target = _dict(source.get("target"))
        ident = _dict(source.get("metric"))
        obj: JSONDict = {
            "target": _cross_version_ref(source.get("describedObject")),
            "metricName": ident.get("name") or "",
            "targetValue": target.get("value") if target.get("value") is not None else "0",
        }
        if ident.get("selector") is not None:
            obj["selector"] = copy.deepcopy(ident["selector"])
        if target.get("averageValue") is not None:
            obj["averageValue"] = target["averageValue"]
        out["object"] = obj
    source = metric.get("pods")
    if isinstance(source, dict):
        target = _dict(source.get("target"))
        ident = _dict(source.get("metric"))
        pods: JSONDict = {
            "metricName": ident.get("name") or "",
            "targetAverageValue": target.get("averageValue") if target.get("averageValue") is not None else "0",
        }
        if ident.get("selector") is not None:
            pods["selector"] = copy.deepcopy(ident["selector"])
        out["pods"] = pods
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
    out: JSONDict = {"type": metric.get("type") or ""}
    source = metric.get("object")
    if isinstance(source, dict):
        current = _dict(source.get("current"))
        ident = _dict(source.get("metric"))
        obj: JSONDict = {
            "target": _cross_version_ref(source.get("describedObject")),
            "metricName": ident.get("name") or "",
            "currentValue": current.get("value") if current.get("value") is not None else "0",
        }
        if ident.get("selector") is not None:
            obj["selector"] = copy.deepcopy(ident["selector"])
        if current.get("averageValue") is not None:
            obj["averageValue"] = current["averageValue"]
        out["object"] = obj
    source = metric.get("pods")
    if isinstance(source, dict):
        current = _dict(source.get("current"))
        ident = _dict(source.get("metric"))
        pods: JSONDict = {
            "metricName": ident.get("name") or "",
            "currentAverageValue": current.get("averageValue") if current.get("averageValue") is not None else "0",
        }
        if ident.get("selector") is not None:
            pods["selector"] = copy.deepcopy(ident["selector"])
        out["pods"] = pods
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


def _condition(condition: Any) -> JSONDict:
    condition = _dict(condition)
    out: JSONDict = {
        "type": condition.get("type") or "",
        "status": condition.get("status") or "",
        "lastTransitionTime": condition.get("lastTransitionTime"),
    }
    if condition.get("reason"):
        out["reason"] = condition["reason"]
    if condition.get("message"):
        out["message"] = condition["message"]
    return out


def _scaling_rules_to_internal(rules: Any) -> JSONDict | None:
    """The internal HPAScalingRules as ``json.Marshal`` writes it: Go field names, nil as null."""
    if not isinstance(rules, dict):
        return None
    policies = rules.get("policies")
    return {
        "StabilizationWindowSeconds": rules.get("stabilizationWindowSeconds"),
        "SelectPolicy": rules.get("selectPolicy"),
        "Policies": None
        if not isinstance(policies, list)
        else [
            {
                "Type": _dict(policy).get("type") or "",
                "Value": _dict(policy).get("value") or 0,
                "PeriodSeconds": _dict(policy).get("periodSeconds") or 0,
            }
            for policy in policies
        ],
        "Tolerance": rules.get("tolerance"),
    }


def _behavior_to_internal(behavior: JSONDict) -> JSONDict:
    return {
        "ScaleUp": _scaling_rules_to_internal(behavior.get("scaleUp")),
        "ScaleDown": _scaling_rules_to_internal(behavior.get("scaleDown")),
    }


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


def _v1_condition_to_v2(condition: JSONDict) -> JSONDict:
    out: JSONDict = {
        "type": _read_str(condition, "type"),
        "status": _read_str(condition, "status"),
        "lastTransitionTime": _read_time(condition, "lastTransitionTime"),
    }
    reason = _read_str(condition, "reason")
    if reason:
        out["reason"] = reason
    message = _read_str(condition, "message")
    if message:
        out["message"] = message
    return out


def _scaling_rules_from_internal(rules: Any) -> JSONDict | None:
    if rules is None:
        return None
    if not isinstance(rules, dict):
        raise _DecodeError("HPAScalingRules")
    out: JSONDict = {}
    window = _read_optional_int32(rules, "StabilizationWindowSeconds")
    if window is not None:
        out["stabilizationWindowSeconds"] = window
    select = _read_optional_str(rules, "SelectPolicy")
    if select is not None:
        out["selectPolicy"] = select
    policies = _read_list(rules, "Policies")
    if policies:
        decoded: list[JSONDict] = []
        for policy in policies:
            if policy is None:
                policy = {}
            if not isinstance(policy, dict):
                raise _DecodeError("HPAScalingPolicy")
            decoded.append(
                {
                    "type": _read_str(policy, "Type"),
                    "value": _read_int32(policy, "Value"),
                    "periodSeconds": _read_int32(policy, "PeriodSeconds"),
                }
            )
        out["policies"] = decoded
    tolerance = _read_quantity(rules, "Tolerance")
    if tolerance is not None:
        out["tolerance"] = tolerance
    return out


def _behavior_from_internal(raw: Any) -> JSONDict | None:
    """The v2 behavior in the behavior annotation; ``None`` if it does not decode or is empty."""
    if not isinstance(raw, str):
        return None
    try:
        data = orjson.loads(raw)
        if data is None:
            return None
        if not isinstance(data, dict):
            return None
        scale_up = _scaling_rules_from_internal(_lookup(data, "ScaleUp"))
        scale_down = _scaling_rules_from_internal(_lookup(data, "ScaleDown"))
    except (orjson.JSONDecodeError, _DecodeError):
        return None
    if scale_up is None and scale_down is None:
        return None
    out: JSONDict = {}
    if scale_up is not None:
        out["scaleUp"] = scale_up
    if scale_down is not None:
        out["scaleDown"] = scale_down
    return out


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


# --------------------------------------------------------------------------------------------
# Event: core v1 <-> events.k8s.io/v1

_EVENT = "Event"
_OBJECT_REFERENCE_FIELDS = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def _object_reference(ref: Any) -> JSONDict:
    ref = _dict(ref)
    return {field: ref[field] for field in _OBJECT_REFERENCE_FIELDS if ref.get(field)}


def _event_source(source: Any) -> JSONDict:
    source = _dict(source)
    return {field: source[field] for field in ("component", "host") if source.get(field)}


def _copy_if_set(out: JSONDict, out_field: str, data: JSONDict, field: str) -> None:
    if data.get(field):
        out[out_field] = copy.deepcopy(data[field])


def _core_event_to_events_v1(obj: JSONDict) -> JSONDict:
    rest: JSONDict = {"eventTime": obj.get("eventTime")}
    series = obj.get("series")
    if isinstance(series, dict):
        rest["series"] = {"count": series.get("count") or 0, "lastObservedTime": series.get("lastObservedTime")}
    _copy_if_set(rest, "reportingController", obj, "reportingComponent")
    _copy_if_set(rest, "reportingInstance", obj, "reportingInstance")
    _copy_if_set(rest, "action", obj, "action")
    _copy_if_set(rest, "reason", obj, "reason")
    rest["regarding"] = _object_reference(obj.get("involvedObject"))
    if isinstance(obj.get("related"), dict):
        rest["related"] = _object_reference(obj["related"])
    _copy_if_set(rest, "note", obj, "message")
    _copy_if_set(rest, "type", obj, "type")
    rest["deprecatedSource"] = _event_source(obj.get("source"))
    rest["deprecatedFirstTimestamp"] = obj.get("firstTimestamp")
    rest["deprecatedLastTimestamp"] = obj.get("lastTimestamp")
    _copy_if_set(rest, "deprecatedCount", obj, "count")
    return _top_level(_EVENT, EVENTS_V1, _copied_metadata(obj), rest)


def _events_v1_to_core_event(obj: JSONDict) -> JSONDict:
    rest: JSONDict = {"involvedObject": _object_reference(obj.get("regarding"))}
    _copy_if_set(rest, "reason", obj, "reason")
    _copy_if_set(rest, "message", obj, "note")
    rest["source"] = _event_source(obj.get("deprecatedSource"))
    rest["firstTimestamp"] = obj.get("deprecatedFirstTimestamp")
    rest["lastTimestamp"] = obj.get("deprecatedLastTimestamp")
    _copy_if_set(rest, "count", obj, "deprecatedCount")
    _copy_if_set(rest, "type", obj, "type")
    rest["eventTime"] = obj.get("eventTime")
    series = obj.get("series")
    if isinstance(series, dict):
        out_series: JSONDict = {}
        _copy_if_set(out_series, "count", series, "count")
        out_series["lastObservedTime"] = series.get("lastObservedTime")
        rest["series"] = out_series
    _copy_if_set(rest, "action", obj, "action")
    if isinstance(obj.get("related"), dict):
        rest["related"] = _object_reference(obj["related"])
    rest["reportingComponent"] = obj.get("reportingController") or ""
    rest["reportingInstance"] = obj.get("reportingInstance") or ""
    return _top_level(_EVENT, CORE_V1, _copied_metadata(obj), rest)


# --------------------------------------------------------------------------------------------

_CONVERTERS: Mapping[tuple[str, str, str], Callable[[JSONDict], JSONDict]] = MappingProxyType(
    {
        (_HPA, AUTOSCALING_V1, AUTOSCALING_V2): _hpa_v1_to_v2,
        (_HPA, AUTOSCALING_V2, AUTOSCALING_V1): _hpa_v2_to_v1,
        (_EVENT, CORE_V1, EVENTS_V1): _core_event_to_events_v1,
        (_EVENT, EVENTS_V1, CORE_V1): _events_v1_to_core_event,
    }
)
