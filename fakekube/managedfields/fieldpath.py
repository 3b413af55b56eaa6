"""Field sets: which fields of an object a manager owns, as structured-merge-diff's ``fieldpath.Set``.

A path is a tuple of *path elements*, each spelled as it is in a ``FieldsV1`` document, so the wire
form needs no translation:

* ``f:<name>``: a field of an object (a struct field or a map key);
* ``k:<json>``: an item of an associative list, by its key fields (a JSON object, keys sorted);
* ``v:<json>``: an item of a set (a list of scalars), by its value;
* ``i:<n>``: an item of a list by index (only where a list has neither keys nor set semantics).

A set is a tree: ``members`` are the paths that end at this node, ``children`` the subtrees of the
paths that go on.  A path can be both (``.`` in ``FieldsV1``: the node itself is owned, and so are
some of its children).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

Element = str
Path = tuple[Element, ...]


class FieldSet:
    """A set of paths (``fieldpath.Set``).  Treated as immutable by the operations that return new sets."""

    __slots__ = ("children", "members")

    def __init__(self, members: set[Element] | None = None, children: dict[Element, FieldSet] | None = None):
        self.members: set[Element] = members if members is not None else set()
        self.children: dict[Element, FieldSet] = children if children is not None else {}

    def __repr__(self) -> str:
        return f"FieldSet({self.to_fields_v1()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldSet):
            return NotImplemented
        return self.members == other.members and _nonempty(self.children) == _nonempty(other.children)

    __hash__ = None  # type: ignore[assignment]

    # --- building ----------------------------------------------------------------------------------

    def insert(self, path: Path) -> None:
        """Adds ``path`` (in place; for builders only)."""
        node = self
        for element in path[:-1]:
            child = node.children.get(element)
            if child is None:
                child = node.children[element] = FieldSet()
            node = child
        if path:
            node.members.add(path[-1])

    def descend(self, element: Element) -> FieldSet:
        """The subtree under ``element``, created if missing (in place; for builders only)."""
        child = self.children.get(element)
        if child is None:
            child = self.children[element] = FieldSet()
        return child

    # --- queries -----------------------------------------------------------------------------------

    def empty(self) -> bool:
        if self.members:
            return False
        return all(child.empty() for child in self.children.values())

    def has(self, path: Path) -> bool:
        node: FieldSet | None = self
        for element in path[:-1]:
            node = node.children.get(element) if node is not None else None
            if node is None:
                return False
        return node is not None and bool(path) and path[-1] in node.members

    def with_prefix(self, element: Element) -> FieldSet:
        """The paths under ``element``, without it (``Set.WithPrefix``)."""
        return self.children.get(element) or EMPTY

    def paths(self, prefix: Path = ()) -> Iterator[Path]:
        """Every member path, in the order structured-merge-diff iterates them."""
        for element in sorted(self.members | set(self.children), key=element_sort_key):
            if element in self.members:
                yield (*prefix, element)
            child = self.children.get(element)
            if child is not None:
                yield from child.paths((*prefix, element))

    # --- set algebra (new sets; the operands are not changed) --------------------------------------

    def union(self, other: FieldSet) -> FieldSet:
        if other.empty():
            return self
        if self.empty():
            return other
        children = dict(self.children)
        for element, child in other.children.items():
            mine = children.get(element)
            children[element] = child if mine is None else mine.union(child)
        return FieldSet(self.members | other.members, children)

    def difference(self, other: FieldSet) -> FieldSet:
        if other.empty():
            return self
        children: dict[Element, FieldSet] = {}
        for element, child in self.children.items():
            theirs = other.children.get(element)
            rest = child if theirs is None else child.difference(theirs)
            if not rest.empty():
                children[element] = rest
        return FieldSet(self.members - other.members, children)

    def intersection(self, other: FieldSet) -> FieldSet:
        children: dict[Element, FieldSet] = {}
        for element, child in self.children.items():
            theirs = other.children.get(element)
            if theirs is not None:
                both = child.intersection(theirs)
                if not both.empty():
                    children[element] = both
        return FieldSet(self.members & other.members, children)

    def without_leaves_under(self, prefixes: FieldSet) -> FieldSet:
        """The set minus every path that starts with a member of ``prefixes`` (``Set.RecursiveDifference``)."""
        if prefixes.empty():
            return self
        members = self.members - prefixes.members
        children: dict[Element, FieldSet] = {}
        for element, child in self.children.items():
            if element in prefixes.members:
                continue
            theirs = prefixes.children.get(element)
            rest = child if theirs is None else child.without_leaves_under(theirs)
            if not rest.empty():
                children[element] = rest
        return FieldSet(members, children)

    def only_under(self, prefixes: FieldSet) -> FieldSet:
        """The paths that start with a member of ``prefixes`` (the complement of ``without_leaves_under``)."""
        return self.difference(self.without_leaves_under(prefixes))

    # --- FieldsV1 ----------------------------------------------------------------------------------

    def to_fields_v1(self) -> dict[str, Any]:
        """The ``FieldsV1`` document, keys in structured-merge-diff's order."""
        return self._emit(include_self=False)

    def _emit(self, include_self: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if include_self:
            out["."] = {}
        for element in sorted(self.members | set(self.children), key=element_sort_key):
            child = self.children.get(element)
            if child is None or child.empty():
                out[element] = {}
            else:
                out[element] = child._emit(include_self=element in self.members)
        return out

    @classmethod
    def from_fields_v1(cls, document: Mapping[str, Any]) -> FieldSet:
        """Parses a ``FieldsV1`` document; raises ``ValueError`` where it is not one."""
        out = cls()
        for key, value in document.items():
            if key == ".":
                continue  # the node itself: its parent records it as a member
            if not isinstance(value, Mapping):
                raise ValueError(f"expected an object at {key!r}")
            if not _valid_element(key):
                raise ValueError(f"unknown path element {key!r}")
            if not value or "." in value:
                out.members.add(key)
            rest = {k: v for k, v in value.items() if k != "."}
            if rest:
                out.children[key] = cls.from_fields_v1(rest)
        return out


EMPTY = FieldSet()


def _nonempty(children: dict[Element, FieldSet]) -> dict[Element, FieldSet]:
    return {k: v for k, v in children.items() if not v.empty()}


def _valid_element(key: str) -> bool:
    kind, _, rest = key.partition(":")
    if kind == "f":
        return True
    if kind == "i":
        return rest.isdigit()
    if kind in ("k", "v"):
        try:
            orjson.loads(rest)
        except orjson.JSONDecodeError:
            return False
        return kind == "v" or rest.startswith("{")
    return False


# --- element spelling ----------------------------------------------------------------------------------


def field(name: str) -> Element:
    return "f:" + name


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_value(value: Any) -> str:
    """A value as structured-merge-diff writes it into a ``k:`` or ``v:`` element: compact JSON with
    encoding/json's HTML escaping of strings."""
    text = orjson.dumps(value).decode()
    if any(c in text for c in _HTML_ESCAPES):
        text = "".join(_HTML_ESCAPES.get(c, c) for c in text)
    return text


def key_element(keys: list[tuple[str, Any]]) -> Element:
    """The ``k:`` element of an associative list item from its key fields (sorted by name)."""
    return "k:{" + ",".join(f"{json_value(name)}:{json_value(value)}" for name, value in sorted(keys)) + "}"


def value_element(value: Any) -> Element:
    return "v:" + json_value(value)


def index_element(index: int) -> Element:
    return f"i:{index}"


def path_string(path: Path) -> str:
    """A path as structured-merge-diff prints it in conflicts: ``.spec.containers[name="nginx"].image``."""
    out = []
    for element in path:
        kind, rest = element[0], element[2:]
        if kind == "f":
            out.append("." + rest)
        elif kind == "k":
            fields = orjson.loads(rest)
            out.append("[" + ",".join(f"{name}={json_value(value)}" for name, value in fields.items()) + "]")
        elif kind == "v":
            out.append("[=" + rest + "]")
        else:
            out.append("[" + rest + "]")
    return "".join(out)


# --- ordering (PathElement.Compare) --------------------------------------------------------------------

_KIND_ORDER = {"f": 0, "k": 1, "v": 2, "i": 3}


def element_sort_key(element: Element) -> tuple[Any, ...]:
    """Field names, then keys, then values, then indices; within each, structured-merge-diff's order."""
    kind = element[0]
    rest = element[2:]
    if kind == "f":
        return (0, rest.encode())
    if kind == "i":
        return (3, int(rest))
    value = orjson.loads(rest)
    if kind == "k":
        return (1, _field_list_key(value))
    return (2, value_sort_key(value))


def _field_list_key(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    # value.FieldList.Compare: field by field (name, then value), a shorter list first on a tie.
    return tuple((name.encode(), value_sort_key(value)) for name, value in sorted(fields.items()))


def value_sort_key(value: Any) -> tuple[Any, ...]:
    """``value.Compare``: numbers (ints and floats alike) < strings < booleans < lists < maps < null."""
    if value is None:
        return (5,)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.encode())
    if isinstance(value, list):
        return (3, tuple(value_sort_key(v) for v in value))
    if isinstance(value, dict):
        return (4, _field_list_key(value))
    return (6,)
