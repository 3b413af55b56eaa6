"""What an admission plugin is handed (``admission.Attributes``), apart from the chains that run the plugins, so
that each plugin can live in a module of its own (``admission_*.py``) below ``admission.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

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

    def is_core(self, plural: str) -> bool:
        """The write is to the core group's ``plural`` itself, not to one of its subresources."""
        return not self.resource.group and self.resource.plural == plural and not self.subresource


Plugin = Callable[[Attributes], None]


def stored(store: Store, table: str, namespace: str, name: str) -> dict[str, Any] | None:
    """An object as the plugins' informers see it (its stored form), or None."""
    data = store.get(table, (namespace, name))
    if data is None:
        return None
    found: dict[str, Any] = orjson.loads(data)
    return found
