"""PersistentVolumeClaims (``pkg/registry/core/persistentvolumeclaim``): the volume mode, and the phase.

The strategy empties a new claim's status, but kube-apiserver defaults an object whenever it decodes one,
the stored bytes included, so a claim is read (and answered) ``Pending`` until a controller says more.
"""

from __future__ import annotations

from fakekube.kinds import podspec
from fakekube.kinds.deferred import deferred
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy, Validate


# ``ValidatePersistentVolumeClaim`` (``kinds/validation/core_storage.py``), loaded with the first claim written.
@deferred
def _validate() -> Validate:
    from fakekube.kinds.validation.core_storage import validate_claim

    return validate_claim


def _defaults(obj: Obj) -> None:
    """``SetDefaults_PersistentVolumeClaimSpec`` (volume mode) and ``SetDefaults_PersistentVolumeClaim``
    (phase Pending, when a status is there to default)."""
    podspec.claim_spec_defaults(obj.setdefault("spec", {}))
    status = obj.get("status")
    if isinstance(status, dict) and not status.get("phase"):
        status["phase"] = "Pending"


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    obj["status"] = {"phase": "Pending"}


STRATEGY = Strategy(defaults=_defaults, prepare_for_create=_prepare_for_create, validate=_validate,
                    validation_ported=True, kube_finalizers=True)
