"""``admissionregistration.k8s.io`` ValidatingAdmissionPolicies and their bindings, as kube-apiserver validates
them when they are written (``pkg/apis/admissionregistration/validation``).

Why here: a policy is only useful if kube-apiserver accepts it, and a chart or a ``fakekube check`` input with a
policy whose expression does not compile, whose binding names no validation action, or whose reason is not one
the server knows must be refused when it is applied, not silently ignored until the first request it should
have judged.  The expressions are compiled as ``admission_expressions`` says.  Objects arrive defaulted
(``kinds/admissionregistration.py``); texts and the order of the errors are v1.37's, where the emptiness of a
binding's ``policyName`` and ``validationActions`` is checked last (declarative validation).

Not ported: the ``status`` of a policy (its type checking), and what ``admission_expressions`` leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.admission_expressions import (
    BOOL,
    NULL,
    STRING,
    declared,
    expression_errors,
    match_conditions,
)
from fakekube.kinds.validation.admission_webhooks import (
    FAILURE_POLICIES,
    MATCH_POLICIES,
    validate_rule_with_operations,
)
from fakekube.kinds.validation.common import label_selector, mapping, qualified_name
from fakekube.name_formats import dns1035_label_errors, dns1123_subdomain_errors, path_segment_name_errors

_MAX_AUDIT_ANNOTATIONS = 20
_MAX_VALUE_EXPRESSION_BYTES = 5 * 1024
_CEL_IDENTIFIER = re.compile(r"^[_a-zA-Z][_a-zA-Z0-9]*$")
_CEL_RESERVED = frozenset({"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
                           "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
                           "void", "while"})


def _param_kind(kind: Mapping[str, Any], path: str) -> list[FieldError]:
    """``validateParamKind``: a group/version as an APIService names it, and a kind that lowercases to a label."""
    out: list[FieldError] = []
    api_version = str(kind.get("apiVersion") or "")
    if not api_version:
        out.append(errors.required(f"{path}.apiVersion"))
    elif api_version.count("/") > 1:
        out.append(errors.invalid(f"{path}.apiVersion", api_version,
                                  errors.policy_unexpected_group_version(api_version)))
    elif api_version != "/":
        group, _, version = api_version.rpartition("/")
        if group and (found := dns1123_subdomain_errors(group)):
            out.append(errors.invalid(f"{path}.apiVersion", group, ",".join(found)))
        if not version:
            out.append(errors.invalid(f"{path}.apiVersion", api_version, errors.POLICY_NO_VERSION))
        elif found := dns1035_label_errors(version):
            out.append(errors.invalid(f"{path}.apiVersion", version, ",".join(found)))
    name = str(kind.get("kind") or "")
    if not name:
        out.append(errors.required(f"{path}.kind"))
    elif found := dns1035_label_errors(name.lower()):
        out.append(errors.invalid(f"{path}.kind", name, errors.POLICY_MIXED_CASE_KIND + ",".join(found)))
    return out


def _named_rule(rule: Mapping[str, Any], path: str) -> list[FieldError]:
    """``validateNamedRuleWithOperations``: resource names that are path segments, each once, and the rule."""
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, name in enumerate(rule.get("resourceNames") or []):
        name = str(name)
        out.extend(errors.invalid(f"{path}.resourceNames[{i}]", name, m) for m in path_segment_name_errors(name))
        if name in seen:
            out.append(errors.duplicate(f"{path}.resourceNames[{i}]", name))
        seen.add(name)
    out.extend(validate_rule_with_operations(rule, path))
    return out


def _match_resources(match: Any, path: str) -> list[FieldError]:
    """``validateMatchResources`` (the defaults have set the policy and both selectors when it is given)."""
    if not isinstance(match, Mapping):
        return []
    out: list[FieldError] = []
    policy = match.get("matchPolicy")
    if policy is None:
        out.append(errors.required(f"{path}.matchPolicy"))
    elif policy not in MATCH_POLICIES:
        out.append(errors.not_supported(f"{path}.matchPolicy", policy, MATCH_POLICIES))
    for selector in ("namespaceSelector", "objectSelector"):
        if match.get(selector) is None:
            out.append(errors.required(f"{path}.{selector}"))
        else:
            out.extend(label_selector(match[selector], f"{path}.{selector}"))
    for rules in ("resourceRules", "excludeResourceRules"):
        for i, rule in enumerate(match.get(rules) or []):
            out.extend(_named_rule(mapping(rule), f"{path}.{rules}[{i}]"))
    return out


def _variable(variable: Mapping[str, Any], params: bool, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    name = str(variable.get("name") or "")
    if not name.strip():
        out.append(errors.required(f"{path}.name", errors.POLICY_VARIABLE_NAME_MISSING))
    elif not _CEL_IDENTIFIER.match(name) or name in _CEL_RESERVED:
        out.append(errors.invalid(f"{path}.name", name, errors.POLICY_NOT_CEL_IDENTIFIER))
    text = str(variable.get("expression") or "")
    if not text.strip():
        out.append(errors.required(f"{path}.expression", errors.POLICY_EXPRESSION_MISSING))
    else:
        out.extend(expression_errors(text, f"{path}.expression",
                                     declared(params=params, authorizer=True, variables=True), ()))
    return out


def _validation(validation: Mapping[str, Any], params: bool, variables: bool, path: str) -> list[FieldError]:
    """``validateValidation``: an expression that compiles to a bool, a message expression that compiles to a
    string, a one-line message and a reason the server answers with."""
    out: list[FieldError] = []
    text = str(validation.get("expression") or "")
    if not text.strip():
        out.append(errors.required(f"{path}.expression", errors.POLICY_EXPRESSION_MISSING))
    else:
        out.extend(expression_errors(text, f"{path}.expression",
                                     declared(params=params, authorizer=True, variables=variables), BOOL))
    message_expression = str(validation.get("messageExpression") or "")
    if message_expression and not message_expression.strip():
        out.append(errors.invalid(f"{path}.messageExpression", message_expression,
                                  errors.POLICY_EMPTY_MESSAGE_EXPRESSION))
    elif message_expression:
        out.extend(expression_errors(message_expression, f"{path}.messageExpression",
                                     declared(params=params, authorizer=False, variables=variables), STRING))
    message = str(validation.get("message") or "")
    if message and not message.strip():
        out.append(errors.invalid(f"{path}.message", message, errors.POLICY_BLANK_MESSAGE))
    elif "\n" in message.strip() or "\r" in message.strip():
        out.append(errors.invalid(f"{path}.message", message, errors.POLICY_MESSAGE_LINE_BREAKS))
    reason = validation.get("reason")
    if reason is not None and reason not in errors.POLICY_REASONS:
        out.append(errors.not_supported(f"{path}.reason", reason, errors.POLICY_REASONS))
    return out


def _audit_annotation(annotation: Mapping[str, Any], policy_name: str, params: bool, variables: bool,
                      path: str) -> list[FieldError]:
    out: list[FieldError] = []
    key = str(annotation.get("key") or "")
    if policy_name:
        out.extend(qualified_name(f"{policy_name}/{key}", f"{path}.key"))
    else:
        out.append(errors.invalid(f"{path}.key", key, errors.POLICY_AUDIT_KEY_NEEDS_NAME))
    text = str(annotation.get("valueExpression") or "").strip()
    if not text:
        out.append(errors.required(f"{path}.valueExpression", errors.POLICY_VALUE_EXPRESSION_MISSING))
    elif len(text.encode()) > _MAX_VALUE_EXPRESSION_BYTES:
        out.append(errors.required(f"{path}.valueExpression",
                                   errors.policy_value_expression_too_long(_MAX_VALUE_EXPRESSION_BYTES)))
    else:
        out.extend(expression_errors(text, f"{path}.valueExpression",
                                     declared(params=params, authorizer=True, variables=variables), NULL))
    return out


def validate_policy(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateValidatingAdmissionPolicy`` (and its update, which keeps unchanged match conditions as stored)."""
    spec = mapping(obj.get("spec"))
    out: list[FieldError] = []
    failure = spec.get("failurePolicy")
    if failure is None:
        out.append(errors.required("spec.failurePolicy"))
    elif failure not in FAILURE_POLICIES:
        out.append(errors.not_supported("spec.failurePolicy", failure, FAILURE_POLICIES))
    params = isinstance(spec.get("paramKind"), Mapping)
    if params:
        out.extend(_param_kind(spec["paramKind"], "spec.paramKind"))
    match = spec.get("matchConstraints")
    if not isinstance(match, Mapping):
        out.append(errors.required("spec.matchConstraints"))
    else:
        out.extend(_match_resources(match, "spec.matchConstraints"))
        if not match.get("resourceRules"):
            out.append(errors.required("spec.matchConstraints.resourceRules"))
    conditions = spec.get("matchConditions") or []
    if old is None or conditions != mapping(old.get("spec")).get("matchConditions"):
        out.extend(match_conditions(conditions, params, "spec.matchConditions"))
    variables = spec.get("variables") or []
    for i, variable in enumerate(variables):
        out.extend(_variable(mapping(variable), params, f"spec.variables[{i}]"))
    validations, annotations = spec.get("validations") or [], spec.get("auditAnnotations") or []
    if not validations and not annotations:
        out.append(errors.required("spec.validations", errors.POLICY_NEEDS_VALIDATIONS))
        out.append(errors.required("spec.auditAnnotations", errors.POLICY_NEEDS_VALIDATIONS))
        return out
    for i, validation in enumerate(validations):
        out.extend(_validation(mapping(validation), params, bool(variables), f"spec.validations[{i}]"))
    if len(annotations) > _MAX_AUDIT_ANNOTATIONS:
        out.append(errors.invalid("spec.auditAnnotations", annotations,
                                  errors.policy_too_many_audit_annotations(_MAX_AUDIT_ANNOTATIONS)))
    keys: set[str] = set()
    policy_name = str(mapping(obj.get("metadata")).get("name") or "")
    for i, annotation in enumerate(annotations):
        annotation = mapping(annotation)
        path = f"spec.auditAnnotations[{i}]"
        out.extend(_audit_annotation(annotation, policy_name, params, bool(variables), path))
        key = str(annotation.get("key") or "")
        if key in keys:
            out.append(errors.duplicate(f"{path}.key", key))
        keys.add(key)
    return out


