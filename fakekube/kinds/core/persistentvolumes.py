"""PersistentVolumes (``pkg/registry/core/persistentvolume``): defaults, the initial phase, validation.

A new volume is ``Pending`` since now (``PersistentVolumeLastPhaseTransitionTime`` is GA); its reclaim
policy defaults to ``Retain`` and its mode to ``Filesystem`` (``SetDefaults_PersistentVolume``), a host
path's type to ``""`` (``SetDefaults_HostPathVolumeSource``).  The defaults of the other sources (RBD pool
and user, iSCSI interface, Azure disk caching...) are not ported.
"""

from __future__ import annotations

from dataclasses import replace

from fakekube.clock import rfc3339
from fakekube.kinds.deferred import deferred
from fakekube.kinds.strategy import STATUS_WITH_METADATA, ClusterAccess, Obj, Strategy, Validate


# ``ValidatePersistentVolume`` (``kinds/validation/core_storage.py``), loaded with the first volume written.
@deferred
def _validate() -> Validate:
    from fakekube.kinds.validation.core_storage import validate_volume

    return validate_volume


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


def _phase_transition(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """``persistentvolumeStatusStrategy``: the phase's transition time is kept while the phase stays, and is now
    when the phase changes and the writer left the time out or unchanged."""
    status = obj.get("status")
    if not isinstance(status, dict):
        return
    old_status = old.get("status") if isinstance(old.get("status"), dict) else {}
    assert isinstance(old_status, dict)
    given = status.get("lastPhaseTransitionTime")
    if status.get("phase") == old_status.get("phase"):
        if given is None and old_status.get("lastPhaseTransitionTime") is not None:
            status["lastPhaseTransitionTime"] = old_status["lastPhaseTransitionTime"]
    elif given is None or given == old_status.get("lastPhaseTransitionTime"):
        status["lastPhaseTransitionTime"] = rfc3339(cluster.now())


STRATEGY = Strategy(defaults=_defaults, prepare_for_create=_prepare_for_create, validate=_validate,
                    kube_finalizers=True,
                    subresources={"status": replace(STATUS_WITH_METADATA, prepare=_phase_transition)})
