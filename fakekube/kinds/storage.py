"""``storage.k8s.io``: StorageClass and CSIDriver defaults (``pkg/apis/storage/v1/defaults.go``) and the
StorageClass rules (``kinds/validation/storage.py``)."""

from __future__ import annotations

from dataclasses import replace

from fakekube.kinds.deferred import deferred
from fakekube.kinds.strategy import Obj, Strategy, Validate, spec_changes_from_zero
from fakekube.versions import minor_of


# The rules of ``kinds/validation/storage.py``, loaded with the first object of the group written.
@deferred
def _validate_storage_class() -> Validate:
    from fakekube.kinds.validation.storage import validate_storage_class

    return validate_storage_class


@deferred
def _validate_csi_driver() -> Validate:
    from fakekube.kinds.validation.storage import validate_csi_driver

    return validate_csi_driver


@deferred
def _validate_volume_attachment() -> Validate:
    from fakekube.kinds.validation.storage import validate_volume_attachment

    return validate_volume_attachment


def storage_class_defaults(obj: Obj) -> None:
    """``SetDefaults_StorageClass``: volumes are deleted with their claims and bound at once."""
    obj.setdefault("reclaimPolicy", "Delete")
    obj.setdefault("volumeBindingMode", "Immediate")


def csi_driver_defaults(obj: Obj) -> None:
    """``SetDefaults_CSIDriver`` with v1.36's default feature gates (fsGroupPolicy, inline volumes and
    SELinux mounts all on)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):  # a struct in Go: defaulted even when the manifest has none
        spec = obj["spec"] = {}
    spec.setdefault("attachRequired", True)
    spec.setdefault("podInfoOnMount", False)
    spec.setdefault("storageCapacity", False)
    spec.setdefault("fsGroupPolicy", "ReadWriteOnceWithFSType")
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]
    spec.setdefault("requiresRepublish", False)
    spec.setdefault("seLinuxMount", False)


def csi_driver_defaults_v137(obj: Obj) -> None:
    """v1.37 turns ``VolumeLimitScaling`` on (beta): ``preventPodSchedulingIfMissing`` defaults to false too."""
    csi_driver_defaults(obj)
    obj["spec"].setdefault("preventPodSchedulingIfMissing", False)


def _csi_driver_for_release(kubernetes_version: str) -> Strategy:
    strategy = KINDS["CSIDriver"]
    defaults = csi_driver_defaults_v137 if minor_of(kubernetes_version) >= 37 else csi_driver_defaults
    return replace(strategy, defaults=defaults, for_release=None)


KINDS = {
    "StorageClass": Strategy(kube_finalizers=True, defaults=storage_class_defaults,
                             validate=_validate_storage_class, validation_ported=True),
    "CSIDriver": Strategy(kube_finalizers=True, returns_deleted_object=True, next_generation=spec_changes_from_zero,
                          defaults=csi_driver_defaults, validate=_validate_csi_driver, validation_ported=True,
                          for_release=_csi_driver_for_release),
    "VolumeAttachment": Strategy(kube_finalizers=True, validate=_validate_volume_attachment,
                                 validation_ported=True),
}

