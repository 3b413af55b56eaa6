"""The resource catalog: what a cluster serves, for built-in kinds and (later) custom resources alike.

The generated ``schemas/v1.NN/catalog.json`` is loaded once per process and shared (it is
immutable).  Each cluster owns a ``Catalog`` view over it that filters API versions the way a
default kube-apiserver does (GA on, alpha/beta off unless enabled, in the spirit of
``--runtime-config``) and can grow and shrink at run time, so routing never needs rebuilding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from fakekube import conversion, kinds
from fakekube.registry.resources import ResourceInfo, SubresourceInfo
from fakekube.schema import files as schema_files

SUPPORTED_VERSIONS = ("v1.33", "v1.34", "v1.35", "v1.36")
DEFAULT_VERSION = "v1.36"

_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple[int, int, int]:
    """Sort key of Kubernetes API versions: GA > beta > alpha, then higher numbers first."""
    match = _VERSION_RE.match(version)
    if not match:
        return (-1, 0, 0)
    major = int(match.group(1))
    stage = {"alpha": 0, "beta": 1, None: 2}[match.group(2)]
    minor = int(match.group(3) or 0)
    return (stage, major, minor)


def _resource_from_record(kubernetes_version: str, rec: Mapping[str, Any],
                          storage: conversion.StorageChoice) -> ResourceInfo:
    return ResourceInfo(
        strategy=kinds.builtin_strategy(rec["group"], rec["kind"]),
        kubernetes_version=kubernetes_version,
        storage_key=storage.table,
        storage_version=storage.api_version,
        group=rec["group"],
        version=rec["version"],
        kind=rec["kind"],
        plural=rec["plural"],
        singular=rec["singular"],
        namespaced=rec["namespaced"],
        verbs=frozenset(rec["verbs"]),
        list_kind=rec.get("listKind"),
        short_names=tuple(rec.get("shortNames", ())),
        categories=tuple(rec.get("categories", ())),
        definition=rec.get("definition"),
        subresources=tuple(
            SubresourceInfo(s["name"], s["group"], s["version"], s["kind"], frozenset(s["verbs"]))
            for s in rec.get("subresources", ())
        ),
    )


@functools.cache
def builtin_resources(kubernetes_version: str) -> tuple[ResourceInfo, ...]:
    """Every resource the OpenAPI document of ``kubernetes_version`` describes (all stages)."""
    records = orjson.loads(schema_files.read(kubernetes_version, "catalog.json"))["resources"]
    versions: dict[tuple[str, str], list[str]] = {}
    for rec in records:
        versions.setdefault((rec["group"], rec["plural"]), []).append(rec["version"])
    return tuple(
        _resource_from_record(kubernetes_version, rec, conversion.storage_for(
            kubernetes_version, rec["group"], rec["plural"], versions[(rec["group"], rec["plural"])]))
        for rec in records)


def parse_runtime_config(spec: str | Mapping[str, bool] | None) -> dict[str, bool]:
    """``api/all=true,resource.k8s.io/v1beta1=true,batch/v1=false`` -> {"api/all": True, ...}."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return dict(spec)
    out: dict[str, bool] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        out[key.strip()] = value.strip().lower() not in ("false", "0")
    return out


def _enabled(runtime_config: Mapping[str, bool], group: str, version: str) -> bool:
    gv = f"{group}/{version}" if group else f"api/{version}"
    if gv in runtime_config:
        return runtime_config[gv]
    if not group and f"/{version}" in runtime_config:
        return runtime_config[f"/{version}"]
    stage = version_priority(version)[0]
    if stage == 2:
        return runtime_config.get("api/ga", True)
    if stage == 1:
        return runtime_config.get("api/beta", runtime_config.get("api/all", False))
    return runtime_config.get("api/alpha", runtime_config.get("api/all", False))


@functools.lru_cache(maxsize=64)
def _enabled_resources(kubernetes_version: str, runtime_config: tuple[tuple[str, bool], ...]
                       ) -> tuple[ResourceInfo, ...]:
    """The built-in resources a cluster starts with, per version and runtime config (shared, immutable)."""
    config = dict(runtime_config)
    return tuple(r for r in builtin_resources(kubernetes_version) if _enabled(config, r.group, r.version))


class Catalog:
    """The resources one cluster serves; lookups are dictionary hits, additions take effect at once."""

    def __init__(self, kubernetes_version: str = DEFAULT_VERSION, runtime_config: Mapping[str, bool] | None = None):
        if kubernetes_version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"unsupported Kubernetes version {kubernetes_version!r}; choose one of {', '.join(SUPPORTED_VERSIONS)}"
            )
        self.kubernetes_version = kubernetes_version
        self.runtime_config = dict(runtime_config or {})
        enabled = _enabled_resources(kubernetes_version, tuple(sorted(self.runtime_config.items())))
        self._by_path: dict[tuple[str, str, str], ResourceInfo] = {
            (r.group, r.version, r.plural): r for r in enabled}
        self._by_kind: dict[tuple[str, str, str], ResourceInfo] = {(r.group, r.version, r.kind): r for r in enabled}

    # --- mutation (CRDs) ------------------------------------------------------------------------

    def add(self, res: ResourceInfo) -> None:
        self._by_path[(res.group, res.version, res.plural)] = res
        self._by_kind[(res.group, res.version, res.kind)] = res

    def remove(self, group: str, version: str, plural: str) -> None:
        res = self._by_path.pop((group, version, plural), None)
        if res is not None:
            self._by_kind.pop((group, version, res.kind), None)

    # --- lookups --------------------------------------------------------------------------------

    def get(self, group: str, version: str, plural: str) -> ResourceInfo | None:
        return self._by_path.get((group, version, plural))

    def by_kind(self, group: str, version: str, kind: str) -> ResourceInfo | None:
        return self._by_kind.get((group, version, kind))

    def by_api_version(self, api_version: str, kind: str) -> ResourceInfo | None:
        group, _, version = api_version.rpartition("/")
        return self._by_kind.get((group, version, kind))

    def resources(self) -> Iterable[ResourceInfo]:
        return self._by_path.values()

    def group_versions(self) -> dict[str, list[str]]:
        """group -> served versions, highest priority first (the first one is the preferred version)."""
        groups: dict[str, set[str]] = {}
        for res in self._by_path.values():
            groups.setdefault(res.group, set()).add(res.version)
        return {g: sorted(vs, key=version_priority, reverse=True) for g, vs in groups.items()}

    def has_group_version(self, group: str, version: str) -> bool:
        return any(r.group == group and r.version == version for r in self._by_path.values())

    def resources_in(self, group: str, version: str) -> list[ResourceInfo]:
        return sorted((r for r in self._by_path.values() if r.group == group and r.version == version),
                      key=lambda r: r.plural)
