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
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from fakekube.errors import FieldError, forbidden, go_quote, invalid, required, too_long
from fakekube.name_formats import (
    byte_len,
    dns1123_label_errors,
    label_value_errors,
    path_segment_name_errors,
    path_segment_prefix_errors,
    qualified_name_errors,
)
from fakekube.name_rules import NAME_RULE_NAMES, validate_name

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
FIELD_MANAGER_MAX_LENGTH = 128
MAX_SUBRESOURCE_NAME_LENGTH = 256

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"

FINALIZER_ORPHAN_DEPENDENTS = "orphan"
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"

def _generic_name(name: str, prefix: bool) -> list[str]:
    # rest.BeforeCreate/BeforeUpdate's own pass: path segments, prefix-aware.
    return path_segment_prefix_errors(name) if prefix else path_segment_name_errors(name)


# --- pieces of ObjectMeta ---------------------------------------------------------------------


def _str(meta: Mapping[str, Any], key: str) -> str:
    value = meta.get(key)
    return value if isinstance(value, str) else ""


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v if isinstance(v, str) else "" for k, v in value.items()}


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v if isinstance(v, str) else "" for v in value]


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# Fast paths for the common case: keys and values that are plainly valid skip the detailed checks.
# Both patterns bound the name part and the value to 63 ASCII characters; keys longer than 253
# characters (where the prefix length could matter) always take the detailed path.
_VALID_KEY = re.compile(r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?"
                        r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
_VALID_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")


def _plainly_valid_key(key: Any) -> bool:
    return isinstance(key, str) and len(key) <= 253 and _VALID_KEY.fullmatch(key) is not None


def validate_labels(labels: Mapping[str, str] | None, path: str = "metadata.labels") -> list[FieldError]:
    """``ValidateLabels``: each key a qualified name, each value a label value; errors on ``path``."""
    if isinstance(labels, dict) and all(
        _plainly_valid_key(k) and isinstance(v, str) and _VALID_VALUE.fullmatch(v) for k, v in labels.items()
    ):
        return []
    errs: list[FieldError] = []
    items = _str_map(labels)
    for key in sorted(items):
        errs.extend(invalid(path, key, msg) for msg in qualified_name_errors(key))
        value = items[key]
        errs.extend(invalid(path, value, msg) for msg in label_value_errors(value))
    return errs


def annotations_size(annotations: Mapping[str, str]) -> int:
    """Bytes counted against the 256 KiB limit: every key plus every value."""
    return sum(byte_len(k) + byte_len(v) for k, v in annotations.items())


def validate_annotations(
    annotations: Mapping[str, str] | None, path: str = "metadata.annotations"
) -> list[FieldError]:
    """``ValidateAnnotations``: keys are case-insensitive qualified names; 256 KiB in total."""
    if isinstance(annotations, dict) and all(_plainly_valid_key(k) for k in annotations) and sum(
        len(k) + len(v) for k, v in annotations.items() if isinstance(v, str)
    ) * 4 <= TOTAL_ANNOTATION_SIZE_LIMIT:  # four bytes per character at most, so surely under the limit
        return []
    errs: list[FieldError] = []
    items = _str_map(annotations)
    for key in sorted(items):
        errs.extend(invalid(path, key, msg) for msg in qualified_name_errors(key.lower()))
    if annotations_size(items) > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def _parse_group_version(api_version: str) -> tuple[str, str] | None:
    if api_version in ("", "/"):
        return "", ""
    slashes = api_version.count("/")
    if slashes == 0:
        return "", api_version
    if slashes == 1:
        group, version = api_version.split("/")
        return group, version
    return None


def _owner_reference_value(ref: Mapping[str, Any]) -> dict[str, Any]:
    # The Go struct marshals in this order, dropping the unset optional pointers.
    out: dict[str, Any] = {
        "apiVersion": _str(ref, "apiVersion"),
        "kind": _str(ref, "kind"),
        "name": _str(ref, "name"),
        "uid": _str(ref, "uid"),
    }
    for optional in ("controller", "blockOwnerDeletion"):
        if isinstance(ref.get(optional), bool):
            out[optional] = ref[optional]
    return out


def validate_owner_references(
    refs: Sequence[Mapping[str, Any]] | None, path: str = "metadata.ownerReferences"
) -> list[FieldError]:
    """``ValidateOwnerReferences`` as of v1.36: errors on the list path, without an index."""
    errs: list[FieldError] = []
    if not isinstance(refs, list):
        return errs
    entries = [ref if isinstance(ref, Mapping) else {} for ref in refs]
    first_controller = ""
    for ref in entries:
        api_version = _str(ref, "apiVersion")
        kind = _str(ref, "kind")
        name = _str(ref, "name")
        uid = _str(ref, "uid")
        group, version = _parse_group_version(api_version) or ("", "")
        if not version:
            errs.append(invalid(f"{path}.apiVersion", api_version, "version must not be empty"))
        if not kind:
            errs.append(invalid(f"{path}.kind", kind, "must not be empty"))
        if not name:
            errs.append(invalid(f"{path}.name", name, "must not be empty"))
        if not uid:
            errs.append(invalid(f"{path}.uid", uid, "must not be empty"))
        if (group, version, kind) == ("", "v1", "Event"):
            detail = f"{group}/{version}, Kind={kind} is disallowed from being an owner"
            errs.append(invalid(path, _owner_reference_value(ref), detail))
        if ref.get("controller") is True:
            current = f"{kind}/{name}"
            if first_controller:
                detail = (
                    "Only one reference can have Controller set to true. "
                    f'Found "true" in references for {first_controller} and {current}'
                )
                errs.append(invalid(path, [_owner_reference_value(r) for r in entries], detail))
            else:
                first_controller = current
    return errs


def validate_finalizers(finalizers: Sequence[str] | None, path: str = "metadata.finalizers") -> list[FieldError]:
    """``ValidateFinalizers``: qualified names, and not both orphan and foregroundDeletion."""
    errs: list[FieldError] = []
    items = _str_list(finalizers)
    for finalizer in items:
        errs.extend(invalid(path, finalizer, msg) for msg in qualified_name_errors(finalizer))
    if FINALIZER_ORPHAN_DEPENDENTS in items and FINALIZER_DELETE_DEPENDENTS in items:
        detail = (
            f"finalizer {FINALIZER_ORPHAN_DEPENDENTS} and {FINALIZER_DELETE_DEPENDENTS} "
            "cannot be both set"
        )
        errs.append(invalid(path, items, detail))
    return errs


STANDARD_FINALIZERS: frozenset[str] = frozenset(
    {"kubernetes", FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS}
)


def kube_finalizer_errors(finalizers: Sequence[str] | None, path: str = "metadata.finalizers") -> list[FieldError]:
    """kubernetes' extra finalizer rule: one without '/' must be a standard name (indexed paths)."""
    errs: list[FieldError] = []
    for index, finalizer in enumerate(_str_list(finalizers)):
        if "/" not in finalizer and finalizer not in STANDARD_FINALIZERS:
            detail = "name is neither a standard finalizer name nor is it fully qualified"
            errs.append(invalid(f"{path}[{index}]", finalizer, detail))
    return errs


def validate_no_new_finalizers(
    new: Sequence[str] | None, old: Sequence[str] | None, path: str = "metadata.finalizers"
) -> list[FieldError]:
    """``ValidateNoNewFinalizers``: an object being deleted cannot gain finalizers."""
    extra = sorted(set(_str_list(new)) - set(_str_list(old)))
    if not extra:
        return []
    shown = "[]string{" + ", ".join(go_quote(f) for f in extra) + "}"
    detail = f"no new finalizers can be added if the object is being deleted, found new finalizers {shown}"
    return [forbidden(path, detail)]


def _field_manager_errors(manager: str, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if byte_len(manager) > FIELD_MANAGER_MAX_LENGTH:
        errs.append(too_long(path, FIELD_MANAGER_MAX_LENGTH))
    position = 0
    for ch in manager:
        if not ch.isprintable():
            errs.append(invalid(path, manager, f"invalid character U+{ord(ch):04X} (at position {position})"))
        position += byte_len(ch)
    return errs


def validate_managed_fields(
    entries: Sequence[Mapping[str, Any]] | None, path: str = "metadata.managedFields"
) -> list[FieldError]:
    """``ValidateManagedFields`` as of v1.36."""
    errs: list[FieldError] = []
    if not isinstance(entries, list):
        return errs
    for index, entry in enumerate(entries):
        item: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}
        at = f"{path}[{index}]"
        operation = _str(item, "operation")
        if operation not in ("Apply", "Update"):
            errs.append(invalid(f"{at}.operation", operation, "must be `Apply` or `Update`"))
        fields_type = _str(item, "fieldsType")
        if fields_type and fields_type != "FieldsV1":
            errs.append(invalid(f"{at}.fieldsType", fields_type, "must be `FieldsV1`"))
        errs.extend(_field_manager_errors(_str(item, "manager"), f"{at}.manager"))
        if byte_len(_str(item, "subresource")) > MAX_SUBRESOURCE_NAME_LENGTH:
            errs.append(too_long(f"{at}.subresource", MAX_SUBRESOURCE_NAME_LENGTH))
    return errs


# --- create -----------------------------------------------------------------------------------

NameFunc = Callable[[str, bool], list[str]]


def _common_errors(meta: Mapping[str, Any], namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    namespace = _str(meta, "namespace")
    if namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(invalid("metadata.namespace", namespace, msg) for msg in dns1123_label_errors(namespace))
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    generation = _int(meta.get("generation"))
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
    base = _str(meta, "generateName")
    if base:
        errs.extend(invalid("metadata.generateName", base, msg) for msg in name_fn(base, True))
    name = _str(meta, "name")
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
                              "creationTimestamp"})


