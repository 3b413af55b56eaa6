"""Go's JSON decoding errors, for the values of built-in kinds (and the metadata of custom resources).

A built-in object is decoded into its Go type before anything is validated, so a value of the wrong
JSON type, an integer that overflows its field, bad base64 or a bad timestamp fail there, worded by
``encoding/json`` (``json: cannot unmarshal string into Go struct field ...``).  These are the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from fakekube.go_text import go_quote
from fakekube.schema import crd_errors
from fakekube.schema.builtin import INT_OR_STRING, QUANTITY
from fakekube.schema.model import Schema

_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


@dataclass(frozen=True)
class DecodeProblem:
    """A wrong JSON type at ``path``; rendered as Go's json decoder words it.

    Go decoding starts at ``path[start]`` (0 for a built-in kind; the ``metadata`` of a custom resource).
    """

    path: tuple[str | int, ...]
    json_type: str
    go_struct: str
    go_type: str
    text: str = ""  # a complete message, for problems that are not type mismatches
    start: int = 0

    def message(self) -> str:
        if self.text:
            return self.text
        field_path = ".".join(str(p) for p in self.path[self.start:] if not isinstance(p, int))
        if not field_path:
            return f"json: cannot unmarshal {self.json_type} into Go value of type {self.go_type}"
        return (f"json: cannot unmarshal {self.json_type} into Go struct field "
                f"{self.go_struct}.{field_path} of type {self.go_type}")


# ``resource.ParseQuantity``'s two errors: a string that is no number with a suffix, and one whose suffix is
# none kube knows.
_QUANTITY_SHAPE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
QUANTITY_SUFFIX = "unable to parse quantity's suffix"


def quantity_error(value: str) -> str:
    """Why ``resource.ParseQuantity`` refuses ``value`` (a string the schema's pattern refused)."""
    return QUANTITY_SUFFIX if _QUANTITY_SHAPE.match(value.strip()) else QUANTITY_FORMAT


def illegal_base64(value: str) -> str:
    """Go's ``base64.CorruptInputError`` text: the offset of the first byte that cannot be decoded."""
    for index, char in enumerate(value):
        if char in "\r\n":
            continue  # Go's decoder skips line breaks
        if char not in _BASE64_ALPHABET:
            if char == "=" and index >= len(value) - 2 and index % 4 >= 2:
                continue
            return f"illegal base64 data at input byte {index}"
    return f"illegal base64 data at input byte {len(value) - len(value) % 4}"


def go_type(node: Schema | None) -> str:
    """The Go type a decode error names for a value of this schema (``[]v1.Container``, ``int32``)."""
    if node is None:
        return "interface {}"
    if node.ref:
        if node.ref == QUANTITY:
            return "resource.Quantity"
        if node.ref == INT_OR_STRING:
            return "intstr.IntOrString"
        parts = node.ref.split(".")
        return f"{parts[-2]}.{parts[-1]}"
    kind = node.type
    if node.int_or_string:
        return "intstr.IntOrString"
    if kind == "integer":
        return node.format or "int"
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        return "[]" + go_type(node.items)
    if kind == "object" and node.additional_properties is not None:
        return "map[string]" + go_type(node.additional_properties)
    return kind or "interface {}"


def embedded_invalid(path: tuple[str | int, ...], value: Any, detail: str) -> str:
    """``field.Invalid(path, value, detail)`` as text, the value as Go's field errors show it."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, (int, float)):
        shown = str(crd_errors.go_value(value))
    elif isinstance(value, str):
        shown = go_quote(value)
    else:
        shown = go_json(value)
    return f"{format_path(path)}: Invalid value: {shown}: {detail}"


def go_json(value: Any) -> str:
    """``json.Marshal``: sorted map keys, ``<``, ``>`` and ``&`` escaped."""
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")




def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """``spec.template.spec.containers[0].image`` from ('spec', 'template', 'spec', 'containers', 0, 'image')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
