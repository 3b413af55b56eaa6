"""Texts of the built-in admission plugins (``plugin/pkg/admission``), each refusal a 403 ``Forbidden`` made by
``admission.NewForbidden`` from the plugin's own error."""

from __future__ import annotations

from fakekube.errors.status import StatusError, qualified

__all__ = [
    "MIRROR_POD_SECRETS",
    "MIRROR_POD_SERVICE_ACCOUNT",
    "MIRROR_POD_TOKEN",
    "POLICY_AUDIT_KEY_NEEDS_NAME",
    "POLICY_AUTHORIZER_UNSUPPORTED",
    "POLICY_BLANK_MESSAGE",
    "POLICY_BOTH_DENY_AND_WARN",
    "POLICY_EMPTY_MESSAGE_EXPRESSION",
    "POLICY_EXPRESSION_MISSING",
    "POLICY_MESSAGE_LINE_BREAKS",
    "POLICY_MIXED_CASE_KIND",
    "POLICY_NAME_AND_SELECTOR",
    "POLICY_NEEDS_VALIDATIONS",
    "POLICY_NOT_CEL_IDENTIFIER",
    "POLICY_NO_VERSION",
    "POLICY_PARAMETER_NOT_FOUND_ACTIONS",
    "POLICY_PARAMS_NOT_FOUND",
    "POLICY_PARAM_REF_TARGET",
    "POLICY_REASONS",
    "POLICY_REASON_CODES",
    "POLICY_VALIDATION_ACTIONS",
    "POLICY_VALUE_EXPRESSION_MISSING",
    "POLICY_VARIABLE_NAME_MISSING",
    "admission_forbidden",
    "limit_ranger_forbidden",
    "policy_binding_configuration",
    "policy_compilation_error",
    "policy_configuration",
    "policy_denied",
    "policy_expression_error",
    "policy_expression_not_compiled",
    "policy_expression_type",
    "policy_failed_expression",
    "policy_namespaced_params_cluster_request",
    "policy_params_namespace_for_cluster_kind",
    "policy_too_many_audit_annotations",
    "policy_unexpected_group_version",
    "policy_value_expression_too_long",
    "policy_warning",
    "preemption_policy_given",
    "priority_class_not_found",
    "priority_default_exists",
    "priority_value_given",
    "pull_secret_not_allowed",
    "secret_env_from_not_allowed",
    "secret_env_not_allowed",
    "secret_volume_not_allowed",
    "service_account_lookup_failed",
    "service_account_unspecified",
    "warning_header_value",
]


def admission_forbidden(resource: str, group: str, name: str, detail: str) -> StatusError:
    """``errors.NewForbidden`` of the written resource and name (none for a name not known yet)."""
    what = f'{qualified(resource, group)} "{name}"' if name else qualified(resource, group)
    return StatusError(403, "Forbidden", f"{what} is forbidden: {detail}", name, group, resource)


def service_account_lookup_failed(namespace: str, name: str) -> str:
    """ServiceAccount: a pod names an account that does not exist (after the retries for ``default``)."""
    return f'error looking up service account {namespace}/{name}: serviceaccount "{name}" not found'


def priority_class_not_found(name: str) -> str:
    return f"no PriorityClass with name {name} was found"


def priority_value_given(given: int, computed: int) -> str:
    return (f"the integer value of priority ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {computed} from the given PriorityClass name")


def preemption_policy_given(given: str, computed: str) -> str:
    return (f"the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {computed} from the given PriorityClass name")


def priority_default_exists(name: str) -> str:
    return f"PriorityClass {name} is already marked as default. Only one default can exist"


def limit_ranger_forbidden(details: list[str]) -> str:
    """LimitRanger's validation: every limit a pod breaks, joined as ``utilerrors.NewAggregate`` prints them."""
    if len(details) == 1:
        return details[0]
    return "[" + ", ".join(details) + "]"


MIRROR_POD_SERVICE_ACCOUNT = "a mirror pod may not reference service accounts"
MIRROR_POD_SECRETS = "a mirror pod may not reference secrets"
MIRROR_POD_TOKEN = "a mirror pod may not use ServiceAccountToken volume projections"


def service_account_unspecified(namespace: str, name: str) -> str:
    return f"no service account specified for pod {namespace}/{name}"


def secret_volume_not_allowed(secret: str, account: str) -> str:
    return (f'volume with secret.secretName="{secret}" is not allowed because service account {account} does not '
            "reference that secret")


def secret_env_not_allowed(what: str, container: str, env: str, secret: str, account: str) -> str:
    return (f'{what} {container} with envVar {env} referencing secret.secretName="{secret}" is not allowed because '
            f"service account {account} does not reference that secret")


def secret_env_from_not_allowed(what: str, container: str, secret: str, account: str) -> str:
    return (f'{what} {container} with envFrom referencing secret.secretName="{secret}" is not allowed because '
            f"service account {account} does not reference that secret")


def pull_secret_not_allowed(index: int, secret: str, account: str) -> str:
    return (f'imagePullSecrets[{index}].name="{secret}" is not allowed because service account {account} does not '
            "reference that imagePullSecret")


# --- ValidatingAdmissionPolicy (``apiserver/pkg/admission/plugin/policy/validating``) --------------------------

