"""Which table and which version kube-apiserver stores a group-resource in, release by release.

kube-apiserver writes every object of a group-resource to etcd in one version, whichever version the
client used, and converts on every read.  The version comes from three places upstream:

1. ``pkg/kubeapiserver/default_storage_factory_builder.go`` lists per-resource overrides
   (``ResourceEncodingOverrides``); an override always wins.
2. Otherwise ``staging/src/k8s.io/apiserver/pkg/server/storage/resource_encoding_config.go``
   (``BackwardCompatibileStorageEncodingFor`` -> ``emulatedStorageVersion``) walks the kind's versions
   in the scheme's priority order (``pkg/apis/<group>/install/install.go``) and takes the first one
   that the previous release already knew: a version whose ``+k8s:prerelease-lifecycle-gen:introduced``
   release is newer than the minimum compatibility version (the binary's minor minus one) is skipped,
   so an N-1 server can still read everything an N server wrote (downgrades).  Since 1.33 even GA
   packages carry ``introduced`` tags, so a version that graduates to GA is stored one release later.
3. Resources that share a table (``AddCohabitatingResources``: core and events.k8s.io Events) are
   stored by the first of them, core ``v1``.

The resulting choices for the group-resources served in more than one version::

    group-resource                         1.33      1.34      1.35      1.36      1.37
    autoscaling/horizontalpodautoscalers   v2        v2        v2        v2        v2
    events, events.k8s.io/events           core v1   core v1   core v1   core v1   core v1
    admissionregistration/validating...*   v1        -         -         -         -
    admissionregistration/mutating...*     -         v1alpha1  v1beta1   v1beta1   v1
    certificates/clustertrustbundles       v1beta1   v1beta1   v1beta1   v1beta1   v1beta1
    certificates/podcertificaterequests    -         -         -         -         v1beta1
    coordination/leasecandidates           v1beta1   v1beta1   v1beta1   v1beta1   v1beta1
    networking/ipaddresses, servicecidrs   v1beta1   v1        v1        v1        -
    resource/deviceclasses, resourceclaims,
      resourceclaimtemplates, resourceslices
                                           v1beta1   v1beta2   v1        v1        v1
    resource/devicetaintrules              -         -         -         v1alpha3  v1beta2
    scheduling/workloads, podgroups        -         -         -         -         v1beta1
    storage/volumeattributesclasses        v1beta1   v1beta1   v1        v1        v1
    storagemigration/storageversionmigrations
                                           -         -         -         -         v1beta1

("-": one version only in that release.)  Why each one:

* GA graduations wait a release: networking v1 (introduced 1.33), storage v1 VolumeAttributesClass
  and resource v1 (introduced 1.34), admissionregistration v1 MutatingAdmissionPolicy (introduced 1.36,
  also pinned to v1beta1 by an override in the 1.36 file) are skipped by the N-1 rule in their first
  release and used from the next one on.  resource.k8s.io also kept ``v1beta1`` first in its 1.33
  priority list (a TODO there moved storage to v1beta2 for 1.34), and v1 became the storage version
  in 1.35 ("DRA: the resource.k8s.io API now uses the v1 API version (introduced in 1.34) as default
  storage version", kubernetes#133876).
* A first beta normally replaces its alpha at once, but the N-1 rule does not know that, so upstream
  pins it with an override: the 1.36 file overrides leasecandidates and clustertrustbundles to
  v1beta1, which only makes a difference in 1.33, where both betas appeared (as the networking and
  storage betas were overridden in 1.31, the release that introduced them).  MutatingAdmissionPolicy
  got no such override when v1beta1 appeared in 1.34 ("the default stored version remains alpha in
  1.34", kubernetes#132821), hence v1alpha1 there and v1beta1 from 1.35 on (kubernetes#133715).
* devicetaintrules stays v1alpha3 in 1.36 although v1beta2 (introduced 1.36) has priority: the N-1
  rule and an explicit override agree.  In 1.37 the override moves it to v1beta2, although v1
  (introduced 1.37) has priority.
* 1.37 (``pkg/kubeapiserver/default_storage_factory_builder.go`` of k8s.io/kubernetes v1.37.2): the
  MutatingAdmissionPolicy overrides are gone, so v1 (introduced 1.36) is stored; the new GA versions of
  clustertrustbundles, podcertificaterequests and storageversionmigrations (introduced 1.37) are
  overridden to v1beta1, and the scheduling betas of workloads and podgroups (introduced 1.37) to
  v1beta1 over v1alpha3.
* The ``introduced`` releases below are those of the ``zz_generated.prerelease-lifecycle.go`` files of
  k8s.io/api on the release-1.33 .. release-1.36 branches and of k8s.io/api v0.37.2.  The 1.36 and
  1.37 overrides are those releases' files; for 1.33 to 1.35 only the overrides that decide a
  multi-version resource are listed, and those are inferred from the 1.36 file and the release notes
  quoted above (the 1.33 to 1.35 files were not available to read).  The 1.37 choices agree with the
  ``storageVersionHash`` discovery of kube-apiserver v1.37.2 (all APIs on) publishes for every resource.

Every table here is immutable and keyed by (group, resource), never by kind.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from fakekube.conversion.common import CORE_V1


@dataclass(frozen=True)
class StorageChoice:
    """Where a group-resource's objects live: the store table and the apiVersion they are stored in."""

    table: str
    api_version: str


