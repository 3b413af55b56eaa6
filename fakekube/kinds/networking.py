"""``networking.k8s.io``: IPAddress names are IP addresses; policies and ingresses count generations.

Defaults are ``pkg/apis/networking/v1/defaults.go``; validation is ``kinds/validation/networking.py``.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from fakekube.kinds.deferred import deferred
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import STATUS, Obj, Strategy, Validate


# The rules of ``kinds/validation/networking.py``, loaded with the first object of the group written.
@deferred
def _validate_ingress_status() -> Validate:
    from fakekube.kinds.validation.networking import validate_ingress_status

    return validate_ingress_status


@deferred
def _validate_network_policy() -> Validate:
    from fakekube.kinds.validation.networking import validate_network_policy

    return validate_network_policy


@deferred
def _validate_ingress() -> Validate:
    from fakekube.kinds.validation.networking import validate_ingress

    return validate_ingress


@deferred
def _validate_ingress_class() -> Validate:
    from fakekube.kinds.validation.networking import validate_ingress_class

    return validate_ingress_class


def network_policy_defaults(obj: Obj) -> None:
    """``SetDefaults_NetworkPolicy`` (no policyTypes: Ingress, and Egress when there are egress rules) and
    ``SetDefaults_NetworkPolicyPort`` (protocol TCP)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    for direction in ("ingress", "egress"):
        for rule in spec.get(direction) or []:
            for port in as_dict(rule).get("ports") or []:
                if isinstance(port, dict):
                    port.setdefault("protocol", "TCP")
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def ingress_class_defaults(obj: Obj) -> None:
    """``SetDefaults_IngressClass``: parameters without a scope are cluster-scoped."""
    params = as_dict(obj.get("spec")).get("parameters")
    if isinstance(params, dict):
        params.setdefault("scope", "Cluster")


# a /status write is checked by ``ValidateIngressStatusUpdate`` alone
_INGRESS_SUBRESOURCES = MappingProxyType({"status": replace(STATUS, validate=_validate_ingress_status)})

KINDS = {
    "IPAddress": Strategy(name_rule="ip-address", kube_finalizers=True),
    "NetworkPolicy": Strategy(tracks_generation=True, kube_finalizers=True, defaults=network_policy_defaults,
                              validate=_validate_network_policy, validation_ported=True),
    "Ingress": Strategy(tracks_generation=True, kube_finalizers=True, validate=_validate_ingress,
                        validation_ported=True, subresources=_INGRESS_SUBRESOURCES),
    "IngressClass": Strategy(tracks_generation=True, kube_finalizers=True, defaults=ingress_class_defaults,
                             validate=_validate_ingress_class, validation_ported=True),
}