def _plainly_valid_meta(meta: Mapping[str, Any], namespaced: bool, name_rule: str) -> bool:
    """The common case in one pass: a short plain name, plain labels and annotations, nothing else.

    Everything this accepts, the detailed checks accept too; anything else takes the detailed path.
    """
    if name_rule not in ("dns1123-subdomain", "dns1123-label", "path-segment") or not meta.keys() <= _PLAIN_META_KEYS:
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
    resource_version = _str(new_meta, "resourceVersion")
    if not resource_version:
        errs.append(invalid("metadata.resourceVersion", resource_version, "must be specified for an update"))
    new_generation = _int(new_meta.get("generation"))
    if new_generation < _int(old_meta.get("generation")):
        errs.append(invalid("metadata.generation", new_generation, "must not be decremented"))
    for key in ("name", "namespace", "uid"):
        if _str(new_meta, key) != _str(old_meta, key):
            errs.append(invalid(f"metadata.{key}", _str(new_meta, key), FIELD_IMMUTABLE))
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
    if not _str(out, "uid") and _str(old_meta, "uid"):
        out["uid"] = old_meta["uid"]
    if old_meta.get("creationTimestamp"):
        out["creationTimestamp"] = old_meta["creationTimestamp"]
    if old_meta.get("deletionTimestamp"):
        out["deletionTimestamp"] = old_meta["deletionTimestamp"]
    if old_meta.get("deletionGracePeriodSeconds") is not None and out.get("deletionGracePeriodSeconds") is None:
        out["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]
    return out
