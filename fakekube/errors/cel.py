"""CEL rules of custom resources (``fakekube.cel``), worded as apiextensions' CEL validator and
cel-go word them."""

from __future__ import annotations

from fakekube.errors.fields import FieldError, forbidden, invalid, required


def cel_rules_not_checked() -> FieldError:
    """The CEL rules were skipped because of blocking schema errors (``field.Invalid(nil, nil, ...)``: a nil
    path reads ``<nil>``, a nil value ``"null"``)."""
    return FieldError("FieldValueInvalid", "<nil>", "null", "some validation rules were not checked because the "
                      "object was invalid; correct the existing errors to complete validation")


def cel_rule_failed(path: str, schema_type: str, detail: str, reason: str | None) -> FieldError:
    """``fieldErrorForReason``: a rule that evaluated to false; the value shown is the node's schema type."""
    if reason == "FieldValueForbidden":
        return forbidden(path, detail)
    if reason == "FieldValueRequired":
        return required(path, detail)
    if reason == "FieldValueDuplicate":
        return FieldError("FieldValueDuplicate", path, schema_type)
    return invalid(path, schema_type, detail)


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


def cel_rule_invalid(path: str, rule_text: str, detail: str) -> FieldError:
    """A rule or messageExpression that does not compile: the value is the ValidationRule as Go's ``%#v``
    prints it (``rule_text``), the detail cel-go's issues."""
    return FieldError("FieldValueInvalid", path, detail=f"{rule_text}: {detail}")


def cel_rule_required(path: str, detail: str) -> FieldError:
    return required(path, detail)


CEL_TOTAL_COST_CONTRIBUTION = ("contributed to estimated rule & messageExpression cost total exceeding cost limit "
                               "for entire OpenAPIv3 schema")

__all__ = [
    "CEL_TOTAL_COST_CONTRIBUTION", "cel_call_cost_exceeded", "cel_evaluation_error", "cel_message_out_of_budget",
    "cel_out_of_budget", "cel_rule_failed", "cel_rule_invalid", "cel_rule_required", "cel_rules_not_checked",
]
