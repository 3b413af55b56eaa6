"""Endpoints (``pkg/registry/core/endpoint``): created by a PUT too; ports default to TCP
(``SetDefaults_Endpoints``); validated by ``ValidateEndpoints``."""

from __future__ import annotations

from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation import core_network


def _defaults(obj: Obj) -> None:
    for subset in obj.get("subsets") or []:
        for port in (subset.get("ports") or []) if isinstance(subset, dict) else []:
            if isinstance(port, dict) and not port.get("protocol"):
                port["protocol"] = "TCP"


STRATEGY = Strategy(allow_create_on_update=True, defaults=_defaults, validate=core_network.validate_endpoints,
                    validation_ported=True, kube_finalizers=True)