GroupResource = tuple[str, str]

# Group-resources stored in another group-resource's table (AddCohabitatingResources upstream).
_SHARED_TABLES: Mapping[GroupResource, StorageChoice] = MappingProxyType({
    ("", "events"): StorageChoice("events", CORE_V1),
    ("events.k8s.io", "events"): StorageChoice("events", CORE_V1),
})


def _same_release(group: str, plurals: tuple[str, ...], **introduced: int) -> dict[tuple[str, str, str], int]:
    return {(group, plural, version): minor for plural in plurals for version, minor in introduced.items()}


_ADMISSION = "admissionregistration.k8s.io"
_DRA = "resource.k8s.io"
_DRA_CORE = ("deviceclasses", "resourceclaims", "resourceclaimtemplates", "resourceslices")

# (group, resource, version) -> the 1.x minor release whose types carry that ``introduced`` tag
# (``zz_generated.prerelease-lifecycle.go`` in k8s.io/api).  Versions not listed count as old enough.
_INTRODUCED: Mapping[tuple[str, str, str], int] = MappingProxyType({
    **_same_release(_ADMISSION, ("validatingadmissionpolicies", "validatingadmissionpolicybindings"),
                    v1alpha1=26, v1beta1=28, v1=30),
    **_same_release(_ADMISSION, ("mutatingadmissionpolicies", "mutatingadmissionpolicybindings"),
                    v1alpha1=32, v1beta1=34, v1=36),
    **_same_release("autoscaling", ("horizontalpodautoscalers",), v1=2, v2beta1=8, v2beta2=12, v2=23),
    **_same_release("certificates.k8s.io", ("clustertrustbundles",), v1alpha1=26, v1beta1=33, v1=37),
    **_same_release("certificates.k8s.io", ("podcertificaterequests",), v1beta1=35, v1=37),
    **_same_release("coordination.k8s.io", ("leasecandidates",), v1alpha1=31, v1alpha2=32, v1beta1=33),
    **_same_release("networking.k8s.io", ("ipaddresses", "servicecidrs"), v1alpha1=27, v1beta1=31, v1=33),
    **_same_release(_DRA, _DRA_CORE, v1alpha3=31, v1beta1=32, v1beta2=33, v1=34),
    **_same_release(_DRA, ("devicetaintrules",), v1alpha3=33, v1beta2=36, v1=37),
    **_same_release("scheduling.k8s.io", ("workloads", "podgroups"), v1beta1=37),
    **_same_release("storage.k8s.io", ("volumeattributesclasses",), v1alpha1=29, v1beta1=31, v1=34),
    **_same_release("storagemigration.k8s.io", ("storageversionmigrations",), v1beta1=35, v1=37),
})

