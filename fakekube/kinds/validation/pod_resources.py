"""Compute resources of a container and of a pod (``ValidateContainerResourceRequirements``,
``validatePodResources``, ``validateOverhead``, ``validateResizePolicy``).

Why: requests above limits, fractional GPUs and typos in resource names are the resource mistakes users
make daily; upstream words each with the quantity as ``Quantity.String()`` shows it (canonical: ``0.5``
is ``500m``), which ``common.canonical_quantity`` reproduces.  The names follow
``pkg/apis/core/helper`` (standard, native, extended, hugepages, integer and overcommittable resources).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.go_text import GoShown, go_quote
from fakekube.kinds.validation.common import NEGATIVE_MSG, canonical_quantity, quantity
from fakekube.kinds.validation.pod_values import as_dict, missing
from fakekube.name_formats import dns1123_label_errors, qualified_name_errors

STANDARD_CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
STANDARD_RESOURCES = frozenset({
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
    "resourcequotas", "secrets", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports",
    "services.loadbalancers"})
INTEGER_RESOURCES = frozenset({"pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
                               "configmaps", "persistentvolumeclaims", "services.nodeports",
                               "services.loadbalancers"})
POD_LEVEL_RESOURCES = ("cpu", "memory")
QOS_RESOURCES = frozenset({"cpu", "memory"})


def is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native(name: str) -> bool:
    """``IsNativeResource``: unprefixed, or in the ``kubernetes.io/`` domain."""
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    """``IsExtendedResourceName``: a prefixed, non-native name that is still valid behind ``requests.``."""
    if is_native(name) or name.startswith("requests."):
        return False
    return not qualified_name_errors("requests." + name)


def overcommit_allowed(name: str) -> bool:
    """``IsOvercommitAllowed``: requests may differ from limits for native resources but hugepages."""
    return is_native(name) and not is_hugepages(name)


def _standard_resource(name: str) -> bool:
    return name in STANDARD_RESOURCES or is_hugepages(name) or name.startswith("requests.hugepages-")


def resource_name(name: str, path: str) -> list[FieldError]:
    """``validateResourceName``: a qualified name, standard when unprefixed."""
    out = [errors.invalid(path, name, m) for m in qualified_name_errors(name)]
    if out:
        return out
    if "/" not in name and not _standard_resource(name):
        out.append(errors.invalid(path, name, msg.STANDARD_OR_QUALIFIED))
    return out


def container_resource_name(name: str, path: str) -> list[FieldError]:
    """``validateContainerResourceName``: cpu, memory, ephemeral-storage, hugepages or an extended resource."""
    if name in STANDARD_CONTAINER_RESOURCES:
        return []
    out = resource_name(name, path)
    if "/" not in name:
        if not is_hugepages(name):
            out.append(errors.invalid(path, name, msg.STANDARD_FOR_CONTAINERS))
    elif not is_native(name) and not is_extended(name):
        out.append(errors.invalid(path, name, msg.EXTENDED_NAME))
    return out


def go_quantity(value: Any) -> GoShown:
    """The ``resource.Quantity`` decoded from ``value`` (after ``SetDefaults_ResourceList`` rounded it up to
    milli-units), what ``must be an integer`` shows: its ``%#v`` and its canonical text (JSON)."""
    text = str(value).strip()
    sign = -1 if text.startswith("-") else 1
    number = text.lstrip("+-")
    digits = number.rstrip("EPTGMkmunKi")
    suffix = number[len(digits):]
    whole, _, fraction = digits.partition(".")
    exponent = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}.get(suffix, 0)
    shifted = whole + fraction
    scale = exponent - len(fraction)
    amount = int(shifted or "0") * sign
    cached = text if scale % 3 == 0 and not shifted.endswith("000") and shifted[:1] != "0" else ""
    canonical = canonical_quantity(value)
    if scale < -3:
        amount, scale, cached = math.ceil(Decimal(amount).scaleb(scale + 3)), -3, ""
        canonical = canonical_quantity(f"{amount}m")
    return GoShown(f"resource.Quantity{{i:resource.int64Amount{{value:{amount}, scale:{scale}}}, "
                   f"d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:{go_quote(cached)}, Format:\"DecimalSI\"}}",
                   canonical)


def quantity_value(name: str, value: Any, path: str) -> list[FieldError]:
    """``ValidateResourceQuantityValue``: not negative; whole for pods, services... and extended resources."""
    found = quantity(value)
    if found is None:
        return []
    out: list[FieldError] = []
    if found.value < 0:
        out.append(errors.invalid(path, canonical_quantity(value), NEGATIVE_MSG))
    if (name in INTEGER_RESOURCES or is_extended(name)) and (found.value * 1000) % 1000:
        out.append(errors.invalid_go_value(path, go_quantity(value), msg.NOT_AN_INTEGER))
    return out


