"""``Schema``: the one resolved representation of an API type's schema.

Validation, pruning, strategic merge patch, OpenAPI publishing (and later defaulting, server-side
apply's field sets and CEL) all need the same facts about a type: which fields it has, which of them
are lists of what and merged how, which values are opaque.  Built-in types describe them in the
OpenAPI v2 definitions (``$ref`` between named definitions, Go struct tags as ``x-kubernetes-*``
extensions); custom resources in their CRD's ``openAPIV3Schema``.  Both are turned into a graph of
``Schema`` nodes once, so no consumer resolves references or reads vendor extensions on its own.

A node is immutable once built.  The children of a node (properties, items, map values) may be
resolved on first access, which keeps building a kind cheap: only what is touched is resolved, and a
recursive type such as ``JSONSchemaProps`` is a cycle of shared nodes rather than an infinite tree.
Nodes compare by identity; the built-in ones are shared by every cluster of a process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, final

# A node's children, as a lazy node resolves them: (properties, items, additionalProperties).
Children = tuple[Mapping[str, "Schema"], "Schema | None", "Schema | None"]

_NO_PROPERTIES: Mapping[str, Schema] = MappingProxyType({})


class GroupVersionKind(NamedTuple):
    """One entry of ``x-kubernetes-group-version-kind``."""

    group: str
    version: str
    kind: str


@final
class Schema:
    """One node of a resolved schema: a type, or one use of a type in a field.

    * ``type`` is the JSON type (``object``, ``array``, ``string``, ``integer``, ``number``,
      ``boolean``) or ``None`` when the schema does not say (any value, int-or-string).
    * ``properties`` are the declared fields; ``additional_properties`` the schema of map values
      (``None`` when the object is not a map).  An object that is not a map and does not
      ``preserve_unknown_fields`` is *closed*: fields it does not declare are unknown (pruned,
      warned about or refused).  An object of the built-in definitions without any declared field
      (``RawExtension``, ``FieldsV1``, ``JSON``) is opaque and preserves whatever it holds.
    * ``items`` is the element schema of an array (``None``: not said; treat as an empty schema).
    * ``ref`` names the definition the node is a use of (``io.k8s.api.core.v1.Container``); the
      Go type names of decode errors and the references of OpenAPI documents come from it.
      ``is_definition`` is true for the shared node of the definition itself; a field that refers to
      it with extensions of its own (a ``$ref`` with ``x-kubernetes-patch-strategy``) is a node
      ``derive``d from it, with ``base`` the definition's node.
    * ``constraints`` are the value validations of custom resources (``minimum``, ``maxLength``,
      ``pattern``, ``allOf``...), as written in the CRD; ``validations`` its CEL rules, as data.
    """

    __slots__ = (
        "__weakref__",
        "_additional_properties",
        "_items",
        "_properties",
        "_references",
        "_resolve",
        "base",
        "constraints",
        "default",
        "embedded_resource",
        "enum",
        "format",
        "group_version_kinds",
        "has_default",
        "int_or_string",
        "is_definition",
        "list_map_keys",
        "list_type",
        "map_type",
        "nullable",
        "patch_merge_key",
        "patch_strategy",
        "preserve_unknown_fields",
        "quantity",
        "ref",
        "required",
        "type",
        "validations",
    )

    type: str | None
    format: str | None
    required: tuple[str, ...]
    enum: tuple[Any, ...] | None
    default: Any
    has_default: bool
    nullable: bool
    list_type: str | None
    list_map_keys: tuple[str, ...]
    map_type: str | None
    patch_strategy: str
    patch_merge_key: str
    preserve_unknown_fields: bool
    embedded_resource: bool
    int_or_string: bool
    quantity: bool
    validations: tuple[Mapping[str, Any], ...]
    constraints: Mapping[str, Any]
    ref: str | None
    is_definition: bool
    base: Schema | None
    group_version_kinds: tuple[GroupVersionKind, ...]
    _properties: Mapping[str, Schema]
    _items: Schema | None
    _additional_properties: Schema | None
    _resolve: Callable[[], Children] | None
    _references: frozenset[str] | None

    def __init__(
        self,
        *,
        type: str | None = None,
        format: str | None = None,
        properties: Mapping[str, Schema] | None = None,
        items: Schema | None = None,
        additional_properties: Schema | None = None,
        children: Callable[[], Children] | None = None,
        required: tuple[str, ...] = (),
        enum: tuple[Any, ...] | None = None,
        default: Any = None,
        has_default: bool = False,
        nullable: bool = False,
        list_type: str | None = None,
        list_map_keys: tuple[str, ...] = (),
        map_type: str | None = None,
        patch_strategy: str = "",
        patch_merge_key: str = "",
        preserve_unknown_fields: bool = False,
        embedded_resource: bool = False,
        int_or_string: bool = False,
        quantity: bool = False,
        validations: tuple[Mapping[str, Any], ...] = (),
        constraints: Mapping[str, Any] | None = None,
        ref: str | None = None,
        is_definition: bool = False,
        base: Schema | None = None,
        group_version_kinds: tuple[GroupVersionKind, ...] = (),
    ) -> None:
        """Children are given either directly or as ``children``, called once on first access."""
        init = object.__setattr__
        init(self, "type", type)
        init(self, "format", format)
        init(self, "required", required)
        init(self, "enum", enum)
        init(self, "default", default)
        init(self, "has_default", has_default)
        init(self, "nullable", nullable)
        init(self, "list_type", list_type)
        init(self, "list_map_keys", list_map_keys)
        init(self, "map_type", map_type)
        init(self, "patch_strategy", patch_strategy)
        init(self, "patch_merge_key", patch_merge_key)
        init(self, "preserve_unknown_fields", preserve_unknown_fields)
        init(self, "embedded_resource", embedded_resource)
        init(self, "int_or_string", int_or_string)
        init(self, "quantity", quantity)
        init(self, "validations", validations)
        init(self, "constraints", MappingProxyType(dict(constraints)) if constraints else MappingProxyType({}))
        init(self, "ref", ref)
        init(self, "is_definition", is_definition)
        init(self, "base", base)
        init(self, "group_version_kinds", group_version_kinds)
        init(self, "_properties", MappingProxyType(dict(properties)) if properties else _NO_PROPERTIES)
        init(self, "_items", items)
        init(self, "_additional_properties", additional_properties)
        init(self, "_resolve", children)
        init(self, "_references", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Schema is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Schema is immutable (cannot delete {name!r})")

    def __repr__(self) -> str:
        what = self.ref or self.type or ("int-or-string" if self.int_or_string else "any")
        return f"Schema({what})"

    # --- children, resolved on first access -----------------------------------------------------

    def _load(self) -> None:
        resolve = self._resolve
        if resolve is None:
            return
        properties, items, additional = resolve()
        init = object.__setattr__
        init(self, "_properties", MappingProxyType(dict(properties)) if properties else _NO_PROPERTIES)
        init(self, "_items", items)
        init(self, "_additional_properties", additional)
        init(self, "_resolve", None)  # last: another reader either sees all three or resolves again

    @property
    def properties(self) -> Mapping[str, Schema]:
        """The declared fields, by JSON name (read-only)."""
        if self._resolve is not None:
            self._load()
        return self._properties

    @property
    def items(self) -> Schema | None:
        """The schema of array elements."""
        if self._resolve is not None:
            self._load()
        return self._items

    @property
    def additional_properties(self) -> Schema | None:
        """The schema of map values (``None``: not a map)."""
        if self._resolve is not None:
            self._load()
        return self._additional_properties

    # --- derived facts ---------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether an object here has only its declared fields: anything else is an unknown field."""
        return not self.preserve_unknown_fields and self.additional_properties is None

    @property
    def type_name(self) -> str:
        """The Go type name of the definition this node uses (``Container``), or ``""``."""
        return self.ref.rsplit(".", 1)[-1] if self.ref else ""

    def references(self) -> frozenset[str]:
        """The definitions this node refers to directly (through fields, items and map values, not
        through other definitions): the edges of the graph an OpenAPI document's closure follows."""
        found = self._references
        if found is None:
            out: set[str] = set()
            stack = list(self._child_nodes())
            while stack:
                node = stack.pop()
                if node.ref is not None:  # a use of a definition, with or without extensions of its own
                    out.add(node.ref)
                    continue
                stack.extend(node._child_nodes())
            found = frozenset(out)
            object.__setattr__(self, "_references", found)
        return found

    def _child_nodes(self) -> list[Schema]:
        out = list(self.properties.values())
        if self.items is not None:
            out.append(self.items)
        if self.additional_properties is not None:
            out.append(self.additional_properties)
        return out

    def derive(self, **changes: Any) -> Schema:
        """A copy with some attributes changed: a field's own view of a type (``is_definition`` false)."""
        values: dict[str, Any] = {name: getattr(self, name) for name in _PUBLIC_SLOTS}
        values["properties"] = self.properties
        values["items"] = self.items
        values["additional_properties"] = self.additional_properties
        values["is_definition"] = False
        values["base"] = self
        values.update(changes)
        return Schema(**values)


_PUBLIC_SLOTS = tuple(name for name in Schema.__slots__ if not name.startswith("_"))


def common_keywords(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords built-in definitions and CRD schemas spell alike, as ``Schema`` fields: both
    builders read them here, so the two models cannot drift apart."""
    enum = raw.get("enum")
    list_type = raw.get("x-kubernetes-list-type")
    map_type = raw.get("x-kubernetes-map-type")
    return {
        "required": tuple(raw.get("required") or ()),
        "enum": tuple(enum) if isinstance(enum, list) else None,
        "default": raw.get("default"),
        "has_default": "default" in raw,
        "nullable": raw.get("nullable") is True,
        "list_type": list_type if isinstance(list_type, str) else None,
        "list_map_keys": tuple(raw.get("x-kubernetes-list-map-keys") or ()),
        "map_type": map_type if isinstance(map_type, str) else None,
        "validations": tuple(raw.get("x-kubernetes-validations") or ()),
    }
