"""Per-kind behaviour, as kube-apiserver's ``pkg/registry/<group>/<kind>/strategy.go`` files hold it.

The generic registry asks the table below how a kind treats generation, status, deletes and
create-on-update, and calls the kind's hooks:

* ``defaults`` — on every write (create and update), as kube-apiserver defaults every decoded
  body, so replacing an object with the manifest it was created from changes nothing;
* ``on_create`` — initial status and server-assigned fields;
* ``validate`` — kind rules beyond the schema, given the old object on update.

Adding a kind's behaviour is one entry here; kinds without an entry get the generic defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fakekube.kinds import defaults
from fakekube.kinds import rules as kind_validation
from fakekube.clock import rfc3339
from fakekube.errors import FieldError

if TYPE_CHECKING:
    from fakekube.registry.rest import Registry

Defaults = Callable[[dict[str, Any]], None]
OnCreate = Callable[[dict[str, Any], "Registry"], None]
OnUpdate = Callable[[dict[str, Any], dict[str, Any], "Registry"], None]
Check = Callable[[dict[str, Any], "dict[str, Any] | None"], list[FieldError]]


@dataclass(frozen=True)
class Strategy:
    tracks_generation: bool = False  # metadata.generation starts at 1 and counts spec changes
    returns_deleted_object: bool = False  # DELETE answers with the object instead of a Status
    allow_create_on_update: bool = False  # PUT of a missing object creates it
    defaults: Defaults | None = None
    on_create: OnCreate | None = None
    on_update: OnUpdate | None = None  # carry server-assigned fields the new body may omit
    on_delete: OnCreate | None = None  # before removal: cascades, and a last state to record
    validate: Check | None = None


def _drop_status(obj: dict[str, Any], registry: Registry) -> None:
    obj.pop("status", None)


def _namespace_defaults(obj: dict[str, Any]) -> None:
    obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"].get("name", "")
    obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])


def _namespace_on_create(obj: dict[str, Any], registry: Registry) -> None:
    obj["status"] = {"phase": "Active"}


def _namespace_on_delete(obj: dict[str, Any], registry: Registry) -> None:
    """Namespace termination, completed at once: contents go, the namespace passes through Terminating."""
    registry.delete_namespace_contents(obj["metadata"]["name"])
    obj.setdefault("status", {})["phase"] = "Terminating"
    obj["metadata"]["deletionTimestamp"] = rfc3339(registry.clock())


def _pod_defaults(obj: dict[str, Any]) -> None:
    defaults.pod_spec(obj.setdefault("spec", {}))


def _pod_on_create(obj: dict[str, Any], registry: Registry) -> None:
    obj["status"] = {"phase": "Pending", "qosClass": defaults.qos_class(obj["spec"])}


def _template_defaults(obj: dict[str, Any]) -> None:
    template = obj.setdefault("spec", {}).get("template")
    if isinstance(template, dict):
        defaults.pod_spec(template.setdefault("spec", {}))


def _with_template(spec_defaults: Callable[[dict[str, Any]], None]) -> Defaults:
    """A workload's own spec defaults, then its pod template's."""
    def apply(obj: dict[str, Any]) -> None:
        spec = obj.setdefault("spec", {})
        spec_defaults(spec)
        _template_defaults(obj)

    return apply


def _deployment_defaults(obj: dict[str, Any]) -> None:
    _template_defaults(obj)
    defaults.deployment_spec(obj["spec"])


def _replication_controller_defaults(obj: dict[str, Any]) -> None:
    defaults.replication_controller(obj)
    _template_defaults(obj)


def _namespace_on_update(obj: dict[str, Any], old: dict[str, Any], registry: Registry) -> None:
    """A namespace's finalizers change only through ``/finalize``, never through the main endpoint."""
    obj["spec"] = dict(old.get("spec") or {})


def _allocate_node_ports(obj: dict[str, Any], registry: Registry) -> None:
    spec = obj.setdefault("spec", {})
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort"):
                port["nodePort"] = registry.allocate_node_port()


def _service_on_create(obj: dict[str, Any], registry: Registry) -> None:
    spec = obj.setdefault("spec", {})
    if spec.get("type") != "ExternalName" and not spec.get("clusterIP"):
        address = registry.allocate_cluster_ip()
        spec["clusterIP"] = address
        spec["clusterIPs"] = [address]
    _allocate_node_ports(obj, registry)
    obj["status"] = {"loadBalancer": {}}


