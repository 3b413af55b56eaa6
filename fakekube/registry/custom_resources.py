"""Serving custom resources: a CRD's versions become ``ResourceInfo``s in the cluster's catalog.

kube-apiserver's apiextensions server keeps, per CRD, a handler for each served version, built from the
CRD as stored: it serves a CRD's resources once the CRD's names are accepted (``NamesAccepted`` or
``Established``), under its ``spec.names.plural`` (the CRD's own name), with the kind, list kind, short
names and categories of ``status.acceptedNames``; a CRD being deleted is still served (reads, updates
and deletes) but refuses creates.  ``CustomResourceServing`` does the same for one cluster: it listens
to the CRD table and rebuilds a CRD's resources on every change, so the next request sees them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import orjson

from fakekube import kinds
from fakekube.conversion.webhook import WebhookConverter
from fakekube.conversion.webhook_client import ServiceAddresses
from fakekube.registry.catalog import Catalog, version_priority
from fakekube.registry.resources import ResourceInfo, SubresourceInfo
from fakekube.storage import DELETED, Event, Store

CRD_TABLE = "apiextensions.k8s.io/customresourcedefinitions"
VERBS = frozenset({"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"})
SUBRESOURCE_VERBS = frozenset({"get", "patch", "update"})


def condition_true(crd: Mapping[str, Any], kind: str) -> bool:
    for cond in (crd.get("status") or {}).get("conditions") or ():
        if isinstance(cond, Mapping) and cond.get("type") == kind:
            return cond.get("status") == "True"
    return False


def is_served(crd: Mapping[str, Any]) -> bool:
    """Whether kube-apiserver serves the CRD's resources (its names were accepted)."""
    return condition_true(crd, "NamesAccepted") or condition_true(crd, "Established")


def is_terminating(crd: Mapping[str, Any]) -> bool:
    return bool((crd.get("metadata") or {}).get("deletionTimestamp")) or condition_true(crd, "Terminating")


def storage_version(spec: Mapping[str, Any]) -> str:
    for version in spec.get("versions") or ():
        if version.get("storage"):
            return str(version.get("name", ""))
    return ""


def _subresources(group: str, version: Mapping[str, Any], kind: str) -> tuple[SubresourceInfo, ...]:
    name = str(version.get("name", ""))
    declared = version.get("subresources") or {}
    out = []
    if declared.get("status") is not None:
        out.append(SubresourceInfo("status", group, name, kind, SUBRESOURCE_VERBS))
    if declared.get("scale") is not None:
        out.append(SubresourceInfo("scale", "autoscaling", "v1", "Scale", SUBRESOURCE_VERBS))
    return tuple(out)


def _compare_versions(a: str, b: str) -> int:
    """apimachinery's ``CompareKubeAwareVersionStrings``: positive when ``a`` ranks higher (GA > beta >
    alpha, then numbers; versions of other shapes rank below, the alphabetically first highest)."""
    ka, kb = version_priority(a), version_priority(b)
    if ka[0] < 0 and kb[0] < 0:
        return (a < b) - (a > b)
    return (ka > kb) - (ka < kb)


def deprecation_warning(spec: Mapping[str, Any], version: Mapping[str, Any]) -> str:
    """The warning requests to a deprecated version carry: its ``deprecationWarning``, else upstream's
    ``defaultDeprecationWarning`` (the newest served, non-deprecated version that ranks above it)."""
    if not version.get("deprecated"):
        return ""
    if version.get("deprecationWarning") is not None:
        return str(version["deprecationWarning"])
    group, kind, name = spec.get("group", ""), (spec.get("names") or {}).get("kind", ""), str(version.get("name", ""))
    text = f"{group}/{name} {kind} is deprecated"
    newer = [str(v.get("name", "")) for v in spec.get("versions") or ()
             if v.get("served") and not v.get("deprecated") and _compare_versions(name, str(v.get("name", ""))) < 0]
    if newer:
        newest = max(newer, key=functools.cmp_to_key(_compare_versions))
        text += f"; use {group}/{newest} {kind}"
    return text


