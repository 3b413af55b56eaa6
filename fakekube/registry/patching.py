"""The patch step: a JSON, merge or strategic merge patch applied to the stored object.

Strategic merge patch reads each field's patch strategy and merge key from the schema of the kind
being patched (the resource's, or a subresource's kind such as Scale).
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import StatusError
from fakekube.registry.decoding import definition_of
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import builtin_schema

JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH = "json", "merge", "strategic"


def apply_patch(res: ResourceInfo, current: dict[str, Any], patch_type: str, patch_body: Any,
                subresource_kind: str | None = None) -> dict[str, Any]:
    """``current`` with the patch applied; the engines load only when a patch arrives."""
    from fakekube import patch as patches

    try:
        if patch_type == JSON_PATCH:
            patched = patches.json_patch(current, patch_body)
        elif patch_type == MERGE_PATCH:
            patched = patches.merge_patch(current, patch_body)
        else:
            patched = patches.strategic_merge_patch(current, patch_body, _lookup(res, subresource_kind))
    except patches.PatchError as exc:  # details {}: kube's generic 422 sends them present and empty
        raise StatusError(exc.code, exc.reason, exc.message, generic=exc.details == {}) from None
    if not isinstance(patched, dict):
        raise errors.patch_not_an_object()
    return patched


def _lookup(res: ResourceInfo, subresource_kind: str | None) -> Any:
    from fakekube import patch as patches

    if subresource_kind is None or subresource_kind == res.kind:
        return patches.SchemaLookup.for_schema(res.schema_model)
    info = next((s for s in res.subresources if s.kind == subresource_kind), None)
    definition = definition_of(res.kubernetes_version, info.group, info.version, info.kind) if info else None
    if definition is None:
        return patches.SchemaLookup.empty()
    return patches.SchemaLookup.for_schema(builtin_schema(res.kubernetes_version, definition))
