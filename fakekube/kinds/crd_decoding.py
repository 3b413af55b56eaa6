"""Decoding of the schemas nested in a CRD where the OpenAPI document says nothing of their type.

kube-apiserver decodes a CRD into Go types, so a schema node of the wrong JSON type anywhere is a 400
decode error.  The built-in schema model checks that for the ``JSONSchemaProps`` it can see, but
``items`` (``JSONSchemaPropsOrArray``), ``additionalProperties`` and ``additionalItems``
(``JSONSchemaPropsOrBool``) and ``dependencies`` (``JSONSchemaPropsOrStringArray``) are opaque in the
OpenAPI document: their own ``UnmarshalJSON`` decodes what is under them.  This module checks those
nodes as that decoding would, and words the first failure as Go does: the error of the inner decoding,
whose struct and field are replaced by the outer decoder's (``addErrorContext``), so the field path stops
at the opaque node.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.schema.go_decoding import DecodeProblem
from fakekube.schema.validation import json_type

_OPAQUE = frozenset({"items", "additionalProperties", "additionalItems", "dependencies"})
_STRINGS = ("id", "$schema", "$ref", "description", "type", "format", "title", "pattern",
            "x-kubernetes-list-type", "x-kubernetes-map-type")
_FLOATS = ("maximum", "minimum", "multipleOf")
_INTS = ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties")
_BOOLS = ("exclusiveMaximum", "exclusiveMinimum", "uniqueItems", "nullable", "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf")
_RULE_STRINGS = ("rule", "message", "messageExpression", "reason", "fieldPath")
_PROPS = "v1.JSONSchemaProps"


class _Refused(Exception):
    """An opaque member's own ``UnmarshalJSON`` refused it with a plain error (no struct or field in it)."""


class _Mismatch(Exception):
    def __init__(self, value: str, go_type: str) -> None:
        super().__init__(value)
        self.value, self.go_type = value, go_type


def _expect(value: Any, ok: bool, go_type: str) -> None:
    if value is not None and not ok:
        raise _Mismatch(json_type(value), go_type)


def _int(value: Any) -> None:
    if isinstance(value, float) and not value.is_integer():
        raise _Mismatch(f"number {value!r}", "int64")
    _expect(value, isinstance(value, (int, float)) and not isinstance(value, bool), "int64")


def _props(node: Any) -> None:
    """A ``JSONSchemaProps`` decoded in full (raises at the first field of the wrong type)."""
    _expect(node, isinstance(node, dict), _PROPS)
    if not isinstance(node, dict):
        return
    for key in _STRINGS:
        _expect(node.get(key), isinstance(node.get(key), str), "string")
    for key in _FLOATS:
        _expect(node.get(key), isinstance(node.get(key), (int, float)) and not isinstance(node.get(key), bool),
                "float64")
    for key in _INTS:
        _int(node.get(key))
    for key in _BOOLS:
        _expect(node.get(key), isinstance(node.get(key), bool), "bool")
    for key in ("required", "x-kubernetes-list-map-keys"):
        value = node.get(key)
        _expect(value, isinstance(value, list), "[]string")
        for item in value if isinstance(value, list) else ():
            _expect(item, isinstance(item, str), "string")
    _expect(node.get("enum"), isinstance(node.get("enum"), list), "[]v1.JSON")
    for key in _SCHEMA_MAPS:
        value = node.get(key)
        _expect(value, isinstance(value, dict), f"map[string]{_PROPS}")
        for sub in value.values() if isinstance(value, dict) else ():
            _props(sub)
    for key in _SCHEMA_LISTS:
        value = node.get(key)
        _expect(value, isinstance(value, list), f"[]{_PROPS}")
        for sub in value if isinstance(value, list) else ():
            _props(sub)
    if node.get("not") is not None:
        _props(node["not"])
    rules = node.get("x-kubernetes-validations")
    _expect(rules, isinstance(rules, list), "v1.ValidationRules")
    for rule in rules if isinstance(rules, list) else ():
        _expect(rule, isinstance(rule, dict), "v1.ValidationRule")
        if isinstance(rule, dict):
            for key in _RULE_STRINGS:
                _expect(rule.get(key), isinstance(rule.get(key), str), "string")
            _expect(rule.get("optionalOldSelf"), isinstance(rule.get("optionalOldSelf"), bool), "bool")
    # the opaque members are decoded by their own UnmarshalJSON, inside this one
    items = node.get("items")
    for sub in items if isinstance(items, list) else [items] if isinstance(items, dict) else ():
        _props(sub)
    for key in ("additionalProperties", "additionalItems"):
        _or_bool(node.get(key))
    dependencies = node.get("dependencies")
    for sub in dependencies.values() if isinstance(dependencies, dict) else ():
        if isinstance(sub, dict):
            _props(sub)


def _or_bool(value: Any) -> None:
    """``JSONSchemaPropsOrBool``: a schema, ``true`` or ``false`` (null: absent)."""
    if isinstance(value, dict):
        _props(value)
    elif value is not None and not isinstance(value, bool):
        raise _Refused(errors.CRD_OR_BOOL_EXPECTED)


def _opaque_members(node: Any, path: str) -> list[tuple[str, Any]]:
    """The opaque members reachable through the nodes the built-in model checks, with their Go field paths."""
    if not isinstance(node, dict):
        return []
    out: list[tuple[str, Any]] = [(f"{path}.{key}", node[key]) for key in _OPAQUE if node.get(key) is not None]
    for key in _SCHEMA_MAPS:
        for name, sub in (node.get(key) or {}).items() if isinstance(node.get(key), dict) else ():
            out.extend(_opaque_members(sub, f"{path}.{key}.{name}"))
    for key in _SCHEMA_LISTS:
        for sub in node.get(key) or () if isinstance(node.get(key), list) else ():
            out.extend(_opaque_members(sub, f"{path}.{key}"))
    if isinstance(node.get("not"), dict):
        out.extend(_opaque_members(node["not"], f"{path}.not"))
    return out


def _check_opaque(key: str, value: Any) -> None:
    if key == "dependencies":
        _expect(value, isinstance(value, dict), "v1.JSONSchemaDependencies")
        for sub in value.values() if isinstance(value, dict) else ():
            _expect(sub, isinstance(sub, (dict, list)), "v1.JSONSchemaPropsOrStringArray")
            if isinstance(sub, dict):
                _props(sub)
        return
    if key == "items":  # an array of schemas or one; anything else decodes as nothing
        for sub in value if isinstance(value, list) else [value] if isinstance(value, dict) else ():
            _props(sub)
    else:
        _or_bool(value)


def check_nested_schemas(obj: Mapping[str, Any]) -> None:
    """Raise the decode error kube-apiserver gives a CRD whose nested schemas do not decode."""
    spec = obj.get("spec")
    versions = spec.get("versions") if isinstance(spec, dict) else None
    for version in versions if isinstance(versions, list) else ():
        schema = ((version.get("schema") or {}) if isinstance(version, dict) else {})
        root = schema.get("openAPIV3Schema") if isinstance(schema, dict) else None
        for path, value in _opaque_members(root, "spec.versions.schema.openAPIV3Schema"):
            try:
                _check_opaque(path.rpartition(".")[2], value)
            except _Mismatch as exc:
                problem = DecodeProblem(tuple(path.split(".")), exc.value, "JSONSchemaProps", exc.go_type)
                raise errors.decode_error("CustomResourceDefinition", "v1", problem.message()) from None
            except _Refused as exc:
                raise errors.decode_error("CustomResourceDefinition", "v1", str(exc)) from None
