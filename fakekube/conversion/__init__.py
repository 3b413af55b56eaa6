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

The modules: ``common`` (apiVersions, output helpers), ``decoding`` (reading annotation payloads like
Go's ``encoding/json``), ``hpa`` with ``hpa_metrics`` and ``hpa_behavior``, and ``events``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from fakekube.conversion.common import AUTOSCALING_V1, AUTOSCALING_V2, CORE_V1, EVENTS_V1, JSONDict
from fakekube.conversion.events import _EVENT, _core_event_to_events_v1, _events_v1_to_core_event
from fakekube.conversion.hpa import (
    _HPA,
    BEHAVIOR_ANNOTATION,
    CONDITIONS_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    DEFAULT_CPU_UTILIZATION,
    METRICS_ANNOTATION,
    ROUND_TRIP_ANNOTATIONS,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
    _hpa_v1_to_v2,
    _hpa_v2_to_v1,
)

__all__ = [
    "BEHAVIOR_ANNOTATION",
    "CONDITIONS_ANNOTATION",
    "CURRENT_METRICS_ANNOTATION",
    "DEFAULT_CPU_UTILIZATION",
    "METRICS_ANNOTATION",
    "ROUND_TRIP_ANNOTATIONS",
    "SCALE_DOWN_TOLERANCE_ANNOTATION",
    "SCALE_UP_TOLERANCE_ANNOTATION",
    "ConversionError",
    "Converter",
    "StorageChoice",
    "convert",
    "converter_for",
    "storage_for",
]

class ConversionError(Exception):
    """The object cannot be converted to the requested version."""




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

_CONVERTERS: Mapping[tuple[str, str, str], Callable[[JSONDict], JSONDict]] = MappingProxyType(
    {
        (_HPA, AUTOSCALING_V1, AUTOSCALING_V2): _hpa_v1_to_v2,
        (_HPA, AUTOSCALING_V2, AUTOSCALING_V1): _hpa_v2_to_v1,
        (_EVENT, CORE_V1, EVENTS_V1): _core_event_to_events_v1,
        (_EVENT, EVENTS_V1, CORE_V1): _events_v1_to_core_event,
    }
)


# --------------------------------------------------------------------------------------------
# Per group-resource: where objects are stored, and how they are converted


@dataclass(frozen=True)
class StorageChoice:
    """Where a group-resource's objects live: the store table and the apiVersion they are stored in."""

    table: str
    api_version: str


# Group-resources served from another group's table (core and events.k8s.io Events are one resource).
_SHARED_TABLES: Mapping[tuple[str, str], StorageChoice] = MappingProxyType({
    ("", "events"): StorageChoice("events", CORE_V1),
    ("events.k8s.io", "events"): StorageChoice("events", CORE_V1),
})

_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def _priority(version: str) -> tuple[int, int, int]:
    match = _VERSION_RE.match(version)
    if not match:
        return (-1, 0, 0)
    stage = {"alpha": 0, "beta": 1, None: 2}[match.group(2)]
    return (stage, int(match.group(1)), int(match.group(3) or 0))


def storage_for(kubernetes_version: str, group: str, plural: str, versions: Collection[str]) -> StorageChoice:
    """The table and storage version of ``group``/``plural`` in ``kubernetes_version``.

    ``versions`` are every version of the group-resource the release defines (enabled or not): the
    storage version does not depend on which versions a cluster serves.
    """
    shared = _SHARED_TABLES.get((group, plural))
    if shared is not None:
        return shared
    best = max(versions, key=_priority)
    table = f"{group}/{plural}" if group else plural
    return StorageChoice(table, f"{group}/{best}" if group else best)


class Converter:
    """Converts the objects of one group-resource between its versions."""

    def __init__(self, group: str, plural: str) -> None:
        self.group = group
        self.plural = plural

    def convert(self, obj: dict[str, Any], target_api_version: str) -> dict[str, Any]:
        return convert(obj, target_api_version)


def converter_for(group: str, plural: str) -> Converter:
    return Converter(group, plural)
