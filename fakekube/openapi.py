"""The OpenAPI documents a cluster serves: ``/openapi/v2`` (Swagger 2.0, as JSON or as gnostic protobuf)
and ``/openapi/v3`` (an index plus one OpenAPI 3.0 document per group-version, group and discovery root).

Everything is built from the resource catalog (paths, operations, parameters) and the stripped
definitions of the cluster's Kubernetes version (schemas); nothing is copied from an upstream document,
and the only description texts are those custom resources bring in their own schemas (plus the HTTP
status texts of responses).

The shape follows what kube-apiserver produces, as far as clients look at it:

* kubectl ``explain`` (v3) finds the GVK on an operation of the resource's list/item path and then the
  ``components.schemas`` entry whose ``x-kubernetes-group-version-kind`` list holds it;
* kubectl's field-validation probe (v3) looks at a PATCH operation of the GVK for a ``fieldValidation``
  query parameter, and ``kubectl apply`` only computes strategic merge patches when that PATCH's
  ``requestBody.content`` lists ``application/strategic-merge-patch+json`` (never for custom resources);
* kubectl validates ``kind: List`` manifests itself, with ``/openapi/v2`` fetched as protobuf;
* v3 schemas wrap every ``$ref`` that sits in a property, array item or map value in ``allOf``, value
  fields carry ``default``, and IntOrString/Quantity are ``oneOf`` like in kube-openapi's v3 output.

Serving contract (kube-apiserver's): ``/openapi/v2`` answers ``build_v2_protobuf`` with Content-Type
``V2_PROTOBUF_CONTENT_TYPE`` when Accept names one of ``V2_PROTOBUF_ACCEPT``, else ``build_v2`` as JSON.
``/openapi/v3`` answers ``build_v3_index``; ``/openapi/v3/<path>`` answers ``build_v3_document`` (404 when
None).  When the request carries ``?hash=`` different from ``document_hash(data)``, kube-apiserver
redirects (301) to the current ``serverRelativeURL``; with a matching hash it adds
``Cache-Control: public, immutable``.  The ETag is the quoted ``document_hash``.

Documents are serialized with sorted keys so that equal inputs give equal bytes, and cached per process:
the v2 document by (Kubernetes version, served resources, gitVersion), each v3 document by (Kubernetes
version, document path, the resources it describes), so adding a custom resource rebuilds only the
documents of its group.  The v3 index carries the SHA-512 of every document's bytes (uppercase hex, like
kube-apiserver's ETag); building the index therefore builds each v3 document once, while a request
for one document builds only that document.
"""

from __future__ import annotations

import functools
import hashlib
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube import schema_files
from fakekube.catalog import Catalog, ResourceInfo, SubresourceInfo, version_priority

__all__ = [
    "DISCOVERY_PATHS",
    "V2_PROTOBUF_ACCEPT",
    "V2_PROTOBUF_CONTENT_TYPE",
    "build_v2",
    "build_v2_protobuf",
    "build_v3_document",
    "build_v3_index",
    "clear_caches",
    "custom_definition_name",
    "document_hash",
    "v3_document_paths",
]

# ------------------------------------------------------------------------------------------------
# Constants: media types, definition names, parameters
# ------------------------------------------------------------------------------------------------

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
STATUS = META + "Status"
DELETE_OPTIONS = META + "DeleteOptions"
PATCH = META + "Patch"
WATCH_EVENT = META + "WatchEvent"
OBJECT_META = META + "ObjectMeta"
LIST_META = META + "ListMeta"
API_RESOURCE_LIST = META + "APIResourceList"
API_GROUP = META + "APIGroup"
API_GROUP_LIST = META + "APIGroupList"
API_VERSIONS = META + "APIVersions"
VERSION_INFO = "io.k8s.apimachinery.pkg.version.Info"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"

# meta/v1 definitions every v2 document carries (discovery, errors, deletion, watch, patch bodies).
BASE_DEFINITIONS = (
    API_GROUP,
    API_GROUP_LIST,
    API_RESOURCE_LIST,
    API_VERSIONS,
    DELETE_OPTIONS,
    PATCH,
    STATUS,
    WATCH_EVENT,
    VERSION_INFO,
)

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
CBOR = "application/cbor"
OBJECT_MEDIA_TYPES = (JSON, YAML, PROTOBUF, CBOR)
LIST_MEDIA_TYPES = (*OBJECT_MEDIA_TYPES, "application/json;stream=watch",
                    "application/vnd.kubernetes.protobuf;stream=watch", "application/cbor-seq")
LOG_MEDIA_TYPES = ("text/plain", *OBJECT_MEDIA_TYPES)
GROUP_DISCOVERY_MEDIA_TYPES = (JSON, YAML, PROTOBUF)
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH_YAML = "application/apply-patch+yaml"
APPLY_PATCH_CBOR = "application/apply-patch+cbor"
BUILTIN_PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH_YAML, APPLY_PATCH_CBOR)
# Custom resources have no Go struct to drive a strategic merge: kube-apiserver does not offer it.
CUSTOM_PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, APPLY_PATCH_YAML, APPLY_PATCH_CBOR)
ANY = "*/*"

# The HTTP status texts kube-apiserver puts on its responses.
STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 401: "Unauthorized"}

# Resources whose DELETE answers with the deleted object rather than a Status, (group, plural).
DELETE_RETURNS_OBJECT = frozenset({
    ("", "persistentvolumeclaims"),
    ("", "persistentvolumes"),
    ("", "pods"),
    ("", "podtemplates"),
    ("", "resourcequotas"),
    ("", "serviceaccounts"),
    ("", "services"),
    ("resource.k8s.io", "deviceclasses"),
    ("resource.k8s.io", "devicetaintrules"),
    ("resource.k8s.io", "resourceclaims"),
    ("resource.k8s.io", "resourceclaimtemplates"),
    ("resource.k8s.io", "resourcepoolstatusrequests"),
    ("resource.k8s.io", "resourceslices"),
    ("storage.k8s.io", "csidrivers"),
    ("storage.k8s.io", "csinodes"),
    ("storage.k8s.io", "storageclasses"),
    ("storage.k8s.io", "volumeattachments"),
    ("storage.k8s.io", "volumeattributesclasses"),
})

# Subresources served through "connect" (streaming/proxying), with the options kind suffix they report.
CONNECT_OPTIONS = {
    "attach": "AttachOptions",
    "exec": "ExecOptions",
    "portforward": "PortForwardOptions",
    "proxy": "ProxyOptions",
}
# (HTTP method, the catalog verb that enables it); HEAD and OPTIONS come with every proxy subresource.
CONNECT_METHODS = (
    ("delete", "delete"),
    ("get", "get"),
    ("head", None),
    ("options", None),
    ("patch", "patch"),
    ("post", "create"),
    ("put", "update"),
)

