"""The annotations that mean something to a pod (``ValidatePodSpecificAnnotations``,
``validateSeccompAnnotationsAndFields``, ``validateAppArmorAnnotationsAndFieldsMatchOnCreate``).

Why: a mirror pod names its node, a deletion cost is a 32-bit integer, and the deprecated seccomp and
AppArmor annotations must name valid profiles (and agree with the fields that replaced them).  Pods and
pod templates share these rules; kept apart from ``pod_rules`` (Pod only) so templates can use them.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.pod_security import all_containers
from fakekube.kinds.validation.pod_values import as_dict

MIRROR = "kubernetes.io/config.mirror"
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
_INT32 = (-(2**31), 2**31 - 1)


def _deletion_cost_ok(value: str) -> bool:
    """``GetDeletionCostFromPodAnnotations``: a base-10 int32 without ``+`` or leading zeros."""
    if not value or not (value[0] == "-" or value == "0" or "1" <= value[0] <= "9"):
        return False
    try:
        number = int(value, 10)
    except ValueError:
        return False
    return value.lstrip("-").isdigit() and _INT32[0] <= number <= _INT32[1]


def _seccomp_profile(profile: str, path: str) -> list[FieldError]:
    """``ValidateSeccompProfile`` of an annotation's value."""
    if profile in ("runtime/default", "docker/default", "unconfined"):
        return []
    if profile.startswith("localhost/"):
        local = profile.removeprefix("localhost/")
        out = [errors.invalid(path, local, msg.RELATIVE_PATH)] if local.startswith("/") else []
        if ".." in local.split("/"):
            out.append(errors.invalid(path, local, msg.NO_BACKSTEPS))
        return out
    return [errors.invalid(path, profile, msg.SECCOMP_PROFILE)]


def pod_annotations(meta: dict[str, Any], spec: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidatePodSpecificAnnotations`` at ``path`` (``metadata.annotations``)."""
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict):
        return []
    out: list[FieldError] = []
    if MIRROR in annotations and not spec.get("nodeName"):
        out.append(errors.invalid(f"{path}[{MIRROR}]", annotations[MIRROR], msg.MIRROR_NEEDS_NODE))
    if DELETION_COST in annotations and not _deletion_cost_ok(str(annotations[DELETION_COST])):
        out.append(errors.invalid(f"{path}[{DELETION_COST}]", annotations[DELETION_COST], msg.DELETION_COST))
    if SECCOMP_POD in annotations:
        out.extend(_seccomp_profile(str(annotations[SECCOMP_POD]), f"{path}.{SECCOMP_POD}"))
    for key in sorted(annotations):
        if key.startswith(SECCOMP_CONTAINER):
            out.extend(_seccomp_profile(str(annotations[key]), f"{path}.{key}"))
    names = {c.get("name") for c, _ in all_containers(spec, "spec")}
    for key in sorted(annotations):
        if not key.startswith(APPARMOR_CONTAINER):
            continue
        container, profile = key.removeprefix(APPARMOR_CONTAINER), str(annotations[key])
        if container not in names:
            out.append(errors.invalid(f"{path}[{key}]", container, msg.CONTAINER_NOT_FOUND))
        if profile not in ("", "runtime/default", "unconfined") and not profile.startswith("localhost/"):
            out.append(errors.invalid(f"{path}[{key}]", profile, f'invalid AppArmor profile name: "{profile}"'))
    return out


def _seccomp_match(annotation: str, profile: dict[str, Any], path: str) -> list[FieldError]:
    """``validateSeccompAnnotationsAndFieldsMatch``."""
    kind = profile.get("type")
    if kind == "Unconfined" and annotation != "unconfined":
        return [errors.forbidden(f"{path}.type", msg.SECCOMP_TYPE_MISMATCH)]
    if kind == "RuntimeDefault" and annotation not in ("runtime/default", "docker/default"):
        return [errors.forbidden(f"{path}.type", msg.SECCOMP_TYPE_MISMATCH)]
    if kind == "Localhost":
        if not annotation.startswith("localhost/"):
            return [errors.forbidden(f"{path}.type", msg.SECCOMP_TYPE_MISMATCH)]
        if profile.get("localhostProfile") != annotation.removeprefix("localhost/"):
            return [errors.forbidden(f"{path}.localhostProfile", msg.SECCOMP_PROFILE_MISMATCH)]
    return []


def seccomp_annotations_match(meta: dict[str, Any], spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validateSeccompAnnotationsAndFields``: where both a field and its annotation are set, they agree."""
    annotations = as_dict(meta.get("annotations"))
    if not annotations:
        return []
    out: list[FieldError] = []
    context = as_dict(spec.get("securityContext"))
    if isinstance(context.get("seccompProfile"), dict) and SECCOMP_POD in annotations:
        out.extend(_seccomp_match(str(annotations[SECCOMP_POD]), context["seccompProfile"],
                                  f"{path}.securityContext.seccompProfile"))
    for container, here in all_containers(spec, path):
        profile = (container.get("securityContext") or {}).get("seccompProfile")
        key = SECCOMP_CONTAINER + str(container.get("name", ""))
        if isinstance(profile, dict) and key in annotations:
            out.extend(_seccomp_match(str(annotations[key]), profile, f"{here}.securityContext.seccompProfile"))
    return out


def apparmor_annotations_match(meta: dict[str, Any], spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validateAppArmorAnnotationsAndFieldsMatchOnCreate`` (not for Windows pods)."""
    annotations = as_dict(meta.get("annotations"))
    if not annotations or (spec.get("os") or {}).get("name") == "windows":
        return []
    out: list[FieldError] = []
    pod_profile = (spec.get("securityContext") or {}).get("appArmorProfile")
    for container, here in all_containers(spec, path):
        profile = (container.get("securityContext") or {}).get("appArmorProfile") or pod_profile
        key = APPARMOR_CONTAINER + str(container.get("name", ""))
        if not isinstance(profile, dict) or key not in annotations:
            continue
        annotation, where = str(annotations[key]), f"{here}.securityContext.appArmorProfile"
        kind = profile.get("type")
        if (kind == "Unconfined" and annotation != "unconfined") or (
                kind == "RuntimeDefault" and annotation != "runtime/default") or (
                kind == "Localhost" and not annotation.startswith("localhost/")):
            out.append(errors.forbidden(f"{where}.type", msg.APPARMOR_TYPE_MISMATCH))
        elif kind == "Localhost" and profile.get("localhostProfile") != annotation.removeprefix("localhost/"):
            out.append(errors.forbidden(f"{where}.localhostProfile", msg.APPARMOR_PROFILE_MISMATCH))
    return out
