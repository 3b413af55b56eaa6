"""The type and object metadata of the resources a custom resource embeds (``x-kubernetes-embedded-resource``).

kube-apiserver checks them after the OpenAPI validation (``pkg/apiserver/schema/objectmeta``): an
embedded resource must say its ``apiVersion`` (a group/version) and ``kind`` (a DNS-1035 label in any
case), and its ``metadata`` is validated as an object's metadata on create, with path-segment names
(a missing name counts as given) and a namespace only when it has one.  The root object's own
metadata is the registry's business, not checked here.

Checking ObjectMeta is the registry's job (``registry/objectmeta``, a layer above); the caller passes
it in as ``meta_errors(metadata, path)``, which returns the errors with their fields under ``path``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.name_formats import dns1035_label_errors
from fakekube.schema.model import Schema

MetaErrors = Callable[[dict[str, Any], str], list[FieldError]]

_HAS_EMBEDDED: weakref.WeakKeyDictionary[Schema, bool] = weakref.WeakKeyDictionary()


def has_embedded(node: Schema | None) -> bool:
    """Whether anything below ``node`` is an embedded resource (so plain resources are not walked)."""
    if node is None:
        return False
    found = _HAS_EMBEDDED.get(node)
    if found is None:
        _HAS_EMBEDDED[node] = False  # while in progress: a cycle back to this node adds nothing
        children = [node.properties.get(k) for k in node.properties if k != "metadata"]
        children.extend((node.items, node.additional_properties))
        found = any(child is not None and (child.embedded_resource or has_embedded(child)) for child in children)
        _HAS_EMBEDDED[node] = found
    return found


def embedded_errors(obj: dict[str, Any], root: Schema, meta_errors: MetaErrors) -> list[FieldError]:
    """Everything wrong with the embedded resources of ``obj`` (fields in the object's order)."""
    if not has_embedded(root):
        return []
    out: list[FieldError] = []
    _walk(out, "", root, obj, meta_errors, top=True)
    return out


def _walk(out: list[FieldError], path: str, node: Schema, value: Any, meta_errors: MetaErrors,
          top: bool = False) -> None:
    if isinstance(value, dict):
        if node.embedded_resource and not top:
            out.extend(_resource_errors(path, value, meta_errors))
        for name, item in value.items():
            declared = node.properties.get(name)
            if top and name == "metadata":
                continue
            if declared is not None:
                _walk(out, f"{path}.{name}" if path else name, declared, item, meta_errors)
            elif node.additional_properties is not None:
                _walk(out, f"{path}[{name}]", node.additional_properties, item, meta_errors)
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            _walk(out, f"{path}[{index}]", node.items, item, meta_errors)


def _resource_errors(path: str, value: dict[str, Any], meta_errors: MetaErrors) -> list[FieldError]:
    out: list[FieldError] = []
    for name in ("apiVersion", "kind"):
        if name not in value:
            out.append(errors.required(f"{path}.{name}"))
    for name, item in value.items():
        if name == "apiVersion":
            out.extend(_api_version_errors(f"{path}.apiVersion", item))
        elif name == "kind":
            out.extend(_kind_errors(f"{path}.kind", item))
        elif name == "metadata" and isinstance(item, dict):
            meta = item if item.get("name") else dict(item, name="fakename")  # as upstream: a name must be set
            out.extend(meta_errors(meta, f"{path}.metadata"))
    return out


def _api_version_errors(path: str, value: Any) -> list[FieldError]:
    if not isinstance(value, str):
        return [errors.embedded_not_a_string(path, value)]
    if not value:
        return [errors.embedded_empty(path, value)]
    if value != "/" and value.count("/") > 1:  # schema.ParseGroupVersion
        return [errors.embedded_group_version_invalid(path, value)]
    return []


def _kind_errors(path: str, value: Any) -> list[FieldError]:
    if not isinstance(value, str):
        return [errors.embedded_not_a_string(path, value)]
    if not value:
        return [errors.embedded_empty(path, value)]
    problems = dns1035_label_errors(value.lower())
    if problems:
        return [errors.kind_name_invalid(path, value, problems)]
    return []
