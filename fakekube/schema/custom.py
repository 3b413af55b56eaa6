"""The ``Schema`` model of a custom resource, from its CRD's structural ``openAPIV3Schema``.

Structural schemas say everything at the top level of each node: ``type``, ``properties``, ``items``,
``additionalProperties`` and the ``x-kubernetes-*`` extensions; ``allOf``/``anyOf``/``oneOf``/``not``
only add value validations, kept with the other constraints for the validator.

As kube-apiserver does, the object's ``apiVersion``, ``kind`` and ``metadata`` need no schema: the
root and every ``x-kubernetes-embedded-resource`` get string ``apiVersion``/``kind`` and the built-in
``ObjectMeta`` model for ``metadata`` (a CRD may only restrict ``metadata.name`` and
``metadata.generateName`` further; those restrictions are kept on top of ``ObjectMeta``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson

from fakekube.schema.builtin import OBJECT_META, builtin_schema
from fakekube.schema.model import Schema, common_keywords
from fakekube.versions import DEFAULT_VERSION

DEFAULT_KUBERNETES_VERSION = DEFAULT_VERSION

# Value validations of structural schemas: checked on values, no say in the shape of the object.
CONSTRAINT_KEYWORDS = (
    "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "multipleOf",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
    "maxProperties", "minProperties", "allOf", "anyOf", "oneOf", "not",
)
_META_KEYS = ("apiVersion", "kind")
_STRING = Schema(type="string")


def custom_schema(openapi_v3_schema: Mapping[str, Any], *, kubernetes_version: str = DEFAULT_KUBERNETES_VERSION,
                  ) -> Schema:
    """The model of a CRD version's ``openAPIV3Schema`` (``metadata`` from ``kubernetes_version``'s ObjectMeta).

    Results are cached by content, so asking again for the same schema returns the same node (and so
    the same compiled validator).
    """
    key = (kubernetes_version, orjson.dumps(openapi_v3_schema, default=_plain, option=orjson.OPT_SORT_KEYS))
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    node = _Builder(kubernetes_version).node(orjson.loads(key[1]), resource=True)  # plain JSON from here on
    with _LOCK:
        node = _CACHE.setdefault(key, node)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return node


_CACHE_SIZE = 256
_CACHE: OrderedDict[tuple[str, bytes], Schema] = OrderedDict()
_LOCK = threading.Lock()


class _Builder:
    def __init__(self, kubernetes_version: str) -> None:
        self.kubernetes_version = kubernetes_version

    def node(self, raw: Any, *, resource: bool = False) -> Schema:
        """One node; ``resource`` for the root and embedded resources (they get apiVersion/kind/metadata)."""
        if not isinstance(raw, Mapping):
            return Schema()
        embedded = raw.get("x-kubernetes-embedded-resource") is True
        properties_raw = raw.get("properties")
        properties = {name: self.node(sub) for name, sub in properties_raw.items()} \
            if isinstance(properties_raw, Mapping) else {}
        if resource or embedded:
            for key in _META_KEYS:
                properties.setdefault(key, _STRING)
            properties["metadata"] = self._object_meta(properties_raw.get("metadata")
                                                       if isinstance(properties_raw, Mapping) else None)
        additional_raw = raw.get("additionalProperties")
        additional = self.node(additional_raw) if isinstance(additional_raw, Mapping) else \
            Schema() if additional_raw is True else None
        items_raw = raw.get("items")
        kind = raw.get("type") if isinstance(raw.get("type"), str) and raw.get("type") else None
        if resource and kind is None:
            kind = "object"
        return Schema(
            **common_keywords(raw),
            type=kind,
            format=raw.get("format") if isinstance(raw.get("format"), str) and raw.get("format") else None,
            properties=properties,
            items=self.node(items_raw) if isinstance(items_raw, Mapping) else None,
            additional_properties=additional,
            preserve_unknown_fields=raw.get("x-kubernetes-preserve-unknown-fields") is True,
            embedded_resource=embedded,
            int_or_string=raw.get("x-kubernetes-int-or-string") is True,
            constraints={k: raw[k] for k in CONSTRAINT_KEYWORDS if k in raw},
        )

    def _object_meta(self, raw: Any) -> Schema:
        """ObjectMeta, with the CRD's own restrictions of ``name``/``generateName`` if it has any."""
        meta = builtin_schema(self.kubernetes_version, OBJECT_META)
        restricted = raw.get("properties") if isinstance(raw, Mapping) else None
        if not isinstance(restricted, Mapping):
            return meta
        fields = dict(meta.properties)
        changed = False
        for name in ("name", "generateName"):
            sub = restricted.get(name)
            constraints = {k: sub[k] for k in CONSTRAINT_KEYWORDS if k in sub} if isinstance(sub, Mapping) else {}
            enum = sub.get("enum") if isinstance(sub, Mapping) else None
            if name in fields and (constraints or isinstance(enum, list)):
                fields[name] = fields[name].derive(constraints=constraints,
                                                   enum=tuple(enum) if isinstance(enum, list) else None)
                changed = True
        return meta.derive(properties=fields) if changed else meta


def _plain(value: Any) -> Any:
    """Read-only mappings and sequences (``MappingProxyType``, tuples of them) as JSON for the cache key."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not JSON: {type(value).__name__}")
