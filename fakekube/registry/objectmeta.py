"""ObjectMeta validation with kube-apiserver v1.36's rules and wording.

Pure functions over plain JSON metadata (``Mapping[str, Any]``).  Each returns the
``FieldError`` list the apiserver would report, in its order, so a caller can hand it to
``errors.invalid_object``.  The rules follow ``k8s.io/apimachinery`` v0.36 (``api/validation``
ObjectMeta checks, ``util/validation`` name formats, ``api/validate/content`` label rules) and
the per-kind name functions of kubernetes v1.36.

How the apiserver combines these on create (``rest.BeforeCreate``)::

    name generation  ->  kind strategy: ObjectMeta with the kind's name rule + spec checks
                     ->  only if that found nothing: ObjectMeta again with the path-segment rule

``validate_object_meta_create`` does the first ObjectMeta pass and, when it finds nothing, the
second one (``generic_pass=False`` leaves it to the caller, who must then skip it whenever spec
checks failed).  The second pass only ever adds errors for kinds whose own rule is "none".

On update (``rest.BeforeUpdate``) the apiserver copies a few system fields from the stored object
(``apply_update_system_fields``), then runs the path-segment ObjectMeta pass plus the update
checks (``validate_object_meta_update(..., namespaced=...)``), then the kind's own update
validation, which usually repeats the update checks; duplicates stay in ``causes`` but are
dropped from the message.

Map keys (labels, annotations) are checked in sorted order: Go walks maps in random order, so
any order is faithful and sorted is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from fakekube.errors import FieldError, forbidden, invalid, required
from fakekube.name_formats import (
    dns1123_label_errors,
    path_segment_name_errors,
    path_segment_prefix_errors,
)
from fakekube.name_rules import NAME_RULE_NAMES, validate_name
from fakekube.registry.metadata_fields import (
    int_field,
    kube_finalizer_errors,
    str_field,
    validate_annotations,
    validate_finalizers,
    validate_labels,
    validate_managed_fields,
    validate_no_new_finalizers,
    validate_owner_references,
)

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"


def _generic_name(name: str, prefix: bool) -> list[str]:
    # rest.BeforeCreate/BeforeUpdate's own pass: path segments, prefix-aware.
    return path_segment_prefix_errors(name) if prefix else path_segment_name_errors(name)


# --- create -----------------------------------------------------------------------------------

NameFunc = Callable[[str, bool], list[str]]


def _common_errors(meta: Mapping[str, Any], namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    namespace = str_field(meta, "namespace")
    if namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(invalid("metadata.namespace", namespace, msg) for msg in dns1123_label_errors(namespace))
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    generation = int_field(meta.get("generation"))
    if generation < 0:
        errs.append(invalid("metadata.generation", generation, IS_NEGATIVE))
    errs.extend(validate_labels(meta.get("labels")))
    errs.extend(validate_annotations(meta.get("annotations")))
    errs.extend(validate_owner_references(meta.get("ownerReferences")))
    errs.extend(validate_finalizers(meta.get("finalizers")))
    errs.extend(validate_managed_fields(meta.get("managedFields")))
    return errs


def _accessor_errors(meta: Mapping[str, Any], namespaced: bool, name_fn: NameFunc) -> list[FieldError]:
    errs = _name_errors(meta, name_fn)
    errs.extend(_common_errors(meta, namespaced))
    return errs


def _name_errors(meta: Mapping[str, Any], name_fn: NameFunc) -> list[FieldError]:
    errs: list[FieldError] = []
    base = str_field(meta, "generateName")
    if base:
        errs.extend(invalid("metadata.generateName", base, msg) for msg in name_fn(base, True))
    name = str_field(meta, "name")
    if not name:
        errs.append(required("metadata.name", "name or generateName is required"))
    else:
        errs.extend(invalid("metadata.name", name, msg) for msg in name_fn(name, False))
    return errs


def validate_object_meta_generic(meta: Mapping[str, Any], *, namespaced: bool) -> list[FieldError]:
    """The apiserver's own ObjectMeta pass (path-segment names), run after the kind's checks."""
    return _accessor_errors(meta, namespaced, _generic_name)


def validate_object_meta_create(
    meta: Mapping[str, Any],
    *,
    namespaced: bool,
    name_rule: str,
    required_name: str | None = None,
    signer_name: str = "",
    kube_finalizers: bool = False,
    generic_pass: bool = True,
) -> list[FieldError]:
    """ObjectMeta checks on create, after name generation (``ValidateObjectMeta``).

    Reports, in order: generateName format, name required/format, namespace required (namespaced)
    or forbidden (cluster-scoped), generation >= 0, labels, annotations, ownerReferences,
    finalizers, managedFields; then, with ``kube_finalizers`` (see ``kube_finalizer_check_for``),
    finalizers without '/' that are not standard.  ``generic_pass`` appends the apiserver's
    path-segment pass when the kind's pass found nothing (see the module doc).
    """
    if name_rule not in NAME_RULE_NAMES:
        raise ValueError(f"unknown name rule {name_rule!r}; expected one of {sorted(NAME_RULE_NAMES)}")
    if _plainly_valid_meta(meta, namespaced, name_rule):
        return []

    def kind_name(name: str, prefix: bool) -> list[str]:
        return validate_name(name, name_rule, prefix=prefix, required_name=required_name, signer_name=signer_name)

    errs = _accessor_errors(meta, namespaced, kind_name)
    if kube_finalizers:
        errs.extend(kube_finalizer_errors(meta.get("finalizers")))
    if not errs and generic_pass:
        # The second pass repeats the checks above with path-segment names; only the name checks can
        # differ, and they come first in its order, so checking the names alone gives the same result.
        errs = _name_errors(meta, _generic_name)
    return errs


_PLAIN_NAME = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?")  # a DNS-1123 label: valid under every common rule
_PLAIN_META_KEYS = frozenset({"name", "namespace", "labels", "annotations", "resourceVersion", "uid",
                              "creationTimestamp", "generation"})


def _plainly_valid_meta(meta: Mapping[str, Any], namespaced: bool, name_rule: str) -> bool:
    """The common case in one pass: a short plain name, plain labels and annotations, nothing else.

    Everything this accepts, the detailed checks accept too; anything else takes the detailed path.
    """
    if name_rule not in ("dns1123-subdomain", "dns1123-label", "path-segment") or not meta.keys() <= _PLAIN_META_KEYS:
        return False
    generation = meta.get("generation", 0)
    if type(generation) is not int or generation < 0:
        return False
    name, namespace = meta.get("name"), meta.get("namespace")
    if not isinstance(name, str) or _PLAIN_NAME.fullmatch(name) is None:
        return False
    if namespaced != (isinstance(namespace, str) and _PLAIN_NAME.fullmatch(namespace) is not None):
        return False
    if not namespaced and namespace:
        return False
    labels, annotations = meta.get("labels"), meta.get("annotations")
    if labels is not None and validate_labels(labels):
        return False
    return annotations is None or not validate_annotations(annotations)


# --- update -----------------------------------------------------------------------------------


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _time_value(value: Any) -> Any:
    """How Go marshals a metav1.Time: RFC 3339 in UTC to the second, or null when unset."""
    parsed = _parse_time(value)
    if parsed is None:
        return value if isinstance(value, str) and value else None
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def _same_time(new: Any, old: Any) -> bool:
    new_t, old_t = _parse_time(new), _parse_time(old)
    if new_t is None or old_t is None:
        return bool(_time_value(new) == _time_value(old))
    return new_t == old_t


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validate_object_meta_update(
    new_meta: Mapping[str, Any],
    old_meta: Mapping[str, Any],
    *,
    namespaced: bool | None = None,
    name_rule: str | None = None,
    kube_finalizers: bool = False,
) -> list[FieldError]:
    """ObjectMeta checks on update (``ValidateObjectMetaUpdate``).

    Reports, in order: new finalizers on an object being deleted, missing resourceVersion,
    decremented generation, changed name / namespace / uid / creationTimestamp /
    deletionTimestamp / deletionGracePeriodSeconds (``field is immutable``), then labels,
    annotations, ownerReferences, managedFields of the new object; then, with
    ``kube_finalizers``, non-standard finalizers without '/'.

    With ``namespaced`` given, first runs the create checks with the path-segment rule, as
    ``rest.BeforeUpdate`` does (which repeats label and annotation errors, as upstream does).
    Apply ``apply_update_system_fields`` first to get the apiserver's view of the new object.

    ``name_rule`` is accepted for symmetry with create and checked for being a known rule, but
    not applied: names are immutable, and the apiserver's update path re-checks them only as
    path segments (StatefulSet, for one, deliberately skips its stricter rule on update).
    """
    if name_rule is not None and name_rule not in NAME_RULE_NAMES:
        raise ValueError(f"unknown name rule {name_rule!r}; expected one of {sorted(NAME_RULE_NAMES)}")
    errs: list[FieldError] = []
    if namespaced is not None:
        errs.extend(validate_object_meta_generic(new_meta, namespaced=namespaced))
    if old_meta.get("deletionTimestamp"):
        errs.extend(validate_no_new_finalizers(new_meta.get("finalizers"), old_meta.get("finalizers")))
    resource_version = str_field(new_meta, "resourceVersion")
    if not resource_version:
        errs.append(invalid("metadata.resourceVersion", resource_version, "must be specified for an update"))
    new_generation = int_field(new_meta.get("generation"))
    if new_generation < int_field(old_meta.get("generation")):
        errs.append(invalid("metadata.generation", new_generation, "must not be decremented"))
    for key in ("name", "namespace", "uid"):
        if str_field(new_meta, key) != str_field(old_meta, key):
            errs.append(invalid(f"metadata.{key}", str_field(new_meta, key), FIELD_IMMUTABLE))
    for key in ("creationTimestamp", "deletionTimestamp"):
        if not _same_time(new_meta.get(key), old_meta.get(key)):
            errs.append(invalid(f"metadata.{key}", _time_value(new_meta.get(key)), FIELD_IMMUTABLE))
    new_grace = _optional_int(new_meta.get("deletionGracePeriodSeconds"))
    if new_grace != _optional_int(old_meta.get("deletionGracePeriodSeconds")):
        errs.append(invalid("metadata.deletionGracePeriodSeconds", new_grace, FIELD_IMMUTABLE))
    errs.extend(validate_labels(new_meta.get("labels")))
    errs.extend(validate_annotations(new_meta.get("annotations")))
    errs.extend(validate_owner_references(new_meta.get("ownerReferences")))
    errs.extend(validate_managed_fields(new_meta.get("managedFields")))
    if kube_finalizers:
        errs.extend(kube_finalizer_errors(new_meta.get("finalizers")))
    return errs


def apply_update_system_fields(new_meta: Mapping[str, Any], old_meta: Mapping[str, Any]) -> dict[str, Any]:
    """What ``rest.BeforeUpdate`` copies from the stored object before validating an update.

    generation always; uid when the request has none; creationTimestamp and deletionTimestamp
    when the stored object has them; deletionGracePeriodSeconds when the request drops it.
    Returns a new dict; the inputs are not changed.
    """
    out = dict(new_meta)
    if "generation" in old_meta:
        out["generation"] = old_meta["generation"]
    else:
        out.pop("generation", None)
    if not str_field(out, "uid") and str_field(old_meta, "uid"):
        out["uid"] = old_meta["uid"]
    if old_meta.get("creationTimestamp"):
        out["creationTimestamp"] = old_meta["creationTimestamp"]
    if old_meta.get("deletionTimestamp"):
        out["deletionTimestamp"] = old_meta["deletionTimestamp"]
    if old_meta.get("deletionGracePeriodSeconds") is not None and out.get("deletionGracePeriodSeconds") is None:
        out["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]
    return out
