"""``admissionregistration.k8s.io``: policies and webhook configurations count generations.

Webhook defaults are ``pkg/apis/admissionregistration/v1/defaults.go``; their validation is
``kinds/validation/admission_webhooks.py``.
"""

from __future__ import annotations

from fakekube.errors import FieldError
from fakekube.kinds.crd_webhook import webhook_service_errors, webhook_url_errors
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy
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


_GENERATIONAL = Strategy(tracks_generation=True)

KINDS = {
    "ValidatingAdmissionPolicy": _GENERATIONAL,
    "MutatingAdmissionPolicy": _GENERATIONAL,
    "ValidatingWebhookConfiguration": Strategy(
        tracks_generation=True, defaults=validating_webhook_defaults,
        validate=validate_validating_webhooks, validation_ported=True),
    "MutatingWebhookConfiguration": Strategy(
        tracks_generation=True, defaults=mutating_webhook_defaults,
        validate=validate_mutating_webhooks, validation_ported=True),
}
