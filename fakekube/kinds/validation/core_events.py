"""Events (``pkg/apis/core/validation/events.go``): one stored kind, two APIs, two strictnesses.

Every Event passes the legacy rules: an old-style Event (no ``eventTime``) lives in its object's namespace,
a new-style one names its reporting controller and instance, its action and reason, within length limits.
An Event written through ``events.k8s.io/v1`` must also be new-style: ``eventTime`` set, type Normal or
Warning, the deprecated fields unset, a series of at least two; on update its content is fixed.  Upstream
validates the internal object, so causes name the core fields (``involvedObject``, ``message``...) whatever
the API; an ``events.k8s.io`` body is read through its own field names here.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import mapping
from fakekube.name_formats import qualified_name_errors

EVENTS_V1 = "events.k8s.io/v1"
REPORTING_INSTANCE_LIMIT = ACTION_LIMIT = REASON_LIMIT = 128
NOTE_LIMIT = 1024
# the internal Event's fields, and where an events.k8s.io/v1 body holds them
_V1_NAMES = {"involvedObject": "regarding", "message": "note", "source": "deprecatedSource",
             "firstTimestamp": "deprecatedFirstTimestamp", "lastTimestamp": "deprecatedLastTimestamp",
             "count": "deprecatedCount", "reportingController": "reportingController"}


def internal_view(obj: dict[str, Any]) -> dict[str, Any]:
    """The fields validation reads, under the internal Event's names, from a body of either API."""
    strict = obj.get("apiVersion") == EVENTS_V1
    names = _V1_NAMES if strict else {"reportingController": "reportingComponent"}
    view = {key: obj.get(names.get(key, key)) for key in (
        "involvedObject", "message", "source", "firstTimestamp", "lastTimestamp", "count", "reportingController",
        "reportingInstance", "action", "reason", "type", "eventTime", "series", "related")}
    view["namespace"] = mapping(obj.get("metadata")).get("namespace", "")
    return view


def _legacy(event: dict[str, Any]) -> list[FieldError]:
    """``legacyValidateEvent``."""
    out: list[FieldError] = []
    involved_ns = mapping(event["involvedObject"]).get("namespace") or ""
    namespace = event["namespace"]
    path = "involvedObject.namespace"
    if not event["eventTime"]:
        if (not involved_ns and namespace not in ("", "default")) or (involved_ns and namespace != involved_ns):
            out.append(errors.invalid(path, involved_ns, errors.NOT_MATCHING_NAMESPACE))
        return out
    if not involved_ns and namespace not in ("default", "kube-system"):
        out.append(errors.invalid(path, involved_ns, errors.NOT_MATCHING_NAMESPACE))
    controller = event["reportingController"] or ""
    if not controller:
        out.append(errors.required("reportingController"))
    out.extend(errors.invalid("reportingController", controller, msg) for msg in qualified_name_errors(controller))
    for field, limit in (("reportingInstance", REPORTING_INSTANCE_LIMIT), ("action", ACTION_LIMIT),
                         ("reason", REASON_LIMIT)):
        value = event[field] or ""
        if not value:
            out.append(errors.required(field))
        if len(value.encode()) > limit:
            out.append(errors.invalid(field, "", errors.at_most_characters(limit)))
    if len((event["message"] or "").encode()) > NOTE_LIMIT:
        out.append(errors.invalid("message", "", errors.at_most_characters(NOTE_LIMIT)))
    return out


def _series(event: dict[str, Any]) -> list[FieldError]:
    """``validateV1EventSeries``."""
    series = event["series"]
    if not isinstance(series, dict):
        return []
    out: list[FieldError] = []
    if (series.get("count") or 0) < 2:
        out.append(errors.invalid("series.count", "", errors.SERIES_COUNT_MIN))
    if not series.get("lastObservedTime"):
        out.append(errors.required("series.lastObservedTime"))
    return out


def validate_event(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateEventCreate`` / ``ValidateEventUpdate``: legacy rules always, the strict ones through
    ``events.k8s.io/v1``."""
    event = internal_view(obj)
    out = _legacy(event)
    if obj.get("apiVersion") != EVENTS_V1:
        return out
    if old is None:
        out.extend(_series(event))
        if not event["eventTime"]:
            out.append(errors.required("eventTime"))
        if event["type"] not in ("Normal", "Warning"):
            out.append(errors.invalid("type", "", errors.event_type_invalid(event["type"] or "")))
        for field in ("firstTimestamp", "lastTimestamp", "count"):
            if event[field]:
                out.append(errors.invalid(field, "", errors.NEEDS_UNSET))
        source = mapping(event["source"])
        if source.get("component") or source.get("host"):
            out.append(errors.invalid("source", "", errors.NEEDS_UNSET))
        return out
    before = internal_view(old) if old.get("apiVersion") == EVENTS_V1 else _as_core(old)
    if event["series"] != before["series"]:
        out.extend(_series(event))
    for field in ("involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count",
                  "reason", "type", "eventTime", "action", "related", "reportingController", "reportingInstance"):
        if _empty(event[field]) != _empty(before[field]):
            out.append(_immutable(field, event[field]))
    return out


def _as_core(old: dict[str, Any]) -> dict[str, Any]:
    return internal_view(dict(old, apiVersion="v1"))


def _empty(value: Any) -> Any:
    return None if value in (None, "", 0, {}, []) else value


def _immutable(field: str, value: Any) -> FieldError:
    """``ValidateImmutableField``: the new value shown (structs as Go prints them are not reproduced)."""
    if isinstance(value, (dict, list)) or value is None:
        return FieldError("FieldValueInvalid", field, errors.NO_VALUE, errors.FIELD_IMMUTABLE)
    return errors.invalid(field, value, errors.FIELD_IMMUTABLE)