# Non-resource documents listed in the v3 index besides the group-versions.
DISCOVERY_PATHS = ("api", "apis", "version")


@dataclass(frozen=True)
class _Param:
    name: str
    location: str  # "path" | "query"
    type: str  # "string" | "boolean" | "integer"
    required: bool = False

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.name, self.location)


def _q(name: str, type_: str = "string") -> _Param:
    return _Param(name, "query", type_)


P_NAME = _Param("name", "path", "string", True)
P_NAMESPACE = _Param("namespace", "path", "string", True)
P_PATH = _Param("path", "path", "string", True)
P_PRETTY = _q("pretty")
P_DRY_RUN = _q("dryRun")
P_FIELD_MANAGER = _q("fieldManager")
P_FIELD_VALIDATION = _q("fieldValidation")
P_FORCE = _q("force", "boolean")
WRITE_PARAMS = (P_DRY_RUN, P_FIELD_MANAGER, P_FIELD_VALIDATION)
DELETE_PARAMS = (
    P_DRY_RUN,
    _q("gracePeriodSeconds", "integer"),
    _q("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean"),
    _q("orphanDependents", "boolean"),
    _q("propagationPolicy"),
)
LOG_PARAMS = (
    _q("container"),
    _q("follow", "boolean"),
    _q("insecureSkipTLSVerifyBackend", "boolean"),
    _q("limitBytes", "integer"),
    P_PRETTY,
    _q("previous", "boolean"),
    _q("sinceSeconds", "integer"),
    _q("stream"),
    _q("tailLines", "integer"),
    _q("timestamps", "boolean"),
)
STREAM_PARAMS = (_q("container"), _q("stderr", "boolean"), _q("stdin", "boolean"), _q("stdout", "boolean"),
                 _q("tty", "boolean"))
CONNECT_PARAMS: Mapping[str, tuple[_Param, ...]] = {
    "attach": STREAM_PARAMS,
    "exec": (_q("command"), *STREAM_PARAMS),
    "portforward": (_q("ports", "integer"),),
    "proxy": (_q("path"),),
}


def _list_params(kubernetes_version: str) -> tuple[_Param, ...]:
    """Query parameters of list and watch requests, as the given Kubernetes version documents them."""
    params = [
        _q("allowWatchBookmarks", "boolean"),
        _q("continue"),
        _q("fieldSelector"),
        _q("labelSelector"),
        _q("limit", "integer"),
        _q("resourceVersion"),
        _q("resourceVersionMatch"),
        _q("sendInitialEvents", "boolean"),
        _q("timeoutSeconds", "integer"),
        _q("watch", "boolean"),
    ]
    if _minor(kubernetes_version) >= 36:
        params.append(_q("shardSelector"))
    return tuple(sorted(params, key=lambda p: p.sort_key))


def _delete_collection_params(kubernetes_version: str) -> tuple[_Param, ...]:
    list_only = {"allowWatchBookmarks", "watch"}
    params = {p.name: p for p in _list_params(kubernetes_version) if p.name not in list_only}
    params.update({p.name: p for p in DELETE_PARAMS})
    return tuple(sorted(params.values(), key=lambda p: p.sort_key))


def _minor(kubernetes_version: str) -> int:
    try:
        return int(kubernetes_version.lstrip("v").split(".")[1])
    except (IndexError, ValueError):
        return 0


# ------------------------------------------------------------------------------------------------
# Routes: one HTTP operation each, independent of the OpenAPI version that renders it
# ------------------------------------------------------------------------------------------------

Schema = dict[str, Any]


def _ref2(name: str) -> Schema:
    return {"$ref": "#/definitions/" + name}


STRING_SCHEMA: Schema = {"type": "string"}


@dataclass
class _Route:
    path: str
    method: str  # lower-case HTTP method
    operation_id: str
    tag: str
    params: tuple[_Param, ...]
    produces: tuple[str, ...]
    responses: tuple[tuple[int, Schema | None], ...]
    consumes: tuple[str, ...] = (ANY,)
    action: str | None = None
    gvk: tuple[str, str, str] | None = None
    body: Schema | None = None
    body_required: bool = True

    def gvk_object(self) -> dict[str, str] | None:
        if self.gvk is None:
            return None
        return {"group": self.gvk[0], "kind": self.gvk[2], "version": self.gvk[1]}


def _valid_id(text: str, capitalize_first: bool) -> str:
    """An identifier made of ``text``'s letters and digits, a capital after each dropped character."""
    out: list[str] = []
    capitalize = capitalize_first
    for i, ch in enumerate(text):
        if ch.isalpha() or ch == "_" or (i and ch.isdigit()):
            out.append(ch.upper() if capitalize else ch)
            capitalize = False
        else:
            capitalize = True
    return "".join(out)


def _group_id(group: str) -> str:
    return "core" if not group else group.removesuffix(".k8s.io")


def _operation_prefix(group: str, version: str) -> str:
    return _valid_id(_group_id(group), True) + _valid_id(version, True)


def _tag(group: str, version: str | None = None) -> str:
    tag = _valid_id(_group_id(group), False)
    return f"{tag}_{_valid_id(version, False)}" if version else tag


def _api_root(group: str, version: str) -> str:
    return f"/apis/{group}/{version}" if group else f"/api/{version}"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _responses(codes: Iterable[int], schema: Schema | None) -> tuple[tuple[int, Schema | None], ...]:
    return (*((code, schema) for code in codes), (401, None))


class _Definitions:
    """Definition lookup of one document build: built-in definitions plus custom-resource ones."""

    def __init__(self, kubernetes_version: str) -> None:
        self.kubernetes_version = kubernetes_version
        self.builtin = schema_files.definitions(kubernetes_version)
        self.gvk_index = _gvk_index(kubernetes_version)
        # custom-resource definitions, already in the shape (v2 or v3) of the document being built
        self.custom: dict[str, Schema] = {}

    def for_gvk(self, group: str, version: str, kind: str) -> str | None:
        return self.gvk_index.get((group, version, kind))


@functools.cache
def _gvk_index(kubernetes_version: str) -> Mapping[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in schema_files.definitions(kubernetes_version).items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or ():
            key = (gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))
            # DeleteOptions and friends list many GVKs; the definition named after the kind wins.
            if key not in index or name.rsplit(".", 1)[-1] == key[2]:
                index[key] = name
    return index


