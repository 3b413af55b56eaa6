"""The containers of a pod spec: regular, init and ephemeral (``validateContainers``,
``validateInitContainers``, ``validateEphemeralContainers``, ``validateContainerCommon``), their ports,
probes and lifecycle handlers.

Why: most manifest mistakes are here (a missing image, a port 0, two containers with one name, a probe
without a handler).  Checks the schema already makes (required keys, enum values) are not repeated: a
key that is absent was reported by the decoder; an empty string is reported here, as upstream does.
"""

from __future__ import annotations

import re
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.common import (
    PORT_RANGE_MSG,
    dns1123_label,
    nonnegative_field,
    port_num_or_name,
    port_number_errors,
)
from fakekube.kinds.validation.pod_env import validate_env, validate_env_from
from fakekube.kinds.validation.pod_mounts import validate_devices, validate_mounts
from fakekube.kinds.validation.pod_resources import resize_policy, resource_requirements
from fakekube.kinds.validation.pod_security import container_security_context
from fakekube.kinds.validation.pod_values import enum_error, missing, schema_reports
from fakekube.name_formats import port_name_errors

_HTTP_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+")
_HEADER_NAME_MSG = ("a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', "
                    "regex used for validation is '[-A-Za-z0-9]+')")
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
# EphemeralContainerCommon's fields in Go struct order, and whether an ephemeral container may set them.
EPHEMERAL_FIELDS = (("ports", False), ("resources", False), ("resizePolicy", False), ("restartPolicy", False),
                    ("restartPolicyRules", False), ("livenessProbe", False), ("readinessProbe", False),
                    ("startupProbe", False), ("lifecycle", False))


def _ports(ports: Any, path: str) -> list[FieldError]:
    """``validateContainerPorts``: unique valid names, ports in range (0 is a missing port)."""
    out: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports or []):
        if not isinstance(port, dict):
            continue
        here, name = f"{path}[{i}]", port.get("name")
        if isinstance(name, str) and name:
            problems = port_name_errors(name)
            if problems:
                out.extend(errors.invalid(f"{here}.name", name, m) for m in problems)
            elif name in names:
                out.append(errors.duplicate(f"{here}.name", name))
            else:
                names.add(name)
        number = None if missing(port, "containerPort") else port.get("containerPort", 0)
        if number == 0:
            out.append(errors.required(f"{here}.containerPort"))
        elif isinstance(number, int):
            out.extend(errors.invalid(f"{here}.containerPort", number, m) for m in port_number_errors(number))
        host = port.get("hostPort")
        if isinstance(host, int) and host:
            out.extend(errors.invalid(f"{here}.hostPort", host, m) for m in port_number_errors(host))
        out.extend(enum_error(port.get("protocol"), f"{here}.protocol", ("SCTP", "TCP", "UDP"),
                              required_if_empty=True))
    return out


