"""Which built-in API versions are deprecated, and the warning every request to them carries.

kube-apiserver reads a type's ``APILifecycleDeprecated`` / ``APILifecycleRemoved`` /
``APILifecycleReplacement`` (``k8s.io/api``'s ``lifecycle.go`` and ``zz_generated.prerelease-lifecycle.go``)
when it installs a resource's routes: once the release it runs is at or past the deprecation, every verb of
the resource answers with a ``Warning: 299 - "<group/version> <Kind> is deprecated in v1.N+[, unavailable in
v1.M+][; use <group/version> <Kind>]"`` header (``deprecation.WarningMessage``).  The values below are those
of each supported release's ``k8s.io/api``, for the kinds the release serves, and only where the release is
at or past the deprecation.
"""

from __future__ import annotations

from typing import NamedTuple


class _Lifecycle(NamedTuple):
    """One kind's lifecycle in a range of releases (minor numbers, inclusive)."""

    first: int
    last: int
    deprecated: int
    removed: int | None = None
    replacement: str = ""  # "group/version Kind"


_RESOURCE = "resource.k8s.io"
_TABLE: dict[tuple[str, str], tuple[_Lifecycle, ...]] = {
    ("v1", "ComponentStatus"): (_Lifecycle(33, 37, 19),),
    ("v1", "Endpoints"): (_Lifecycle(33, 37, 33, None, "discovery.k8s.io/v1 EndpointSlice"),),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy"): (_Lifecycle(35, 37, 35, 38),),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding"): (_Lifecycle(35, 37, 35, 38),),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy"): (
        _Lifecycle(37, 37, 37, 40, "admissionregistration.k8s.io/v1 MutatingAdmissionPolicy"),),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding"): (
        _Lifecycle(37, 37, 37, 40, "admissionregistration.k8s.io/v1 MutatingAdmissionPolicyBinding"),),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy"): (_Lifecycle(33, 33, 31, 34),),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding"): (_Lifecycle(33, 33, 31, 34),),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundle"): (_Lifecycle(34, 36, 34, 37),),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle"): (
        _Lifecycle(37, 37, 37, 40, "certificates.k8s.io/v1 ClusterTrustBundle"),),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest"): (
        _Lifecycle(37, 37, 37, 40, "certificates.k8s.io/v1 PodCertificateRequest"),),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidate"): (_Lifecycle(35, 37, 35, 38),),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate"): (_Lifecycle(36, 37, 36, 39),),
    ("networking.k8s.io/v1beta1", "IPAddress"): (_Lifecycle(34, 36, 34, 37),),
    ("networking.k8s.io/v1beta1", "ServiceCIDR"): (_Lifecycle(34, 36, 34, 37),),
    (f"{_RESOURCE}/v1alpha3", "DeviceTaintRule"): (_Lifecycle(36, 37, 36, 39),),
    **{(f"{_RESOURCE}/v1beta1", kind): (_Lifecycle(35, 37, 35, 38),)
       for kind in ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice")},
    **{(f"{_RESOURCE}/v1beta2", kind): (_Lifecycle(36, 37, 36, 39),)
       for kind in ("DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice")},
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClass"): (
        _Lifecycle(33, 33, 32, 35), _Lifecycle(34, 34, 32, 35, "storage.k8s.io/v1 VolumeAttributesClass")),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass"): (
        _Lifecycle(34, 36, 34, 37, "storage.k8s.io/v1 VolumeAttributesClass"),),
    ("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration"): (_Lifecycle(33, 34, 33, 36),),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigration"): (
        _Lifecycle(37, 37, 37, 40, "storagemigration.k8s.io/v1 StorageVersionMigration"),),
}


def deprecation_warning(minor: int, group: str, version: str, kind: str) -> str:
    """The warning requests to ``group/version`` ``kind`` carry in release 1.``minor`` ("" when none)."""
    group_version = f"{group}/{version}" if group else version
    for entry in _TABLE.get((group_version, kind), ()):
        if entry.first <= minor <= entry.last and entry.deprecated <= minor:
            text = f"{group_version} {kind} is deprecated in v1.{entry.deprecated}+"
            if entry.removed is not None:
                text += f", unavailable in v1.{entry.removed}+"
            if entry.replacement:
                text += f"; use {entry.replacement}"
            return text
    return ""


def removal(group_version: str, kind: str) -> tuple[int, str] | None:
    """The minor release that stops serving ``group_version`` ``kind`` and its replacement ("" when none),
    from the releases' own lifecycle data; None when no supported release schedules a removal."""
    for entry in _TABLE.get((group_version, kind), ()):
        if entry.removed is not None:
            return entry.removed, entry.replacement
    return None
