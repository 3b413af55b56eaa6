"""fakekube: an in-memory fake Kubernetes API server for tests.

The public surface is deliberately small: ``FakeCluster`` (one isolated cluster, served over HTTP
from a thread or the caller's event loop) and ``ManifestError``.  Everything else is internal.
"""

from fakekube.cluster import ClusterSettings, FakeCluster
from fakekube.manifests import ManifestError
from fakekube.registry.catalog import DEFAULT_VERSION, SUPPORTED_VERSIONS

__all__ = ["DEFAULT_VERSION", "SUPPORTED_VERSIONS", "ClusterSettings", "FakeCluster", "ManifestError"]
