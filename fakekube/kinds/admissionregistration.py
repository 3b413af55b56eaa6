"""``admissionregistration.k8s.io``: policies and webhook configurations count generations."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

_GENERATIONAL = Strategy(tracks_generation=True)

KINDS = {kind: _GENERATIONAL for kind in ("ValidatingAdmissionPolicy", "MutatingAdmissionPolicy",
                                          "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")}
