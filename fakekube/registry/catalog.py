"""The resource catalog: what a cluster serves, for built-in kinds and (later) custom resources alike.

The generated ``schemas/v1.NN/catalog.json`` is loaded once per process and shared (it is
immutable).  Each cluster owns a ``Catalog`` view over it that filters API versions the way a
default kube-apiserver does (GA on, alpha/beta off unless enabled through a runtime config read
and checked as kube-apiserver's ``--runtime-config``) and can grow and shrink at run time, so
routing never needs rebuilding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from fakekube import conversion, errors, kinds
from fakekube.kinds.lifecycle import deprecation_warning
from fakekube.kinds.printers import with_printer_columns
from fakekube.registry.resources import ResourceInfo, SubresourceInfo
from fakekube.schema import files as schema_files
from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS, minor_of

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
    strategy = kinds.builtin_strategy(rec["group"], rec["kind"])
    if strategy.for_release is not None:
        strategy = strategy.for_release(kubernetes_version)
    strategy = with_printer_columns(strategy, rec["kind"], kubernetes_version)
    return ResourceInfo(
        strategy=strategy,
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
        deprecation_warning=deprecation_warning(minor_of(kubernetes_version), rec["group"], rec["version"],
                                                rec["kind"]),
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


# ``--runtime-config`` keys that address every version of a stability level; kube-apiserver applies them
# in this order (a later one wins for the versions it matches), then group/version keys, then
# group/version/resource keys.
API_ALL, API_GA, API_BETA, API_ALPHA = "api/all", "api/ga", "api/beta", "api/alpha"
STAGE_KEYS = (API_ALL, API_GA, API_BETA, API_ALPHA)
_STAGE_KEY = {0: API_ALPHA, 1: API_BETA, 2: API_GA}  # version_priority's stage -> its key
# The spellings Go's strconv.ParseBool accepts, which kube-apiserver uses for group/version values.
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_runtime_config(spec: str | Mapping[str, bool] | None) -> dict[str, bool]:
    """``api/all=true,resource.k8s.io/v1beta1=true,batch/v1=false`` -> {"api/all": True, ...}.

    Read as kube-apiserver reads ``--runtime-config`` (comma-separated ``key[=value]``, spaces trimmed, a
    bare key meaning true), with the core group's keys (``v1``, ``api/v1``...) folded into ``/v1`` and
    ``api/legacy`` dropped as it does.  Malformed keys and values raise ``RuntimeConfigError``; whether the
    groups and versions exist depends on the Kubernetes version, so ``Catalog`` checks that.
    """
    if spec is None:
        return {}
    raw = _split_pairs(spec) if isinstance(spec, str) else dict(spec)
    config = _fold_core_keys(raw)
    _check_keys(config)
    return {key: _value(key, value) for key, value in config.items()}


def _split_pairs(spec: str) -> dict[str, str | bool]:
    """The flag's text as a map, as a ``cliflag.ConfigurationMap`` holds it (the last key given wins;
    blank entries are skipped, where kube-apiserver would refuse one of spaces as an empty key)."""
    out: dict[str, str | bool] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        out[key.strip()] = value.strip() if sep else ""
    return out


def _fold_core_keys(raw: Mapping[str, str | bool]) -> dict[str, str | bool]:
    """kube-apiserver's completion step: every key naming core v1 (``v1``, ``v1/...``, ``api/v1``,
    ``api/v1/...``) becomes ``/v1`` (a resource in it is dropped, so core resources are addressed as
    ``/v1/pods``), and ``api/legacy`` is ignored."""
    out: dict[str, str | bool] = {}
    for key, value in raw.items():
        if key == "api/legacy":
            continue
        if key in ("v1", "api/v1") or key.startswith(("v1/", "api/v1/")):
            key = "/v1"
        out[key] = value
    return out


def _check_keys(config: Mapping[str, str | bool]) -> None:
    """The checks kube-apiserver makes of the keys before it knows which groups it serves."""
    if len(config) == 1 and config.get(API_ALL) in ("false", False):
        raise errors.runtime_config_only_all_false()
    for key in config:
        if key not in STAGE_KEYS and key.count("/") not in (1, 2):
            raise errors.runtime_config_invalid_key(key)


def _value(key: str, value: str | bool) -> bool:
    """A key's value: exactly true or false for the ``api/...`` keys, any ParseBool spelling (or nothing,
    meaning true) for a group/version or a resource."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):  # a mapping given to FakeCluster(runtime_config=...) holding 0, None...
        raise errors.runtime_config_mapping_value(key, value)
    if key in STAGE_KEYS:
        if value not in ("true", "false"):
            raise errors.runtime_config_invalid_stage_value(key, value)
        return value == "true"
    if value == "" or value in _GO_TRUE:
        return True
    if value in _GO_FALSE:
        return False
    raise errors.runtime_config_invalid_bool(key, value)


