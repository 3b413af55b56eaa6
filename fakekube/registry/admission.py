"""Admission: the steps of the write pipeline where plugins may change, then judge, a write.

kube-apiserver runs mutating admission after decoding and defaulting, and validating admission after
the strategy's own validation.  The built-in NamespaceLifecycle check runs here (objects in a missing
or terminating namespace are refused); webhooks and admission policies will join these chains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry.context import Context
from fakekube.registry.resources import ResourceInfo
from fakekube.storage import Store

CREATE, UPDATE, DELETE, CONNECT = "CREATE", "UPDATE", "DELETE", "CONNECT"


@dataclass(frozen=True)
class Attributes:
    """What admission sees of a write (``admission.Attributes``)."""

    operation: str
    resource: ResourceInfo
    namespace: str
    name: str
    subresource: str
    obj: dict[str, Any] | None
    old: dict[str, Any] | None
    context: Context


Plugin = Callable[[Attributes], None]


class Admission:
    """The admission chains of one cluster: mutating plugins run first, validating ones later."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.mutating: list[Plugin] = [self.namespace_lifecycle]
        self.validating: list[Plugin] = []

    def mutate(self, attrs: Attributes) -> None:
        for plugin in self.mutating:
            plugin(attrs)

    def validate(self, attrs: Attributes) -> None:
        for plugin in self.validating:
            plugin(attrs)

    def namespace_lifecycle(self, attrs: Attributes) -> None:
        """NamespaceLifecycle: a create needs its namespace to exist and not be terminating."""
        res = attrs.resource
        if attrs.operation != CREATE or not res.namespaced or not attrs.namespace or attrs.subresource:
            return
        data = self.store.get("namespaces", ("", attrs.namespace))
        if data is None:
            raise errors.namespace_not_found(attrs.namespace)
        if b'"deletionTimestamp"' in data and orjson.loads(data)["metadata"].get("deletionTimestamp"):
            raise errors.namespace_terminating(attrs.namespace, res.plural, res.group, attrs.name)
