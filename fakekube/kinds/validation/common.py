"""Validation rules several kinds share (``apimachinery``'s and ``pkg/apis/core/validation``'s helpers):
names and labels, label selectors (checked, converted, matched), quantities (parsed and shown in kube's
canonical form), ports, non-negative numbers and int-or-percent values.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_CEILING as _ROUND_CEILING
from decimal import Decimal as _Decimal
from typing import Any

from fakekube import errors
from fakekube.cel.kubernetes_types import Quantity, parse_quantity
from fakekube.errors import FieldError
from fakekube.errors import workload_validation as _wl
from fakekube.name_formats import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    port_name_errors,
    qualified_name_errors,
)


def label_map_errors(labels: Any, path: str) -> list[FieldError]:
    """``ValidateLabels`` of a map that is not metadata (a Service's selector, an endpoint's topology): each key
    a qualified name, each value a label value, every error on the map's own path (keys in sorted order, as
    Go's map order is not fixed)."""
    if not isinstance(labels, dict):
        return []
    out: list[FieldError] = []
    for key in sorted(labels):
        out.extend(errors.invalid(path, key, msg) for msg in qualified_name_errors(str(key)))
        value = labels[key]
        if isinstance(value, str):
            out.extend(errors.invalid(path, value, msg) for msg in label_value_errors(value))
    return out


def dns1123_label(value: str, path: str) -> list[FieldError]:
    """``ValidateDNS1123Label``: one error per broken rule, on ``path``."""
    return [errors.invalid(path, value, msg) for msg in dns1123_label_errors(value)]


def dns1123_subdomain(value: str, path: str) -> list[FieldError]:
    """``ValidateDNS1123Subdomain``."""
    return [errors.invalid(path, value, msg) for msg in dns1123_subdomain_errors(value)]


def qualified_name(value: str, path: str) -> list[FieldError]:
    """``ValidateQualifiedName``."""
    return [errors.invalid(path, value, msg) for msg in qualified_name_errors(value)]


PORT_RANGE_MSG = errors.PORT_RANGE


def port_number_errors(value: Any) -> list[str]:
    """``validation.IsValidPortNum``."""
    return [] if isinstance(value, int) and 1 <= value <= 65535 else [PORT_RANGE_MSG]


def quantity(value: Any) -> Quantity | None:
    """A ``resource.Quantity`` from its serialized form (the schema decoder already refused bad ones)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    return parse_quantity(value.strip()) if isinstance(value, str) else None


def nonnegative_quantity(value: Any, path: str) -> list[FieldError]:
    """``ValidateNonnegativeQuantity``: the quantity's text shown, ``must be greater than or equal to 0``."""
    found = quantity(value)
    if found is not None and found.value < 0:
        return [errors.invalid(path, str(value), errors.NOT_NEGATIVE)]
    return []


def positive_quantity(value: Any, path: str) -> list[FieldError]:
    """``ValidatePositiveQuantityValue``: ``must be greater than zero``."""
    found = quantity(value)
    if found is not None and found.value <= 0:
        return [errors.invalid(path, str(value), errors.NOT_POSITIVE)]
    return []


NEGATIVE_MSG = errors.NOT_NEGATIVE
_BINARY_SUFFIXES = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_DECIMAL_SUFFIXES = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}
_NANO = _Decimal("1e-9")


def label_name(value: Any, path: str) -> list[FieldError]:
    """``ValidateLabelName``: a label key (a qualified name), one error per broken rule, on ``path``."""
    text = value if isinstance(value, str) else ""
    return [errors.invalid(path, text, msg) for msg in qualified_name_errors(text)]


def label_selector_requirement(req: Any, path: str, *, allow_invalid_values: bool = False) -> list[FieldError]:
    """``ValidateLabelSelectorRequirement``: the operator's rule on ``values``, the key, then each value."""
    if not isinstance(req, dict):
        return []
    out: list[FieldError] = []
    operator, values = req.get("operator", ""), req.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            out.append(errors.required(f"{path}.values", errors.SELECTOR_VALUES_REQUIRED))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            out.append(errors.forbidden(f"{path}.values", errors.SELECTOR_VALUES_FORBIDDEN))
    else:
        out.append(errors.invalid(f"{path}.operator", operator, errors.SELECTOR_OPERATOR_INVALID))
    out.extend(label_name(req.get("key", ""), f"{path}.key"))
    if not allow_invalid_values:
        for i, value in enumerate(values):
            if isinstance(value, str):
                out.extend(errors.invalid(f"{path}.values[{i}]", value, msg) for msg in label_value_errors(value))
    return out


