"""Per-kind validation beyond the schema: the checks of ``pkg/apis/<group>/validation`` users hit most.

Each function returns ``FieldError``s worded as kube-apiserver words them; the strategies table
decides which kinds run which checks, on create (``old`` is None) and on update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors, name_formats
from fakekube.errors import FieldError

IMMUTABLE = "field is immutable"
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def containers(pod_spec: Mapping[str, Any], path: str) -> list[FieldError]:
    """Containers required, each with an image, names unique across init and regular containers."""
    out: list[FieldError] = []
    regular = pod_spec.get("containers")
    if regular is not None and not regular:
        out.append(errors.required(f"{path}.containers"))
    seen: set[str] = set()
    for field in ("initContainers", "containers"):
        for i, container in enumerate(pod_spec.get(field) or []):
            if not isinstance(container, dict):
                continue
            name = container.get("name")
            if isinstance(name, str) and name:
                if name in seen:
                    out.append(errors.FieldError("FieldValueDuplicate", f"{path}.{field}[{i}].name", name))
                seen.add(name)
            if not container.get("image"):
                out.append(errors.required(f"{path}.{field}[{i}].image"))
    return out


POD_UPDATE_FORBIDDEN = (
    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,"
    "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
)


def _pod_spec_without_mutable_fields(spec: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in spec.items() if k not in ("activeDeadlineSeconds", "tolerations",
                                                         "terminationGracePeriodSeconds")}
    for field in ("containers", "initContainers"):
        if isinstance(spec.get(field), list):
            out[field] = [{k: v for k, v in c.items() if k != "image"} if isinstance(c, dict) else c
                          for c in spec[field]]
    return out


def pod(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    spec = _dict(obj.get("spec"))
    out = containers(spec, "spec")
    if old is not None:
        old_spec = _dict(old.get("spec"))
        if _pod_spec_without_mutable_fields(spec) != _pod_spec_without_mutable_fields(old_spec):
            out.append(errors.forbidden("spec", POD_UPDATE_FORBIDDEN))
        old_tolerations = old_spec.get("tolerations") or []
        if (spec.get("tolerations") or [])[:len(old_tolerations)] != old_tolerations:
            out.append(errors.forbidden("spec.tolerations", "existing toleration can not be modified except its "
                                        "tolerationSeconds"))
    return out


def replicas(obj: dict[str, Any]) -> list[FieldError]:
    value = _dict(obj.get("spec")).get("replicas")
    if isinstance(value, int) and value < 0:
        return [errors.invalid("spec.replicas", value, "must be greater than or equal to 0")]
    return []


def selector_matches_template(obj: dict[str, Any]) -> list[FieldError]:
    spec = _dict(obj.get("spec"))
    selector = spec.get("selector")
    if not isinstance(selector, dict) or selector.get("matchLabels") is None:
        return []
    labels = _dict(_dict(_dict(spec.get("template")).get("metadata")).get("labels"))
    wanted = _dict(selector.get("matchLabels"))
    if any(labels.get(k) != v for k, v in wanted.items()):
        return [errors.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`")]
    return []


def workload(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers."""
    spec = _dict(obj.get("spec"))
    out = replicas(obj)
    out.extend(containers(_dict(_dict(spec.get("template")).get("spec")), "spec.template.spec"))
    out.extend(selector_matches_template(obj))
    if old is not None and obj.get("apiVersion") != "v1":  # apps/v1 selectors cannot change
        before = _dict(old.get("spec")).get("selector")
        if spec.get("selector") != before:
            out.append(errors.invalid("spec.selector", spec.get("selector"), IMMUTABLE))
    return out


def job(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    spec = _dict(obj.get("spec"))
    pod_spec = _dict(_dict(spec.get("template")).get("spec"))
    out = containers(pod_spec, "spec.template.spec")
    policy = pod_spec.get("restartPolicy")
    if policy not in ("OnFailure", "Never"):
        out.append(errors.not_supported("spec.template.spec.restartPolicy", policy, ["OnFailure", "Never"]))
    if old is not None and spec.get("template") != _dict(old.get("spec")).get("template"):
        out.append(errors.invalid("spec.template", spec.get("template"), IMMUTABLE))
    return out


def _keys(data: Any, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    for key in _dict(data):
        out.extend(errors.invalid(f"{path}[{key}]", key, msg) for msg in name_formats.config_map_key_errors(key))
    return out


def config_map(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    out = _keys(obj.get("data"), "data") + _keys(obj.get("binaryData"), "binaryData")
    for key in _dict(obj.get("data")):
        if key in _dict(obj.get("binaryData")):
            out.append(errors.invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
    out.extend(_immutability(obj, old, ("data", "binaryData")))
    return out


def secret(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    out = _keys(obj.get("data"), "data")
    out.extend(_immutability(obj, old, ("data",)))
    if old is not None and obj.get("type") != old.get("type"):
        out.append(errors.invalid("type", obj.get("type"), IMMUTABLE))
    return out


def _immutability(obj: dict[str, Any], old: dict[str, Any] | None, fields: tuple[str, ...]) -> list[FieldError]:
    if old is None or not old.get("immutable"):
        return []
    out: list[FieldError] = []
    if not obj.get("immutable"):
        out.append(errors.forbidden("immutable", IMMUTABLE_WHEN_SET))
    for field in fields:
        if (obj.get(field) or {}) != (old.get(field) or {}):
            out.append(errors.forbidden(field, IMMUTABLE_WHEN_SET))
    return out


def service(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    spec = _dict(obj.get("spec"))
    out: list[FieldError] = []
    headless = spec.get("clusterIP") == "None"
    if not spec.get("ports") and not headless and spec.get("type") != "ExternalName":
        out.append(errors.required("spec.ports"))
    if old is not None:
        old_spec = _dict(old.get("spec"))
        if old_spec.get("clusterIP") and spec.get("clusterIP") != old_spec.get("clusterIP") \
                and spec.get("type") != "ExternalName":
            out.append(errors.invalid("spec.clusterIPs[0]", spec.get("clusterIP"),
                                      "may not change once set"))
    return out
