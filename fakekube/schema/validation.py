"""Schema validation of request bodies, with kube-apiserver's split between decode errors and invalid values.

kube-apiserver first *decodes* a body into its Go type: a value of the wrong JSON type fails
there (400 BadRequest, ``Deployment in version "v1" cannot be handled as a Deployment: json:
cannot unmarshal ...``), and unknown fields are dropped, warned about or refused
(``fieldValidation``).  Only then does it *validate* (422 Invalid with field causes).

We get both from one jsonschema-rs pass: the OpenAPI definitions are turned into JSON Schema
with every object closed (``additionalProperties: false``), so a valid body costs a single
``is_valid`` call of a few microseconds, and only a body with errors pays for classifying them.
Validators are compiled lazily, once per process, per (Kubernetes version, definition) and
shared by every cluster (they are immutable).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import jsonschema_rs

from fakekube import errors
from fakekube.schema import files as schema_files
from fakekube.errors import FieldError

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"
FIELD_VALIDATION_MODES = (STRICT, WARN, IGNORE)

_OPEN_DEFINITIONS = {
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
}
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_REF_PREFIX = "#/definitions/"
INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _ref_name(node: Mapping[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref[len(_REF_PREFIX):] if isinstance(ref, str) and ref.startswith(_REF_PREFIX) else None


def to_json_schema(node: Any, open_objects: bool = False) -> Any:
    """Turn one OpenAPI v2 schema node into closed JSON Schema (int-or-string, quantities, preserve-unknown)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": node["$ref"]}
    if "allOf" in node and len(node["allOf"]) == 1:
        return to_json_schema(node["allOf"][0], open_objects)
    if node.get("format") == "int-or-string" or node.get("x-kubernetes-int-or-string"):
        return {"type": ["integer", "string"]}
    out: dict[str, Any] = {}
    kind = node.get("type")
    if kind == "number":
        out["type"] = "number"
    elif kind:
        out["type"] = kind
    bounds = INTEGER_BOUNDS.get(node.get("format", "")) if kind == "integer" else None
    if bounds:  # Go's decoder refuses numbers that overflow the field's integer type
        out["minimum"], out["maximum"] = bounds
    if kind == "string" and node.get("format") == "byte":  # []byte fields travel as standard base64
        out["pattern"] = BASE64_PATTERN
    if "enum" in node:
        out["enum"] = node["enum"]
    preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
    if "properties" in node:
        out["properties"] = {k: to_json_schema(v, open_objects) for k, v in node["properties"].items()}
        if "additionalProperties" not in node and not preserve and not open_objects:
            out["additionalProperties"] = False
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = to_json_schema(node["additionalProperties"], open_objects)
    if "items" in node:
        out["items"] = to_json_schema(node["items"], open_objects)
    if node.get("required"):
        out["required"] = list(node["required"])
    return out


def _reachable(definitions: Mapping[str, Any], root: str) -> list[str]:
    seen: set[str] = set()
    stack = [root]
    while stack:
        name = stack.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        walk = [definitions[name]]
        while walk:
            node = walk.pop()
            if isinstance(node, dict):
                ref = _ref_name(node)
                if ref:
                    stack.append(ref)
                walk.extend(node.values())
            elif isinstance(node, list):
                walk.extend(node)
    return sorted(seen)


def _convert_definition(name: str, schema: Mapping[str, Any]) -> Any:
    if name == _QUANTITY:
        return {"type": ["string", "number"]}
    if name == _INT_OR_STRING:
        return {"type": ["integer", "string"]}
    if name in _OPEN_DEFINITIONS:
        return {}
    return to_json_schema(schema)


@dataclass(frozen=True)
class DecodeProblem:
    """A wrong JSON type at ``path``; rendered as Go's json decoder words it."""

    path: tuple[str | int, ...]
    json_type: str
    go_struct: str
    go_type: str
    text: str = ""  # a complete message, for problems that are not type mismatches

    def message(self) -> str:
        if self.text:
            return self.text
        field_path = ".".join(str(p) for p in self.path if not isinstance(p, int))
        return (f"json: cannot unmarshal {self.json_type} into Go struct field "
                f"{self.go_struct}.{field_path} of type {self.go_type}")


