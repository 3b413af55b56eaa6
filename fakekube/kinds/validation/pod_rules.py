"""The rules of a Pod beyond its spec: ``ValidatePodCreate`` and ``ValidatePodUpdate``.

Why: a Pod is validated as its spec (``pod_template.validate_pod_spec``) plus what only a Pod has: its
annotations, images without surrounding whitespace, no ephemeral containers on create, no node while
gated; and on update a spec that is immutable but for images, the active deadline (lowered), added
tolerations and removed scheduling gates.  (Upstream appends a ``cmp.Diff`` of the specs to the
"pod updates may not change fields" error; fakekube cannot render Go's diff and stops at the sentence.)
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.go_text import go_string_map
from fakekube.kinds.validation.pod_annotations import (
    APPARMOR_CONTAINER,
    MIRROR,
    apparmor_annotations_match,
    pod_annotations,
    seccomp_annotations_match,
)
from fakekube.kinds.validation.pod_containers import image_whitespace
from fakekube.kinds.validation.pod_scheduling import validate_tolerations
from fakekube.kinds.validation.pod_template import MAX_INT32, validate_pod_spec
from fakekube.kinds.validation.pod_values import as_dict


def _metadata_and_spec(pod: dict[str, Any]) -> list[FieldError]:
    """``validatePodMetadataAndSpec`` without the ObjectMeta checks (the registry makes those)."""
    meta, spec = as_dict(pod.get("metadata")), as_dict(pod.get("spec"))
    out = pod_annotations(meta, spec, "metadata.annotations")
    out.extend(validate_pod_spec(spec, "spec", resource_is_pod=True, pod_name=str(meta.get("name") or ""),
                                 schema_checked=False))
    for field in ("containers", "initContainers"):
        for i, container in enumerate(spec.get(field) or []):
            if isinstance(container, dict):
                out.extend(image_whitespace(container, f"spec.{field}[{i}]"))
    return out


def validate_pod_create(pod: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodCreate``."""
    meta, spec = as_dict(pod.get("metadata")), as_dict(pod.get("spec"))
    out = _metadata_and_spec(pod)
    if spec.get("ephemeralContainers"):
        out.append(errors.forbidden("spec.ephemeralContainers", msg.EPHEMERAL_ON_CREATE))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        out.append(errors.forbidden("spec.nodeName", msg.NODE_NAME_WITH_GATES))
    out.extend(seccomp_annotations_match(meta, spec, "spec"))
    out.extend(apparmor_annotations_match(meta, spec, "spec"))
    return out


