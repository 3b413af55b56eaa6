"""One converter per group-resource, going through a hub version the way kube-apiserver goes through
the internal version.

Most group-resources have the same shape in every version, so converting them only rewrites
``apiVersion`` (what the generated conversion functions amount to).  The others name a hub version
(the one shaped like the internal type) and, per version that differs from it, the functions that
reach the hub and come back from it; converting A -> B is ``from_hub_B(to_hub_A(obj))``:

* autoscaling HorizontalPodAutoscaler: hub ``autoscaling/v2``; v1 via the round-trip annotations.
* Event: core ``v1`` and ``events.k8s.io/v1`` are one resource (one table), hub core ``v1``.
* resource.k8s.io ResourceClaim, ResourceClaimTemplate and ResourceSlice: hub ``resource.k8s.io/v1``
  (v1beta2 has the same shape); v1alpha3 and v1beta1 differ (``dra_claims``, ``dra_slices``).

Those three families are closed: a version they do not list (``autoscaling/v2beta2``, say) raises
``ConversionError``.  The others accept any version of their own group and nothing else.  Every table
is immutable and keyed by (group, resource).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fakekube.conversion import dra_claims, dra_slices
from fakekube.conversion.common import (
    AUTOSCALING_V1,
    AUTOSCALING_V2,
    CORE_V1,
    EVENTS_V1,
    ConversionError,
    JSONDict,
    _with_api_version,
    group_of,
)
from fakekube.conversion.events import _core_event_to_events_v1, _events_v1_to_core_event
from fakekube.conversion.hpa import _hpa_v1_to_v2, _hpa_v2_to_v1

Transform = Callable[[JSONDict], JSONDict]


@dataclass(frozen=True)
class Codec:
    """How one version reaches the hub and comes back from it; ``None``: it has the hub's shape."""

    to_hub: Transform | None = None
    from_hub: Transform | None = None


_SAME_SHAPE = Codec()


@dataclass(frozen=True)
class Family:
    """The versions one group-resource is served in, as far as conversion cares.

    ``codecs`` maps apiVersions to how they differ from the hub; when it is empty every version of
    ``groups`` has the same shape.  When it is not, only the apiVersions it lists are versions of the
    resource.
    """

    groups: frozenset[str]
    codecs: Mapping[str, Codec] = field(default_factory=lambda: MappingProxyType({}))


class Converter:
    """Converts the objects of one group-resource between its versions; never mutates its input."""

    __slots__ = ("_family", "group", "plural")

    def __init__(self, group: str, plural: str, family: Family | None = None) -> None:
        self.group = group
        self.plural = plural
        self._family = family if family is not None else Family(frozenset({group}))

    def __repr__(self) -> str:
        return f"Converter({self.group!r}, {self.plural!r})"

    def _codec(self, api_version: str) -> Codec:
        family = self._family
        if group_of(api_version) in family.groups:
            if not family.codecs:
                return _SAME_SHAPE
            codec = family.codecs.get(api_version)
            if codec is not None:
                return codec
        resource = f"{self.plural}.{self.group}" if self.group else self.plural
        raise ConversionError(f"{api_version} is not a version of {resource}")

    def convert(self, obj: dict[str, Any], target_api_version: str) -> dict[str, Any]:
        """A new dict holding ``obj`` as ``target_api_version`` shows it (a deep copy if it already is)."""
        if not isinstance(obj, dict):
            raise ConversionError(f"cannot convert {type(obj).__name__}: not an object")
        source = obj.get("apiVersion")
        if not isinstance(source, str) or not source:
            raise ConversionError("cannot convert an object without apiVersion")
        if not isinstance(target_api_version, str) or not target_api_version:
            raise ConversionError("cannot convert to an empty apiVersion")
        if source == target_api_version:
            return copy.deepcopy(obj)
        if not isinstance(obj.get("kind"), str) or not obj["kind"]:
            raise ConversionError("cannot convert an object without kind")
        source_codec = self._codec(source)
        target_codec = self._codec(target_api_version)
        hub = source_codec.to_hub(obj) if source_codec.to_hub else copy.deepcopy(obj)
        out = target_codec.from_hub(hub) if target_codec.from_hub else hub
        return _with_api_version(out, target_api_version)


def _versions(group: str, same_shape: tuple[str, ...], **different: Codec) -> Mapping[str, Codec]:
    codecs = {f"{group}/{version}": _SAME_SHAPE for version in same_shape}
    codecs.update({f"{group}/{version}": codec for version, codec in different.items()})
    return MappingProxyType(codecs)


_DRA = "resource.k8s.io"

_HPA = Family(frozenset({"autoscaling"}), MappingProxyType({
    AUTOSCALING_V2: _SAME_SHAPE,
    AUTOSCALING_V1: Codec(_hpa_v1_to_v2, _hpa_v2_to_v1),
}))
_EVENTS = Family(frozenset({"", "events.k8s.io"}), MappingProxyType({
    CORE_V1: _SAME_SHAPE,
    EVENTS_V1: Codec(_events_v1_to_core_event, _core_event_to_events_v1),
}))
_FLAT_CLAIM = Codec(dra_claims.flat_claim_to_hub, dra_claims.hub_claim_to_flat)
_CLAIMS = Family(frozenset({_DRA}), _versions(_DRA, ("v1", "v1beta2"), v1beta1=_FLAT_CLAIM, v1alpha3=_FLAT_CLAIM))
_FLAT_TEMPLATE = Codec(dra_claims.flat_template_to_hub, dra_claims.hub_template_to_flat)
_TEMPLATES = Family(frozenset({_DRA}),
                    _versions(_DRA, ("v1", "v1beta2"), v1beta1=_FLAT_TEMPLATE, v1alpha3=_FLAT_TEMPLATE))
_SLICES = Family(frozenset({_DRA}), _versions(
    _DRA, ("v1", "v1beta2"),
    v1beta1=Codec(dra_slices.basic_slice_to_hub, dra_slices.hub_slice_to_basic),
    v1alpha3=Codec(dra_slices.alpha_slice_to_hub, dra_slices.hub_slice_to_alpha),
))

# (group, resource) -> its family, for the group-resources whose versions differ in shape.
_FAMILIES: Mapping[tuple[str, str], Family] = MappingProxyType({
    ("autoscaling", "horizontalpodautoscalers"): _HPA,
    ("", "events"): _EVENTS,
    ("events.k8s.io", "events"): _EVENTS,
    (_DRA, "resourceclaims"): _CLAIMS,
    (_DRA, "resourceclaimtemplates"): _TEMPLATES,
    (_DRA, "resourceslices"): _SLICES,
})


def converter_for(group: str, plural: str) -> Converter:
    """The converter between the versions of ``group``/``plural`` (built-in or custom)."""
    return Converter(group, plural, _FAMILIES.get((group, plural)))
