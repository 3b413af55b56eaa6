"""Pods (``pkg/registry/core/pod``): defaults, initial status, spec immutability, binding, field labels, columns."""

from __future__ import annotations

from collections.abc import Callable

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.errors import FieldError
from fakekube.kinds import columns, pod_warnings_kinds
from fakekube.kinds.columns import AGE, column, joined
from fakekube.kinds.core import pod_defaults, pod_deletion
from fakekube.kinds.deferred import deferred
from fakekube.kinds.field_labels import boolean, fields, first, first_pod_ip, never, string
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy, SubresourceStrategy, status_with_body_metadata


def _defaults(obj: Obj) -> None:
    """The pod spec's defaults, and what ``SetDefaults_Pod`` adds to Pods only (not to pod templates)."""
    pod_defaults.defaults(obj)


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    """``PrepareForCreate``: the initial status (phase, QoS class, gated condition), label keys merged."""
    pod_defaults.prepare_for_create(obj)


# The pod spec's rules, loaded with the first Pod written (``kinds/deferred.py``).
@deferred
def _validate_pod_create() -> Callable[[Obj], list[FieldError]]:
    from fakekube.kinds.validation.pod_rules import validate_pod_create

    return validate_pod_create


@deferred
def _validate_pod_update() -> Callable[[Obj, Obj], list[FieldError]]:
    from fakekube.kinds.validation.pod_rules import validate_pod_update

    return validate_pod_update


def _validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidatePodCreate`` / ``ValidatePodUpdate``: the pod spec's rules and the Pod's own."""
    return _validate_pod_create(obj) if old is None else _validate_pod_update(obj, old)


def _binding_reset(binding: Obj, pod: Obj) -> Obj:
    """``pods/binding``: the stored pod, assigned to the binding's node (as the scheduler's Binding does).

    ``binding`` is the decoded Binding; a pod being deleted, already on a node or still gated is a
    conflict, checked in kube's order."""
    name = pod["metadata"].get("name", "")
    spec = as_dict(pod.get("spec"))
    if pod["metadata"].get("deletionTimestamp"):
        raise errors.pod_being_deleted(name)
    if spec.get("nodeName"):
        raise errors.pod_already_assigned(name, spec["nodeName"])
    if spec.get("schedulingGates"):
        raise errors.pod_scheduling_gated(name)
    target = as_dict(binding.get("target"))
    out = dict(pod, metadata=dict(pod["metadata"]), spec=dict(spec))
    out["spec"]["nodeName"] = target.get("name", "")
    annotations = as_dict(binding["metadata"].get("annotations"))
    if annotations:
        out["metadata"]["annotations"] = {**as_dict(pod["metadata"].get("annotations")), **annotations}
    return out


