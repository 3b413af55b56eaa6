"""Every error fakekube returns, worded and serialized as kube-apiserver does.

Clients such as kubectl print ``message`` verbatim and some compare whole bodies, so the wording
follows ``k8s.io/apimachinery/pkg/api/errors`` and ``pkg/util/validation/field``, and
``to_bytes`` keeps the Go field order of ``metav1.Status``.  This is the only module that
words errors; the other layers raise ``StatusError`` through the constructors below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube.go_text import go_quote, go_repr

# field.ErrorType -> (reason in causes, text in messages)
FIELD_ERROR_TYPES: dict[str, str] = {
    "FieldValueNotFound": "Not found",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "InternalError": "Internal error",
    "FieldValueTypeInvalid": "Invalid value",
}
# Types whose message never shows the value (field.TooMany shows the count it was given).
_VALUELESS = {"FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong", "InternalError"}
_OMIT = object()
ACCEPTED_BODY_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")


@dataclass(frozen=True)
class FieldError:
    """One ``field.Error``: a path like ``spec.template.spec.containers[0].image`` and what is wrong there."""

    type: str
    field: str
    value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        text = FIELD_ERROR_TYPES[self.type]
        if self.type not in _VALUELESS and self.value is not _OMIT:
            text += ": " + go_repr(self.value)
        if self.detail:
            text += ": " + self.detail
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}" if self.field else self.body()

    def cause(self) -> dict[str, str]:
        cause = {"reason": self.type, "message": self.body()}
        if self.field:  # metav1.StatusCause omits an empty field
            cause["field"] = self.field
        return cause


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(orjson.dumps(s).decode() for s in supported) if supported else ""
    return FieldError("FieldValueNotSupported", path, value, detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail=detail)


def too_many(path: str, actual: int, most: int, items: str = "items") -> FieldError:
    """``field.TooMany``: ``Too many: 3: must have at most 2 items``."""
    return FieldError("FieldValueTooMany", path, actual, f"must have at most {most} {items}")


def too_long(path: str, max_length: int) -> FieldError:
    return FieldError("FieldValueTooLong", path, detail=f"may not be more than {max_length} bytes")


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


# --- constructors, one per apimachinery errors.NewXxx -------------------------------------------


def not_found(resource: str, group: str, name: str) -> StatusError:
    return StatusError(404, "NotFound", f"{qualified(resource, group)} {go_quote(name)} not found", name, group,
                       resource)


def not_found_path() -> StatusError:
    """A path nothing is served at: the not-found handler's generic answer."""
    return StatusError(404, "NotFound", "the server could not find the requested resource", generic=True)


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
    """``errors.NewInvalid``: 422 listing every field error."""
    qualified_kind = f"{kind}.{group}" if group else kind
    if len(errors) == 1:
        summary = str(errors[0])
    else:
        summary = "[" + ", ".join(str(e) for e in errors) + "]"
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
    """A query parameter that must be an integer and is not."""
    return bad_request(f'{name}: Invalid value: "{value}": must be an integer')


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


def decode_error(kind: str, version: str, detail: str) -> StatusError:
    """A body that cannot be decoded into the Go type (wrong JSON type, strict unknown fields)."""
    error = bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: {detail}')
    error.decode_detail = detail
    return error


def patched_object_invalid(value: str, detail: str) -> StatusError:
    """A patch whose result does not decode into the type: jsonPatcher's and applyPatchToObject's 422, with
    no kind and no name, the value being the patched JSON (or the strategic patch, as Go prints a map)."""
    return invalid_object("", "", "", [invalid("patch", value, detail)])


# --- the write pipeline's own messages -----------------------------------------------------------


def api_version_mismatch(given: str, expected: str) -> StatusError:
    return bad_request(f"the API version in the data ({given}) does not match the expected API version ({expected})")


def kind_mismatch(given: str, expected: str) -> StatusError:
    return bad_request(f"the kind in the data ({given}) does not match the expected kind ({expected})")


