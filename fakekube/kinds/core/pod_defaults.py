"""What kube-apiserver sets on a Pod beyond the pod spec's defaults: ``SetDefaults_Pod`` (Pods only, not
pod templates) and the pod strategy's ``PrepareForCreate`` (``pkg/registry/core/pod/strategy.go``).

Why a module: ``SetDefaults_Pod`` raises a negative grace period to 1, fills requests from limits and host
ports from container ports, and ``PrepareForCreate`` computes the QoS class, the ``SchedulingGated`` condition
and merges ``matchLabelKeys`` into selectors; ``pods.py`` keeps the strategy's wiring.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fakekube.kinds import podspec
from fakekube.kinds.validation.common import quantity

QOS_RESOURCES = ("cpu", "memory")
SCHEDULING_GATED = "Scheduling is blocked due to non-empty scheduling gates"


def _requests_from_limits(containers: Any) -> None:
    """A container with limits but no request for a resource requests its limit."""
    for c in containers or []:
        resources = c.get("resources") if isinstance(c, dict) else None
        limits = resources.get("limits") if isinstance(resources, dict) else None
        if not isinstance(resources, dict) or not isinstance(limits, dict):
            continue
        requests = resources.setdefault("requests", {})
        if isinstance(requests, dict):
            for key, value in limits.items():
                requests.setdefault(key, value)


def _host_network_ports(containers: Any) -> None:
    """``defaultHostNetworkPorts``: on the host's network a port is published as itself."""
    for c in containers or []:
        for port in (c.get("ports") or []) if isinstance(c, dict) else []:
            if isinstance(port, dict) and not port.get("hostPort"):
                port["hostPort"] = port.get("containerPort", 0)


def defaults(obj: dict[str, Any]) -> None:
    """The pod spec's defaults (``podspec.defaults``), then ``SetDefaults_Pod``: a negative grace period made 1
    (once accepted, now treated so; a pod template keeps its own and is warned of it), requests from limits
    (regular and init containers), ``enableServiceLinks``, host ports with ``hostNetwork``."""
    spec = obj.setdefault("spec", {})
    podspec.defaults(spec)
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and not isinstance(grace, bool) and grace < 0:
        spec["terminationGracePeriodSeconds"] = 1
    _requests_from_limits(spec.get("containers"))
    _requests_from_limits(spec.get("initContainers"))
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        _host_network_ports(spec.get("containers"))
        _host_network_ports(spec.get("initContainers"))


def _amounts(resources: Any, field: str) -> dict[str, Decimal]:
    found = resources.get(field) if isinstance(resources, dict) else None
    out: dict[str, Decimal] = {}
    for name, value in (found or {}).items() if isinstance(found, dict) else ():
        amount = quantity(value)
        if name in QOS_RESOURCES and amount is not None and amount.value > 0:
            out[name] = amount.value
    return out


def qos_class(spec: dict[str, Any]) -> str:
    """``qos.GetPodQOS``: BestEffort without cpu or memory requests and limits; Guaranteed when every
    container (init ones too) limits cpu and memory and the totals of requests and limits are equal; else
    Burstable.  Pod-level resources, when set, decide alone."""
    requests: dict[str, Decimal] = {}
    limits: dict[str, Decimal] = {}
    guaranteed = True
    pod_level = spec.get("resources")
    if isinstance(pod_level, dict) and (_amounts(pod_level, "requests") or _amounts(pod_level, "limits")):
        requests, limits = _amounts(pod_level, "requests"), _amounts(pod_level, "limits")
        guaranteed = set(limits) >= set(QOS_RESOURCES)
    else:
        for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
            resources = c.get("resources") if isinstance(c, dict) else None
            for name, value in _amounts(resources, "requests").items():
                requests[name] = requests.get(name, Decimal(0)) + value
            container_limits = _amounts(resources, "limits")
            for name, value in container_limits.items():
                limits[name] = limits.get(name, Decimal(0)) + value
            if not set(container_limits) >= set(QOS_RESOURCES):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(name) == value for name, value in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _merge_label_keys(selector: Any, keys: Any, operator: str, labels: dict[str, Any]) -> None:
    """``applyLabelKeysToLabelSelector``: each key the pod has becomes a requirement on its value."""
    if not isinstance(selector, dict):
        return
    for key in keys or []:
        if key in labels:
            selector.setdefault("matchExpressions", []).append(
                {"key": key, "operator": operator, "values": [labels[key]]})


def prepare_for_create(obj: dict[str, Any]) -> None:
    """``PrepareForCreate``: a Pending status with its QoS class, the ``SchedulingGated`` condition of a gated
    pod, ``matchLabelKeys`` / ``mismatchLabelKeys`` merged into the selectors they qualify."""
    spec = obj["spec"]
    status: dict[str, Any] = {"phase": "Pending", "qosClass": qos_class(spec)}
    if spec.get("schedulingGates"):
        status["conditions"] = [{"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                 "lastTransitionTime": None, "reason": "SchedulingGated",
                                 "message": SCHEDULING_GATED}]
    obj["status"] = status
    labels = (obj.get("metadata") or {}).get("labels") or {}
    affinity = spec.get("affinity") if isinstance(spec.get("affinity"), dict) else {}
    for kind in ("podAffinity", "podAntiAffinity"):
        found = affinity.get(kind)
        if not isinstance(found, dict):
            continue
        terms = [w.get("podAffinityTerm") for w in found.get("preferredDuringSchedulingIgnoredDuringExecution") or []
                 if isinstance(w, dict)]
        terms += list(found.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
        for term in terms:
            if isinstance(term, dict):
                _merge_label_keys(term.get("labelSelector"), term.get("matchLabelKeys"), "In", labels)
                _merge_label_keys(term.get("labelSelector"), term.get("mismatchLabelKeys"), "NotIn", labels)
    for constraint in spec.get("topologySpreadConstraints") or []:
        if isinstance(constraint, dict):
            _merge_label_keys(constraint.get("labelSelector"), constraint.get("matchLabelKeys"), "In", labels)
