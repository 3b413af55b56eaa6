"""``admissionregistration.k8s.io``: policies and webhook configurations count generations.

Webhook defaults are ``pkg/apis/admissionregistration/v1/defaults.go``; their validation is
``kinds/validation/admission_webhooks.py``, that of ValidatingAdmissionPolicies and their bindings
``kinds/validation/admission_policies.py`` (MutatingAdmissionPolicies are not validated yet).
"""

from __future__ import annotations

from typing import Any

from fakekube.errors import FieldError
from fakekube.kinds.crd_webhook import webhook_service_errors, webhook_url_errors
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation import admission_policies as policies
from fakekube.kinds.validation import admission_webhooks as rules


def _webhook_defaults(obj: Obj, mutating: bool) -> None:
    """``SetDefaults_ValidatingWebhook`` / ``SetDefaults_MutatingWebhook`` for each webhook, with
    ``SetDefaults_Rule`` (scope ``*``) and ``SetDefaults_ServiceReference`` (port 443) beneath."""
    for hook in obj.get("webhooks") or []:
        if not isinstance(hook, dict):
            continue
        hook.setdefault("failurePolicy", "Fail")
        hook.setdefault("matchPolicy", "Equivalent")
        hook.setdefault("namespaceSelector", {})
        hook.setdefault("objectSelector", {})
        hook.setdefault("timeoutSeconds", 10)
        if mutating:
            hook.setdefault("reinvocationPolicy", "Never")
        for rule in hook.get("rules") or []:
            if isinstance(rule, dict):
                rule.setdefault("scope", "*")
        service = as_dict(hook.get("clientConfig")).get("service")
        if isinstance(service, dict):
            service.setdefault("port", 443)


def validate_validating_webhooks(obj: Obj, old: Obj | None) -> list[FieldError]:
    """The webhook rules, with the URL and service checks CRD conversion webhooks share."""
    return rules.validate_validating_webhook_configuration(obj, old, url_errors=webhook_url_errors,
                                                          service_errors=webhook_service_errors)


def validate_mutating_webhooks(obj: Obj, old: Obj | None) -> list[FieldError]:
    return rules.validate_mutating_webhook_configuration(obj, old, url_errors=webhook_url_errors,
                                                        service_errors=webhook_service_errors)


def validating_webhook_defaults(obj: Obj) -> None:
    _webhook_defaults(obj, mutating=False)


def mutating_webhook_defaults(obj: Obj) -> None:
    _webhook_defaults(obj, mutating=True)


def _match_resources_defaults(match: Any) -> None:
    """``SetDefaults_MatchResources`` with ``SetDefaults_Rule`` for every (excluded) resource rule, when the
    policy or binding has match resources at all (a pointer in Go)."""
    if not isinstance(match, dict):
        return
    match.setdefault("matchPolicy", "Equivalent")
    match.setdefault("namespaceSelector", {})
    match.setdefault("objectSelector", {})
    for rules_field in ("resourceRules", "excludeResourceRules"):
        for rule in match.get(rules_field) or []:
            if isinstance(rule, dict):
                rule.setdefault("scope", "*")


def _param_ref_defaults(obj: Obj) -> None:
    """v1alpha1 alone defaults a binding's ``paramRef.parameterNotFoundAction`` (``SetDefaults_ParamRef``)."""
    param_ref = as_dict(obj.get("spec")).get("paramRef")
    if obj.get("apiVersion", "").endswith("/v1alpha1") and isinstance(param_ref, dict):
        param_ref.setdefault("parameterNotFoundAction", "Deny")


def policy_defaults(obj: Obj) -> None:
    """``SetObjectDefaults_{Validating,Mutating}AdmissionPolicy``: a failing policy fails the request, and its
    match constraints are defaulted."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):  # a struct in Go
        spec = obj["spec"] = {}
    spec.setdefault("failurePolicy", "Fail")
    _match_resources_defaults(spec.get("matchConstraints"))


def binding_defaults(obj: Obj) -> None:
    """``SetObjectDefaults_{Validating,Mutating}AdmissionPolicyBinding``: its match resources are defaulted."""
    _match_resources_defaults(as_dict(obj.get("spec")).get("matchResources"))
    _param_ref_defaults(obj)


_POLICY = Strategy(tracks_generation=True, defaults=policy_defaults)
_BINDING = Strategy(tracks_generation=True, defaults=binding_defaults)

KINDS = {
    "ValidatingAdmissionPolicy": Strategy(tracks_generation=True, defaults=policy_defaults,
                                          validate=policies.validate_policy, validation_ported=True),
    "MutatingAdmissionPolicy": _POLICY,
    "ValidatingAdmissionPolicyBinding": Strategy(tracks_generation=True, defaults=binding_defaults,
                                                 validate=policies.validate_binding, validation_ported=True),
    "MutatingAdmissionPolicyBinding": _BINDING,
    "ValidatingWebhookConfiguration": Strategy(
        tracks_generation=True, defaults=validating_webhook_defaults,
        validate=validate_validating_webhooks, validation_ported=True),
    "MutatingWebhookConfiguration": Strategy(
        tracks_generation=True, defaults=mutating_webhook_defaults,
        validate=validate_mutating_webhooks, validation_ported=True),
}
