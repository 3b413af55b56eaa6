"""Validation ratcheting of custom resources: an update may keep a value the schema now refuses.

kube-apiserver (GA since v1.33) validates an update node by node, carrying the old object along where
it can *correlate* it with the new one: an object's field with the old object's field of the same name
(declared in ``properties`` or a map value of ``additionalProperties``), a ``x-kubernetes-list-type:
map`` item with the old item of the same keys.  Atomic lists and sets are never correlated item by
item.  Whenever a correlated node has schema errors (its own or from anything below it) and its value
is deep-equal to the old one, the errors are dropped.

So an error found at node path ``P`` is dropped when some node on the way from the root to ``P``, as
far as the correlation reaches, holds the value it held before.  ``Correlation`` is one such node,
with its children and equality computed once per update and shared by every error checked.
"""

from __future__ import annotations

from typing import Any

from fakekube.schema.model import Schema

_UNSET = object()


class Correlation:
    """The new and the old value at one place of an update, as far as they correlate."""

    __slots__ = ("_children", "_equal", "_old_items", "new", "node", "old")

    def __init__(self, new: Any, old: Any, node: Schema | None) -> None:
        self.new = new
        self.old = old
        self.node = node
        self._equal: bool | None = None
        self._children: dict[str | int, Correlation | None] = {}
        self._old_items: dict[Any, Any] | None = None  # list-map: old items by key (first one wins)

    def key(self, name: str) -> Correlation | None:
        """The field ``name`` of both objects, or None when either lacks it or the schema says nothing of it."""
        if name in self._children:
            return self._children[name]
        found: Correlation | None = None
        node = self.node
        if node is not None and isinstance(self.new, dict) and isinstance(self.old, dict) \
                and name in self.new and name in self.old:
            child = node.properties.get(name)
            if child is None:
                child = node.additional_properties
            if child is not None:
                found = Correlation(self.new[name], self.old[name], child)
        self._children[name] = found
        return found

    def index(self, position: int) -> Correlation | None:
        """The new list's item at ``position`` and the old item of the same list-map keys (None otherwise)."""
        if position in self._children:
            return self._children[position]
        found: Correlation | None = None
        node = self.node
        if node is not None and node.list_type == "map" and node.items is not None \
                and isinstance(self.new, list) and isinstance(self.old, list) and position < len(self.new):
            old_item = self._old_item(self.new[position])
            if old_item is not None:
                found = Correlation(self.new[position], old_item, node.items)
        self._children[position] = found
        return found

    def _old_item(self, new_item: Any) -> Any:
        assert self.node is not None
        keys = self.node.list_map_keys
        if not keys or not isinstance(new_item, dict) or not self.old:
            return None
        if self._old_items is None:
            self._old_items = {}
            for item in self.old:
                item_key = _map_key(item, keys) if isinstance(item, dict) else None
                if item_key is not None:
                    self._old_items.setdefault(item_key, item)
        wanted = _map_key(new_item, keys)
        return self._old_items.get(wanted) if wanted is not None else None

    def equal(self) -> bool:
        """Whether the new value is the old one, comparing correlated children (``CachedDeepEqual``)."""
        if self._equal is None:
            self._equal = self._compute_equal()
        return self._equal

    def _compute_equal(self) -> bool:
        new, old = self.new, self.old
        if new is None or old is None:
            return new is None and old is None
        if isinstance(new, list) != isinstance(old, list) or isinstance(new, dict) != isinstance(old, dict):
            return False
        if isinstance(new, list):
            if len(new) != len(old):
                return False
            for position in range(len(new)):
                child = self.index(position)
                if child is None:
                    # an atomic list or a set is compared whole; a list-map item without a match differs
                    is_map = self.node is not None and self.node.list_type == "map"
                    return not is_map and deep_equal(new, old)
                if not child.equal():
                    return False
            return True
        if isinstance(new, dict):
            if len(new) != len(old):
                return False
            for name in new:
                child = self.key(name)
                if child is None or not child.equal():
                    return False
            return True
        return deep_equal(new, old)


def _map_key(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The identity of a list-map item: its key fields' scalar values (None when one is missing or not scalar)."""
    out = []
    for name in keys:
        if name not in item:
            return None
        value = item[name]
        if isinstance(value, (dict, list)) or value is None:
            return None
        out.append((type(value).__name__, value))
    return tuple(out)


def deep_equal(new: Any, old: Any) -> bool:
    """``reflect.DeepEqual`` of decoded JSON: a boolean is never a number, an integer never a float."""
    if type(new) is not type(old):
        return False
    if isinstance(new, dict):
        return new.keys() == old.keys() and all(deep_equal(v, old[k]) for k, v in new.items())
    if isinstance(new, list):
        return len(new) == len(old) and all(deep_equal(a, b) for a, b in zip(new, old, strict=True))
    return bool(new == old)


def ratcheted(root: Correlation, path: tuple[str | int, ...], *, resource_root: bool = True) -> bool:
    """Whether the schema errors of the node at ``path`` are dropped: some correlated node from the root
    down to it is unchanged.  A resource's ``kind`` and ``apiVersion`` are never correlated."""
    here: Correlation | None = root
    for depth, part in enumerate(path):
        assert here is not None
        if here.equal():
            return True
        if resource_root and depth == 0 and part in ("kind", "apiVersion"):
            return False
        here = here.index(part) if isinstance(part, int) else here.key(part)
        if here is None:
            return False
    assert here is not None
    return here.equal()
