"""``storage.k8s.io/v1`` StorageClass and CSIDriver, as ``pkg/apis/storage/validation``.

Why here: a StorageClass is written once by an installer or chart and never changes, so kube-apiserver
refuses an unknown provisioner name, reclaim policy or binding mode at once, and refuses any later change
of them; tests that install storage classes must meet the same refusals.  The object arrives defaulted
(``reclaimPolicy: Delete``, ``volumeBindingMode: Immediate``), so both are always set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import label_name, mapping, qualified_name
from fakekube.name_formats import dns1123_subdomain_caseless_errors, dns1123_subdomain_errors
from fakekube.versions import served_minor

_MAX_PARAMETERS = 512
_MAX_PARAMETERS_SIZE = 256 * 1024
_RECLAIM_POLICIES = ["Delete", "Retain"]
_BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
_FS_GROUP_POLICIES = ["File", "None", "ReadWriteOnceWithFSType"]
_LIFECYCLE_MODES = ["Persistent", "Ephemeral"]
_MIN_TOKEN_SECONDS = 600
_MAX_TOKEN_SECONDS = 1 << 32


def _provisioner(provisioner: str) -> list[FieldError]:
    """``validateProvisioner``: required, and (lower-cased) a qualified name."""
    if not provisioner:
        return [errors.required("provisioner")]
    return qualified_name(provisioner.lower(), "provisioner")


def _parameters(params: Mapping[str, Any]) -> list[FieldError]:
    """``validateParameters``: at most 512 entries of at most 256 KiB in all, no empty key."""
    if len(params) > _MAX_PARAMETERS:
        return [errors.too_long("parameters", _MAX_PARAMETERS)]
    out: list[FieldError] = []
    size = 0
    for key, value in params.items():
        if not key:
            out.append(errors.storage_class_parameter_key_empty("parameters"))
        size += len(key.encode()) + len(str(value).encode())
    if size > _MAX_PARAMETERS_SIZE:
        out.append(errors.too_long("parameters", _MAX_PARAMETERS_SIZE))
    return out


def _topology_term(term: Mapping[str, Any], path: str) -> tuple[dict[str, frozenset[str]], list[FieldError]]:
    """``ValidateTopologySelectorTerm``: each requirement's values (required, no duplicates) and key (a label
    name), no key twice; returns the term as a map of key to value set, for the duplicate-term check."""
    found: dict[str, frozenset[str]] = {}
    out: list[FieldError] = []
    for i, req in enumerate(term.get("matchLabelExpressions") or []):
        req = req if isinstance(req, dict) else {}
        at = f"{path}.matchLabelExpressions[{i}]"
        values = req.get("values") or []
        if not values:
            out.append(errors.required(f"{at}.values"))
        seen: set[str] = set()
        for j, value in enumerate(values):
            if value in seen:
                out.append(errors.duplicate(f"{at}.values[{j}]", value))
            seen.add(value)
        key = req.get("key") or ""
        out.extend(label_name(key, f"{at}.key"))
        if key in found:
            out.append(errors.duplicate(f"{at}.key", key))
        found[key] = frozenset(seen)
    return found, out


def _allowed_topologies(terms: list[Any]) -> list[FieldError]:
    """``validateAllowedTopologies``: every term valid and none equal to an earlier one.  Upstream seeds its
    list of earlier terms with one empty entry per term, so a term without requirements is always reported
    as a duplicate, as kube-apiserver does."""
    out: list[FieldError] = []
    earlier: list[dict[str, frozenset[str]]] = [{} for _ in terms]
    for i, term in enumerate(terms):
        found, problems = _topology_term(term if isinstance(term, dict) else {}, f"allowedTopologies[{i}]")
        out.extend(problems)
        out.extend(errors.duplicate(f"allowedTopologies[{i}].matchLabelExpressions", "")
                   for seen in earlier if seen == found)
        earlier.append(found)
    return out


def validate_storage_class(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateStorageClass``, and on update then ``ValidateStorageClassUpdate``: provisioner, parameters,
    reclaim policy and binding mode never change."""
    provisioner = obj.get("provisioner") or ""
    params = obj.get("parameters") or {}
    reclaim = obj.get("reclaimPolicy") or ""
    mode = obj.get("volumeBindingMode")
    out = _provisioner(provisioner)
    out.extend(_parameters(params))
    if reclaim and reclaim not in _RECLAIM_POLICIES:
        out.append(errors.not_supported("reclaimPolicy", reclaim, _RECLAIM_POLICIES))
    if mode is None:
        out.append(errors.required("volumeBindingMode"))
    elif mode not in _BINDING_MODES:
        out.append(errors.not_supported("volumeBindingMode", mode, _BINDING_MODES))
    out.extend(_allowed_topologies(obj.get("allowedTopologies") or []))
    if old is None:
        return _required_provisioner_last(out)
    return _required_provisioner_last(out + _storage_class_update(obj, old))


