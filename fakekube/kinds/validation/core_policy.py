"""LimitRanges and ResourceQuotas (``ValidateLimitRange``, ``ValidateResourceQuota`` and its update).

Resource names are qualified names, and a bare one must be a standard resource (a quota's: one a quota can
count); quantities are non-negative, integers where the resource counts objects.  A LimitRange item keeps
``min <= defaultRequest <= default <= max`` per resource, and its ratio at least 1 and at most max/min.
A quota's scopes are known, apply to its resources and do not contradict each other, and never change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fakekube import errors
from fakekube.cel.kubernetes_types import Quantity
from fakekube.errors import FieldError
from fakekube.go_text import GoShown, go_quote, go_slice_of, go_struct
from fakekube.kinds.validation.common import canonical_quantity, mapping, quantity
from fakekube.kinds.validation.pod_resources import (
    container_resource_name,
    overcommit_allowed,
    quantity_value,
    resource_name,
)
from fakekube.name_formats import qualified_name_errors

STANDARD_RESOURCES = frozenset({
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
    "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
    "services.nodeports", "services.loadbalancers",
})
QUOTA_RESOURCES = STANDARD_RESOURCES - {"storage"}
CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
LIMIT_TYPES = frozenset({"Pod", "Container", "PersistentVolumeClaim"})
SCOPES = frozenset({"Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
                    "CrossNamespacePodAffinity", "VolumeAttributesClass"})
POD_COMPUTE = frozenset({"cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"})
CLAIM_RESOURCES = frozenset({"persistentvolumeclaims", "requests.storage"})
CONFLICTING = (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating"))


def _hugepages(name: str) -> bool:
    return name.startswith(("hugepages-", "requests.hugepages-", "limits.hugepages-"))


def quota_resource_name(name: str, path: str) -> list[FieldError]:
    """``ValidateResourceQuotaResourceName``."""
    out = resource_name(name, path)
    if "/" not in name and name not in QUOTA_RESOURCES and not _hugepages(name):
        out.append(errors.invalid(path, name, errors.STANDARD_FOR_QUOTA))
    return out


def _go_quantity(text: str, found: Quantity) -> GoShown:
    """A ``resource.Quantity`` that fits an int64 amount (LimitRange shows quantities so): its ``%#v``, and
    the canonical text its ``MarshalJSON`` writes."""
    amount = found.value.normalize()
    exponent = amount.as_tuple().exponent
    scale = int(exponent) if isinstance(exponent, int) else 0
    binary = text.rstrip("0123456789").endswith("i")
    if binary or scale > 0:
        value, scale = int(amount), 0
    else:
        value = int(amount.scaleb(-scale))
    form = "BinarySI" if binary else "DecimalExponent" if "e" in text.lower() else "DecimalSI"
    return GoShown(f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
                   f"d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:{go_quote(text)}, "
                   f"Format:\"{form}\"}}", canonical_quantity(text))


def _limit_type(kind: str, path: str) -> list[FieldError]:
    found = [errors.invalid(path, kind, msg) for msg in qualified_name_errors(kind)]
    if found:
        return found
    if "/" not in kind and kind not in LIMIT_TYPES:
        return [errors.invalid(path, kind, errors.STANDARD_LIMIT_TYPE)]
    return []


def validate_limit_range(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateLimitRange``."""
    out: list[FieldError] = []
    seen: set[Any] = set()
    for index, item in enumerate(mapping(obj.get("spec")).get("limits") or []):
        item = mapping(item)
        path, kind = f"spec.limits[{index}]", item.get("type") or ""
        out.extend(_limit_type(kind, f"{path}.type"))
        if kind in seen:
            out.append(FieldError("FieldValueDuplicate", f"{path}.type", kind))
        seen.add(kind)
        check = container_resource_name if kind in ("Pod", "Container") else resource_name
        values: dict[str, dict[str, Any]] = {}
        fields = ["max", "min"] + (["default", "defaultRequest"] if kind != "Pod" else [])
        for field in fields:
            for name, value in mapping(item.get(field)).items():
                out.extend(check(name, f"{path}.{field}[{name}]"))
                values.setdefault(field, {})[name] = value
        if kind == "Pod":
            out.extend(errors.forbidden(f"{path}.{field}", errors.NOT_FOR_POD_LIMIT)
                       for field in ("default", "defaultRequest") if mapping(item.get(field)))
        if kind == "PersistentVolumeClaim" and "storage" not in mapping(item.get("min")) \
                and "storage" not in mapping(item.get("max")):
            out.append(errors.required(f"{path}.limits", errors.CLAIM_LIMIT_REQUIRED))
        for name, value in mapping(item.get("maxLimitRequestRatio")).items():
            out.extend(check(name, f"{path}.maxLimitRequestRatio[{name}]"))
            values.setdefault("maxLimitRequestRatio", {})[name] = value
        keys = {name for per_field in values.values() for name in per_field}
        for name in sorted(keys):
            out.extend(_ordering(path, name, {f: v[name] for f, v in values.items() if name in v}))
    return out


