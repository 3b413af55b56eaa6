"""A CRD's ``spec.conversion`` and its webhook's address, worded as apiextensions-apiserver's
``validateCustomResourceConversion`` and ``k8s.io/apiserver``'s ``webhook.ValidateWebhookURL`` and
``ValidateWebhookService`` word them (the internal type's field names)."""

from __future__ import annotations

from typing import Any

from fakekube.errors.crd import WEBHOOK_URL_FORM, invalid_go_value
from fakekube.errors.fields import FieldError, forbidden, invalid, required
from fakekube.go_text import GoShown


def crd_webhook_setting_without_strategy(path: str) -> FieldError:
    """``webhookClientConfig`` or ``conversionReviewVersions`` set while the strategy is not Webhook."""
    return forbidden(path, "should not be set when strategy is not set to Webhook")


def crd_webhook_client_config_missing(path: str) -> FieldError:
    return required(path, "required when strategy is set to Webhook")


def webhook_url_or_service(path: str) -> FieldError:
    """A client config naming both a URL and a service, or neither."""
    return required(path, "exactly one of url or service is required")


def crd_review_version_duplicate(path: str, version: Any) -> FieldError:
    return invalid(path, version, "duplicate version")


def crd_review_versions_unknown(path: str, shown: GoShown) -> FieldError:
    """No review version fakekube (and kube-apiserver) speaks; ``shown``: the slice."""
    return invalid_go_value(path, shown, "must include at least one of v1, v1beta1")


def webhook_url_unparsable(path: str, error: Any) -> FieldError:
    """``ValidateWebhookURL`` of a URL ``url.Parse`` refuses (``error``: its error)."""
    return required(path, f"url must be a valid URL: {error}{WEBHOOK_URL_FORM}")


def webhook_url_scheme(path: str, scheme: str) -> FieldError:
    return invalid(path, scheme, "'https' is the only allowed URL scheme" + WEBHOOK_URL_FORM)


def webhook_url_no_host(path: str, host: str) -> FieldError:
    return invalid(path, host, "host must be specified" + WEBHOOK_URL_FORM)


def webhook_url_user_info(path: str, user: str) -> FieldError:
    return invalid(path, user, "user information is not permitted in the URL")


def webhook_url_fragment(path: str, fragment: str) -> FieldError:
    return invalid(path, fragment, "fragments are not permitted in the URL")


def webhook_url_query(path: str, query: str) -> FieldError:
    return invalid(path, query, "query parameters are not permitted in the URL")


def webhook_service_port(path: str, port: Any) -> FieldError:
    """``ValidateWebhookService`` of a port outside 1-65535."""
    return invalid(path, port, "port is not valid: must be between 1 and 65535, inclusive")


def webhook_service_path_segment_empty(path: str, url_path: str, index: int) -> FieldError:
    """An empty segment of the service's ``path`` (``//``, ``/a//b``)."""
    return invalid(path, url_path, f"segment[{index}] may not be empty")


def webhook_service_path_not_rooted(path: str, url_path: str) -> FieldError:
    return invalid(path, url_path, "must start with a '/'")


def webhook_service_path_segment(path: str, url_path: str, index: int, problem: str) -> FieldError:
    """A segment of the service's ``path`` that is no DNS-1123 subdomain (``problem``: why)."""
    return invalid(path, url_path, f"segment[{index}]: {problem}")

__all__ = [
    "crd_review_version_duplicate", "crd_review_versions_unknown", "crd_webhook_client_config_missing",
    "crd_webhook_setting_without_strategy", "webhook_service_path_not_rooted", "webhook_service_path_segment",
    "webhook_service_path_segment_empty", "webhook_service_port", "webhook_url_fragment", "webhook_url_no_host",
    "webhook_url_or_service", "webhook_url_query", "webhook_url_scheme", "webhook_url_unparsable",
    "webhook_url_user_info",
]