def namespace_mismatch() -> StatusError:
    return bad_request("the namespace of the provided object does not match the namespace sent on the request")


def name_undeterminable(expected: str) -> StatusError:
    """A write to a named object whose body names none (``checkName``; the namer's ``errEmptyName``)."""
    return bad_request(f"the name of the object ({expected} based on URL) was undeterminable: name must be provided")


def name_mismatch(given: str, expected: str) -> StatusError:
    return bad_request(f"the name of the object ({given}) does not match the name on the URL ({expected})")


def uid_precondition_failed(resource: str, group: str, name: str, requested: str, actual: str) -> StatusError:
    """An update whose body names another uid than the stored object's (``rest.BeforeUpdate``)."""
    return conflict(resource, group, name, f"Precondition failed: UID in precondition: {requested}, UID in object "
                    f"meta: {actual}")


def delete_uid_precondition_failed(kind: str, group: str, name: str, requested: str, actual: str) -> StatusError:
    """``rest.BeforeDelete`` words these conflicts on the Kind, not the resource."""
    return conflict(kind, group, name, f"the UID in the precondition ({requested}) does not match the UID in record "
                    f"({actual}). The object might have been deleted and then recreated")


def delete_resource_version_precondition_failed(kind: str, group: str, name: str, requested: str,
                                                actual: Any) -> StatusError:
    return conflict(kind, group, name, f"the ResourceVersion in the precondition ({requested}) does not match the "
                    f"ResourceVersion in record ({actual}). The object might have been modified")


def namespace_content_remaining(name: str) -> StatusError:
    """A second delete of a namespace whose contents are still being removed."""
    return conflict("namespaces", "", name, "The system is ensuring all content is removed from this namespace.  "
                    "Upon completion, this namespace will automatically be purged by the system.")


def pod_already_assigned(name: str, node: str) -> StatusError:
    return conflict("pods/binding", "", name, f'pod {name} is already assigned to node "{node}"')


def pod_being_deleted(name: str) -> StatusError:
    return conflict("pods/binding", "", name, f"pod {name} is being deleted, cannot be assigned to a host")


def pod_scheduling_gated(name: str) -> StatusError:
    return conflict("pods/binding", "", name, f"pod {name} has non-empty .spec.schedulingGates")


def patch_not_an_object() -> StatusError:
    return bad_request("the patch turned the object into something that is not an object")


# --- lists and the Python API ------------------------------------------------------------------

CONTINUE_TOO_OLD = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new list "
    "without the continue parameter, or use the continue token in this response to retrieve the remainder of the "
    "results. Continuing with the provided token results in an inconsistent list - objects that were created, "
    "modified, or deleted between the time the first chunk was returned and now may show up in the list."
)


def invalid_continue(detail: str) -> StatusError:
    return bad_request(f"continue key is not valid: {detail}")


def continue_expired(fresh_token: str) -> StatusError:
    """As upstream, the 410 carries a token to continue, inconsistently, from the latest state."""
    return StatusError(410, "Expired", CONTINUE_TOO_OLD, continue_token=fresh_token)


def invalid_resource_version(value: str) -> StatusError:
    return bad_request(f'Invalid value: "{value}": must be a valid resourceVersion')


def resource_version_with_continue() -> StatusError:
    return bad_request("specifying resource version is not allowed when using continue")


