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

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from fakekube.go_text import go_float, go_quote
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
        return go_float(value)
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def string(path: str) -> Reader:
    keys = tuple(path.split("."))
    return lambda obj: go_sprint(_dig(obj, keys))


def integer(path: str) -> Reader:
    """An int32 field formatted with ``strconv.Itoa``: unset reads ``"0"``."""
    keys = tuple(path.split("."))
    return lambda obj: go_sprint(_dig(obj, keys) or 0)


def boolean(path: str) -> Reader:
    """A bool formatted with ``strconv.FormatBool`` / ``fmt.Sprint``: unset reads ``"false"``."""
    keys = tuple(path.split("."))
    return lambda obj: "true" if _dig(obj, keys) is True else "false"


def first(*readers: Reader) -> Reader:
    """The first non-empty reading: how upstream conversions fill a field from a fallback."""
    return lambda obj: next((v for v in (r(obj) for r in readers) if v), "")


def first_pod_ip(obj: Mapping[str, Any]) -> str:
    ips = _dig(obj, ("status", "podIPs"))
    return go_sprint(ips[0].get("ip")) if isinstance(ips, list) and ips and isinstance(ips[0], Mapping) else ""


def never(obj: Mapping[str, Any]) -> str:
    return ""


_PATH_PART = re.compile(r"""\[['"](.*?)['"]\]|([^.\[\]]+)""")


def json_path_reader(json_path: str) -> Reader:
    """A reader for a CRD ``selectableFields[].jsonPath`` such as ``.spec.color``."""
    keys = tuple(quoted or plain for quoted, plain in _PATH_PART.findall(json_path))
    return lambda obj: go_sprint(_dig(obj, keys))


# --- rejection messages ----------------------------------------------------------------------


def not_supported(field: str, version: str) -> str:
    return f"field label not supported: {field}"


def not_known(field: str, version: str) -> str:
    return f'{go_quote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"'


def job_rejection(field: str, version: str) -> str:
    return f"field label {go_quote(field)} not supported for Job"


def resource_slice_rejection(field: str, version: str) -> str:
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
    reject: Rejection = not_supported

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
        out = {name: string(name)(obj) for name in META}
        out.update((name, read(obj)) for name, read in self.readers.items())
        out.update((sent, out.get(canonical, "")) for sent, canonical in self.accepted.items())
        return out


def fields(
    readers: Mapping[str, Reader],
    *,
    meta: tuple[str, ...] = META,
    renames: Mapping[str, str] | None = None,
    reject: Rejection = not_supported,
) -> KindFields:
    accepted = {name: name for name in (*meta, *readers)}
    accepted.update(renames or {})
    return KindFields(MappingProxyType(accepted), MappingProxyType(dict(readers)), reject)


NAME_ONLY = ("metadata.name",)
DEFAULT_FIELDS = fields({}, reject=not_known)
"""Built-in kinds without a conversion func of their own: ``metadata.name`` and ``metadata.namespace``."""

EVENT_READERS: dict[str, Reader] = {
    "reason": string("reason"),
    "type": string("type"),
}
INVOLVED = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def custom_fields(selectable: Mapping[str, str], *, namespaced: bool = True) -> KindFields:
    """A custom resource's rules: ``selectable`` maps each CRD ``selectableFields`` field to its JSON path
    (field ``spec.color`` for path ``.spec.color``).  Even with none, a custom resource rejects with
    ``field label not supported: x``, not with the built-in default wording."""
    readers = {name: json_path_reader(path) for name, path in selectable.items()}
    return fields(readers, meta=META if namespaced else NAME_ONLY)


def convert_selector(rules: KindFields, selector: FieldSelector, version: str = "") -> FieldSelector:
    """``ConvertFieldLabel`` term by term: renames aliases, or :class:`SelectorError` (a 400) for the first
    unsupported field (terms are tried in the selector's sorted order, as upstream)."""
    return selector.transform(lambda field, value: rules.convert(field, value, version))
