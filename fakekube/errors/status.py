"""``StatusError`` (a ``metav1.Status`` answer) and its constructors, one per apimachinery
``errors.NewXxx``, worded as ``k8s.io/apimachinery/pkg/api/errors`` words them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube.errors.fields import ACCEPTED_BODY_TYPES, FieldError, invalid
from fakekube.go_text import go_quote


@dataclass
class StatusError(Exception):
    """An error that becomes a ``metav1.Status`` response."""

    code: int
    reason: str
    message: str
    name: str = ""
    group: str = ""
    kind: str = ""
    causes: list[dict[str, str]] = field(default_factory=list)
    retry_after: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    continue_token: str = ""  # ListMeta.continue of the Status (expired list continuations)
    # A generic server response (no route, no such path): kube-apiserver sends ``details`` even empty.
    generic: bool = False
    # A decode error's own text (``decode_error``), for the callers that word it their way (patches).
    decode_detail: str = ""
    # Go's ``http.NotFound`` rather than a Status: the answer is the message as plain text.
    plain_text: bool = False

    def __str__(self) -> str:
        return self.message

    @property
    def details(self) -> dict[str, Any]:
        """The Status's ``details`` (name, group, kind, causes, retryAfterSeconds), as a client reads them."""
        details: dict[str, Any] = self.to_dict().get("details", {})
        return details

    def to_dict(self) -> dict[str, Any]:
        metadata = {"continue": self.continue_token} if self.continue_token else {}
        status: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": metadata, "status": "Failure"}
        if self.message:
            status["message"] = self.message
        if self.reason:
            status["reason"] = self.reason
        details: dict[str, Any] = {}
        if self.name:
            details["name"] = self.name
        if self.group:
            details["group"] = self.group
        if self.kind:
            details["kind"] = self.kind
        if self.causes:
            details["causes"] = self.causes
        if self.retry_after:
            details["retryAfterSeconds"] = self.retry_after
        if details or self.generic:
            status["details"] = details
        status["code"] = self.code
        return status

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.to_dict()) + b"\n"


def qualified(resource: str, group: str) -> str:
    """``deployments.apps`` / ``pods``: how apiserver names a group resource in messages."""
    return f"{resource}.{group}" if group else resource


def success_status(name: str = "", group: str = "", kind: str = "", uid: str = "", code: int = 0) -> dict[str, Any]:
    """The ``Status`` a delete returns for a kind whose delete returns no object; a create that answers
    with a Status (a binding) carries ``code`` 201, which kube's create handler fills in."""
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if kind:
        details["kind"] = kind
    if uid:
        details["uid"] = uid
    out: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details:
        out["details"] = details
    if code:
        out["code"] = code
    return out


def not_found(resource: str, group: str, name: str) -> StatusError:
    return StatusError(404, "NotFound", f"{qualified(resource, group)} {go_quote(name)} not found", name, group,
                       resource)


def not_found_path() -> StatusError:
    """A path nothing is served at: the not-found handler's generic answer."""
    return StatusError(404, "NotFound", "the server could not find the requested resource", generic=True)


PAGE_NOT_FOUND = "404 page not found\n"


def page_not_found() -> StatusError:
    """A path no API handler claims (an unknown group, a custom resource's unserved version or wrong scope,
    a path outside the API): kube-apiserver's delegation chain ends in Go's ``http.NotFound``, plain text."""
    return StatusError(404, "NotFound", PAGE_NOT_FOUND, plain_text=True)


def already_exists(resource: str, group: str, name: str) -> StatusError:
    msg = f"{qualified(resource, group)} {go_quote(name)} already exists"
    return StatusError(409, "AlreadyExists", msg, name, group, resource)


def conflict(resource: str, group: str, name: str, detail: str) -> StatusError:
    msg = f"Operation cannot be fulfilled on {qualified(resource, group)} {go_quote(name)}: {detail}"
    return StatusError(409, "Conflict", msg, name, group, resource)


OBJECT_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def stale_update(resource: str, group: str, name: str) -> StatusError:
    return conflict(resource, group, name, OBJECT_MODIFIED)


