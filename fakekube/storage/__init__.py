"""The storage layer: serialized objects, one revision counter, per-resource history, indexes."""

from fakekube.storage.store import (
    ADDED,
    DELETED,
    KEEP,
    MODIFIED,
    PARSED_CACHE_SPAN,
    REMOVE,
    WRITE,
    ConflictError,
    Event,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Store,
    TooOldError,
)

__all__ = [
    "ADDED",
    "DELETED",
    "KEEP",
    "MODIFIED",
    "PARSED_CACHE_SPAN",
    "REMOVE",
    "WRITE",
    "ConflictError",
    "Event",
    "Key",
    "KeyExistsError",
    "KeyNotFoundError",
    "Store",
    "TooOldError",
]
