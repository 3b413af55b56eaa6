"""The StorageObjectInUseProtection admission plugin (``plugin/pkg/admission/storage/storageobjectinuseprotection``):
every new PersistentVolume, PersistentVolumeClaim and (from v1.34, where VolumeAttributesClass is GA)
VolumeAttributesClass gets its protection finalizer, which the controllers remove once nothing uses it; so a
delete only marks it until then."""

from __future__ import annotations

from fakekube.registry.admission_attributes import CREATE, Attributes
from fakekube.versions import minor_of

# (group, resource) -> the finalizer the plugin adds
FINALIZERS = {
    ("", "persistentvolumes"): "kubernetes.io/pv-protection",
    ("", "persistentvolumeclaims"): "kubernetes.io/pvc-protection",
    ("storage.k8s.io", "volumeattributesclasses"): "kubernetes.io/vac-protection",
}


def admit(attrs: Attributes) -> None:
    res = attrs.resource
    finalizer = FINALIZERS.get((res.group, res.plural))
    if finalizer is None or attrs.operation != CREATE or attrs.subresource or attrs.obj is None:
        return
    if res.group and minor_of(res.kubernetes_version) < 34:  # the VolumeAttributesClass gate is off before
        return
    meta = attrs.obj["metadata"]
    finalizers = meta.get("finalizers")
    if not isinstance(finalizers, list):
        finalizers = []
    if finalizer not in finalizers:
        meta["finalizers"] = [*finalizers, finalizer]
