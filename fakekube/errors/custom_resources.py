"""Custom resources' subresources (apiextensions-apiserver's ScaleREST and custom resource strategy)."""

from __future__ import annotations

from fakekube.errors.status import StatusError, bad_request, internal_error
from fakekube.go_text import go_quote


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

__all__ = [
    "scale_spec_replicas_empty", "scale_spec_replicas_missing", "unknown_server_error",
]
