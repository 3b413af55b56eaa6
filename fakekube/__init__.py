"""fakekube: an in-memory fake Kubernetes API server for tests.

The public surface is deliberately small: ``FakeCluster`` (one isolated cluster, served over HTTP
from a thread or the caller's event loop), its ``ClusterSettings``, and the errors its Python API
raises: ``StatusError`` (what the API server answered: ``code``, ``reason``, ``message``,
``details``), ``ManifestError`` (manifests that could not be read or applied, every one listed in
``problems``) and ``ManifestWarning``.  Everything else is internal.

The names load on first use (PEP 562): the pytest plugin imports this package in every pytest
process, and one that never makes a cluster should not pay for the server's modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

if TYPE_CHECKING:
    from fakekube.cluster import ClusterSettings, FakeCluster
    from fakekube.errors import StatusError
    from fakekube.loading import ManifestWarning
    from fakekube.manifests import ManifestError, Problem

__all__ = ["DEFAULT_VERSION", "SUPPORTED_VERSIONS", "ClusterSettings", "FakeCluster", "ManifestError",
           "ManifestWarning", "Problem", "StatusError"]
_HOMES = {"ClusterSettings": "fakekube.cluster", "FakeCluster": "fakekube.cluster", "StatusError": "fakekube.errors",
          "ManifestWarning": "fakekube.loading", "ManifestError": "fakekube.manifests", "Problem": "fakekube.manifests"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fakekube' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups are plain attribute hits
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
