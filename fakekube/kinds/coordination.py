"""``coordination.k8s.io``: Lease and LeaseCandidate validation; LeaseCandidate names follow the ConfigMap key rule."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy
from fakekube.kinds.validation.coordination import validate_lease, validate_lease_candidate

KINDS = {
    # both registries allow create on update (a PUT may create)
    "Lease": Strategy(validate=validate_lease, validation_ported=True, allow_create_on_update=True),
    "LeaseCandidate": Strategy(name_rule="config-map-key", validate=validate_lease_candidate, validation_ported=True,
                               allow_create_on_update=True),
}
