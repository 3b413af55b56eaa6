"""PersistentVolumeClaims (``pkg/registry/core/persistentvolumeclaim``): the volume mode, and the phase.

The strategy empties a new claim's status, but kube-apiserver defaults an object whenever it decodes one,
the stored bytes included, so a claim is read (and answered) ``Pending`` until a controller says more.
"""

from __future__ import annotations

from fakekube.kinds import podspec
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy


def _defaults(obj: Obj) -> None:
    podspec.claim_spec_defaults(obj.setdefault("spec", {}))


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    obj["status"] = {"phase": "Pending"}


STRATEGY = Strategy(defaults=_defaults, prepare_for_create=_prepare_for_create, kube_finalizers=True)
