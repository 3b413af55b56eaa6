"""The owner index: which stored objects name a given owner uid in their ``ownerReferences``.

kube-controller-manager's garbage collector keeps a graph of owners and dependents built from its
informers; here the store keeps the same edges as it writes, so the garbage collector of a cluster
finds an owner's dependents in time proportional to their number, not to the size of the store.
"""

from __future__ import annotations

from typing import Any

Ref = tuple[str, tuple[str, str]]  # (table, (namespace, name))


def owner_uids(obj: dict[str, Any]) -> tuple[str, ...]:
    """The uids an object's ``ownerReferences`` name."""
    refs = obj["metadata"].get("ownerReferences")
    if not refs:
        return ()
    return tuple(ref["uid"] for ref in refs if isinstance(ref, dict) and isinstance(ref.get("uid"), str))


class OwnerIndex:
    __slots__ = ("_dependents", "_owners")

    def __init__(self) -> None:
        self._dependents: dict[str, dict[Ref, None]] = {}  # owner uid -> dependents, in the order they became so
        self._owners: dict[Ref, tuple[str, ...]] = {}  # dependent -> the owner uids it names

    def __bool__(self) -> bool:
        return bool(self._owners)

    def __contains__(self, ref: Ref) -> bool:
        return ref in self._owners

    def dependents(self, uid: str) -> list[Ref]:
        found = self._dependents.get(uid)
        return list(found) if found else []

    def owners(self, ref: Ref) -> tuple[str, ...]:
        return self._owners.get(ref, ())

    def set(self, ref: Ref, uids: tuple[str, ...]) -> None:
        """Record that ``ref`` now names ``uids`` (empty: it names none, or it is gone)."""
        old = self._owners.get(ref, ())
        if old == uids:
            return
        for uid in old:
            if uid not in uids:
                bucket = self._dependents.get(uid)
                if bucket is not None:
                    bucket.pop(ref, None)
                    if not bucket:
                        del self._dependents[uid]
        for uid in uids:
            self._dependents.setdefault(uid, {})[ref] = None
        if uids:
            self._owners[ref] = uids
        else:
            self._owners.pop(ref, None)