def _hugepage_error(name: str, value: Any, path: str) -> list[FieldError]:
    """``validateResourceQuantityHugePageValue``: a whole number of pages of the size the name says."""
    page = quantity(name.removeprefix("hugepages-"))
    found = quantity(value)
    if page is None or found is None or page.value <= 0:
        return []
    if found.value % page.value:
        return [errors.invalid(path, canonical_quantity(value), msg.HUGEPAGES_MULTIPLE.format(
            canonical_quantity(value), name))]
    return []


def resource_requirements(resources: Any, claim_names: set[str], path: str, *,
                          pod_level: bool = False) -> list[FieldError]:
    """``validateResourceRequirements``: names and quantities of limits, then of requests (each at most its
    limit, equal to it where overcommit is not allowed), hugepages beside cpu or memory, then claims."""
    if not isinstance(resources, dict):
        return []
    name_check = _pod_resource_name if pod_level else container_resource_name
    limits, requests = as_dict(resources.get("limits")), as_dict(resources.get("requests"))
    out: list[FieldError] = []
    qos = hugepages = False
    for name, value in limits.items():
        here = f"{path}.limits[{name}]"
        out.extend(name_check(name, here))
        out.extend(quantity_value(name, value, here))
        if is_hugepages(name):
            hugepages = True
            out.extend(_hugepage_error(name, value, here))
        qos = qos or name in QOS_RESOURCES
    for name, value in requests.items():
        here = f"{path}.requests[{name}]"
        out.extend(name_check(name, here))
        out.extend(quantity_value(name, value, here))
        out.extend(_request_against_limit(name, value, limits, path))
        if is_hugepages(name):
            hugepages = True
            out.extend(_hugepage_error(name, value, here))
        qos = qos or name in QOS_RESOURCES
    if hugepages and not qos:
        out.append(errors.forbidden(path, msg.HUGEPAGES_NEED_CPU_OR_MEMORY))
    out.extend(_claims(resources.get("claims"), claim_names, f"{path}.claims"))
    return out


def _request_against_limit(name: str, value: Any, limits: dict[str, Any], path: str) -> list[FieldError]:
    request = quantity(value)
    if name not in limits:
        return [] if overcommit_allowed(name) else [errors.required(f"{path}.limits", msg.LIMIT_REQUIRED)]
    limit = quantity(limits[name])
    if request is None or limit is None:
        return []
    if request.value != limit.value and not overcommit_allowed(name):
        detail = msg.REQUEST_EQUALS_LIMIT
    elif request.value > limit.value:
        detail = msg.REQUEST_AT_MOST_LIMIT
    else:
        return []
    return [errors.invalid(f"{path}.requests", canonical_quantity(value),
                           detail.format(name, canonical_quantity(limits[name])))]


def _claims(claims: Any, claim_names: set[str], path: str) -> list[FieldError]:
    """``validateResourceClaimNames``: each names a claim of ``spec.resourceClaims``, once."""
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, claim in enumerate(claims or []):
        if not isinstance(claim, dict):
            continue
        here, name, request = f"{path}[{i}]", claim.get("name", ""), claim.get("request", "")
        if missing(claim, "name"):
            continue
        if not name:
            out.append(errors.required(here))
            continue
        if name in seen:
            out.append(errors.duplicate(here, name))
        else:
            key = name
            if request:
                out.extend(errors.invalid(f"{here}.request", request, m) for m in dns1123_label_errors(request))
                key = f"{name}/{request}"
            if key in seen:
                out.append(errors.duplicate(here, key))
            elif not request:
                out.extend(errors.duplicate(here, name) for other in sorted(seen)
                           if "/" in other and other.split("/", 1)[0] == name)
            seen.add(key)
        if name not in claim_names:
            listed = ": " + ", ".join(sorted(claim_names)) if claim_names else " which is empty"
            out.append(errors.field_not_found(here, name, msg.CLAIM_NOT_FOUND + listed))
    return out


def _pod_resource_name(name: str, path: str) -> list[FieldError]:
    """``validatePodResourceName``: a resource name pod-level resources support (cpu, memory, hugepages)."""
    out = resource_name(name, path)
    if not out and name not in POD_LEVEL_RESOURCES and not is_hugepages(name):
        out.append(errors.not_supported(path, name, list(POD_LEVEL_RESOURCES)))
    return out


