"""Answers and request bodies, shared by every verb handler and by the filter chain.

One place decides the headers kube-apiserver sends (``Cache-Control``, ``Warning``), when a body is
gzipped, how an error becomes a ``Status`` and how large a body may be, so no handler or filter
words these on its own.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import orjson
import yaml
from aiohttp import web
from multidict import CIMultiDict

from fakekube import errors, yaml_input
from fakekube.errors import StatusError
from fakekube.go_text import go_quote
from fakekube.http import envelope, negotiation, tables
from fakekube.registry import listing
from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo
from fakekube.schema.validation import IGNORE, STRICT

MAX_BODY = 3 * 1024 * 1024  # kube-apiserver refuses request bodies past 3 MiB
GZIP_THRESHOLD = 128 * 1024  # kube-apiserver compresses only responses of at least 128 KiB


def status_response(err: StatusError, accept: str | None = None) -> web.Response:
    """The ``Status`` kube-apiserver sends for an error, with its code and headers (``Retry-After``...),
    in YAML when ``accept`` asks for it (``ErrorNegotiated``; any other answer falls back to JSON)."""
    if err.plain_text:  # Go's http.Error: the text, as text/plain, not to be sniffed
        return web.Response(status=err.code, body=err.message.encode(),
                            headers={"Content-Type": "text/plain; charset=utf-8",
                                     "X-Content-Type-Options": "nosniff"})
    body = err.to_bytes()
    content_type = "application/json"
    if accept and "yaml" in accept and negotiation.error_format(accept) == "yaml":
        body, content_type = negotiation.yaml_status(err.to_dict()), negotiation.YAML
    headers = CIMultiDict({"Content-Type": content_type, "Cache-Control": "no-cache, private"})
    for key, value in err.headers.items():
        headers[key] = value
    if err.retry_after:
        headers["Retry-After"] = str(err.retry_after)
    return web.Response(status=err.code, body=body, headers=headers)


def error_response(request: web.Request, exc: Exception) -> web.Response:
    """Any failure while serving, as the ``Status`` a client of kube-apiserver would get; the server
    never crashes on bad input.  Callers let cancellation and aiohttp's own HTTP exceptions through."""
    accept = request.headers.get("Accept")
    if isinstance(exc, StatusError):
        return status_response(exc, accept)
    if isinstance(exc, RecursionError) or (
            isinstance(exc, orjson.JSONEncodeError) and "Recursion limit" in str(exc)):  # nested deeper than JSON
        return status_response(errors.nested_too_deeply(), accept)
    request.app.logger.error("internal error serving %s %s", request.method, request.path, exc_info=exc)
    return status_response(errors.internal_error(f"{type(exc).__name__}: {exc}"), accept)


def warning_header(text: str) -> str | None:
    """A ``Warning`` header's value for ``text`` (None: ``net.NewWarningHeader`` refuses control characters,
    so kube-apiserver drops such a warning)."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        return None
    return '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def respond(request: web.Request, data: bytes | dict[str, Any], output: negotiation.Output, status: int = 200,
            warnings: list[str] | tuple[str, ...] | None = None) -> web.Response:
    """``data`` rendered as ``output`` asks, with the registry's warnings as ``Warning: 299`` headers."""
    headers: CIMultiDict[str] = CIMultiDict({"Content-Type": output.content_type,
                                             "Cache-Control": "no-cache, private"})
    for text in warnings or ():
        value = warning_header(text)
        if value is not None:
            headers.add("Warning", value)
    body = negotiation.render(data, output)
    response = web.Response(status=status, body=body, headers=headers)
    if len(body) >= GZIP_THRESHOLD and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.enable_compression()
    return response


def respond_object(request: web.Request, res: ResourceInfo, data: bytes, output: negotiation.Output, now: float,
                   status: int = 200, warnings: list[str] | None = None, *, own_kind: bool = True) -> web.Response:
    """One object answered as the client asked, whatever the verb (kube's ``transformObject``): itself,
    its metadata only, or a one-row ``Table`` of the resource's columns.  A ``Status`` (a delete that
    returns no object, a binding) passes through untransformed, as upstream.  ``own_kind`` is False for
    a subresource's view of another kind (a Scale), which has no columns of its own here."""
    if output.kind in ("PartialObjectMetadata", "Table"):
        obj = orjson.loads(data)
        if obj.get("kind") == "Status":
            return respond(request, data, negotiation.Output(), status, warnings)
        if output.kind == "PartialObjectMetadata":
            return respond(request, negotiation.partial_metadata(obj, output.version), negotiation.Output(), status,
                           warnings)
        if own_kind:
            table = tables.render_table(res.strategy.columns, [obj], obj["metadata"].get("resourceVersion", ""),
                                        include_object=request.query.get("includeObject", "Metadata"),
                                        version=output.version, now=now)
            return respond(request, table, negotiation.Output(), status, warnings)
    return respond(request, data, output, status, warnings)


