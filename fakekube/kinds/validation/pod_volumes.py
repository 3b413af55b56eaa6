"""A pod's volumes (``ValidateVolumes``, ``validateVolumeSource`` and the sources' own rules).

Why: a volume is one source under a DNS-label name, and only a volume that validated may be mounted
(``pod_mounts``); the sources users write daily (emptyDir, configMap, secret, persistentVolumeClaim,
hostPath, downwardAPI, projected, csi, ephemeral, image, nfs) are checked rule by rule, the legacy in-tree
ones for their required fields.  Upstream's quirks in paths are kept (the ``downwarAPI`` typo of the
one-source error, errors of downward API files on the source's path).
"""

from __future__ import annotations

import posixpath
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.common import dns1123_label, label_map_errors, quantity
from fakekube.kinds.validation.core_storage import validate_claim_spec
from fakekube.kinds.validation.pod_env import VOLUME_FIELD_PATHS, object_field_selector, resource_field_selector
from fakekube.kinds.validation.pod_values import as_dict, enum_error, missing
from fakekube.name_formats import dns1123_subdomain_errors

# (field, the name upstream gives it in the "more than 1 volume type" error), in upstream's order.
SOURCES = (("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
           ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
           ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
           ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"),
           ("cinder", "cinder"), ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"),
           ("fc", "fc"), ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
           ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
           ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("storageos", "storageos"),
           ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"),
           ("image", "image"))
# The in-tree sources checked for their required strings only: field -> (path segment, required fields).
HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket")
_REQUIRED_ONLY = {
    "gcePersistentDisk": ("persistentDisk", ("pdName",)), "awsElasticBlockStore": ("awsElasticBlockStore",
                                                                                   ("volumeID",)),
    "glusterfs": ("glusterfs", ("endpoints", "path")), "rbd": ("rbd", ("monitors", "image")),
    "cinder": ("cinder", ("volumeID",)), "cephfs": ("cephfs", ("monitors",)), "flexVolume": ("flexVolume",
                                                                                            ("driver",)),
    "azureFile": ("azureFile", ("secretName", "shareName")), "vsphereVolume": ("vsphereVolume", ("volumePath",)),
    "photonPersistentDisk": ("photonPersistentDisk", ("pdID",)), "portworxVolume": ("portworxVolume",
                                                                                   ("volumeID",)),
    "azureDisk": ("azureDisk", ("diskName", "diskURI")), "scaleIO": ("scaleIO", ("gateway", "system",
                                                                                  "volumeName")),
    "iscsi": ("iscsi", ("targetPortal", "iqn")), "quobyte": ("quobyte", ("registry", "volume")),
    "storageos": ("storageos", ("volumeName",)),
}


def validate_volumes(volumes: Any, pod_name: str, path: str) -> tuple[dict[str, dict[str, Any]], list[FieldError]]:
    """``ValidateVolumes``: the volumes that validated (by name, for the mounts) and every error; a volume
    with errors is not one the mounts may name."""
    out: list[FieldError] = []
    found: dict[str, dict[str, Any]] = {}
    items = [v for v in volumes or [] if isinstance(v, dict)] if isinstance(volumes, list) else []
    created = {f"{pod_name}-{v.get('name', '')}" for v in items if "ephemeral" in v} if pod_name else set()
    for i, volume in enumerate(volumes or []):
        if not isinstance(volume, dict):
            continue
        here, name = f"{path}[{i}]", None if missing(volume, "name") else volume.get("name", "")
        problems = _source(volume, here, str(name or ""), pod_name)
        if name == "":
            problems.append(errors.required(f"{here}.name"))
        elif isinstance(name, str):
            problems.extend(dns1123_label(name, f"{here}.name"))
        if isinstance(name, str) and name in found:
            problems.append(errors.duplicate(f"{here}.name", name))
        if problems:
            out.extend(problems)
        elif isinstance(name, str):
            found[name] = volume
        claim = volume.get("persistentVolumeClaim")
        if isinstance(claim, dict) and claim.get("claimName") in created:
            out.append(errors.invalid(f"{here}.persistentVolumeClaim.claimName", claim["claimName"],
                                      msg.PVC_OF_EPHEMERAL))
    return found, out


_SOURCE_ORDER = {field: (i, shown) for i, (field, shown) in enumerate(SOURCES)}


def _source(volume: dict[str, Any], path: str, name: str, pod_name: str) -> list[FieldError]:
    """``validateVolumeSource``: exactly one source, each checked by its own rules (in upstream's order)."""
    out: list[FieldError] = []
    count = 0
    present = sorted((_SOURCE_ORDER[key], key) for key in volume if key in _SOURCE_ORDER)
    for (_, shown), field in present:
        source = volume[field]
        if not isinstance(source, dict):
            continue
        if count:
            out.append(errors.forbidden(f"{path}.{shown}", msg.ONE_VOLUME_TYPE))
            continue
        count += 1
        out.extend(_one_source(field, source, path, name, pod_name))
    if not count:
        out.append(errors.required(path, msg.NEED_VOLUME_TYPE))
    return out


def _one_source(field: str, source: dict[str, Any], path: str, name: str, pod_name: str) -> list[FieldError]:
    here = f"{path}.{field}"
    if field == "emptyDir":
        size = quantity(source.get("sizeLimit")) if source.get("sizeLimit") is not None else None
        return [errors.forbidden(f"{here}.sizeLimit", msg.SIZE_LIMIT)] if size is not None and size.value < 0 else []
    if field == "hostPath":
        if not source.get("path"):
            return [] if missing(source, "path") else [errors.required(f"{here}.path")]
        return no_backsteps(str(source["path"]), f"{here}.path") + enum_error(
            source.get("type"), f"{here}.type", HOST_PATH_TYPES, optional=True)
    if field == "gitRepo":
        out = [errors.required(f"{here}.repository")] if not missing(source, "repository") and not source.get(
            "repository") else []
        directory = str(source.get("directory", ""))
        return out + local_descending_path(directory, f"{here}.directory")
    if field in ("secret", "configMap"):
        return _keyed_source(field, source, here)
    if field == "nfs":
        return _nfs(source, here)
    if field == "persistentVolumeClaim":
        return [] if missing(source, "claimName") or source.get("claimName") else [errors.required(f"{here}.claimName")]
    if field == "downwardAPI":
        out = _mode(source.get("defaultMode"), f"{here}.defaultMode")
        for item in source.get("items") or []:
            if isinstance(item, dict):
                out.extend(_downward_file(item, here))
        return out
    if field == "projected":
        return _mode(source.get("defaultMode"), f"{here}.defaultMode") + _projections(source, here)
    if field == "csi":
        return _csi(source, here)
    if field == "ephemeral":
        return _ephemeral(source, path, here, name, pod_name)
    if field == "image":
        out = [errors.required(f"{here}.reference")] if not source.get("reference") else []
        return out + enum_error(source.get("pullPolicy"), f"{here}.pullPolicy", ("Always", "IfNotPresent", "Never"),
                                required_if_empty=True)
    segment, required = _REQUIRED_ONLY.get(field, (field, ()))
    return [errors.required(f"{path}.{segment}.{key}") for key in required
            if not missing(source, key) and source.get(key) in (None, "", [])]


def _keyed_source(field: str, source: dict[str, Any], path: str) -> list[FieldError]:
    """``validateSecretVolumeSource`` / ``validateConfigMapVolumeSource``: a name, a mode, items."""
    name_field = "secretName" if field == "secret" else "name"
    out = [errors.required(f"{path}.{name_field}")] if not source.get(name_field) else []
    out.extend(_mode(source.get("defaultMode"), f"{path}.defaultMode"))
    for i, item in enumerate(source.get("items") or []):
        if isinstance(item, dict):
            out.extend(key_to_path(item, f"{path}.items[{i}]"))
    return out


def _mode(mode: Any, path: str) -> list[FieldError]:
    if isinstance(mode, int) and not 0 <= mode <= 0o777:
        return [errors.invalid(path, mode, msg.FILE_MODE)]
    return []


def key_to_path(item: dict[str, Any], path: str) -> list[FieldError]:
    """``validateKeyToPath``: a key, a relative path without ``..``, a file mode."""
    out: list[FieldError] = []
    if not missing(item, "key") and not item.get("key"):
        out.append(errors.required(f"{path}.key"))
    if not missing(item, "path") and not item.get("path"):
        out.append(errors.required(f"{path}.path"))
    out.extend(local_non_reserved_path(str(item.get("path", "")), f"{path}.path"))
    out.extend(_mode(item.get("mode"), f"{path}.mode"))
    return out


def no_backsteps(target: str, path: str) -> list[FieldError]:
    """``validatePathNoBacksteps``: no ``..`` element (one error however many)."""
    return [errors.invalid(path, target, msg.NO_BACKSTEPS)] if ".." in target.split("/") else []


def local_descending_path(target: str, path: str) -> list[FieldError]:
    """``validateLocalDescendingPath``: relative, without ``..``."""
    out = [errors.invalid(path, target, msg.RELATIVE_PATH)] if target.startswith("/") else []
    return out + no_backsteps(target, path)


def local_non_reserved_path(target: str, path: str) -> list[FieldError]:
    """``ValidateLocalNonReservedPath``: a local descending path that does not start with ``..``."""
    out = local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        out.append(errors.invalid(path, target, msg.NO_LEADING_BACKSTEPS))
    return out


def _nfs(source: dict[str, Any], path: str) -> list[FieldError]:
    out = [errors.required(f"{path}.server")] if not missing(source, "server") and not source.get("server") else []
    target = None if missing(source, "path") else source.get("path", "")
    if target == "":
        out.append(errors.required(f"{path}.path"))
    if isinstance(target, str) and not posixpath.isabs(target):
        out.append(errors.invalid(f"{path}.path", target, msg.ABSOLUTE_PATH))
    return out


def _downward_file(item: dict[str, Any], path: str) -> list[FieldError]:
    """``validateDownwardAPIVolumeFile`` (its errors on the source's path, as upstream reports them)."""
    out = [errors.required(f"{path}.path")] if not missing(item, "path") and not item.get("path") else []
    out.extend(local_non_reserved_path(str(item.get("path", "")), f"{path}.path"))
    field_ref, resource_ref = item.get("fieldRef"), item.get("resourceFieldRef")
    if isinstance(field_ref, dict):
        out.extend(object_field_selector(field_ref, VOLUME_FIELD_PATHS, f"{path}.fieldRef"))
        if isinstance(resource_ref, dict):
            out.append(errors.invalid(path, "resource", msg.FIELD_AND_RESOURCE_REF))
    elif isinstance(resource_ref, dict):
        out.extend(resource_field_selector(resource_ref, f"{path}.resourceFieldRef", volume=True))
    else:
        out.append(errors.required(path, msg.FIELD_OR_RESOURCE_REF))
    out.extend(_mode(item.get("mode"), f"{path}.mode"))
    return out


def _projections(projected: dict[str, Any], path: str) -> list[FieldError]:
    """``validateProjectionSources``: one source per entry, files at distinct paths, tokens of sane lifetimes."""
    out: list[FieldError] = []
    paths: set[str] = set()

    def claim(target: str, shown: Any) -> None:
        if target in paths:
            out.append(errors.invalid(path, shown, msg.DUPLICATE_PATHS))
        paths.add(target)

    for i, source in enumerate(projected.get("sources") or []):
        if not isinstance(source, dict):
            continue
        here, count = f"{path}.sources[{i}]", 0
        for kind in ("secret", "configMap"):
            found = source.get(kind)
            if isinstance(found, dict):
                count += 1
                if not found.get("name"):
                    out.append(errors.required(f"{here}.{kind}.name"))
                for j, item in enumerate(found.get("items") or []):
                    if isinstance(item, dict):
                        out.extend(key_to_path(item, f"{here}.{kind}.items[{j}]"))
                        if item.get("path"):
                            claim(str(item["path"]), found.get("name", ""))
        downward = source.get("downwardAPI")
        if isinstance(downward, dict):
            count += 1
            for item in downward.get("items") or []:
                if isinstance(item, dict):
                    out.extend(_downward_file(item, f"{here}.downwardAPI"))
                    if item.get("path"):
                        claim(str(item["path"]), item["path"])
        token = source.get("serviceAccountToken")
        if isinstance(token, dict):
            count += 1
            out.extend(_token(token, here, path))
        bundle = source.get("clusterTrustBundle")
        if isinstance(bundle, dict):
            count += 1
            if not missing(bundle, "path") and not bundle.get("path"):
                out.append(errors.required(f"{here}.clusterTrustBundle.path"))
            out.extend(local_non_reserved_path(str(bundle.get("path", "")), f"{here}.clusterTrustBundle.path"))
            claim(str(bundle.get("path", "")), bundle.get("path", ""))
        if isinstance(source.get("podCertificate"), dict):
            count += 1
        if count > 1:
            out.append(errors.forbidden(here, msg.ONE_VOLUME_TYPE_PER_SOURCE))
    return out


def _token(token: dict[str, Any], here: str, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    seconds = token.get("expirationSeconds")
    if isinstance(seconds, int):
        if seconds < 600:
            out.append(errors.invalid(f"{here}.serviceAccountToken.expirationSeconds", seconds, msg.TOKEN_TOO_SHORT))
        if seconds > 1 << 32:
            out.append(errors.invalid(f"{here}.serviceAccountToken.expirationSeconds", seconds, msg.TOKEN_TOO_LONG))
    target = None if missing(token, "path") else token.get("path", "")
    if target == "":
        out.append(errors.required(f"{path}.path"))
    elif isinstance(target, str):
        out.extend(local_non_reserved_path(target, f"{path}.path"))
    return out


def _csi(source: dict[str, Any], path: str) -> list[FieldError]:
    """``validateCSIVolumeSource``: a driver name (a subdomain, lowercased, at most 63 bytes), a secret's name."""
    out: list[FieldError] = []
    driver = str(source.get("driver", ""))
    if not driver:
        out.append(errors.required(f"{path}.driver"))
    if len(driver) > 63:
        out.append(errors.too_long(f"{path}.driver", 63))
    out.extend(errors.invalid(f"{path}.driver", driver, m) for m in dns1123_subdomain_errors(driver.lower()))
    secret = source.get("nodePublishSecretRef")
    if isinstance(secret, dict):
        if not secret.get("name"):
            out.append(errors.required(f"{path}.nodePublishSecretRef.name"))
        else:
            out.extend(errors.invalid(f"{path}.name", secret["name"], m)
                       for m in dns1123_subdomain_errors(str(secret["name"])))
    return out


def _ephemeral(source: dict[str, Any], volume_path: str, path: str, name: str, pod_name: str) -> list[FieldError]:
    """``validateEphemeralVolumeSource``: a claim template (``ValidatePersistentVolumeClaimTemplate``: labels,
    annotations and nothing else in its metadata, a valid claim spec), and a valid claim name
    ``<pod>-<volume>``."""
    template = source.get("volumeClaimTemplate")
    if not isinstance(template, dict):
        return [errors.required(f"{path}.volumeClaimTemplate")]
    here = f"{path}.volumeClaimTemplate"
    meta = as_dict(template.get("metadata"))
    out = label_map_errors(meta.get("labels"), f"{here}.metadata.labels")
    out.extend(errors.forbidden(f"{here}.metadata.{key}", "cannot be set") for key in meta
               if key not in ("labels", "annotations", "creationTimestamp") and meta[key] not in (None, "", {}, [], 0))
    out.extend(validate_claim_spec(as_dict(template.get("spec")), f"{here}.spec"))
    if not (pod_name and name):
        return out
    claim = f"{pod_name}-{name}"
    return out + [errors.invalid(f"{volume_path}.name", name, f'PVC name "{claim}": {m}')
                  for m in dns1123_subdomain_errors(claim)]
