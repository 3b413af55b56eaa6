"""The storage layer: serialized objects, one revision counter, per-resource history, indexes."""

from fakekube.storage.store import (
    ADDED,
    DELETED,
    MODIFIED,
    PARSED_CACHE_SPAN,
    ConflictError,
    Event,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Store,
    TooOldError,
)

__all__ = ["ADDED", "DELETED", "MODIFIED", "PARSED_CACHE_SPAN", "ConflictError", "Event", "Key", "KeyExistsError",
           "KeyNotFoundError", "Store", "TooOldError"]
