"""What kube-apiserver's decoder makes of a create's or an update's body before it decodes it into the
resource's type: the bytes must parse, and the apiVersion and kind they name (defaulted from the
resource's) must be a registered type that converts into it.

Its errors name the body's kind and version, and the type's kind (``transformDecodeError``): a body
that does not parse, or whose apiVersion and kind cannot be read, is "unrecognized", with the start of
the body; an unregistered kind is "not registered in the scheme"; a registered kind of another type
has "no conversion" into it.  Custom resources are decoded by the apiextensions server, which words
these differently, and are not checked here.
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml

from fakekube import errors, yaml_input
from fakekube.errors import go_json
from fakekube.registry.catalog import Catalog
from fakekube.registry.decoding import NullFree
from fakekube.registry.resources import ResourceInfo

JSON_TYPES = ("application/json", "*/*")
YAML_TYPES = ("application/yaml", "text/yaml", "application/x-yaml")
# The package of a group's internal types, which names the type a body converts into.
INTERNAL_PACKAGES = {"": "core", "events.k8s.io": "core", "internal.apiserver.k8s.io": "apiserverinternal"}


def internal_package(group: str) -> str:
    return INTERNAL_PACKAGES.get(group, group.split(".", 1)[0])


def read(raw: bytes, media_type: str, res: ResourceInfo) -> Any | None:
    """The body parsed as kube's serializer for ``media_type`` reads it, or None where this module has
    nothing to say (another media type: the caller parses it)."""
    if media_type in JSON_TYPES:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            problem = go_json.syntax_error(raw)
            if problem is None:
                return None  # Go reads it (bytes that are not UTF-8, say): the general reader does too
            raise errors.unrecognized_body(res.kind, "couldn't get version/kind; json parse error: " + problem,
                                           raw) from None
        # as ``negotiation.parse_body`` marks it: a body without ``null`` need not be searched for one again
        return NullFree(body) if type(body) is dict and b"null" not in raw else body
    if media_type in YAML_TYPES:
        try:
            docs = [d for d in yaml_input.load_all(raw.decode("utf-8", errors="replace")) if d is not None]
        except yaml.YAMLError as exc:
            raise errors.unrecognized_body(res.kind, yaml_input.go_yaml_error(exc), raw) from None
        if len(docs) == 1:  # what ``negotiation.parse_body`` makes of it, without reading it again
            return yaml_input.jsonable(docs[0])
    return None


def check(body: Any, raw: bytes, res: ResourceInfo, catalog: Catalog) -> None:
    """Refuse a parsed body whose apiVersion and kind cannot be read, or name a type that is not the
    resource's and does not convert into it (the same kind in another version of the group does: the
    decode step refuses its version)."""
    if body is None:
        return
    if not isinstance(body, dict):
        raise errors.unrecognized_body(res.kind, "couldn't get version/kind; json parse error: json: cannot "
                                       f"unmarshal {go_json.json_kind(body)} into Go value of type "
                                       f"{go_json.FIND_KIND_TYPE}", raw)
    for name in ("apiVersion", "kind"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise errors.unrecognized_body(res.kind, "couldn't get version/kind; json parse error: json: cannot "
                                           f"unmarshal {go_json.json_kind(value)} into Go struct field .{name} of "
                                           "type string", raw)
    group, version, kind = _body_kind(body, res)
    if (group, version, kind) == (res.group, res.version, res.kind):
        return
    group_version = f"{group}/{version}" if group else version
    if not _registered(catalog, group, version, kind):
        raise errors.decode_error(kind, version, f'no kind "{kind}" is registered for version "{group_version}" in '
                                  'scheme "pkg/runtime/scheme.go:111"', into=res.kind)
    if kind != res.kind or internal_package(group) != internal_package(res.group):
        raise errors.decode_error(kind, version, f"converting ({version}.{kind}) to "
                                  f"({internal_package(res.group)}.{res.kind}): unknown conversion", into=res.kind)


def _body_kind(body: dict[str, Any], res: ResourceInfo) -> tuple[str, str, str]:
    """The group, version and kind a body names, each defaulted from the resource's as kube's decoder
    does (an apiVersion that does not parse counts as none)."""
    api_version = body.get("apiVersion") or ""
    group, version = "", ""
    if api_version.count("/") <= 1:
        group, _, version = api_version.rpartition("/")
    kind = body.get("kind") or res.kind
    if not version and (not group or group == res.group):
        group, version = res.group, res.version
    return group, version, kind


def _registered(catalog: Catalog, group: str, version: str, kind: str) -> bool:
    """Whether kube-apiserver's scheme has the type: a kind served in that version, or its list."""
    if catalog.by_kind(group, version, kind) is not None:
        return True
    return kind.endswith("List") and catalog.by_kind(group, version, kind[:-4]) is not None
