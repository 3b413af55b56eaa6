"""A custom resource's ``/scale``: an ``autoscaling/v1`` Scale read from and written to the paths its CRD names.

apiextensions-apiserver's ScaleREST reads ``specReplicasPath``, ``statusReplicasPath`` and ``labelSelectorPath``
out of the unstructured object (``unstructured.NestedInt64`` / ``NestedString``), so its errors are those
accessors' own texts; writing a Scale sets only the spec replicas path and leaves everything else of the parent
as stored.  The custom resource's strategy also checks the two replica paths on every write
(``ValidateScaleSpec`` / ``ValidateScaleStatus``), reported at the path as written in the CRD (``.spec.replicas``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import go_type, go_value
from fakekube.kinds.strategy import Obj, SubresourceStrategy, Validate
from fakekube.kinds.workloads import scale_object

INT32_MAX = 2**31 - 1
# What ScaleREST puts in the Scale a patch applies to when the parent has no spec replicas, so that a patch
# leaving them unset is told apart from one setting them (the smallest int32).
UNSET_REPLICAS = -(2**31)


class AccessorError(Exception):
    """An ``unstructured`` accessor's error: a value on the path is not of the type the path needs."""


def _fields(path: str) -> list[str]:
    return path.removeprefix(".").split(".")


def _nested(obj: Obj, path: str) -> tuple[Any, bool]:
    """``NestedFieldNoCopy``: the value at ``path`` and whether it is there."""
    fields = _fields(path)
    value: Any = obj
    for i, name in enumerate(fields):
        if value is None:
            return None, False
        if not isinstance(value, dict):
            shown = "." + ".".join(fields[:i + 1])
            raise AccessorError(errors.accessor_type_error(shown, go_value(value), go_type(value),
                                                           "map[string]interface{}"))
        if name not in value:
            return None, False
        value = value[name]
    return value, True


def nested_int(obj: Obj, path: str) -> tuple[int, bool]:
    """``unstructured.NestedInt64``: the integer at ``path`` (0 when absent) and whether it is there."""
    value, found = _nested(obj, path)
    if not found:
        return 0, False
    if not isinstance(value, int) or isinstance(value, bool):
        raise AccessorError(errors.accessor_type_error(f".{'.'.join(_fields(path))}", go_value(value), go_type(value),
                                                       "int64"))
    return value, True


def nested_string(obj: Obj, path: str) -> str:
    """``unstructured.NestedString``: the string at ``path``, "" when absent."""
    value, found = _nested(obj, path)
    if not found:
        return ""
    if not isinstance(value, str):
        raise AccessorError(errors.accessor_type_error(f".{'.'.join(_fields(path))}", go_value(value), go_type(value),
                                                       "string"))
    return value


def _set_nested(obj: Obj, path: str, value: int) -> Obj:
    """``unstructured.SetNestedField`` on a copy of the maps along the path (a non-map on the way is an
    accessor error, as upstream)."""
    fields = _fields(path)
    out = dict(obj)
    node = out
    for i, name in enumerate(fields[:-1]):
        child = node.get(name, {})
        if not isinstance(child, dict):
            shown = "." + ".".join(fields[:i + 1])
            raise AccessorError(errors.accessor_cannot_set(shown))
        node[name] = dict(child)
        node = node[name]
    node[fields[-1]] = value
    return out


