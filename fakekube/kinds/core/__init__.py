"""The core group (``pkg/registry/core``): one module per kind that has behaviour of its own."""

from __future__ import annotations

from fakekube.kinds import podspec
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
from fakekube.kinds.field_labels import NAME_ONLY, boolean, fields
from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation import pod_template


def _pod_template_defaults(obj: Obj) -> None:
    """A PodTemplate's pod spec is defaulted as every pod template's is (``SetObjectDefaults_PodTemplate``)."""
    podspec.pod_template_defaults(obj.get("template"))


KINDS = {
    "Namespace": namespaces.STRATEGY,
    "Pod": pods.STRATEGY,
    "Service": services.STRATEGY,
    "ConfigMap": configmaps.CONFIG_MAP,
    "Secret": configmaps.SECRET,
    "ReplicationController": replicationcontrollers.STRATEGY,
    "Event": events.CORE_EVENT,
    "PodTemplate": Strategy(defaults=_pod_template_defaults, validate=pod_template.validate_pod_template_object,
                            validation_ported=True, kube_finalizers=True),
    "PersistentVolumeClaim": persistentvolumeclaims.STRATEGY,
    "PersistentVolume": persistentvolumes.STRATEGY,
    "Endpoints": endpoints.STRATEGY,
    "LimitRange": quotas.LIMIT_RANGE,
    "ResourceQuota": quotas.RESOURCE_QUOTA,
    "Node": Strategy(kube_finalizers=True, field_labels=fields({"spec.unschedulable": boolean("spec.unschedulable")},
                                                               meta=NAME_ONLY)),
    # A Binding assigns the pod it names to a node: a write of ``pods/binding``, never stored itself.
    "Binding": Strategy(kube_finalizers=True, writes_subresource=("pods", "binding")),
}