def custom_definition_name(group: str, version: str, kind: str) -> str:
    """The definition name kube-apiserver gives a custom resource: ``com.example.v1.Widget``."""
    reversed_group = ".".join(reversed(group.split("."))) if group else ""
    return ".".join(part for part in (reversed_group, version, kind) if part)


def _resource_definition(res: ResourceInfo, defs: _Definitions) -> str:
    if res.schema is None and res.definition and res.definition in defs.builtin:
        return res.definition
    if res.schema is None:
        found = defs.for_gvk(res.group, res.version, res.kind)
        if found:
            return found
    return res.definition or custom_definition_name(res.group, res.version, res.kind)


def _list_definition(res: ResourceInfo, object_definition: str, defs: _Definitions) -> str | None:
    list_kind = res.list_kind or f"{res.kind}List"
    candidate = object_definition.rsplit(".", 1)[0] + "." + list_kind
    if _is_custom(res, defs) or candidate in defs.builtin:
        return candidate
    return defs.for_gvk(res.group, res.version, list_kind)


def _is_custom(res: ResourceInfo, defs: _Definitions) -> bool:
    return res.schema is not None or not (res.definition and res.definition in defs.builtin)


def _resource_routes(res: ResourceInfo, defs: _Definitions) -> list[_Route]:
    kver = defs.kubernetes_version
    group, version, kind = res.group, res.version, res.kind
    root = _api_root(group, version)
    prefix = _operation_prefix(group, version)
    tag = _tag(group, version)
    gvk = (group, version, kind)
    obj_def = _resource_definition(res, defs)
    obj = _ref2(obj_def)
    list_def = _list_definition(res, obj_def, defs)
    scope = "Namespaced" if res.namespaced else ""
    ns_params: tuple[_Param, ...] = (P_NAMESPACE,) if res.namespaced else ()
    collection = f"{root}/namespaces/{{namespace}}/{res.plural}" if res.namespaced else f"{root}/{res.plural}"
    item = f"{collection}/{{name}}"
    watch_root = f"{root}/watch"
    watch_collection = collection.replace(root, watch_root, 1)
    verbs = res.verbs
    list_params = _list_params(kver)
    custom = _is_custom(res, defs)
    routes: list[_Route] = []

    def add(path: str, method: str, verb: str, rest: str, params: Iterable[_Param], produces: tuple[str, ...],
            responses: tuple[tuple[int, Schema | None], ...], action: str, **extra: Any) -> None:
        routes.append(_Route(
            path=path, method=method, operation_id=f"{verb}{prefix}{rest}", tag=tag,
            params=tuple(params), produces=produces, responses=responses, action=action,
            gvk=extra.pop("gvk", gvk), **extra,
        ))

    if "list" in verbs and list_def:
        add(collection, "get", "list", f"{scope}{kind}", (*ns_params, P_PRETTY, *list_params), LIST_MEDIA_TYPES,
            _responses([200], _ref2(list_def)), "list")
        if res.namespaced:
            add(f"{root}/{res.plural}", "get", "list", f"{kind}ForAllNamespaces", (P_PRETTY, *list_params),
                LIST_MEDIA_TYPES, _responses([200], _ref2(list_def)), "list")
    if "create" in verbs:
        add(collection, "post", "create", f"{scope}{kind}", (*ns_params, P_PRETTY, *WRITE_PARAMS),
            OBJECT_MEDIA_TYPES, _responses([200, 201, 202], obj), "post", body=obj)
    if "deletecollection" in verbs:
        add(collection, "delete", "delete", f"Collection{scope}{kind}",
            (*ns_params, P_PRETTY, *_delete_collection_params(kver)), OBJECT_MEDIA_TYPES,
            _responses([200], _ref2(STATUS)), "deletecollection", body=_ref2(DELETE_OPTIONS), body_required=False)
    item_params = (P_NAME, *ns_params, P_PRETTY)
    if "get" in verbs:
        add(item, "get", "read", f"{scope}{kind}", item_params, OBJECT_MEDIA_TYPES, _responses([200], obj), "get")
    if "update" in verbs:
        add(item, "put", "replace", f"{scope}{kind}", (*item_params, *WRITE_PARAMS), OBJECT_MEDIA_TYPES,
            _responses([200, 201], obj), "put", body=obj)
    if "patch" in verbs:
        add(item, "patch", "patch", f"{scope}{kind}", (*item_params, *WRITE_PARAMS, P_FORCE), OBJECT_MEDIA_TYPES,
            _responses([200, 201], obj), "patch", body=_ref2(PATCH),
            consumes=CUSTOM_PATCH_TYPES if custom else BUILTIN_PATCH_TYPES)
    if "delete" in verbs:
        returns_object = not custom and (group, res.plural) in DELETE_RETURNS_OBJECT
        add(item, "delete", "delete", f"{scope}{kind}", (*item_params, *DELETE_PARAMS), OBJECT_MEDIA_TYPES,
            _responses([200, 202], obj if returns_object else _ref2(STATUS)), "delete",
            body=_ref2(DELETE_OPTIONS), body_required=False)
    if "watch" in verbs:
        watch_event = _responses([200], _ref2(WATCH_EVENT))
        if "list" in verbs:
            add(watch_collection, "get", "watch", f"{scope}{kind}List", (*ns_params, P_PRETTY, *list_params),
                LIST_MEDIA_TYPES, watch_event, "watchlist")
            if res.namespaced:
                add(f"{watch_root}/{res.plural}", "get", "watch", f"{kind}ListForAllNamespaces",
                    (P_PRETTY, *list_params), LIST_MEDIA_TYPES, watch_event, "watchlist")
        if "get" in verbs:
            add(f"{watch_collection}/{{name}}", "get", "watch", f"{scope}{kind}",
                (P_NAME, *ns_params, P_PRETTY, *list_params), LIST_MEDIA_TYPES, watch_event, "watch")

    for sub in res.subresources:
        routes.extend(_subresource_routes(res, sub, defs, item, f"{scope}{kind}", obj, custom))
    return routes