def respond_list(request: web.Request, res: ResourceInfo, result: listing.ListResult, output: negotiation.Output,
                 now: float) -> web.Response:
    """A page of objects (a list, or what a deletecollection removed) as a list, a ``Table`` or
    metadata only."""
    if output.kind == "Table":
        items = [orjson.loads(item) for item in result.items]
        body = tables.render_table(res.strategy.columns, items, str(result.revision), result.continue_token,
                                   request.query.get("includeObject", "Metadata"), output.version, now=now,
                                   remaining=result.remaining)
        return respond(request, body, negotiation.Output(), warnings=result.warnings)
    if output.kind == "PartialObjectMetadataList":
        meta: dict[str, Any] = {"resourceVersion": str(result.revision)}
        if result.continue_token:
            meta["continue"] = result.continue_token
        if result.remaining is not None:
            meta["remainingItemCount"] = result.remaining
        items = [negotiation.partial_metadata(orjson.loads(item), output.version) for item in result.items]
        return respond(request, {"kind": "PartialObjectMetadataList", "apiVersion": f"meta.k8s.io/{output.version}",
                                 "metadata": meta, "items": items}, negotiation.Output(), warnings=result.warnings)
    return respond(request, listing.render_list(res, result), output, warnings=result.warnings)


async def read_raw(request: web.Request) -> bytes:
    """The request body, refused with a Status (not aiohttp's plain text) past kube-apiserver's 3 MiB."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise errors.request_too_large()
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:  # a chunked body past the app's limit
        raise errors.request_too_large() from None
    if len(raw) > MAX_BODY:
        raise errors.request_too_large()
    return raw


async def read_body(request: web.Request) -> Any:
    """The request body decoded from its ``Content-Type`` (JSON, YAML or protobuf)."""
    raw = await read_raw(request)
    return negotiation.parse_body(raw, request.headers.get("Content-Type", "application/json"))


def yaml_duplicates(raw: bytes) -> list[str]:
    """What the strict YAML reading (``YAMLToJSONStrict``) says of keys a YAML body sets twice: one error
    naming each line ([] when none is)."""
    try:
        _, duplicates = yaml_input.load_all_noting_duplicates(raw.decode("utf-8", errors="replace"))
    except yaml.YAMLError:
        return []  # the body was read already: not reached
    if not duplicates:
        return []
    return ["yaml: unmarshal errors:" + "".join(f"\n  line {line}: key {go_quote(key)} already set in map"
                                                for line, key in duplicates)]


async def read_object_body(request: web.Request, res: ResourceInfo, field_validation: str,
                           catalog: Catalog | None = None) -> tuple[Any, list[str]]:
    """A create's or an update's body, and the warnings of its strict reading: a JSON key set twice is a
    400 under ``fieldValidation=Strict`` and a warning under ``Warn``, as kube's strict decoder has it.
    With ``catalog``, the body must name a type that decodes into the built-in resource's (``envelope``)."""
    raw = await read_raw(request)
    content_type = request.headers.get("Content-Type", "application/json")
    check_envelope = catalog is not None and not res.is_custom
    body = envelope.read(raw, negotiation.media_type(content_type), res) if check_envelope else None
    if body is None:
        body = negotiation.parse_body(raw, content_type)
    if check_envelope:
        assert catalog is not None
        envelope.check(body, raw, res, catalog)
    if res.is_custom and isinstance(body, dict) and not body.get("kind") and raw.lstrip().startswith(b"{"):
        # a custom resource is decoded as unstructured JSON, which needs its kind (built-ins take the URL's)
        raise errors.bad_request(errors.object_kind_missing(raw.decode("utf-8", "replace")))
    if field_validation == IGNORE:
        return body, []
    if negotiation.media_type(content_type) in envelope.YAML_TYPES:
        problems = yaml_duplicates(raw)
    elif raw.lstrip().startswith(b"{"):
        problems = [f'duplicate field "{path}"' for path in negotiation.duplicate_fields(raw, body)]
    else:
        return body, []
    if problems and field_validation == STRICT:
        raise errors.decode_error(res.kind, res.version, "strict decoding error: " + ", ".join(problems))
    return body, problems
