"""CRD-time checks of ``x-kubernetes-validations``: every rule compiles, its estimated cost fits the
per-rule and per-CRD budgets, and ``messageExpression``, ``fieldPath`` and ``reason`` are well formed
(apiextensions' ``validateOpenAPISchemaValidations`` and ``cel.Compile``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fakekube import errors
from fakekube.cel.compiler import CompileError, compile_expression, estimated_cost
from fakekube.cel.cost import (
    STATIC_ESTIMATED_COST_LIMIT,
    STATIC_ESTIMATED_CRD_COST_LIMIT,
    schema_shape,
)
from fakekube.cel.result_types import result_type
from fakekube.errors import FieldError
from fakekube.go_text import GoShown, go_pointer, go_struct


@dataclass
class _Totals:
    costs: list[tuple[str, float]] = field(default_factory=list)


def go_validation_rule(rule: Mapping[str, Any]) -> GoShown:
    """The internal ``apiextensions.ValidationRule`` (its ``%#v`` shows pointers as addresses)."""
    reason, optional = rule.get("reason"), rule.get("optionalOldSelf")
    return go_struct("apiextensions.ValidationRule", [
        ("Rule", str(rule.get("rule", ""))), ("Message", str(rule.get("message") or "")),
        ("MessageExpression", str(rule.get("messageExpression") or "")),
        ("Reason", go_pointer("apiextensions.FieldValueErrorReason", reason, "0xc000a1b2c0")),
        ("FieldPath", str(rule.get("fieldPath") or "")),
        ("OptionalOldSelf", go_pointer("bool", optional, "0xc000a1b2c8"))])


def _node_errors(schema: Mapping[str, Any], path: str, cardinality: int, totals: _Totals,
                 uncorrelatable: str | None) -> list[FieldError]:
    """``uncorrelatable``: the path of the highest list or atomic map above this node whose old and new
    items cannot be paired, where a rule may not read ``oldSelf``."""
    out: list[FieldError] = []
    for index, rule in enumerate(schema.get("x-kubernetes-validations") or []):
        if not isinstance(rule, Mapping):
            continue
        where = f"{path}.x-kubernetes-validations[{index}]"
        text = str(rule.get("rule") or "")
        program = None
        if not text.strip():
            out.append(errors.cel_rule_not_specified(f"{where}.rule"))
        else:
            try:
                program = compile_expression(text, schema)
            except CompileError as exc:
                out.append(errors.cel_compilation_failed(f"{where}.rule", go_validation_rule(rule), str(exc)))
            else:
                if result_type(program.ast, schema) not in (None, "bool"):
                    out.append(errors.cel_rule_invalid(f"{where}.rule", go_validation_rule(rule),
                                                       errors.CEL_RULE_NOT_BOOL))
                    continue
                cost = estimated_cost(program, schema) * cardinality
                if cost > STATIC_ESTIMATED_COST_LIMIT:
                    out.append(errors.crd_cost_exceeded(f"{where}.rule", errors.CEL_RULE_COST, int(cost),
                                                        STATIC_ESTIMATED_COST_LIMIT))
                totals.costs.append((f"{where}.rule", cost))
        message_expression = rule.get("messageExpression")
        if isinstance(message_expression, str) and message_expression.strip():
            try:
                message = compile_expression(message_expression, schema)
            except CompileError as exc:
                out.append(errors.cel_message_compilation_failed(f"{where}.messageExpression",
                                                                 go_validation_rule(rule), str(exc)))
            else:
                if result_type(message.ast, schema) not in (None, "string"):
                    out.append(errors.cel_rule_invalid(f"{where}.messageExpression", go_validation_rule(rule),
                                                       errors.CEL_MESSAGE_NOT_STRING))
                else:
                    cost = estimated_cost(message, schema) * cardinality
                    if cost > STATIC_ESTIMATED_COST_LIMIT:
                        out.append(errors.crd_cost_exceeded(f"{where}.messageExpression",
                                                            errors.CEL_MESSAGE_EXPRESSION_COST, int(cost),
                                                            STATIC_ESTIMATED_COST_LIMIT))
                    totals.costs.append((f"{where}.messageExpression", cost))
        if program is not None and program.uses_old_self:
            if uncorrelatable is not None:
                out.append(errors.cel_old_self_uncorrelatable(f"{where}.rule", text, uncorrelatable))
        elif program is not None and rule.get("optionalOldSelf") is not None:
            out.append(errors.cel_optional_old_self_unused(f"{where}.optionalOldSelf", rule["optionalOldSelf"]))
    return out


def _walk(schema: Mapping[str, Any], path: str, cardinality: int, totals: _Totals,
          uncorrelatable: str | None = None) -> list[FieldError]:
    out = _node_errors(schema, path, cardinality, totals, uncorrelatable)
    # an atomic map's properties, and the items of any list but a list-map, have no old value to pair with
    below_map = uncorrelatable or (path if schema.get("x-kubernetes-map-type") == "atomic" else None)
    for name, sub in (schema.get("properties") or {}).items():
        if isinstance(sub, Mapping):
            out.extend(_walk(sub, f"{path}.properties[{name}]", cardinality, totals, below_map))
    items = schema.get("items")
    if isinstance(items, Mapping):
        size = schema_shape(schema).size
        below_list = uncorrelatable or (path if schema.get("x-kubernetes-list-type") != "map" else None)
        out.extend(_walk(items, f"{path}.items", cardinality * max(size, 1), totals, below_list))
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        size = schema_shape(schema).size
        out.extend(_walk(extra, f"{path}.additionalProperties", cardinality * max(size, 1), totals, uncorrelatable))
    return out


def rule_errors(openapi_v3_schema: Mapping[str, Any], path: str) -> list[FieldError]:
    """The field errors of the CEL rules in ``openapi_v3_schema``, whose own path is ``path``
    (``spec.versions[0].schema.openAPIV3Schema``)."""
    totals = _Totals()
    out = _walk(openapi_v3_schema, path, 1, totals)
    total = sum(cost for _, cost in totals.costs)
    if total > STATIC_ESTIMATED_CRD_COST_LIMIT:
        # upstream names the most expensive expressions that together exceed the limit
        running = 0.0
        for where, cost in sorted(totals.costs, key=lambda c: -c[1]):
            out.append(errors.forbidden(where, errors.CEL_TOTAL_COST_CONTRIBUTION))
            running += cost
            if running > STATIC_ESTIMATED_CRD_COST_LIMIT:
                break
        out.append(errors.crd_cost_exceeded(path, errors.CEL_SCHEMA_COST, int(total), STATIC_ESTIMATED_CRD_COST_LIMIT))
    return out
