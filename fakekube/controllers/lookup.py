"""What controllers ask of the catalog: the served resource through which a stored object is written.

Controllers see the store's tables (a storage key per group-resource); to write an object they go
through a served resource of that table, preferably the one served in the storage version, as
kube-controller-manager picks the preferred version of a resource from discovery.
"""

from __future__ import annotations

from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo


def resource_for_table(catalog: Catalog, table: str, verb: str = "delete") -> ResourceInfo | None:
    """A served resource stored in ``table`` that allows ``verb`` (None when nothing serves it)."""
    found: ResourceInfo | None = None
    for res in catalog.resources():
        if res.storage_key == table and verb in res.verbs:
            if res.api_version == res.storage_version:
                return res
            found = found or res
    return found


def group_resource(res: ResourceInfo) -> str:
    """``resource.group`` as the namespace controller names resources in its conditions (``pods.`` for core)."""
    return f"{res.plural}.{res.group}"
