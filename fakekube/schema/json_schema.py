"""The ``Schema`` model as one closed JSON Schema document, for a single jsonschema-rs pass.

Every object that drops unknown fields gets ``additionalProperties: false``, so the unknown fields of a
body show up as errors of the same pass as the type errors; a valid body costs one ``is_valid`` call.

Two dialects share the document.  Below a built-in definition (``Schema.ref``) values are what Go's
JSON decoder accepts: integers within the bounds of their Go type, ``[]byte`` as base64, quantities
as strings or numbers, ``RawExtension``/``JSON`` as anything.  Custom-resource nodes carry the OpenAPI
v3 rules of their CRD: nullability, value constraints (``minimum``, ``pattern``, ``allOf``...), and
kube-apiserver's pruning (a node that says nothing keeps no fields; arrays of a node that preserves
unknown fields preserve them too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube.schema import formats
from fakekube.schema.builtin import INT_OR_STRING, QUANTITY, REF_PREFIX
from fakekube.schema.model import Schema

OPEN_DEFINITIONS = frozenset({
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
})
INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Standard base64, line breaks anywhere (Go's decoder skips "\r" and "\n").
BASE64_PATTERN = (r"^[\r\n]*(?:(?:[A-Za-z0-9+/][\r\n]*){4})*"
                  r"(?:(?:[A-Za-z0-9+/][\r\n]*){2}=[\r\n]*=|(?:[A-Za-z0-9+/][\r\n]*){3}=)?[\r\n]*$")
RFC3339_PATTERN = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                   r"(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
# What ``resource.ParseQuantity`` reads (after ``strings.TrimSpace``): a decimal number, then a binary, decimal or
# exponent suffix.  A string it cannot read fails decoding (``go_decoding.quantity_error`` words why).
QUANTITY_PATTERN = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?\s*$"
# The definition of a custom-resource value whose schema says nothing: it keeps no object fields.
NOTHING = "fakekube.unspecified"
FORMAT_PREFIX = "kube-"  # custom formats are checked by our own functions, not jsonschema-rs's
# A CRD's ``pattern`` is Go's RE2 syntax, not the ECMA-262 of JSON Schema: our own keyword (``GoPattern``).
PATTERN_KEYWORD = "kube-pattern"

_SPECIAL_DEFINITIONS: dict[str, dict[str, Any]] = {
    QUANTITY: {"type": ["string", "number"], "pattern": QUANTITY_PATTERN},
    INT_OR_STRING: {"type": ["integer", "string"]},
    **{name: {} for name in OPEN_DEFINITIONS},
}


def json_schema_document(root: Schema) -> dict[str, Any]:
    """The closed JSON Schema of ``root``, with every definition it reaches under ``definitions``.

    The string formats of custom resources that are checked (``formats.CHECKS``) are written
    ``kube-<format>``, for the validator's own format functions.
    """
    emitter = _Emitter()
    top = emitter.emit(root, go=False, open_=False)
    return {**top, "definitions": dict(sorted(emitter.definitions.items()))}


def _format(name: str | None) -> str | None:
    """The JSON Schema ``format`` of a checked custom-resource format."""
    return FORMAT_PREFIX + formats.normalize(name) if name and formats.check_for(name) else None


class _Emitter:
    def __init__(self) -> None:
        self.definitions: dict[str, Any] = {}

    def emit(self, node: Schema, *, go: bool, open_: bool) -> dict[str, Any]:
        """``go``: below a built-in definition; ``open_``: an array element of a node preserving unknown fields."""
        ref = node.ref
        if ref is not None:
            special = _SPECIAL_DEFINITIONS.get(ref)
            if node.is_definition:
                if ref not in self.definitions:
                    self.definitions[ref] = {}  # placeholder: recursive types refer to themselves
                    self.definitions[ref] = dict(special) if special is not None else self._body(node, True, False)
                return {"$ref": REF_PREFIX + ref}
            if special is not None:
                return dict(special)
            if node.base is not None and node.base.ref == ref and _validates_alike(node, node.base):
                return self.emit(node.base, go=True, open_=open_)  # a field's view adding only extensions
            go = True
        return self._body(node, go, open_)

    def _body(self, node: Schema, go: bool, open_: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        types: list[str] = []
        if node.int_or_string:
            types = ["integer", "string"]
        elif node.type:
            types = [node.type]
        if types and node.nullable and not go:
            types.append("null")
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        if go and node.int_or_string:
            return out
        if go and node.type == "integer" and node.format in INTEGER_BOUNDS:
            # Go's decoder refuses numbers that overflow the field's integer type
            out["minimum"], out["maximum"] = INTEGER_BOUNDS[node.format]
        if go and node.type == "string" and node.format == "byte":  # []byte fields travel as standard base64
            out["pattern"] = BASE64_PATTERN
        if go and node.type == "string" and node.format == "date-time" and node.ref is not None \
                and node.ref.endswith("meta.v1.Time"):  # metav1.Time decodes with time.Parse(RFC3339)
            out["pattern"] = RFC3339_PATTERN
        checked_format = _format(node.format) if not go and node.type in (None, "string") else None
        if checked_format:
            out["format"] = checked_format
        if node.enum is not None:
            out["enum"] = list(node.enum)
        properties = node.properties
        if properties:
            out["properties"] = {name: self.emit(sub, go=go, open_=False) for name, sub in properties.items()}
        objectish = node.type in (None, "object") and not node.int_or_string
        if node.additional_properties is not None:
            out["additionalProperties"] = self.emit(node.additional_properties, go=go, open_=False)
        elif objectish and not node.preserve_unknown_fields and not open_:
            # (jsonschema-rs names every unexpected key only when ``properties`` is present, even empty)
            out.setdefault("properties", {})
            out["additionalProperties"] = False
        items_open = not go and (open_ or node.preserve_unknown_fields)
        if node.items is not None:
            out["items"] = self.emit(node.items, go=go, open_=items_open)
        elif not go and not items_open and (node.type == "array" or (node.type is None and objectish)):
            nothing = {"properties": {}, "additionalProperties": False, "items": {"$ref": REF_PREFIX + NOTHING}}
            self.definitions.setdefault(NOTHING, nothing)
            out["items"] = {"$ref": REF_PREFIX + NOTHING}
        if node.required:
            out["required"] = list(dict.fromkeys(node.required))  # unique, as JSON Schema wants
        if node.constraints:
            out.update(_constraints(node.constraints))
        return out


def _validates_alike(node: Schema, other: Schema) -> bool:
    """Whether two nodes accept the same values (they may differ in patch or list extensions)."""
    return (node.type, node.format, node.enum, node.required, node.nullable, node.int_or_string,
            node.preserve_unknown_fields, dict(node.constraints), node.items, node.additional_properties) == \
        (other.type, other.format, other.enum, other.required, other.nullable, other.int_or_string,
         other.preserve_unknown_fields, dict(other.constraints), other.items, other.additional_properties) and \
        node.properties.keys() == other.properties.keys() and \
        all(node.properties[k] is other.properties[k] for k in node.properties)


def _constraints(raw: Mapping[str, Any]) -> dict[str, Any]:
    """OpenAPI v3.0 value validations in JSON Schema 2020-12 terms (boolean exclusive bounds become numbers)."""
    out: dict[str, Any] = {}
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(raw.get(bound), (int, float)) and not isinstance(raw.get(bound), bool):
            out[exclusive if raw.get(exclusive) is True else bound] = raw[bound]
    for key in ("maxLength", "minLength", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties"):
        if key in raw:
            out[key] = raw[key]
    if isinstance(raw.get("pattern"), str):
        out[PATTERN_KEYWORD] = raw["pattern"]
    if "multipleOf" in raw:
        out["multipleOf"] = raw["multipleOf"]
    always_fails = _out_of_range(out)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(raw.get(key), list):
            out[key] = [value_schema(sub) for sub in raw[key]]
    if always_fails:
        out["allOf"] = [*out.get("allOf", ()), *({"not": {"type": kind}} for kind in always_fails)]
    if isinstance(raw.get("not"), Mapping):
        out["not"] = value_schema(raw["not"])
    return out


# Bounds JSON Schema forbids but a CRD may hold (kube-openapi takes them as they are): a negative maximum
# or a factor that is not positive fails every value of its type, a negative minimum none.  The document
# only has to flag the place (``crd_errors`` words kube-openapi's error there); jsonschema-rs would refuse
# to compile the whole document.
_NEGATIVE_MAXIMUMS = {"maxLength": "string", "maxItems": "array", "maxProperties": "object"}
_NEGATIVE_MINIMUMS = ("minLength", "minItems", "minProperties")


def _out_of_range(out: dict[str, Any]) -> list[str]:
    """Drop from ``out`` the bounds jsonschema-rs refuses; the types whose every value they fail."""
    failing: list[str] = []
    for key, kind in _NEGATIVE_MAXIMUMS.items():
        if isinstance(out.get(key), int) and out[key] < 0:
            del out[key]
            failing.append(kind)
    for key in _NEGATIVE_MINIMUMS:
        if isinstance(out.get(key), int) and out[key] < 0:
            del out[key]
    factor = out.get("multipleOf")
    if isinstance(factor, (int, float)) and not isinstance(factor, bool) and factor <= 0:
        del out["multipleOf"]
        failing.append("number")
    return failing


def value_schema(raw: Any) -> dict[str, Any]:
    """A value-validation schema (inside ``allOf``/``anyOf``/``oneOf``/``not``) as JSON Schema; it never
    closes objects, as such schemas cannot change the shape of an object."""
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, Any] = {}
    kind = raw.get("type")
    if raw.get("x-kubernetes-int-or-string") is True:
        out["type"] = ["integer", "string"]
    elif isinstance(kind, str) and kind:
        out["type"] = [kind, "null"] if raw.get("nullable") is True else kind
    checked_format = _format(raw.get("format")) if isinstance(raw.get("format"), str) else None
    if checked_format:
        out["format"] = checked_format
    if isinstance(raw.get("enum"), list):
        out["enum"] = list(raw["enum"])
    if isinstance(raw.get("properties"), Mapping):
        out["properties"] = {name: value_schema(sub) for name, sub in raw["properties"].items()}
    if isinstance(raw.get("additionalProperties"), Mapping):
        out["additionalProperties"] = value_schema(raw["additionalProperties"])
    if isinstance(raw.get("items"), Mapping):
        out["items"] = value_schema(raw["items"])
    if isinstance(raw.get("required"), list):
        out["required"] = list(dict.fromkeys(raw["required"]))
    out.update(_constraints(raw))
    return out
