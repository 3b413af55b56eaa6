"""The write pipeline's own messages, and those of lists and the Python API."""

from __future__ import annotations

from typing import Any

from fakekube.errors.status import StatusError, bad_request, conflict
from fakekube.go_text import go_quote


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
    """A continue token that does not decode: the storage's "invalid continue token" over its own error."""
    return bad_request(f"invalid continue token: continue key is not valid: {detail}")


def unrecognized_continue_version(version: str) -> StatusError:
    return bad_request(f"invalid continue token: continue key is not valid: server does not recognize this encoded "
                       f"version {version}")


def continue_expired(fresh_token: str) -> StatusError:
    """As upstream, the 410 carries a token to continue, inconsistently, from the latest state."""
    return StatusError(410, "Expired", CONTINUE_TOO_OLD, continue_token=fresh_token)


def parse_uint_error(value: str) -> str | None:
    """What Go's ``strconv.ParseUint(value, 10, 64)`` says of ``value`` (None: it parses): how the storage
    reads a resourceVersion."""
    if not value or not value.isascii() or not value.isdigit():
        return f"strconv.ParseUint: parsing {go_quote(value)}: invalid syntax"
    if int(value) >= 2**64:
        return f"strconv.ParseUint: parsing {go_quote(value)}: value out of range"
    return None


def _resource_version_field_error(value: str, detail: str) -> str:
    return f"resourceVersion: Invalid value: {go_quote(value)}: {detail}"


def invalid_resource_version(value: str, detail: str) -> StatusError:
    """A list's resourceVersion that is not a number: the storage's invalid-field error, as a 400."""
    return bad_request(f"invalid resource version: {_resource_version_field_error(value, detail)}")


def invalid_watch_resource_version(value: str, detail: str) -> StatusError:
    """A watch's: the same error reaches the handler unwrapped, so it is a plain 500 without a reason."""
    return StatusError(500, "", _resource_version_field_error(value, detail))


def unparsable_object_resource_version(detail: str) -> StatusError:
    """An update whose body's resourceVersion is not a number: the versioner's error, a plain 500."""
    return StatusError(500, "", detail)


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

__all__ = [
    "CONTINUE_TOO_OLD",
    "api_version_mismatch",
    "continue_expired",
    "delete_resource_version_precondition_failed",
    "delete_uid_precondition_failed",
    "invalid_continue",
    "invalid_resource_version",
    "invalid_watch_resource_version",
    "kind_mismatch",
    "name_mismatch",
    "name_undeterminable",
    "namespace_mismatch",
    "no_kind_match",
    "no_resource_type",
    "parse_uint_error",
    "patch_not_an_object",
    "pod_already_assigned",
    "pod_being_deleted",
    "pod_scheduling_gated",
    "resource_version_too_large",
    "resource_version_with_continue",
    "uid_precondition_failed",
    "unparsable_object_resource_version",
    "unrecognized_continue_version",
]
