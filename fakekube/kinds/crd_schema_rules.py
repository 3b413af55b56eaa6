"""The rules on a CRD version's ``openAPIV3Schema`` (``validateCustomResourceDefinitionValidation`` and
``ValidateCustomResourceDefinitionOpenAPISchema`` in apiextensions-apiserver's ``validation.go``).

In kube-apiserver's order: the root's restrictions when the status subresource is on, then, if the schema
is structural (``crd_structural``), its defaults (``crd_defaults``), then the OpenAPI keyword rules of every
node, then the compile and cost errors of its CEL rules (``fakekube.cel.crd_checks``).  The rules an
existing CRD already breaks are not enforced on its updates (``Options.for_update``), as upstream keeps
stored data valid across tightened validation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds import crd_defaults, crd_structural
from fakekube.kinds.crd_columns import MAX_SELECTABLE_FIELDS, resolve_field_path

_TYPES = ["array", "boolean", "integer", "number", "object", "string"]
_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]
_STATUS_ROOT_ALLOWED = frozenset({
    "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "required", "items",
    "properties", "externalDocs", "example", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations"})


@dataclass(frozen=True)
class Options:
    """Which tightened rules apply: all of them on create; on update, those the stored CRD already meets."""

    require_schema: bool = True
    require_structural: bool = True
    require_pruned_defaults: bool = True
    require_atomic_set: bool = True
    require_map_keys_checks: bool = True
    allow_too_many_selectable: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def for_update(cls, old_spec: Mapping[str, Any] | None) -> Options:
        if old_spec is None:
            return cls()
        schemas = version_schemas(old_spec)
        return cls(
            require_schema=all(isinstance(s, Mapping) for s in schemas),
            require_structural=not any(isinstance(s, Mapping) and _non_structural(s) for s in schemas),
            require_atomic_set=not any(_has(s, _non_atomic_set) for s in schemas),
            require_map_keys_checks=not any(_has(s, lambda n: bool(_map_set_errors(n, ""))) for s in schemas),
            allow_too_many_selectable=_too_many_selectable(old_spec))


def version_schemas(spec: Mapping[str, Any]) -> list[Any]:
    return [_as_map(_as_map(v).get("schema")).get("openAPIV3Schema") for v in spec.get("versions") or []]


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _too_many_selectable(old_spec: Mapping[str, Any]) -> dict[str, bool]:
    return {str(_as_map(v).get("name")): True for v in old_spec.get("versions") or []
            if len(_as_map(v).get("selectableFields") or []) > MAX_SELECTABLE_FIELDS}


def _non_structural(raw: Mapping[str, Any]) -> bool:
    return crd_structural.init_error(raw) is not None or bool(crd_structural.structural_errors(raw, ""))


def _has(raw: Any, predicate: Callable[[Mapping[str, Any]], bool]) -> bool:
    """``SchemaHas``: whether any node of the schema satisfies ``predicate``."""
    if not isinstance(raw, Mapping):
        return False
    if predicate(raw) is True:
        return True
    subs: list[Any] = [raw.get("items"), raw.get("not"), raw.get("additionalProperties")]
    for key in ("allOf", "anyOf", "oneOf"):
        subs.extend(raw.get(key) or [])
    for key in ("properties", "patternProperties", "definitions"):
        subs.extend(_as_map(raw.get(key)).values())
    return any(_has(s, predicate) for s in subs)


def spec_has_defaults(spec: Mapping[str, Any]) -> bool:
    return any(_has(s, lambda n: n.get("default") is not None) for s in version_schemas(spec))


def _non_atomic_set(raw: Mapping[str, Any]) -> bool:
    items = raw.get("items")
    if raw.get("x-kubernetes-list-type") != "set" or not isinstance(items, Mapping):
        return False
    if items.get("type") == "array":
        return bool(items.get("x-kubernetes-list-type", "atomic") != "atomic")
    return bool(items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic")


def validation_errors(validation: Mapping[str, Any], path: str, status_enabled: bool, opts: Options,
                      version: str = "") -> list[FieldError]:
    """``validateCustomResourceDefinitionValidation`` of ``{openAPIV3Schema: ...}`` at ``path``."""
    schema = validation.get("openAPIV3Schema")
    if not isinstance(schema, Mapping):
        return []
    where = f"{path}.openAPIV3Schema"
    out: list[FieldError] = []
    if status_enabled:
        out.extend(_status_root_errors(schema, where))
    if schema.get("nullable") is True:
        out.append(errors.crd_root_nullable(f"{where}.nullable"))
    init_errors: list[FieldError] = []
    structural_ok = False
    if opts.require_structural:
        if (problem := crd_structural.init_error(schema)) is not None:
            init_errors.append(errors.crd_not_structural(where, problem))
        elif found := crd_structural.structural_errors(schema, where):
            out.extend(found)
        elif found := crd_defaults.default_errors(schema, where, opts.require_pruned_defaults):
            out.extend(found)
        else:
            structural_ok = True
    schema_errors = _OpenAPIChecks(opts).node(schema, where, _Context(), root=True)
    out.extend(schema_errors)
    if structural_ok and not schema_errors:
        out.extend(cel_rule_errors(schema, where))
    if not out:
        out.extend(init_errors)
    return out


def cel_rule_errors(schema: Mapping[str, Any], path: str) -> list[FieldError]:
    """The one call into the CEL engine: compile and estimated-cost errors of the schema's rules.  The engine
    (its parser, checker and cost model) loads here, on the first CRD that is checked, not when the server
    starts."""
    from fakekube.cel import crd_checks

    return crd_checks.rule_errors(schema, path)


def _status_root_errors(schema: Mapping[str, Any], where: str) -> list[FieldError]:
    kind = schema.get("type")
    if kind and kind != "object":
        return [errors.crd_status_root_type(f"{where}.type", kind)]
    if any(key not in _STATUS_ROOT_ALLOWED for key, value in schema.items() if value not in (None, False, "", [], {})):
        return [errors.crd_status_root_fields(where, dict(schema))]
    return []


@dataclass(frozen=True)
class _Context:
    """``specStandardValidatorV3``: where a node sits (inside resource metadata, defaults forbidden)."""

    defaults_forbidden: str | None = None
    inside_meta: bool = False


class _OpenAPIChecks:
    def __init__(self, opts: Options) -> None:
        self.opts = opts

    def node(self, raw: Any, path: str, ctx: _Context, *, root: bool = False) -> list[FieldError]:
        if not isinstance(raw, Mapping):
            return []
        out = self._keywords(raw, path, ctx)
        if raw.get("uniqueItems") is True:
            out.append(errors.crd_unique_items(f"{path}.uniqueItems"))
        additional = raw.get("additionalProperties")
        properties = _as_map(raw.get("properties"))
        if additional is not None:
            if properties and (additional is False or isinstance(additional, Mapping)):
                out.append(errors.crd_additional_properties_with_properties(f"{path}.additionalProperties"))
            sub = replace(ctx, defaults_forbidden=errors.CRD_DEFAULT_IN_META_ADDITIONAL_PROPERTIES) \
                if ctx.inside_meta else ctx
            out.extend(self.node(additional, f"{path}.additionalProperties", sub))
        for name in sorted(properties):
            sub = ctx
            if (root or raw.get("x-kubernetes-embedded-resource") is True) and crd_structural.is_meta_field(name):
                sub = replace(sub, inside_meta=True)
                if root:
                    sub = replace(sub, defaults_forbidden=errors.crd_default_in_top_level(name))
            out.extend(self.node(properties[name], f"{path}.properties[{name}]", sub))
        out.extend(self.node(raw.get("not"), f"{path}.not", ctx))
        for key in ("allOf", "oneOf", "anyOf"):
            for i, sub_raw in enumerate(raw.get(key) or []):
                out.extend(self.node(sub_raw, f"{path}.{key}[{i}]", ctx))
        for name in sorted(_as_map(raw.get("definitions"))):
            out.extend(self.node(raw["definitions"][name], f"{path}.definitions[{name}]", ctx))
        if isinstance(raw.get("items"), Mapping):
            out.extend(self.node(raw["items"], f"{path}.items", ctx))
        elif isinstance(raw.get("items"), list):
            for i, sub_raw in enumerate(raw["items"]):
                out.extend(self.node(sub_raw, f"{path}.items[{i}]", ctx))
        for name in sorted(_as_map(raw.get("dependencies"))):
            out.extend(self.node(raw["dependencies"][name], f"{path}.dependencies[{name}]", ctx))
        out.extend(self._extensions(raw, path))
        return out

    def _keywords(self, raw: Mapping[str, Any], path: str, ctx: _Context) -> list[FieldError]:
        out: list[FieldError] = []
        kind = raw.get("type") or ""
        if kind and kind not in _TYPES:
            out.append(errors.not_supported(f"{path}.type", kind, _TYPES))
        if raw.get("default") is not None and ctx.defaults_forbidden is not None:
            out.append(errors.crd_default_forbidden(f"{path}.default", ctx.defaults_forbidden))
        for key, name in (("id", "id"), ("additionalItems", "additionalItems"),
                          ("patternProperties", "patternProperties"), ("definitions", "definitions"),
                          ("dependencies", "dependencies"), ("$ref", "$ref")):
            if raw.get(key) not in (None, "", {}):
                out.append(errors.crd_keyword_not_supported(f"{path}.{key}", name))
        if kind == "null":
            out.append(errors.crd_null_type(f"{path}.type"))
        if isinstance(raw.get("items"), list) and raw["items"]:
            out.append(errors.crd_items_array(f"{path}.items"))
        if ctx.inside_meta and raw.get("x-kubernetes-embedded-resource") is True:
            out.append(errors.crd_embedded_in_meta(f"{path}.x-kubernetes-embedded-resource"))
        return out

    def _extensions(self, raw: Mapping[str, Any], path: str) -> list[FieldError]:
        out: list[FieldError] = []
        kind = raw.get("type") or ""
        if raw.get("x-kubernetes-preserve-unknown-fields") is False:
            out.append(errors.crd_preserve_unknown_fields_false(f"{path}.x-kubernetes-preserve-unknown-fields"))
        map_type = raw.get("x-kubernetes-map-type")
        if map_type is not None and kind != "object":
            out.append(errors.crd_type_for_extension(f"{path}.type", kind, "object", "x-kubernetes-map-type"))
        if map_type is not None and map_type not in ("atomic", "granular"):
            out.append(errors.not_supported(f"{path}.x-kubernetes-map-type", map_type, ["atomic", "granular"]))
        list_type = raw.get("x-kubernetes-list-type")
        items = raw.get("items") if isinstance(raw.get("items"), Mapping) else None
        if list_type is not None and kind != "array":
            out.append(errors.crd_type_for_extension(f"{path}.type", kind, "array", "x-kubernetes-list-type"))
        elif self.opts.require_atomic_set and list_type == "set" and items is not None:
            if items.get("type") == "array" and items.get("x-kubernetes-list-type", "atomic") != "atomic":
                out.append(errors.crd_set_item_not_atomic(f"{path}.items.x-kubernetes-list-type",
                                                          items["x-kubernetes-list-type"]))
            elif items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
                # kube shows the item's list type here, which is null for an object
                out.append(errors.crd_set_item_not_atomic(f"{path}.items.x-kubernetes-map-type",
                                                          items.get("x-kubernetes-list-type")))
        if list_type is not None and list_type not in ("atomic", "set", "map"):
            out.append(errors.not_supported(f"{path}.x-kubernetes-list-type", list_type, ["atomic", "set", "map"]))
        keys = raw.get("x-kubernetes-list-map-keys") or []
        if keys and list_type != "map":
            out.append(errors.crd_list_type_for_map_keys(f"{path}.x-kubernetes-list-type", list_type))
        if list_type == "map":
            out.extend(_list_map_errors(raw, path, keys, items))
        if self.opts.require_map_keys_checks:
            out.extend(_map_set_errors(raw, path))
        out.extend(_rule_shape_errors(raw, path))
        return out


def _list_map_errors(raw: Mapping[str, Any], path: str, keys: list[Any],
                     items: Mapping[str, Any] | None) -> list[FieldError]:
    out: list[FieldError] = []
    if not keys:
        out.append(errors.crd_map_keys_missing(f"{path}.x-kubernetes-list-map-keys"))
    if raw.get("items") is None:
        out.append(errors.crd_map_items_missing(f"{path}.items"))
    if items is None or items.get("type") != "object":
        if items is not None:
            out.append(errors.crd_map_items_not_object(f"{path}.items.type", items.get("type") or ""))
        return out
    declared = _as_map(items.get("properties"))
    seen: set[Any] = set()
    for key in keys:
        if key in declared:
            if _as_map(declared[key]).get("type") in ("array", "object"):
                out.append(errors.crd_map_key_not_scalar(f"{path}.items.properties[{key}].type"))
        else:
            out.append(errors.crd_map_key_not_property(f"{path}.x-kubernetes-list-map-keys", list(keys)))
        if key in seen:
            out.append(errors.crd_map_keys_duplicate(f"{path}.x-kubernetes-list-map-keys", list(keys)))
        seen.add(key)
    return out


def _map_set_errors(raw: Mapping[str, Any], path: str) -> list[FieldError]:
    """``validateMapListKeysMapSet``: set and map items not nullable; map keys required or defaulted."""
    items = raw.get("items")
    list_type = raw.get("x-kubernetes-list-type")
    if not isinstance(items, Mapping) or list_type not in ("set", "map"):
        return []
    out: list[FieldError] = []
    if items.get("nullable") is True:
        out.append(errors.crd_list_items_nullable(f"{path}.items.nullable", list_type))
    if list_type == "map":
        required = set(items.get("required") or [])
        declared = _as_map(items.get("properties"))
        for key in raw.get("x-kubernetes-list-map-keys") or []:
            sub = declared.get(key)
            if not isinstance(sub, Mapping):
                continue
            if key not in required and sub.get("default") is None:
                out.append(errors.crd_map_key_without_default(f"{path}.items.properties[{key}].default"))
            if sub.get("nullable") is True:
                out.append(errors.crd_map_key_nullable(f"{path}.items.properties[{key}].nullable"))
    return out


def _rule_shape_errors(raw: Mapping[str, Any], path: str) -> list[FieldError]:
    """The parts of ``x-kubernetes-validations`` checked without compiling them."""
    out: list[FieldError] = []
    for i, rule in enumerate(raw.get("x-kubernetes-validations") or []):
        rule = _as_map(rule)
        where = f"{path}.x-kubernetes-validations[{i}]"
        text, message = str(rule.get("rule") or ""), str(rule.get("message") or "")
        if not text.strip():
            out.append(errors.cel_rule_not_specified(f"{where}.rule"))
        elif message and not message.strip():
            out.append(errors.crd_rule_message_empty(f"{where}.message", message))
        elif "\n" in message.strip() or "\r" in message.strip():
            out.append(errors.crd_rule_message_line_breaks(f"{where}.message", message))
        elif ("\n" in text.strip() or "\r" in text.strip()) and not message.strip():
            out.append(errors.crd_rule_message_required(f"{where}.message"))
        expression = str(rule.get("messageExpression") or "")
        if expression and not expression.strip():
            out.append(errors.crd_rule_message_expression_empty(f"{where}.messageExpression"))
        if rule.get("reason") is not None and rule["reason"] not in _REASONS:
            out.append(errors.not_supported(f"{where}.reason", rule["reason"], _REASONS))
        field_path = str(rule.get("fieldPath") or "")
        if field_path and not field_path.strip():
            out.append(errors.crd_rule_field_path_empty(f"{where}.fieldPath", field_path))
        if "\n" in field_path or "\r" in field_path:
            out.append(errors.crd_rule_field_path_line_breaks(f"{where}.fieldPath", field_path))
        if field_path and not _field_path_valid(raw, field_path):
            out.append(errors.crd_rule_field_path_invalid(f"{where}.fieldPath", field_path))
    return out


def _field_path_valid(raw: Mapping[str, Any], field_path: str) -> bool:
    if crd_structural.init_error(raw) is not None:
        return True
    try:
        resolve_field_path(field_path, raw, allow_arrays=True)
    except ValueError:
        return False
    return True
