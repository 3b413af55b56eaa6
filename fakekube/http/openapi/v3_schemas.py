"""Built-in definitions in the OpenAPI v3 shape kube-openapi gives them: ``$ref`` wrapped in ``allOf``
where it sits in a property, array item or map value, zero-value ``default`` on value fields, and
IntOrString/Quantity as ``oneOf``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from fakekube.http.openapi.constants import (
    _V2_PREFIX,
    _V3_PREFIX,
    INT_OR_STRING,
    LIST_META,
    META,
    OBJECT_META,
    QUANTITY,
    Schema,
)
from fakekube.schema import files as schema_files
from fakekube.versions import minor_of

# Value positions (array items, map values) always hold values, never pointers: kube-openapi gives them a
# zero-value default.  For properties the Go field may be a pointer; these names are value fields in the
# Kubernetes API conventions.
_VALUE_PROPERTIES = frozenset({"metadata", "spec", "status", "template"})
_VALUE_TARGETS = frozenset({OBJECT_META, LIST_META})
_POINTER_TARGETS = frozenset({META + "LabelSelector"})
_ZERO = {"string": "", "integer": 0, "boolean": False, "number": 0}


def _v3_node(node: Any, position: str, required: bool = False, prop_name: str = "", plain_values: bool = False) -> Any:
    """Convert one v2 schema node of a built-in definition to its v3 shape.

    ``position`` is "root", "property", "value" (array item / map value) or "other".  With ``plain_values``
    (kube-openapi from v1.37) a value position keeps its plain ``$ref`` or type, with no zero-value default.
    """
    if isinstance(node, list):
        return [_v3_node(item, "other", plain_values=plain_values) for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    required_value = node.get("required")
    required_names: list[Any] = required_value if isinstance(required_value, list) else []
    for key, value in node.items():
        if key == "$ref":
            continue
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _v3_node(sub, "property", name in required_names, name, plain_values)
                        for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _v3_node(value, "other" if plain_values else "value", plain_values=plain_values)
        else:
            out[key] = _v3_node(value, "other", plain_values=plain_values)
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = ref[len(_V2_PREFIX):] if ref.startswith(_V2_PREFIX) else ref
        new_ref = _V3_PREFIX + target if ref.startswith(_V2_PREFIX) else ref
        if position in ("property", "value"):
            wrapped: Schema = {"allOf": [{"$ref": new_ref}]}
            wrapped.update(out)
            if "default" not in wrapped and target not in _POINTER_TARGETS and (
                position == "value" or required or prop_name in _VALUE_PROPERTIES or target in _VALUE_TARGETS
            ):
                wrapped["default"] = {}
            return wrapped
        if out:
            return {"allOf": [{"$ref": new_ref}], **out}
        return {"$ref": new_ref}
    if position == "value" and "default" not in out and isinstance(out.get("type"), str) and out["type"] in _ZERO \
            and "enum" not in out:
        out["default"] = _ZERO[out["type"]]
    return out


@functools.cache
def _builtin_v3_definitions(kubernetes_version: str) -> Mapping[str, Schema]:
    """Every built-in definition in v3 shape (computed once per version; treated as immutable)."""
    converted: dict[str, Schema] = {}
    plain_values = minor_of(kubernetes_version) >= 37
    for name, schema in schema_files.definitions(kubernetes_version).items():
        if name == INT_OR_STRING:
            converted[name] = {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}
        elif name == QUANTITY:
            converted[name] = {"oneOf": [{"type": "string"}, {"type": "number"}]}
        else:
            converted[name] = _v3_node(schema, "root", plain_values=plain_values)
    return converted
