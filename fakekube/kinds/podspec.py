"""The pod spec that Pods and every workload's template share: its defaults and its container rules.

As ``pkg/apis/core/v1/defaults.go`` and ``pkg/apis/core/validation`` apply them wherever a
``PodSpec`` appears (Pods, and the templates of Deployments, Jobs, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError


def container_defaults(c: dict[str, Any]) -> None:
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    if "imagePullPolicy" not in c:
        image = str(c.get("image", ""))
        tag = image.rsplit("/", 1)[-1]
        latest = "@" not in image and (":" not in tag or tag.endswith(":latest"))
        c["imagePullPolicy"] = "Always" if latest else "IfNotPresent"
    for port in c.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
    c.setdefault("resources", {})


def defaults(spec: dict[str, Any]) -> None:
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(field) or []:
            if isinstance(c, dict):
                container_defaults(c)
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")


def template_defaults(obj: dict[str, Any]) -> None:
    """Defaults of a workload's ``spec.template.spec``."""
    template = obj.setdefault("spec", {}).get("template")
    if isinstance(template, dict):
        defaults(template.setdefault("spec", {}))


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


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def template_spec(obj: Mapping[str, Any]) -> dict[str, Any]:
    return as_dict(as_dict(as_dict(obj.get("spec")).get("template")).get("spec"))


def template_containers(obj: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [c for c in template_spec(obj).get("containers") or [] if isinstance(c, dict)]
