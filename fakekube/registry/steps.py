"""The steps the write pipeline shares: keys, namespaces, validation of an object as a whole, generation.

``create``, ``update`` and ``delete`` (the modules) put these steps in kube-apiserver's order; what
they need of the cluster is the narrow ``RegistryState`` below, which the ``Registry`` provides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.custom_scale import ScaleChecked
from fakekube.kinds.strategy import DEFAULT as DEFAULT_STRATEGY
from fakekube.kinds.strategy import Validate
from fakekube.name_rules import PATH_SEGMENT
from fakekube.registry import objectmeta
from fakekube.registry.admission import Admission
from fakekube.registry.admission_policy_warnings import add_warning
from fakekube.registry.catalog import Catalog
from fakekube.registry.fieldmanager import FieldManager
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import typed_zero
from fakekube.schema.custom_validation import custom_resource_errors
from fakekube.storage import Key, Store

# Fields only the server sets; a create ignores what the body says.
SYSTEM_META = ("uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds",
               "selfLink", "resourceVersion")


class RegistryState(Protocol):
    """What the write pipeline uses of its cluster (``Registry`` provides it)."""

    store: Store
    catalog: Catalog
    admission: Admission
    field_manager: FieldManager

    def now(self) -> float: ...

    def allocate_cluster_ip(self) -> str: ...

    def allocate_node_port(self) -> int: ...


@dataclass(frozen=True)
class DeleteOptions:
    """The preconditions and policies of a delete (``metav1.DeleteOptions``; dry run is in the context)."""

    uid: str | None = None
    resource_version: str | None = None
    propagation_policy: str | None = None
    grace_period_seconds: int | None = None
    orphan_dependents: bool | None = None  # the legacy form of the policy


@dataclass
class Result:
    """A registry answer: the object (JSON bytes, in the version asked for) and warnings to pass on."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    created: bool = False
    accepted: bool = False  # a delete that left the object in place, asked with orphanDependents=false (202)


