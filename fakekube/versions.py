"""The Kubernetes versions fakekube emulates.

A module that imports nothing of fakekube, so that what only needs the list (the pytest plugin's options,
the command line's ``--help``) does not load the server to get it.

It also says which release the write being handled is served as (``serving``): the registry sets it around
every write from the resource's release, and what words a write's errors differently by release reads it
(``served_minor``) -- field errors' values, and validation texts that changed between releases.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SUPPORTED_VERSIONS = ("v1.33", "v1.34", "v1.35", "v1.36", "v1.37")
DEFAULT_VERSION = "v1.37"


def minor_of(kubernetes_version: str) -> int:
    """The minor release of ``v1.NN`` (behaviour that changed between releases is keyed on it)."""
    return int(kubernetes_version.rpartition(".")[2])


_SERVED: ContextVar[str] = ContextVar("served_kubernetes_version", default=DEFAULT_VERSION)


@contextmanager
def serving(kubernetes_version: str) -> Iterator[None]:
    """Inside, the write being handled is served as ``kubernetes_version`` (``v1.NN``)."""
    token = _SERVED.set(kubernetes_version or DEFAULT_VERSION)
    try:
        yield
    finally:
        _SERVED.reset(token)


def served_minor() -> int:
    """The minor release the write being handled is served as (the default release outside a write)."""
    return minor_of(_SERVED.get())
