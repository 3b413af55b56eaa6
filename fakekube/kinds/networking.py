"""``networking.k8s.io``: IPAddress names are IP addresses; policies and ingresses count generations."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

KINDS = {
    "IPAddress": Strategy(name_rule="ip-address", kube_finalizers=True),
    "NetworkPolicy": Strategy(tracks_generation=True, kube_finalizers=True),
    "Ingress": Strategy(tracks_generation=True, kube_finalizers=True),
}
