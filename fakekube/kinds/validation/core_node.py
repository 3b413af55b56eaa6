"""A Node's rules (``ValidateNode``, ``ValidateNodeUpdate``): its taints, pod CIDRs and provider ID.

Upstream reports a node's taints under ``metadata.taints``, not ``spec.taints``: the path is built from the
metadata path, and kube-apiserver answers with it, so fakekube does too.  The status fields are left alone,
as upstream leaves them (all optional, updated by the kubelet).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import label_name
from fakekube.kinds.validation.networking import sloppy_cidr
from fakekube.name_formats import label_value_errors
from fakekube.versions import served_minor

_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


def _taints(taints: list[Any]) -> list[FieldError]:
    """``validateNodeTaints``: each key a label name, each value a label value, a known effect, and no two
    taints with the same key and effect."""
    out: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for index, taint in enumerate(taints):
        if not isinstance(taint, dict):
            continue
        path = f"metadata.taints[{index}]"
        key, value, effect = str(taint.get("key", "")), str(taint.get("value", "")), str(taint.get("effect", ""))
        out.extend(label_name(key, f"{path}.key"))
        if label_value_errors(value):
            out.append(errors.invalid(f"{path}.value", value, ";".join(label_value_errors(value))))
        if not effect:
            out.append(errors.required(f"{path}.effect"))
        elif effect not in _EFFECTS:
            out.append(errors.not_supported(f"{path}.effect", effect, _EFFECTS))
        if (key, effect) in seen:
            out.append(FieldError("FieldValueDuplicate", path, errors.node_taint(key, value, effect),
                                  errors.NODE_TAINT_DUPLICATE))
            continue
        seen.add((key, effect))
    return out


def _legacy_cidr(value: str, path: str) -> list[FieldError]:
    """``IsValidCIDRForLegacyField``: an unparsable CIDR is refused; from v1.36 (StrictIPCIDRValidation on by
    default) also leading zeros, an IPv4-mapped IPv6 address and bits set beyond the prefix."""
    network = sloppy_cidr(value)
    if network is None:
        return [errors.cidr_invalid(path, value)]
    if served_minor() < 36:
        return []
    address, _, _ = value.partition("/")
    try:
        exact = ipaddress.ip_network(value, strict=False)
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return [errors.invalid(path, value, errors.CIDR_LEADING_ZEROS)]
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return [errors.invalid(path, value, errors.CIDR_IPV4_MAPPED)]
    if parsed != exact.network_address:
        return [errors.invalid(path, value, errors.CIDR_BITS_BEYOND_PREFIX)]
    return []


def _pod_cidrs(cidrs: list[Any]) -> list[FieldError]:
    """Every pod CIDR valid, and more than one only as a dual-stack pair."""
    out: list[FieldError] = []
    for index, cidr in enumerate(cidrs):
        out.extend(_legacy_cidr(str(cidr), f"spec.podCIDRs[{index}]"))
    if len(cidrs) > 1:
        networks = [sloppy_cidr(str(c)) for c in cidrs]
        if any(n is None for n in networks):
            return out  # upstream's dual-stack check fails with an internal error here; the parse errors say why
        families = {n.version for n in networks if n is not None}
        if len(cidrs) > 2 or len(families) != 2:
            out.append(errors.invalid_shown("spec.podCIDRs", errors.go_typed_slice("string", cidrs),
                                            errors.NODE_CIDR_PER_FAMILY))
    return out


def validate_node(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """The node strategy's ``Validate`` (``ValidateNode``), and on update also ``ValidateNodeUpdate`` (which
    checks the taints a second time, as upstream does)."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    out: list[FieldError] = []
    taints = spec.get("taints")
    if isinstance(taints, list) and taints:
        out.extend(_taints(taints))
    cidrs = spec.get("podCIDRs")
    if isinstance(cidrs, list) and cidrs:
        out.extend(_pod_cidrs(cidrs))
    if old is not None:
        out.extend(validate_node_update(obj, old))
    return out


def validate_node_update(obj: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateNodeUpdate`` (alone on ``nodes/status``): pod CIDRs set once, the provider ID kept once set,
    and the taints."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    old_spec = old.get("spec") if isinstance(old.get("spec"), dict) else {}
    assert isinstance(spec, dict) and isinstance(old_spec, dict)
    out: list[FieldError] = []
    old_cidrs, cidrs = old_spec.get("podCIDRs") or [], spec.get("podCIDRs") or []
    if old_cidrs:
        if len(old_cidrs) != len(cidrs):
            out.append(errors.forbidden("spec.podCIDRs", errors.NODE_POD_CIDR_CHANGE))
        else:
            out.extend(errors.forbidden("spec.podCIDRs", errors.NODE_POD_CIDR_CHANGE)
                       for was, now in zip(old_cidrs, cidrs, strict=True) if was != now)
    old_id, new_id = old_spec.get("providerID") or "", spec.get("providerID") or ""
    if old_id and new_id and old_id != new_id:
        out.append(errors.invalid("spec.providerID", None, errors.NODE_PROVIDER_ID_MODIFIED))
    if old_id and not new_id:
        out.append(errors.invalid("spec.providerID", None, errors.NODE_PROVIDER_ID_CLEARED))
    taints = spec.get("taints")
    if isinstance(taints, list) and taints:
        out.extend(_taints(taints))
    return out
