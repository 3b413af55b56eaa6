"""``resource.k8s.io`` (dynamic resource allocation): ResourceSlices select on their node and driver."""

from __future__ import annotations

from fakekube.kinds.field_labels import NAME_ONLY, fields, resource_slice_rejection, string
from fakekube.kinds.strategy import Strategy

KINDS = {
    "ResourceSlice": Strategy(kube_finalizers=True, field_labels=fields(
        {"spec.nodeName": string("spec.nodeName"), "spec.driver": string("spec.driver")},
        meta=NAME_ONLY, reject=resource_slice_rejection)),
}
