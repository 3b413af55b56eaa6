"""A container's environment (``ValidateEnv``, ``ValidateEnvFrom``) and the downward API's field selectors.

Why here: ``env[].valueFrom`` and the downward API volume files share the object and resource field
selectors (``validateObjectFieldSelector``, ``validateContainerResourceFieldSelector``), so both live in
one module that ``pod_containers`` and ``pod_volumes`` call.  kube-apiserver v1.36 validates names with
the relaxed rule (``RelaxedEnvironmentVariableValidation`` is on): any printable ASCII but ``=``.
"""

from __future__ import annotations

import re
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.common import canonical_quantity, qualified_name
from fakekube.kinds.validation.pod_values import missing
from fakekube.name_formats import config_map_key_errors, dns1123_subdomain_errors

ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                   "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")
VOLUME_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                      "metadata.uid")
# What ConvertDownwardAPIFieldLabel accepts for v1 (spec.host is the old name of spec.nodeName).
_CONVERTIBLE = frozenset({"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                          "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
                          "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
                          "status.podIPs"})
RESOURCE_FIELD_PATHS = ("limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                        "requests.ephemeral-storage", "requests.memory")
_HUGEPAGES_PREFIXES = ("limits.hugepages-", "requests.hugepages-")
_BYTE_DIVISORS = frozenset({"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"})


_RELAXED_ENV_NAME = re.compile(r"[ -<>-~]+")  # printable ASCII but '='


def relaxed_env_name_errors(value: str) -> list[str]:
    """``validation.IsRelaxedEnvVarName``."""
    if not value:
        return ["environment variable name must be non-empty"]
    if not _RELAXED_ENV_NAME.fullmatch(value):
        return [msg.RELAXED_ENV_NAME]
    return []


def validate_env(env: Any, path: str) -> list[FieldError]:
    """``ValidateEnv``: each variable's name, then its ``valueFrom``."""
    out: list[FieldError] = []
    for i, var in enumerate(env or []):
        if not isinstance(var, dict):
            continue
        here = f"{path}[{i}]"
        name = None if missing(var, "name") else var.get("name", "")
        if name == "":
            out.append(errors.required(f"{here}.name"))
        elif isinstance(name, str):
            out.extend(errors.invalid(f"{here}.name", name, m) for m in relaxed_env_name_errors(name))
        out.extend(_value_from(var, f"{here}.valueFrom"))
    return out


def _value_from(var: dict[str, Any], path: str) -> list[FieldError]:
    """``validateEnvVarValueFrom``: exactly one source, and no ``value`` beside it."""
    source = var.get("valueFrom")
    if not isinstance(source, dict):
        return []
    out: list[FieldError] = []
    count = 0
    if isinstance(source.get("fieldRef"), dict):
        count += 1
        out.extend(object_field_selector(source["fieldRef"], ENV_FIELD_PATHS, f"{path}.fieldRef"))
    if isinstance(source.get("resourceFieldRef"), dict):
        count += 1
        out.extend(resource_field_selector(source["resourceFieldRef"], f"{path}.resourceFieldRef", volume=False))
    for ref in ("configMapKeyRef", "secretKeyRef"):
        if isinstance(source.get(ref), dict):
            count += 1
            out.extend(_key_selector(source[ref], f"{path}.{ref}"))
    if count == 0:
        out.append(errors.invalid(path, "", msg.ENV_ONE_OF))
    elif var.get("value"):
        out.append(errors.invalid(path, "", msg.ENV_WITH_VALUE))
    elif count > 1:
        out.append(errors.invalid(path, "", msg.ONE_FIELD_AT_A_TIME))
    return out


def _key_selector(ref: dict[str, Any], path: str) -> list[FieldError]:
    """``validateConfigMapKeySelector`` / ``validateSecretKeySelector``: the name is checked as an object
    name even when empty (upstream says so in a subdomain error), then the key."""
    name = str(ref.get("name", ""))
    out = [errors.invalid(f"{path}.name", name, m) for m in dns1123_subdomain_errors(name)]
    key = None if missing(ref, "key") else ref.get("key", "")
    if key == "":
        out.append(errors.required(f"{path}.key"))
    elif isinstance(key, str):
        out.extend(errors.invalid(f"{path}.key", key, m) for m in config_map_key_errors(key))
    return out


def split_subscript(field_path: str) -> tuple[str, str] | None:
    """``fieldpath.SplitMaybeSubscriptedPath``: ``metadata.labels['app']`` is (``metadata.labels``, ``app``)."""
    if not field_path.endswith("']"):
        return None
    head, sep, subscript = field_path[:-2].partition("['")
    if not sep or not head:
        return None
    return head, subscript


def object_field_selector(ref: dict[str, Any], supported: tuple[str, ...], path: str) -> list[FieldError]:
    """``validateObjectFieldSelector``: a field the downward API converts, among ``supported`` (a label or
    annotation with a subscript is a qualified name)."""
    api_version = ref.get("apiVersion", "")
    field_path = None if missing(ref, "fieldPath") else ref.get("fieldPath", "")
    if not api_version:
        return [errors.required(f"{path}.apiVersion")]
    if field_path == "":
        return [errors.required(f"{path}.fieldPath")]
    if not isinstance(field_path, str):
        return []
    if api_version != "v1":
        return [errors.invalid(f"{path}.fieldPath", field_path,
                               f"error converting fieldPath: unsupported pod version: {api_version}")]
    split = split_subscript(field_path)
    if split is not None:
        head, subscript = split
        if head == "metadata.annotations":
            return qualified_name(subscript.lower(), path)
        if head == "metadata.labels":
            return qualified_name(subscript, path)
        return [errors.invalid(f"{path}.fieldPath", field_path,
                               f"error converting fieldPath: field label does not support subscript: {field_path}")]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in _CONVERTIBLE:
        return [errors.invalid(f"{path}.fieldPath", field_path,
                               f"error converting fieldPath: field label not supported: {field_path}")]
    if internal not in supported:
        return [errors.not_supported(f"{path}.fieldPath", internal, list(supported))]
    return []


def resource_field_selector(ref: dict[str, Any], path: str, *, volume: bool) -> list[FieldError]:
    """``validateContainerResourceFieldSelector``: a container (in a volume), a resource the downward API
    exposes (hugepages by prefix), and a divisor that resource allows."""
    out: list[FieldError] = []
    resource = None if missing(ref, "resource") else ref.get("resource", "")
    if volume and not ref.get("containerName"):
        out.append(errors.required(f"{path}.containerName"))
    elif resource is None:
        pass
    elif resource == "":
        out.append(errors.required(f"{path}.resource"))
    elif resource not in RESOURCE_FIELD_PATHS and not str(resource).startswith(_HUGEPAGES_PREFIXES):
        out.append(errors.not_supported(f"{path}.resource", resource, list(RESOURCE_FIELD_PATHS)))
    out.extend(_divisor(str(resource), ref.get("divisor"), path))
    return out


def _divisor(resource: str, divisor: Any, path: str) -> list[FieldError]:
    """``validateContainerResourceDivisor``: only these divisors per resource; unset or zero is fine."""
    shown = canonical_quantity(divisor) if divisor is not None else None
    if shown is None or shown == "0":
        return []
    if resource in ("limits.cpu", "requests.cpu"):
        detail = msg.CPU_DIVISOR if shown not in ("1m", "1") else ""
    elif resource in ("limits.memory", "requests.memory"):
        detail = msg.MEMORY_DIVISOR if shown not in _BYTE_DIVISORS else ""
    elif resource in ("limits.ephemeral-storage", "requests.ephemeral-storage"):
        detail = msg.STORAGE_DIVISOR if shown not in _BYTE_DIVISORS else ""
    else:
        detail = ""
    out = [errors.invalid(f"{path}.divisor", resource, detail)] if detail else []
    if resource.startswith(_HUGEPAGES_PREFIXES) and shown not in _BYTE_DIVISORS:
        out.append(errors.invalid(f"{path}.divisor", resource, msg.HUGEPAGES_DIVISOR))
    return out


def validate_env_from(sources: Any, path: str) -> list[FieldError]:
    """``ValidateEnvFrom``: a prefix that is a valid name, and exactly one of a ConfigMap or a Secret (whose
    name may end with a dash: it is checked as a generateName prefix)."""
    out: list[FieldError] = []
    for i, source in enumerate(sources or []):
        if not isinstance(source, dict):
            continue
        here = f"{path}[{i}]"
        prefix = source.get("prefix")
        if isinstance(prefix, str) and prefix:
            out.extend(errors.invalid(f"{here}.prefix", prefix, m) for m in relaxed_env_name_errors(prefix))
        count = 0
        for ref in ("configMapRef", "secretRef"):
            if isinstance(source.get(ref), dict):
                count += 1
                out.extend(_env_source_name(source[ref], f"{here}.{ref}"))
        if count == 0:
            out.append(errors.invalid(path, "", msg.ENV_FROM_ONE_OF))
        elif count > 1:
            out.append(errors.invalid(path, "", msg.ONE_FIELD_AT_A_TIME))
    return out


def _env_source_name(ref: dict[str, Any], path: str) -> list[FieldError]:
    name = ref.get("name", "")
    if not name:
        return [errors.required(f"{path}.name")]
    return [errors.invalid(f"{path}.name", name, m) for m in dns1123_subdomain_errors(mask_trailing_dash(str(name)))]


def mask_trailing_dash(name: str) -> str:
    """``maskTrailingDash``: a name used as a prefix may end with ``-`` (its last two bytes become ``a``)."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name
