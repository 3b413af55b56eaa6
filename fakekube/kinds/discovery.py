"""``discovery.k8s.io``: EndpointSlices, their port defaults (``SetDefaults_EndpointPort``) and validation."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy
from fakekube.kinds.validation.discovery import endpoint_slice_defaults, validate_endpoint_slice

KINDS = {
    "EndpointSlice": Strategy(defaults=endpoint_slice_defaults, validate=validate_endpoint_slice,
                              validation_ported=True, kube_finalizers=True),
}
