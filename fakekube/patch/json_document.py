"""The document as ``evanphx/json-patch`` v4 holds it while a JSON patch applies.

Its lazily decoded nodes (three kinds of JSON null among them), the containers a path resolves into and how
they are read and written, the copies and encoded sizes ``copy`` works with, and the node equality of ``test``.
"""

from __future__ import annotations

import decimal
from typing import Any

import orjson

from fakekube.go_text import go_quote
from fakekube.patch.errors import _GoPanic


class _OpError(Exception):
    """An error of one JSON patch operation (its Go text)."""


_MISSING = "missing value"
_INVALID_INDEX = "invalid index referenced"
_ABSENT = object()  # an operation without a "value" member: a nil node in Go


def _atoi(text: str) -> int:
    """``strconv.Atoi`` (signed decimal, int64 range), raising its error text."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise _OpError(f"strconv.Atoi: parsing {go_quote(text)}: invalid syntax")
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise _OpError(f"strconv.Atoi: parsing {go_quote(text)}: value out of range")
    return number


class _Root:
    """The document being patched: a whole-document ``replace`` swaps it."""

    def __init__(self, value: Any) -> None:
        self.value = value


# The library keeps each value as a lazily decoded node, and three kinds of JSON null behave differently:
# ``None`` is Go's nil node (a null decoded from a document, or an operation without a value); an operation's
# ``null`` value is a node without text; a copied null is a node with the text ``null`` (it decodes as an
# empty object).  Scalars an operation inserted keep the client's JSON text, which ``test`` compares.

class _NullNode:
    __slots__ = ("text",)

    def __init__(self, text: bool) -> None:
        self.text = text

    def __repr__(self) -> str:
        return "null(text)" if self.text else "null(op)"


_OP_NULL = _NullNode(False)
_TEXT_NULL = _NullNode(True)


class _PatchStr(str):
    """A string an operation inserted: its JSON text is the client's, not the server's."""


class _PatchFloat(float):
    """A float an operation inserted (its text, e.g. ``1.0``, survives copies)."""


class _NilMap:
    """The nil map a ``null`` text node decodes into: reads find nothing, writes panic."""


_NIL_MAP = _NilMap()
_Container = dict[str, Any] | list[Any] | _NilMap


def _plain(value: Any) -> Any:
    """The patched document as plain JSON values."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, _NullNode):
        return None
    if isinstance(value, _PatchStr):
        return str(value)
    if isinstance(value, _PatchFloat):
        return float(value)
    return value


def _inserted(value: Any) -> Any:
    """The node an operation's value becomes (an absent value is Go's nil)."""
    if value is _ABSENT:
        return None
    if value is None:
        return _OP_NULL
    return _mark(value)


def _mark(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _mark(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mark(item) for item in value]
    if isinstance(value, str):
        return _PatchStr(value)
    if isinstance(value, float):
        return _PatchFloat(value)
    return value


def _copied(value: Any, top: bool = True) -> Any:
    """``deepCopy``: the node re-encoded and decoded (strings take the server's escaping, floats keep text)."""
    if isinstance(value, _NullNode):
        return _TEXT_NULL if top else None
    if isinstance(value, dict):
        return {key: _copied(item, False) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item, False) for item in value]
    if isinstance(value, _PatchStr):
        return str(value)
    return value


def _encoded_size(value: Any) -> int:
    """Bytes ``json.Marshal`` gives for a node (HTML characters escaped to six bytes)."""
    if value is None:
        return 0
    text = orjson.dumps(_plain(value))
    return len(text) + 5 * sum(text.count(ch) for ch in (b"<", b">", b"&")) + 3 * (
        text.count("\u2028".encode()) + text.count("\u2029".encode()))


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _find(root: _Root, path: str) -> tuple[_Container, str] | None:
    """``findObject``: the container holding the last segment of ``path``, and that segment, unescaped.

    Every segment but the last names a container; a path without a leading ``/`` loses its first segment.
    """
    parts = path.split("/")
    if len(parts) < 2:
        return None
    container: _Container = root.value
    for part in parts[1:-1]:
        try:
            child = _get(container, _unescape(part))
        except _OpError:
            return None
        if child is _TEXT_NULL:
            container = _NIL_MAP
        elif isinstance(child, (dict, list)):
            container = child
        else:
            return None
    return container, _unescape(parts[-1])


