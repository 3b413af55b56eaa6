"""Field sets: which fields of an object a manager owns, as structured-merge-diff's ``fieldpath.Set``.

A set is kept in the form ``metadata.managedFields`` stores it, ``FieldsV1``: a dict from *path elements*
to the sets below them, so the stored form needs no translation in either direction and a manager whose
fields a write does not touch costs nothing:

* ``f:<name>``: a field of an object (a struct field or a map key);
* ``k:<json>``: an item of an associative list, by its key fields (a JSON object, keys sorted);
* ``v:<json>``: an item of a set (a list of scalars), by its value;
* ``i:<n>``: an item of a list by index.

Under an element, ``{}`` means the path is in the set; a dict with children means its paths are, and
the path itself too only when the dict holds ``"."``.  Sets are never changed in place once built: the
operations return new dicts and share the untouched subtrees.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from fakekube.go_text import go_json_escaped, go_json_float, go_quote

FieldSet = dict[str, Any]  # element -> FieldSet, plus "." where a node with children is itself a member
Path = tuple[str, ...]
SELF = "."


class Sorted(dict[str, Any]):
    """A node built in ``FieldsV1`` order (``"."`` first, then elements in structured-merge-diff's order),
    and so are all the nodes below it: ``sorted_fields`` takes it as it is."""

    __slots__ = ()


def is_member(node: Mapping[str, Any]) -> bool:
    """Whether the path that leads to ``node`` is itself in the set."""
    return not node or SELF in node


def _node(member: bool, children: FieldSet) -> FieldSet | None:
    """The node of a path from whether it is a member and the sets below it (``None``: it holds nothing);
    ``children`` is never changed, as it may be an operand."""
    if not children:
        return {} if member else None
    return {**children, SELF: {}} if member else children


def _without_self(node: FieldSet) -> FieldSet:
    return node if SELF not in node else {k: v for k, v in node.items() if k != SELF}


def union(a: FieldSet, b: FieldSet) -> FieldSet:
    """The paths of either set (the result may share, or be, either operand: never change it)."""
    if not b or a is b:
        return a
    if not a:
        return b
    out = _without_self(a)
    out = dict(out) if out is a else out
    for element, theirs in b.items():
        if element == SELF:
            continue
        mine = out.get(element)
        if mine is None:
            out[element] = theirs
        elif mine is not theirs and mine != theirs:
            merged = _node(is_member(mine) or is_member(theirs), union(_without_self(mine), _without_self(theirs)))
            assert merged is not None  # either side holds something
            out[element] = merged
    return out


def difference(a: FieldSet, b: FieldSet) -> FieldSet:
    """The paths of ``a`` that are not in ``b`` (may share or be ``a``: never change it)."""
    if not b or not a:
        return a
    if a is b or a == b:
        return {}
    out: FieldSet = {}
    for element, mine in a.items():
        if element == SELF:
            continue
        theirs = b.get(element)
        if theirs is None:
            out[element] = mine
            continue
        if mine is theirs or mine == theirs:
            continue
        rest = _node(is_member(mine) and not is_member(theirs), difference(_without_self(mine), _without_self(theirs)))
        if rest is not None:
            out[element] = rest
    return out


def intersection(a: FieldSet, b: FieldSet) -> FieldSet:
    if not a or not b:
        return {}
    if a is b or a == b:
        return a
    out: FieldSet = {}
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    for element, mine in small.items():
        if element == SELF:
            continue
        theirs = large.get(element)
        if theirs is None:
            continue
        both = _node(is_member(mine) and is_member(theirs), intersection(_without_self(mine), _without_self(theirs)))
        if both is not None:
            out[element] = both
    return out


def without_under(fields: FieldSet, prefixes: FieldSet) -> FieldSet:
    """``fields`` minus every path at or under a member of ``prefixes`` (an exclude filter)."""
    if not prefixes or not fields:
        return fields
    out: FieldSet = {}
    for element, mine in fields.items():
        if element == SELF:
            continue
        theirs = prefixes.get(element)
        if theirs is None:
            out[element] = mine
        elif not is_member(theirs):
            rest = _node(is_member(mine), without_under(_without_self(mine), _without_self(theirs)))
            if rest is not None:
                out[element] = rest
    return out


def has(fields: FieldSet, path: Path) -> bool:
    node: Mapping[str, Any] | None = fields
    for element in path:
        node = node.get(element) if node is not None else None
        if node is None:
            return False
    return bool(path) and is_member(node)  # type: ignore[arg-type]


def from_paths(*paths: Path) -> FieldSet:
    """The set of exactly ``paths`` (their parents are only parents)."""
    members = set(paths)
    root: FieldSet = {}
    for path in paths:
        node = root
        for element in path:
            node = node.setdefault(element, {})

    def mark(node: FieldSet, prefix: Path) -> None:
        for element, child in node.items():
            if child:
                path = (*prefix, element)
                mark(child, path)
                if path in members:
                    child[SELF] = {}

    mark(root, ())
    return root


def paths(fields: Mapping[str, Any], prefix: Path = ()) -> Iterator[Path]:
    """Every member path, in structured-merge-diff's order (``Set.Iterate``: members, then children)."""
    elements = sorted((e for e in fields if e != SELF), key=element_sort_key)
    for element in elements:
        if is_member(fields[element]):
            yield (*prefix, element)
    for element in elements:
        child = fields[element]
        if len(child) > (SELF in child):
            yield from paths(child, (*prefix, element))


def sorted_fields(fields: Mapping[str, Any]) -> FieldSet:
    """The ``FieldsV1`` document: ``"."`` first, then elements in structured-merge-diff's order."""
    if type(fields) is Sorted:
        return fields
    out: FieldSet = {}
    if SELF in fields:
        out[SELF] = {}
    keys = [e for e in fields if e != SELF]
    if all(e[0] == "f" for e in keys):
        keys.sort()
    else:
        keys.sort(key=element_sort_key)
    for element in keys:
        child = fields[element]
        out[element] = sorted_fields(child) if child else {}
    return out


def canonical(document: Any) -> FieldSet:
    """A ``FieldsV1`` document from a client, each element spelled as this module spells it (``k:`` keys
    sorted, values in Go's JSON), elements of an unknown kind dropped, as structured-merge-diff reads them;
    raises ``ValueError`` where it is not a set."""
    if not isinstance(document, Mapping):
        raise ValueError("expected an object")
    out: FieldSet = {}
    for key, value in document.items():
        if key == SELF:
            out[SELF] = {}
            continue
        if not isinstance(key, str) or len(key) < 2:
            raise ValueError(f"key must be 2 characters long: {key!r}")
        if key[1] != ":":
            raise ValueError(f"missing colon: {key}")
        element = _canonical_element(key)
        child = canonical(value)
        if element is not None:
            if element in out and out[element] != child:
                raise ValueError(f"element {element} given twice")
            out[element] = child
    return out


_INDEX = re.compile(r"[+-]?[0-9]+")


def _canonical_element(key: str) -> str | None:
    kind, rest = key[0], key[2:]
    if kind == "f":
        return key
    if kind == "i":
        if not _INDEX.fullmatch(rest):
            raise ValueError(f"invalid index: {key}")
        return f"i:{int(rest)}"
    if kind == "v":
        return value_element(orjson.loads(rest))
    if kind == "k":
        fields = orjson.loads(rest)
        if not isinstance(fields, dict):
            raise ValueError(f"invalid key: {key}")
        return key_element(list(fields.items()))
    return None  # an element of a kind this version does not know: skipped


# --- element spelling ----------------------------------------------------------------------------------

def json_value(value: Any) -> str:
    """A value as structured-merge-diff writes it into a ``k:`` or ``v:`` element: compact JSON with
    encoding/json's HTML escaping of strings and its way of writing floats."""
    if type(value) is float:
        return go_json_float(value)
    return go_json_escaped(orjson.dumps(value).decode())


def key_element(keys: list[tuple[str, Any]]) -> str:
    """The ``k:`` element of an associative list item from its key fields (written sorted by name)."""
    if len(keys) == 1 and type(keys[0][1]) in (str, int):
        return _single_key_element(*keys[0])  # the usual key (a name, a port), remembered
    return _key_text(tuple(sorted(keys)))


def _key_text(keys: tuple[tuple[str, Any], ...]) -> str:
    return "k:{" + ",".join(f"{json_value(name)}:{json_value(value)}" for name, value in keys) + "}"


@functools.lru_cache(maxsize=16384)
def _single_key_element(name: str, value: str | int) -> str:
    return _key_text(((name, value),))


def value_element(value: Any) -> str:
    return "v:" + json_value(value)


def path_string(path: Path) -> str:
    """A path as structured-merge-diff prints it in conflicts: ``.spec.containers[name="nginx"].image``."""
    out = []
    for element in path:
        kind, rest = element[0], element[2:]
        if kind == "f":
            out.append("." + rest)
        elif kind == "k":
            fields = orjson.loads(rest)
            out.append("[" + ",".join(f"{name}={_go_value(value)}" for name, value in fields.items()) + "]")
        elif kind == "v":
            out.append("[=" + _go_value(orjson.loads(rest)) + "]")
        else:
            out.append("[" + rest + "]")
    return "".join(out)


def _go_value(value: Any) -> str:
    """``value.ToString``: strings quoted as Go's ``%q``, other values as JSON."""
    return go_quote(value) if isinstance(value, str) else json_value(value)


# --- ordering (PathElement.Compare) --------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)  # a pure function of the element: items recur in every object of a kind
def element_sort_key(element: str) -> tuple[Any, ...]:
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
