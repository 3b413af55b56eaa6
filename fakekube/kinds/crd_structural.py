"""Whether a CRD schema is structural (apiextensions-apiserver ``pkg/apiserver/schema``: ``NewStructural``,
``ValidateStructural`` and its completeness check).

A structural schema states the shape of every field at the node itself (``type``, ``properties``,
``items``, ``additionalProperties``, the ``x-kubernetes-*`` extensions); ``allOf``/``anyOf``/``oneOf``/``not``
may only add value validations, and may only name fields the node already declares.  ``metadata`` at the
root may only restrict ``name`` and ``generateName``.  kube-apiserver sorts these errors by their text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.schema.go_regexp import go_regexp_error

_UNSUPPORTED = (("id", "id"), ("$schema", "schema"), ("$ref", "$ref"), ("patternProperties", "patternProperties"),
                ("dependencies", "dependencies"), ("additionalItems", "additionalItems"),
                ("definitions", "definitions"))
_INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]
_META = {"apiVersion", "kind", "metadata"}
# In a value validation: (keyword, what it must be, whether a false/empty value counts as unset)
_NESTED_FORBIDDEN = (("type", errors.CRD_NESTED_EMPTY), ("default", errors.CRD_NESTED_UNDEFINED),
                     ("title", errors.CRD_NESTED_EMPTY), ("description", errors.CRD_NESTED_EMPTY),
                     ("nullable", errors.CRD_NESTED_FALSE),
                     ("x-kubernetes-preserve-unknown-fields", errors.CRD_NESTED_FALSE),
                     ("x-kubernetes-embedded-resource", errors.CRD_NESTED_FALSE),
                     ("x-kubernetes-int-or-string", errors.CRD_NESTED_FALSE),
                     ("x-kubernetes-list-map-keys", errors.CRD_NESTED_EMPTY),
                     ("x-kubernetes-list-type", errors.CRD_NESTED_UNDEFINED),
                     ("x-kubernetes-map-type", errors.CRD_NESTED_UNDEFINED),
                     ("x-kubernetes-validations", errors.CRD_NESTED_EMPTY))


def _props(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    properties = raw.get("properties")
    return properties if isinstance(properties, Mapping) else {}


def _set(raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key)
    return value is not None and value is not False and value != "" and value != [] and value != {}


def init_error(raw: Mapping[str, Any]) -> str | None:
    """``NewStructural``'s refusal of a schema it cannot even represent (None: it can)."""
    for key, name in _UNSUPPORTED:
        if _set(raw, key):
            return errors.crd_structural_init_unsupported(name)
    if isinstance(raw.get("items"), list):
        return errors.CRD_STRUCTURAL_INIT_ITEMS_ARRAY
    if raw.get("x-kubernetes-preserve-unknown-fields") is False:
        return errors.CRD_STRUCTURAL_INIT_PRESERVE_FALSE
    for child in _children(raw, with_validations=True):
        if (problem := init_error(child)) is not None:
            return problem
    return None


def _children(raw: Mapping[str, Any], *, with_validations: bool) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    if isinstance(raw.get("items"), Mapping):
        out.append(raw["items"])
    if isinstance(raw.get("properties"), Mapping):
        out.extend(v for v in raw["properties"].values() if isinstance(v, Mapping))
    if isinstance(raw.get("additionalProperties"), Mapping):
        out.append(raw["additionalProperties"])
    if with_validations:
        for key in ("allOf", "anyOf", "oneOf"):
            out.extend(v for v in raw.get(key) or [] if isinstance(v, Mapping))
        if isinstance(raw.get("not"), Mapping):
            out.append(raw["not"])
    return out


def structural_errors(raw: Mapping[str, Any], path: str) -> list[FieldError]:
    """``ValidateStructural`` of a root schema at ``path``, sorted as kube-apiserver sorts them."""
    found = _invariants(raw, "root", path) + _completeness_of(raw, raw, path, path)
    return sorted(found, key=str)


def _invariants(raw: Mapping[str, Any] | None, level: str, path: str) -> list[FieldError]:
    if raw is None:
        return []
    out: list[FieldError] = []
    kind = raw.get("type") or ""
    items = raw.get("items") if isinstance(raw.get("items"), Mapping) else None
    if kind == "array" and items is None:
        out.append(errors.crd_array_items_missing(f"{path}.items"))
    out.extend(_invariants(items, "item", f"{path}.items"))
    properties = _props(raw)
    for name in sorted(properties):
        if isinstance(properties[name], Mapping):
            out.extend(_invariants(properties[name], "field", f"{path}.properties[{name}]"))
    additional = raw.get("additionalProperties")
    if additional is not None and additional is not False:
        if level == "root":
            out.append(errors.crd_additional_properties_at_root(f"{path}.additionalProperties"))
        if isinstance(additional, Mapping):
            out.extend(_invariants(additional, "field", f"{path}.additionalProperties"))
    int_or_string = raw.get("x-kubernetes-int-or-string") is True
    preserve = raw.get("x-kubernetes-preserve-unknown-fields") is True
    embedded = raw.get("x-kubernetes-embedded-resource") is True
    if int_or_string and preserve:
        out.append(errors.crd_with_int_or_string(f"{path}.x-kubernetes-preserve-unknown-fields"))
    if int_or_string and embedded:
        out.append(errors.crd_with_int_or_string(f"{path}.x-kubernetes-embedded-resource"))
    out.extend(_value_validation(raw, _is_int_or_string_any_of(raw), _is_int_or_string_all_of(raw), path))
    if embedded and kind != "object":
        out.append(errors.crd_embedded_type(f"{path}.type", kind))
    elif not kind and not int_or_string and not preserve:
        out.append(errors.required(f"{path}.type", errors.CRD_STRUCTURAL_TYPE_MISSING[level]))
    if embedded and additional is not None:
        out.append(errors.crd_embedded_additional_properties(f"{path}.additionalProperties"))
    if level == "root" and kind and kind != "object":
        out.append(errors.crd_root_type(f"{path}.type", kind))
    check_metadata = level == "root" or embedded
    for key in ("kind", "apiVersion"):
        sub = properties.get(key)
        if check_metadata and isinstance(sub, Mapping) and sub.get("type") != "string":
            out.append(errors.crd_type_field_not_string(f"{path}.properties[{key}].type", sub.get("type") or ""))
    metadata = properties.get("metadata")
    if isinstance(metadata, Mapping):
        out.extend(_metadata(metadata, check_metadata, level == "root", f"{path}.properties[metadata]"))
    if embedded and not preserve and not properties:
        out.append(errors.crd_embedded_properties_missing(f"{path}.properties"))
    return out


