"""``discovery.k8s.io``: EndpointSlices, their port defaults (``SetDefaults_EndpointPort``) and validation."""

from __future__ import annotations

from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation.discovery import endpoint_slice_defaults, validate_endpoint_slice


def _endpoint_slice_generation(obj: Obj, old: Obj) -> None:
    """``endpointSliceStrategy.PrepareForUpdate``: anything outside metadata changed, or the labels (which a
    slice's consumers select it by), counts a generation."""
    meta, old_meta = obj["metadata"], old["metadata"]
    body = {k: v for k, v in obj.items() if k != "metadata"}
    old_body = {k: v for k, v in old.items() if k != "metadata"}
    if body != old_body or (meta.get("labels") or {}) != (old_meta.get("labels") or {}):
        meta["generation"] = int(old_meta.get("generation") or 0) + 1


KINDS = {
    "EndpointSlice": Strategy(tracks_generation=True, next_generation=_endpoint_slice_generation,
                              defaults=endpoint_slice_defaults, validate=validate_endpoint_slice,
                              validation_ported=True, kube_finalizers=True),
}
