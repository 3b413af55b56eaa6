"""The containers' volume mounts and block devices (``ValidateVolumeMounts``, ``ValidateVolumeDevices``,
``validateMountPropagation``, ``validateMountRecursiveReadOnly``).

Why: a mount must name a volume that validated (``pod_volumes.validate_volumes`` returns them), at a unique
path that no device uses, with a relative ``subPath``; upstream reports ``subPath``, ``mountPropagation`` and
``recursiveReadOnly`` errors on the list's path (``volumeMounts.subPath``, without an index), kept here.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.pod_values import enum_error, missing
from fakekube.kinds.validation.pod_volumes import local_descending_path, no_backsteps


def validate_mounts(container: dict[str, Any], volumes: dict[str, dict[str, Any]], path: str) -> list[FieldError]:
    """``ValidateVolumeMounts``: each mount names a valid volume, at a unique path that is no device's, with
    a relative ``subPath`` (not in an image volume) and a propagation the container may use."""
    out: list[FieldError] = []
    devices = {d.get("name"): d.get("devicePath") for d in container.get("volumeDevices") or [] if isinstance(d, dict)}
    privileged = ((container.get("securityContext") or {}).get("privileged") is True)
    seen: set[Any] = set()
    for i, mount in enumerate(container.get("volumeMounts") or []):
        if not isinstance(mount, dict):
            continue
        here = f"{path}[{i}]"
        name = None if missing(mount, "name") else mount.get("name", "")
        target = None if missing(mount, "mountPath") else mount.get("mountPath", "")
        if name == "":
            out.append(errors.required(f"{here}.name"))
        if isinstance(name, str) and name not in volumes:
            out.append(errors.field_not_found(f"{here}.name", name))
        if target == "":
            out.append(errors.required(f"{here}.mountPath"))
        if isinstance(target, str) and target in seen:
            out.append(errors.invalid(f"{here}.mountPath", target, msg.MUST_BE_UNIQUE))
        seen.add(target)
        if name in devices:
            out.append(errors.invalid(f"{here}.name", name, msg.NOT_IN_DEVICES))
        if target is not None and target in devices.values():
            out.append(errors.invalid(f"{here}.mountPath", target, msg.NOT_A_DEVICE_PATH))
        sub_path, sub_expr = str(mount.get("subPath") or ""), str(mount.get("subPathExpr") or "")
        if isinstance(volumes.get(str(name)), dict) and "image" in volumes[str(name)]:
            if sub_path:
                out.append(errors.invalid(f"{here}.subPath", sub_path, msg.NOT_IN_IMAGE_VOLUME))
            if sub_expr:
                out.append(errors.invalid(f"{here}.subPathExpr", sub_expr, msg.NOT_IN_IMAGE_VOLUME))
        if sub_path:
            out.extend(local_descending_path(sub_path, f"{path}.subPath"))
        if sub_expr:
            if sub_path:
                out.append(errors.invalid(f"{here}.subPathExpr", sub_expr, msg.SUBPATH_EXCLUSIVE))
            out.extend(local_descending_path(sub_expr, f"{path}.subPathExpr"))
        propagation = mount.get("mountPropagation")
        out.extend(enum_error(propagation, f"{path}.mountPropagation", ("Bidirectional", "HostToContainer", "None"),
                              optional=True))
        if propagation == "Bidirectional" and not privileged:
            out.append(errors.forbidden(f"{path}.mountPropagation", msg.BIDIRECTIONAL))
        out.extend(_recursive_read_only(mount, f"{path}.recursiveReadOnly"))
    return out


def _recursive_read_only(mount: dict[str, Any], path: str) -> list[FieldError]:
    """``validateMountRecursiveReadOnly``."""
    value = mount.get("recursiveReadOnly")
    if value is None or value == "Disabled":
        return []
    if value not in ("Enabled", "IfPossible"):
        return [errors.not_supported(path, value, ["Disabled", "Enabled", "IfPossible"])]
    out: list[FieldError] = []
    if not mount.get("readOnly"):
        out.append(errors.forbidden(path, msg.RRO_READ_ONLY))
    if mount.get("mountPropagation") not in (None, "None"):
        out.append(errors.forbidden(path, msg.RRO_PROPAGATION))
    return out


def validate_devices(container: dict[str, Any], volumes: dict[str, dict[str, Any]], path: str) -> list[FieldError]:
    """``ValidateVolumeDevices``: block devices of claims (or ephemeral volumes), unique, not also mounted."""
    out: list[FieldError] = []
    mounts = {m.get("name"): m.get("mountPath") for m in container.get("volumeMounts") or [] if isinstance(m, dict)}
    names: set[Any] = set()
    paths: set[Any] = set()
    for i, device in enumerate(container.get("volumeDevices") or []):
        if not isinstance(device, dict):
            continue
        here = f"{path}[{i}]"
        name = None if missing(device, "name") else device.get("name", "")
        target = None if missing(device, "devicePath") else device.get("devicePath", "")
        volume = volumes.get(str(name))
        if name == "":
            out.append(errors.required(f"{here}.name"))
        if name in names:
            out.append(errors.invalid(f"{here}.name", name, msg.MUST_BE_UNIQUE))
        if volume is not None and "persistentVolumeClaim" not in volume and "ephemeral" not in volume:
            out.append(errors.invalid(f"{here}.name", name, msg.BLOCK_SOURCE))
        if volume is None and name is not None:
            out.append(errors.field_not_found(f"{here}.name", name))
        if target == "":
            out.append(errors.required(f"{here}.devicePath"))
        if target in paths:
            out.append(errors.invalid(f"{here}.devicePath", target, msg.MUST_BE_UNIQUE))
        if target and no_backsteps(str(target), path):
            out.append(errors.invalid(f"{here}.devicePath", target, msg.DEVICE_BACKSTEPS))
        else:
            paths.add(target)
        if name in mounts:
            out.append(errors.invalid(f"{here}.name", name, msg.NOT_IN_MOUNTS))
        if target in mounts.values():
            out.append(errors.invalid(f"{here}.devicePath", target, msg.NOT_A_MOUNT_PATH))
        if name:
            names.add(name)
    return out
