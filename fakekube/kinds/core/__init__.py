"""The core group (``pkg/registry/core``): one module per kind that has behaviour of its own."""

from __future__ import annotations

from collections.abc import Callable

from fakekube.errors import FieldError
from fakekube.kinds import pod_warnings_kinds, podspec
from fakekube.kinds.core import (
    configmaps,
    endpoints,
    events,
    namespaces,
    persistentvolumeclaims,
    persistentvolumes,
    pods,
    quotas,
    replicationcontrollers,
    services,
)
from fakekube.kinds.deferred import deferred
from fakekube.kinds.field_labels import NAME_ONLY, boolean, fields
from fakekube.kinds.strategy import STATUS_WITH_METADATA, Obj, Strategy, SubresourceStrategy, Validate


# The rules of ``kinds/validation/`` (the pod spec's, a Node's), loaded with the first object written.
@deferred
def _validate_pod_template() -> Validate:
    from fakekube.kinds.validation.pod_template import validate_pod_template_object

    return validate_pod_template_object


@deferred
def _validate_node() -> Validate:
    from fakekube.kinds.validation.core_node import validate_node

    return validate_node


@deferred
def _validate_node_update() -> Callable[[Obj, Obj], list[FieldError]]:
    from fakekube.kinds.validation.core_node import validate_node_update

    return validate_node_update


def _pod_template_defaults(obj: Obj) -> None:
    """A PodTemplate's pod spec is defaulted as every pod template's is (``SetObjectDefaults_PodTemplate``)."""
    podspec.pod_template_defaults(obj.get("template"))


def _node_defaults(obj: Obj) -> None:
    """v1's conversion keeps ``podCIDR`` and ``podCIDRs`` together: the list's first item is the single CIDR, and
    a ``podCIDR`` that differs from it (or has no list) is authoritative, replacing the list."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    cidr, cidrs = spec.get("podCIDR"), spec.get("podCIDRs")
    if cidr and (not isinstance(cidrs, list) or not cidrs or cidrs[0] != cidr):
        spec["podCIDRs"] = [cidr]
    elif isinstance(cidrs, list) and cidrs and not cidr:
        spec["podCIDR"] = cidrs[0]


def _node_status_validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``nodes/status`` runs only ``ValidateNodeUpdate``."""
    return _validate_node_update(obj, old) if old is not None else []


KINDS = {
    "Namespace": namespaces.STRATEGY,
    "Pod": pods.STRATEGY,
    "Service": services.STRATEGY,
    "ConfigMap": configmaps.CONFIG_MAP,
    "Secret": configmaps.SECRET,
    "ReplicationController": replicationcontrollers.STRATEGY,
    "Event": events.CORE_EVENT,
    "PodTemplate": Strategy(tracks_generation=True, defaults=_pod_template_defaults,
                            validate=_validate_pod_template, validation_ported=True,
                            kube_finalizers=True, warnings=pod_warnings_kinds.pod_template),
    "PersistentVolumeClaim": persistentvolumeclaims.STRATEGY,
    "PersistentVolume": persistentvolumes.STRATEGY,
    "Endpoints": endpoints.STRATEGY,
    "LimitRange": quotas.LIMIT_RANGE,
    "ResourceQuota": quotas.RESOURCE_QUOTA,
    "Node": Strategy(kube_finalizers=True, defaults=_node_defaults, validate=_validate_node,
                     validation_ported=True,
                     subresources={"status": SubresourceStrategy(STATUS_WITH_METADATA.reset,
                                                                 validate=_node_status_validate)},
                     field_labels=fields({"spec.unschedulable": boolean("spec.unschedulable")},
                                                               meta=NAME_ONLY)),
    # A Binding assigns the pod it names to a node: a write of ``pods/binding``, never stored itself.
    "Binding": Strategy(kube_finalizers=True, writes_subresource=("pods", "binding")),
}