def illegal_base64(value: str) -> str:
    """Go's ``base64.CorruptInputError`` text: the offset of the first byte that cannot be decoded."""
    for index, char in enumerate(value):
        if char not in _BASE64_ALPHABET:
            if char == "=" and index >= len(value) - 2 and index % 4 >= 2:
                continue
            return f"illegal base64 data at input byte {index}"
    return f"illegal base64 data at input byte {len(value) - len(value) % 4}"


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """``spec.template.spec.containers[0].image`` from ('spec', 'template', 'spec', 'containers', 0, 'image')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class ValidationResult:
    warnings: list[str]
    field_errors: list[FieldError]


class KindValidator:
    """A compiled validator for one definition and the knowledge to explain its errors like kube-apiserver."""

    def __init__(self, definitions: Mapping[str, Any], root: str):
        self.definitions = definitions
        self.root = root
        names = _reachable(definitions, root)
        document = {
            "$ref": _REF_PREFIX + root,
            "definitions": {n: _convert_definition(n, definitions[n]) for n in names},
        }
        self._validator = jsonschema_rs.validator_for(document)

    def validate(self, obj: dict[str, Any], *, kind: str, version: str, mode: str = WARN) -> ValidationResult:
        """Check ``obj`` in place: unknown fields are pruned (or refused in Strict), decode errors raise 400.

        Returns the warnings to send and the 422-style field errors for the caller to report.
        """
        if self._validator.is_valid(obj):
            return ValidationResult([], [])
        unknown: list[tuple[str | int, ...]] = []
        decode: list[DecodeProblem] = []
        field_errors: list[FieldError] = []
        for err in self._validator.iter_errors(obj):
            path = tuple(err.instance_path)
            detail: Any = err.kind  # a per-kind variant: .unexpected, .property, .options
            kind_name = type(detail).__name__
            if kind_name == "AdditionalProperties":
                unknown.extend((*path, extra) for extra in detail.unexpected)
            elif kind_name in ("Type", "AnyOf"):
                decode.append(self._decode_problem(obj, path))
            elif kind_name in ("Minimum", "Maximum"):  # overflow: Go names the number it could not fit
                problem = self._decode_problem(obj, path)
                decode.append(replace(problem, json_type=f"number {_value_at(obj, path)}"))
            elif kind_name == "Pattern" and self._schema_at(path)[1].get("format") == "byte":
                decode.append(DecodeProblem(path, "", "", "", illegal_base64(str(_value_at(obj, path)))))
            elif kind_name == "Required":
                field_errors.append(errors.required(format_path((*path, detail.property))))
            elif kind_name == "Enum":
                value = _value_at(obj, path)
                field_errors.append(errors.not_supported(format_path(path), value, [str(o) for o in detail.options]))
            else:
                field_errors.append(errors.invalid(format_path(path), _value_at(obj, path), err.message))
        if decode:
            decode.sort(key=lambda d: d.path)
            raise errors.decode_error(kind, version, decode[0].message())
        unknown.sort(key=lambda p: [str(x) for x in p])
        warnings: list[str] = []
        if unknown:
            texts = [f'unknown field "{_unknown_path(p)}"' for p in unknown]
            if mode == STRICT:
                raise errors.decode_error(kind, version, "strict decoding error: " + ", ".join(texts))
            if mode == WARN:
                warnings = texts
            for path in sorted(unknown, key=len, reverse=True):
                _delete_at(obj, path)
        return ValidationResult(warnings, field_errors)

    def _decode_problem(self, obj: dict[str, Any], path: tuple[str | int, ...]) -> DecodeProblem:
        value = _value_at(obj, path)
        struct, schema = self._schema_at(path)
        return DecodeProblem(path, json_type(value), struct, self._go_type(schema))

    def _schema_at(self, path: tuple[str | int, ...]) -> tuple[str, Mapping[str, Any]]:
        """Walk the OpenAPI schema along ``path``: (innermost Go struct name, schema of the last element)."""
        struct = self.root.rsplit(".", 1)[-1]
        node: Mapping[str, Any] = self.definitions[self.root]
        for part in path:
            ref = _ref_name(node)
            if ref:
                struct = ref.rsplit(".", 1)[-1]
                node = self.definitions.get(ref, {})
            if isinstance(part, int):
                node = node.get("items", {})
            elif "properties" in node:
                node = node["properties"].get(part, {})
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
        return struct, node

    def _go_type(self, schema: Mapping[str, Any]) -> str:
        ref = _ref_name(schema)
        if ref:
            if ref == _QUANTITY:
                return "resource.Quantity"
            if ref == _INT_OR_STRING:
                return "intstr.IntOrString"
            parts = ref.split(".")
            return f"{parts[-2]}.{parts[-1]}"
        kind = schema.get("type")
        fmt = schema.get("format")
        if fmt == "int-or-string":
            return "intstr.IntOrString"
        if kind == "integer":
            return fmt or "int"
        if kind == "number":
            return "float64"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return "[]" + self._go_type(schema.get("items", {}))
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            return "map[string]" + self._go_type(schema["additionalProperties"])
        return kind or "interface {}"


def _unknown_path(path: tuple[str | int, ...]) -> str:
    return format_path(path)


def _value_at(obj: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def _delete_at(obj: Any, path: tuple[str | int, ...]) -> None:
    try:
        parent = _value_at(obj, path[:-1])
        del parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        pass


@functools.cache
def builtin_validator(kubernetes_version: str, definition: str) -> KindValidator:
    """The shared, lazily compiled validator of one built-in definition."""
    return KindValidator(schema_files.definitions(kubernetes_version), definition)


def strip_nulls(value: Any) -> Any:
    """Drop ``null`` members as Go's decoder does for optional fields (it leaves the zero value)."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value
