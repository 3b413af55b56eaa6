"""The fixed vocabulary of the OpenAPI documents: definition names, media types, status texts,
the resources and subresources that deviate from the common operations, and the query and path
parameters operations take (some depending on the Kubernetes version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# ------------------------------------------------------------------------------------------------
# Definition names, media types, status texts, special resources
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
# No CBOR forms (application/cbor, application/cbor-seq, application/apply-patch+cbor): kube-apiserver lists them
# only with the CBORServingAndStorage feature gate, alpha and off in v1.33-v1.37 (upstream's committed documents
# are generated with every gate on, so they do list them).
OBJECT_MEDIA_TYPES = (JSON, YAML, PROTOBUF)
LIST_MEDIA_TYPES = (*OBJECT_MEDIA_TYPES, "application/json;stream=watch",
                    "application/vnd.kubernetes.protobuf;stream=watch")
LOG_MEDIA_TYPES = ("text/plain", *OBJECT_MEDIA_TYPES)
GROUP_DISCOVERY_MEDIA_TYPES = (JSON, YAML, PROTOBUF)
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH_YAML = "application/apply-patch+yaml"
BUILTIN_PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH_YAML)
# Custom resources have no Go struct to drive a strategic merge: kube-apiserver does not offer it.
CUSTOM_PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, APPLY_PATCH_YAML)
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

# ------------------------------------------------------------------------------------------------
# Schemas and references
# ------------------------------------------------------------------------------------------------

Schema = dict[str, Any]

_V2_PREFIX = "#/definitions/"
_V3_PREFIX = "#/components/schemas/"


def _ref2(name: str) -> Schema:
    return {"$ref": "#/definitions/" + name}


STRING_SCHEMA: Schema = {"type": "string"}

# ------------------------------------------------------------------------------------------------
# Parameters
# ------------------------------------------------------------------------------------------------


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