def resource_version_too_large(requested: int, current: int) -> StatusError:
    return StatusError(504, "Timeout", f"Timeout: Too large resource version: {requested}, current: {current}",
                       causes=[{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
                       retry_after=1)


def no_kind_match(kind: str, api_version: str) -> StatusError:
    return bad_request(f'no matches for kind "{kind}" in version "{api_version}"')


def no_resource_type(kind: str) -> StatusError:
    return bad_request(f'the server doesn\'t have a resource type "{kind}"')


# --- server-side apply (apimachinery's managedfields/internal and the patch handler) -----------------


def apply_conflicts(conflicts: list[tuple[str, str, str]]) -> StatusError:
    """409 of an apply that would change fields other managers own.  ``conflicts`` holds (the manager's
    identity as kube sorts it, the manager as kube prints it, the field path), in the order found."""
    causes = [{"type": "FieldManagerConflict", "message": f"conflict with {printed}", "field": path}
              for _, printed, path in conflicts]
    if len(conflicts) == 1:
        message = f"Apply failed with 1 conflict: conflict with {conflicts[0][1]}: {conflicts[0][2]}"
    else:
        by_manager: dict[str, tuple[str, list[str]]] = {}
        for key, printed, path in conflicts:
            by_manager.setdefault(key, (printed, []))[1].append(path)
        lines: list[str] = []
        for key in sorted(by_manager):
            printed, paths = by_manager[key]
            lines.append(f"conflicts with {printed}:")
            lines.extend(f"- {path}" for path in paths)
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return StatusError(409, "Conflict", message, causes=causes)


def managed_fields_must_be_nil() -> StatusError:
    return bad_request("metadata.managedFields must be nil")


def invalid_apply_object_type(group_version_kind: str) -> StatusError:
    return bad_request(f"invalid object type: {group_version_kind}")


def apply_yaml_error(detail: str) -> StatusError:
    return bad_request(f"error decoding YAML: {detail}")


def apply_strict_yaml_error(detail: str) -> StatusError:
    return bad_request(f"error strict decoding YAML: {detail}")


def typed_patch_object_error(namespace: str, name: str, group_version_kind: str, detail: str) -> StatusError:
    """A configuration that does not fit the schema's list and map semantics: kube-apiserver answers a
    plain error (500, no reason) from structured-merge-diff's typed conversion."""
    return StatusError(500, "", f"failed to create typed patch object ({namespace}/{name}; {group_version_kind}): "
                                f"{detail}")


def decode_managed_fields_error(detail: str) -> StatusError:
    return StatusError(500, "", f"failed to decode managed fields: {detail}")


# --- start-up settings, refused as kube-apiserver refuses its flags (not Status errors) ------------


class RuntimeConfigError(ValueError):
    """A runtime config (``--runtime-config``) kube-apiserver refuses to start with."""


def runtime_config_only_all_false() -> RuntimeConfigError:
    return RuntimeConfigError("invalid key with only api/all=false")


def runtime_config_invalid_key(key: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"runtime-config invalid key {key}")


def runtime_config_invalid_stage_value(key: str, value: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"invalid value {key}={value}")


def runtime_config_invalid_bool(key: str, value: str) -> RuntimeConfigError:
    """A group/version value that Go's ``strconv.ParseBool`` refuses."""
    return RuntimeConfigError(
        f"invalid value of {key}: {value}, err: strconv.ParseBool: parsing {go_quote(value)}: invalid syntax")


def runtime_config_mapping_value(key: str, value: Any) -> RuntimeConfigError:
    """A runtime config given as a mapping holds booleans (or the flag's text); anything else is refused."""
    return RuntimeConfigError(f"invalid value of {key}: {value!r} ({type(value).__name__}): use true or false")


def runtime_config_unknown_groups(groups: list[str]) -> RuntimeConfigError:
    return RuntimeConfigError(f"unknown api groups {','.join(groups)}")


def runtime_config_unregistered_version(group_version: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"group version {group_version} that has not been registered")


def runtime_config_resource_not_plural(key: str, resource: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"invalid key {key}: group/version/resource and resource is always lowercase "
                              f"plural, not {go_quote(resource)}")


def runtime_config_without_namespaces() -> RuntimeConfigError:
    """kube-apiserver would start and never become ready; a fake cluster cannot even create its namespaces."""
    return RuntimeConfigError("the runtime config turns off namespaces (core group, version v1), without "
                              "which fakekube cannot run")