@functools.cache
def _group_versions(kubernetes_version: str) -> frozenset[tuple[str, str]]:
    return frozenset((r.group, r.version) for r in builtin_resources(kubernetes_version))


def check_runtime_config(kubernetes_version: str, config: Mapping[str, bool]) -> None:
    """Refuse keys naming groups or versions ``kubernetes_version`` does not have (alpha and beta ones it
    has are fine, served or not), as kube-apiserver refuses them at start-up, and resources not spelled
    as a lowercase plural.  A resource name that is not one of the version's resources is ignored, as
    kube-apiserver ignores it."""
    addressed = [key.split("/") for key in config if key not in STAGE_KEYS]
    if not addressed:
        return
    known = _group_versions(kubernetes_version)
    groups = {group for group, _ in known}
    unknown = [tokens[0] for tokens in addressed if tokens[0] not in groups]
    if unknown:
        raise errors.runtime_config_unknown_groups(unknown)
    for group, version, *resource in addressed:
        if (group, version) not in known:
            shown = f"{group}/{version}" if group else version
            raise errors.runtime_config_unregistered_version(shown)
        if resource and resource[0].lower() != resource[0]:
            raise errors.runtime_config_resource_not_plural("/".join((group, version, *resource)), resource[0])


def _enabled(config: Mapping[str, bool], res: ResourceInfo) -> bool:
    """Whether a built-in resource is served: its own key, else its group/version's, else the key of
    its stability level, else ``api/all``, else the default (GA versions only)."""
    group_version = f"{res.group}/{res.version}"
    for key in (f"{group_version}/{res.plural}", group_version):
        if key in config:
            return config[key]
    stage = version_priority(res.version)[0]
    stage_key = _STAGE_KEY.get(stage)
    if stage_key is not None and stage_key in config:
        return config[stage_key]
    return config.get(API_ALL, stage == 2)


@functools.lru_cache(maxsize=64)
def _enabled_resources(kubernetes_version: str, runtime_config: tuple[tuple[str, bool], ...]
                       ) -> tuple[ResourceInfo, ...]:
    """The built-in resources a cluster starts with, per version and runtime config (shared, immutable)."""
    config = dict(runtime_config)
    return tuple(r for r in builtin_resources(kubernetes_version) if _enabled(config, r))


class Catalog:
    """The resources one cluster serves; lookups are dictionary hits, additions take effect at once."""

    def __init__(self, kubernetes_version: str = DEFAULT_VERSION,
                 runtime_config: str | Mapping[str, bool] | None = None):
        if kubernetes_version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"unsupported Kubernetes version {kubernetes_version!r}; choose one of {', '.join(SUPPORTED_VERSIONS)}"
            )
        self.kubernetes_version = kubernetes_version
        self.runtime_config = parse_runtime_config(runtime_config)
        check_runtime_config(kubernetes_version, self.runtime_config)
        enabled = _enabled_resources(kubernetes_version, tuple(sorted(self.runtime_config.items())))
        self._by_path: dict[tuple[str, str, str], ResourceInfo] = {
            (r.group, r.version, r.plural): r for r in enabled}
        self._by_kind: dict[tuple[str, str, str], ResourceInfo] = {(r.group, r.version, r.kind): r for r in enabled}
        # storage key -> the resources stored there, built on first use and dropped when a CRD changes the set
        self._by_storage: dict[str, tuple[ResourceInfo, ...]] | None = None
        if ("", "v1", "namespaces") not in self._by_path:
            # kube-apiserver would start and never become ready; a fake cluster cannot even bootstrap.
            raise errors.runtime_config_without_namespaces()

    # --- mutation (CRDs) ------------------------------------------------------------------------

    def add(self, res: ResourceInfo) -> None:
        self._by_path[(res.group, res.version, res.plural)] = res
        self._by_kind[(res.group, res.version, res.kind)] = res
        self._by_storage = None

    def remove(self, group: str, version: str, plural: str) -> None:
        res = self._by_path.pop((group, version, plural), None)
        if res is not None:
            self._by_kind.pop((group, version, res.kind), None)
            self._by_storage = None

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

    def stored_with(self, storage_key: str) -> tuple[ResourceInfo, ...]:
        """The served resources kept under ``storage_key`` (a resource's versions, and another group's resource
        sharing its storage): what admission's ``Equivalent`` matching looks through on each write."""
        if self._by_storage is None:
            grouped: dict[str, list[ResourceInfo]] = {}
            for res in self._by_path.values():
                grouped.setdefault(res.storage_key, []).append(res)
            self._by_storage = {key: tuple(found) for key, found in grouped.items()}
        return self._by_storage.get(storage_key, ())

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
