"""The field metadata strategic merge patch needs, read from the ``Schema`` model instead of Go struct tags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fakekube.go_text import go_quote
from fakekube.schema.builtin import schema_from_definitions
from fakekube.schema.model import Schema

_INTEGER_KINDS = {"int32": "int32", "int64": "int64"}


@dataclass(frozen=True)
class PatchMeta:
    """The patch strategies and merge key of one field (``patchStrategy``/``patchMergeKey`` struct tags)."""

    strategies: tuple[str, ...] = ()
    merge_key: str = ""


class _LookupError(Exception):
    """A schema lookup failure: a plain Go error the server passes through (500)."""


class SchemaLookup:
    """Walks a ``Schema`` field by field, the way the server walks Go struct types.

    The server looks up ``patchStrategy`` and ``patchMergeKey`` struct tags; the model carries the same
    metadata (``x-kubernetes-patch-strategy`` and ``x-kubernetes-patch-merge-key`` of the definitions).
    A lookup stands for one Go type: ``schema`` is its node, or ``None`` for the empty lookup (every
    field known, no strategies: maps merge recursively, lists are replaced), and ``go_name`` the Go type
    name used in errors (that of the definition the node is a use of).
    """

    __slots__ = ("go_name", "schema")

    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.go_name = schema.type_name if schema is not None else ""

    def __repr__(self) -> str:
        return f"SchemaLookup({self.go_name or self.kind()!r})"

    @classmethod
    def for_schema(cls, schema: Schema | None) -> SchemaLookup:
        """The lookup of a kind's model (``builtin_schema(...)``); ``None`` gives the empty lookup."""
        return cls(schema)

    @classmethod
    def for_definition(cls, definitions: Mapping[str, Any], root: str) -> SchemaLookup:
        """The lookup of a definition of raw v2 ``definitions`` (``files.definitions(version)``), empty if unknown.

        Prefer ``for_schema(builtin_schema(version, root))``.
        """
        try:
            return cls(schema_from_definitions(definitions, root))
        except KeyError:
            return cls.empty()

    @classmethod
    def empty(cls) -> SchemaLookup:
        return cls(None)

    @property
    def is_empty(self) -> bool:
        return self.schema is None

    def kind(self) -> str:
        """The ``reflect.Kind`` of the Go type behind this schema (every definition is a Go struct)."""
        schema = self.schema
        if schema is None:
            return "interface"
        if schema.ref is not None or schema.properties:
            return "struct"
        if schema.additional_properties is not None:
            return "map"
        kind = schema.type
        if kind == "array":
            return "slice"
        if kind == "integer":
            return _INTEGER_KINDS.get(schema.format or "", "int")
        if kind == "number":
            return "float32" if schema.format == "float" else "float64"
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
        properties = schema.properties
        prop = properties.get(key)
        if prop is None:  # encoding/json falls back to a case-insensitive match
            folded = key.casefold()
            prop = next((value for name, value in properties.items() if name.casefold() == folded), None)
        if prop is None:
            raise _LookupError(f"unable to find api field in struct {self.go_name} for the json field {go_quote(key)}")
        meta = PatchMeta(tuple(prop.patch_strategy.split(",")), prop.patch_merge_key)
        return SchemaLookup(prop), meta

    def list_items(self, key: str) -> tuple[SchemaLookup, PatchMeta]:
        """``LookupPatchMetadataForSlice``: the element type of list field ``key``, and the field's metadata."""
        sub, meta = self.struct_field(key)
        if sub.schema is None:
            return sub, meta
        if sub.kind() != "slice":
            raise _LookupError(f"expected slice or array type, but got: {self.kind()}")
        items = sub.schema.items
        element = SchemaLookup(items) if items is not None else SchemaLookup.empty()
        if element.kind() == "slice":
            raise _LookupError("unexpected slice of slice")
        return element, meta
