"""Watches (kube's ``handlers/watch.go``): a chunked stream of the events a ``WatchStream`` produces.

Served for ``?watch=true`` on a collection and on the legacy ``/watch/`` paths (a whole collection,
or one object by name).  Open streams are tracked on the app so that stopping the server cancels
them at once instead of waiting for clients to hang up.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiohttp import web

from fakekube import errors, selectors
from fakekube.http import negotiation, tables
from fakekube.http.handlers.scope import require_verb, resource_of
from fakekube.http.options import TRUE, int_param, list_options, send_initial_events
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState
from fakekube.kinds.strategy import Column
from fakekube.registry import listing
from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.watch import WatchOptions, WatchStream

WATCHES_KEY: web.AppKey[set[asyncio.Task[Any]]] = web.AppKey("fakekube.watches")


async def watch(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res = resource_of(info)
    require_verb(info, "watch")
    output = negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadata")
    if output.format != "json":  # kube-apiserver has no streaming YAML serializer
        raise errors.not_acceptable(["application/json", "application/json;stream=watch",
                                     "application/vnd.kubernetes.protobuf;stream=watch"])
    query = request.query
    field_selector = query.get("fieldSelector", "")
    if info.name:  # /watch/.../name: a field selector may only restate the name (handlers/get.go)
        if field_selector:
            try:  # decoded with the other options, so a selector that does not parse is a 400 as on lists
                parsed = selectors.parse_field_selector(field_selector)
            except selectors.SelectorError as exc:
                raise errors.bad_request(selectors.field_selector_error_message(field_selector, exc)) from None
            exact = [r.value for r in parsed.requirements if r.field == "metadata.name" and r.op == "="]
            if exact != [info.name]:
                raise errors.watch_name_mismatch()
        else:
            field_selector = f"metadata.name={info.name}"
    flt = listing.ObjectFilter(res, query.get("labelSelector", ""), field_selector)
    sie = send_initial_events(request)
    listing.validate_list_options(list_options(request), watch=True, send_initial_events=sie)
    timeout = int_param(query, "timeoutSeconds")
    settings = cluster.settings
    opts = WatchOptions(
        resource_version=query.get("resourceVersion", ""),
        send_initial_events=sie,
        allow_bookmarks=query.get("allowWatchBookmarks", "") in TRUE,
        timeout_seconds=float(timeout) if timeout > 0 else settings.watch_timeout,
        bookmark_interval=settings.bookmark_interval,
        max_buffer=settings.watch_buffer,
        alive=lambda: (request.transport is not None and not request.transport.is_closing()
                       and still_served(cluster.catalog, res)),
    )
    stream = WatchStream(cluster.registry.store, res, info.object_namespace or None, flt, opts)
    stream.start()
    response = web.StreamResponse(status=200, headers={
        "Content-Type": "application/json",
        "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked"})
    await response.prepare(request)
    watches: set[asyncio.Task[Any]] = request.app[WATCHES_KEY]
    task = asyncio.current_task()
    if task is not None:
        watches.add(task)
    try:
        async for line in stream.lines():
            if output.kind == "Table":
                line = _table_event(res.strategy.columns, line, output.version, cluster.registry.clock())
            elif output.kind == "PartialObjectMetadata":
                line = _metadata_event(line, output.version)
            await response.write(line)
    except (ConnectionResetError, asyncio.CancelledError):
        return response
    finally:
        stream.close()
        if task is not None:
            watches.discard(task)
    try:
        await response.write_eof()
    except ConnectionResetError:
        pass
    return response


def _metadata_event(line: bytes, version: str) -> bytes:
    event = orjson.loads(line)
    if event["type"] in ("ADDED", "MODIFIED", "DELETED", "BOOKMARK"):
        event["object"] = negotiation.partial_metadata(event["object"], version)
    return orjson.dumps(event) + b"\n"


def _table_event(columns: tuple[Column, ...], line: bytes, version: str, now: float) -> bytes:
    event = orjson.loads(line)
    if event["type"] in ("ADDED", "MODIFIED", "DELETED"):
        obj = event["object"]
        event["object"] = orjson.loads(tables.render_table(columns, [obj], obj["metadata"].get("resourceVersion", ""),
                                                           version=version, now=now))
    return orjson.dumps(event) + b"\n"


def still_served(catalog: Catalog, res: ResourceInfo) -> bool:
    """Whether the resource a watch was opened on is still the one served: kube-apiserver ends the watches of
    a custom resource when its CRD changes or goes (its storage is rebuilt), and clients list again."""
    return not res.is_custom or catalog.get(res.group, res.version, res.plural) is res
