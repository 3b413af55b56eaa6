"""Which ``fieldSelector`` fields each kind accepts, and what each field reads from an object.

kube-apiserver answers a field selector in two independent steps, and so does this module:

1. *Acceptance* -- ``Scheme.ConvertFieldLabel``: each term's field goes through the kind's
   ``AddFieldLabelConversionFunc`` (``pkg/apis/<group>/<version>/conversion.go``), which may
   rename it (pods' legacy ``spec.host``; events.k8s.io's ``regarding.*``) or reject it with a
   per-kind message.  Kinds with no such func fall back to
   ``runtime.DefaultMetaV1FieldSelectorConversion``, which accepts only ``metadata.name`` and
   ``metadata.namespace`` and words its rejection differently.  Custom resources use the CRD
   handler's converter (``metadata.name``, ``metadata.namespace`` when namespaced, and the
   CRD's ``selectableFields``).  Every rejection is a 400 ``BadRequest`` whose message is the
   func's error text alone.
2. *Values* -- the registry strategy's ``ToSelectableFields`` (``pkg/registry/.../strategy.go``)
   projects the object into a ``fields.Set``; a field absent from that set reads as ``""``.

The two lists differ, and the differences are observable, so both are kept as upstream v1.36 has
them: pods accept ``status.podIPs`` but never fill it (so ``status.podIPs=x`` matches nothing);
Node, Namespace and the certificates/resource kinds reject ``metadata.namespace``; and the apps
group registers no func at all, so ReplicaSet rejects ``status.replicas`` (kubernetes#135136)
even though its strategy computes it.

Objects are read in their JSON (served-version) form, so each reader undoes what the internal
conversion would have done (e.g. ``spec.hostNetwork`` lives in the pod security context
internally, ``status.podIP`` is ``status.podIPs[0]``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from fakekube.errors import go_quote
from fakekube.selectors import FieldSelector, SelectorError

Reader = Callable[[Mapping[str, Any]], str]
Rejection = Callable[[str, str], str]  # (field, served version) -> message
META = ("metadata.name", "metadata.namespace")


# --- reading values --------------------------------------------------------------------------


def _dig(obj: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = obj
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _go_float(x: float) -> str:
    """``fmt.Sprint`` of a float64 (``%g`` with the shortest digits)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    parts = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, parts.digits))
    point = len(digits) + int(parts.exponent)
    sign = "-" if x < 0 else ""
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if point - 1 < 0 else '+'}{abs(point - 1):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def go_sprint(value: Any) -> str:
    """``fmt.Sprint`` of a decoded JSON value, as the CRD strategy formats selectable fields."""
    if value is None:
        return ""  # upstream: a nil result is stored as ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def _string(path: str) -> Reader:
    keys = tuple(path.split("."))
    return lambda obj: go_sprint(_dig(obj, keys))


def _integer(path: str) -> Reader:
    """An int32 field formatted with ``strconv.Itoa``: unset reads ``"0"``."""
    keys = tuple(path.split("."))
    return lambda obj: go_sprint(_dig(obj, keys) or 0)


def _boolean(path: str) -> Reader:
    """A bool formatted with ``strconv.FormatBool`` / ``fmt.Sprint``: unset reads ``"false"``."""
    keys = tuple(path.split("."))
    return lambda obj: "true" if _dig(obj, keys) is True else "false"


def _first(*readers: Reader) -> Reader:
    """The first non-empty reading: how upstream conversions fill a field from a fallback."""
    return lambda obj: next((v for v in (r(obj) for r in readers) if v), "")


def _first_pod_ip(obj: Mapping[str, Any]) -> str:
    ips = _dig(obj, ("status", "podIPs"))
    return go_sprint(ips[0].get("ip")) if isinstance(ips, list) and ips and isinstance(ips[0], Mapping) else ""


def _never(obj: Mapping[str, Any]) -> str:
    return ""


_PATH_PART = re.compile(r"""\[['"](.*?)['"]\]|([^.\[\]]+)""")


def json_path_reader(json_path: str) -> Reader:
    """A reader for a CRD ``selectableFields[].jsonPath`` such as ``.spec.color``."""
    keys = tuple(quoted or plain for quoted, plain in _PATH_PART.findall(json_path))
    return lambda obj: go_sprint(_dig(obj, keys))


# --- rejection messages ----------------------------------------------------------------------


def _not_supported(field: str, version: str) -> str:
    return f"field label not supported: {field}"


def _not_known(field: str, version: str) -> str:
    return f'{go_quote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"'


def _job(field: str, version: str) -> str:
    return f"field label {go_quote(field)} not supported for Job"


def _resource_slice(field: str, version: str) -> str:
    # Upstream formats the GroupVersionKind itself, so the served version shows.
    return f"field label not supported for resource.k8s.io/{version or 'v1'}, Kind=ResourceSlice: {field}"


# --- the per-kind rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindFields:
    """One kind's field-selector contract.

    ``accepted`` maps each field a client may send to the field its value is read under;
    ``readers`` reads those fields from an object; ``reject`` words the 400 for anything else.
    """

    accepted: Mapping[str, str]
    readers: Mapping[str, Reader]
    reject: Rejection = _not_supported

    @property
    def supported(self) -> frozenset[str]:
        return frozenset(self.accepted)

    def convert(self, field: str, value: str, version: str = "") -> tuple[str, str]:
        """``ConvertFieldLabel``: the field's canonical name, or :class:`SelectorError`."""
        if field not in self.accepted:
            raise SelectorError(self.reject(field, version))
        return self.accepted[field], value

    def values(self, obj: Mapping[str, Any]) -> dict[str, str]:
        """Every readable field's value, under both its canonical and its client-facing names
        (so a selector matches whether or not it went through :meth:`convert` first)."""
        out = {name: _string(name)(obj) for name in META}
        out.update((name, read(obj)) for name, read in self.readers.items())
        out.update((sent, out.get(canonical, "")) for sent, canonical in self.accepted.items())
        return out


def _kind(
    readers: Mapping[str, Reader],
    *,
    meta: tuple[str, ...] = META,
    renames: Mapping[str, str] | None = None,
    reject: Rejection = _not_supported,
) -> KindFields:
    accepted = {name: name for name in (*meta, *readers)}
    accepted.update(renames or {})
    return KindFields(MappingProxyType(accepted), MappingProxyType(dict(readers)), reject)


_NAME_ONLY = ("metadata.name",)
_DEFAULT = _kind({}, reject=_not_known)

_EVENT_READERS: dict[str, Reader] = {
    "reason": _string("reason"),
    "type": _string("type"),
}
_INVOLVED = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")

BUILTIN_KINDS: Mapping[tuple[str, str], KindFields] = MappingProxyType({
    ("", "Pod"): _kind(
        {
            "spec.nodeName": _string("spec.nodeName"),
            "spec.restartPolicy": _string("spec.restartPolicy"),
            "spec.schedulerName": _string("spec.schedulerName"),
            # v1's deprecated spec.serviceAccount fills the name when only it is set.
            "spec.serviceAccountName": _first(_string("spec.serviceAccountName"), _string("spec.serviceAccount")),
            "spec.hostNetwork": _boolean("spec.hostNetwork"),
            "status.phase": _string("status.phase"),
            # Upstream reads status.podIPs[0]; status.podIP wins when both are set.
            "status.podIP": _first(_string("status.podIP"), _first_pod_ip),
            # Accepted by the conversion func but never put in the field set upstream.
            "status.podIPs": _never,
            "status.nominatedNodeName": _string("status.nominatedNodeName"),
        },
        renames={"spec.host": "spec.nodeName"},
    ),
    ("", "Node"): _kind({"spec.unschedulable": _boolean("spec.unschedulable")}, meta=_NAME_ONLY),
    ("", "ReplicationController"): _kind({"status.replicas": _integer("status.replicas")}),
    ("", "Event"): _kind({
        **{f"involvedObject.{f}": _string(f"involvedObject.{f}") for f in _INVOLVED},
        **_EVENT_READERS,
        "reportingComponent": _string("reportingComponent"),
        "source": _first(_string("source.component"), _string("reportingComponent")),
    }),
    ("", "Namespace"): _kind({"status.phase": _string("status.phase")}, meta=_NAME_ONLY),
    ("", "Secret"): _kind({"type": _string("type")}),
    ("", "Service"): _kind({"spec.clusterIP": _string("spec.clusterIP"), "spec.type": _string("spec.type")}),
    # Stored with the core Event; the events.k8s.io names are renamed onto core's field set,
    # and core's own spellings (involvedObject.*) are not accepted in this group.
    ("events.k8s.io", "Event"): KindFields(
        MappingProxyType({
            **{name: name for name in (*META, "reason", "type", "source")},
            **{f"regarding.{f}": f"involvedObject.{f}" for f in _INVOLVED},
            "reportingController": "reportingComponent",
        }),
        MappingProxyType({
            **{f"involvedObject.{f}": _string(f"regarding.{f}") for f in _INVOLVED},
            **_EVENT_READERS,
            "reportingComponent": _string("reportingController"),
            "source": _first(_string("deprecatedSource.component"), _string("reportingController")),
        }),
    ),
    ("batch", "Job"): _kind({"status.successful": _integer("status.succeeded")}, reject=_job),
    ("certificates.k8s.io", "CertificateSigningRequest"): _kind(
        {"spec.signerName": _string("spec.signerName")}, meta=_NAME_ONLY),
    ("certificates.k8s.io", "ClusterTrustBundle"): _kind(
        {"spec.signerName": _string("spec.signerName")}, meta=_NAME_ONLY),
    ("certificates.k8s.io", "PodCertificateRequest"): _kind(
        {name: _string(name) for name in ("spec.signerName", "spec.podName", "spec.nodeName")}, meta=_NAME_ONLY),
    ("resource.k8s.io", "ResourceSlice"): _kind(
        {"spec.nodeName": _string("spec.nodeName"), "spec.driver": _string("spec.driver")},
        meta=_NAME_ONLY, reject=_resource_slice),
})
"""Built-in kinds with their own conversion func; every other built-in kind gets the default."""


def _lookup(kinds: Mapping[tuple[str, str], KindFields], group: str, kind: str) -> KindFields:
    return kinds.get((group, kind)) or BUILTIN_KINDS.get((group, kind)) or _DEFAULT


def _convert(rules: KindFields, selector: FieldSelector, version: str) -> FieldSelector:
    # Terms are tried in the selector's (sorted) order, so the first bad one is the one reported.
    return selector.transform(lambda field, value: rules.convert(field, value, version))


class FieldLabelTable:
    """A cluster's field-label rules: the built-ins plus kinds it registers (custom resources).

    Each cluster owns its instance; nothing here is shared or global.
    """

    def __init__(self) -> None:
        self._kinds: dict[tuple[str, str], KindFields] = {}

    def register_kind(self, group: str, kind: str, fields: Mapping[str, str], *, namespaced: bool = True) -> None:
        """Add a custom resource kind: ``fields`` maps each selectable field to its JSON path
        (CRD ``selectableFields``: field ``spec.color`` for path ``.spec.color``).

        Register every CRD kind, even one with no selectable fields: a custom resource rejects
        with ``field label not supported: x``, not with the built-in default wording.
        """
        readers = {name: json_path_reader(path) for name, path in fields.items()}
        self._kinds[(group, kind)] = _kind(readers, meta=META if namespaced else _NAME_ONLY)

    def unregister_kind(self, group: str, kind: str) -> None:
        self._kinds.pop((group, kind), None)

    def kind_fields(self, group: str, kind: str) -> KindFields:
        return _lookup(self._kinds, group, kind)

    def supported_fields(self, group: str, kind: str) -> frozenset[str]:
        return self.kind_fields(group, kind).supported

    def object_fields(self, group: str, kind: str, obj: Mapping[str, Any]) -> dict[str, str]:
        return self.kind_fields(group, kind).values(obj)

    def convert(self, group: str, kind: str, selector: FieldSelector, version: str = "") -> FieldSelector:
        return _convert(self.kind_fields(group, kind), selector, version)

    def check_supported(self, group: str, kind: str, selector: FieldSelector, version: str = "") -> None:
        self.convert(group, kind, selector, version)


def supported_fields(group: str, kind: str) -> frozenset[str]:
    """The fields a built-in kind accepts in ``fieldSelector`` (including legacy aliases)."""
    return _lookup({}, group, kind).supported


def object_fields(group: str, kind: str, obj: Mapping[str, Any]) -> dict[str, str]:
    """Every selectable field of ``obj`` (JSON, served version) as upstream formats it.

    Always includes ``metadata.name`` and ``metadata.namespace`` (``""`` when cluster-scoped).
    """
    return _lookup({}, group, kind).values(obj)


def convert_field_selector(group: str, kind: str, selector: FieldSelector, version: str = "") -> FieldSelector:
    """``Transform`` through the kind's conversion func: renames aliases or raises
    :class:`SelectorError` (400 ``BadRequest``) for the first unsupported field."""
    return _convert(_lookup({}, group, kind), selector, version)


def check_supported(group: str, kind: str, selector: FieldSelector, version: str = "") -> None:
    """Raise :class:`SelectorError` with upstream's message if a field is not accepted."""
    convert_field_selector(group, kind, selector, version)
