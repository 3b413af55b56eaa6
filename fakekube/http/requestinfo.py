"""Request paths -> what they address, resolved through the cluster's catalog (no route tables).

kube-apiserver registers one route per resource; we parse the path instead, so one dispatcher
serves every cluster and resources added at run time are reachable at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo


@dataclass(frozen=True)
class ResourceTarget:
    res: ResourceInfo
    namespace: str | None  # None: all namespaces (or cluster-scoped)
    name: str | None
    subresource: str | None
    legacy_watch: bool  # /watch/ path prefix


@dataclass(frozen=True)
class GroupVersionTarget:
    """``/api/v1`` or ``/apis/<g>/<v>`` with nothing after: resource discovery."""

    group: str
    version: str


@dataclass(frozen=True)
class GroupTarget:
    group: str


def parse(path: str, catalog: Catalog) -> ResourceTarget | GroupVersionTarget | GroupTarget | None:
    """Resolve an ``/api/...`` or ``/apis/...`` path; None when nothing is served there."""
    parts = path.strip("/").split("/")
    if not parts or "" in parts:  # "//" inside a path addresses nothing
        return None
    if parts[0] == "api":
        if len(parts) < 2:
            return None
        group, version, rest = "", parts[1], parts[2:]
    elif parts[0] == "apis":
        if len(parts) == 2:
            return GroupTarget(parts[1])
        if len(parts) < 3:
            return None
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    if not rest:
        return GroupVersionTarget(group, version)
    legacy_watch = False
    if rest[0] == "watch":
        legacy_watch = True
        rest = rest[1:]
        if not rest:
            return None
    namespace: str | None = None
    if rest[0] == "namespaces" and len(rest) >= 3:
        inner = catalog.get(group, version, rest[2])
        if inner is not None and inner.namespaced:
            namespace = rest[1]
            rest = rest[2:]
    res = catalog.get(group, version, rest[0])
    if res is None:
        return None
    if namespace is not None and not res.namespaced:
        return None
    name = rest[1] if len(rest) >= 2 else None
    if name is not None and res.namespaced and namespace is None:
        return None  # /api/v1/pods/x: namespaced objects are only addressed inside their namespace
    subresource = rest[2] if len(rest) >= 3 else None
    if len(rest) > 3 and subresource != "proxy":
        return None
    if subresource is not None and res.subresource(subresource) is None:
        return None
    return ResourceTarget(res, namespace, name, subresource, legacy_watch)