def _metadata(raw: Mapping[str, Any], check_type: bool, root: bool, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    if check_type and raw.get("type") != "object":
        out.append(errors.crd_metadata_not_object(f"{path}.type", raw.get("type") or ""))
    if root:
        rest = {k: v for k, v in raw.items() if k not in ("type", "default") and _set(raw, k)}
        properties = rest.get("properties")
        if isinstance(properties, Mapping) and set(properties) <= {"name", "generateName"}:
            rest.pop("properties")
        if rest:
            out.append(errors.forbidden(path, errors.CRD_METADATA_RESTRICTED))
    return out


def _is_int_or_string_any_of(raw: Mapping[str, Any]) -> bool:
    return raw.get("anyOf") == _INT_OR_STRING_ANY_OF


def _is_int_or_string_all_of(raw: Mapping[str, Any]) -> bool:
    all_of = raw.get("allOf")
    return isinstance(all_of, list) and bool(all_of) and isinstance(all_of[0], Mapping) \
        and all_of[0].get("anyOf") == _INT_OR_STRING_ANY_OF


def _value_validation(raw: Mapping[str, Any], skip_any_of: bool, skip_first_all_of_any_of: bool,
                      path: str) -> list[FieldError]:
    out: list[FieldError] = []
    if not skip_any_of:
        for i, sub in enumerate(raw.get("anyOf") or []):
            out.extend(_nested(sub, False, f"{path}.anyOf[{i}]"))
    for i, sub in enumerate(raw.get("allOf") or []):
        out.extend(_nested(sub, skip_first_all_of_any_of and i == 0, f"{path}.allOf[{i}]"))
    for i, sub in enumerate(raw.get("oneOf") or []):
        out.extend(_nested(sub, False, f"{path}.oneOf[{i}]"))
    if isinstance(raw.get("not"), Mapping):
        out.extend(_nested(raw["not"], False, f"{path}.not"))
    pattern = raw.get("pattern")
    if isinstance(pattern, str) and pattern and (problem := go_regexp_error(pattern)) is not None:
        out.append(errors.crd_pattern_invalid(f"{path}.pattern", pattern, problem))
    return out


def _nested(raw: Any, skip_any_of: bool, path: str) -> list[FieldError]:
    if not isinstance(raw, Mapping):
        return []
    out = _value_validation(raw, skip_any_of, False, path)
    if isinstance(raw.get("items"), Mapping):
        out.extend(_nested(raw["items"], False, f"{path}.items"))
    properties = _props(raw)
    for name in sorted(properties):
        out.extend(_nested(properties[name], False, f"{path}.properties[{name}]"))
    for key, detail in _NESTED_FORBIDDEN:
        if _set(raw, key) or (key == "default" and raw.get(key) is not None):
            out.append(errors.crd_nested_forbidden(f"{path}.{key}", detail))
        if key == "type" and (raw.get("additionalProperties") not in (None, False)):
            out.append(errors.crd_nested_forbidden(f"{path}.additionalProperties", errors.CRD_NESTED_UNDEFINED))
    if "metadata" in properties:
        out.append(errors.crd_nested_metadata(f"{path}.properties[metadata]"))
    return out


def _completeness_of(raw: Mapping[str, Any], node: Mapping[str, Any] | None, s_path: str,
                     v_path: str) -> list[FieldError]:
    """Every field a value validation names must be declared by the structural node it applies to."""
    out: list[FieldError] = []
    if isinstance(raw.get("not"), Mapping):
        out.extend(_complete_nested(raw["not"], node, s_path, f"{v_path}.not"))
    for key in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(raw.get(key) or []):
            if isinstance(sub, Mapping):
                out.extend(_complete_nested(sub, node, s_path, f"{v_path}.{key}[{i}]"))
    return out


def _complete_nested(raw: Mapping[str, Any], node: Mapping[str, Any] | None, s_path: str,
                     v_path: str) -> list[FieldError]:
    if node is None:
        return [errors.crd_not_declared(s_path, v_path)]
    out = _completeness_of(raw, node, s_path, v_path)
    if isinstance(raw.get("items"), Mapping):
        items = node.get("items") if isinstance(node.get("items"), Mapping) else None
        out.extend(_complete_nested(raw["items"], items, f"{s_path}.items", f"{v_path}.items"))
    declared = _props(node)
    for name, sub in (raw.get("properties") or {}).items():
        if not isinstance(sub, Mapping):
            continue
        if name not in declared:
            out.append(errors.crd_not_declared(f"{s_path}.properties[{name}]", f"{v_path}.properties[{name}]"))
        else:
            out.extend(_complete_nested(sub, declared[name], f"{s_path}.properties[{name}]",
                                        f"{v_path}.properties[{name}]"))
    return out


def is_meta_field(name: str) -> bool:
    return name in _META