def resources_for_crd(crd: Mapping[str, Any], kubernetes_version: str,
                      service_addresses: ServiceAddresses | None = None, *,
                      served_only: bool = True) -> list[ResourceInfo]:
    """The resources a CRD serves: one per served version (every version: ``served_only`` False), named as
    its accepted names say, converted as its ``spec.conversion`` says (a webhook's service resolved
    through ``service_addresses``)."""
    spec = crd.get("spec") or {}
    accepted = (crd.get("status") or {}).get("acceptedNames") or {}
    names = spec.get("names") or {}
    group = str(spec.get("group", ""))
    plural = str(names.get("plural", ""))
    kind = str(accepted.get("kind") or names.get("kind", ""))
    stored_as = storage_version(spec)
    terminating = is_terminating(crd)
    stored = (crd.get("status") or {}).get("storedVersions") or ()
    mixed = any(v != stored_as for v in stored)
    converter = (WebhookConverter.for_crd(spec, service_addresses or {})
                 if (spec.get("conversion") or {}).get("strategy") == "Webhook" else None)
    out = []
    for version in spec.get("versions") or ():
        if served_only and not version.get("served"):
            continue
        schema = (version.get("schema") or {}).get("openAPIV3Schema")
        out.append(ResourceInfo(
            group=group, version=str(version.get("name", "")), kind=kind, plural=plural,
            singular=str(accepted.get("singular") or names.get("singular") or kind.lower()),
            namespaced=spec.get("scope") != "Cluster", verbs=VERBS,
            list_kind=str(accepted.get("listKind") or names.get("listKind") or kind + "List"),
            short_names=tuple(accepted.get("shortNames") or ()),
            categories=tuple(accepted.get("categories") or ()),
            subresources=_subresources(group, version, kind),
            schema=schema if isinstance(schema, Mapping) else {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True},
            storage_version=f"{group}/{stored_as}",
            strategy=kinds.strategy_for_version(spec, version, kubernetes_version),
            kubernetes_version=kubernetes_version,
            terminating=terminating,
            deprecation_warning=deprecation_warning(spec, version),
            mixed_storage=mixed,
            custom_converter=converter,
        ))
    return out


class CustomResourceServing:
    """Keeps one cluster's catalog in step with its CRDs (kube-apiserver's ``crdHandler``)."""

    def __init__(self, store: Store, catalog: Catalog, service_addresses: ServiceAddresses | None = None) -> None:
        self.catalog = catalog
        self.service_addresses: ServiceAddresses = service_addresses or {}
        self._served: dict[str, list[ResourceInfo]] = {}  # CRD name -> the resources it serves now
        self._built_from: dict[str, bytes] = {}  # CRD name -> what its resources were built from
        # Subscribed for the store's whole life: serving lives and dies with its cluster.
        store.subscribe(CRD_TABLE, self._on_crd)

    def _on_crd(self, event: Event) -> None:
        name = event.key[1]
        crd = orjson.loads(event.data)
        # A change of anything else (conditions' times, managed fields, labels) leaves its resources as built.
        source = b"" if event.type == DELETED or not is_served(crd) else orjson.dumps(
            [crd.get("spec"), (crd.get("status") or {}).get("acceptedNames"), is_terminating(crd),
             (crd.get("status") or {}).get("storedVersions")])
        if source and self._built_from.get(name) == source:
            return
        self._built_from[name] = source
        for res in self._served.pop(name, ()):
            self.catalog.remove(res.group, res.version, res.plural)
        if not source:
            return
        resources = resources_for_crd(crd, self.catalog.kubernetes_version, self.service_addresses)
        for res in resources:
            if self.catalog.get(res.group, res.version, res.plural) is None:  # built-ins are served first
                self.catalog.add(res)
                self._served.setdefault(name, []).append(res)
