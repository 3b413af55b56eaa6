"""The field metadata strategic merge patch needs, read from the OpenAPI v2 definitions instead of Go struct tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakekube.errors import go_quote


@dataclass(frozen=True)
class PatchMeta:
    """The patch strategies and merge key of one field (``patchStrategy``/``patchMergeKey`` struct tags)."""

    strategies: tuple[str, ...] = ()
    merge_key: str = ""


class _LookupError(Exception):
    """A schema lookup failure: a plain Go error the server passes through (500)."""


_REF_PREFIX = "#/definitions/"


class SchemaLookup:
    """Walks OpenAPI v2 definitions field by field, the way the server walks Go struct types.

    The server looks up ``patchStrategy`` and ``patchMergeKey`` struct tags; the definitions carry the same
    metadata as ``x-kubernetes-patch-strategy`` and ``x-kubernetes-patch-merge-key``.  A lookup stands for one Go
    type: ``schema`` is its ``$ref``-resolved schema, or ``None`` for the empty lookup (every field known, no
    strategies: maps merge recursively, lists are replaced), and ``go_name`` the Go type name used in errors.
    """

    __slots__ = ("definitions", "from_definition", "go_name", "schema")

    def __init__(self, definitions: dict[str, Any], schema: dict[str, Any] | None, go_name: str = "",
                 from_definition: bool = False) -> None:
        self.definitions = definitions
        self.schema = schema
        self.go_name = go_name
        self.from_definition = from_definition

    def __repr__(self) -> str:
        return f"SchemaLookup({self.go_name or self.kind()!r})"

    @classmethod
    def for_definition(cls, definitions: dict[str, Any], root: str) -> SchemaLookup:
        """The lookup of a kind's definition, e.g. ``io.k8s.api.apps.v1.Deployment`` (empty if unknown)."""
        return cls._resolve(definitions, {"$ref": _REF_PREFIX + root})

    @classmethod
    def empty(cls) -> SchemaLookup:
        return cls({}, None)

    @classmethod
    def _resolve(cls, definitions: dict[str, Any], schema: dict[str, Any]) -> SchemaLookup:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref[len(_REF_PREFIX):] if ref.startswith(_REF_PREFIX) else ref
            target = definitions.get(name)
            if not isinstance(target, dict):
                return cls(definitions, None)
            return cls(definitions, target, name.rsplit(".", 1)[-1], True)
        return cls(definitions, schema)

    @property
    def is_empty(self) -> bool:
        return self.schema is None

    def kind(self) -> str:
        """The ``reflect.Kind`` of the Go type behind this schema (every definition is a Go struct)."""
        schema = self.schema
        if schema is None:
            return "interface"
        if self.from_definition or "properties" in schema:
            return "struct"
        if "additionalProperties" in schema:
            return "map"
        kind = schema.get("type")
        if kind == "array":
            return "slice"
        if kind == "integer":
            return {"int32": "int32", "int64": "int64"}.get(schema.get("format", ""), "int")
        if kind == "number":
            return "float32" if schema.get("format") == "float" else "float64"
        if kind == "boolean":
            return "bool"
        if kind == "string":
            return "string"
        return "struct"

    def name(self) -> str:
        """``LookupPatchMeta.Name``: the kind of the type."""
        return self.kind()

    def struct_field(self, key: str) -> tuple[SchemaLookup, PatchMeta]:
        """``LookupPatchMetadataForStruct``: the type and patch metadata of field ``key`` of this struct."""
        schema = self.schema
        if schema is None:
            return self, PatchMeta()
        kind = self.kind()
        if kind != "struct":
            raise _LookupError(f"merging an object in json but data type is not struct, instead is: {kind}")
        properties = schema.get("properties") or {}
        prop = properties.get(key)
        if prop is None:  # encoding/json falls back to a case-insensitive match
            folded = key.casefold()
            prop = next((value for name, value in properties.items() if name.casefold() == folded), None)
        if not isinstance(prop, dict):
            raise _LookupError(f"unable to find api field in struct {self.go_name} for the json field {go_quote(key)}")
        strategy = prop.get("x-kubernetes-patch-strategy", "")
        meta = PatchMeta(tuple(strategy.split(",")) if isinstance(strategy, str) else ("",),
                         str(prop.get("x-kubernetes-patch-merge-key", "")))
        return SchemaLookup._resolve(self.definitions, prop), meta

    def list_items(self, key: str) -> tuple[SchemaLookup, PatchMeta]:
        """``LookupPatchMetadataForSlice``: the element type of list field ``key``, and the field's metadata."""
        sub, meta = self.struct_field(key)
        if sub.schema is None:
            return sub, meta
        if sub.kind() != "slice":
            raise _LookupError(f"expected slice or array type, but got: {self.kind()}")
        items = sub.schema.get("items")
        element = SchemaLookup._resolve(self.definitions, items) if isinstance(items, dict) else SchemaLookup.empty()
        if element.kind() == "slice":
            raise _LookupError("unexpected slice of slice")
        return element, meta
