"""The patch step: a JSON, merge or strategic merge patch applied to the stored object.

Strategic merge patch reads each field's patch strategy and merge key from the schema of the kind
being patched (the resource's, or a subresource's kind such as Scale).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson

from fakekube import errors
from fakekube.errors import StatusError
from fakekube.go_text import go_float
from fakekube.registry.decoding import definition_of
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import builtin_schema
from fakekube.schema.validation import json_type

T = TypeVar("T")

JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH = "json", "merge", "strategic"


def apply_patch(res: ResourceInfo, current: dict[str, Any], patch_type: str, patch_body: Any,
                subresource_kind: str | None = None, *, strict: bool = False) -> dict[str, Any]:
    """``current`` with the patch applied; the engines load only when a patch arrives.  ``strict``: the
    ``fieldValidation`` is Strict or Warn, under which kube first decodes a JSON or merge patch strictly
    (into its own operation type, or a map) and words what does not decode its own way."""
    from fakekube import patch as patches

    try:
        if patch_type == JSON_PATCH:
            patched = patches.json_patch(current, patch_body, strict=strict)
        elif patch_type == MERGE_PATCH:
            patched = patches.merge_patch(current, patch_body, strict=strict)
        else:
            patched = patches.strategic_merge_patch(current, patch_body, _lookup(res, subresource_kind))
    except patches.PatchError as exc:  # details {}: kube's generic 422 sends them present and empty
        raise StatusError(exc.code, exc.reason, exc.message, generic=exc.details == {}) from None
    if not isinstance(patched, dict):
        raise errors.patched_object_invalid(_patched_text(patched, patch_type, patch_body),
                                            _NOT_AN_OBJECT.replace("{}", json_type(patched), 1))
    return patched


_NOT_AN_OBJECT = ('couldn\'t get version/kind; json parse error: json: cannot unmarshal {} into Go value of type '
                  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string '
                  '"json:\\"kind,omitempty\\"" }')


def decode_patched(decode: Callable[[], T], patched: Any, patch_type: str, patch_body: Any) -> T:
    """Decodes a patched object as kube's patchers do: what does not decode into the type is a 422 on
    ``patch`` (jsonPatcher shows the patched JSON, smpPatcher the patch as Go prints a map); so are unknown
    or duplicate fields under ``fieldValidation=Strict`` after a JSON or merge patch, where the strategic
    merge patcher answers a plain 400."""
    try:
        return decode()
    except StatusError as exc:
        detail = exc.decode_detail
        if not detail:
            raise
        if detail.startswith("strict decoding error") and patch_type == STRATEGIC_MERGE_PATCH:
            raise errors.bad_request(detail) from None
        raise errors.patched_object_invalid(_patched_text(patched, patch_type, patch_body), detail) from None


def _patched_text(patched: Any, patch_type: str, patch_body: Any) -> str:
    if patch_type == STRATEGIC_MERGE_PATCH:
        return go_value_text(patch_body)
    # evanphx/json-patch writes a merge patch's result from a Go map (keys sorted), a JSON patch's in order
    option = orjson.OPT_SORT_KEYS if patch_type == MERGE_PATCH else 0
    return orjson.dumps(patched, option=option).decode()


def go_value_text(value: Any) -> str:
    """``fmt.Sprintf("%+v", v)`` of a decoded JSON value: ``map[data:map[a:1]]``, ``[1 2]``, ``<nil>``."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value_text(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value_text(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_float(float(value))
    return str(value)


def _lookup(res: ResourceInfo, subresource_kind: str | None) -> Any:
    from fakekube import patch as patches

    if subresource_kind is None or subresource_kind == res.kind:
        return patches.SchemaLookup.for_schema(res.schema_model)
    info = next((s for s in res.subresources if s.kind == subresource_kind), None)
    definition = definition_of(res.kubernetes_version, info.group, info.version, info.kind) if info else None
    if definition is None:
        return patches.SchemaLookup.empty()
    return patches.SchemaLookup.for_schema(builtin_schema(res.kubernetes_version, definition))
