"""The pieces of ObjectMeta, validated with kube-apiserver v1.36's rules and wording.

Labels, annotations, owner references, finalizers and managed fields, each checked by a pure
function returning the ``FieldError``s upstream reports (``k8s.io/apimachinery/pkg/api/validation``
and kubernetes' own finalizer rule).  ``objectmeta`` combines them for creates and updates.

Map keys (labels, annotations) are checked in sorted order: Go walks maps in random order, so
any order is faithful and sorted is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fakekube.errors import FieldError, forbidden, invalid, required, too_long
from fakekube.go_text import go_quote, go_typed_json
from fakekube.name_formats import byte_len, label_value_errors, qualified_name_errors
from fakekube.versions import served_minor

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
FIELD_MANAGER_MAX_LENGTH = 128
MAX_SUBRESOURCE_NAME_LENGTH = 256

FINALIZER_ORPHAN_DEPENDENTS = "orphan"
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"


# --- pieces of ObjectMeta ---------------------------------------------------------------------


def str_field(meta: Mapping[str, Any], key: str) -> str:
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


def int_field(value: Any) -> int:
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
        "apiVersion": str_field(ref, "apiVersion"),
        "kind": str_field(ref, "kind"),
        "name": str_field(ref, "name"),
        "uid": str_field(ref, "uid"),
    }
    for optional in ("controller", "blockOwnerDeletion"):
        if isinstance(ref.get(optional), bool):
            out[optional] = ref[optional]
    return out


def validate_owner_references(
    refs: Sequence[Mapping[str, Any]] | None, path: str = "metadata.ownerReferences"
) -> list[FieldError]:
    """``ValidateOwnerReferences``, as the release served words it: from v1.37 each reference's errors are
    on its own index and a missing value is required; before, they are on the list path, without an index,
    as invalid values ("kind must not be empty" in v1.33, "must not be empty" after)."""
    errs: list[FieldError] = []
    if not isinstance(refs, list):
        return errs
    minor = served_minor()
    entries = [ref if isinstance(ref, Mapping) else {} for ref in refs]
    first_controller = ""
    for index, ref in enumerate(entries):
        api_version = str_field(ref, "apiVersion")
        kind = str_field(ref, "kind")
        name = str_field(ref, "name")
        uid = str_field(ref, "uid")
        group, version = _parse_group_version(api_version) or ("", "")
        if minor >= 37:
            at = f"{path}[{index}]"
            if not api_version:
                errs.append(required(f"{at}.apiVersion", "must not be empty"))
            elif not version:
                errs.append(invalid(f"{at}.apiVersion", api_version, "must be <group>/<version> or <version>"))
            errs.extend(required(f"{at}.{field}", "must not be empty")
                        for field, value in (("kind", kind), ("name", name), ("uid", uid)) if not value)
        else:
            at = path
            if not version:
                errs.append(invalid(f"{at}.apiVersion", api_version, "version must not be empty"))
            errs.extend(invalid(f"{at}.{field}", value, f"{field} must not be empty" if minor <= 33 else
                                "must not be empty")
                        for field, value in (("kind", kind), ("name", name), ("uid", uid)) if not value)
        if (group, version, kind) == ("", "v1", "Event"):
            detail = f"{group}/{version}, Kind={kind} is disallowed from being an owner"
            errs.append(invalid(at, go_typed_json(_owner_reference_value(ref)), detail))
        if ref.get("controller") is True:
            current = f"{kind}/{name}"
            if first_controller:
                detail = (
                    "Only one reference can have Controller set to true. "
                    f'Found "true" in references for {first_controller} and {current}'
                )
                errs.append(invalid(path, go_typed_json([_owner_reference_value(r) for r in entries]), detail))
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


def field_manager_errors(manager: str, path: str) -> list[FieldError]:
    """``ValidateFieldManager``: at most 128 bytes, printable characters only (the byte position of each other)."""
    if manager.isprintable() and len(manager) <= FIELD_MANAGER_MAX_LENGTH // 4:
        return []  # the common case, decided without counting bytes
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
        operation = str_field(item, "operation")
        if operation not in ("Apply", "Update"):
            errs.append(invalid(f"{at}.operation", operation, "must be `Apply` or `Update`"))
        fields_type = str_field(item, "fieldsType")
        if fields_type and fields_type != "FieldsV1":
            errs.append(invalid(f"{at}.fieldsType", fields_type, "must be `FieldsV1`"))
        errs.extend(field_manager_errors(str_field(item, "manager"), f"{at}.manager"))
        if byte_len(str_field(item, "subresource")) > MAX_SUBRESOURCE_NAME_LENGTH:
            errs.append(too_long(f"{at}.subresource", MAX_SUBRESOURCE_NAME_LENGTH))
    return errs
