"""Warnings admission adds to a request (kube's ``warning.AddWarning(ctx, ...)``): a ValidatingAdmissionPolicy
binding with the ``Warn`` action reports a failed validation this way instead of refusing the write.

A plugin returns nothing but may raise; the warnings it records go in a ``ContextVar`` list opened around one
registry call (``recording``), which ``with_admission_warnings``, wrapping the registry's writes, adds to the
call's ``Result.warnings`` (or to a refusal's ``Warning`` header).  A context variable,
not a field of the frozen ``Context``, because the plugin chain is shared by every write path (create, update,
patch, apply, delete, subresources) and the warnings belong to the one call running now, even when calls
nest (a controller writing from a store listener).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, Protocol, TypeVar

from fakekube import errors

_RECORDED: ContextVar[list[str] | None] = ContextVar("admission_warnings", default=None)


@contextmanager
def recording() -> Iterator[list[str]]:
    """The warnings recorded while the block runs (a fresh list per block, the outer one restored after)."""
    found: list[str] = []
    token = _RECORDED.set(found)
    try:
        yield found
    finally:
        _RECORDED.reset(token)


def add_warning(text: str) -> None:
    """Record ``text`` for the running call, once; outside ``recording`` (nobody to tell) it is dropped."""
    found = _RECORDED.get()
    if found is not None and text not in found:
        found.append(text)


class _Answer(Protocol):
    warnings: list[str]


Answer = TypeVar("Answer", bound=_Answer)
Params = ParamSpec("Params")


def with_admission_warnings(method: Callable[Params, Answer]) -> Callable[Params, Answer]:
    """A registry write (``Registry.create``...) whose answer carries the warnings admission recorded, after
    its own; a refusal carries them too (kube writes each warning's header as it is added, so an error
    answer has them), as the error's ``Warning`` header."""

    @functools.wraps(method)
    def write(*args: Params.args, **kwargs: Params.kwargs) -> Answer:
        with recording() as warned:
            try:
                result = method(*args, **kwargs)
            except errors.StatusError as exc:
                if warned and "Warning" not in exc.headers:
                    exc.headers["Warning"] = ", ".join(errors.warning_header_value(text) for text in warned)
                raise
        result.warnings.extend(text for text in warned if text not in result.warnings)
        return result

    return write