def _service_on_update(obj: dict[str, Any], old: dict[str, Any], registry: Registry) -> None:
    """Addresses and node ports were assigned by the server: a write that omits them keeps them
    (node ports follow their port by name, else by number), and ports new to a NodePort get one."""
    spec, old_spec = obj.setdefault("spec", {}), old.get("spec") or {}
    for field in ("clusterIP", "clusterIPs"):
        if field in old_spec and field not in spec:
            spec[field] = old_spec[field]
    if spec.get("type") not in ("NodePort", "LoadBalancer") and old_spec.get("type") in ("NodePort", "LoadBalancer"):
        spec.pop("externalTrafficPolicy", None)  # only node-port services have one
    old_ports = [p for p in old_spec.get("ports") or [] if isinstance(p, dict) and p.get("nodePort")]
    for port in spec.get("ports") or []:
        if not isinstance(port, dict) or port.get("nodePort"):
            continue
        previous = next((p for p in old_ports if port.get("name") and p.get("name") == port.get("name")), None) \
            or next((p for p in old_ports if p.get("port") == port.get("port")), None)
        if previous is not None:
            port["nodePort"] = previous["nodePort"]
    _allocate_node_ports(obj, registry)


def _workload(spec_defaults: Callable[[dict[str, Any]], None]) -> Strategy:
    return Strategy(tracks_generation=True, defaults=_with_template(spec_defaults), on_create=_drop_status,
                    validate=kind_validation.workload)
_GENERATIONAL = Strategy(tracks_generation=True)

STRATEGIES: Mapping[tuple[str, str], Strategy] = {
    ("", "Namespace"): Strategy(returns_deleted_object=True, defaults=_namespace_defaults,
                                on_create=_namespace_on_create, on_update=_namespace_on_update,
                                on_delete=_namespace_on_delete),
    ("", "Pod"): Strategy(tracks_generation=True, returns_deleted_object=True, defaults=_pod_defaults,
                          on_create=_pod_on_create, validate=kind_validation.pod),
    ("", "Service"): Strategy(returns_deleted_object=True, defaults=defaults.service, on_create=_service_on_create,
                              on_update=_service_on_update, validate=kind_validation.service),
    ("", "Secret"): Strategy(defaults=defaults.secret, validate=kind_validation.secret),
    ("", "ConfigMap"): Strategy(validate=kind_validation.config_map),
    ("", "ReplicationController"): Strategy(tracks_generation=True, defaults=_replication_controller_defaults,
                                            on_create=_drop_status, validate=kind_validation.workload),
    ("", "Event"): Strategy(allow_create_on_update=True),
    ("", "Endpoints"): Strategy(allow_create_on_update=True),
    ("", "LimitRange"): Strategy(allow_create_on_update=True),
    ("events.k8s.io", "Event"): Strategy(allow_create_on_update=True),
    ("apps", "Deployment"): Strategy(tracks_generation=True, defaults=_deployment_defaults, on_create=_drop_status,
                                     validate=kind_validation.workload),
    ("apps", "ReplicaSet"): _workload(defaults.replica_set_spec),
    ("apps", "StatefulSet"): _workload(defaults.stateful_set_spec),
    ("apps", "DaemonSet"): _workload(defaults.daemon_set_spec),
    ("batch", "Job"): Strategy(tracks_generation=True, defaults=_with_template(defaults.job_spec),
                               on_create=_drop_status, validate=kind_validation.job),
    ("batch", "CronJob"): _GENERATIONAL,
    ("policy", "PodDisruptionBudget"): _GENERATIONAL,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): Strategy(tracks_generation=True,
                                                                   returns_deleted_object=True),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"): _GENERATIONAL,
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"): _GENERATIONAL,
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): _GENERATIONAL,
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): _GENERATIONAL,
    ("networking.k8s.io", "NetworkPolicy"): _GENERATIONAL,
    ("networking.k8s.io", "Ingress"): _GENERATIONAL,
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"): _GENERATIONAL,
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"): _GENERATIONAL,
}

_DEFAULT = Strategy()


def strategy_for(group: str, kind: str) -> Strategy:
    return STRATEGIES.get((group, kind), _DEFAULT)
