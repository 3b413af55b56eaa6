"""HTTP handlers: parse the request, call the registry, render the answer.  No API semantics live here.

One catch-all handler dispatches on the path (see ``routes``) and the method, the way
kube-apiserver's ``endpoints/handlers`` map verbs onto the registry.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web
from multidict import CIMultiDict

from fakekube import errors
from fakekube.errors import StatusError
from fakekube.http import discovery, negotiation, openapi, tables
from fakekube.http import requestinfo as routes
from fakekube.http.options import TRUE, delete_options, int_param, list_options, send_initial_events, write_options
from fakekube.http.watch import serve_watch
from fakekube.registry import listing
from fakekube.registry.context import Context
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import Result

if TYPE_CHECKING:
    from fakekube.http.state import ClusterState

CLUSTER_KEY: web.AppKey[ClusterState] = web.AppKey("fakekube.cluster")
MAX_BODY = 3 * 1024 * 1024
GZIP_THRESHOLD = 128 * 1024  # kube-apiserver compresses only responses of at least 128 KiB


def cluster_of(request: web.Request) -> ClusterState:
    return request.app[CLUSTER_KEY]


def status_response(err: StatusError, request: web.Request | None = None) -> web.Response:
    headers = CIMultiDict({"Content-Type": "application/json", "Cache-Control": "no-cache, private"})
    for key, value in err.headers.items():
        headers[key] = value
    if err.retry_after:
        headers["Retry-After"] = str(err.retry_after)
    return web.Response(status=err.code, body=err.to_bytes(), headers=headers)


def respond(request: web.Request, data: bytes | dict[str, Any], output: negotiation.Output, status: int = 200,
            warnings: list[str] | None = None) -> web.Response:
    headers: CIMultiDict[str] = CIMultiDict({"Content-Type": output.content_type,
                                             "Cache-Control": "no-cache, private"})
    for text in warnings or ():
        headers.add("Warning", '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    body = negotiation.render(data, output)
    response = web.Response(status=status, body=body, headers=headers)
    if len(body) >= GZIP_THRESHOLD and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.enable_compression()
    return response


async def read_raw(request: web.Request) -> bytes:
    """The request body, refused with a Status (not aiohttp's plain text) past kube-apiserver's 3 MiB."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise StatusError(413, "RequestEntityTooLarge", "the request is too large")
    raw = await request.read()
    if len(raw) > MAX_BODY:
        raise StatusError(413, "RequestEntityTooLarge", "the request is too large")
    return raw


async def read_body(request: web.Request) -> Any:
    raw = await read_raw(request)
    return negotiation.parse_body(raw, request.headers.get("Content-Type", "application/json"))


async def dispatch(request: web.Request) -> web.StreamResponse:
    try:
        return await _dispatch(request)
    except StatusError as err:
        return status_response(err, request)
    except (asyncio.CancelledError, ConnectionResetError, web.HTTPException):
        raise
    except (orjson.JSONEncodeError, RecursionError):  # bodies nested deeper than JSON serialization allows
        return status_response(errors.bad_request("the request body is nested too deeply"), request)
    except Exception as exc:  # never crash the server on bad input: report it as kube-apiserver would
        request.app.logger.exception("internal error serving %s %s", request.method, request.path)
        return status_response(errors.internal_error(f"{type(exc).__name__}: {exc}"), request)


async def _dispatch(request: web.Request) -> web.StreamResponse:
    path = request.path.rstrip("/") or "/"
    cluster = cluster_of(request)
    if path.startswith("/api/") or path.startswith("/apis/"):
        target = routes.parse(path, cluster.catalog)
        if isinstance(target, routes.ResourceTarget):
            return await handle_resource(request, cluster, target)
        if request.method != "GET":
            raise errors.not_found_path()
        if isinstance(target, routes.GroupVersionTarget):
            doc = discovery.api_resource_list(cluster.catalog, target.group, target.version)
        elif isinstance(target, routes.GroupTarget):
            doc = discovery.api_group(cluster.catalog, target.group)
        else:
            doc = None
        if doc is None:
            raise errors.not_found_path()
        return respond(request, doc, negotiation.choose_output(request.headers.get("Accept")))
    if request.method != "GET":
        raise errors.not_found_path()
    return await handle_nonresource(request, cluster, path)


async def handle_nonresource(request: web.Request, cluster: ClusterState, path: str) -> web.StreamResponse:
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
    if path in ("/healthz", "/livez", "/readyz") or path.startswith(("/healthz/", "/livez/", "/readyz/")):
        return web.Response(text="ok", content_type="text/plain")
    if path == "/openapi/v2":
        if any(media.type in openapi.V2_PROTOBUF_ACCEPT for media in negotiation.parse_media_types(accept or "")):
            return web.Response(body=openapi.build_v2_protobuf(cluster.catalog, cluster.git_version),
                                headers={"Content-Type": openapi.V2_PROTOBUF_CONTENT_TYPE})
        return web.Response(body=openapi.build_v2(cluster.catalog, cluster.git_version),
                            content_type="application/json")
    if path == "/openapi/v3":
        return web.Response(body=openapi.build_v3_index(cluster.catalog), content_type="application/json")
    if path.startswith("/openapi/v3/"):
        return openapi_v3_document(request, cluster, path[len("/openapi/v3/"):])
    raise errors.not_found_path()


def openapi_v3_document(request: web.Request, cluster: ClusterState, doc_path: str) -> web.Response:
    """One group-version document; a stale ``?hash=`` is redirected to the current one, as kube-apiserver does."""
    doc = openapi.build_v3_document(cluster.catalog, doc_path)
    if doc is None:
        raise errors.not_found_path()
    digest = openapi.document_hash(doc)
    wanted = request.query.get("hash")
    if wanted is not None and wanted != digest:
        raise web.HTTPMovedPermanently(f"/openapi/v3/{doc_path}?hash={digest}")
    headers = {"Content-Type": "application/json", "Etag": f'"{digest}"'}
    if wanted is not None:
        headers["Cache-Control"] = "public, immutable"
    return web.Response(body=doc, headers=headers)


async def handle_scale(request: web.Request, cluster: ClusterState, target: routes.ResourceTarget,
                       output: negotiation.Output) -> web.StreamResponse:
    """GET, PUT and PATCH of ``/scale``; a patch applies to the Scale document, then writes it."""
    res, registry, namespace, name = target.res, cluster.registry, target.namespace or "", target.name or ""
    method = request.method
    if method == "GET":
        _require_verb(target, "get")
        return respond(request, registry.get(Context(), res, namespace, name, "scale"), output)
    if method == "PUT":
        _require_verb(target, "update")
        result = registry.update(write_options(request, "UpdateOptions"), res, namespace, name,
                                 await read_body(request), "scale")
        return respond(request, result.data, output, 200, result.warnings)
    if method == "PATCH":
        _require_verb(target, "patch")
        patch_type, body = await read_patch(request, res)
        result = registry.patch(write_options(request, "PatchOptions"), res, namespace, name, patch_type, body,
                                "scale")
        return respond(request, result.data, output, 200, result.warnings)
    raise errors.method_not_allowed(f"{res.plural}/scale", res.group)


PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
}


