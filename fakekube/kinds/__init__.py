"""The kinds layer: what each kind does beyond the generic registry, one module per API group or kind.

``kinds/<group>.py`` (or ``kinds/<group>/<kind>.py`` for the core group) builds each kind's
``Strategy``: defaults, server-assigned fields, validation beyond the schema, name rule, subresources,
deletion behaviour, field labels and table columns.  A cluster's catalog asks ``builtin_strategy``
once per resource when it builds its resources; requests read the strategy from the resource.
Custom resources get ``custom_resource_strategy`` from their CRD.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from fakekube.kinds import (
    admissionregistration,
    apiextensions,
    apiregistration,
    apps,
    autoscaling,
    batch,
    certificates,
    coordination,
    core,
    discovery,
    flowcontrol,
    networking,
    node,
    policy,
    rbac,
    resource,
    reviews,
    scheduling,
    storage,
)
from fakekube.kinds.core import events
from fakekube.kinds.custom import custom_resource_strategy, strategy_for_version
from fakekube.kinds.strategy import Strategy

# Groups whose kinds go through kubernetes' own ObjectMeta wrapper, which also rejects a finalizer without
# a '/' unless it is a standard one.  Not in it: coordination.k8s.io, admissionregistration.k8s.io,
# apiextensions.k8s.io, apiregistration.k8s.io and custom resources (apimachinery's checks alone).
KUBE_FINALIZER_GROUPS = frozenset({
    "", "apps", "autoscaling", "batch", "certificates.k8s.io", "discovery.k8s.io", "events.k8s.io",
    "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy",
    "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
    "storagemigration.k8s.io",
})

_GROUPS: Mapping[str, Mapping[str, Strategy]] = MappingProxyType({
    "": core.KINDS,
    "apps": apps.KINDS,
    "autoscaling": autoscaling.KINDS,
    "batch": batch.KINDS,
    "events.k8s.io": {"Event": events.EVENTS_V1_EVENT},
    "authorization.k8s.io": reviews.AUTHORIZATION,
    "authentication.k8s.io": reviews.AUTHENTICATION,
    "rbac.authorization.k8s.io": rbac.KINDS,
    "certificates.k8s.io": certificates.KINDS,
    "networking.k8s.io": networking.KINDS,
    "node.k8s.io": node.KINDS,
    "coordination.k8s.io": coordination.KINDS,
    "discovery.k8s.io": discovery.KINDS,
    "apiextensions.k8s.io": apiextensions.KINDS,
    "apiregistration.k8s.io": apiregistration.KINDS,
    "admissionregistration.k8s.io": admissionregistration.KINDS,
    "flowcontrol.apiserver.k8s.io": flowcontrol.KINDS,
    "policy": policy.KINDS,
    "resource.k8s.io": resource.KINDS,
    "scheduling.k8s.io": scheduling.KINDS,
    "storage.k8s.io": storage.KINDS,
})
_PLAIN = Strategy()
_PLAIN_KUBE = Strategy(kube_finalizers=True)

# The registries of kube-apiserver that set ``ReturnDeletedObject`` (``pkg/registry/<group>/<kind>/storage``):
# a DELETE that removes one of these answers with the object, not a ``Status``.
RETURNS_DELETED_OBJECT = frozenset({
    ("", "Namespace"), ("", "PersistentVolume"), ("", "PersistentVolumeClaim"), ("", "Pod"), ("", "PodTemplate"),
    ("", "ResourceQuota"), ("", "Service"), ("", "ServiceAccount"),
    ("resource.k8s.io", "DeviceClass"), ("resource.k8s.io", "ResourceClaim"),
    ("resource.k8s.io", "ResourceClaimTemplate"), ("resource.k8s.io", "ResourcePoolStatusRequest"),
    ("resource.k8s.io", "ResourceSlice"), ("storage.k8s.io", "CSIDriver"), ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "StorageClass"), ("storage.k8s.io", "VolumeAttachment"),
    ("storage.k8s.io", "VolumeAttributesClass"),
})
_RETURNING: dict[tuple[str, str], Strategy] = {}  # immutable once made: the strategy with the flag set


def builtin_strategy(group: str, kind: str) -> Strategy:
    """The strategy of a built-in kind (a kind with no module of its own gets its group's plain one)."""
    found = _GROUPS.get(group, {}).get(kind)
    if found is None:
        found = _PLAIN_KUBE if group in KUBE_FINALIZER_GROUPS else _PLAIN
    if (group, kind) in RETURNS_DELETED_OBJECT and not found.returns_deleted_object:
        returning = _RETURNING.get((group, kind))
        if returning is None:
            returning = _RETURNING[(group, kind)] = replace(found, returns_deleted_object=True)
        return returning
    return found


__all__ = ["Strategy", "builtin_strategy", "custom_resource_strategy", "strategy_for_version"]
