"""API versions upstream removed before the releases fakekube serves, with their replacements.

A hand-kept table, from the Kubernetes Deprecated API Migration Guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/), sections "v1.16" to "v1.32": those
releases are older than any catalog fakekube has, so no catalog can say that ``policy/v1beta1
PodDisruptionBudget`` once existed.  Removals in the supported releases (v1.33 on) come from each release's
own lifecycle data (``fakekube.kinds.lifecycle``), which is generated from ``k8s.io/api``.
"""

from __future__ import annotations

from typing import NamedTuple

from fakekube.kinds import lifecycle


class Removal(NamedTuple):
    """The release that stopped serving an API version of a kind, and what to use instead."""

    removed: int  # minor release
    replacement: str  # "group/version Kind", or a sentence when there is no API to move to


def _same(kinds: tuple[str, ...], group_versions: tuple[str, ...], removed: int,
          new: str) -> dict[tuple[str, str], Removal]:
    return {(gv, kind): Removal(removed, f"{new} {kind}") for gv in group_versions for kind in kinds}


_GUIDE: dict[tuple[str, str], Removal] = {
    # v1.16
    **_same(("Deployment", "DaemonSet", "ReplicaSet"), ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"),
            16, "apps/v1"),
    **_same(("StatefulSet",), ("apps/v1beta1", "apps/v1beta2"), 16, "apps/v1"),
    ("extensions/v1beta1", "NetworkPolicy"): Removal(16, "networking.k8s.io/v1 NetworkPolicy"),
    ("extensions/v1beta1", "PodSecurityPolicy"): Removal(16, "policy/v1beta1 PodSecurityPolicy"),
    # v1.22
    **_same(("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"),
            ("admissionregistration.k8s.io/v1beta1",), 22, "admissionregistration.k8s.io/v1"),
    **_same(("CustomResourceDefinition",), ("apiextensions.k8s.io/v1beta1",), 22, "apiextensions.k8s.io/v1"),
    **_same(("APIService",), ("apiregistration.k8s.io/v1beta1",), 22, "apiregistration.k8s.io/v1"),
    **_same(("TokenReview",), ("authentication.k8s.io/v1beta1",), 22, "authentication.k8s.io/v1"),
    **_same(("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview"),
            ("authorization.k8s.io/v1beta1",), 22, "authorization.k8s.io/v1"),
    **_same(("CertificateSigningRequest",), ("certificates.k8s.io/v1beta1",), 22, "certificates.k8s.io/v1"),
    **_same(("Lease",), ("coordination.k8s.io/v1beta1",), 22, "coordination.k8s.io/v1"),
    **_same(("Ingress",), ("extensions/v1beta1", "networking.k8s.io/v1beta1"), 22, "networking.k8s.io/v1"),
    **_same(("IngressClass",), ("networking.k8s.io/v1beta1",), 22, "networking.k8s.io/v1"),
    **_same(("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"), ("rbac.authorization.k8s.io/v1beta1",),
            22, "rbac.authorization.k8s.io/v1"),
    **_same(("PriorityClass",), ("scheduling.k8s.io/v1beta1",), 22, "scheduling.k8s.io/v1"),
    **_same(("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"), ("storage.k8s.io/v1beta1",),
            22, "storage.k8s.io/v1"),
    # v1.25
    **_same(("CronJob",), ("batch/v1beta1",), 25, "batch/v1"),
    **_same(("EndpointSlice",), ("discovery.k8s.io/v1beta1",), 25, "discovery.k8s.io/v1"),
    **_same(("Event",), ("events.k8s.io/v1beta1",), 25, "events.k8s.io/v1"),
    **_same(("HorizontalPodAutoscaler",), ("autoscaling/v2beta1",), 25, "autoscaling/v2"),
    **_same(("PodDisruptionBudget",), ("policy/v1beta1",), 25, "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): Removal(25, "Pod Security Admission (no replacement API)"),
    **_same(("RuntimeClass",), ("node.k8s.io/v1beta1",), 25, "node.k8s.io/v1"),
    # v1.26
    **_same(("HorizontalPodAutoscaler",), ("autoscaling/v2beta2",), 26, "autoscaling/v2"),
    **_same(("FlowSchema", "PriorityLevelConfiguration"), ("flowcontrol.apiserver.k8s.io/v1beta1",),
            26, "flowcontrol.apiserver.k8s.io/v1"),
    # v1.27
    **_same(("CSIStorageCapacity",), ("storage.k8s.io/v1beta1",), 27, "storage.k8s.io/v1"),
    # v1.29
    **_same(("FlowSchema", "PriorityLevelConfiguration"), ("flowcontrol.apiserver.k8s.io/v1beta2",),
            29, "flowcontrol.apiserver.k8s.io/v1"),
    # v1.32
    **_same(("FlowSchema", "PriorityLevelConfiguration"), ("flowcontrol.apiserver.k8s.io/v1beta3",),
            32, "flowcontrol.apiserver.k8s.io/v1"),
}


def removed_in(api_version: str, kind: str, minor: int) -> Removal | None:
    """How ``api_version`` ``kind`` was removed at or before release 1.``minor``; None when it was not."""
    known = _GUIDE.get((api_version, kind))
    if known is None:
        scheduled = lifecycle.removal(api_version, kind)
        known = Removal(*scheduled) if scheduled is not None else None
    return known if known is not None and known.removed <= minor else None


def message(api_version: str, kind: str, removal: Removal) -> str:
    """``policy/v1beta1 PodDisruptionBudget is unavailable in v1.25+; use policy/v1 PodDisruptionBudget``: the
    words of kube-apiserver's deprecation warning (``deprecation.WarningMessage``) for the release that removed it."""
    text = f"{api_version} {kind} is unavailable in v1.{removal.removed}+"
    return f"{text}; use {removal.replacement}" if removal.replacement else text
