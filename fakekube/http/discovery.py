"""Discovery documents, legacy (``/api``, ``/apis``, ``/apis/<g>/<v>``) and aggregated (apidiscovery.k8s.io/v2).

Everything is derived from the cluster's catalog at request time, so resources added later
(custom resources) appear without rebuilding anything.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo, SubresourceInfo

# The verbs of a custom resource, in the order apiextensions' discovery controller lists them (built-in
# resources list theirs sorted); a CRD being deleted no longer takes creates, updates or patches.
CUSTOM_VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
TERMINATING_CUSTOM_VERBS = ("delete", "deletecollection", "get", "list", "watch")


# Connect subresources answer with their options kind in discovery (``NewConnectOptions``), not the parent's.
CONNECT_OPTIONS = {
    ("", "nodes", "proxy"): "NodeProxyOptions",
    ("", "pods", "attach"): "PodAttachOptions",
    ("", "pods", "exec"): "PodExecOptions",
    ("", "pods", "portforward"): "PodPortForwardOptions",
    ("", "pods", "proxy"): "PodProxyOptions",
    ("", "services", "proxy"): "ServiceProxyOptions",
}
# Resources kube-apiserver serves without a storage of its own (componentstatuses are probed, not stored), which
# publish no storageVersionHash.
NO_STORAGE = frozenset({("", "componentstatuses")})
# The storage version discovery hashes where it is not the one objects are stored in: CRDs are described by the
# apiextensions storage codec's v1beta1 (``LegacyCodec(v1beta1, v1)``) in every supported release.
HASHED_STORAGE = {("apiextensions.k8s.io", "customresourcedefinitions"): "apiextensions.k8s.io/v1beta1"}

# The group priorities of kube-apiserver's APIServices (``DefaultGenericAPIServicePriorities`` and
# kube-apiserver's own in ``cmd/kube-apiserver/app/aggregator.go``; the same group priorities in v1.33-v1.37):
# /apis lists groups by priority, highest first, then by name.  A CRD's group gets 1000.
GROUP_PRIORITY = {
    "": 18000, "apps": 17800, "events.k8s.io": 17750, "authentication.k8s.io": 17700,
    "authorization.k8s.io": 17600, "autoscaling": 17500, "batch": 17400, "certificates.k8s.io": 17300,
    "networking.k8s.io": 17200, "policy": 17100, "rbac.authorization.k8s.io": 17000, "storage.k8s.io": 16800,
    "apiextensions.k8s.io": 16700, "admissionregistration.k8s.io": 16700, "scheduling.k8s.io": 16600,
    "coordination.k8s.io": 16500, "node.k8s.io": 16300, "discovery.k8s.io": 16200, "resource.k8s.io": 16200,
    "flowcontrol.apiserver.k8s.io": 16100, "internal.apiserver.k8s.io": 16000, "storagemigration.k8s.io": 15800,
    "lifecycle.k8s.io": 15700,
}
CUSTOM_GROUP_PRIORITY = 1000
# The aggregator lists its own group before every APIService's.
AGGREGATOR_GROUP = "apiregistration.k8s.io"


def storage_version_hash(res: ResourceInfo) -> str:
    """The hash kube-apiserver publishes for storage migration: the first 8 bytes of the SHA-256 of the
    storage "group/version/kind" (``/v1/Event`` for core and events.k8s.io Events alike), in base64."""
    hashed = HASHED_STORAGE.get((res.group, res.plural), res.storage_version)
    storage_group, _, storage_version = hashed.rpartition("/")
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
    """Core first, the aggregator's own group, then the others as kube-apiserver's aggregator sorts its
    APIServices: by group priority, highest first, then by name; a group only custom resources serve has the
    priority of the APIService registered for a CRD's group, below every built-in one."""
    builtin = {res.group for res in catalog.resources() if not res.is_custom}

    def key(item: tuple[str, list[str]]) -> tuple[int, int, str]:
        group = item[0]
        if group in ("", AGGREGATOR_GROUP):
            return (0 if group == "" else 1, 0, group)
        priority = GROUP_PRIORITY.get(group, 0) if group in builtin else CUSTOM_GROUP_PRIORITY
        return (2, -priority, group)
    return sorted(catalog.group_versions().items(), key=key)


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
        if ("list" in res.verbs or "get" in res.verbs) and (res.group, res.plural) not in NO_STORAGE:
            entry["storageVersionHash"] = storage_version_hash(res)
        out.append(entry)
        for sub in res.subresources:
            sub_entry: dict[str, Any] = {"name": f"{res.plural}/{sub.name}", "singularName": "",
                                         "namespaced": res.namespaced, "kind": _sub_kind(res, sub),
                                         "verbs": sorted(sub.verbs)}
            if (sub.group, sub.version) != (group, version):
                sub_entry["group"] = sub.group
                sub_entry["version"] = sub.version
            out.append(sub_entry)
    if not group:  # the core group's list is written without its apiVersion
        return {"kind": "APIResourceList", "groupVersion": version, "resources": out}
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}", "resources": out}


def _sub_kind(res: ResourceInfo, sub: SubresourceInfo) -> str:
    return CONNECT_OPTIONS.get((res.group, res.plural, sub.name), sub.kind)


def _response_kind(res: ResourceInfo, group: str, version: str, kind: str) -> dict[str, str]:
    """A built-in resource's response kind names its group and version only where they differ from the
    resource's (as its ``APIResource``); apiextensions names them for a custom resource."""
    if not res.is_custom and (group, version) == (res.group, res.version):
        group = version = ""
    return {"group": group, "version": version, "kind": kind}


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
        "responseKind": _response_kind(res, res.group, res.version, res.kind),
        "scope": "Namespaced" if res.namespaced else "Cluster",
        "singularResource": res.singular,
        "verbs": _verbs(res),
        **_names(res),
    }
    if res.subresources:
        entry["subresources"] = [
            {"subresource": sub.name, "responseKind": _response_kind(res, sub.group, sub.version, _sub_kind(res, sub)),
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
        metadata: dict[str, Any] = {}
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