def _subresource_routes(res: ResourceInfo, sub: SubresourceInfo, defs: _Definitions, item: str, name: str,
                        parent: Schema, custom: bool) -> list[_Route]:
    group, version = res.group, res.version
    prefix = _operation_prefix(group, version)
    tag = _tag(group, version)
    path = f"{item}/{sub.name}"
    rest = name + _capitalize(sub.name)
    ns_params: tuple[_Param, ...] = (P_NAMESPACE,) if res.namespaced else ()
    base = (P_NAME, *ns_params)
    routes: list[_Route] = []

    if sub.name in CONNECT_OPTIONS:
        gvk = (group, version, res.kind + CONNECT_OPTIONS[sub.name])
        allowed = sub.verbs | ({"head", "options"} if sub.name == "proxy" else set())
        variants = [(path, "", base)]
        if sub.name == "proxy":
            variants.append((f"{path}/{{path}}", "WithPath", (*base, P_PATH)))
        for route_path, suffix, params in variants:
            for method, verb in CONNECT_METHODS:
                if (verb or method) not in allowed:
                    continue
                routes.append(_Route(
                    path=route_path, method=method,
                    operation_id=f"connect{prefix}{_capitalize(method)}{rest}{suffix}", tag=tag,
                    params=(*params, *CONNECT_PARAMS[sub.name]), produces=(ANY,),
                    responses=_responses([200], dict(STRING_SCHEMA)), action="connect", gvk=gvk,
                ))
        return routes

    if sub.name == "log":
        if "get" in sub.verbs:
            routes.append(_Route(
                path=path, method="get", operation_id=f"read{prefix}{rest}", tag=tag,
                params=(*base, *LOG_PARAMS), produces=LOG_MEDIA_TYPES,
                responses=_responses([200], dict(STRING_SCHEMA)), action="get", gvk=(group, version, res.kind),
            ))
        return routes

    gvk = (sub.group, sub.version, sub.kind)
    if (sub.group, sub.version, sub.kind) == (group, version, res.kind):
        body = parent
    else:
        found = defs.for_gvk(sub.group, sub.version, sub.kind)
        body = _ref2(found) if found else parent
    common = (*base, P_PRETTY)
    if "create" in sub.verbs:
        routes.append(_Route(
            path=path, method="post", operation_id=f"create{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201, 202], body), action="post", gvk=gvk, body=body,
        ))
    if "get" in sub.verbs:
        routes.append(_Route(
            path=path, method="get", operation_id=f"read{prefix}{rest}", tag=tag, params=common,
            produces=OBJECT_MEDIA_TYPES, responses=_responses([200], body), action="get", gvk=gvk,
        ))
    if "update" in sub.verbs:
        routes.append(_Route(
            path=path, method="put", operation_id=f"replace{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201], body), action="put", gvk=gvk, body=body,
        ))
    if "patch" in sub.verbs:
        routes.append(_Route(
            path=path, method="patch", operation_id=f"patch{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS, P_FORCE), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201], body), action="patch", gvk=gvk, body=_ref2(PATCH),
            consumes=CUSTOM_PATCH_TYPES if custom else BUILTIN_PATCH_TYPES,
        ))
    if "delete" in sub.verbs:
        routes.append(_Route(
            path=path, method="delete", operation_id=f"delete{prefix}{rest}", tag=tag,
            params=(*common, *DELETE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 202], _ref2(STATUS)), action="delete", gvk=gvk,
            body=_ref2(DELETE_OPTIONS), body_required=False,
        ))
    return routes


def _group_version_discovery_route(group: str, version: str) -> _Route:
    return _Route(
        path=_api_root(group, version) + "/", method="get",
        operation_id=f"get{_operation_prefix(group, version)}APIResources", tag=_tag(group, version), params=(),
        produces=OBJECT_MEDIA_TYPES, consumes=OBJECT_MEDIA_TYPES,
        responses=_responses([200], _ref2(API_RESOURCE_LIST)),
    )


def _group_discovery_route(group: str) -> _Route:
    return _Route(
        path=f"/apis/{group}/", method="get", operation_id=f"get{_valid_id(_group_id(group), True)}APIGroup",
        tag=_tag(group), params=(), produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
        responses=_responses([200], _ref2(API_GROUP)),
    )


def _root_routes(name: str) -> list[_Route]:
    if name == "api":
        return [_Route(path="/api/", method="get", operation_id="getCoreAPIVersions", tag="core", params=(),
                       produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
                       responses=_responses([200], _ref2(API_VERSIONS)))]
    if name == "apis":
        return [_Route(path="/apis/", method="get", operation_id="getAPIVersions", tag="apis", params=(),
                       produces=GROUP_DISCOVERY_MEDIA_TYPES, consumes=GROUP_DISCOVERY_MEDIA_TYPES,
                       responses=_responses([200], _ref2(API_GROUP_LIST)))]
    if name == "version":
        return [_Route(path="/version/", method="get", operation_id="getCodeVersion", tag="version", params=(),
                       produces=(JSON,), consumes=(JSON,), responses=_responses([200], _ref2(VERSION_INFO)))]
    return []


# ------------------------------------------------------------------------------------------------
# Schemas
# ------------------------------------------------------------------------------------------------

_V2_PREFIX = "#/definitions/"
_V3_PREFIX = "#/components/schemas/"


def _collect_refs(node: Any, out: set[str], prefix: str) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix):
            out.add(ref[len(prefix):])
        for key, value in node.items():
            if key != "$ref":
                _collect_refs(value, out, prefix)
    elif isinstance(node, list):
        for value in node:
            _collect_refs(value, out, prefix)


@functools.cache
def _builtin_refs(kubernetes_version: str) -> Mapping[str, frozenset[str]]:
    """Definition name -> the definitions it refers to directly."""
    refs: dict[str, frozenset[str]] = {}
    for name, schema in schema_files.definitions(kubernetes_version).items():
        found: set[str] = set()
        _collect_refs(schema, found, _V2_PREFIX)
        refs[name] = frozenset(found)
    return refs


