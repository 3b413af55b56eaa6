"""What the HTTP layer needs of a cluster: a narrow interface, so handlers never reach through the facade.

``FakeCluster`` provides it; the handlers, options parsing and watch serving see only this.
"""

from __future__ import annotations

from typing import Any, Protocol

from fakekube.registry.catalog import Catalog
from fakekube.registry.rest import Registry


class WatchSettings(Protocol):
    @property
    def bookmark_interval(self) -> float: ...

    @property
    def watch_buffer(self) -> int: ...

    @property
    def watch_timeout(self) -> float: ...


class ClusterState(Protocol):
    """One cluster's state as the HTTP layer sees it."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def registry(self) -> Registry: ...

    @property
    def settings(self) -> WatchSettings: ...

    @property
    def kubernetes_version(self) -> str: ...

    @property
    def git_version(self) -> str: ...

    def version_info(self) -> dict[str, Any]: ...
