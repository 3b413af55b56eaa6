"""What every replicated workload shares: replicas, its pod template, its selector, and ``/scale``.

Deployments, ReplicaSets, StatefulSets, DaemonSets (``pkg/apis/apps/validation``) and
ReplicationControllers (``pkg/apis/core/validation``) check these the same way.  ``/scale`` is an
``autoscaling/v1`` Scale view of ``spec.replicas`` and the selector, as ``kubectl scale`` and
autoscalers use it.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds import podspec
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, SubresourceStrategy

IMMUTABLE = "field is immutable"


def replicas(obj: Obj) -> list[FieldError]:
    value = as_dict(obj.get("spec")).get("replicas")
    if isinstance(value, int) and value < 0:
        return [errors.invalid("spec.replicas", value, "must be greater than or equal to 0")]
    return []


def selector_matches_template(obj: Obj) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    selector = spec.get("selector")
    if not isinstance(selector, dict) or selector.get("matchLabels") is None:
        return []
    labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    wanted = as_dict(selector.get("matchLabels"))
    if any(labels.get(k) != v for k, v in wanted.items()):
        return [errors.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`")]
    return []


def validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """Replicas, the template's containers, the selector (a ReplicationController's may change)."""
    out = replicas(obj)
    out.extend(podspec.containers(podspec.template_spec(obj), "spec.template.spec"))
    out.extend(selector_matches_template(obj))
    return out


def validate_apps(obj: Obj, old: Obj | None) -> list[FieldError]:
    """As ``validate``; and an ``apps`` workload's selector cannot change."""
    out = validate(obj, old)
    if old is not None:
        selector = as_dict(obj.get("spec")).get("selector")
        if selector != as_dict(old.get("spec")).get("selector"):
            out.append(errors.invalid("spec.selector", selector, IMMUTABLE))
    return out


def selector_string(selector: Any) -> str:
    """A label selector as the text Scale ``status.selector`` carries (``app=web,tier in (a,b)``)."""
    if not isinstance(selector, dict):
        return ""
    parts = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        shown = {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key,
                 "DoesNotExist": f"!{key}"}.get(operator)
        if shown is not None:
            parts.append((key, shown))
    return ",".join(text for _, text in sorted(parts, key=lambda part: part[0]))  # sorted by key, as upstream


def scale_view(obj: Obj) -> Obj:
    """The Scale of an ``apps`` workload, whose selector is a LabelSelector."""
    return _scale(obj, as_dict(obj.get("spec")).get("selector"))


def map_selector_scale_view(obj: Obj) -> Obj:
    """The Scale of a ReplicationController, whose selector is a plain label map."""
    selector = as_dict(obj.get("spec")).get("selector")
    return _scale(obj, {"matchLabels": selector} if isinstance(selector, dict) else selector)


def _scale(obj: Obj, selector: Any) -> Obj:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    return scale_object(obj["metadata"], spec.get("replicas") or 0, status.get("replicas", 0),
                        selector_string(selector))


def scale_object(meta: Obj, spec_replicas: int, status_replicas: int, selector: str) -> Obj:
    """An ``autoscaling/v1`` Scale of a parent with ``meta``, as Go encodes it: zero spec replicas and an
    empty selector left out (``omitempty``), status replicas always there."""
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if meta.get(k)},
        "spec": {"replicas": spec_replicas} if spec_replicas else {},
        "status": {"replicas": status_replicas, **({"selector": selector} if selector else {})},
    }


def _scale_input(scale: Obj) -> list[FieldError]:
    value = as_dict(scale.get("spec")).get("replicas", 0)
    if isinstance(value, int) and value < 0:
        return [errors.invalid("spec.replicas", value, "must be greater than or equal to 0")]
    return []


def _scale_reset(scale: Obj, parent: Obj) -> Obj:
    out = dict(parent, metadata=dict(parent["metadata"]), spec=dict(as_dict(parent.get("spec"))))
    out["spec"]["replicas"] = as_dict(scale.get("spec")).get("replicas", 0)
    return out


SCALE = SubresourceStrategy(_scale_reset, check_input=_scale_input, view=scale_view)
MAP_SELECTOR_SCALE = SubresourceStrategy(_scale_reset, check_input=_scale_input, view=map_selector_scale_view)
