"""``flowcontrol.apiserver.k8s.io``: FlowSchemas and PriorityLevelConfigurations count generations."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

_GENERATIONAL = Strategy(tracks_generation=True, kube_finalizers=True)

KINDS = {"FlowSchema": _GENERATIONAL, "PriorityLevelConfiguration": _GENERATIONAL}