def host_port_conflicts(containers: list[Any], path: str, seen: set[str] | None = None) -> list[FieldError]:
    """``AccumulateUniqueHostPorts``: one container per protocol, host IP and host port."""
    seen = set() if seen is None else seen
    out: list[FieldError] = []
    for ci, container in enumerate(containers):
        if not isinstance(container, dict):
            continue
        for pi, port in enumerate(container.get("ports") or []):
            if not isinstance(port, dict) or not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if key in seen:
                out.append(errors.duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return out


def handler(action: Any, grace: Any, path: str, kinds: tuple[str, ...]) -> list[FieldError]:
    """``validateHandler``: exactly one handler type among ``kinds``, each by its own rules."""
    if not isinstance(action, dict):
        return []
    out: list[FieldError] = []
    count = 0
    for kind in kinds:
        found = action.get(kind)
        if not isinstance(found, dict):
            continue
        if count:
            out.append(errors.forbidden(f"{path}.{kind}", msg.ONE_HANDLER))
            continue
        count += 1
        out.extend(_one_handler(kind, found, grace, f"{path}.{kind}"))
    if not count:
        out.append(errors.required(path, msg.NEED_HANDLER))
    return out


def _one_handler(kind: str, found: dict[str, Any], grace: Any, path: str) -> list[FieldError]:
    if kind == "exec":
        return [] if found.get("command") else [errors.required(f"{path}.command")]
    if kind == "httpGet":
        out = [errors.required(f"{path}.path")] if found.get("path") == "" else []
        if not missing(found, "port"):
            out.extend(port_num_or_name(found.get("port", 0), f"{path}.port"))
        out.extend(enum_error(found.get("scheme"), f"{path}.scheme", ("HTTP", "HTTPS")))
        for header in found.get("httpHeaders") or []:
            name = None if not isinstance(header, dict) or missing(header, "name") else header.get("name", "")
            if isinstance(name, str) and not _HTTP_HEADER_NAME.fullmatch(name):
                out.append(errors.invalid(f"{path}.httpHeaders", name, _HEADER_NAME_MSG))
        return out
    if kind == "tcpSocket":
        return [] if missing(found, "port") else port_num_or_name(found.get("port", 0), f"{path}.port")
    if kind == "grpc":
        port = None if missing(found, "port") else found.get("port", 0)
        return [errors.invalid(f"{path}.port", port, PORT_RANGE_MSG)] if isinstance(port, int) and not (
            1 <= port <= 65535) else []
    seconds = found.get("seconds")
    if isinstance(grace, int) and isinstance(seconds, int) and not 0 <= seconds <= grace:
        return [errors.invalid(path, seconds, msg.SLEEP_RANGE.format(grace))]
    return []


def probe(value: Any, grace: Any, path: str, kind: str) -> list[FieldError]:
    """``validateProbe`` and the liveness, readiness and startup rules on top of it."""
    if not isinstance(value, dict):
        return []
    out = handler(value, grace, path, PROBE_HANDLERS)
    for name in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        out.extend(nonnegative_field(value.get(name, 0), f"{path}.{name}"))
    grace_period = value.get("terminationGracePeriodSeconds")
    if isinstance(grace_period, int) and grace_period <= 0:
        out.append(errors.invalid(f"{path}.terminationGracePeriodSeconds", grace_period, msg.GREATER_THAN_0))
    if kind in ("livenessProbe", "startupProbe") and value.get("successThreshold", 0) != 1:
        out.append(errors.invalid(f"{path}.successThreshold", value.get("successThreshold", 0), msg.MUST_BE_1))
    if kind == "readinessProbe" and grace_period is not None:
        out.append(errors.invalid(f"{path}.terminationGracePeriodSeconds", grace_period, msg.NOT_FOR_READINESS))
    return out


def _lifecycle_and_probes(container: dict[str, Any], grace: Any, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                out.extend(handler(lifecycle[hook], grace, f"{path}.lifecycle.{hook}", LIFECYCLE_HANDLERS))
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        out.extend(probe(container.get(kind), grace, f"{path}.{kind}", kind))
    return out


def container_common(container: dict[str, Any], volumes: dict[str, dict[str, Any]], claims: set[str], path: str,
                     restart_policy: Any, host_users: bool) -> list[FieldError]:
    """``validateContainerCommon``: name, image, ports, env, mounts, devices, resources, security context."""
    out: list[FieldError] = []
    name = None if missing(container, "name") else container.get("name", "")
    if name == "":
        out.append(errors.required(f"{path}.name"))
    elif isinstance(name, str):
        out.extend(dns1123_label(name, f"{path}.name"))
    if not container.get("image"):
        out.append(errors.required(f"{path}.image"))
    out.extend(enum_error(container.get("terminationMessagePolicy"), f"{path}.terminationMessagePolicy",
                          ("File", "FallbackToLogsOnError"), required_if_empty=True))
    out.extend(_ports(container.get("ports"), f"{path}.ports"))
    out.extend(validate_env(container.get("env"), f"{path}.env"))
    out.extend(validate_env_from(container.get("envFrom"), f"{path}.envFrom"))
    out.extend(validate_mounts(container, volumes, f"{path}.volumeMounts"))
    out.extend(validate_devices(container, volumes, f"{path}.volumeDevices"))
    out.extend(enum_error(container.get("imagePullPolicy"), f"{path}.imagePullPolicy",
                          ("Always", "IfNotPresent", "Never"), required_if_empty=True))
    out.extend(resource_requirements(container.get("resources"), claims, f"{path}.resources"))
    out.extend(resize_policy(container.get("resizePolicy"), f"{path}.resizePolicy", restart_policy))
    out.extend(container_security_context(container.get("securityContext"), f"{path}.securityContext", host_users))
    return out


def validate_containers(containers: Any, volumes: dict[str, dict[str, Any]], claims: set[str], grace: Any,
                        path: str, restart_policy: Any, host_users: bool) -> list[FieldError]:
    """``validateContainers``: at least one, unique names, lifecycle and probes, no restart policy."""
    if not isinstance(containers, list) and schema_reports():
        return []  # absent: the decoder's "Required value"
    if not containers:
        return [errors.required(path)]
    out: list[FieldError] = []
    names: set[Any] = set()
    for i, container in enumerate(containers):
        if not isinstance(container, dict):
            continue
        here = f"{path}[{i}]"
        out.extend(container_common(container, volumes, claims, here, restart_policy, host_users))
        name = container.get("name", "")
        if name in names:
            out.append(errors.duplicate(f"{here}.name", name))
        names.add(name)
        out.extend(_lifecycle_and_probes(container, grace, here))
        if container.get("restartPolicy") is not None:
            out.append(errors.forbidden(f"{here}.restartPolicy", msg.MAY_NOT_BE_SET_FOR_NON_INIT))
    out.extend(host_port_conflicts(containers, path))
    return out


def validate_init_containers(init: Any, regular: Any, volumes: dict[str, dict[str, Any]], claims: set[str],
                             grace: Any, path: str, restart_policy: Any, host_users: bool) -> list[FieldError]:
    """``validateInitContainers``: names unique with the regular containers; probes and lifecycle only for
    sidecars (``restartPolicy: Always``); host ports checked per container (they run one at a time)."""
    out: list[FieldError] = []
    names = {c.get("name", "") for c in regular or [] if isinstance(c, dict)}
    for i, container in enumerate(init or []):
        if not isinstance(container, dict):
            continue
        here = f"{path}[{i}]"
        out.extend(container_common(container, volumes, claims, here, restart_policy, host_users))
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            out.append(errors.not_supported(f"{here}.restartPolicy", policy, ["Always"]))
        name = container.get("name", "")
        if name in names:
            out.append(errors.duplicate(f"{here}.name", name))
        elif name:
            names.add(name)
        out.extend(host_port_conflicts([container], path))
        if policy == "Always":
            out.extend(_lifecycle_and_probes(container, grace, here))
        else:
            out.extend(errors.forbidden(f"{here}.{field}", msg.MAY_NOT_BE_SET_FOR_INIT)
                       for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")
                       if container.get(field) is not None)
    return out


def image_whitespace(container: dict[str, Any], path: str) -> list[FieldError]:
    """``validateContainerOnlyForPod``: a Pod's image has no surrounding whitespace (templates may)."""
    image = container.get("image")
    if isinstance(image, str) and image != image.strip():
        return [errors.invalid(f"{path}.image", image, msg.NO_SURROUNDING_WHITESPACE)]
    return []


def validate_ephemeral_containers(ephemeral: Any, regular: Any, init: Any, volumes: dict[str, dict[str, Any]],
                                  claims: set[str], path: str, restart_policy: Any,
                                  host_users: bool) -> list[FieldError]:
    """``validateEphemeralContainers``: common rules, names unique across all containers, a target that is a
    regular or init container, none of the fields a debugging container may not set, no subPath."""
    out: list[FieldError] = []
    others = {c.get("name", "") for c in [*(regular or []), *(init or [])] if isinstance(c, dict)}
    names = set(others)
    for i, container in enumerate(ephemeral or []):
        if not isinstance(container, dict):
            continue
        here = f"{path}[{i}]"
        out.extend(container_common(container, volumes, claims, here, restart_policy, host_users))
        out.extend(image_whitespace(container, here))
        name = container.get("name", "")
        if name in names:
            out.append(errors.duplicate(f"{here}.name", name))
        names.add(name)
        target = container.get("targetContainerName")
        if target and target not in others:
            out.append(errors.field_not_found(f"{here}.targetContainerName", target))
        out.extend(errors.forbidden(f"{here}.{field}", msg.NOT_FOR_EPHEMERAL)
                   for field, allowed in EPHEMERAL_FIELDS if not allowed and container.get(field))
        for j, mount in enumerate(container.get("volumeMounts") or []):
            for field in ("subPath", "subPathExpr"):
                if isinstance(mount, dict) and mount.get(field):
                    out.append(errors.forbidden(f"{here}.volumeMounts[{j}].{field}", msg.NOT_FOR_EPHEMERAL))
    return out