# The HTTP code of a refusal by its reason (the dispatcher's ``reasonToCode``); any other reason, which the API's
# validation does not let a policy give, is a 422 as Invalid is.
POLICY_REASON_CODES = {"Forbidden": 403, "Unauthorized": 401, "RequestEntityTooLarge": 413, "Invalid": 422}
POLICY_OTHER_REASON_CODE = 422
POLICY_PARAMS_NOT_FOUND = "no params found for policy binding with `Deny` parameterNotFoundAction"
# fakekube's own text, no upstream counterpart: the evaluation error of an expression reading ``authorizer``, which
# kube-apiserver would answer by asking its authorizer and fakekube, without authorization, does not evaluate.
POLICY_AUTHORIZER_UNSUPPORTED = "the authorizer library is not supported by fakekube"


def policy_failed_expression(expression: str) -> str:
    """A failed validation with neither ``message`` nor ``messageExpression``."""
    return f"failed expression: {expression.strip()}"


def policy_expression_error(expression: str, detail: str) -> str:
    """An expression whose evaluation failed (the CEL filter's wrapping of cel-go's error)."""
    return f"expression '{expression}' resulted in error: {detail}"


def policy_compilation_error(issues: str) -> str:
    """An expression that does not compile, as evaluating it reports."""
    return f"compilation error: compilation failed: {issues}"


def policy_configuration(detail: str) -> str:
    return f"failed to configure policy: {detail}"


def policy_binding_configuration(detail: str) -> str:
    return f"failed to configure binding: {detail}"


def policy_namespaced_params_cluster_request() -> str:
    return "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"


def policy_params_namespace_for_cluster_kind() -> str:
    return "paramRef.namespace must not be provided for a cluster-scoped `paramKind`"


def policy_warning(policy: str, binding: str, message: str) -> str:
    """The ``Warning`` header of a failed validation whose binding's actions include ``Warn``."""
    return f"Validation failed for ValidatingAdmissionPolicy '{policy}' with binding '{binding}': {message}"


def warning_header_value(text: str) -> str:
    """A warning as a ``Warning`` header's value (``net.NewWarningHeader``: code 299, no agent, quoted)."""
    return '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def policy_denied(resource: str, group: str, name: str, policy: str, binding: str | None, message: str,
                  reason: str) -> StatusError:
    """The first denial: ``admission.NewForbidden`` of the request with the policy's text, then its reason
    (``Invalid`` unless the validation names one) and that reason's code (422 for any other), the text
    repeated as a cause."""
    if binding is None:
        text = f"ValidatingAdmissionPolicy '{policy}' denied request: {message}"
    else:
        text = f"ValidatingAdmissionPolicy '{policy}' with binding '{binding}' denied request: {message}"
    reason = reason or "Invalid"
    error = admission_forbidden(resource, group, name, text)
    error.reason, error.code = reason, POLICY_REASON_CODES.get(reason, POLICY_OTHER_REASON_CODE)
    error.causes = [{"message": text}]
    return error


# Texts of a ValidatingAdmissionPolicy's and a binding's own validation (pkg/apis/admissionregistration/validation).
POLICY_NEEDS_VALIDATIONS = "validations or auditAnnotations must contain at least one item"
POLICY_NAME_AND_SELECTOR = "name and selector are mutually exclusive"
POLICY_PARAM_REF_TARGET = "one of name or selector must be specified"
POLICY_BOTH_DENY_AND_WARN = ("must not contain both Deny and Warn (repeating the same validation failure information "
                             "in the API response and headers serves no purpose)")
POLICY_NOT_CEL_IDENTIFIER = "must be a valid CEL identifier"
POLICY_VARIABLE_NAME_MISSING = "name is not specified"
POLICY_EXPRESSION_MISSING = "expression is not specified"
POLICY_VALUE_EXPRESSION_MISSING = "valueExpression is not specified"
POLICY_EMPTY_MESSAGE_EXPRESSION = "must be non-empty if specified"
POLICY_BLANK_MESSAGE = "must be non-empty if specified"
POLICY_MESSAGE_LINE_BREAKS = "must not contain line breaks"
POLICY_NO_VERSION = "version must be specified"
POLICY_MIXED_CASE_KIND = "may have mixed case, but should otherwise match: "
POLICY_AUDIT_KEY_NEEDS_NAME = "requires metadata.name be non-empty"
POLICY_REASONS = ["Forbidden", "Invalid", "RequestEntityTooLarge"]
POLICY_VALIDATION_ACTIONS = ["Audit", "Deny", "Warn"]
POLICY_PARAMETER_NOT_FOUND_ACTIONS = ["Deny", "Allow"]


def policy_unexpected_group_version(text: str) -> str:
    return f"unexpected GroupVersion string: {text}"


def policy_expression_type(expected: tuple[str, ...], got: str) -> str:
    """cel-go's output type check of an admission expression (``must evaluate to bool but got int``; several
    types as ``one of [string null_type]``)."""
    wanted = expected[0] if len(expected) == 1 else f"one of [{' '.join(expected)}]"
    return f"must evaluate to {wanted} but got {got}"


def policy_expression_not_compiled(issues: str) -> str:
    return f"compilation failed: {issues}"


def policy_too_many_audit_annotations(most: int) -> str:
    return f"must not have more than {most} auditAnnotations"


def policy_value_expression_too_long(most: int) -> str:
    return f"must not exceed {most} bytes in length"