def _ordering(path: str, name: str, found: dict[str, Any]) -> list[FieldError]:
    """min <= defaultRequest <= default <= max, and the ratio's bounds, for one resource of one item."""
    parsed = {f: quantity(v) for f, v in found.items()}
    texts = {f: str(v) for f, v in found.items()}
    out: list[FieldError] = []

    def bad(field: str, shown_field: str, detail: str) -> None:
        q = parsed[shown_field]
        if q is not None:
            out.append(errors.invalid_shown(f"{path}.{field}[{name}]", _go_quantity(texts[shown_field], q), detail))

    def greater(a: str, b: str) -> bool:
        qa, qb = parsed.get(a), parsed.get(b)
        return qa is not None and qb is not None and qa.value > qb.value

    if greater("min", "max"):
        bad("min", "min", errors.min_greater("max", texts["min"], texts["max"]))
    if greater("min", "defaultRequest"):
        bad("defaultRequest", "defaultRequest",
            errors.min_greater("default request", texts["min"], texts["defaultRequest"]))
    if greater("defaultRequest", "max"):
        bad("defaultRequest", "defaultRequest",
            errors.value_greater("default request", texts["defaultRequest"], "max", texts["max"]))
    if greater("defaultRequest", "default"):
        bad("defaultRequest", "defaultRequest",
            errors.value_greater("default request", texts["defaultRequest"], "default limit", texts["default"]))
    if greater("min", "default"):
        bad("default", "min", errors.min_greater("default", texts["min"], texts["default"]))
    if greater("default", "max"):
        bad("default", "max", errors.value_greater("default", texts["default"], "max", texts["max"]))
    ratio = parsed.get("maxLimitRequestRatio")
    if ratio is not None and ratio.value < 1:
        bad("maxLimitRequestRatio", "maxLimitRequestRatio", errors.ratio_below_one(texts["maxLimitRequestRatio"]))
    if not overcommit_allowed(name) and "default" in parsed and "defaultRequest" in parsed \
            and parsed["default"] is not None and parsed["defaultRequest"] is not None \
            and parsed["default"].value != parsed["defaultRequest"].value:
        bad("defaultRequest", "defaultRequest",
            errors.default_not_request(texts["default"], texts["defaultRequest"], name))
    low, high = parsed.get("min"), parsed.get("max")
    if ratio is not None and low is not None and high is not None and low.value > 0:
        limit = high.value / low.value
        if ratio.value > limit:
            bad("maxLimitRequestRatio", "maxLimitRequestRatio",
                errors.ratio_above_max_min(texts["maxLimitRequestRatio"], _go_float6(limit)))
    return out


def _go_float6(value: Decimal) -> str:
    """Go's ``%f``: six decimals."""
    return f"{float(value):.6f}"


def _scopes(spec: dict[str, Any]) -> list[FieldError]:
    """``validateResourceQuotaScopes``."""
    scopes = spec.get("scopes") if isinstance(spec.get("scopes"), list) else []
    if not scopes:
        return []
    out: list[FieldError] = []
    shown = errors.go_typed_slice("core.ResourceQuotaScope", scopes)
    hard = sorted(mapping(spec.get("hard")))
    for scope in scopes:
        if scope not in SCOPES:
            out.append(errors.invalid_shown("spec.scopes", shown, errors.UNSUPPORTED_SCOPE))
        for name in hard:
            if (name in QUOTA_RESOURCES or _hugepages(name)) and not _scope_applies(scope, name):
                out.append(errors.invalid_shown("spec.scopes", shown, errors.SCOPE_NOT_FOR_RESOURCE))
    out.extend(errors.invalid_shown("spec.scopes", shown, errors.CONFLICTING_SCOPES)
               for pair in CONFLICTING if set(pair) <= set(scopes))
    return out


