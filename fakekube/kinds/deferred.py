"""Functions whose module loads on their first call, for the ported validation rules.

``kinds/validation/`` is a fifth of fakekube's source (the pod spec's rules alone are a hundred kilobytes),
and a kind's rules are needed by its first write, not by a server that starts: ``fakekube serve`` and
``fakekube check`` would otherwise load (or, without a bytecode cache, compile) all of them before doing
anything.  A strategy names such a rule through a loader::

    @deferred
    def _validate_deployment() -> Validate:
        from fakekube.kinds.validation.apps import validate_deployment

        return validate_deployment

The import stays a plain statement (type-checked, and seen by ``lint-imports``); it runs on the first call
and its function is then called directly.  ``load_all`` runs every loader: the HTTP layer does so before a
server starts on a thread of its own (``fakekube.http.app.load_request_time_modules``), as an import on the
server's thread while a test's thread imports too can fail under pytest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_LOADERS: list[Callable[[], object]] = []
# Two clusters started from two threads may reach a loader at once: one of them imports, the other waits for it
# (re-entrant, as a rule module's import may itself call another deferred function).
_LOCK = threading.RLock()


def deferred(load: Callable[[], Callable[P, R]]) -> Callable[P, R]:
    """The function ``load`` returns, imported on the first call."""
    loaded: list[Callable[P, R]] = []

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        if not loaded:
            with _LOCK:
                if not loaded:
                    loaded.append(load())
        return loaded[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = load.__name__
    call.__doc__ = load.__doc__
    _LOADERS.append(load)
    return call


def load_all() -> None:
    """Import every deferred function's module now."""
    with _LOCK:
        for load in _LOADERS:
            load()