def invalid_object(kind: str, group: str, name: str, errors: list[FieldError]) -> StatusError:
    """``errors.NewInvalid``: 422 with a cause per field error; its message is ``ErrorList.ToAggregate``'s,
    which shows each distinct text once (a CRD's ``required: [a, a]`` makes two causes and one text)."""
    qualified_kind = f"{kind}.{group}" if group else kind
    texts = list(dict.fromkeys(str(e) for e in errors))
    summary = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    msg = f'{qualified_kind} "{name}" is invalid: {summary}'
    return StatusError(422, "Invalid", msg, name, group, kind, [e.cause() for e in errors])


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def method_not_allowed() -> StatusError:
    """A method the path has no route for: go-restful's generic answer, which names no resource."""
    return StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                       generic=True)


def unsupported_media_type(content_type: str) -> StatusError:
    return StatusError(415, "UnsupportedMediaType",
                       f"the body of the request was in an unknown format - accepted media types include: "
                       f"{', '.join(ACCEPTED_BODY_TYPES)}")


def patch_not_supported(content_type: str) -> StatusError:
    """Server-side apply is not implemented yet; say so plainly instead of pretending the body was malformed."""
    return StatusError(415, "UnsupportedMediaType",
                       f"fakekube does not support server-side apply yet (patch type {content_type!r}); "
                       "use json, merge or strategic merge patches, or PUT")


def route_unsupported_media_type() -> StatusError:
    """go-restful's own 415, before any handler: a PATCH whose ``Content-Type`` the route does not consume."""
    return StatusError(415, "UnsupportedMediaType", "415: Unsupported Media Type", generic=True)


def route_not_acceptable(produces: list[str]) -> StatusError:
    """go-restful's own 406, before any handler: an ``Accept`` naming nothing the route produces."""
    return StatusError(406, "NotAcceptable", "406: Not Acceptable\n\nAvailable representations: "
                       + ", ".join(produces), generic=True)


def unknown_patch_type(accepted: list[str]) -> StatusError:
    """A PATCH whose ``Content-Type`` is no patch type the resource takes (custom resources have no
    strategic merge patch)."""
    return StatusError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                       "accepted media types include: " + ", ".join(accepted))


def patch_decode_error(detail: str) -> StatusError:
    return bad_request(f"error decoding patch: {detail}")


def request_too_large() -> StatusError:
    """A body past kube-apiserver's 3 MiB limit."""
    return StatusError(413, "RequestEntityTooLarge", "the request is too large")


def nested_too_deeply() -> StatusError:
    """A body nested deeper than the JSON decoder allows."""
    return bad_request("the request body is nested too deeply")


def json_body_error(detail: str) -> StatusError:
    return bad_request(f"couldn't get version/kind; json parse error: {detail}")


def yaml_body_error(detail: str) -> StatusError:
    return bad_request(f"error converting YAML to JSON: yaml: {detail}")


def yaml_missing_kind() -> StatusError:
    """An empty YAML body: there is no object, so no kind."""
    return bad_request("Object 'Kind' is missing in ''")


def protobuf_body_error(detail: str) -> StatusError:
    return bad_request(f"failed to decode protobuf body: {detail}")


def invalid_integer_parameter(name: str, value: str) -> StatusError:
    """A query parameter that must be an integer and is not: the parameter codec's ``strconv.ParseInt``
    error, as it is (the parameter is not named)."""
    digits = value.lstrip("+-")
    problem = "value out of range" if digits.isascii() and digits.isdigit() else "invalid syntax"
    return bad_request(f"strconv.ParseInt: parsing {go_quote(value)}: {problem}")


def not_delete_options() -> StatusError:
    return bad_request("the body of a delete request must be a DeleteOptions object")


def subresource_name_mismatch(kind: str) -> StatusError:
    """A create through a named object's subresource (a Binding) whose body names another object."""
    return bad_request(f"name in URL does not match name in {kind} object")


def watch_name_mismatch() -> StatusError:
    """A watch of one object by name whose field selector names another."""
    return bad_request("fieldSelector metadata.name doesn't match requested name")


def not_acceptable(accepted: list[str]) -> StatusError:
    msg = "only the following media types are accepted: " + ", ".join(accepted)
    return StatusError(406, "NotAcceptable", msg)


def resource_expired(message: str = "too old resource version") -> StatusError:
    return StatusError(410, "Expired", message)


def internal_error(detail: str) -> StatusError:
    msg = f"Internal error occurred: {detail}"
    return StatusError(500, "InternalError", msg, causes=[{"message": detail}])


