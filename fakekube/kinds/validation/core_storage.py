"""PersistentVolumeClaims and PersistentVolumes (``ValidatePersistentVolumeClaim``, ``ValidatePersistentVolume``
and their updates in ``pkg/apis/core/validation``).

A claim needs an access mode and a positive storage request; its spec is fixed after creation but for the
storage request of a bound claim and the volume name, set once.  A volume names exactly one source, its
capacity is storage only, and its source never changes.  Quantities were parsed by the schema decoder;
they are compared by amount here.  A claim's strategy sets ``validation_ported`` (these rules word its
required and enum errors); a volume's keeps the schema's stand-ins, which check the required fields of every
volume source, so its access modes, volume mode and reclaim policy outside their enums are the schema's
errors (an access mode at its item's index, where upstream names the list).
"""

from __future__ import annotations

import posixpath
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as pod_msg
from fakekube.go_text import GoShown
from fakekube.kinds.validation.common import (
    canonical_quantity,
    dns1123_subdomain,
    label_selector,
    mapping,
    nonnegative_quantity,
    positive_quantity,
    quantity,
)
from fakekube.name_formats import dns1123_label_errors

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]
VOLUME_MODES = ["Block", "Filesystem"]
# PersistentVolumeSource members in upstream's order, with the path upstream names in its errors
PV_SOURCES = (
    ("hostPath", "hostPath"), ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"), ("cephfs", "cephFS"), ("iscsi", "iscsi"),
    ("cinder", "cinder"), ("fc", "fc"), ("flexVolume", "flexVolume"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("scaleIO", "scaleIO"), ("local", "local"),
    ("storageos", "storageos"), ("csi", "csi"),
)
SOURCE_KEYS = frozenset(key for key, _ in PV_SOURCES)


def _access_modes(modes: Any, path: str, required_detail: str) -> list[FieldError]:
    out: list[FieldError] = []
    modes = modes if isinstance(modes, list) else []
    if not modes:
        out.append(errors.required(path, required_detail))
    return out


def _access_mode_values(modes: Any, path: str, report_unknown: bool) -> list[FieldError]:
    out: list[FieldError] = []
    rwop = other = False
    for mode in modes if isinstance(modes, list) else []:
        if mode not in ACCESS_MODES and report_unknown:
            out.append(errors.not_supported(path, mode, ACCESS_MODES))
        if mode == "ReadWriteOncePod":
            rwop = True
        elif mode in ACCESS_MODES:
            other = True
    if rwop and other:
        out.append(errors.forbidden(path, errors.RWOP_ALONE))
    return out


def _data_source(source: dict[str, Any], path: str, is_ref: bool) -> list[FieldError]:
    """``validateDataSource`` / ``validateDataSourceRef``."""
    out: list[FieldError] = []
    if not source.get("name"):
        out.append(errors.required(f"{path}.name"))
    if not source.get("kind"):
        out.append(errors.required(f"{path}.kind"))
    group = source.get("apiGroup") or ""
    if not group and source.get("kind") != "PersistentVolumeClaim":
        out.append(errors.invalid(path, source.get("kind", ""),
                                  errors.DEFAULT_API_GROUP_KIND))
    if group:
        out.extend(dns1123_subdomain(group, f"{path}.apiGroup"))
    if is_ref and source.get("namespace"):
        out.extend(errors.invalid(f"{path}.namespace", source["namespace"], msg)
                   for msg in dns1123_label_errors(str(source["namespace"])))
    return out


def validate_claim_spec(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidatePersistentVolumeClaimSpec``."""
    out = _access_modes(spec.get("accessModes"), f"{path}.accessModes", errors.ACCESS_MODE_REQUIRED)
    out.extend(label_selector(spec.get("selector"), f"{path}.selector"))
    out.extend(_access_mode_values(spec.get("accessModes"), f"{path}.accessModes", True))
    requests = mapping(mapping(spec.get("resources")).get("requests"))
    storage_path = f"{path}.resources[storage]"
    if "storage" not in requests:
        out.append(errors.required(storage_path))
    else:
        out.extend(positive_quantity(requests["storage"], storage_path)
                   or nonnegative_quantity(requests["storage"], storage_path))
    if spec.get("storageClassName"):
        out.extend(dns1123_subdomain(str(spec["storageClassName"]), f"{path}.storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        out.append(errors.not_supported(f"{path}.volumeMode", mode, VOLUME_MODES))
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, dict):
        out.extend(_data_source(source, f"{path}.dataSource", False))
    if isinstance(ref, dict):
        out.extend(_data_source(ref, f"{path}.dataSourceRef", True))
        if ref.get("namespace"):
            if isinstance(source, dict):
                out.append(errors.invalid(path, f"{path}.dataSource",
                                          errors.DATA_SOURCE_WITH_REF_NAMESPACE))
        elif isinstance(source, dict) and any(source.get(k) != ref.get(k) for k in ("apiGroup", "kind", "name")):
            out.append(errors.invalid(path, f"{path}.dataSource", errors.DATA_SOURCE_REF_MISMATCH))
    if spec.get("volumeAttributesClassName"):
        out.extend(dns1123_subdomain(str(spec["volumeAttributesClassName"]), f"{path}.volumeAttributesClassName"))
    return out


def validate_claim(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidatePersistentVolumeClaim``, and on an update ``ValidatePersistentVolumeClaimUpdate``'s fixed spec."""
    spec = mapping(obj.get("spec"))
    out = validate_claim_spec(spec, "spec")
    if old is None:
        return out
    old_spec = dict(mapping(old.get("spec")))
    new_spec = dict(spec)
    if not old_spec.get("volumeName"):
        old_spec["volumeName"] = new_spec.get("volumeName")
    if mapping(obj.get("status")).get("phase") == "Bound":
        for side in (new_spec, old_spec):  # a bound claim's storage request may change: compared apart
            resources = dict(mapping(side.get("resources")))
            resources["requests"] = {k: v for k, v in mapping(resources.get("requests")).items() if k != "storage"}
            side["resources"] = resources
        new_size, old_size = quantity(_storage(spec)), quantity(_storage(mapping(old.get("spec"))))
        capacity = quantity(mapping(mapping(old.get("status")).get("capacity")).get("storage"))
        if new_size is not None and old_size is not None and new_size.value < old_size.value and (
                capacity is None or new_size.value < capacity.value):
            out.append(errors.forbidden("spec.resources.requests.storage",
                                        errors.BELOW_CAPACITY))
    for side in (new_spec, old_spec):
        side.pop("volumeAttributesClassName", None)
    if _normal(new_spec) != _normal(old_spec):
        out.append(errors.forbidden("spec", errors.CLAIM_SPEC_IMMUTABLE))
    return out


def _storage(spec: dict[str, Any]) -> Any:
    return mapping(mapping(spec.get("resources")).get("requests")).get("storage")


def _normal(value: Any) -> Any:
    """A spec compared as Go compares the typed object: empty maps and lists are unset."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def _source_rules(key: str, source: dict[str, Any], path: str) -> list[FieldError]:
    """The required fields of the commonest sources (the rest of each source's rules are not ported)."""
    out: list[FieldError] = []
    if key in ("hostPath", "local"):
        if not source.get("path"):
            out.append(errors.required(f"{path}.path"))
        elif ".." in str(source["path"]).split("/"):
            out.append(errors.invalid(f"{path}.path", source["path"], pod_msg.NO_BACKSTEPS))
    elif key == "nfs":
        if not source.get("server"):
            out.append(errors.required(f"{path}.server"))
        if not source.get("path"):
            out.append(errors.required(f"{path}.path"))
        elif not str(source["path"]).startswith("/"):
            out.append(errors.invalid(f"{path}.path", source["path"], pod_msg.ABSOLUTE_PATH))
    elif key == "csi":
        if not source.get("driver"):
            out.append(errors.required(f"{path}.driver"))
        if not source.get("volumeHandle"):
            out.append(errors.required(f"{path}.volumeHandle"))
    return out


def validate_volume_spec(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolumeSpec`` of a stored PersistentVolume (not an inline one)."""
    out = _access_modes(spec.get("accessModes"), "spec.accessModes", "")
    out.extend(_access_mode_values(spec.get("accessModes"), "spec.accessModes", False))
    capacity = mapping(spec.get("capacity"))
    if not capacity:
        out.append(errors.required("spec.capacity"))
    if "storage" not in capacity or len(capacity) > 1:
        # %#v of the map (v1.33) is shown without its quantities' internals (keys only); JSON has the
        # quantities' canonical texts, keys sorted
        shown = GoShown("core.ResourceList(nil)", None) if not capacity else GoShown(
            "core.ResourceList{" + ", ".join(f'"{k}":resource.Quantity{{...}}' for k in capacity) + "}",
            {k: canonical_quantity(capacity[k]) for k in sorted(capacity)})
        out.append(errors.not_supported("spec.capacity", shown, ["storage"]))
    for name, value in capacity.items():
        found = quantity(value)
        if found is not None and found.value < 0:
            out.append(errors.invalid(f"spec.capacity[{name}]", int(found.value),
                                      errors.VALID_QUANTITY))
        out.extend(positive_quantity(value, f"spec.capacity[{name}]"))
    policy = spec.get("persistentVolumeReclaimPolicy")
    affinity = spec.get("nodeAffinity")
    if isinstance(affinity, dict) and affinity.get("required") is None:
        out.append(errors.required("spec.nodeAffinity.required", errors.NODE_CONSTRAINTS_REQUIRED))
    count = 0
    for key, name in PV_SOURCES:
        source = spec.get(key)
        if not isinstance(source, dict):
            continue
        if count and key != "flexVolume":
            out.append(errors.forbidden(f"spec.{name}", pod_msg.ONE_VOLUME_TYPE))
            continue
        count += 1
        out.extend(_source_rules(key, source, f"spec.{key}"))
        if key == "local" and not isinstance(affinity, dict):
            out.append(errors.required("spec.nodeAffinity", errors.LOCAL_NEEDS_NODE_AFFINITY))
    if not count:
        out.append(errors.required("spec", pod_msg.NEED_VOLUME_TYPE))
    host = mapping(spec.get("hostPath"))
    if host.get("path") and posixpath.normpath(str(host["path"])) == "/" and policy == "Recycle":
        out.append(errors.forbidden("spec.persistentVolumeReclaimPolicy",
                                    errors.RECYCLE_ROOT_HOST_PATH))
    if spec.get("storageClassName"):
        out.extend(dns1123_subdomain(str(spec["storageClassName"]), "spec.storageClassName"))
    return out


def validate_volume(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidatePersistentVolume``; on an update the source and volume mode stay as they were."""
    spec = mapping(obj.get("spec"))
    out = validate_volume_spec(spec)
    if old is None:
        return out
    old_spec = mapping(old.get("spec"))
    new_sources = {k: v for k, v in spec.items() if k in SOURCE_KEYS}
    old_sources = {k: v for k, v in old_spec.items() if k in SOURCE_KEYS}
    if _normal(new_sources) != _normal(old_sources):
        out.append(errors.forbidden("spec.persistentvolumesource",
                                    errors.PV_SOURCE_IMMUTABLE))
    if spec.get("volumeMode") != old_spec.get("volumeMode"):
        out.append(errors.invalid("volumeMode", spec.get("volumeMode"), errors.FIELD_IMMUTABLE))
    return out