def _param_ref(ref: Any, path: str) -> list[FieldError]:
    """``validateParamRef``: a name or a selector (not both) and what to do when no parameter is found."""
    if not isinstance(ref, Mapping):
        return []
    out: list[FieldError] = []
    name, selector = str(ref.get("name") or ""), ref.get("selector")
    if name:
        out.extend(errors.invalid(f"{path}.name", name, m) for m in path_segment_name_errors(name))
        if selector is not None:
            out.append(errors.forbidden(f"{path}.name", errors.POLICY_NAME_AND_SELECTOR))
    if selector is not None:
        out.extend(label_selector(selector, f"{path}.selector"))
        if name:
            out.append(errors.forbidden(f"{path}.selector", errors.POLICY_NAME_AND_SELECTOR))
    if not name and selector is None:
        out.append(errors.required(path, errors.POLICY_PARAM_REF_TARGET))
    action = ref.get("parameterNotFoundAction")
    if not action:
        out.append(errors.required(f"{path}.parameterNotFoundAction"))
    elif action not in errors.POLICY_PARAMETER_NOT_FOUND_ACTIONS:
        out.append(errors.not_supported(f"{path}.parameterNotFoundAction", action,
                                        errors.POLICY_PARAMETER_NOT_FOUND_ACTIONS))
    return out