def _scheduled(pod: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """A bound pod has the ``PodScheduled=True`` condition, set in the same write as kube's binding
    does: the condition is replaced whole, keeping its transition time only if it was True already."""
    status = dict(as_dict(pod.get("status")))
    conditions = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    index = next((i for i, c in enumerate(conditions) if c.get("type") == "PodScheduled"), None)
    stamp = rfc3339(cluster.now())
    if index is not None and conditions[index].get("status") == "True":
        stamp = conditions[index].get("lastTransitionTime") or stamp
    scheduled = {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": stamp}
    if index is None:
        conditions.append(scheduled)
    else:
        conditions[index] = scheduled
    status["conditions"] = conditions
    pod["status"] = status


def _binding_target(binding: Obj) -> list[FieldError]:
    target = as_dict(binding.get("target"))
    if target.get("kind", "Node") != "Node" or not target.get("name"):
        return [errors.required("target.name")]
    return []


def _status_rules(pod: Obj, old: Obj | None) -> list[FieldError]:
    """``pods/status`` keeps the stored spec: the spec's rules do not run again (``ValidatePodStatusUpdate``,
    upstream's status rules, is not ported)."""
    return []


def _no_pod_rules(pod: Obj, old: Obj | None) -> list[FieldError]:
    """A binding sets the node of a pod whose spec is otherwise immutable: the pod's update rules do not apply."""
    return []


def _ready(obj: Obj) -> str:
    statuses = columns.status(obj).get("containerStatuses") or []
    total = len(columns.spec(obj).get("containers") or [])
    return f"{sum(1 for c in statuses if c.get('ready'))}/{total}"


def _restarts(obj: Obj) -> str:
    return str(sum(c.get("restartCount", 0) for c in columns.status(obj).get("containerStatuses") or []))


def _status_reset(new: Obj, old: Obj) -> Obj:
    """``podStatusStrategy``: the body's metadata with its status, but for the owner references (old kubelets
    corrupted them) and the spec, which stay as stored."""
    out = status_with_body_metadata(new, old)
    meta = out["metadata"]
    if old["metadata"].get("ownerReferences") is not None:
        meta["ownerReferences"] = old["metadata"]["ownerReferences"]
    else:
        meta.pop("ownerReferences", None)
    return out


def _backfill_qos_class(pod: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """podStatusStrategy: the QoS class is set at creation and immutable; a status write without one
    (old kubelets dropped it) keeps the stored one."""
    status = pod.get("status")
    old_class = as_dict(old.get("status")).get("qosClass")
    if isinstance(status, dict) and not status.get("qosClass") and old_class:
        status["qosClass"] = old_class


STRATEGY = Strategy(
    tracks_generation=True,
    returns_deleted_object=True,
    graceful_delete=pod_deletion.grace_period,
    defaults=_defaults,
    prepare_for_create=_prepare_for_create,
    validate=_validate,
    warnings=pod_warnings_kinds.pod,
    validation_ported=True,  # ValidatePodCreate/Update word required keys and enums: the schema's stand-ins go
    kube_finalizers=True,
    status_resets=("metadata.deletionTimestamp", "metadata.ownerReferences"),  # podStatusStrategy.GetResetFields
    subresources={"binding": SubresourceStrategy(_binding_reset, check_input=_binding_target, validate=_no_pod_rules,
                                                  view=lambda pod: errors.success_status(code=201), prepare=_scheduled,
                                                  written_directly=True),
                  "status": SubresourceStrategy(_status_reset, prepare=_backfill_qos_class, validate=_status_rules)},
    field_labels=fields(
        {
            "spec.nodeName": string("spec.nodeName"),
            "spec.restartPolicy": string("spec.restartPolicy"),
            "spec.schedulerName": string("spec.schedulerName"),
            # v1's deprecated spec.serviceAccount fills the name when only it is set.
            "spec.serviceAccountName": first(string("spec.serviceAccountName"), string("spec.serviceAccount")),
            "spec.hostNetwork": boolean("spec.hostNetwork"),
            "status.phase": string("status.phase"),
            # Upstream reads status.podIPs[0]; status.podIP wins when both are set.
            "status.podIP": first(string("status.podIP"), first_pod_ip),
            # Accepted by the conversion func but never put in the field set upstream.
            "status.podIPs": never,
            "status.nominatedNodeName": string("status.nominatedNodeName"),
        },
        renames={"spec.host": "spec.nodeName"},
    ),
    columns=(
        (column("Ready"), _ready),
        (column("Status"), lambda o: columns.status(o).get("phase", "")),
        (column("Restarts", "string"), _restarts),
        AGE,
        (column("IP", priority=1), lambda o: columns.status(o).get("podIP") or "<none>"),
        (column("Node", priority=1), lambda o: columns.spec(o).get("nodeName") or "<none>"),
        (column("Nominated Node", priority=1), lambda o: columns.status(o).get("nominatedNodeName") or "<none>"),
        (column("Readiness Gates", priority=1), lambda o: joined(
            g.get("conditionType", "") for g in columns.spec(o).get("readinessGates") or [])),
    ),
)
