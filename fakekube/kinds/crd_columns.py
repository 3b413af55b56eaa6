"""What a CRD version says about reading its objects: printer columns, the scale subresource's paths and
selectable fields, checked as apiextensions-apiserver checks them.

Printer columns and scale paths must be "simple" JSON paths (``.spec.replicas``); kube-apiserver checks only
that much here (the column's JSONPath is parsed when a table is printed).  A selectable field must name a
string, boolean or integer field of the version's schema, outside ``metadata``, written without array
notation, as CEL's field paths are read (``cel.ValidFieldPath``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.podspec import as_dict

MAX_SELECTABLE_FIELDS = 8
_COLUMN_TYPES = ("integer", "number", "string", "boolean", "date")
_COLUMN_FORMATS = ("int32", "int64", "float", "double", "byte", "date", "date-time", "password")


def simple_json_path_errors(value: str, path: str) -> list[FieldError]:
    """``validateSimpleJSONPath``: a path in dot notation starting with a dot."""
    if not value:
        return [errors.crd_json_path_empty(path, value)]
    if not value.startswith("."):
        return [errors.crd_json_path_not_simple(path, value)]
    return []


def column_errors(column: Mapping[str, Any], path: str) -> list[FieldError]:
    """``ValidateCustomResourceColumnDefinition`` (the internal field is named ``JSONPath``)."""
    out: list[FieldError] = []
    if not column.get("name"):
        out.append(errors.required(f"{path}.name"))
    kind = column.get("type") or ""
    if not kind:
        out.append(errors.required(f"{path}.type", errors.CRD_COLUMN_TYPES))
    elif kind not in _COLUMN_TYPES:
        out.append(errors.invalid(f"{path}.type", kind, errors.CRD_COLUMN_TYPES))
    shape = column.get("format") or ""
    if shape and shape not in _COLUMN_FORMATS:
        out.append(errors.invalid(f"{path}.format", shape, errors.CRD_COLUMN_FORMATS))
    json_path = column.get("jsonPath") or ""
    if not json_path:
        out.append(errors.required(f"{path}.JSONPath"))
    else:
        out.extend(simple_json_path_errors(json_path, f"{path}.JSONPath"))
    return out


def subresources_errors(subresources: Any, path: str) -> list[FieldError]:
    """``ValidateCustomResourceDefinitionSubresources``: the scale subresource's replica and selector paths."""
    scale = as_dict(subresources).get("scale")
    if not isinstance(scale, Mapping):
        return []
    out: list[FieldError] = []
    for key, prefix, under in (("specReplicasPath", ".spec.", ".spec"), ("statusReplicasPath", ".status.", ".status")):
        value = scale.get(key) or ""
        field = f"{path}.scale.{key}"
        if not value:
            out.append(errors.required(field))
        elif problems := simple_json_path_errors(value, field):
            out.extend(problems)
        elif not value.startswith(prefix):
            out.append(errors.crd_scale_replicas_path_outside(field, value, under))
    selector = scale.get("labelSelectorPath") or ""
    if selector:
        field = f"{path}.scale.labelSelectorPath"
        if problems := simple_json_path_errors(selector, field):
            out.extend(problems)
        elif not selector.startswith((".spec.", ".status.")):
            out.append(errors.crd_scale_selector_path_outside(field, selector))
    return out


def selectable_fields_errors(fields: list[Any], schema: Mapping[str, Any], path: str,
                             allow_too_many: bool) -> list[FieldError]:
    """``ValidateCustomResourceSelectableFields`` against the version's ``openAPIV3Schema``."""
    out: list[FieldError] = []
    unique: set[str] = set()
    for i, item in enumerate(fields):
        json_path = str(as_dict(item).get("jsonPath") or "")
        where = f"{path}[{i}].jsonPath"
        if not json_path:
            out.append(errors.required(where))
            continue
        try:
            steps, node = resolve_field_path(json_path, schema)
        except ValueError as problem:
            out.append(errors.crd_selectable_field_invalid(where, json_path, problem))
            continue
        if steps and steps[0] == "metadata":
            out.append(errors.crd_selectable_field_in_metadata(where, json_path))
        if node.get("type") not in ("string", "boolean", "integer"):
            out.append(errors.crd_selectable_field_type(where, json_path))
        shown = ".".join(steps)
        if shown in unique:
            out.append(errors.duplicate(where, json_path))
        unique.add(shown)
    if len(unique) > MAX_SELECTABLE_FIELDS and not allow_too_many:
        out.append(errors.too_many(path, len(unique), MAX_SELECTABLE_FIELDS))
    return out


def resolve_field_path(json_path: str, schema: Mapping[str, Any], *,
                       allow_arrays: bool = False) -> tuple[list[str], Mapping[str, Any]]:
    """The field names along a path (``.a.b``, with ``allow_arrays`` also ``['a']``) and the node it reaches."""
    steps: list[str] = []
    node: Mapping[str, Any] = schema
    tokens = _tokens(json_path)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "[" and not allow_arrays:
            raise ValueError(errors.FIELD_PATH_ARRAY_NOTATION)
        if token not in (".", "["):
            raise ValueError(errors.field_path_unexpected_token(token))
        if index + 1 >= len(tokens):
            raise ValueError(errors.FIELD_PATH_UNEXPECTED_END)
        name = tokens[index + 1]
        index += 2
        if token == "[":
            if len(name) < 2 or name[0] != "'" or name[-1] != "'":
                raise ValueError(errors.field_path_unquoted(name))
            name = name[1:-1].replace("\\'", "'")
            if index >= len(tokens):
                raise ValueError(errors.FIELD_PATH_UNEXPECTED_END)
            if tokens[index] != "]":
                raise ValueError(errors.field_path_unclosed(tokens[index]))
            index += 1
        properties = node.get("properties")
        additional = node.get("additionalProperties")
        if isinstance(properties, Mapping):
            found = properties.get(name)
            steps.append(name)
            if not isinstance(found, Mapping):
                raise ValueError(errors.FIELD_PATH_NOT_A_FIELD)
            node = found
        elif additional is not None and additional is not False:
            steps.append(name)
            node = additional if isinstance(additional, Mapping) else {}
        else:
            raise ValueError(errors.FIELD_PATH_NOT_A_FIELD)
    return steps, node


def _tokens(text: str) -> list[str]:
    """The scanner of ``ValidFieldPath``: '.', '[' and ']' alone, quoted strings whole, names between."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "'":
            end = i + 1
            while end < len(text) and not (text[end] == "'" and text[end - 1] != "\\"):
                end += 1
            out.append(text[i:end + 1])
            i = end + 1
        elif text[i] in ".[]":
            out.append(text[i])
            i += 1
        else:
            end = i
            while end < len(text) and text[end] not in ".[]":
                end += 1
            out.append(text[i:end])
            i = end
    return out