def add_strategy_warnings(res: ResourceInfo, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
    """The kind's warnings about a write that passed validation, recorded for the running call as
    ``rest.BeforeCreate`` / ``BeforeUpdate`` add them: after the decoder's, before validating admission's."""
    if res.strategy.warnings is not None:
        for text in res.strategy.warnings(obj, old):
            add_warning(text)


def key(res: ResourceInfo, namespace: str, name: str) -> Key:
    return (namespace if res.namespaced else "", name)


def check_namespace(res: ResourceInfo, namespace: str, obj: dict[str, Any]) -> None:
    """The body's namespace must be the request's; cluster-scoped objects have none."""
    meta = obj["metadata"]
    if not res.namespaced:
        meta.pop("namespace", None)
        return
    body_ns = meta.get("namespace")
    if body_ns and namespace and body_ns != namespace:
        raise errors.namespace_mismatch()
    meta["namespace"] = namespace or body_ns or ""


def check_name(obj: dict[str, Any], name: str) -> None:
    """``checkName`` of kube's update and patch handlers: the body names the object the URL names."""
    body_name = obj["metadata"].get("name")
    if not body_name:
        raise errors.name_undeterminable(name)
    if body_name != name:
        raise errors.name_mismatch(body_name, name)


def _name_inputs(res: ResourceInfo, obj: dict[str, Any]) -> tuple[str | None, str]:
    strategy = res.strategy
    required = strategy.required_name(obj) if strategy.required_name is not None else None
    signer = strategy.signer_name(obj) if strategy.signer_name is not None else ""
    return required, signer


def complete_encoding(res: ResourceInfo, obj: dict[str, Any]) -> None:
    """The object as kube-apiserver's typed Go object is written: the fields Go's ``encoding/json`` writes
    even when unset (``status: {}``, ``creationTimestamp: null`` up to v1.33, ``rules: null``...) are added.

    Run on every create and update of a built-in resource, after the strategy has prepared the object and
    before it is validated (kube validates the typed object, in which these fields hold their zero values,
    and compares it with the stored one, which has them).  A custom resource has no Go type: untouched."""
    if not res.is_custom:
        typed_zero.complete_encoding(res.schema_model, obj, res.kubernetes_version)


def invalid_group(res: ResourceInfo) -> str:
    """The group a 422 about ``res`` names (the group of the Go type kube-apiserver validates)."""
    group = res.strategy.invalid_group
    return res.group if group is None else group


def create_errors(res: ResourceInfo, obj: dict[str, Any], schema_errors: list[FieldError]) -> list[FieldError]:
    """Everything wrong with a new object: its metadata, its schema, its kind's rules."""
    strategy = res.strategy
    required, signer = _name_inputs(res, obj)
    out = objectmeta.validate_object_meta_create(
        obj["metadata"], namespaced=res.namespaced, name_rule=strategy.name_rule, required_name=required,
        signer_name=signer, kube_finalizers=strategy.kube_finalizers)
    out.extend(_schema_errors(res, strategy.validate, obj, None, schema_errors, ""))
    out.extend(_kind_errors(res, strategy.validate, obj, None, out))
    return out


def update_errors(res: ResourceInfo, obj: dict[str, Any], old: dict[str, Any], schema_errors: list[FieldError],
                  subresource: str) -> list[FieldError]:
    """Everything wrong with an update: metadata changes, the schema, and the kind's (or the subresource's)
    update rules."""
    strategy = res.strategy
    out = objectmeta.validate_object_meta_update(
        obj["metadata"], old["metadata"], namespaced=res.namespaced, name_rule=strategy.name_rule,
        kube_finalizers=strategy.kube_finalizers)
    sub = res.subresource_strategy(subresource) if subresource else None
    validate = sub.validate if sub is not None and sub.validate is not None else strategy.validate
    out.extend(_schema_errors(res, validate, obj, old, schema_errors, subresource))
    out.extend(_kind_errors(res, validate, obj, old, out))
    return out


# Errors after which a custom resource's CEL rules are not run (apiextensions' ``hasBlockingErr``).
_BLOCKING = frozenset({"FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany",
                       "FieldValueTypeInvalid"})


def _kind_errors(res: ResourceInfo, validate: Validate, obj: dict[str, Any], old: dict[str, Any] | None,
                 found: list[FieldError]) -> list[FieldError]:
    """The kind's own rules.  A custom resource's are its CEL rules (its scale checks ran with the schema's),
    which upstream does not run on an object whose schema errors would make them meaningless: it says so
    instead, when it has rules at all."""
    if not res.is_custom:
        return validate(obj, old)
    rules = validate.rules if isinstance(validate, ScaleChecked) else validate
    if rules is DEFAULT_STRATEGY.validate:
        return []
    if any(e.type in _BLOCKING for e in found):
        return [errors.cel_rules_not_checked()]
    return rules(obj, old)


def _schema_errors(res: ResourceInfo, validate: Validate, obj: dict[str, Any], old: dict[str, Any] | None,
                   decoded: list[FieldError], subresource: str) -> list[FieldError]:
    """A built-in's schema errors are the decoder's.  A custom resource's schema is checked here, on the
    prepared object, as its strategy does: ratcheted against ``old`` on update, then the scale paths'
    values (``validate``'s scale checks), then its embedded resources and its set and map lists
    (``schema.custom_validation``)."""
    if not res.is_custom:
        # ObjectMeta's rules are always ported (``objectmeta``): an owner reference's missing fields are theirs
        decoded = [e for e in decoded if not (e.type == "FieldValueRequired" and e.field.startswith("metadata."))]
        if res.strategy.validation_ported:  # the port reports these itself, worded as upstream
            return [e for e in decoded if e.type not in ("FieldValueRequired", "FieldValueNotSupported")]
        own = res.strategy.own_enum_fields
        if own:
            return [e for e in decoded
                    if not (e.type in ("FieldValueNotSupported", "FieldValueRequired") and e.field in own)]
        return decoded
    scale = validate.check(obj) if isinstance(validate, ScaleChecked) else []
    if res.validator is None:
        return [*decoded, *scale]
    return custom_resource_errors(res.validator, obj, old, meta_errors=_embedded_meta_errors, subresource=subresource,
                                  scale_errors=scale)


def _embedded_meta_errors(meta: dict[str, Any], path: str) -> list[FieldError]:
    """An embedded resource's metadata, checked as on create with path-segment names, under ``path``."""
    found = objectmeta.validate_object_meta_create(meta, namespaced=bool(meta.get("namespace")),
                                                   name_rule=PATH_SEGMENT)
    return [replace(error, field=path + error.field.removeprefix("metadata")) for error in found]


def spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    """What ``metadata.generation`` counts: everything but metadata, status, kind and apiVersion."""
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "kind", "apiVersion")}


def next_generation(obj: dict[str, Any], old: dict[str, Any]) -> None:
    meta = obj["metadata"]
    if "generation" in meta and spec_of(obj) != spec_of(old):
        meta["generation"] = int(meta["generation"]) + 1