def _closure(roots: Iterable[str], direct_refs: Callable[[str], Iterable[str]]) -> list[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(ref for ref in direct_refs(name) if ref not in seen)
    return sorted(seen)


# Value positions (array items, map values) always hold values, never pointers: kube-openapi gives them a
# zero-value default.  For properties the Go field may be a pointer; these names are value fields in the
# Kubernetes API conventions.
_VALUE_PROPERTIES = frozenset({"metadata", "spec", "status", "template"})
_VALUE_TARGETS = frozenset({OBJECT_META, LIST_META})
_POINTER_TARGETS = frozenset({META + "LabelSelector"})
_ZERO = {"string": "", "integer": 0, "boolean": False, "number": 0}


def _v3_node(node: Any, position: str, required: bool = False, prop_name: str = "") -> Any:
    """Convert one v2 schema node of a built-in definition to its v3 shape.

    ``position`` is "root", "property", "value" (array item / map value) or "other".
    """
    if isinstance(node, list):
        return [_v3_node(item, "other") for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    required_value = node.get("required")
    required_names: list[Any] = required_value if isinstance(required_value, list) else []
    for key, value in node.items():
        if key == "$ref":
            continue
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _v3_node(sub, "property", name in required_names, name) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _v3_node(value, "value")
        else:
            out[key] = _v3_node(value, "other")
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = ref[len(_V2_PREFIX):] if ref.startswith(_V2_PREFIX) else ref
        new_ref = _V3_PREFIX + target if ref.startswith(_V2_PREFIX) else ref
        if position in ("property", "value"):
            wrapped: Schema = {"allOf": [{"$ref": new_ref}]}
            wrapped.update(out)
            if "default" not in wrapped and target not in _POINTER_TARGETS and (
                position == "value" or required or prop_name in _VALUE_PROPERTIES or target in _VALUE_TARGETS
            ):
                wrapped["default"] = {}
            return wrapped
        if out:
            return {"allOf": [{"$ref": new_ref}], **out}
        return {"$ref": new_ref}
    if position == "value" and "default" not in out and isinstance(out.get("type"), str) and out["type"] in _ZERO \
            and "enum" not in out:
        out["default"] = _ZERO[out["type"]]
    return out


@functools.cache
def _builtin_v3_definitions(kubernetes_version: str) -> Mapping[str, Schema]:
    """Every built-in definition in v3 shape (computed once per version; treated as immutable)."""
    converted: dict[str, Schema] = {}
    for name, schema in schema_files.definitions(kubernetes_version).items():
        if name == INT_OR_STRING:
            converted[name] = {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}
        elif name == QUANTITY:
            converted[name] = {"oneOf": [{"type": "string"}, {"type": "number"}]}
        else:
            converted[name] = _v3_node(schema, "root")
    return converted


def _custom_v2(node: Any) -> Any:
    """A structural (v3) custom-resource schema made digestible for Swagger 2.0 clients, the way
    kube-apiserver publishes CRDs in /openapi/v2: no oneOf/anyOf/allOf/not, and nothing kubectl's
    client-side validation would wrongly reject (nullable or unknown-field-preserving nodes lose their
    type or sub-schemas, arrays without items lose their type)."""
    if isinstance(node, list):
        return [_custom_v2(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    for key, value in node.items():
        if key in ("oneOf", "anyOf", "allOf", "not", "nullable"):
            continue
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: _custom_v2(sub) for name, sub in value.items()}
        elif key == "additionalProperties" and isinstance(value, dict):
            # map values may be null without losing their schema
            out[key] = _custom_v2({k: v for k, v in value.items() if k != "nullable"})
        else:
            out[key] = _custom_v2(value)
    if node.get("nullable") is True:
        for key in ("type", "items", "properties"):
            out.pop(key, None)
    if node.get("x-kubernetes-preserve-unknown-fields") is True:
        out.pop("items", None)
        out.pop("properties", None)
    if node.get("x-kubernetes-int-or-string") is True or (out.get("type") == "array" and
                                                           not isinstance(out.get("items"), dict)):
        out.pop("type", None)
    if isinstance(out.get("items"), list):  # tuple-style items do not exist in structural schemas
        out.pop("items")
    properties = node.get("properties")
    if isinstance(properties, dict) and isinstance(out.get("required"), list):
        nullable = {name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("nullable") is True}
        out["required"] = [name for name in out["required"] if name not in nullable]
        if not out["required"]:
            del out["required"]
    return out


def _custom_schemas(res: ResourceInfo, obj_def: str, list_def: str | None, *, v3: bool) -> dict[str, Schema]:
    """The object (and list) definitions of a custom resource, metadata pointing at ObjectMeta/ListMeta."""
    prefix = _V3_PREFIX if v3 else _V2_PREFIX
    source: Mapping[str, Any] = res.schema or {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    schema: Schema = orjson.loads(orjson.dumps(source))  # private deep copy
    if not v3:
        schema = _custom_v2(schema)
    schema.setdefault("type", "object")
    properties = dict(schema.get("properties") or {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})

    def meta(name: str) -> Schema:
        return {"allOf": [{"$ref": prefix + name}]} if v3 else {"$ref": prefix + name}

    properties["metadata"] = meta(OBJECT_META)
    schema["properties"] = properties
    schema["x-kubernetes-group-version-kind"] = [{"group": res.group, "kind": res.kind, "version": res.version}]
    out = {obj_def: schema}
    if list_def:
        out[list_def] = {
            "type": "object",
            "required": ["items"],
            "properties": {
                "apiVersion": {"type": "string"},
                "items": {"type": "array", "items": {"$ref": prefix + obj_def}},
                "kind": {"type": "string"},
                "metadata": meta(LIST_META),
            },
            "x-kubernetes-group-version-kind": [
                {"group": res.group, "kind": res.list_kind or f"{res.kind}List", "version": res.version}
            ],
        }
    return out


def _register_custom(resources: Iterable[ResourceInfo], defs: _Definitions, *, v3: bool) -> None:
    for res in resources:
        if not _is_custom(res, defs):
            continue
        obj_def = _resource_definition(res, defs)
        list_def = _list_definition(res, obj_def, defs) if "list" in res.verbs else None
        defs.custom.update(_custom_schemas(res, obj_def, list_def, v3=v3))


def _definitions_for(routes: Iterable[_Route], defs: _Definitions, extra: Iterable[str], *, v3: bool) -> dict[str, Any]:
    roots: set[str] = set(extra)
    for route in routes:
        for schema in (route.body, *(s for _, s in route.responses)):
            if schema is not None:
                _collect_refs(schema, roots, _V2_PREFIX)
    builtin_refs = _builtin_refs(defs.kubernetes_version)
    custom_refs: dict[str, set[str]] = {}
    prefix = _V3_PREFIX if v3 else _V2_PREFIX
    for name, schema in defs.custom.items():
        found: set[str] = set()
        _collect_refs(schema, found, prefix)
        custom_refs[name] = found

    def direct(name: str) -> Iterable[str]:
        if name in custom_refs:
            return custom_refs[name]
        return builtin_refs.get(name, ())

    source = _builtin_v3_definitions(defs.kubernetes_version) if v3 else defs.builtin
    out: dict[str, Any] = {}
    for name in _closure(roots, direct):
        if name in defs.custom:
            out[name] = defs.custom[name]
        elif name in source:
            out[name] = source[name]
    return out


# ------------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------------

def _split_common(routes: list[_Route]) -> tuple[list[_Param], dict[int, list[_Param]]]:
    """Parameters shared by every operation of a path move to the path; the rest stay on the operations."""
    common = set(routes[0].params)
    for route in routes[1:]:
        common &= set(route.params)
    shared = sorted(common, key=lambda p: p.sort_key)
    own = {id(route): sorted((p for p in route.params if p not in common), key=lambda p: p.sort_key)
           for route in routes}
    return shared, own


def _by_path(routes: Iterable[_Route]) -> dict[str, list[_Route]]:
    grouped: dict[str, list[_Route]] = {}
    for route in routes:
        grouped.setdefault(route.path, []).append(route)
    return grouped


def _param_v2(param: _Param) -> Schema:
    out: Schema = {"in": param.location, "name": param.name, "type": param.type, "uniqueItems": True}
    if param.required:
        out["required"] = True
    return out


def _param_v3(param: _Param) -> Schema:
    out: Schema = {"in": param.location, "name": param.name, "schema": {"type": param.type, "uniqueItems": True}}
    if param.required:
        out["required"] = True
    return out


def _extensions(route: _Route, op: Schema) -> None:
    if route.action:
        op["x-kubernetes-action"] = route.action
    gvk = route.gvk_object()
    if gvk is not None:
        op["x-kubernetes-group-version-kind"] = gvk


def _render_v2_paths(routes: Iterable[_Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, group in _by_path(routes).items():
        shared, own = _split_common(group)
        item: Schema = {}
        if shared:
            item["parameters"] = [_param_v2(p) for p in shared]
        for route in group:
            params = [_param_v2(p) for p in own[id(route)]]
            if route.body is not None:
                body: Schema = {"in": "body", "name": "body", "schema": route.body}
                if route.body_required:
                    body["required"] = True
                params.append(body)
                params.sort(key=lambda p: (p["name"], p["in"]))
            op: Schema = {
                "consumes": list(route.consumes),
                "operationId": route.operation_id,
                "produces": list(route.produces),
                "responses": {
                    str(code): ({"description": STATUS_TEXT[code], "schema": schema} if schema is not None
                                else {"description": STATUS_TEXT[code]})
                    for code, schema in route.responses
                },
                "schemes": ["https"],
                "tags": [route.tag],
            }
            if params:
                op["parameters"] = params
            _extensions(route, op)
            item[route.method] = op
        paths[path] = item
    return paths


def _to_v3(schema: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_V2_PREFIX):
        return {"$ref": _V3_PREFIX + ref[len(_V2_PREFIX):]}
    return dict(schema)


def _render_v3_paths(routes: Iterable[_Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, group in _by_path(routes).items():
        shared, own = _split_common(group)
        item: Schema = {}
        if shared:
            item["parameters"] = [_param_v3(p) for p in shared]
        for route in group:
            op: Schema = {
                "operationId": route.operation_id,
                "responses": {},
                "tags": [route.tag],
            }
            for code, schema in route.responses:
                response: Schema = {"description": STATUS_TEXT[code]}
                if schema is not None:
                    converted = _to_v3(schema)
                    response["content"] = {media: {"schema": converted} for media in route.produces}
                op["responses"][str(code)] = response
            params = [_param_v3(p) for p in own[id(route)]]
            if params:
                op["parameters"] = params
            if route.body is not None:
                converted = _to_v3(route.body)
                op["requestBody"] = {"content": {media: {"schema": converted} for media in route.consumes}}
                if route.body_required:
                    op["requestBody"]["required"] = True
            _extensions(route, op)
            item[route.method] = op
        paths[path] = item
    return paths


def _dumps(document: Mapping[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def document_hash(data: bytes) -> str:
    """The hash kube-apiserver puts in ``serverRelativeURL`` and the ETag: uppercase hex SHA-512."""
    return hashlib.sha512(data).hexdigest().upper()


# ------------------------------------------------------------------------------------------------
# Caching
# ------------------------------------------------------------------------------------------------


class _LRU:
    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_V2_CACHE = _LRU(16)
_V3_CACHE = _LRU(512)
_INDEX_CACHE = _LRU(64)


def clear_caches() -> None:
    """Forget every built document (tests; the documents depend only on their cache keys)."""
    _V2_CACHE.clear()
    _V3_CACHE.clear()
    _INDEX_CACHE.clear()


@dataclass(frozen=True)
class _Key:
    kubernetes_version: str
    resources: frozenset[ResourceInfo]
    # ResourceInfo leaves its schema out of equality: fingerprint custom schemas separately.
    schemas: frozenset[tuple[ResourceInfo, str]] = field(default=frozenset())


def _key(kubernetes_version: str, resources: Iterable[ResourceInfo]) -> _Key:
    frozen = frozenset(resources)
    schemas = frozenset(
        (res, hashlib.sha256(orjson.dumps(res.schema, option=orjson.OPT_SORT_KEYS)).hexdigest())
        for res in frozen if res.schema is not None
    )
    return _Key(kubernetes_version, frozen, schemas)


# ------------------------------------------------------------------------------------------------
# v2
# ------------------------------------------------------------------------------------------------


def _group_versions(resources: Iterable[ResourceInfo]) -> dict[str, list[str]]:
    groups: dict[str, set[str]] = {}
    for res in resources:
        groups.setdefault(res.group, set()).add(res.version)
    return {g: sorted(vs, key=version_priority, reverse=True) for g, vs in sorted(groups.items())}


def _security() -> tuple[dict[str, Any], list[dict[str, list[str]]]]:
    scheme = {"BearerToken": {"in": "header", "name": "authorization", "type": "apiKey"}}
    return scheme, [{"BearerToken": []}]


def _sorted_resources(resources: Iterable[ResourceInfo]) -> list[ResourceInfo]:
    return sorted(resources, key=lambda r: (r.group, r.version, r.plural))


def _v2_document(key: _Key, git_version: str) -> dict[str, Any]:
    resources = _sorted_resources(key.resources)
    defs = _Definitions(key.kubernetes_version)
    _register_custom(resources, defs, v3=False)
    routes: list[_Route] = []
    routes.extend(_root_routes("api"))
    routes.extend(_root_routes("apis"))
    routes.extend(_root_routes("version"))
    for group, versions in _group_versions(resources).items():
        if group:
            routes.append(_group_discovery_route(group))
        for version in versions:
            routes.append(_group_version_discovery_route(group, version))
    for res in resources:
        routes.extend(_resource_routes(res, defs))
    security_definitions, security = _security()
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": git_version},
        "paths": _render_v2_paths(routes),
        "definitions": _definitions_for(routes, defs, BASE_DEFINITIONS, v3=False),
        "securityDefinitions": security_definitions,
        "security": security,
    }


def build_v2(catalog: Catalog, git_version: str) -> bytes:
    """The Swagger 2.0 document of ``/openapi/v2`` for everything ``catalog`` serves (JSON bytes)."""
    key = (_key(catalog.kubernetes_version, catalog.resources()), git_version)
    cached: bytes | None = _V2_CACHE.get(key)
    if cached is not None:
        return cached
    data = _dumps(_v2_document(key[0], git_version))
    _V2_CACHE.put(key, data)
    return data


# ------------------------------------------------------------------------------------------------
# v2 as protocol buffers (gnostic's openapi.v2.Document), what client-go asks /openapi/v2 for
# ------------------------------------------------------------------------------------------------

# What kubectl sends in Accept (the first, deprecated spelling) and what kube-apiserver answers with.
V2_PROTOBUF_ACCEPT = (
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
)
V2_PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


def _pb_varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _pb_bytes(number: int, payload: bytes) -> bytes:
    return _pb_varint(number << 3 | 2) + _pb_varint(len(payload)) + payload


def _pb_str(number: int, value: str) -> bytes:
    return _pb_bytes(number, value.encode()) if value else b""


def _pb_strs(number: int, values: Iterable[str]) -> bytes:
    return b"".join(_pb_bytes(number, v.encode()) for v in values)


def _pb_bool(number: int, value: Any) -> bytes:
    return _pb_varint(number << 3) + b"\x01" if value is True else b""


def _pb_int(number: int, value: Any) -> bytes:
    return _pb_varint(number << 3) + _pb_varint(int(value)) if isinstance(value, int) and value else b""


def _pb_double(number: int, value: Any) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value:
        return b""
    return _pb_varint(number << 3 | 1) + struct.pack("<d", float(value))


def _pb_any(value: Any) -> bytes:
    """gnostic's Any: the value as YAML text (JSON is YAML)."""
    return _pb_str(2, orjson.dumps(value).decode() + "\n")


def _pb_named(number: int, name: str, value: bytes) -> bytes:
    return _pb_bytes(number, _pb_str(1, name) + _pb_bytes(2, value))


def _pb_extensions(number: int, node: Mapping[str, Any]) -> bytes:
    return b"".join(_pb_named(number, k, _pb_any(v)) for k, v in node.items() if k.startswith("x-"))


# Schema fields: JSON name -> (field number, encoder)
_PB_SCHEMA_SCALARS: tuple[tuple[str, int, Callable[[int, Any], bytes]], ...] = (
    ("$ref", 1, _pb_str), ("format", 2, _pb_str), ("title", 3, _pb_str), ("description", 4, _pb_str),
    ("multipleOf", 6, _pb_double), ("maximum", 7, _pb_double), ("exclusiveMaximum", 8, _pb_bool),
    ("minimum", 9, _pb_double), ("exclusiveMinimum", 10, _pb_bool), ("maxLength", 11, _pb_int),
    ("minLength", 12, _pb_int), ("pattern", 13, _pb_str), ("maxItems", 14, _pb_int), ("minItems", 15, _pb_int),
    ("uniqueItems", 16, _pb_bool), ("maxProperties", 17, _pb_int), ("minProperties", 18, _pb_int),
)


def _pb_schema(node: Mapping[str, Any]) -> bytes:
    out = bytearray()
    for key, number, encode in _PB_SCHEMA_SCALARS[:4]:
        if isinstance(node.get(key), str):
            out += encode(number, node[key])
    if "default" in node:
        out += _pb_bytes(5, _pb_any(node["default"]))
    for key, number, encode in _PB_SCHEMA_SCALARS[4:]:
        if key in node:
            out += encode(number, node[key])
    required = node.get("required")
    if isinstance(required, list):
        out += _pb_strs(19, (r for r in required if isinstance(r, str)))
    for value in node.get("enum") or ():
        out += _pb_bytes(20, _pb_any(value))
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        out += _pb_bytes(21, _pb_bytes(1, _pb_schema(additional)))
    elif isinstance(additional, bool):
        out += _pb_bytes(21, _pb_varint(2 << 3) + (b"\x01" if additional else b"\x00"))
    type_ = node.get("type")
    if isinstance(type_, str):
        out += _pb_bytes(22, _pb_str(1, type_))
    elif isinstance(type_, list):
        out += _pb_bytes(22, _pb_strs(1, type_))
    items = node.get("items")
    if isinstance(items, dict):
        out += _pb_bytes(23, _pb_bytes(1, _pb_schema(items)))
    elif isinstance(items, list):
        out += _pb_bytes(23, b"".join(_pb_bytes(1, _pb_schema(item)) for item in items))
    for sub in node.get("allOf") or ():
        out += _pb_bytes(24, _pb_schema(sub))
    properties = node.get("properties")
    if isinstance(properties, dict):
        out += _pb_bytes(25, b"".join(_pb_named(1, name, _pb_schema(sub)) for name, sub in properties.items()))
    if isinstance(node.get("discriminator"), str):
        out += _pb_str(26, node["discriminator"])
    out += _pb_bool(27, node.get("readOnly"))
    if "example" in node:
        out += _pb_bytes(30, _pb_any(node["example"]))
    out += _pb_extensions(31, node)
    return bytes(out)


def _pb_parameter(param: Mapping[str, Any]) -> bytes:
    if param.get("in") == "body":
        body = (_pb_str(2, param.get("name", "")) + _pb_str(3, "body") + _pb_bool(4, param.get("required"))
                + _pb_bytes(5, _pb_schema(param.get("schema") or {})))
        parameter = _pb_bytes(1, body)
    else:
        location = param.get("in", "")
        # field numbers of (type, uniqueItems) and of the sub-schema within NonBodyParameter
        type_number, unique_number, which = {
            "query": (6, 20, 3), "path": (5, 19, 4), "header": (5, 19, 1), "formData": (6, 20, 2),
        }[location]
        sub = (_pb_bool(1, param.get("required")) + _pb_str(2, location) + _pb_str(4, param.get("name", ""))
               + _pb_str(type_number, param.get("type", "")) + _pb_bool(unique_number, param.get("uniqueItems")))
        parameter = _pb_bytes(2, _pb_bytes(which, sub))
    return _pb_bytes(1, parameter)  # ParametersItem.parameter


def _pb_operation(op: Mapping[str, Any]) -> bytes:
    responses = b"".join(
        _pb_named(1, code, _pb_bytes(1, _pb_str(1, response.get("description", ""))
                                     + (_pb_bytes(2, _pb_bytes(1, _pb_schema(response["schema"])))
                                        if "schema" in response else b"")))
        for code, response in op.get("responses", {}).items()
    )
    return (
        _pb_strs(1, op.get("tags", ())) + _pb_str(5, op.get("operationId", "")) + _pb_strs(6, op.get("produces", ()))
        + _pb_strs(7, op.get("consumes", ()))
        + b"".join(_pb_bytes(8, _pb_parameter(p)) for p in op.get("parameters", ()))
        + _pb_bytes(9, responses) + _pb_strs(10, op.get("schemes", ())) + _pb_extensions(13, op)
    )


_PB_METHODS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def _pb_document(document: Mapping[str, Any], encode_definition: Callable[[str, Any], bytes]) -> bytes:
    info = document.get("info", {})
    paths = bytearray()
    for path, item in document.get("paths", {}).items():
        encoded = bytearray()
        for method, number in _PB_METHODS.items():
            if method in item:
                encoded += _pb_bytes(number, _pb_operation(item[method]))
        for param in item.get("parameters", ()):
            encoded += _pb_bytes(9, _pb_parameter(param))
        paths += _pb_named(2, path, bytes(encoded))
    definitions = b"".join(_pb_named(1, name, encode_definition(name, schema))
                           for name, schema in document.get("definitions", {}).items())
    security = b"".join(
        _pb_bytes(12, b"".join(_pb_named(1, name, _pb_strs(1, scopes)) for name, scopes in requirement.items()))
        for requirement in document.get("security", ())
    )
    security_definitions = b"".join(
        _pb_named(1, name, _pb_bytes(2, _pb_str(1, scheme.get("type", "")) + _pb_str(2, scheme.get("name", ""))
                                     + _pb_str(3, scheme.get("in", ""))))
        for name, scheme in document.get("securityDefinitions", {}).items()
    )
    return (
        _pb_str(1, document.get("swagger", "")) + _pb_bytes(2, _pb_str(1, info.get("title", ""))
                                                             + _pb_str(2, info.get("version", "")))
        + _pb_bytes(8, bytes(paths)) + _pb_bytes(9, definitions) + security + _pb_bytes(13, security_definitions)
    )


def build_v2_protobuf(catalog: Catalog, git_version: str) -> bytes:
    """``/openapi/v2`` as client-go fetches it (Accept: one of ``V2_PROTOBUF_ACCEPT``): the v2 document
    encoded as gnostic's ``openapi.v2.Document`` protocol buffer, served as ``V2_PROTOBUF_CONTENT_TYPE``."""
    key = (_key(catalog.kubernetes_version, catalog.resources()), git_version, "protobuf")
    cached: bytes | None = _V2_CACHE.get(key)
    if cached is not None:
        return cached
    kubernetes_version = catalog.kubernetes_version
    builtin = schema_files.definitions(kubernetes_version)

    def encode_definition(name: str, schema: Any) -> bytes:
        if builtin.get(name) is schema:
            return _pb_builtin_definition(kubernetes_version, name)
        return _pb_schema(schema)

    data = _pb_document(_v2_document(key[0], git_version), encode_definition)
    _V2_CACHE.put(key, data)
    return data


@functools.cache
def _pb_builtin_definition(kubernetes_version: str, name: str) -> bytes:
    return _pb_schema(schema_files.definitions(kubernetes_version)[name])


# ------------------------------------------------------------------------------------------------
# v3
# ------------------------------------------------------------------------------------------------


def v3_document_paths(catalog: Catalog) -> list[str]:
    """The documents the v3 index lists: "api", "api/v1", "apis", "apis/<group>", "apis/<group>/<version>", ..."""
    out = list(DISCOVERY_PATHS)
    for group, versions in catalog.group_versions().items():
        if group:
            out.append(f"apis/{group}")
        out.extend(f"apis/{group}/{v}" if group else f"api/{v}" for v in versions)
    return sorted(out)


def _document_scope(catalog: Catalog, path: str) -> tuple[str, str | None, list[ResourceInfo]] | None:
    """(kind of document, group, resources it describes) for a v3 document path; None when not served."""
    parts = path.strip("/").split("/")
    if len(parts) == 1 and parts[0] in DISCOVERY_PATHS:
        return (parts[0], None, [])
    if len(parts) == 2 and parts[0] == "api":
        resources = catalog.resources_in("", parts[1])
        return ("group-version", "", resources) if resources else None
    if len(parts) == 2 and parts[0] == "apis":
        group = parts[1]
        if group and any(res.group == group for res in catalog.resources()):
            return ("group", group, [])
        return None
    if len(parts) == 3 and parts[0] == "apis" and parts[1]:
        resources = catalog.resources_in(parts[1], parts[2])
        return ("group-version", parts[1], resources) if resources else None
    return None


def _build_v3(kubernetes_version: str, kind: str, group: str | None, path: str,
              resources: list[ResourceInfo]) -> bytes:
    defs = _Definitions(kubernetes_version)
    routes: list[_Route] = []
    if kind == "group-version":
        assert group is not None
        version = path.rsplit("/", 1)[-1]
        _register_custom(resources, defs, v3=True)
        routes.append(_group_version_discovery_route(group, version))
        for res in _sorted_resources(resources):
            routes.extend(_resource_routes(res, defs))
    elif kind == "group":
        assert group is not None
        routes.append(_group_discovery_route(group))
    else:
        routes.extend(_root_routes(kind))
    security_schemes, _ = _security()
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "unversioned"},
        "paths": _render_v3_paths(routes),
        "components": {
            "schemas": _definitions_for(routes, defs, (), v3=True),
            "securitySchemes": security_schemes,
        },
    }
    return _dumps(document)


def build_v3_document(catalog: Catalog, path: str) -> bytes | None:
    """The OpenAPI 3.0 document ``/openapi/v3/<path>`` (e.g. "apis/apps/v1", "api/v1"); None if not served."""
    scope = _document_scope(catalog, path)
    if scope is None:
        return None
    kind, group, resources = scope
    normalized = path.strip("/")
    key = (_key(catalog.kubernetes_version, resources), normalized)
    cached: bytes | None = _V3_CACHE.get(key)
    if cached is not None:
        return cached
    data = _build_v3(catalog.kubernetes_version, kind, group, normalized, resources)
    _V3_CACHE.put(key, data)
    return data


def build_v3_index(catalog: Catalog) -> bytes:
    """The ``/openapi/v3`` index: every document with its ``serverRelativeURL`` carrying the content hash."""
    key = _key(catalog.kubernetes_version, catalog.resources())
    cached: bytes | None = _INDEX_CACHE.get(key)
    if cached is not None:
        return cached
    paths: dict[str, Any] = {}
    for path in v3_document_paths(catalog):
        data = build_v3_document(catalog, path)
        if data is None:  # pragma: no cover - v3_document_paths lists served documents only
            continue
        paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={document_hash(data)}"}
    data = _dumps({"paths": paths})
    _INDEX_CACHE.put(key, data)
    return data