def _validation_actions(actions: list[Any], path: str) -> list[FieldError]:
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, action in enumerate(actions):
        if action not in errors.POLICY_VALIDATION_ACTIONS:
            out.append(errors.not_supported(f"{path}[{i}]", action, errors.POLICY_VALIDATION_ACTIONS))
        if action in seen:
            out.append(errors.duplicate(f"{path}[{i}]", action))
        seen.add(str(action))
    if {"Deny", "Warn"} <= seen:
        out.append(errors.invalid(path, actions, errors.POLICY_BOTH_DENY_AND_WARN))
    return out


def validate_binding(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateValidatingAdmissionPolicyBinding`` (an update is validated as a create)."""
    spec = mapping(obj.get("spec"))
    out: list[FieldError] = []
    policy_name = str(spec.get("policyName") or "")
    out.extend(errors.invalid("spec.policyName", policy_name, m) for m in dns1123_subdomain_errors(policy_name)
               if policy_name)
    out.extend(_param_ref(spec.get("paramRef"), "spec.paramRef"))
    out.extend(_match_resources(spec.get("matchResources"), "spec.matchResources"))
    actions = spec.get("validationActions") or []
    out.extend(_validation_actions(actions, "spec.validationActions"))
    if not policy_name:  # declarative (+k8s:required) checks come after the hand-written ones
        out.append(errors.required("spec.policyName"))
    if not actions:
        out.append(errors.required("spec.validationActions"))
    return out
