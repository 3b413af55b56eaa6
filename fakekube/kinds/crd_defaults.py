"""The ``default`` values of a structural CRD schema (apiextensions-apiserver's ``defaulting.ValidateDefaults``).

Each default must already be pruned (no field the node's schema would drop: ``must not have unknown
fields``) and must pass the node's own schema, checked by the same validator custom resources get
(``fakekube.schema``) and reported under ``<node>.default`` as kube-openapi names the value's places.  Only
``properties`` and ``items`` are walked, as upstream does (a default inside ``additionalProperties`` is
not checked).  Defaults inside an object's ``metadata``/``apiVersion``/``kind`` are checked by upstream as
object metadata; they are not checked here (top-level ones are refused anyway by ``crd_schema_rules``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.schema import custom_schema, validator_for
from fakekube.schema.crd_errors import NIL_FIELD

_HOLDER = "value"  # the wrapper property a default is validated under, renamed away in the errors


def default_errors(schema: Mapping[str, Any], path: str, require_pruned: bool) -> list[FieldError]:
    """The errors of every default in the root ``schema`` at ``path`` (the root counts as an embedded resource)."""
    root = {**schema, "x-kubernetes-embedded-resource": True}
    return _walk(root, path, inside_meta=False, require_pruned=require_pruned)


def _walk(raw: Mapping[str, Any], path: str, *, inside_meta: bool, require_pruned: bool) -> list[FieldError]:
    out: list[FieldError] = []
    embedded = raw.get("x-kubernetes-embedded-resource") is True
    if embedded:
        inside_meta = False
    if raw.get("default") is not None and not inside_meta:
        out.extend(_check(raw, f"{path}.default", require_pruned))
    if isinstance(raw.get("items"), Mapping):
        out.extend(_walk(raw["items"], f"{path}.items", inside_meta=inside_meta, require_pruned=require_pruned))
    properties = raw.get("properties")
    if isinstance(properties, Mapping):
        for name in sorted(properties):
            if isinstance(properties[name], Mapping):
                meta = inside_meta or (embedded and name in ("metadata", "apiVersion", "kind"))
                out.extend(_walk(properties[name], f"{path}.properties[{name}]", inside_meta=meta,
                                 require_pruned=require_pruned))
    return out


def _check(raw: Mapping[str, Any], path: str, require_pruned: bool) -> list[FieldError]:
    value = raw["default"]
    node = {k: v for k, v in raw.items() if k != "default"}
    holder = custom_schema({"type": "object", "properties": {_HOLDER: node}})
    body = {_HOLDER: copy.deepcopy(value)}
    result = validator_for(holder).validate(body, kind="Validation", version="validation/v1", mode="Warn")
    out: list[FieldError] = []
    if require_pruned and result.warnings:
        out.append(errors.crd_default_not_pruned(path, value))
    out.extend(_renamed(e, path) for e in result.field_errors)
    return out


def _renamed(error: FieldError, path: str) -> FieldError:
    """An error about ``value.x`` in the wrapper, as kube-openapi reports ``x`` under ``path``."""
    if error.field == NIL_FIELD or error.field == _HOLDER:
        relative = ""
    elif error.field.startswith(_HOLDER + "."):
        relative = error.field[len(_HOLDER) + 1:]
    elif error.field.startswith(_HOLDER + "["):
        relative = error.field[len(_HOLDER):]
    else:
        relative = error.field
    detail = error.detail
    for old, new in ((f'"{error.field}"', f'"{relative}"'), (error.field, relative)):
        if detail.startswith(old):
            detail = new + detail[len(old):]
            break
    field = path if not relative else f"{path}{relative}" if relative.startswith("[") else f"{path}.{relative}"
    return type(error)(error.type, field, error.value, detail)
