"""HorizontalPodAutoscaler conditions and scaling behavior in the form their round-trip annotations
carry them: v1 conditions, and the internal ``HPAScalingRules`` as ``json.Marshal`` writes it (Go
field names).
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube.conversion.common import JSONDict, _dict
from fakekube.conversion.decoding import (
    _DecodeError,
    _lookup,
    _read_int32,
    _read_list,
    _read_optional_int32,
    _read_optional_str,
    _read_quantity,
    _read_str,
    _read_time,
)

# -- v2 (internal) -> the annotations


def _condition(condition: Any) -> JSONDict:
    condition = _dict(condition)
    out: JSONDict = {
        "type": condition.get("type") or "",
        "status": condition.get("status") or "",
        "lastTransitionTime": condition.get("lastTransitionTime"),
    }
    if condition.get("reason"):
        out["reason"] = condition["reason"]
    if condition.get("message"):
        out["message"] = condition["message"]
    return out


def _scaling_rules_to_internal(rules: Any) -> JSONDict | None:
    """The internal HPAScalingRules as ``json.Marshal`` writes it: Go field names, nil as null."""
    if not isinstance(rules, dict):
        return None
    policies = rules.get("policies")
    return {
        "StabilizationWindowSeconds": rules.get("stabilizationWindowSeconds"),
        "SelectPolicy": rules.get("selectPolicy"),
        "Policies": None
        if not isinstance(policies, list)
        else [
            {
                "Type": _dict(policy).get("type") or "",
                "Value": _dict(policy).get("value") or 0,
                "PeriodSeconds": _dict(policy).get("periodSeconds") or 0,
            }
            for policy in policies
        ],
        "Tolerance": rules.get("tolerance"),
    }


def _behavior_to_internal(behavior: JSONDict) -> JSONDict:
    return {
        "ScaleUp": _scaling_rules_to_internal(behavior.get("scaleUp")),
        "ScaleDown": _scaling_rules_to_internal(behavior.get("scaleDown")),
    }


# -- the annotations -> v2 (internal)


def _v1_condition_to_v2(condition: JSONDict) -> JSONDict:
    out: JSONDict = {
        "type": _read_str(condition, "type"),
        "status": _read_str(condition, "status"),
        "lastTransitionTime": _read_time(condition, "lastTransitionTime"),
    }
    reason = _read_str(condition, "reason")
    if reason:
        out["reason"] = reason
    message = _read_str(condition, "message")
    if message:
        out["message"] = message
    return out


def _scaling_rules_from_internal(rules: Any) -> JSONDict | None:
    if rules is None:
        return None
    if not isinstance(rules, dict):
        raise _DecodeError("HPAScalingRules")
    out: JSONDict = {}
    window = _read_optional_int32(rules, "StabilizationWindowSeconds")
    if window is not None:
        out["stabilizationWindowSeconds"] = window
    select = _read_optional_str(rules, "SelectPolicy")
    if select is not None:
        out["selectPolicy"] = select
    policies = _read_list(rules, "Policies")
    if policies:
        decoded: list[JSONDict] = []
        for policy in policies:
            if policy is None:
                policy = {}
            if not isinstance(policy, dict):
                raise _DecodeError("HPAScalingPolicy")
            decoded.append(
                {
                    "type": _read_str(policy, "Type"),
                    "value": _read_int32(policy, "Value"),
                    "periodSeconds": _read_int32(policy, "PeriodSeconds"),
                }
            )
        out["policies"] = decoded
    tolerance = _read_quantity(rules, "Tolerance")
    if tolerance is not None:
        out["tolerance"] = tolerance
    return out


def _behavior_from_internal(raw: Any) -> JSONDict | None:
    """The v2 behavior in the behavior annotation; ``None`` if it does not decode or is empty."""
    if not isinstance(raw, str):
        return None
    try:
        data = orjson.loads(raw)
        if data is None:
            return None
        if not isinstance(data, dict):
            return None
        scale_up = _scaling_rules_from_internal(_lookup(data, "ScaleUp"))
        scale_down = _scaling_rules_from_internal(_lookup(data, "ScaleDown"))
    except (orjson.JSONDecodeError, _DecodeError):
        return None
    if scale_up is None and scale_down is None:
        return None
    out: JSONDict = {}
    if scale_up is not None:
        out["scaleUp"] = scale_up
    if scale_down is not None:
        out["scaleDown"] = scale_down
    return out
