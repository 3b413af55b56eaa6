"""Storage versions and conversion between the served versions of each group-resource.

kube-apiserver stores every group-resource in one version and converts through the internal (hub)
version on every read and write.  The registry asks this package two things per group-resource:

* ``storage_for(kubernetes_version, group, plural, versions)``: the store table and the storage
  version that release of kube-apiserver uses (``storage``, which documents every choice);
* ``converter_for(group, plural)``: a ``Converter`` whose ``convert(obj, api_version)`` returns a new
  dict in the requested version (``converter``; the shape-changing conversions are in ``hpa`` with
  ``hpa_metrics`` and ``hpa_behavior``, ``events``, ``dra_claims`` and ``dra_slices``).

The functions work on JSON dicts in external form and never mutate their input.  Converted objects
are laid out the way Go's ``encoding/json`` writes the target type: struct field order, fields
tagged ``omitempty`` left out when empty, and fields without it (or struct-typed ones, which
``omitempty`` never drops) written out even when empty, zero times as ``null`` (``common``, with
``decoding`` for the JSON that HPA annotations carry).
"""

from __future__ import annotations

from fakekube.conversion.common import ConversionError
from fakekube.conversion.converter import Converter, converter_for
from fakekube.conversion.hpa import (
    BEHAVIOR_ANNOTATION,
    CONDITIONS_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    DEFAULT_CPU_UTILIZATION,
    METRICS_ANNOTATION,
    ROUND_TRIP_ANNOTATIONS,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
)
from fakekube.conversion.storage import StorageChoice, storage_for

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
    "converter_for",
    "storage_for",
]
