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
from collections.abc import Callable, Mapping
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
    "convert",
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
