"""Discovery documents, legacy (``/api``, ``/apis``, ``/apis/<g>/<v>``) and aggregated (apidiscovery.k8s.io/v2).

Everything is derived from the cluster's catalog at request time, so resources added later
(custom resources) appear without rebuilding anything.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo

# The verbs of a custom resource, in the order apiextensions' discovery controller lists them (built-in
# resources list theirs sorted); a CRD being deleted no longer takes creates, updates or patches.
CUSTOM_VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
TERMINATING_CUSTOM_VERBS = ("delete", "deletecollection", "get", "list", "watch")


def storage_version_hash(res: ResourceInfo) -> str:
    """The hash kube-apiserver publishes for storage migration: the first 8 bytes of the SHA-256 of the
    storage "group/version/kind" (``/v1/Event`` for core and events.k8s.io Events alike), in base64."""
    storage_group, _, storage_version = res.storage_version.rpartition("/")
    digest = hashlib.sha256(f"{storage_group}/{storage_version}/{res.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _verbs(res: ResourceInfo) -> list[str]:
    if not res.is_custom:
        return sorted(res.verbs)
    return list(TERMINATING_CUSTOM_VERBS if res.terminating else CUSTOM_VERBS)


def api_versions(address: str) -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}]}


def _group_entry(group: str, versions: list[str]) -> dict[str, Any]:
    entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"name": group, "versions": entries, "preferredVersion": entries[0]}


def api_group_list(catalog: Catalog) -> dict[str, Any]:
    groups = [_group_entry(g, vs) for g, vs in _ordered_groups(catalog) if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(catalog: Catalog, group: str) -> dict[str, Any] | None:
    versions = catalog.group_versions().get(group)
    if not versions or not group:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group_entry(group, versions)}


def _ordered_groups(catalog: Catalog) -> list[tuple[str, list[str]]]:
    """Core first, then built-in groups, then the groups only custom resources serve.

    kube-apiserver orders groups by their APIService's priority: built-in groups have fixed ones (listed
    alphabetically here, which is close and stable), and the APIService it registers for a CRD's group
    has priority 1000, below every built-in one, so those come last, by name."""
    custom_only = {res.group for res in catalog.resources() if res.is_custom}
    custom_only -= {res.group for res in catalog.resources() if not res.is_custom}
    return sorted(catalog.group_versions().items(),
                  key=lambda item: (item[0] != "", item[0] in custom_only, item[0]))


def api_resource_list(catalog: Catalog, group: str, version: str) -> dict[str, Any] | None:
    resources = catalog.resources_in(group, version)
    if not resources:
        return None
    out: list[dict[str, Any]] = []
    for res in resources:
        entry: dict[str, Any] = {
            "name": res.plural,
            "singularName": res.singular,
            "namespaced": res.namespaced,
            "kind": res.kind,
            "verbs": _verbs(res),
        }
        entry.update(_names(res))
        if "list" in res.verbs or "get" in res.verbs:
            entry["storageVersionHash"] = storage_version_hash(res)
        out.append(entry)
        for sub in res.subresources:
            sub_entry: dict[str, Any] = {"name": f"{res.plural}/{sub.name}", "singularName": "",
                                         "namespaced": res.namespaced, "kind": sub.kind, "verbs": sorted(sub.verbs)}
            if (sub.group, sub.version) != (group, version):
                sub_entry["group"] = sub.group
                sub_entry["version"] = sub.version
            out.append(sub_entry)
    group_version = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": out}


def _names(res: ResourceInfo) -> dict[str, list[str]]:
    """shortNames and categories, present only when there are any (as the Go types omit them)."""
    out: dict[str, list[str]] = {}
    if res.short_names:
        out["shortNames"] = list(res.short_names)
    if res.categories:
        out["categories"] = list(res.categories)
    return out


def _aggregated_resource(res: ResourceInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": res.plural,
        "responseKind": {"group": res.group, "version": res.version, "kind": res.kind},
        "scope": "Namespaced" if res.namespaced else "Cluster",
        "singularResource": res.singular,
        "verbs": _verbs(res),
        **_names(res),
    }
    if res.subresources:
        entry["subresources"] = [
            {"subresource": sub.name, "responseKind": {"group": sub.group, "version": sub.version, "kind": sub.kind},
             "verbs": sorted(sub.verbs)}
            for sub in res.subresources
        ]
    return entry


def aggregated(catalog: Catalog, legacy: bool, version: str = "v2") -> dict[str, Any]:
    """``/api`` (legacy=True: the core group) or ``/apis`` as an APIGroupDiscoveryList."""
    items = []
    for group, versions in _ordered_groups(catalog):
        if (group == "") != legacy:
            continue
        metadata: dict[str, Any] = {"creationTimestamp": None}
        if group:
            metadata["name"] = group
        items.append({
            "metadata": metadata,
            "versions": [
                {"version": v, "resources": [_aggregated_resource(r) for r in catalog.resources_in(group, v)],
                 "freshness": "Current"}
                for v in versions
            ],
        })
    return {"kind": "APIGroupDiscoveryList", "apiVersion": f"apidiscovery.k8s.io/{version}", "metadata": {},
            "items": items}
