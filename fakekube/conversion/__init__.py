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
    "STORAGE_VERSIONS",
    "ConversionError",
    "convert",
    "shared_storage_key",
]

class ConversionError(Exception):
    """The object cannot be converted to the requested version."""


# --------------------------------------------------------------------------------------------
# Storage

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

_CONVERTERS: Mapping[tuple[str, str, str], Callable[[JSONDict], JSONDict]] = MappingProxyType(
    {
        (_HPA, AUTOSCALING_V1, AUTOSCALING_V2): _hpa_v1_to_v2,
        (_HPA, AUTOSCALING_V2, AUTOSCALING_V1): _hpa_v2_to_v1,
        (_EVENT, CORE_V1, EVENTS_V1): _core_event_to_events_v1,
        (_EVENT, EVENTS_V1, CORE_V1): _events_v1_to_core_event,
    }
)
