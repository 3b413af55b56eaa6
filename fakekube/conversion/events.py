"""Event: core ``v1`` <-> ``events.k8s.io/v1`` (stored as core v1), the same fields under other names."""

from __future__ import annotations

import copy
from typing import Any

from fakekube.conversion.common import CORE_V1, EVENTS_V1, JSONDict, _copied_metadata, _dict, _top_level

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