async def read_patch(request: web.Request, res: ResourceInfo) -> tuple[str, Any]:
    """The patch type and document; custom resources have no strategic merge patch, as upstream."""
    content_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/apply-patch+yaml":
        raise errors.patch_not_supported(content_type)  # server-side apply comes with field management
    patch_type = PATCH_TYPES.get(content_type)
    if patch_type is None or (patch_type == "strategic" and res.is_custom):
        accepted = [t for t, kind in PATCH_TYPES.items() if kind != "strategic" or not res.is_custom]
        raise StatusError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                          "accepted media types include: " + ", ".join([*accepted, "application/apply-patch+yaml"]))
    raw = await read_raw(request)
    try:
        return patch_type, orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.bad_request(f"error decoding patch: {exc}") from None


def _require_verb(target: routes.ResourceTarget, verb: str) -> None:
    res = target.res
    verbs = res.verbs
    if target.subresource is not None:
        sub = res.subresource(target.subresource)
        verbs = sub.verbs if sub else frozenset()
    if verb not in verbs:
        raise errors.method_not_allowed(res.plural, res.group)


async def handle_resource(request: web.Request, cluster: ClusterState,
                          target: routes.ResourceTarget) -> web.StreamResponse:
    method = request.method
    res = target.res
    registry = cluster.registry
    query = request.query
    namespace = target.namespace or ""
    if target.name is None:  # collection
        if res.namespaced and target.namespace is None and method != "GET":
            # /api/v1/pods across namespaces registers list and watch only (no create, no bulk delete)
            raise errors.method_not_allowed(res.plural, res.group)
        if method == "GET":
            if target.legacy_watch or query.get("watch", "") in TRUE:
                _require_verb(target, "watch")
                return await serve_watch(request, cluster, target)
            _require_verb(target, "list")
            return serve_list(request, cluster, target)
        if method == "POST":
            _require_verb(target, "create")
            output = negotiation.choose_output(request.headers.get("Accept"))
            body = await read_body(request)
            result = registry.create(write_options(request, "CreateOptions"), res, namespace, body)
            return respond(request, result.data, output, 201, result.warnings)
        if method == "DELETE":
            _require_verb(target, "deletecollection")
            output = negotiation.choose_output(request.headers.get("Accept"))
            ctx, collection_opts = await delete_options(request, cluster)
            selection = listing.ListOptions(query.get("labelSelector", ""), query.get("fieldSelector", ""),
                                            limit=int_param(query, "limit"))
            deleted = listing.delete_collection(registry, ctx, res, target.namespace, selection, collection_opts)
            return respond(request, listing.render_list(res, deleted), output)
        raise errors.method_not_allowed(res.plural, res.group)
    if target.legacy_watch:
        _require_verb(target, "watch")
        return await serve_watch(request, cluster, target, single_name=target.name)
    output = negotiation.choose_output(request.headers.get("Accept"), tables=method == "GET",
                                       partial="PartialObjectMetadata")
    sub = target.subresource
    if sub == "scale" and res.subresource("scale") is not None:
        return await handle_scale(request, cluster, target, output)
    if sub is not None and method == "POST" and res.subresource_strategy(sub) is not None:
        _require_verb(target, "create")  # pods/{name}/binding: a create that writes the pod
        created = registry.create(write_options(request, "CreateOptions"), res, namespace, await read_body(request),
                                  name=target.name, subresource=sub)
        return respond(request, created.data, output, 201, created.warnings)
    if sub is not None and res.subresource_strategy(sub) is None:
        raise errors.method_not_allowed(f"{res.plural}/{sub}", res.group)
    if method == "GET":
        _require_verb(target, "get")
        data = registry.get(Context(), res, namespace, target.name, sub)
        if output.kind == "PartialObjectMetadata":
            return respond(request, negotiation.partial_metadata(orjson.loads(data), output.version),
                           negotiation.Output())
        if output.kind == "Table":
            obj = orjson.loads(data)
            rv = obj["metadata"].get("resourceVersion", "")
            return respond(request, tables.render_table(res.strategy.columns, [obj], rv,
                                                        include_object=query.get("includeObject", "Metadata"),
                                                        version=output.version, now=cluster.registry.clock()),
                           negotiation.Output())
        return respond(request, data, output)
    if method == "PUT":
        _require_verb(target, "update")
        body = await read_body(request)
        updated: Result = registry.update(write_options(request, "UpdateOptions"), res, namespace, target.name, body,
                                          sub)
        return respond(request, updated.data, output, 201 if updated.created else 200, updated.warnings)
    if method == "DELETE":
        _require_verb(target, "delete")
        ctx, opts = await delete_options(request, cluster)
        gone = registry.delete(ctx, res, namespace, target.name, opts)
        return respond(request, gone.data, output)
    if method == "PATCH":
        _require_verb(target, "patch")
        patch_type, body = await read_patch(request, res)
        patched = registry.patch(write_options(request, "PatchOptions"), res, namespace, target.name, patch_type,
                                 body, sub)
        return respond(request, patched.data, output, 200, patched.warnings)
    raise errors.method_not_allowed(res.plural, res.group)


