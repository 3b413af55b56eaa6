"""The ``Schema`` model of the built-in types, resolved from the OpenAPI v2 definitions.

One ``_Definitions`` per Kubernetes version holds the shared node of every definition touched so far;
a definition's node is built on first request and its fields on first access, so looking at one kind
resolves that kind's fields and nothing else, and nothing is built when a cluster starts.  Nodes are
immutable and shared by every cluster of the process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from fakekube.schema import files as schema_files
from fakekube.schema.model import Children, GroupVersionKind, Schema, common_keywords

REF_PREFIX = "#/definitions/"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def ref_name(node: Mapping[str, Any]) -> str | None:
    """The definition a ``{"$ref": "#/definitions/..."}`` node names."""
    ref = node.get("$ref")
    return ref[len(REF_PREFIX):] if isinstance(ref, str) and ref.startswith(REF_PREFIX) else None


class _Definitions:
    """The nodes of one set of v2 definitions, built on demand."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self._nodes: dict[str, Schema] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Schema:
        """The shared node of definition ``name`` (``KeyError`` if there is none)."""
        node = self._nodes.get(name)
        if node is None:
            node = self._build(self.raw[name], name, is_definition=True)
            with self._lock:
                node = self._nodes.setdefault(name, node)
        return node

    def _child(self, raw: Any) -> Schema:
        if not isinstance(raw, Mapping):
            return Schema(preserve_unknown_fields=True)
        all_of = raw.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
            raw = {**{k: v for k, v in raw.items() if k != "allOf"}, **all_of[0]}
        name = ref_name(raw)
        if name is None:
            return self._build(raw, None, is_definition=False)
        target = self.raw.get(name)
        if not isinstance(target, Mapping):
            return Schema(preserve_unknown_fields=True)  # a dangling reference: nothing is known of the value
        definition = self.get(name)
        # A field that refers to a type may add extensions of its own (a patch strategy, a map type).
        overrides = _field_extensions(raw)
        return definition.derive(**overrides) if overrides else definition

    def _build(self, raw: Mapping[str, Any], ref: str | None, *, is_definition: bool) -> Schema:
        kind = raw.get("type") if isinstance(raw.get("type"), str) else None
        fmt = raw.get("format") if isinstance(raw.get("format"), str) else None
        properties = raw.get("properties")
        additional = raw.get("additionalProperties")
        items = raw.get("items")
        has_children = isinstance(properties, Mapping) or isinstance(additional, Mapping) or isinstance(items, Mapping)
        int_or_string = fmt == "int-or-string" or raw.get("x-kubernetes-int-or-string") is True
        # An object without declared fields (RawExtension, FieldsV1, JSON) is opaque: it keeps what it holds.
        opaque = kind in (None, "object") and not int_or_string and not isinstance(properties, Mapping) \
            and not isinstance(additional, Mapping)
        strategy = raw.get("x-kubernetes-patch-strategy")
        merge_key = raw.get("x-kubernetes-patch-merge-key")
        return Schema(
            **common_keywords(raw),
            type=kind,
            format=fmt,
            children=functools.partial(self._children, raw) if has_children else None,
            patch_strategy=strategy if isinstance(strategy, str) else "",
            patch_merge_key=str(merge_key) if merge_key is not None else "",
            preserve_unknown_fields=raw.get("x-kubernetes-preserve-unknown-fields") is True or opaque,
            embedded_resource=raw.get("x-kubernetes-embedded-resource") is True,
            int_or_string=int_or_string,
            quantity=ref == QUANTITY,
            ref=ref,
            is_definition=is_definition,
            group_version_kinds=_gvks(raw.get("x-kubernetes-group-version-kind")),
        )

    def _children(self, raw: Mapping[str, Any]) -> Children:
        properties = raw.get("properties")
        props = {name: self._child(sub) for name, sub in properties.items()} if isinstance(properties, Mapping) else {}
        items = raw.get("items")
        additional = raw.get("additionalProperties")
        return (props,
                self._child(items) if isinstance(items, Mapping) else None,
                self._child(additional) if isinstance(additional, Mapping) else None)


def _field_extensions(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes a ``$ref`` field sets for itself, next to the reference."""
    out: dict[str, Any] = {}
    if isinstance(raw.get("x-kubernetes-patch-strategy"), str):
        out["patch_strategy"] = raw["x-kubernetes-patch-strategy"]
    if "x-kubernetes-patch-merge-key" in raw:
        out["patch_merge_key"] = str(raw["x-kubernetes-patch-merge-key"])
    if isinstance(raw.get("x-kubernetes-list-type"), str):
        out["list_type"] = raw["x-kubernetes-list-type"]
    if isinstance(raw.get("x-kubernetes-list-map-keys"), list):
        out["list_map_keys"] = tuple(raw["x-kubernetes-list-map-keys"])
    if isinstance(raw.get("x-kubernetes-map-type"), str):
        out["map_type"] = raw["x-kubernetes-map-type"]
    if "default" in raw:
        out["default"], out["has_default"] = raw["default"], True
    return out


def _gvks(value: Any) -> tuple[GroupVersionKind, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(GroupVersionKind(str(g.get("group", "")), str(g.get("version", "")), str(g.get("kind", "")))
                 for g in value if isinstance(g, Mapping))


_BY_IDENTITY: dict[int, tuple[Mapping[str, Any], _Definitions]] = {}
_REGISTER = threading.Lock()


def _for_mapping(definitions: Mapping[str, Any]) -> _Definitions:
    with _REGISTER:
        entry = _BY_IDENTITY.get(id(definitions))
        if entry is None or entry[0] is not definitions:
            entry = (definitions, _Definitions(definitions))
            _BY_IDENTITY[id(definitions)] = entry  # holds the mapping, so its id is not reused
        return entry[1]


@functools.cache
def _definitions(kubernetes_version: str) -> _Definitions:
    return _for_mapping(schema_files.definitions(kubernetes_version))


def builtin_schema(kubernetes_version: str, definition_name: str) -> Schema:
    """The shared node of a built-in definition, e.g. ``io.k8s.api.apps.v1.Deployment``.

    Raises ``KeyError`` when the version has no such definition.
    """
    return _definitions(kubernetes_version).get(definition_name)


def builtin_definition_names(kubernetes_version: str) -> Iterator[str]:
    """Every definition name of a version, in the order of the OpenAPI document."""
    return iter(_definitions(kubernetes_version).raw)


def schema_from_definitions(definitions: Mapping[str, Any], definition_name: str) -> Schema:
    """The node of ``definition_name`` in a raw v2 ``definitions`` mapping (for callers holding one).

    The mapping must not change afterwards; a version's own mapping (``files.definitions``) gives
    the shared nodes of ``builtin_schema``.
    """
    return _for_mapping(definitions).get(definition_name)


@functools.cache
def _kind_index(kubernetes_version: str) -> Mapping[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name in builtin_definition_names(kubernetes_version):
        for key in builtin_schema(kubernetes_version, name).group_version_kinds:
            # DeleteOptions and friends list many GVKs; the definition named after the kind wins.
            if key not in index or name.rsplit(".", 1)[-1] == key.kind:
                index[key] = name
    return MappingProxyType(index)


def definition_for_kind(kubernetes_version: str, group: str, version: str, kind: str) -> str | None:
    """The built-in definition describing ``group/version, Kind=kind`` (a Scale, a Binding...), if any."""
    return _kind_index(kubernetes_version).get((group, version, kind))


def kind_index(kubernetes_version: str) -> Mapping[tuple[str, str, str], str]:
    """Every (group, version, kind) of the release's definitions -> its definition name."""
    return _kind_index(kubernetes_version)
