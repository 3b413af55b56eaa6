"""Server-side apply's errors, as apimachinery's managedfields and the patch handler word them."""

from __future__ import annotations

from fakekube.errors.status import StatusError, bad_request
from fakekube.go_text import go_quote


def apply_conflicts(conflicts: list[tuple[str, str, str]]) -> StatusError:
    """409 of an apply that would change fields other managers own.  ``conflicts`` holds (the manager's
    identity as kube sorts it, the manager as kube prints it, the field path), in the order found."""
    causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {printed}", "field": path}
              for _, printed, path in conflicts]
    if len(conflicts) == 1:
        message = f"Apply failed with 1 conflict: conflict with {conflicts[0][1]}: {conflicts[0][2]}"
    else:
        by_manager: dict[str, tuple[str, list[str]]] = {}
        for key, printed, path in conflicts:
            by_manager.setdefault(key, (printed, []))[1].append(path)
        lines: list[str] = []
        for key in sorted(by_manager):
            printed, paths = by_manager[key]
            lines.append(f"conflicts with {printed}:")
            lines.extend(f"- {path}" for path in paths)
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return StatusError(409, "Conflict", message, causes=causes)


def managed_fields_must_be_nil() -> StatusError:
    return bad_request("metadata.managedFields must be nil")


def invalid_apply_object_type(group_version_kind: str) -> StatusError:
    return bad_request(f"invalid object type: {group_version_kind}")


def apply_yaml_error(detail: str) -> StatusError:
    return bad_request(f"error decoding YAML: {detail}")


def patch_encoding_error(detail: str) -> StatusError:
    """An apply body that is not YAML, refused as it is turned into JSON for the audit log."""
    return bad_request(f"error encoding patch: {detail}")


def apply_strict_yaml_error(detail: str) -> StatusError:
    return bad_request(f"error strict decoding patch: {detail}")


def typed_patch_object_error(namespace: str, name: str, group_version_kind: str, detail: str) -> StatusError:
    """A configuration that does not fit the schema's list and map semantics: kube-apiserver answers a
    plain error (500, no reason) from structured-merge-diff's typed conversion."""
    return StatusError(500, "", f"failed to create typed patch object ({namespace}/{name}; {group_version_kind}): "
                                f"{detail}")


def decode_managed_fields_error(detail: str) -> StatusError:
    return StatusError(500, "", f"failed to decode managed fields: {detail}")


def apply_yaml_duplicate_keys(duplicates: list[tuple[int, str]]) -> str:
    """What sigs.k8s.io/yaml's strict reading of an apply body says of keys set twice in one map, as
    (line, key): refused under ``fieldValidation=Strict``, a warning under ``Warn``."""
    lines = "".join(f"\n  line {line}: key {go_quote(key)} already set in map" for line, key in duplicates)
    return f"error converting YAML to JSON: yaml: unmarshal errors:{lines}"


__all__ = [
    "apply_conflicts", "apply_strict_yaml_error", "apply_yaml_duplicate_keys", "apply_yaml_error",
    "decode_managed_fields_error",
    "invalid_apply_object_type", "managed_fields_must_be_nil", "patch_encoding_error", "typed_patch_object_error",
]
