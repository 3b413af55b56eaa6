"""Security settings of a pod spec: the pod's and each container's security context, sysctls, seccomp and
AppArmor profiles, user namespaces and the OS-specific rules (``validatePodSpecSecurityContext``,
``ValidateSecurityContext``, ``validateHostUsers``, ``validateOS``, ``validateLinux``, ``validateWindows``).

Why: user and group ids out of range, a Localhost profile without its path, and privileged containers that
forbid privilege escalation are refused by kube-apiserver before any admission; privileged containers are
allowed (``--allow-privileged``, as every kubeadm, kind or k3s cluster runs it).
"""

from __future__ import annotations

import re
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.go_text import GoShown
from fakekube.kinds.validation.pod_values import as_dict, enum_error, missing

MAX_ID = 0xFFFFFFFF
_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")
_IPC_SYSCTLS = frozenset({"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
                          "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem"})
_WINDOWS_POD_FIELDS = (("appArmorProfile", True), ("seLinuxOptions", True), ("hostUsers", False),
                       ("hostPID", False), ("hostIPC", False), ("seccompProfile", True), ("fsGroup", True),
                       ("fsGroupChangePolicy", True), ("sysctls", True), ("shareProcessNamespace", False),
                       ("runAsUser", True), ("runAsGroup", True), ("supplementalGroups", True),
                       ("supplementalGroupsPolicy", True), ("seLinuxChangePolicy", True))
_WINDOWS_CONTAINER_FIELDS = ("appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities",
                             "readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation", "procMount",
                             "runAsUser", "runAsGroup")


def _id(value: Any, path: str) -> list[FieldError]:
    """``validation.IsValidUserID`` / ``IsValidGroupID``: 0 to 2^32-1."""
    if isinstance(value, int) and not 0 <= value <= MAX_ID:
        return [errors.invalid(path, value, msg.inclusive_range_error(0, MAX_ID))]
    return []


def _local_descending(target: str, path: str) -> list[FieldError]:
    out = [errors.invalid(path, target, msg.RELATIVE_PATH)] if target.startswith("/") else []
    if ".." in target.split("/"):
        out.append(errors.invalid(path, target, msg.NO_BACKSTEPS))
    return out


def seccomp_profile(profile: Any, path: str) -> list[FieldError]:
    """``validateSeccompProfileField``: a Localhost profile has a relative path; others have none."""
    if not isinstance(profile, dict):
        return []
    kind = None if missing(profile, "type") else profile.get("type", "")
    out: list[FieldError] = []
    if kind == "":
        out.append(errors.required(f"{path}.type", msg.SECCOMP_TYPE))
    elif kind is not None:
        out.extend(enum_error(kind, f"{path}.type", ("Localhost", "RuntimeDefault", "Unconfined")))
    local = profile.get("localhostProfile")
    if kind == "Localhost":
        if local is None:
            out.append(errors.required(f"{path}.localhostProfile", msg.SECCOMP_LOCALHOST))
        else:
            out.extend(_local_descending(str(local), f"{path}.localhostProfile"))
    elif local is not None:
        shown = GoShown(f'core.SeccompProfile{{Type:"{kind}", LocalhostProfile:"{local}"}}',
                        {"Type": kind, "LocalhostProfile": local})
        out.append(errors.invalid_go_value(f"{path}.localhostProfile", shown, msg.SECCOMP_ONLY_LOCALHOST))
    return out


def apparmor_profile(profile: Any, path: str) -> list[FieldError]:
    """``ValidateAppArmorProfileField``."""
    if not isinstance(profile, dict):
        return []
    kind = None if missing(profile, "type") else profile.get("type", "")
    local = profile.get("localhostProfile")
    out: list[FieldError] = []
    if kind == "Localhost":
        if local is None:
            out.append(errors.required(f"{path}.localhostProfile", msg.APPARMOR_LOCALHOST))
        else:
            text = str(local)
            if text.strip() != text:
                out.append(errors.invalid(f"{path}.localhostProfile", text, msg.APPARMOR_PADDED))
            elif not text:
                out.append(errors.required(f"{path}.localhostProfile", msg.APPARMOR_LOCALHOST))
            if len(text) > 4095:
                out.append(errors.too_long(f"{path}.localhostProfile", 4095))
    elif kind in ("RuntimeDefault", "Unconfined"):
        if local is not None:
            out.append(errors.invalid(f"{path}.localhostProfile", local, msg.APPARMOR_ONLY_LOCALHOST))
    elif kind == "":
        out.append(errors.required(f"{path}.type", msg.APPARMOR_TYPE))
    elif kind is not None:
        out.extend(enum_error(kind, f"{path}.type", ("Localhost", "RuntimeDefault", "Unconfined")))
    return out


