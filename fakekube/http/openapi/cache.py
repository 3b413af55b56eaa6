"""Per-process caches of built documents and their keys.

A key holds the Kubernetes version and the resources a document describes (with a fingerprint of
custom schemas, which ``ResourceInfo`` equality leaves out), so equal inputs share one build.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube.registry.resources import ResourceInfo


class _LRU:
    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_V2_CACHE = _LRU(16)
_V3_CACHE = _LRU(512)
_INDEX_CACHE = _LRU(64)


def clear_caches() -> None:
    """Forget every built document (tests; the documents depend only on their cache keys)."""
    _V2_CACHE.clear()
    _V3_CACHE.clear()
    _INDEX_CACHE.clear()


@dataclass(frozen=True)
class _Key:
    kubernetes_version: str
    resources: frozenset[ResourceInfo]
    # ResourceInfo leaves its schema out of equality: fingerprint custom schemas separately.
    schemas: frozenset[tuple[ResourceInfo, str]] = field(default=frozenset())


def _key(kubernetes_version: str, resources: Iterable[ResourceInfo]) -> _Key:
    frozen = frozenset(resources)
    schemas = frozenset(
        (res, hashlib.sha256(orjson.dumps(res.schema, option=orjson.OPT_SORT_KEYS)).hexdigest())
        for res in frozen if res.schema is not None
    )
    return _Key(kubernetes_version, frozen, schemas)