def _scope_applies(scope: str, name: str) -> bool:
    """``IsResourceQuotaScopeValidForResource``."""
    if scope == "BestEffort":
        return name == "pods"
    if scope == "VolumeAttributesClass":
        return name in CLAIM_RESOURCES
    if scope in ("Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"):
        return name == "pods" or name in POD_COMPUTE
    return True  # an unknown scope is reported once, as unsupported


def _scope_selector(spec: dict[str, Any]) -> list[FieldError]:
    """``validateScopedResourceSelectorRequirement`` (operator and values of each expression)."""
    selector = spec.get("scopeSelector")
    if not isinstance(selector, dict):
        return []
    out: list[FieldError] = []
    path = "spec.scopeSelector.matchExpressions"
    hard = sorted(mapping(spec.get("hard")))
    seen: set[Any] = set()
    for req in selector.get("matchExpressions") or []:
        req = mapping(req)
        scope, operator, values = req.get("scopeName"), req.get("operator"), req.get("values") or []
        if scope not in SCOPES:
            out.append(errors.invalid(f"{path}.scopeName", scope, errors.UNSUPPORTED_SCOPE))
        for name in hard:
            if (name in QUOTA_RESOURCES or _hugepages(name)) and not _scope_applies(str(scope), name):
                out.append(errors.invalid_shown(path, _go_scope_selector(selector),
                                                errors.SCOPE_NOT_FOR_RESOURCE))
        if scope in ("BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity") \
                and operator != "Exists":
            out.append(errors.invalid(f"{path}.operator", operator, errors.SCOPE_NEEDS_EXISTS))
        if operator in ("In", "NotIn"):
            if not values:
                out.append(errors.required(f"{path}.values", errors.SCOPE_VALUES_REQUIRED))
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                out.append(errors.invalid_shown(f"{path}.values", errors.go_string_slice(values),
                                                errors.SCOPE_VALUES_FORBIDDEN))
        else:
            out.append(errors.invalid(f"{path}.operator", operator, errors.SELECTOR_OPERATOR_INVALID))
        seen.add(scope)
    scopes = spec.get("scopes") if isinstance(spec.get("scopes"), list) else []
    shown = errors.go_typed_slice("core.ResourceQuotaScope", scopes or None)
    out.extend(errors.invalid_shown(path, shown, errors.CONFLICTING_SCOPES)
               for pair in CONFLICTING if set(pair) <= seen)
    return out


def _go_scope_selector(selector: dict[str, Any]) -> GoShown:
    """The internal ``core.ScopeSelector`` upstream shows (field errors print a pointer's target)."""
    items = []
    for req in selector.get("matchExpressions") or []:
        req = mapping(req)
        items.append(go_struct("core.ScopedResourceSelectorRequirement", [
            ("ScopeName", str(req.get("scopeName") or "")), ("Operator", str(req.get("operator") or "")),
            ("Values", errors.go_string_slice(req.get("values") or None))]))
    return go_struct("core.ScopeSelector", [("MatchExpressions", go_slice_of("core.ScopedResourceSelectorRequirement",
                                                                           items))])


def validate_resource_quota(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateResourceQuota`` (its status on create) or ``ValidateResourceQuotaUpdate`` (scopes fixed)."""
    spec = mapping(obj.get("spec"))
    out: list[FieldError] = []
    for name, value in mapping(spec.get("hard")).items():
        out.extend(quota_resource_name(name, f"spec.hard[{name}]"))
        out.extend(quantity_value(name, value, f"spec.hard[{name}]"))
    out.extend(_scopes(spec))
    out.extend(_scope_selector(spec))
    if old is None:
        status = mapping(obj.get("status"))
        for field in ("hard", "used"):
            for name, value in mapping(status.get(field)).items():
                out.extend(quota_resource_name(name, f"status.{field}[{name}]"))
                out.extend(quantity_value(name, value, f"status.{field}[{name}]"))
        return out
    new_scopes = set(spec.get("scopes") or [])
    if new_scopes != set(mapping(old.get("spec")).get("scopes") or []):
        scopes = spec.get("scopes") or []
        shown = errors.go_typed_slice("core.ResourceQuotaScope", scopes or None)
        out.append(errors.invalid_shown("spec.scopes", shown, errors.FIELD_IMMUTABLE))
    return out
