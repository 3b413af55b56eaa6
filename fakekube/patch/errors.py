"""``PatchError``: the status a failed patch gets, and the shared texts and constructors the engines raise it with."""

from __future__ import annotations

from typing import Any

UNPROCESSABLE_MESSAGE = "the server rejected our request due to an error in our request"
PANIC_MESSAGE = "This request caused apiserver to panic. Look in the logs for details."


class PatchError(Exception):
    """A failed patch, as the ``metav1.Status`` kube-apiserver answers with.

    ``cause`` is the engine's own error text (the same as ``message`` unless the server hides it behind a
    generic message); ``details`` is the Status ``details`` the server sends (``{}`` for the generic 422,
    ``None`` when it sends none); ``panicked`` marks a Go panic, which the real server answers with a plain-text
    500 body rather than a Status.
    """

    def __init__(self, code: int, reason: str, message: str, *, cause: str | None = None,
                 details: dict[str, Any] | None = None, panicked: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.cause = message if cause is None else cause
        self.details = details
        self.panicked = panicked

    def __repr__(self) -> str:
        return f"PatchError({self.code}, {self.reason!r}, {self.message!r})"


def _bad_request(message: str) -> PatchError:
    return PatchError(400, "BadRequest", message)


def _unprocessable(cause: str) -> PatchError:
    """``NewGenericServerResponse(422, ...)``: the engine's text goes nowhere near the client."""
    return PatchError(422, "Invalid", UNPROCESSABLE_MESSAGE, cause=cause, details={})


def _unconverted(message: str) -> PatchError:
    """A plain Go error reaching ``ErrorToAPIStatus``: 500, reason ``StatusReasonUnknown`` (empty)."""
    return PatchError(500, "", message)


def _panic(cause: str) -> PatchError:
    return PatchError(500, "InternalError", PANIC_MESSAGE, cause=cause, panicked=True)


class _GoPanic(Exception):
    """Where the Go code would panic (nil dereference, comparing or hashing maps)."""
