"""Which definitions a document carries: the definition names of resources (built-in or custom)
and the closure of definitions referenced by a document's operations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fakekube.http.openapi.constants import _V2_PREFIX, _V3_PREFIX, Schema
from fakekube.http.openapi.routes import _Route
from fakekube.http.openapi.v3_schemas import _builtin_v3_definitions
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import files as schema_files
from fakekube.schema.builtin import builtin_definition_names, builtin_schema, kind_index


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


def _gvk_index(kubernetes_version: str) -> Mapping[tuple[str, str, str], str]:
    return kind_index(kubernetes_version)


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
    """Definition name -> the definitions it refers to directly (the edges of the schema model)."""
    return {name: builtin_schema(kubernetes_version, name).references()
            for name in builtin_definition_names(kubernetes_version)}


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