def _annotation_updates(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodSpecificAnnotationUpdates``: the mirror and AppArmor annotations are fixed at creation."""
    new_annotations = as_dict(as_dict(new.get("metadata")).get("annotations"))
    old_annotations = as_dict(as_dict(old.get("metadata")).get("annotations"))
    out: list[FieldError] = []
    for key, value in old_annotations.items():
        if new_annotations.get(key, None) == value and key in new_annotations:
            continue
        if key.startswith(APPARMOR_CONTAINER):
            out.append(errors.forbidden(f"metadata.annotations[{key}]", msg.APPARMOR_ANNOTATION_CHANGED))
        if key == MIRROR:
            out.append(errors.forbidden(f"metadata.annotations[{key}]", msg.MIRROR_ANNOTATION_CHANGED))
    for key in new_annotations:
        if key in old_annotations:
            continue
        if key.startswith(APPARMOR_CONTAINER):
            out.append(errors.forbidden(f"metadata.annotations[{key}]", msg.APPARMOR_ANNOTATION_ADDED))
        if key == MIRROR:
            out.append(errors.forbidden(f"metadata.annotations[{key}]", msg.MIRROR_ANNOTATION_ADDED))
    return out


def _container_updates(new: Any, old: Any, path: str) -> tuple[list[FieldError], bool]:
    """``ValidateContainerUpdates``: as many containers as before, each with an image."""
    new_list, old_list = new or [], old or []
    if len(new_list) != len(old_list):
        return [errors.forbidden(path, msg.ADD_OR_REMOVE_CONTAINERS)], True
    out: list[FieldError] = []
    for i, container in enumerate(new_list):
        image = container.get("image", "") if isinstance(container, dict) else ""
        if not image:
            out.append(errors.required(f"{path}[{i}].image"))
        if isinstance(image, str) and image != image.strip():
            out.append(errors.invalid(f"{path}[{i}].image", image, msg.NO_SURROUNDING_WHITESPACE))
    return out, False


def _only_added_tolerations(new: list[Any], old: list[Any]) -> list[FieldError]:
    """``validateOnlyAddedTolerations``: every old toleration is still there (its seconds may change)."""
    def without_seconds(toleration: Any) -> Any:
        return {k: v for k, v in toleration.items() if k != "tolerationSeconds"} if isinstance(toleration, dict) \
            else toleration

    kept = [without_seconds(t) for t in new]
    for toleration in old:
        if without_seconds(toleration) not in kept:
            return [errors.forbidden("spec.tolerations", msg.TOLERATION_CHANGED)]
    return validate_tolerations(new, "spec.tolerations")


def _munged(spec: dict[str, Any], old_spec: dict[str, Any]) -> dict[str, Any]:
    """The new spec with what an update may change set back to the old values."""
    out = dict(spec)
    for field in ("containers", "initContainers"):
        new_list, old_list = spec.get(field), old_spec.get(field) or []
        if isinstance(new_list, list):
            out[field] = [dict(c, image=old_list[i].get("image")) if isinstance(c, dict) and "image" in old_list[i]
                          else ({k: v for k, v in c.items() if k != "image"} if isinstance(c, dict) else c)
                          for i, c in enumerate(new_list)]
    for field in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        out.pop(field, None)
        if field in old_spec:
            out[field] = old_spec[field]
    old_grace, new_grace = old_spec.get("terminationGracePeriodSeconds"), spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and new_grace == 1:
        out["terminationGracePeriodSeconds"] = old_grace
    return out


def validate_pod_update(pod: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodUpdate`` (ObjectMeta updates are the registry's)."""
    spec, old_spec = as_dict(pod.get("spec")), as_dict(old.get("spec"))
    out = _metadata_and_spec(pod)
    out.extend(_annotation_updates(pod, old))
    for field in ("containers", "initContainers"):
        found, stop = _container_updates(spec.get(field), old_spec.get(field), f"spec.{field}")
        out.extend(found)
        if stop:
            return out
    deadline, old_deadline = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int):
        if not 0 <= deadline <= MAX_INT32:
            out.append(errors.invalid("spec.activeDeadlineSeconds", deadline, msg.inclusive_range_error(0, MAX_INT32)))
            return out
        if isinstance(old_deadline, int) and old_deadline < deadline:
            out.append(errors.invalid("spec.activeDeadlineSeconds", deadline, msg.DEADLINE_NOT_RAISED))
            return out
    elif old_deadline is not None:
        out.append(errors.invalid("spec.activeDeadlineSeconds", None, msg.DEADLINE_NOT_UNSET))
    out.extend(_only_added_tolerations(list(spec.get("tolerations") or []), list(old_spec.get("tolerations") or [])))
    new_gates = [g.get("name") for g in spec.get("schedulingGates") or [] if isinstance(g, dict)]
    old_gates = {g.get("name") for g in old_spec.get("schedulingGates") or [] if isinstance(g, dict)}
    added = {name: i for i, name in enumerate(new_gates) if name not in old_gates}
    out.extend(errors.forbidden(f"spec.schedulingGates[{i}].name", msg.NEW_SCHEDULING_GATE.format(name))
               for name, i in added.items())
    if spec == old_spec:
        return out
    munged = _munged(spec, old_spec)
    if old_spec.get("schedulingGates") and munged.get("nodeSelector") != old_spec.get("nodeSelector"):
        out.extend(_node_selector_mutation(as_dict(spec.get("nodeSelector")), as_dict(old_spec.get("nodeSelector"))))
        munged.pop("nodeSelector", None)
        if "nodeSelector" in old_spec:
            munged["nodeSelector"] = old_spec["nodeSelector"]
    if munged != old_spec:
        out.append(errors.forbidden("spec", msg.POD_UPDATE_FORBIDDEN))
    return out


def _node_selector_mutation(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``validateNodeSelectorMutation``: a gated pod's node selector may only gain keys."""
    if any(key not in new or new[key] != value for key, value in old.items()):
        return [errors.invalid_go_value("spec.nodeSelector", go_string_map(new), msg.NODE_SELECTOR_ONLY_ADDITIONS)]
    return []
