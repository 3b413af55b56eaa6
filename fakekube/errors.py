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
    """``field.TooMany``: ``Too many: 3: must have at most 2 items`` (a negative limit, which a CRD may
    declare, is worded without it)."""
    if most < 0:
        return FieldError("FieldValueTooMany", path, actual, "has too many items")
    return FieldError("FieldValueTooMany", path, actual, f"must have at most {most} {items}")


def too_long(path: str, max_length: int) -> FieldError:
    """``field.TooLong``: ``may not be more than 2 bytes``, ``1 byte``; a negative limit is not shown."""
    if max_length < 0:
        return FieldError("FieldValueTooLong", path, detail="value is too long")
    unit = "byte" if max_length == 1 else "bytes"
    return FieldError("FieldValueTooLong", path, detail=f"may not be more than {max_length} {unit}")


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


def crd_terminating_create(resource: str, group: str, name: str) -> StatusError:
    """A create of a custom resource whose CRD is being deleted (the apiextensions server's admission)."""
    return StatusError(403, "Forbidden", f'{qualified(resource, group)} "{name}" is forbidden: create not allowed '
                       "while custom resource definition is terminating", name, group, resource)


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


# --- CustomResourceDefinition validation (apiextensions-apiserver's validation.go and schema checks) ---


@dataclass(frozen=True)
class GoValueFieldError(FieldError):
    """A field error whose value kube prints with Go's ``%#v`` of an internal struct (``shown``), which no
    JSON rendering reproduces (``[]apiextensions.CustomResourceDefinitionVersion{...}``)."""

    shown: str = ""

    def body(self) -> str:
        text = f"{FIELD_ERROR_TYPES[self.type]}: {self.shown}"
        return f"{text}: {self.detail}" if self.detail else text


def invalid_go_value(path: str, shown: str, detail: str) -> FieldError:
    """``field.Invalid`` of a Go struct or slice value, ``shown`` already rendered as ``%#v`` renders it."""
    return GoValueFieldError("FieldValueInvalid", path, detail=detail, shown=shown)


def duplicate(path: str, value: Any) -> FieldError:
    """``field.Duplicate``."""
    return FieldError("FieldValueDuplicate", path, value)


def internal_field_error(path: str, detail: str) -> FieldError:
    """``field.InternalError``."""
    return FieldError("InternalError", path, detail=detail)


CRD_STORAGE_VERSION_COUNT = "must have exactly one version marked as storage version"
CRD_UNIQUE_VERSIONS = "must contain unique version names"
CRD_STRUCTURAL_TYPE_MISSING = {
    "root": "must not be empty at the root",
    "item": "must not be empty for specified array items",
    "field": "must not be empty for specified object fields",
}
CRD_METADATA_RESTRICTED = ("must not specify anything other than name and generateName, but metadata is implicitly "
                           "specified")
CRD_COLUMN_TYPES = "must be one of boolean,date,integer,number,string"
CRD_COLUMN_FORMATS = "must be one of byte,date,date-time,double,float,int32,int64,password"
CRD_SELECTABLE_TYPE = ("must point to a field of type string, boolean or integer. Enum string fields and strings "
                       "with formats are allowed.")
CRD_API_APPROVAL = "api-approved.kubernetes.io"
CRD_APPROVAL_MISSING = (f'protected groups must have approval annotation "{CRD_API_APPROVAL}", see '
                        "https://github.com/kubernetes/enhancements/pull/1111")
CRD_APPROVAL_INVALID = (f'protected groups must have approval annotation "{CRD_API_APPROVAL}" with either a URL or a '
                        'reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111')
WEBHOOK_URL_FORM = "; desired format: https://host[/path]"


def crd_stored_version_missing(path: str, version: str) -> FieldError:
    """A stored version dropped from ``spec.versions`` before a storage migration."""
    return invalid(path, version, f"missing from spec.versions; {version} was previously a storage version, and must "
                   f"remain in spec.versions until a storage migration ensures no data remains persisted in {version} "
                   f"and removes {version} from status.storedVersions")


# RE2's error texts (``kErrorStrings``) as Go's ``regexp/syntax.ErrorCode`` words them.
_GO_REGEXP_CODES = {
    "missing ]": "missing closing ]",
    "missing )": "missing closing )",
    "trailing \\": "trailing backslash at end of expression",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid repetition size": "invalid repeat count",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
}


def go_regexp_parse_error(re2_code: str, expr: str) -> str:
    """Go's ``*syntax.Error`` text for a pattern RE2 refused with ``re2_code`` at ``expr``."""
    return f"error parsing regexp: {_GO_REGEXP_CODES.get(re2_code, re2_code)}: `{expr}`"


def crd_cost_exceeded(path: str, cost_name: str, cost: int, limit: int) -> FieldError:
    """``getCostErrorMessage``: a CEL rule (or all of a schema's rules) estimated over budget."""
    factor = cost / limit
    shown = "more than 100x" if factor > 100 else f"{factor:f}x" if factor < 1.5 else f"{factor:.1f}x"
    return forbidden(path, f"{cost_name} exceeds budget by factor of {shown} (try simplifying the rule, or adding "
                     "maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)")


# --- CEL rules of custom resources (fakekube.cel) --------------------------------------------------


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


# --- CRD versions and conversion webhooks (apiextensions-apiserver's webhook_converter.go, with the
# --- texts client-go's rest client and Go's net/http give a failed call) ------------------------------
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


# --- custom resources' subresources (apiextensions-apiserver's ScaleREST and custom resource strategy) ----------


def unknown_server_error(message: str) -> StatusError:
    """An error kube-apiserver's REST storage returns without a Status (an ``unstructured`` accessor's): a 500
    with no reason, its text as the message (``ErrorToAPIStatus``)."""
    return StatusError(500, "", message)


def scale_spec_replicas_missing(path: str) -> StatusError:
    """GET ``/scale`` of a custom resource without spec replicas."""
    return internal_error(f"the spec replicas field {go_quote(path)} does not exist")


def scale_spec_replicas_empty(path: str) -> StatusError:
    """A ``/scale`` patch that leaves unset spec replicas unset."""
    return bad_request(f"the spec replicas field {go_quote(path)} cannot be empty")
