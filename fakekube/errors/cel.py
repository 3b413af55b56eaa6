"""CEL rules of custom resources (``fakekube.cel``), worded as apiextensions' CEL validator and
cel-go word them."""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import FieldError, forbidden, invalid, required
from fakekube.go_text import GoShown


def cel_rules_not_checked() -> FieldError:
    """The CEL rules were skipped because of blocking schema errors (``field.Invalid(nil, nil, ...)``: a nil
    path reads ``<nil>``, a nil value ``null``, ``"null"`` up to v1.33)."""
    return FieldError("FieldValueInvalid", "<nil>", None, "some validation rules were not checked because the "
                      "object was invalid; correct the existing errors to complete validation")


def cel_rule_failed(path: str, shown: Any, detail: str, reason: str | None) -> FieldError:
    """``fieldErrorForReason``: a rule that evaluated to false.  ``shown`` is the value the error shows: the
    node's schema type up to v1.34; from v1.35 the value itself, or ``NO_VALUE`` for an object or array."""
    if reason == "FieldValueForbidden":
        return forbidden(path, detail)
    if reason == "FieldValueRequired":
        return required(path, detail)
    if reason == "FieldValueDuplicate":
        return FieldError("FieldValueDuplicate", path, shown)
    return invalid(path, shown, detail)


def cel_evaluation_error(path: str, schema_type: str, error: str, rule: str) -> FieldError:
    """A rule whose evaluation failed (no such key, index out of bounds, overflow, no such overload)."""
    if error.startswith("no such overload"):
        return invalid(path, schema_type, f"'{error}': call arguments did not match a supported operator, function "
                       f"or macro signature for rule: {rule}")
    return invalid(path, schema_type, f"{error} evaluating rule: {rule}")


def cel_call_cost_exceeded(path: str, schema_type: str, rule: str) -> FieldError:
    """One evaluation over ``PerCallLimit``: cel-go cancels it and no further rules run."""
    return invalid(path, schema_type, "'operation cancelled: actual cost limit exceeded': no further validation rules "
                   f"will be run due to call cost exceeds limit for rule: {rule}")


def cel_out_of_budget(path: str, schema_type: str) -> FieldError:
    """The request's ``RuntimeCELCostBudget`` spent: no further rules run."""
    return invalid(path, schema_type, "validation failed due to running out of cost budget, no further validation "
                   "rules will be run")


def cel_message_out_of_budget(path: str, schema_type: str) -> FieldError:
    return invalid(path, schema_type, "messageExpression evaluation failed due to running out of cost budget, no "
                   "further validation rules will be run")


def cel_rule_invalid(path: str, rule: GoShown, detail: str) -> FieldError:
    """A rule or messageExpression that does not compile: the value is the internal ValidationRule, the
    detail cel-go's issues."""
    return FieldError("FieldValueInvalid", path, rule, detail)


def cel_rule_not_specified(path: str) -> FieldError:
    """An ``x-kubernetes-validations`` entry whose rule is empty or blank."""
    return required(path, "rule is not specified")


def cel_compilation_failed(path: str, rule_text: GoShown, issues: str) -> FieldError:
    """A rule cel-go does not compile (``issues``: its issues text, ``cel_issue``)."""
    return cel_rule_invalid(path, rule_text, f"compilation failed: {issues}")


def cel_message_compilation_failed(path: str, rule_text: GoShown, issues: str) -> FieldError:
    """A messageExpression cel-go does not compile."""
    return cel_rule_invalid(path, rule_text, f"messageExpression compilation failed: {issues}")


# The ``cost_name`` of ``crd_cost_exceeded`` for one rule, one messageExpression and a whole schema.
CEL_RULE_COST = "estimated rule cost"
CEL_MESSAGE_EXPRESSION_COST = "estimated messageExpression cost"
CEL_SCHEMA_COST = "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema"

CEL_TOTAL_COST_CONTRIBUTION = ("contributed to estimated rule & messageExpression cost total exceeding cost limit "
                               "for entire OpenAPIv3 schema")


def cel_failed_rule(rule: str) -> str:
    """``ruleMessageOrDefault``: the detail of a failed rule without a message (``rule``: the rule text)."""
    return f"failed rule: {rule}"


# --- cel-go's compiler issues ----------------------------------------------------------------------


def cel_issue(line: int, column: int, message: str, source: str) -> str:
    """One issue of cel-go's ``Issues.String()``: the place (``column`` counted from 0), the message, the
    source line and a caret under the column."""
    return f"ERROR: <input>:{line}:{column + 1}: {message}\n | {source}\n | {'.' * column}^"


def cel_syntax_error(detail: str) -> str:
    return "Syntax error: " + detail


def cel_undefined_field(name: str) -> str:
    """A selection the schema does not declare."""
    return f"undefined field '{name}'"


def cel_duplicate_variable(name: str) -> str:
    """A two-variable comprehension naming one variable twice (``m.all(x, x, ...)``)."""
    return f"duplicate variable name: {name}"


def cel_undeclared_reference(name: str) -> str:
    """An identifier or function the environment does not declare."""
    return f"undeclared reference to '{name}' (in container '')"

def cel_old_self_uncorrelatable(path: str, rule: str, within: str) -> FieldError:
    """A transition rule below a list or atomic map whose items cannot be paired with their old values
    (apiextensions' ``forbidOldSelfValidations``)."""
    return invalid(path, rule, f"oldSelf cannot be used on the uncorrelatable portion of the schema within {within}")


def cel_optional_old_self_unused(path: str, value: Any) -> FieldError:
    return invalid(path, value, "may not be set if oldSelf is not used in rule")


# cel-go's output type checks of a rule and of its messageExpression (apiextensions' cel/compilation.go).
CEL_RULE_NOT_BOOL = "cel expression must evaluate to a bool"
CEL_MESSAGE_NOT_STRING = "messageExpression must evaluate to a string"


__all__ = [
    "CEL_MESSAGE_EXPRESSION_COST",
    "CEL_MESSAGE_NOT_STRING",
    "CEL_RULE_COST",
    "CEL_RULE_NOT_BOOL",
    "CEL_SCHEMA_COST",
    "CEL_TOTAL_COST_CONTRIBUTION",
    "cel_call_cost_exceeded",
    "cel_compilation_failed",
    "cel_duplicate_variable", "cel_evaluation_error",
    "cel_failed_rule",
    "cel_issue",
    "cel_message_compilation_failed",
    "cel_message_out_of_budget",
    "cel_old_self_uncorrelatable",
    "cel_optional_old_self_unused",
    "cel_out_of_budget",
    "cel_rule_failed",
    "cel_rule_invalid",
    "cel_rule_not_specified",
    "cel_rules_not_checked",
    "cel_syntax_error",
    "cel_undeclared_reference",
    "cel_undefined_field",
]