def _required_provisioner_last(found: list[FieldError]) -> list[FieldError]:
    """From v1.37 a missing provisioner is reported by declarative validation (enforced at beta), after
    every handwritten error."""
    if served_minor() < 37:
        return found
    missing = [e for e in found if e.field == "provisioner" and e.type == "FieldValueRequired"]
    return [e for e in found if e not in missing] + missing


def _storage_class_update(obj: Mapping[str, Any], old: Mapping[str, Any]) -> list[FieldError]:
    """``ValidateStorageClassUpdate``: provisioner, parameters, reclaim policy and binding mode never change.
    Up to v1.35 the first three are Forbidden (parameters first); v1.36 words them all as
    ``ValidateImmutableField`` with the new value; from v1.37 declarative validation reports them (value null),
    in the type's field order."""
    fields = {"provisioner": (obj.get("provisioner") or "", old.get("provisioner") or ""),
              "parameters": (obj.get("parameters") or {}, old.get("parameters") or {}),
              "reclaimPolicy": (obj.get("reclaimPolicy") or "", old.get("reclaimPolicy") or ""),
              "volumeBindingMode": (obj.get("volumeBindingMode"), old.get("volumeBindingMode"))}
    changed = [name for name, (now, was) in fields.items() if now != was]
    minor = served_minor()
    if minor >= 37:
        return [errors.immutable_field(name, None) for name in changed]
    order = ("parameters", "provisioner", "reclaimPolicy", "volumeBindingMode")
    out: list[FieldError] = []
    for name in sorted(changed, key=order.index):
        value = fields[name][0]
        if minor >= 36 or name == "volumeBindingMode":
            shown = errors.go_string_map(value) if name == "parameters" else value
            out.append(errors.immutable_field(name, shown))
        else:
            out.append(errors.storage_class_update_forbidden(name))
    return out


def _token_requests(requests: list[Any], path: str) -> list[FieldError]:
    """``validateTokenRequests``: one request per audience, each token living 10 minutes to 2^32 seconds."""
    out: list[FieldError] = []
    audiences: set[str] = set()
    for i, request in enumerate(requests):
        request = request if isinstance(request, dict) else {}
        audience = request.get("audience") or ""
        if audience in audiences:
            out.append(errors.duplicate(f"{path}[{i}].audience", audience))
            continue
        audiences.add(audience)
        seconds = request.get("expirationSeconds")
        if not isinstance(seconds, int):
            continue
        if seconds < _MIN_TOKEN_SECONDS:
            out.append(errors.csi_token_too_short(f"{path}[{i}].expirationSeconds", seconds))
        if seconds > _MAX_TOKEN_SECONDS:
            out.append(errors.csi_token_too_long(f"{path}[{i}].expirationSeconds", seconds))
    return out


def _csi_driver_spec(spec: Mapping[str, Any]) -> list[FieldError]:
    """``validateCSIDriverSpec``.  Upstream names ``attachRequired`` ``spec.attachedRequired`` in its errors."""
    out: list[FieldError] = []
    for key, path in (("attachRequired", "spec.attachedRequired"), ("podInfoOnMount", "spec.podInfoOnMount"),
                      ("storageCapacity", "spec.storageCapacity")):
        if spec.get(key) is None:
            out.append(errors.required(path))
    policy = spec.get("fsGroupPolicy")
    if policy is not None and policy not in _FS_GROUP_POLICIES:
        out.append(errors.not_supported("spec.fsGroupPolicy", policy, _FS_GROUP_POLICIES))
    out.extend(_token_requests(spec.get("tokenRequests") or [], "spec.tokenRequests"))
    out.extend(errors.not_supported("spec.volumeLifecycleModes", mode, _LIFECYCLE_MODES)
               for mode in spec.get("volumeLifecycleModes") or [] if mode not in _LIFECYCLE_MODES)
    if spec.get("seLinuxMount") is None:
        out.append(errors.required("spec.seLinuxMount"))
    period = spec.get("nodeAllocatableUpdatePeriodSeconds")
    if isinstance(period, int) and period < 10:
        out.append(errors.csi_allocatable_period_too_short("spec.nodeAllocatableUpdatePeriodSeconds", period))
    return out


