"""``certificates.k8s.io``: CSR names are unchecked, ClusterTrustBundle names carry their signer, and each
kind selects on its signer name."""

from __future__ import annotations

from fakekube.kinds.field_labels import NAME_ONLY, fields, string
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy


def _signer_name(obj: Obj) -> str:
    value = as_dict(obj.get("spec")).get("signerName")
    return value if isinstance(value, str) else ""


_SIGNER = fields({"spec.signerName": string("spec.signerName")}, meta=NAME_ONLY)

KINDS = {
    "CertificateSigningRequest": Strategy(name_rule="none", kube_finalizers=True, field_labels=_SIGNER),
    "ClusterTrustBundle": Strategy(name_rule="cluster-trust-bundle-name", signer_name=_signer_name,
                                   kube_finalizers=True, field_labels=_SIGNER),
    "PodCertificateRequest": Strategy(kube_finalizers=True, field_labels=fields(
        {name: string(name) for name in ("spec.signerName", "spec.podName", "spec.nodeName")}, meta=NAME_ONLY)),
}