def sysctl_namespace(name: str) -> str:
    """``utilsysctl.GetNamespace``: which namespace a sysctl belongs to (net, ipc or none)."""
    name = name.replace("/", ".")
    if name.startswith("net."):
        return "net"
    if name in _IPC_SYSCTLS or name.startswith("fs.mqueue."):
        return "ipc"
    return ""


def _sysctls(spec: dict[str, Any], context: dict[str, Any], path: str) -> list[FieldError]:
    """``validateSysctls``: valid, unique names; no namespaced sysctl of a namespace shared with the host."""
    out: list[FieldError] = []
    names: set[str] = set()
    for i, sysctl in enumerate(context.get("sysctls") or []):
        if not isinstance(sysctl, dict):
            continue
        if missing(sysctl, "name"):
            continue
        here, name = f"{path}[{i}].name", str(sysctl.get("name", ""))
        if not name:
            out.append(errors.required(here))
        elif len(name) > 253 or not _SYSCTL.fullmatch(name):
            out.append(errors.invalid(here, name, msg.SYSCTL_NAME))
        elif name in names:
            out.append(errors.duplicate(here, name))
        space = sysctl_namespace(name)
        if spec.get("hostNetwork") and space == "net":
            out.append(errors.invalid(here, name, msg.SYSCTL_HOST_NETWORK))
        elif spec.get("hostIPC") and space == "ipc":
            out.append(errors.invalid(here, name, msg.SYSCTL_HOST_IPC))
        names.add(name)
    return out


