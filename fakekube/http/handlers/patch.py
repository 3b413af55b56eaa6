"""PATCH (kube's ``handlers/patch.go``): a JSON, merge or strategic merge patch, or a server-side apply,
of an object or of one of its writable subresources; the registry applies it to the object as stored
(an apply to a missing object creates it: 201)."""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from aiohttp import web

from fakekube import errors, yaml_input
from fakekube.errors import go_json
from fakekube.http import negotiation
from fakekube.http.handlers.responses import read_raw, respond_object
from fakekube.http.handlers.scope import has_view, object_write, write_context
from fakekube.http.options import force_param
from fakekube.http.requestinfo import RequestInfo
from fakekube.http.state import ClusterState
from fakekube.registry.resources import ResourceInfo
from fakekube.schema.validation import IGNORE, STRICT

APPLY, APPLY_PATCH = "apply", "application/apply-patch+yaml"
PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
}


async def patch(request: web.Request, info: RequestInfo, cluster: ClusterState) -> web.StreamResponse:
    res, output = object_write(request, info, "patch")
    patch_type, body, raw, strictness = await read_patch(request, res)
    ctx = write_context(request, info, "PatchOptions", apply=patch_type == APPLY)
    if patch_type == APPLY:
        result = cluster.registry.apply(ctx, res, info.object_namespace, info.name, body,
                                        force=force_param(request.query), subresource=info.subresource or None,
                                        strictness=strictness)
    else:
        # kjson.UnmarshalStrict of the patch document: keys set twice are refused (Strict) or warned of (Warn)
        twice = [] if ctx.field_validation == IGNORE else negotiation.duplicate_fields(raw, body)
        problems = [("json patch " if patch_type == "json" else "") + f'duplicate field "{path}"' for path in twice]
        if problems and ctx.field_validation == STRICT:
            raise errors.bad_request("strict decoding error: " + ", ".join(problems))
        result = cluster.registry.patch(ctx, res, info.object_namespace, info.name, patch_type, body,
                                        info.subresource or None)
        result.warnings[:0] = problems
    return respond_object(request, res, result.data, output, cluster.registry.clock(), 201 if result.created else 200,
                          result.warnings, own_kind=not has_view(info))


async def read_patch(request: web.Request, res: ResourceInfo) -> tuple[str, Any, bytes, str]:
    """The patch type, the document, its bytes and, for an apply, what its strict reading found; custom
    resources have no strategic merge patch, as upstream."""
    content_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type == APPLY_PATCH:
        raw = await read_raw(request)
        config, strictness = apply_configuration(raw)
        return APPLY, config, raw, strictness
    patch_type = PATCH_TYPES.get(content_type)
    if patch_type is None or (patch_type == "strategic" and res.is_custom):
        accepted = [t for t, kind in PATCH_TYPES.items() if kind != "strategic" or not res.is_custom]
        raise errors.unknown_patch_type([*accepted, "application/apply-patch+yaml"])
    raw = await read_raw(request)
    try:
        return patch_type, negotiation.loads_json(raw), raw, ""
    except orjson.JSONDecodeError as exc:
        if go_json.syntax_error(raw) is not None:  # json.Valid, before anything else (the audit's transcoding)
            raise errors.invalid_json_patch() from None
        raise errors.patch_decode_error(str(exc)) from None


def apply_configuration(raw: bytes) -> tuple[Any, str]:
    """An apply body, YAML or JSON (``yaml.Unmarshal`` of sigs.k8s.io/yaml), and what its strict reading
    (``yaml.UnmarshalStrict``) says of keys set twice ("" when none is); 400 where it does not parse."""
    if raw.lstrip().startswith(b"{"):
        try:
            config = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # YAML is a superset of JSON: the YAML parser words the error
        else:
            if not negotiation.duplicate_fields(raw, config):
                return config, ""
            # a key set twice: read as YAML, for go-yaml's line numbers
    try:
        docs, duplicates = yaml_input.load_all_noting_duplicates(raw.decode("utf-8", errors="replace"))
    except yaml.YAMLError as exc:  # refused as the body is turned into JSON for the audit log
        raise errors.patch_encoding_error(yaml_input.go_yaml_error(exc)) from None
    if len(docs) > 1:
        raise errors.apply_yaml_error("error converting YAML to JSON: yaml: multiple documents")
    config = yaml_input.jsonable(docs[0]) if docs and docs[0] is not None else {}
    return config, errors.apply_yaml_duplicate_keys(duplicates) if duplicates else ""