def namespace_not_found(namespace: str) -> StatusError:
    return not_found("namespaces", "", namespace)


def namespace_terminating(namespace: str, resource: str, group: str, name: str) -> StatusError:
    msg = (
        f'{qualified(resource, group)} "{name}" is forbidden: unable to create new content in namespace '
        f"{namespace} because it is being terminated"
    )
    return StatusError(403, "Forbidden", msg, name, group, resource,
                       [{"reason": "NamespaceTerminating", "message": f"namespace {namespace} is being terminated",
                         "field": "metadata.namespace"}])


def namespace_immortal(resource: str, group: str, name: str) -> StatusError:
    """NamespaceLifecycle refuses to delete ``default``, ``kube-system`` and ``kube-public``
    (``errors.NewForbidden``: 403, the resource and name in the details)."""
    return StatusError(403, "Forbidden", f'{qualified(resource, group)} "{name}" is forbidden: this namespace may '
                       "not be deleted", name, group, resource)


def crd_terminating_create(resource: str, group: str, name: str) -> StatusError:
    """A create of a custom resource whose CRD is being deleted (the apiextensions server's admission)."""
    return StatusError(403, "Forbidden", f'{qualified(resource, group)} "{name}" is forbidden: create not allowed '
                       "while custom resource definition is terminating", name, group, resource)


def decode_error(kind: str, version: str, detail: str, into: str = "") -> StatusError:
    """A body that cannot be decoded into the Go type (wrong JSON type, strict unknown fields); ``kind`` and
    ``version`` are the body's, ``into`` the type's kind when it is another (``transformDecodeError``)."""
    error = bad_request(f'{kind} in version "{version}" cannot be handled as a {into or kind}: {detail}')
    error.decode_detail = detail
    return error


def unrecognized_body(kind: str, detail: str, body: bytes) -> StatusError:
    """A body whose apiVersion and kind could not even be read (``transformDecodeError`` without a kind):
    the error and the start of the body (``summarizeData``: 30 bytes, as text when it opens an object)."""
    if not body:
        summary = "<empty>"
    else:
        head = body[:30]
        summary = head.decode("utf-8", "replace") if body[:1] == b"{" else head.hex()
        if len(body) > 30:
            summary += " ..."
    return bad_request(f"the object provided is unrecognized (must be of type {kind}): {detail} ({summary})")


def invalid_json_patch() -> StatusError:
    """A JSON, merge or strategic merge patch whose body is not JSON at all (checked before anything else)."""
    return bad_request("invalid JSON patch")


def patched_object_invalid(value: str, detail: str) -> StatusError:
    """A patch whose result does not decode into the type: jsonPatcher's and applyPatchToObject's 422, with
    no kind and no name, the value being the patched JSON (or the strategic patch, as Go prints a map)."""
    return invalid_object("", "", "", [invalid("patch", value, detail)])


def table_include_object_invalid(value: str) -> StatusError:
    """An ``includeObject`` a Table cannot carry (``ValidateTableOptions``), answered before any conversion."""
    err = invalid("includeObject", value, "must be 'Metadata', 'Object', 'None', or empty")
    return bad_request(f"Unable to convert to Table as requested: {err}")

__all__ = [
    "OBJECT_MODIFIED",
    "PAGE_NOT_FOUND",
    "StatusError",
    "already_exists",
    "bad_request",
    "conflict",
    "crd_terminating_create",
    "decode_error",
    "internal_error",
    "invalid_integer_parameter",
    "invalid_json_patch",
    "invalid_object",
    "json_body_error",
    "method_not_allowed",
    "namespace_immortal",
    "namespace_not_found",
    "namespace_terminating",
    "nested_too_deeply",
    "not_acceptable",
    "not_delete_options",
    "not_found",
    "not_found_path",
    "page_not_found",
    "patch_decode_error",
    "patch_not_supported",
    "patched_object_invalid",
    "protobuf_body_error",
    "qualified",
    "request_too_large",
    "resource_expired",
    "route_not_acceptable",
    "route_unsupported_media_type",
    "stale_update",
    "subresource_name_mismatch",
    "success_status",
    "table_include_object_invalid",
    "unknown_patch_type",
    "unrecognized_body",
    "unsupported_media_type",
    "watch_name_mismatch",
    "yaml_body_error",
    "yaml_missing_kind",
]
