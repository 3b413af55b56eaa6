"""CRD versions and conversion webhooks, worded as apiextensions-apiserver's webhook converter,
client-go's rest client and Go's net/http word a failed call."""

from __future__ import annotations

from fakekube.errors.status import StatusError
from fakekube.go_text import go_quote

# A conversion error is a plain Go error all the way up, so kube-apiserver answers it as an unknown
# error: code 500 and no reason (only a watch wraps it as an InternalError).


def conversion_failed(message: str) -> StatusError:
    """Any conversion failure, as the handlers answer an error that is not a Status."""
    return StatusError(500, "", message)


def conversion_webhook_failed(gvk: str, detail: str) -> StatusError:
    return conversion_failed(f"conversion webhook for {gvk} failed: {detail}")


def conversion_webhook_count(gvk: str, got: int, expected: int) -> StatusError:
    return conversion_failed(f"conversion webhook for {gvk} returned {got} objects, expected {expected}")


def conversion_webhook_invalid_object_at(gvk: str, index: int, detail: str) -> StatusError:
    return conversion_failed(f"conversion webhook for {gvk} returned invalid object at index {index}: {detail}")


def conversion_webhook_invalid_object(gvk: str, detail: str) -> StatusError:
    return conversion_failed(f"conversion webhook for {gvk} returned invalid object: {detail}")


def conversion_webhook_invalid_metadata(gvk: str, detail: str) -> StatusError:
    return conversion_failed(f"conversion webhook for {gvk} returned invalid metadata: {detail}")


def conversion_no_review_versions() -> StatusError:
    return conversion_failed("no supported conversion review versions")


def conversion_invalid_version(direction: str, group_version: str) -> StatusError:
    """``direction``: "to" or "from"."""
    return conversion_failed(f"request to convert CR {direction} an invalid group/version: {group_version}")


def webhook_unexpected_review(expected: str, got: str) -> str:
    return f"expected webhook response of {expected}, got {got}"


WEBHOOK_NO_RESPONSE = "no response provided"


def webhook_uid_mismatch(expected: str, got: str) -> str:
    return f"expected response.uid={go_quote(expected)}, got {go_quote(got)}"


def webhook_result_not_success(status: str) -> str:
    return f"response.result.status was '{status}', not 'Success'"


def converted_group_version_mismatch(expected: str, got: str) -> str:
    return f"invalid groupVersion (expected {expected}, received {got})"


def converted_kind_mismatch(expected: str, got: str) -> str:
    return f"invalid kind (expected {expected}, received {got})"


def converted_meta_changed(what: str, expected: str, got: str) -> str:
    """``what``: name, namespace or UID."""
    return f"must have the same {what}: {expected} != {got}"


CONVERTED_METADATA_MISSING = "missing metadata in converted object"


def converted_metadata_type(go_type: str) -> str:
    return f"invalid metadata of type {go_type} in converted object"


def converted_metadata_field_type(field_name: str, go_type: str, whose: str = "converted") -> str:
    return f"invalid metadata.{field_name} of type {go_type} in {whose} object"


def converted_metadata_value_type(field_name: str, key: str, go_type: str) -> str:
    return f"metadata.{field_name}[{key}] must be a string, but is {go_type} in converted object"


def object_kind_missing(raw: str) -> str:
    return f"Object 'Kind' is missing in '{raw}'"


def webhook_post_failed(url: str, detail: str) -> str:
    """Go's ``*url.Error`` of a failed POST."""
    return f"Post {go_quote(url)}: {detail}"


def dial_failed(address: str, detail: str) -> str:
    return f"dial tcp {address}: {detail}"


DIAL_REFUSED = "connect: connection refused"


def dial_no_such_host(host: str) -> str:
    """The resolver's error, as ``dial_failed``'s detail."""
    return f"lookup {host}: no such host"


def dial_os_error(strerror: str) -> str:
    """Another socket error, as ``dial_failed``'s detail (``strerror`` in Go's lower case)."""
    return f"connect: {strerror}"


WEBHOOK_EOF = "EOF"  # io.EOF: the webhook closed the connection without answering


def service_not_found(name: str) -> str:
    """The service lister's NotFound, when a webhook's service resolves to no address."""
    return f'service "{name}" not found'


WEBHOOK_DEADLINE = "context deadline exceeded"
WEBHOOK_UNKNOWN_AUTHORITY = "tls: failed to verify certificate: x509: certificate signed by unknown authority"


def webhook_certificate_name_mismatch(dns_names: list[str], ip_names: list[str], host: str, host_is_ip: bool) -> str:
    """crypto/x509's ``HostnameError``: the certificate's IP names for an IP host, else its DNS names."""
    prefix = "tls: failed to verify certificate: x509: "
    if host_is_ip and not ip_names:
        return f"{prefix}cannot validate certificate for {host} because it doesn't contain any IP SANs"
    valid = ", ".join(ip_names if host_is_ip else dns_names)
    if not valid:
        return f"{prefix}certificate is not valid for any names, but wanted to match {host}"
    return f"{prefix}certificate is valid for {valid}, not {host}"


def webhook_empty_response(code: int, content_type: str) -> str:
    return f"0-length response with status code: {code} and content type: {content_type}"


_GENERIC_RESPONSES = {
    409: "the server reported a conflict",
    404: "the server could not find the requested resource",
    400: "the server rejected our request for an unknown reason",
    401: "the server has asked for the client to provide credentials",
    405: "the server does not allow this method on the requested resource",
    422: "the server rejected our request due to an error in our request",
    503: "the server is currently unable to handle the request",
    504: "the server was unable to return a response in the time allotted, but may still be processing the request",
    429: "the server has received too many requests and has asked us to try again later",
}


def generic_server_response(code: int, server_message: str) -> str:
    """The message of apimachinery's ``NewGenericServerResponse`` for a webhook answering ``code`` with a
    body that is no Status (``server_message``: the body if it is text, else "unknown")."""
    if code in (403, 415):
        return server_message
    if code == 406:
        if not server_message or server_message == "unknown":
            return "the server was unable to respond with a content type that the client supports"
        return server_message
    if code in _GENERIC_RESPONSES:
        return _GENERIC_RESPONSES[code]
    if code >= 500:
        return f"an error on the server ({go_quote(server_message)}) has prevented the request from succeeding"
    return f"the server responded with the status code {code} but did not return more information"

__all__ = [
    "CONVERTED_METADATA_MISSING", "DIAL_REFUSED", "WEBHOOK_DEADLINE", "WEBHOOK_EOF", "WEBHOOK_NO_RESPONSE",
    "WEBHOOK_UNKNOWN_AUTHORITY", "conversion_failed", "conversion_invalid_version", "conversion_no_review_versions",
    "conversion_webhook_count", "conversion_webhook_failed", "conversion_webhook_invalid_metadata",
    "conversion_webhook_invalid_object", "conversion_webhook_invalid_object_at", "converted_group_version_mismatch",
    "converted_kind_mismatch", "converted_meta_changed", "converted_metadata_field_type", "converted_metadata_type",
    "converted_metadata_value_type", "dial_failed", "dial_no_such_host", "dial_os_error", "generic_server_response",
    "object_kind_missing", "service_not_found", "webhook_certificate_name_mismatch", "webhook_empty_response",
    "webhook_post_failed", "webhook_result_not_success", "webhook_uid_mismatch", "webhook_unexpected_review",
]
