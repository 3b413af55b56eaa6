"""``coordination.k8s.io``: Lease and LeaseCandidate validation; LeaseCandidate names follow the ConfigMap key rule.

The CoordinatedLeaderElection gate is off by default in every supported release (beta, v1.33 on), so the
Lease strategy drops ``spec.strategy`` and ``spec.preferredHolder`` before validation: a Lease is stored
without them (an update keeps them only where the stored Lease already had them), and they are never refused.
"""

from __future__ import annotations

from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy
from fakekube.kinds.validation.coordination import validate_lease, validate_lease_candidate

_GATED = ("strategy", "preferredHolder")


def _lease_prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    spec = obj.get("spec")
    if isinstance(spec, dict):
        for name in _GATED:
            spec.pop(name, None)


def _lease_prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    spec, old_spec = obj.get("spec"), old.get("spec")
    if isinstance(spec, dict):
        for name in _GATED:
            if not isinstance(old_spec, dict) or old_spec.get(name) is None:
                spec.pop(name, None)


KINDS = {
    # both registries allow create on update (a PUT may create)
    "Lease": Strategy(validate=validate_lease, validation_ported=True, allow_create_on_update=True,
                      prepare_for_create=_lease_prepare_for_create, prepare_for_update=_lease_prepare_for_update),
    "LeaseCandidate": Strategy(name_rule="config-map-key", validate=validate_lease_candidate, validation_ported=True,
                               allow_create_on_update=True),
}