def _array_index(key: str, size: int) -> int:
    index = _atoi(key)
    if index < 0:
        if index < -size:
            raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
        index += size
    return index


def _get(container: _Container, key: str) -> Any:
    if isinstance(container, _NilMap):
        return None
    if isinstance(container, dict):
        return container.get(key)
    index = _array_index(key, len(container))
    if index >= len(container):
        raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
    return container[index]


def _add(container: _Container, key: str, value: Any) -> None:
    if isinstance(container, _NilMap):
        raise _GoPanic("assignment to entry in nil map")
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    try:
        index = _atoi(key)
    except _OpError as exc:
        raise _OpError(f"value was not a proper array index: '{key}': {exc}") from None
    size = len(container) + 1
    if index >= size:
        raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
    if index < 0:
        if index < -size:
            raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
        index += size
    container.insert(index, value)


def _remove(container: _Container, key: str) -> None:
    if isinstance(container, (dict, _NilMap)):
        if isinstance(container, _NilMap) or key not in container:
            raise _OpError(f"Unable to remove nonexistent key: {key}: {_MISSING}")
        del container[key]
        return
    index = _atoi(key)
    if index >= len(container):
        raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
    if index < 0:
        if index < -len(container):
            raise _OpError(f"Unable to access invalid index: {index}: {_INVALID_INDEX}")
        index += len(container)
    del container[index]


def _set(container: _Container, key: str, value: Any) -> None:
    if isinstance(container, _NilMap):
        raise _GoPanic("assignment to entry in nil map")
    if isinstance(container, dict):
        container[key] = value
        return
    container[_array_index(key, len(container))] = value


def _go_json_float(value: float) -> str:
    """How ``encoding/json`` writes a float64."""
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = repr(value)
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return format(decimal.Decimal(repr(value)).normalize(), "f")


def _node_text(value: Any) -> str | None:
    """The JSON text of a scalar node; ``None`` where the server's text cannot equal a client's.

    The server writes the document with ``encoding/json``, which escapes ``<``, ``>``, ``&``, U+2028 and
    U+2029, while a client's text carries them as they are (its escapes cannot be told apart once decoded).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _PatchFloat):
        return repr(float(value))
    if isinstance(value, float):
        return _go_json_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if not isinstance(value, _PatchStr) and any(ch in value for ch in "<>&\u2028\u2029"):
            return None
        return orjson.dumps(str(value)).decode()
    return None


def _client_text(value: Any) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value)
    return orjson.dumps(value).decode()


def _node_equal(node: Any, expected: Any, top: bool) -> bool:
    """``lazyNode.equal`` of a document node and an operation's value (``top``: the value itself).

    A nested ``null`` of the value is a nil node, which the library dereferences (a panic); the value's own
    ``null`` is a node without text.
    """
    nil_expected = expected is None and not top
    if isinstance(node, dict) or node is _TEXT_NULL:
        if nil_expected:
            raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
        members: dict[str, Any] = node if isinstance(node, dict) else {}
        if not isinstance(expected, dict) or len(members) != len(expected):
            return False
        for key, value in members.items():
            if key not in expected:
                return False
            other = expected[key]
            if (value is None) != (other is None):
                return False
            if value is not None and not _node_equal(value, other, False):
                return False
        return True
    if isinstance(node, list):
        if nil_expected:
            raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
        if not isinstance(expected, list) or len(node) != len(expected):
            return False
        for value, other in zip(node, expected, strict=True):
            if value is None:
                raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
            if not _node_equal(value, other, False):
                return False
        return True
    if nil_expected:
        raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
    if node is _OP_NULL:
        return expected is None  # two nodes without text
    if expected is None or isinstance(expected, (dict, list)):
        return False
    text = _node_text(node)
    return text is not None and text == _client_text(expected)
