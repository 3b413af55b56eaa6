"""A CRD's ``spec.conversion`` (``validateCustomResourceConversion``) and its webhook's address
(``k8s.io/apiserver``'s ``webhook.ValidateWebhookURL`` and ``ValidateWebhookService``).

The errors use the internal type's field names: ``spec.conversion.webhookClientConfig`` and
``spec.conversion.conversionReviewVersions`` (v1's ``spec.conversion.webhook.clientConfig`` and
``spec.conversion.webhook.conversionReviewVersions``), as kube-apiserver reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import go_string_slice
from fakekube.kinds.podspec import as_dict
from fakekube.name_formats import dns1035_label_errors, dns1123_subdomain_errors

_REVIEW_VERSIONS = ("v1", "v1beta1")


def conversion_errors(conversion: Mapping[str, Any], old_spec: Mapping[str, Any] | None) -> list[FieldError]:
    out: list[FieldError] = []
    strategy = conversion.get("strategy") or ""
    webhook = as_dict(conversion.get("webhook"))
    client = webhook.get("clientConfig") if isinstance(webhook.get("clientConfig"), Mapping) else None
    reviews = webhook.get("conversionReviewVersions") or []
    if not strategy:
        out.append(errors.required("spec.conversion.strategy"))
    elif strategy not in ("None", "Webhook"):
        out.append(errors.not_supported("spec.conversion.strategy", strategy, ["None", "Webhook"]))
    if strategy != "Webhook":
        if client is not None:
            out.append(errors.crd_webhook_setting_without_strategy("spec.conversion.webhookClientConfig"))
        if reviews:
            out.append(errors.crd_webhook_setting_without_strategy("spec.conversion.conversionReviewVersions"))
        return out
    where = "spec.conversion.webhookClientConfig"
    if client is None:
        out.append(errors.crd_webhook_client_config_missing(where))
    elif (client.get("url") is None) == (client.get("service") is None):
        out.append(errors.webhook_url_or_service(where))
    elif client.get("url") is not None:
        out.extend(webhook_url_errors(f"{where}.url", str(client["url"])))
    else:
        out.extend(webhook_service_errors(f"{where}.service", as_dict(client["service"])))
    old_reviews = as_dict(as_dict((old_spec or {}).get("conversion")).get("webhook")).get("conversionReviewVersions")
    require_known = old_spec is None or not old_reviews or any(v in _REVIEW_VERSIONS for v in old_reviews)
    out.extend(_review_versions_errors(reviews, require_known))
    return out


def _review_versions_errors(versions: list[Any], require_known: bool) -> list[FieldError]:
    path = "spec.conversion.conversionReviewVersions"
    if not versions:
        return [errors.required(path)]
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        if version in seen:
            out.append(errors.crd_review_version_duplicate(f"{path}[{i}]", version))
            continue
        seen.add(version)
        out.extend(errors.invalid(f"{path}[{i}]", version, p) for p in dns1035_label_errors(str(version)))
    if require_known and not any(v in _REVIEW_VERSIONS for v in versions):
        out.append(errors.crd_review_versions_unknown(path, go_string_slice(versions)))
    return out


def webhook_url_errors(path: str, url: str) -> list[FieldError]:
    """``webhook.ValidateWebhookURL`` with https required."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return [errors.webhook_url_unparsable(path, error)]
    out: list[FieldError] = []
    if parts.scheme != "https":
        out.append(errors.webhook_url_scheme(path, parts.scheme))
    host = parts.netloc.rpartition("@")[2]
    if not host:
        out.append(errors.webhook_url_no_host(path, host))
    if "@" in parts.netloc:
        out.append(errors.webhook_url_user_info(path, parts.netloc.rpartition("@")[0]))
    if parts.fragment:
        out.append(errors.webhook_url_fragment(path, parts.fragment))
    if parts.query:
        out.append(errors.webhook_url_query(path, parts.query))
    return out


def webhook_service_errors(path: str, service: Mapping[str, Any]) -> list[FieldError]:
    """``webhook.ValidateWebhookService`` (the port defaults to 443)."""
    out: list[FieldError] = []
    if not service.get("name"):
        out.append(errors.required(f"{path}.name"))
    if not service.get("namespace"):
        out.append(errors.required(f"{path}.namespace"))
    port = service.get("port", 443)
    if not isinstance(port, int) or not 1 <= port <= 65535:
        out.append(errors.webhook_service_port(f"{path}.port", port))
    url_path = service.get("path")
    if url_path is None or url_path in ("", "/"):
        return out
    if url_path == "//":
        return [*out, errors.webhook_service_path_segment_empty(f"{path}.path", url_path, 0)]
    if not url_path.startswith("/"):
        out.append(errors.webhook_service_path_not_rooted(f"{path}.path", url_path))
    steps = url_path[1:].removesuffix("/")
    for i, step in enumerate(steps.split("/")):
        if not step:
            out.append(errors.webhook_service_path_segment_empty(f"{path}.path", url_path, i))
            continue
        out.extend(errors.webhook_service_path_segment(f"{path}.path", url_path, i, p)
                   for p in dns1123_subdomain_errors(step))
    return out