def validate_csi_driver(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateCSIDriver``, or ``ValidateCSIDriverUpdate`` (the spec rules, then ``attachRequired`` and
    ``volumeLifecycleModes`` fixed)."""
    spec = mapping(obj.get("spec"))
    out = _csi_driver_spec(spec)
    if old is None:
        return out
    old_spec = mapping(old.get("spec"))
    attach = spec.get("attachRequired")
    if attach != old_spec.get("attachRequired"):
        out.append(errors.immutable_field("spec.attachedRequired", attach))
    modes = spec.get("volumeLifecycleModes") or []
    if modes != (old_spec.get("volumeLifecycleModes") or []):
        shown = errors.go_slice("storage.VolumeLifecycleMode", modes)
        out.append(errors.invalid_go_value("spec.volumeLifecycleModes", shown, errors.FIELD_IMMUTABLE))
    return out


# --- VolumeAttachment ---

_ATTACHER_MAX = 63


def _attacher_handwritten(attacher: str) -> list[FieldError]:
    """The attacher as the handwritten rules check it: required up to v1.35; from v1.36 ``ValidateCSIDriverName``
    (required, at most 63 characters, a subdomain once lower-cased)."""
    if not attacher:
        return [errors.required("spec.attacher")]
    if served_minor() < 36:
        return []
    out: list[FieldError] = []
    if len(attacher) > _ATTACHER_MAX:
        out.append(errors.too_long("spec.attacher", _ATTACHER_MAX))
    out.extend(errors.invalid("spec.attacher", attacher, msg) for msg in dns1123_subdomain_errors(attacher.lower()))
    return out


def _attacher_declarative(attacher: str) -> list[FieldError]:
    """The attacher as declarative validation checks it (enforced from v1.37, after the handwritten errors)."""
    if not attacher:
        return [errors.required("spec.attacher")]
    out = [errors.invalid("spec.attacher", attacher, msg) for msg in dns1123_subdomain_caseless_errors(attacher)]
    if len(attacher) > _ATTACHER_MAX:
        out.append(FieldError("FieldValueTooLong", "spec.attacher",
                              detail=f"may not be more than {_ATTACHER_MAX} characters"))
    return out


def _attachment_source(source: Mapping[str, Any]) -> list[FieldError]:
    """``validateVolumeAttachmentSource``: exactly one of an inline spec and a PV name, a name not empty.  An
    inline spec's own rules are not ported."""
    inline, pv_name = source.get("inlineVolumeSpec"), source.get("persistentVolumeName")
    if inline is None and pv_name is None:
        return [errors.required("spec.source", errors.VOLUME_ATTACHMENT_SOURCE_ONE_OF)]
    if inline is not None and pv_name is not None:
        return [errors.forbidden("spec.source", errors.VOLUME_ATTACHMENT_SOURCE_ONE_OF)]
    if pv_name is not None and not pv_name:
        return [errors.required("spec.source.persistentVolumeName", errors.VOLUME_ATTACHMENT_PV_NAME_EMPTY)]
    return []


def validate_volume_attachment(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateVolumeAttachment`` (spec: attacher, source, node name; then the PV name), and on update
    ``ValidateVolumeAttachmentUpdate``: the spec never changes.  From v1.37 declarative validation takes over
    the attacher and the spec's immutability: their errors come last, an immutable one (value null) alone."""
    spec = mapping(obj.get("spec"))
    attacher = str(spec.get("attacher") or "")
    declarative = served_minor() >= 37
    changed = old is not None and spec != mapping(old.get("spec"))
    out: list[FieldError] = [] if declarative else _attacher_handwritten(attacher)
    out.extend(_attachment_source(mapping(spec.get("source"))))
    node_name = str(spec.get("nodeName") or "")
    out.extend(errors.invalid("spec.nodeName", node_name, msg) for msg in dns1123_subdomain_errors(node_name))
    pv_name = mapping(spec.get("source")).get("persistentVolumeName")
    if pv_name is not None:
        out.extend(errors.invalid("spec.source.persistentVolumeName", pv_name, msg)
                   for msg in dns1123_subdomain_errors(str(pv_name)))
    if not declarative:
        if changed:
            source = mapping(spec.get("source"))
            out.append(errors.volume_attachment_spec_immutable(
                attacher, source.get("persistentVolumeName"), source.get("inlineVolumeSpec"), node_name))
        return out
    if changed:
        out.append(errors.immutable_field("spec", None))
    elif old is None:
        out.extend(_attacher_declarative(attacher))
    return out