def serve_list(request: web.Request, cluster: ClusterState, target: routes.ResourceTarget) -> web.Response:
    output = negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadataList")
    res = target.res
    opts = list_options(request)
    listing.validate_list_options(opts, watch=False, send_initial_events=send_initial_events(request))
    result = listing.list_objects(cluster.registry.store, res, target.namespace, opts)
    if output.kind == "Table":
        items = [orjson.loads(item) for item in result.items]
        body = tables.render_table(res.strategy.columns, items, str(result.revision), result.continue_token,
                                   request.query.get("includeObject", "Metadata"), output.version,
                                   now=cluster.registry.clock())
        return respond(request, body, negotiation.Output())
    if output.kind == "PartialObjectMetadataList":
        meta: dict[str, Any] = {"resourceVersion": str(result.revision)}
        if result.continue_token:
            meta["continue"] = result.continue_token
        if result.remaining is not None:
            meta["remainingItemCount"] = result.remaining
        items = [negotiation.partial_metadata(orjson.loads(item), output.version) for item in result.items]
        return respond(request, {"kind": "PartialObjectMetadataList", "apiVersion": f"meta.k8s.io/{output.version}",
                                 "metadata": meta, "items": items}, negotiation.Output())
    return respond(request, listing.render_list(res, result), output)


