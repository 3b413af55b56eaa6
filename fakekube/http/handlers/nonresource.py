"""Everything that is not a resource: discovery, ``/version``, health checks and the OpenAPI documents.

These are GET-only; any other method, and any path not listed here, is kube-apiserver's generic 404.
Discovery is derived from the catalog at request time, so custom resources appear without rebuilding.
"""

from __future__ import annotations

from aiohttp import web

from fakekube import errors
from fakekube.http import discovery, health, negotiation
from fakekube.http.handlers.responses import respond
from fakekube.http.requestinfo import API_PREFIXES, RequestInfo, restful_claimed
from fakekube.http.state import ClusterState

HEALTH_PATHS = ("/healthz", "/livez", "/readyz")
# The checks kube-apiserver v1.37 serves under /livez/ (and /healthz/); /readyz/ has these and its own.
LIVE_CHECKS = frozenset({"ping", "log", "etcd", "loopback-serving-certificate", "autoregister-completion"})
READY_CHECKS = LIVE_CHECKS | {"etcd-readiness", "informer-sync", "shutdown"}


async def serve(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    if request.method != "GET":
        raise errors.not_found_path()
    path = info.path.rstrip("/") or "/"
    parts = path[1:].split("/")
    if parts[0] in API_PREFIXES and len(parts) > 1:
        return api_discovery(request, cluster, parts)
    accept = request.headers.get("Accept")
    if path in ("/api", "/apis"):
        output = negotiation.choose_output(accept, discovery=True)
        if output.kind == "APIGroupDiscoveryList":
            return respond(request, discovery.aggregated(cluster.catalog, path == "/api", output.version), output)
        if path == "/api":
            return respond(request, discovery.api_versions(request.host), output)
        return respond(request, discovery.api_group_list(cluster.catalog), output)
    if path == "/version":
        return respond(request, cluster.version_info(), negotiation.Output())
    if path in HEALTH_PATHS:
        text = health.report(path[1:], "verbose" in request.query, request.query.getall("exclude", []))
        return web.Response(text=text, content_type="text/plain")
    if path.startswith(("/healthz/", "/livez/", "/readyz/")) and _known_check(path):
        return web.Response(text="ok", content_type="text/plain")
    if path.startswith("/openapi/"):
        return openapi_document(request, cluster, path)
    raise errors.page_not_found()


def openapi_document(request: web.Request, cluster: ClusterState, path: str) -> web.Response:
    """``/openapi/v2``, the ``/openapi/v3`` index and its documents; their builders load with the first one
    asked for (``http.app.load_request_time_modules``), not when the server starts."""
    from fakekube.http import openapi

    if path == "/openapi/v2":
        accept = request.headers.get("Accept")
        if any(media.type in openapi.V2_PROTOBUF_ACCEPT for media in negotiation.parse_media_types(accept or "")):
            return web.Response(body=openapi.build_v2_protobuf(cluster.catalog, cluster.git_version),
                                headers={"Content-Type": openapi.V2_PROTOBUF_CONTENT_TYPE})
        return web.Response(body=openapi.build_v2(cluster.catalog, cluster.git_version),
                            content_type="application/json")
    if path == "/openapi/v3":
        # kube-openapi writes the index without a Content-Type; Go's sniffing names it text
        return web.Response(body=openapi.build_v3_index(cluster.catalog),
                            headers={"Content-Type": "text/plain; charset=utf-8"})
    if path.startswith("/openapi/v3/"):
        return openapi_v3_document(request, cluster, path[len("/openapi/v3/"):])
    raise errors.page_not_found()


def _known_check(path: str) -> bool:
    """Whether ``/<endpoint>/<check>`` names one of the endpoint's checks: each has its own path, and any
    other is the mux's plain 404."""
    endpoint, _, check = path[1:].partition("/")
    if check.startswith("poststarthook/") and check != "poststarthook/":
        return True
    return check in (READY_CHECKS if endpoint == "readyz" else LIVE_CHECKS)


def api_discovery(request: web.Request, cluster: ClusterState, parts: list[str]) -> web.Response:
    """``/api/{version}``, ``/apis/{group}`` and ``/apis/{group}/{version}``: a group's versions or a
    group-version's resources (longer paths are resource requests and never get here)."""
    path = "/" + "/".join(parts)
    if "" in parts:  # "//" inside a path addresses nothing
        raise errors.not_found_path() if restful_claimed(path, cluster.catalog) else errors.page_not_found()
    if parts[0] == "api":
        doc = discovery.api_resource_list(cluster.catalog, "", parts[1])
    elif len(parts) == 2:
        doc = discovery.api_group(cluster.catalog, parts[1])
    else:
        doc = discovery.api_resource_list(cluster.catalog, parts[1], parts[2])
    if doc is None:
        raise errors.not_found_path() if restful_claimed(path, cluster.catalog) else errors.page_not_found()
    return respond(request, doc, negotiation.choose_output(request.headers.get("Accept")))


def openapi_v3_document(request: web.Request, cluster: ClusterState, doc_path: str) -> web.Response:
    """One group-version document; a stale ``?hash=`` is redirected to the current one, as kube-apiserver does."""
    from fakekube.http import openapi

    doc = openapi.build_v3_document(cluster.catalog, doc_path)
    if doc is None:  # kube-openapi's bare 404: no body, no Content-Type
        return web.Response(status=404)
    digest = openapi.document_hash(doc)
    wanted = request.query.get("hash")
    if wanted is not None and wanted != digest:
        raise web.HTTPMovedPermanently(f"/openapi/v3/{doc_path}?hash={digest}")
    headers = {"Content-Type": "application/json", "Etag": f'"{digest}"'}
    if wanted is not None:
        headers["Cache-Control"] = "public, immutable"
    return web.Response(body=doc, headers=headers)
