"""What kube-apiserver checks on a CustomResourceDefinition (apiextensions-apiserver's ``validation.go``).

kube-apiserver validates the *internal* form of a CRD, converted from v1: a schema, a set of subresources,
printer columns or selectable fields that every version shares is moved to the top of the spec
(``spec.validation``, ``spec.subresources``, ``spec.additionalPrinterColumns``, ``spec.selectableFields``), and
the errors about it are reported there, not at ``spec.versions[i]``.  ``_Internal`` reproduces that view, so
the field paths are kube's.  Its webhook settings are named as the internal type names them too
(``spec.conversion.webhookClientConfig``).

The names, versions, conversion and status rules are here; the per-version parts (printer columns, scale
paths, selectable fields) are in ``crd_columns``, the schema rules in ``crd_schema_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import GoShown, go_pointer, go_slice_of, go_string_slice, go_struct
from fakekube.kinds import crd_columns, crd_schema_rules, crd_webhook
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj
from fakekube.name_formats import dns1035_label_errors, dns1123_subdomain_errors

_HOISTED = ("schema", "subresources", "additionalPrinterColumns", "selectableFields")
_TOP_LEVEL = {"schema": "validation", "subresources": "subresources",
              "additionalPrinterColumns": "additionalPrinterColumns", "selectableFields": "selectableFields"}


def _empty(value: Any) -> bool:
    """Go's semantic equality: a nil and an empty slice or map are the same."""
    return value is None or value == [] or value == {}


@dataclass
class _Internal:
    """The parts of the internal CRD spec whose place differs from v1."""

    versions: list[dict[str, Any]]
    top: dict[str, Any] = field(default_factory=dict)  # hoisted: "schema", "subresources", ...

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> _Internal:
        versions = [dict(v) if isinstance(v, Mapping) else {} for v in spec.get("versions") or []]
        top: dict[str, Any] = {}
        if versions:
            for key in _HOISTED:
                first = versions[0].get(key)
                if all(_same(v.get(key), first) for v in versions):
                    if not _empty(first):
                        top[key] = first
                    for version in versions:
                        version.pop(key, None)
        return cls(versions, top)

    def status_enabled(self, version: Mapping[str, Any] | None) -> bool:
        """Whether ``version`` (None: any version) has the status subresource."""
        if "subresources" in self.top:
            return "status" in as_dict(self.top["subresources"])
        chosen = [version] if version is not None else self.versions
        return any("status" in as_dict(v.get("subresources")) for v in chosen)


def _same(a: Any, b: Any) -> bool:
    return (_empty(a) and _empty(b)) or a == b


def validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateCustomResourceDefinition`` (``old`` None) or ``ValidateCustomResourceDefinitionUpdate``."""
    spec = as_dict(obj.get("spec"))
    old_spec = as_dict(old.get("spec")) if old is not None else None
    out = _spec_errors(spec, old_spec)
    if old_spec is not None:
        out.extend(_immutable(spec, old_spec, old))
    status = as_dict(obj.get("status"))
    out.extend(names_errors(as_dict(status.get("acceptedNames")), "status.acceptedNames"))
    out.extend(stored_versions_errors(status.get("storedVersions") or [], spec))
    out.extend(_api_approval(obj, old))
    if spec.get("preserveUnknownFields") is True and not (old_spec or {}).get("preserveUnknownFields"):
        out.append(errors.crd_preserve_unknown_fields_set())
    return out


def _spec_errors(spec: Mapping[str, Any], old_spec: Mapping[str, Any] | None) -> list[FieldError]:
    out: list[FieldError] = []
    group = spec.get("group") or ""
    if not group:
        out.append(errors.required("spec.group"))
    elif problems := dns1123_subdomain_errors(group):
        out.append(errors.invalid("spec.group", group, ",".join(problems)))
    elif len(group.split(".")) < 2:
        out.append(errors.crd_group_not_domain(group))
    scope = spec.get("scope") or ""
    if not scope:
        out.append(errors.required("spec.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        out.append(errors.not_supported("spec.scope", scope, ["Cluster", "Namespaced"]))
    internal = _Internal.of(spec)
    opts = crd_schema_rules.Options.for_update(old_spec)
    if "schema" not in internal.top and opts.require_schema:
        for i, version in enumerate(internal.versions):
            if not isinstance(as_dict(version.get("schema")).get("openAPIV3Schema"), Mapping):
                out.append(errors.required(f"spec.versions[{i}].schema.openAPIV3Schema"))
    preserve = spec.get("preserveUnknownFields") is True
    if preserve and crd_schema_rules.spec_has_defaults(spec):
        out.append(errors.crd_defaults_with_preserve_unknown_fields())
    storage = 0
    seen: set[str] = set()
    unique = True
    for i, version in enumerate(internal.versions):
        name = version.get("name") or ""
        storage += version.get("storage") is True
        unique = unique and name not in seen
        seen.add(name)
        if problems := dns1035_label_errors(name):
            out.append(errors.invalid(f"spec.versions[{i}].name", name, ",".join(problems)))
        out.extend(_version_errors(version, f"spec.versions[{i}]", internal, opts))
    versions_shown = _go_versions(internal.versions)
    if not unique:
        out.append(errors.invalid_go_value("spec.versions", versions_shown, errors.CRD_UNIQUE_VERSIONS))
    if storage != 1:
        out.append(errors.invalid_go_value("spec.versions", versions_shown, errors.CRD_STORAGE_VERSION_COUNT))
    if internal.versions:  # the internal spec.version is the first version's name
        first = internal.versions[0].get("name") or ""
        if first and (problems := dns1035_label_errors(first)):
            out.append(errors.invalid("spec.version", first, ",".join(problems)))
    names = as_dict(spec.get("names"))
    names = {**names, "singular": names.get("singular") or str(names.get("kind") or "").lower(),
             "listKind": names.get("listKind") or (f"{names['kind']}List" if names.get("kind") else "")}
    for key in ("plural", "singular", "kind", "listKind"):
        if not names.get(key):
            out.append(errors.required(f"spec.names.{key}"))
    out.extend(names_errors(names, "spec.names"))
    if "schema" in internal.top:
        out.extend(crd_schema_rules.validation_errors(as_dict(internal.top["schema"]), "spec.validation",
                                                      internal.status_enabled(None), opts))
    out.extend(crd_columns.subresources_errors(internal.top.get("subresources"), "spec.subresources"))
    for i, column in enumerate(internal.top.get("additionalPrinterColumns") or []):
        out.extend(crd_columns.column_errors(as_dict(column), f"spec.additionalPrinterColumns[{i}]"))
    if fields := internal.top.get("selectableFields"):
        if "schema" not in internal.top:
            out.append(errors.crd_selectable_fields_without_schema("spec.selectableFields"))
        else:
            root = as_dict(as_dict(internal.top["schema"]).get("openAPIV3Schema"))
            out.extend(crd_columns.selectable_fields_errors(fields, root, "spec.selectableFields",
                                                            opts.allow_too_many_selectable.get("", False)))
    conversion = as_dict(spec.get("conversion")) or {"strategy": "None"}
    if conversion.get("strategy") != "None" and preserve:
        out.append(errors.crd_conversion_with_preserve_unknown_fields(conversion.get("strategy")))
    out.extend(crd_webhook.conversion_errors(conversion, old_spec))
    return out


def _version_errors(version: Mapping[str, Any], path: str, internal: _Internal,
                    opts: crd_schema_rules.Options) -> list[FieldError]:
    out: list[FieldError] = []
    warning = version.get("deprecationWarning")
    for problem in _deprecation_warning_errors(version.get("deprecated") is True, warning):
        out.append(errors.invalid(f"{path}.deprecationWarning", warning, problem))
    schema = version.get("schema")
    if isinstance(schema, Mapping):
        out.extend(crd_schema_rules.validation_errors(schema, f"{path}.schema", internal.status_enabled(version),
                                                      opts, str(version.get("name") or "")))
    out.extend(crd_columns.subresources_errors(version.get("subresources"), f"{path}.subresources"))
    for i, column in enumerate(version.get("additionalPrinterColumns") or []):
        out.extend(crd_columns.column_errors(as_dict(column), f"{path}.additionalPrinterColumns[{i}]"))
    if fields := version.get("selectableFields"):
        root = as_dict(schema).get("openAPIV3Schema") if isinstance(schema, Mapping) else None
        if not isinstance(root, Mapping):
            out.append(errors.crd_version_selectable_fields_without_schema(f"{path}.selectableFields"))
        else:
            allowed = opts.allow_too_many_selectable.get(str(version.get("name") or ""), False)
            out.extend(crd_columns.selectable_fields_errors(fields, root, f"{path}.selectableFields", allowed))
    return out


def _deprecation_warning_errors(deprecated: bool, warning: Any) -> list[str]:
    if warning is None:
        return []
    if not deprecated:
        return [errors.CRD_DEPRECATION_WARNING_NOT_DEPRECATED]
    text = str(warning)
    out: list[str] = []
    if len(text.encode()) > 256:
        out.append(errors.CRD_DEPRECATION_WARNING_TOO_LONG)
    if not text:
        out.append(errors.CRD_DEPRECATION_WARNING_EMPTY)
    offset = 0
    for char in text:
        if not char.isprintable() and char != " ":
            kind = "control" if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 else "non-printable"
            out.append(errors.crd_deprecation_warning_unprintable(kind, offset))
            break
        offset += len(char.encode())
    return out


def names_errors(names: Mapping[str, Any], path: str) -> list[FieldError]:
    """``ValidateCustomResourceDefinitionNames`` (spec.names and status.acceptedNames)."""
    out: list[FieldError] = []
    for key in ("plural", "singular"):
        value = str(names.get(key) or "")
        if value and (problems := dns1035_label_errors(value)):
            out.append(errors.invalid(f"{path}.{key}", value, ",".join(problems)))
    for key in ("kind", "listKind"):
        value = str(names.get(key) or "")
        if value and (problems := dns1035_label_errors(value.lower())):
            out.append(errors.kind_name_invalid(f"{path}.{key}", value, problems))
    for i, short in enumerate(names.get("shortNames") or []):
        if problems := dns1035_label_errors(str(short)):
            out.append(errors.invalid(f"{path}.shortNames[{i}]", short, ",".join(problems)))
    if names.get("kind") and names.get("kind") == names.get("listKind"):
        out.append(errors.crd_list_kind_same_as_kind(f"{path}.listKind", names["listKind"]))
    for i, category in enumerate(names.get("categories") or []):
        if problems := dns1035_label_errors(str(category)):
            out.append(errors.invalid(f"{path}.categories[{i}]", category, ",".join(problems)))
    return out


def stored_versions_errors(stored: list[Any], spec: Mapping[str, Any]) -> list[FieldError]:
    """``ValidateCustomResourceDefinitionStoredVersions``."""
    path = "status.storedVersions"
    shown = go_string_slice(stored or None)
    if not stored:
        return [errors.crd_no_stored_versions(path, shown)]
    remaining = {v: i for i, v in enumerate(stored)}
    out: list[FieldError] = []
    for version in spec.get("versions") or []:
        name = as_dict(version).get("name")
        if as_dict(version).get("storage") is True and name not in remaining:
            out.append(errors.crd_storage_version_not_stored(path, shown, name))
        remaining.pop(name, None)
    out.extend(errors.crd_stored_version_missing(f"{path}[{i}]", v) for v, i in remaining.items())
    return out


def _immutable(spec: Mapping[str, Any], old_spec: Mapping[str, Any], old: Obj | None) -> list[FieldError]:
    """Scope and kind once the CRD is established; group and plural always (they name the resource)."""
    checks: list[tuple[str, Any, Any]] = []
    conditions = as_dict((old or {}).get("status")).get("conditions") or []
    if any(as_dict(c).get("type") == "Established" and as_dict(c).get("status") == "True" for c in conditions):
        checks += [("spec.scope", spec.get("scope"), old_spec.get("scope")),
                   ("spec.names.kind", as_dict(spec.get("names")).get("kind"),
                    as_dict(old_spec.get("names")).get("kind"))]
    checks += [("spec.group", spec.get("group"), old_spec.get("group")),
               ("spec.names.plural", as_dict(spec.get("names")).get("plural"),
                as_dict(old_spec.get("names")).get("plural"))]
    return [errors.crd_field_immutable(path, new or "") for path, new, was in checks if new != was]


def _api_approval(obj: Obj, old: Obj | None) -> list[FieldError]:
    """Groups under k8s.io and kubernetes.io need the ``api-approved.kubernetes.io`` annotation."""
    group = str(as_dict(obj.get("spec")).get("group") or "")
    if not any(group == g or group.endswith("." + g) for g in ("k8s.io", "kubernetes.io")):
        return []
    state = _approval_state(obj)
    if old is not None and _approval_state(old) == state:
        return []
    path = f"metadata.annotations[{errors.CRD_API_APPROVAL}]"
    if state == "missing":
        return [errors.required(path, errors.CRD_APPROVAL_MISSING)]
    if state == "invalid":
        value = as_dict(as_dict(obj.get("metadata")).get("annotations")).get(errors.CRD_API_APPROVAL, "")
        return [errors.invalid(path, value, errors.CRD_APPROVAL_INVALID)]
    return []


def _approval_state(obj: Obj) -> str:
    value = str(as_dict(as_dict(obj.get("metadata")).get("annotations")).get(errors.CRD_API_APPROVAL) or "")
    if not value:
        return "missing"
    if value.startswith("unapproved"):
        return "bypassed"
    parts = urlsplit(value) if value.startswith("/") or "://" in value else None
    return "approved" if parts is not None and parts.scheme and parts.netloc else "invalid"


def _go_versions(versions: list[dict[str, Any]]) -> GoShown:
    """The internal ``[]CustomResourceDefinitionVersion`` (fields all versions share already lifted to the spec).

    Its ``%#v`` shows pointers as nil or a fixed address and elides filled slices; its JSON writes the fields
    under their Go names.  A stand-in remains: a version's own schema is written as sent, not as the internal
    ``JSONSchemaProps`` (every field, Go names) would be."""
    def pointer(kind: str, value: Any) -> GoShown:
        return go_pointer(kind, value, "0xc000000000")

    def slice_of(kind: str, value: Any, fields: tuple[tuple[str, str, Any], ...]) -> GoShown:
        if not value:
            return GoShown(f"[]{kind}(nil)", None)
        items = [{go: as_dict(item).get(key, zero) for go, key, zero in fields} for item in value]
        return GoShown(f"[]{kind}{{...}}", items)

    items = []
    for v in versions:
        schema = v.get("schema")
        subresources = v.get("subresources")
        items.append(go_struct("apiextensions.CustomResourceDefinitionVersion", [
            ("Name", str(v.get("name") or "")), ("Served", v.get("served") is True),
            ("Storage", v.get("storage") is True), ("Deprecated", v.get("deprecated") is True),
            ("DeprecationWarning", pointer("string", v.get("deprecationWarning"))),
            ("Schema", pointer("apiextensions.CustomResourceValidation", None if schema is None
                               else {"OpenAPIV3Schema": as_dict(schema).get("openAPIV3Schema")})),
            ("Subresources", pointer("apiextensions.CustomResourceSubresources",
                                     None if subresources is None else _subresources_json(as_dict(subresources)))),
            ("AdditionalPrinterColumns", slice_of("apiextensions.CustomResourceColumnDefinition",
                                                  v.get("additionalPrinterColumns"), _COLUMN_FIELDS)),
            ("SelectableFields", slice_of("apiextensions.SelectableField", v.get("selectableFields"),
                                          (("JSONPath", "jsonPath", ""),)))]))
    return go_slice_of("apiextensions.CustomResourceDefinitionVersion", items)


_COLUMN_FIELDS = (("Name", "name", ""), ("Type", "type", ""), ("Format", "format", ""),
                  ("Description", "description", ""), ("Priority", "priority", 0), ("JSONPath", "jsonPath", ""))


def _subresources_json(subresources: dict[str, Any]) -> dict[str, Any]:
    """The internal ``CustomResourceSubresources`` as JSON."""
    scale = subresources.get("scale")
    return {"Status": None if subresources.get("status") is None else {},
            "Scale": None if not isinstance(scale, dict) else {
                "SpecReplicasPath": scale.get("specReplicasPath", ""),
                "StatusReplicasPath": scale.get("statusReplicasPath", ""),
                "LabelSelectorPath": scale.get("labelSelectorPath")}}