def label_selector(selector: Any, path: str, *, allow_invalid_values: bool = False) -> list[FieldError]:
    """``metav1validation.ValidateLabelSelector``: ``matchLabels`` as labels (on ``<path>.matchLabels``), then
    each of ``matchExpressions``.  A missing selector is valid (callers that require one say so)."""
    if not isinstance(selector, dict):
        return []
    out = label_map_errors(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(selector.get("matchExpressions") or []):
        out.extend(label_selector_requirement(req, f"{path}.matchExpressions[{i}]",
                                              allow_invalid_values=allow_invalid_values))
    return out


def nonnegative_field(value: Any, path: str) -> list[FieldError]:
    """``ValidateNonnegativeField``: an integer below 0 is ``must be greater than or equal to 0``."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [errors.invalid(path, value, NEGATIVE_MSG)]
    return []


def canonical_quantity(value: Any) -> str | None:
    """``Quantity.String()``: the canonical text kube shows for a quantity (``0.5`` is ``500m``, ``1024Mi`` is
    ``1Gi``, ``1000`` is ``1k``), in the format its suffix chose (binary, decimal or exponent); None when it
    does not parse."""
    found = quantity(value)
    if found is None:
        return None
    text = str(value).strip()
    try:
        return _canonical(found.value, text)
    except decimal.InvalidOperation:  # beyond what decimal arithmetic holds (1e1000): shown as written
        return text


def _canonical(value: _Decimal, text: str) -> str:
    suffix = text.lstrip("+-0123456789.")
    amount = value
    if amount == 0:
        return "0"
    if amount % _NANO:  # finer than a nano-unit: rounded up, as ParseQuantity does
        amount = amount.quantize(_NANO, rounding=_ROUND_CEILING)
    if suffix in _BINARY_SUFFIXES[1:] and abs(amount) >= 1024 and amount == amount.to_integral_value():
        number, power = int(amount), 0
        while number % 1024 == 0 and power < len(_BINARY_SUFFIXES) - 1:
            number //= 1024
            power += 1
        return f"{number}{_BINARY_SUFFIXES[power]}"
    sign, digits, exponent = amount.normalize().as_tuple()
    mantissa = int("".join(map(str, digits))) * (-1 if sign else 1)
    assert isinstance(exponent, int)
    shift = exponent % 3
    mantissa, exponent = mantissa * 10**shift, exponent - shift
    if suffix[:1] in ("e", "E"):
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    if exponent in _DECIMAL_SUFFIXES:
        return f"{mantissa}{_DECIMAL_SUFFIXES[exponent]}"
    return f"{mantissa}e{exponent}"


_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def selector_converts(selector: Any) -> bool:
    """Whether ``metav1.LabelSelectorAsSelector`` accepts the selector (keys, values and operators all valid);
    a missing selector converts (to the selector that matches nothing)."""
    if not isinstance(selector, dict):
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if qualified_name_errors(str(key)) or label_value_errors(str(value)):
            return False
    for expr in selector.get("matchExpressions") or []:
        if not isinstance(expr, dict):
            return False
        operator, values = expr.get("operator", ""), expr.get("values") or []
        if operator not in _SELECTOR_OPERATORS or qualified_name_errors(str(expr.get("key", ""))):
            return False
        if (operator in ("In", "NotIn")) != bool(values):
            return False
        if any(label_value_errors(str(v)) for v in values):
            return False
    return True


def selector_matches(selector: Any, labels: Any) -> bool:
    """``labels.Selector.Matches``: a missing selector matches nothing, an empty one everything."""
    if not isinstance(selector, dict):
        return False
    found = labels if isinstance(labels, dict) else {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if found.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in found
        if operator == "In" and not (present and found[key] in values):
            return False
        if operator == "NotIn" and present and found[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def selector_is_empty(selector: Any) -> bool:
    """``labels.Selector.Empty`` of a converted selector: true for ``{}``, false for a missing one (Nothing)."""
    return isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions")


_PERCENT_RE = re.compile(r"[0-9]+%")


def percent_value(value: Any) -> int | None:
    """The number of a valid percent string (``25%`` -> 25), else None (``getPercentValue``)."""
    if isinstance(value, str) and _PERCENT_RE.fullmatch(value):
        return int(value[:-1])
    return None


def int_or_percent_value(value: Any) -> int:
    """``getIntOrPercentValue``: a percent's number, an int's value, 0 for any other string."""
    found = percent_value(value)
    if found is not None:
        return found
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def positive_int_or_percent(value: Any, path: str) -> list[FieldError]:
    """``ValidatePositiveIntOrPercent``: a percent string, or an int that is not negative."""
    if isinstance(value, str):
        if percent_value(value) is None:
            return [_wl.invalid_shown(path, _wl.go_int_or_string(value), _wl.PERCENT)]
        return []
    return nonnegative_field(value, path)


def not_more_than_100_percent(value: Any, path: str) -> list[FieldError]:
    """``IsNotMoreThan100Percent``."""
    found = percent_value(value)
    if found is not None and found > 100:
        return [_wl.invalid_shown(path, _wl.go_int_or_string(value), _wl.NOT_OVER_100)]
    return []


def port_num_or_name(value: Any, path: str) -> list[FieldError]:
    """``ValidatePortNumOrName``: a port number in range, or an IANA port name."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [errors.invalid(path, value, msg) for msg in port_number_errors(value)]
    if isinstance(value, str):
        return [errors.invalid(path, value, msg) for msg in port_name_errors(value)]
    return []


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else an empty one (the workload rules read optional sub-objects)."""
    return value if isinstance(value, dict) else {}
