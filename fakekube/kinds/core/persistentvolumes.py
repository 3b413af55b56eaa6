"""PersistentVolumes (``pkg/registry/core/persistentvolume``): defaults, the initial phase, validation.

A new volume is ``Pending`` since now (``PersistentVolumeLastPhaseTransitionTime`` is GA); its reclaim
policy defaults to ``Retain`` and its mode to ``Filesystem`` (``SetDefaults_PersistentVolume``), a host
path's type to ``""`` (``SetDefaults_HostPathVolumeSource``).  The defaults of the other sources (RBD pool
and user, iSCSI interface, Azure disk caching...) are not ported.
"""

from __future__ import annotations

from fakekube.clock import rfc3339
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy
from fakekube.kinds.validation import core_storage


def _defaults(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    if isinstance(spec, dict):
        if not spec.get("persistentVolumeReclaimPolicy"):
            spec["persistentVolumeReclaimPolicy"] = "Retain"
        spec.setdefault("volumeMode", "Filesystem")
        host_path = spec.get("hostPath")
        if isinstance(host_path, dict):
            host_path.setdefault("type", "")  # SetDefaults_HostPathVolumeSource: HostPathUnset
    status = obj.get("status")
    if isinstance(status, dict) and not status.get("phase"):
        status["phase"] = "Pending"


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": rfc3339(cluster.now())}


STRATEGY = Strategy(defaults=_defaults, prepare_for_create=_prepare_for_create, validate=core_storage.validate_volume,
                    kube_finalizers=True)
