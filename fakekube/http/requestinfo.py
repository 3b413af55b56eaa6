"""What a request addresses and which verb it is, worked out once per request, as kube-apiserver's
``RequestInfoFactory`` does.

Every later step reads this one value instead of re-parsing the path: the request log, the verb
handlers, and later authentication, authorization and audit (which need kube's own verb names and
namespace attributes).  The attributes follow kube's rules exactly: ``verb`` is ``list`` or
``watch`` for a GET without a name, ``deletecollection`` for a DELETE without one, ``watch`` on
the legacy ``/watch/`` paths, and the lowercased HTTP method for non-resource requests;
``namespace`` is set for ``/namespaces/{ns}`` itself too.

kube-apiserver registers one route per resource; fakekube has no route table, so the same pass
also resolves the ``ResourceInfo`` against the cluster's catalog (``res``), and leaves it None
wherever kube-apiserver would have no route: paths with an empty segment, namespaced objects named
outside their namespace, cluster-scoped resources under ``/namespaces/{ns}/``, unknown
subresources, extra segments after a subresource other than ``proxy``, watches of subresources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fakekube.registry.catalog import Catalog
from fakekube.registry.context import ADMIN, UserInfo
from fakekube.registry.resources import ResourceInfo

API_PREFIXES = ("api", "apis")
GROUPLESS_PREFIX = "api"
# Path segments that name a verb rather than a resource (``/api/v1/watch/pods``); ``proxy`` takes no subresource.
SPECIAL_VERBS = ("watch", "proxy")
# Subresources of a Namespace, so ``/namespaces/x/status`` is not taken for a resource named "status" in "x".
NAMESPACE_SUBRESOURCES = ("status", "finalize")
METHOD_VERBS = {"POST": "create", "GET": "get", "HEAD": "get", "PUT": "update", "PATCH": "patch",
                "DELETE": "delete"}


@dataclass(frozen=True)
class RequestInfo:
    """One request's target and verb, in kube-apiserver's terms, plus the resource it resolved to.

    ``name``, ``subresource``, ``namespace``, ``api_group`` are "" when absent, as upstream.
    ``user`` is who asks: the cluster admin until authentication fills it in (a later filter
    replaces the whole value, ``dataclasses.replace(info, user=...)``).
    """

    path: str
    verb: str
    is_resource_request: bool = False
    api_prefix: str = ""
    api_group: str = ""
    api_version: str = ""
    namespace: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    res: ResourceInfo | None = None  # None: no resource is served at this path (always for non-resource requests)
    legacy_watch: bool = False  # a ``/watch/`` path
    user: UserInfo = ADMIN

    @property
    def object_namespace(self) -> str:
        """The namespace the registry acts in: "" for cluster-scoped resources (whose ``namespace``
        attribute may still be set, as for ``/namespaces/x``) and for all-namespaces collections."""
        res = self.res
        return self.namespace if res is not None and res.namespaced else ""


def watch_requested(value: str | None) -> bool:
    """The ``watch`` query parameter as kube decodes it: present and neither "0" nor "false"."""
    return value is not None and value.lower() not in ("0", "false")


def request_info(method: str, path: str, query: Mapping[str, str], catalog: Catalog) -> RequestInfo:
    """Work out what ``method path?query`` addresses; ``res`` is resolved through ``catalog``."""
    # Trailing slashes are dropped as upstream does; a leading "//" stays an empty first segment, which
    # no prefix matches (the path has never been served).
    parts = path[1:].rstrip("/").split("/")
    if len(parts) < 3 or parts[0] not in API_PREFIXES:
        return RequestInfo(path, method.lower())
    prefix = parts[0]
    group = ""
    rest = parts[1:]
    if prefix != GROUPLESS_PREFIX:
        if len(rest) < 3:  # /apis/{group}/{version}: discovery, not a resource
            return RequestInfo(path, method.lower())
        group = rest[0]
        rest = rest[1:]
    version = rest[0]
    rest = rest[1:]
    special = rest[0] in SPECIAL_VERBS
    if special:
        verb = rest[0]
        rest = rest[1:]
        if not rest:  # kube-apiserver cannot tell what is addressed either; nothing is served here
            return RequestInfo(path, verb, True, prefix, group, version, legacy_watch=verb == "watch")
    else:
        verb = METHOD_VERBS.get(method, "")
    namespace = ""
    in_namespace = False  # the path was /namespaces/{ns}/{resource}/...
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and (rest[2] not in NAMESPACE_SUBRESOURCES or _namespaced(catalog, group, version, rest[2])):
            rest = rest[2:]
            in_namespace = True
    resource = rest[0]
    name = rest[1] if len(rest) >= 2 else ""
    subresource = rest[2] if len(rest) >= 3 and verb != "proxy" else ""
    if not name:
        if verb == "get":
            verb = "watch" if watch_requested(query.get("watch")) else "list"
        elif verb == "delete":
            verb = "deletecollection"
    res = catalog.get(group, version, resource)
    if res is not None and not _served(res, parts, rest, in_namespace, name, subresource, verb, special):
        res = None
    return RequestInfo(path, verb, True, prefix, group, version, namespace, resource, subresource, name, res,
                       special and verb == "watch")


def restful_claimed(path: str, catalog: Catalog) -> bool:
    """Whether one of kube-apiserver's go-restful web services claims ``path``: ``/api`` and its subpaths,
    and ``/apis/{group}`` and its subpaths for each built-in group served.  Their missing routes answer a
    JSON ``Status``; any other path (an unknown group, a custom resource's group, which the apiextensions
    server's own handler serves, a path outside the API) falls through to Go's plain-text 404."""
    parts = path[1:].split("/")
    if parts[0] == GROUPLESS_PREFIX:
        return True
    if parts[0] != "apis" or len(parts) < 2 or not parts[1]:
        return False
    group = parts[1]
    return any(res.group == group and not res.is_custom for res in catalog.resources())


def _namespaced(catalog: Catalog, group: str, version: str, plural: str) -> bool:
    """Whether a namespaced resource has this plural, which then wins over the namespace subresource of
    that name (so a custom resource called "status" stays reachable, as go-restful routes it)."""
    res = catalog.get(group, version, plural)
    return res is not None and res.namespaced


def _served(res: ResourceInfo, parts: list[str], rest: list[str], in_namespace: bool, name: str, subresource: str,
            verb: str, special: bool) -> bool:
    """Whether kube-apiserver has a route for this resource path (it answers 404 where it has none)."""
    if "" in parts:  # "//" inside a path addresses nothing
        return False
    if special and verb == "proxy":  # the old /proxy/ paths are gone from kube-apiserver
        return False
    if in_namespace and not res.namespaced:  # a cluster-scoped resource under /namespaces/x/
        return False
    if name and res.namespaced and not in_namespace:  # namespaced objects are named inside their namespace only
        return False
    if subresource:
        if len(rest) > 3 and subresource != "proxy":
            return False
        if res.subresource(subresource) is None:
            return False
        if special:  # /watch/ paths exist for objects and collections only
            return False
    return True
