"""How long a deleted Pod stays (``podStrategy.CheckGracefulDelete``).

A pod on a node gets a grace period to stop its containers: the one the delete asks for, else its own
``terminationGracePeriodSeconds``.  A pod no node runs (never scheduled) or one that has finished
(Succeeded, Failed) has nothing to stop and goes at once; a negative period counts as one second.
"""

from __future__ import annotations

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj


def grace_period(pod: Obj, requested: int | None) -> int:
    spec = as_dict(pod.get("spec"))
    if requested is not None:
        period = requested
    else:
        own = spec.get("terminationGracePeriodSeconds")
        period = own if isinstance(own, int) else 0
    if not spec.get("nodeName"):
        period = 0
    if as_dict(pod.get("status")).get("phase") in ("Failed", "Succeeded"):
        period = 0
    return 1 if period < 0 else period
