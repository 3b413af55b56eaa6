"""Per-kind behaviour, as kube-apiserver's ``pkg/registry/<group>/<kind>/strategy.go`` files hold it.

The generic registry asks the table below how a kind treats generation, status, deletes and
create-on-update, and calls the kind's hooks (defaulting on create, extra validation).  Adding a
kind's behaviour is one entry here; kinds without an entry get the generic defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fakekube import defaults, errors
from fakekube.errors import FieldError

Hook = Callable[[dict[str, Any]], None]
Check = Callable[[dict[str, Any]], list[FieldError]]


@dataclass(frozen=True)
class Strategy:
    tracks_generation: bool = False  # metadata.generation starts at 1 and counts spec changes
    returns_deleted_object: bool = False  # DELETE answers with the object instead of a Status
    allow_create_on_update: bool = False  # PUT of a missing object creates it
    on_create: Hook | None = None  # defaulting and status initialisation
    on_update: Hook | None = None
    validate: Check | None = None  # kind rules beyond the schema (run on create and update)


def _namespace_on_create(obj: dict[str, Any]) -> None:
    name = obj["metadata"].get("name", "")
    labels = obj["metadata"].setdefault("labels", {})
    labels["kubernetes.io/metadata.name"] = name
    obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    obj["status"] = {"phase": "Active"}


def _namespace_on_update(obj: dict[str, Any]) -> None:
    obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"].get("name", "")


def _pod_on_create(obj: dict[str, Any]) -> None:
    defaults.pod_spec(obj.setdefault("spec", {}))
    obj["status"] = {"phase": "Pending", "qosClass": defaults.qos_class(obj["spec"])}


def _template_validation(obj: dict[str, Any]) -> list[FieldError]:
    """Selector/template agreement and container images: what apps/batch validation checks first."""
    out: list[FieldError] = []
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    out.extend(_containers_validation(template.get("spec") or {}, "spec.template.spec"))
    selector = spec.get("selector")
    if isinstance(selector, dict) and selector.get("matchLabels") is not None:
        labels = (template.get("metadata") or {}).get("labels") or {}
        wanted = selector.get("matchLabels") or {}
        if any(labels.get(k) != v for k, v in wanted.items()):
            out.append(errors.invalid("spec.template.metadata.labels", labels,
                                      "`selector` does not match template `labels`"))
    return out


def _containers_validation(pod_spec: Mapping[str, Any], path: str) -> list[FieldError]:
    out: list[FieldError] = []
    containers = pod_spec.get("containers")
    if containers is not None and not containers:
        out.append(errors.required(f"{path}.containers"))
    for field in ("initContainers", "containers"):
        for i, container in enumerate(pod_spec.get(field) or []):
            if isinstance(container, dict) and not container.get("image"):
                out.append(errors.required(f"{path}.{field}[{i}].image"))
    return out


def _pod_validation(obj: dict[str, Any]) -> list[FieldError]:
    return _containers_validation(obj.get("spec") or {}, "spec")


def _workload_on_create(obj: dict[str, Any]) -> None:
    obj.pop("status", None)
    spec = obj.setdefault("spec", {})
    template = spec.get("template")
    if isinstance(template, dict):
        defaults.pod_spec(template.setdefault("spec", {}))


def _deployment_on_create(obj: dict[str, Any]) -> None:
    _workload_on_create(obj)
    defaults.deployment_spec(obj["spec"])


_GENERATIONAL = Strategy(tracks_generation=True)
_WORKLOAD = Strategy(tracks_generation=True, on_create=_workload_on_create, validate=_template_validation)

STRATEGIES: Mapping[tuple[str, str], Strategy] = {
    ("", "Namespace"): Strategy(returns_deleted_object=True, on_create=_namespace_on_create,
                                on_update=_namespace_on_update),
    ("", "Pod"): Strategy(tracks_generation=True, returns_deleted_object=True, on_create=_pod_on_create,
                          validate=_pod_validation),
    ("", "Service"): Strategy(returns_deleted_object=True),
    ("", "ReplicationController"): _WORKLOAD,
    ("", "Event"): Strategy(allow_create_on_update=True),
    ("", "Endpoints"): Strategy(allow_create_on_update=True),
    ("", "LimitRange"): Strategy(allow_create_on_update=True),
    ("events.k8s.io", "Event"): Strategy(allow_create_on_update=True),
    ("apps", "Deployment"): Strategy(tracks_generation=True, on_create=_deployment_on_create,
                                     validate=_template_validation),
    ("apps", "ReplicaSet"): _WORKLOAD,
    ("apps", "StatefulSet"): _WORKLOAD,
    ("apps", "DaemonSet"): _WORKLOAD,
    ("batch", "Job"): Strategy(tracks_generation=True, on_create=_workload_on_create,
                               validate=lambda o: _containers_validation(
                                   ((o.get("spec") or {}).get("template") or {}).get("spec") or {},
                                   "spec.template.spec")),
    ("batch", "CronJob"): _GENERATIONAL,
    ("policy", "PodDisruptionBudget"): _GENERATIONAL,
    ("autoscaling", "HorizontalPodAutoscaler"): Strategy(),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): Strategy(tracks_generation=True,
                                                                   returns_deleted_object=True),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"): _GENERATIONAL,
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"): _GENERATIONAL,
    ("networking.k8s.io", "Ingress"): Strategy(),
}

_DEFAULT = Strategy()


def strategy_for(group: str, kind: str) -> Strategy:
    return STRATEGIES.get((group, kind), _DEFAULT)