def pod_security_context(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validatePodSpecSecurityContext``: ids, process namespace sharing, sysctls, profiles, SELinux change
    policy (``path`` is the pod spec's; the context's fields are under ``securityContext``)."""
    context = spec.get("securityContext")
    if not isinstance(context, dict):
        return []
    here = f"{path}.securityContext"
    out = _id(context.get("fsGroup"), f"{here}.fsGroup")
    out.extend(_id(context.get("runAsUser"), f"{here}.runAsUser"))
    out.extend(_id(context.get("runAsGroup"), f"{here}.runAsGroup"))
    for i, gid in enumerate(context.get("supplementalGroups") or []):
        out.extend(_id(gid, f"{here}.supplementalGroups[{i}]"))
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID"):
        out.append(errors.invalid(f"{here}.shareProcessNamespace", True, msg.SHARE_PID))
    if context.get("sysctls"):
        out.extend(_sysctls(spec, context, f"{here}.sysctls"))
    out.extend(enum_error(context.get("fsGroupChangePolicy"), f"{here}.fsGroupChangePolicy",
                          ("Always", "OnRootMismatch"), optional=True))
    out.extend(seccomp_profile(context.get("seccompProfile"), f"{here}.seccompProfile"))
    out.extend(apparmor_profile(context.get("appArmorProfile"), f"{here}.appArmorProfile"))
    out.extend(enum_error(context.get("supplementalGroupsPolicy"), f"{here}.supplementalGroupsPolicy",
                          ("Merge", "Strict"), optional=True))
    change = context.get("seLinuxChangePolicy")
    if change is not None and change not in ("MountOption", "Recursive"):
        out.append(errors.not_supported(f"{here}.seLinuxChangePolicy", change, ["MountOption", "Recursive"]))
    return out


def _security_context_shown(context: dict[str, Any]) -> GoShown:
    """The internal ``core.SecurityContext`` (``%#v`` elided to ``&core.SecurityContext{...}``; JSON with its
    Go field names, every pointer written, nil as null)."""
    def sub(key: str, fields: tuple[str, ...]) -> dict[str, Any] | None:
        value = context.get(key)
        if not isinstance(value, dict):
            return None
        return {field[0].upper() + field[1:]: value.get(field) for field in fields}

    capabilities = sub("capabilities", ("add", "drop"))
    windows = context.get("windowsOptions")
    data = {
        "Capabilities": capabilities,
        "Privileged": context.get("privileged"),
        "SELinuxOptions": None if not isinstance(context.get("seLinuxOptions"), dict) else {
            k.title(): as_dict(context["seLinuxOptions"]).get(k, "") for k in ("user", "role", "type", "level")},
        "WindowsOptions": None if not isinstance(windows, dict) else {
            "GMSACredentialSpecName": windows.get("gmsaCredentialSpecName"),
            "GMSACredentialSpec": windows.get("gmsaCredentialSpec"),
            "RunAsUserName": windows.get("runAsUserName"), "HostProcess": windows.get("hostProcess")},
        "RunAsUser": context.get("runAsUser"),
        "RunAsGroup": context.get("runAsGroup"),
        "RunAsNonRoot": context.get("runAsNonRoot"),
        "ReadOnlyRootFilesystem": context.get("readOnlyRootFilesystem"),
        "AllowPrivilegeEscalation": context.get("allowPrivilegeEscalation"),
        "ProcMount": context.get("procMount"),
        "SeccompProfile": sub("seccompProfile", ("type", "localhostProfile")),
        "AppArmorProfile": sub("appArmorProfile", ("type", "localhostProfile")),
    }
    return GoShown("&core.SecurityContext{...}", data)


def container_security_context(context: Any, path: str, host_users: bool) -> list[FieldError]:
    """``ValidateSecurityContext``: ids, an ``Unmasked`` /proc only in a user namespace, a seccomp profile,
    no privilege escalation refused to a privileged (or CAP_SYS_ADMIN) container, an AppArmor profile."""
    if not isinstance(context, dict):
        return []
    out = _id(context.get("runAsUser"), f"{path}.runAsUser")
    out.extend(_id(context.get("runAsGroup"), f"{path}.runAsGroup"))
    out.extend(enum_error(context.get("procMount"), f"{path}.procMount", ("Default", "Unmasked"), optional=True))
    if host_users and context.get("procMount") == "Unmasked":
        out.append(errors.invalid(f"{path}.procMount", "Unmasked", msg.UNMASKED_HOST_USERS))
    out.extend(seccomp_profile(context.get("seccompProfile"), f"{path}.seccompProfile"))
    if context.get("allowPrivilegeEscalation") is False:
        shown = _security_context_shown(context)
        if context.get("privileged") is True:
            out.append(errors.invalid_go_value(path, shown, msg.APE_PRIVILEGED))
        added = (context.get("capabilities") or {}).get("add") or []
        out.extend(errors.invalid_go_value(path, shown, msg.APE_SYS_ADMIN) for cap in added if cap == "CAP_SYS_ADMIN")
    out.extend(apparmor_profile(context.get("appArmorProfile"), f"{path}.appArmorProfile"))
    return out


def host_users(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validateHostUsers``: a pod in its own user namespace shares no other namespace with the host."""
    if spec.get("hostUsers") is not False:
        return []
    return [errors.forbidden(f"{path}.{name}", msg.HOST_USERS_FALSE)
            for field, name in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC"))
            if spec.get(field)]


def all_containers(spec: dict[str, Any], path: str) -> list[tuple[dict[str, Any], str]]:
    """``podshelper.VisitContainersWithPath``: init, regular, then ephemeral containers with their paths."""
    return [(c, f"{path}.{field}[{i}]") for field in ("initContainers", "containers", "ephemeralContainers")
            for i, c in enumerate(spec.get(field) or []) if isinstance(c, dict)]


def validate_os(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validateOS`` then ``validateLinux`` / ``validateWindows``: the fields that OS cannot use."""
    os_field = spec.get("os")
    if not isinstance(os_field, dict):
        return []
    if missing(os_field, "name"):
        return []
    name = os_field.get("name", "")
    if name == "":
        return [errors.required(f"{path}.os.name", msg.OS_NAME)]
    if name not in ("linux", "windows"):
        return [errors.not_supported(f"{path}.os", name, ["linux", "windows"])]
    context = as_dict(spec.get("securityContext"))
    out: list[FieldError] = []
    if name == "linux":
        if context.get("windowsOptions") is not None:
            out.append(errors.forbidden(f"{path}.securityContext.windowsOptions", msg.WINDOWS_OPTIONS_ON_LINUX))
        for container, here in all_containers(spec, path):
            if (container.get("securityContext") or {}).get("windowsOptions") is not None:
                out.append(errors.forbidden(f"{here}.securityContext.windowsOptions", msg.WINDOWS_OPTIONS_ON_LINUX))
        return out
    for field, in_context in _WINDOWS_POD_FIELDS:
        value = context.get(field) if in_context else spec.get(field)
        # hostPID and hostIPC (plain bools) count when true; the pointers whenever set, sysctls when not empty
        if value is not None and (value is not False or field not in ("hostPID", "hostIPC")) and value != []:
            where = f"{path}.securityContext.{field}" if in_context else f"{path}.{field}"
            out.append(errors.forbidden(where, msg.NOT_FOR_WINDOWS))
    for container, here in all_containers(spec, path):
        container_context = container.get("securityContext")
        if isinstance(container_context, dict):
            out.extend(errors.forbidden(f"{here}.securityContext.{field}", msg.NOT_FOR_WINDOWS)
                       for field in _WINDOWS_CONTAINER_FIELDS if container_context.get(field) is not None)
    return out
