"""What type a compiled rule evaluates to, where that can be told from the rule and its schema alone.

cel-go's checker refuses a rule whose output type is not ``bool`` (and a ``messageExpression`` that is
not a ``string``) when the CRD is written.  fakekube has no full checker, so it infers the types it can
be sure of: literals, operators, macros, the fields of ``self`` as the schema types them, and the
functions whose result type never varies.  Anything else is unknown, and unknown is never refused: a
rule is only refused when its type is known and wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube.cel.syntax import BOOL_MACROS, MAP_MACROS, Node

_BOOL_OPS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "&&", "||", "!"})
# The operand types (both the same) for which an arithmetic operator's result has that type too.
_ARITHMETIC = {"+": frozenset({"int", "double", "string", "bytes", "list"}), "-": frozenset({"int", "double"}),
               "*": frozenset({"int", "double"}), "/": frozenset({"int", "double"}), "%": frozenset({"int"})}
_LIST_MACROS = frozenset({"map", "filter", "sortBy", "transformList"})
_BOOL_CALLS = frozenset({
    "matches", "startsWith", "endsWith", "contains", "isSorted", "isURL", "isIP", "isCIDR", "isQuantity",
    "isSemver", "isLessThan", "isGreaterThan", "isInteger", "isLoopback", "isGlobalUnicast", "isUnspecified",
    "isLinkLocalMulticast", "isLinkLocalUnicast", "containsIP", "containsCIDR", "hasValue", "equivalent",
    "intersects", "bool",
})
_STRING_CALLS = frozenset({"string", "lowerAscii", "upperAscii", "replace", "substring", "trim", "join", "charAt",
                           "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
                           "format", "quote"})
# the lists extension (v3; ``reverse`` is a list's only: strings.reverse is the strings extension's v3)
_LIST_CALLS = frozenset({"sort", "slice", "flatten", "distinct", "reverse", "range", "split", "findAll"})
_INT_CALLS = frozenset({"size", "int", "indexOf", "lastIndexOf", "asInteger", "major", "minor", "patch", "sign",
                        "compareTo", "prefixLength", "family"})
_SCHEMA_TYPES = {"boolean": "bool", "string": "string", "integer": "int", "number": "double", "array": "list",
                 "object": "map"}
_STRING_FORMATS_OF_OTHER_TYPES = frozenset({"date", "date-time", "datetime", "duration", "byte"})


def _schema_type(schema: Mapping[str, Any] | None) -> str | None:
    if not schema or schema.get("x-kubernetes-int-or-string") or schema.get("x-kubernetes-preserve-unknown-fields"):
        return None
    kind = _SCHEMA_TYPES.get(str(schema.get("type", "")))
    if kind == "string" and schema.get("format") in _STRING_FORMATS_OF_OTHER_TYPES:
        return None  # a timestamp, duration or bytes in CEL
    return kind


def _field_schema(node: Node, schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema of ``self``/``oldSelf`` or of a field selected from them, None when not known."""
    if node.kind == "ident" and node.name in ("self", "oldSelf"):
        return schema
    if node.kind == "select" and node.target is not None:
        parent = _field_schema(node.target, schema)
        if parent is None or parent.get("type") != "object":
            return None
        properties = parent.get("properties") or {}
        if node.name in properties:
            found = properties[node.name]
            return found if isinstance(found, Mapping) else None
        extra = parent.get("additionalProperties")
        return extra if isinstance(extra, Mapping) else None
    return None


def _literal_type(value: object) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, float):
        return "double"
    if type(value) is int:
        return "int"
    return "null" if value is None else None


def result_type(node: Node, schema: Mapping[str, Any]) -> str | None:
    """``bool``, ``string``, ``int``, ``double``, ``bytes``, ``list``, ``map``, ``null``, or None (unknown)."""
    if node.kind == "literal":
        return _literal_type(node.value)
    if node.kind in ("ident", "select"):
        return _schema_type(_field_schema(node, schema))
    if node.kind == "has" or (node.kind == "op" and node.name in _BOOL_OPS):
        return "bool"
    if node.kind == "comprehension":
        if node.name in BOOL_MACROS:
            return "bool"
        return "list" if node.name in _LIST_MACROS else "map" if node.name in MAP_MACROS else None
    if node.kind in ("list", "map"):
        return node.kind
    if node.kind == "op" and node.name in _ARITHMETIC and len(node.args) == 2:
        left, right = (result_type(arg, schema) for arg in node.args)
        return left if left == right and left in _ARITHMETIC[node.name] else None
    if node.kind == "op" and node.name == "-_" and len(node.args) == 1:
        operand = result_type(node.args[0], schema)
        return operand if operand in ("int", "double") else None
    if node.kind == "op" and node.name == "?:" and len(node.args) == 3:
        then, otherwise = (result_type(arg, schema) for arg in node.args[1:])
        return then if then == otherwise else None
    if node.kind == "call":
        if node.name in _BOOL_CALLS:
            return "bool"
        if node.name in _STRING_CALLS:
            return "string"
        if node.name in _INT_CALLS:
            return "int"
        if node.name in _LIST_CALLS:
            return "list"
    return None