def pod_resources(spec: dict[str, Any], claim_names: set[str], path: str) -> list[FieldError]:
    """``validatePodResources``: no claims, valid requirements, and consistent with the containers'."""
    resources = spec.get("resources")
    if not isinstance(resources, dict):
        return []
    out: list[FieldError] = []
    if resources.get("claims") is not None:
        out.append(errors.forbidden(f"{path}.claims", msg.POD_CLAIMS_FORBIDDEN))
    out.extend(resource_requirements(resources, claim_names, path, pod_level=True))
    out.extend(_pod_consistency(spec, resources, path))
    return out


def _container_requests(spec: dict[str, Any]) -> dict[str, Decimal]:
    """``AggregateContainerRequests``: regular containers and sidecars add up; an init container counts
    alone (with the sidecars started before it)."""
    total: dict[str, Decimal] = {}
    sidecars: dict[str, Decimal] = {}
    peak: dict[str, Decimal] = {}
    for c in spec.get("initContainers") or []:
        requests = ((c.get("resources") or {}).get("requests") or {}) if isinstance(c, dict) else {}
        for name, value in requests.items():
            found = quantity(value)
            if found is None:
                continue
            if c.get("restartPolicy") == "Always":
                sidecars[name] = sidecars.get(name, Decimal(0)) + found.value
            else:
                peak[name] = max(peak.get(name, Decimal(0)), found.value + sidecars.get(name, Decimal(0)))
    for c in spec.get("containers") or []:
        requests = ((c.get("resources") or {}).get("requests") or {}) if isinstance(c, dict) else {}
        for name, value in requests.items():
            found = quantity(value)
            if found is not None:
                total[name] = total.get(name, Decimal(0)) + found.value
    for name, value in sidecars.items():
        total[name] = total.get(name, Decimal(0)) + value
    for name, value in peak.items():
        total[name] = max(total.get(name, Decimal(0)), value)
    return total


def _pod_consistency(spec: dict[str, Any], resources: dict[str, Any], path: str) -> list[FieldError]:
    """``validatePodResourceConsistency``: pod requests cover the containers', container limits fit the pod's."""
    out: list[FieldError] = []
    requests = resources.get("requests") or {}
    for name, total in _container_requests(spec).items():
        pod = quantity(requests.get(name, "0"))
        if pod is not None and total > pod.value:
            shown = canonical_quantity(requests.get(name, "0")) or "0"
            out.append(errors.invalid(f"{path}.requests[{name}]", shown,
                                      msg.POD_REQUESTS_AGGREGATE.format(canonical_quantity(str(total)))))
    limits = resources.get("limits") or {}
    for i, c in enumerate(spec.get("containers") or []):
        container_limits = ((c.get("resources") or {}).get("limits") or {}) if isinstance(c, dict) else {}
        for name, value in container_limits.items():
            pod_limit, limit = quantity(limits.get(name, "")), quantity(value)
            if name in limits and pod_limit is not None and limit is not None and limit.value > pod_limit.value:
                out.append(errors.invalid(f"{path}.containers[{i}][{name}].limits", canonical_quantity(value),
                                          msg.POD_LIMITS.format(canonical_quantity(limits[name]))))
    return out


def overhead(value: Any, path: str) -> list[FieldError]:
    """``validateOverhead``: checked as a container's limits (hence ``overhead.limits[cpu]``)."""
    return resource_requirements({"limits": value}, set(), path) if isinstance(value, dict) else []


def resize_policy(policies: Any, path: str, restart_policy: Any) -> list[FieldError]:
    """``validateResizePolicy``: cpu or memory once each; ``NotRequired`` when the pod never restarts."""
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, policy in enumerate(policies or []):
        if not isinstance(policy, dict):
            continue
        name, restart = policy.get("resourceName", ""), policy.get("restartPolicy", "")
        if name in seen:
            out.append(errors.duplicate(f"{path}[{i}]", name))
        seen.add(name)
        if missing(policy, "resourceName"):
            pass
        elif name == "":
            out.append(errors.required(path))
        elif name not in ("cpu", "memory"):
            out.append(errors.not_supported(path, name, ["cpu", "memory"]))
        if missing(policy, "restartPolicy"):
            pass
        elif restart == "":
            out.append(errors.required(path))
        elif restart not in ("NotRequired", "RestartContainer"):
            out.append(errors.not_supported(path, restart, ["NotRequired", "RestartContainer"]))
        if restart_policy == "Never" and restart != "NotRequired":
            out.append(errors.invalid(path, restart, msg.RESIZE_NEVER))
    return out