# minor release -> ResourceEncodingOverrides that name a version of the resource (others are moot).
_OVERRIDES: Mapping[int, Mapping[GroupResource, str]] = MappingProxyType({
    33: MappingProxyType({
        ("coordination.k8s.io", "leasecandidates"): "v1beta1",
        ("certificates.k8s.io", "clustertrustbundles"): "v1beta1",
        (_DRA, "devicetaintrules"): "v1alpha3",
    }),
    34: MappingProxyType({
        ("coordination.k8s.io", "leasecandidates"): "v1beta1",
        ("certificates.k8s.io", "clustertrustbundles"): "v1beta1",
        (_DRA, "devicetaintrules"): "v1alpha3",
    }),
    35: MappingProxyType({
        ("coordination.k8s.io", "leasecandidates"): "v1beta1",
        ("certificates.k8s.io", "clustertrustbundles"): "v1beta1",
        (_DRA, "devicetaintrules"): "v1alpha3",
    }),
    36: MappingProxyType({  # the 1.36 list as released
        ("coordination.k8s.io", "leasecandidates"): "v1beta1",
        (_ADMISSION, "mutatingadmissionpolicies"): "v1beta1",
        (_ADMISSION, "mutatingadmissionpolicybindings"): "v1beta1",
        ("certificates.k8s.io", "clustertrustbundles"): "v1beta1",
        ("certificates.k8s.io", "podcertificaterequests"): "v1beta1",
        (_DRA, "devicetaintrules"): "v1alpha3",
        (_DRA, "resourcepoolstatusrequests"): "v1alpha3",
        ("scheduling.k8s.io", "workloads"): "v1alpha2",
        ("scheduling.k8s.io", "podgroups"): "v1alpha2",
    }),
    37: MappingProxyType({  # the 1.37 list as released
        ("coordination.k8s.io", "leasecandidates"): "v1beta1",
        ("certificates.k8s.io", "clustertrustbundles"): "v1beta1",
        ("certificates.k8s.io", "podcertificaterequests"): "v1beta1",
        ("storagemigration.k8s.io", "storageversionmigrations"): "v1beta1",
        (_DRA, "devicetaintrules"): "v1beta2",
        (_DRA, "resourcepoolstatusrequests"): "v1alpha3",
        ("scheduling.k8s.io", "workloads"): "v1beta1",
        ("scheduling.k8s.io", "podgroups"): "v1beta1",
        ("scheduling.k8s.io", "compositepodgroups"): "v1alpha3",
        ("lifecycle.k8s.io", "evictions"): "v1alpha1",
        ("lifecycle.k8s.io", "evictionrequests"): "v1alpha1",
    }),
})

# minor release -> groups whose install.go priority is not the usual GA > beta > alpha order.
_GROUP_PRIORITY: Mapping[int, Mapping[str, tuple[str, ...]]] = MappingProxyType({
    33: MappingProxyType({_DRA: ("v1beta1", "v1beta2", "v1alpha3")}),
})

_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")
_RELEASE_RE = re.compile(r"^v?1\.(\d+)(?:\.\d+)?")


def _default_priority(version: str) -> tuple[int, int, int]:
    match = _VERSION_RE.match(version)
    if not match:
        return (-1, 0, 0)
    stage = {"alpha": 0, "beta": 1, None: 2}[match.group(2)]
    return (stage, int(match.group(1)), int(match.group(3) or 0))


def _by_priority(minor: int, group: str, versions: Collection[str]) -> list[str]:
    """``versions`` highest priority first, as the release's scheme orders them."""
    listed = _GROUP_PRIORITY.get(minor, {}).get(group, ())
    ranked = sorted(versions, key=_default_priority, reverse=True)
    return [v for v in listed if v in versions] + [v for v in ranked if v not in listed]


def _minor(kubernetes_version: str) -> int:
    match = _RELEASE_RE.match(kubernetes_version)
    if not match:
        raise ValueError(f"not a Kubernetes 1.x version: {kubernetes_version!r}")
    return int(match.group(1))


def storage_for(kubernetes_version: str, group: str, plural: str, versions: Collection[str]) -> StorageChoice:
    """The table and storage version of ``group``/``plural`` in ``kubernetes_version`` ("v1.35").

    ``versions`` are every version of the group-resource the release defines (enabled or not): the
    storage version does not depend on which versions a cluster serves.  See the module docstring.
    """
    shared = _SHARED_TABLES.get((group, plural))
    if shared is not None:
        return shared
    if not versions:
        raise ValueError(f"{plural}.{group} has no versions")
    minor = _minor(kubernetes_version)
    ranked = _by_priority(minor, group, versions)
    override = _OVERRIDES.get(minor, {}).get((group, plural))
    if override is not None and override in versions:
        chosen = override
    else:  # the first version the previous release already knew; the top one if none did
        eligible = (v for v in ranked if _INTRODUCED.get((group, plural, v), 0) <= minor - 1)
        chosen = next(eligible, ranked[0])
    table = f"{group}/{plural}" if group else plural
    return StorageChoice(table, f"{group}/{chosen}" if group else chosen)