@dataclass(frozen=True)
class ScalePaths:
    """A CRD version's ``subresources.scale``."""

    spec_replicas: str
    status_replicas: str
    label_selector: str = ""

    @staticmethod
    def of(version: Mapping[str, Any]) -> ScalePaths | None:
        scale = (version.get("subresources") or {}).get("scale")
        if not isinstance(scale, Mapping):
            return None
        return ScalePaths(str(scale.get("specReplicasPath") or ""), str(scale.get("statusReplicasPath") or ""),
                          str(scale.get("labelSelectorPath") or ""))

    def scale_of(self, obj: Obj) -> tuple[Obj, bool]:
        """``scaleFromCustomResource``: the Scale of ``obj`` and whether its spec replicas are set."""
        spec_replicas, found = nested_int(obj, self.spec_replicas)
        status_replicas, _ = nested_int(obj, self.status_replicas)
        selector = nested_string(obj, self.label_selector) if self.label_selector else ""
        return scale_object(obj.get("metadata") or {}, _int32(spec_replicas), _int32(status_replicas),
                            selector), found

    def view(self, obj: Obj) -> Obj:
        """GET ``/scale``: the Scale, or a 500 when the parent has no spec replicas (or a value of another type)."""
        try:
            scale, found = self.scale_of(obj)
        except AccessorError as exc:
            raise errors.unknown_server_error(str(exc)) from None
        if not found:
            raise errors.scale_spec_replicas_missing(self.spec_replicas)
        return scale

    def patch_base(self, obj: Obj) -> Obj:
        """The Scale a patch applies to: unset spec replicas are shown as ``UNSET_REPLICAS``."""
        try:
            scale, found = self.scale_of(obj)
        except AccessorError as exc:
            raise errors.unknown_server_error(str(exc)) from None
        if not found:
            scale["spec"]["replicas"] = UNSET_REPLICAS
        return scale

    def reset(self, scale: Obj, parent: Obj) -> Obj:
        """The stored parent with the Scale's spec replicas at the spec replicas path, nothing else."""
        replicas = (scale.get("spec") or {}).get("replicas", 0)
        if replicas == UNSET_REPLICAS:
            raise errors.scale_spec_replicas_empty(self.spec_replicas)
        try:
            out = _set_nested(parent, self.spec_replicas, replicas)
        except AccessorError as exc:
            raise errors.unknown_server_error(str(exc)) from None
        out["metadata"] = dict(parent["metadata"])  # the pipeline changes it: share none with the stored parent
        return out

    def spec_errors(self, obj: Obj) -> list[FieldError]:
        """``ValidateScaleSpec``."""
        return _replicas_errors(obj, self.spec_replicas)

    def status_errors(self, obj: Obj) -> list[FieldError]:
        """``ValidateScaleStatus``: the status replicas, and the selector is a string."""
        out = _replicas_errors(obj, self.status_replicas)
        if self.label_selector:
            try:
                nested_string(obj, self.label_selector)
            except AccessorError as exc:
                out.append(errors.scale_accessor_invalid(self.label_selector, "", str(exc)))
        return out

    def subresource(self) -> SubresourceStrategy:
        return SubresourceStrategy(self.reset, view=self.view, patch_view=self.patch_base)


def _int32(value: int) -> int:
    """Go's ``int32(v)`` of an int64: the low 32 bits, signed."""
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def _replicas_errors(obj: Obj, path: str) -> list[FieldError]:
    try:
        replicas, _ = nested_int(obj, path)
    except AccessorError as exc:
        return [errors.scale_accessor_invalid(path, 0, str(exc))]
    if replicas < 0:
        return [errors.scale_replicas_negative(path, replicas)]
    if replicas > INT32_MAX:
        return [errors.scale_replicas_too_large(path, replicas, INT32_MAX)]
    return []


@dataclass(frozen=True)
class ScaleChecked:
    """A custom resource's ``validate`` with the scale checks: ``rules`` (its CEL rules), preceded by
    ``check`` (``ValidateScaleSpec``/``ValidateScaleStatus``).  The registry takes the two apart, as
    upstream runs the scale checks with the schema validation (before the embedded resources and list
    checks) and its CEL rules only when nothing before blocks them; called as is, it runs both."""

    rules: Validate
    check: Callable[[Obj], list[FieldError]]

    def __call__(self, obj: Obj, old: Obj | None) -> list[FieldError]:
        return [*self.check(obj), *self.rules(obj, old)]


def with_scale_checks(validate: Validate, check: Callable[[Obj], list[FieldError]]) -> ScaleChecked:
    """``validate`` (the CEL rules), preceded by the scale checks ``check``."""
    return ScaleChecked(validate, check)
