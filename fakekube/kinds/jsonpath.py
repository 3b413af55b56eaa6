"""kubectl's JSONPath (``k8s.io/client-go/util/jsonpath``), the part a CRD's printer columns use.

kube-apiserver parses each ``additionalPrinterColumns[].jsonPath`` as the template ``{<path>}`` with missing
keys allowed, and shows the first value it finds.  Supported here: ``$``/``@``, ``.field``, ``..field``
(recursive descent), ``*``, ``['name']`` (and unions of names), ``[n]``, ``[a:b:c]`` slices, unions of
indices, and filters ``[?(@.path)]`` / ``[?(@.path <op> literal-or-path)]``.  A path that does not parse
raises ``JSONPathError``; evaluation errors (an index out of range, a filter comparing a string with a
number, indexing a map) raise it too, which a table shows as an empty cell, as upstream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Step = Callable[[list[Any]], list[Any]]


class JSONPathError(ValueError):
    """A path kubectl's parser refuses, or an evaluation error."""


@dataclass(frozen=True)
class JSONPath:
    """A parsed path: its steps, applied in turn to the list of current values."""

    steps: tuple[Step, ...]

    def find(self, data: Any) -> list[Any]:
        """Every value the path reaches in ``data`` (missing keys reach nothing)."""
        values = [data]
        for step in self.steps:
            values = step(values)
        return values


def _is_name_char(char: str) -> bool:
    """``isAlphaNumeric`` of client-go's parser: letters, digits and ``_``."""
    return char == "_" or char.isalpha() or char.isdigit()


def _field(name: str) -> Step:
    def step(values: list[Any]) -> list[Any]:
        return [v[name] for v in values if isinstance(v, dict) and name in v]
    return step


def _wildcard(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, dict):
            out.extend(value.values())
        elif isinstance(value, list):
            out.extend(value)
    return out


def _descendants(values: list[Any]) -> list[Any]:
    """``evalRecursive``: every value holding children, each followed by its descendants."""
    out: list[Any] = []
    for value in values:
        children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
        if children:
            out.append(value)
            out.extend(_descendants(children))
    return out


def _recursive(next_step: Step) -> Step:
    def step(values: list[Any]) -> list[Any]:
        return next_step(_descendants(values))
    return step


@dataclass(frozen=True)
class _Slice:
    start: int | None
    end: int | None
    step: int | None
    single: bool

    def pick(self, items: list[Any]) -> list[Any]:
        length = len(items)
        if self.single:
            index = self.start or 0
            index = index + length if index < 0 else index
            if not 0 <= index < length:
                raise JSONPathError(f"array index out of bounds: index {index}, length {length}")
            return [items[index]]
        start = self.start or 0
        end = length if self.end is None else self.end
        start, end = start + length if start < 0 else start, end + length if end < 0 else end
        if start == end:
            return []
        if not 0 <= start < length or not 0 <= end <= length or start > end:
            raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
        return items[start:end:self.step or 1]


def _arrays(values: list[Any]) -> Iterator[list[Any]]:
    """The arrays an index or a filter applies to (nothing found is skipped; anything else is an error)."""
    for value in values:
        if value is None:
            continue
        if not isinstance(value, list):
            raise JSONPathError("not array or slice")
        yield value


def _indices(slices: list[_Slice]) -> Step:
    def step(values: list[Any]) -> list[Any]:
        out: list[Any] = []
        for value in _arrays(values):
            for picked in slices:
                out.extend(picked.pick(value))
        return out
    return step


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b), "!=": lambda a, b: bool(a != b), "<": lambda a, b: bool(a < b),
    ">": lambda a, b: bool(a > b), "<=": lambda a, b: bool(a <= b), ">=": lambda a, b: bool(a >= b),
}


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (isinstance(a, str) and isinstance(b, str))


def _filter(left: JSONPath, operator: str, right: JSONPath | None, literal: Any) -> Step:
    def one(path: JSONPath, item: Any) -> list[Any]:
        found = path.find(item)
        if len(found) > 1:
            raise JSONPathError("can only compare one element at a time")
        return found

    def step(values: list[Any]) -> list[Any]:
        out: list[Any] = []
        for value in _arrays(values):
            for item in value:
                lefts = one(left, item)
                if operator == "exists":
                    out.extend([item] if lefts else [])
                    continue
                rights = one(right, item) if right is not None else [literal]
                if not lefts or not rights:
                    continue
                if not _comparable(lefts[0], rights[0]):
                    raise JSONPathError("incompatible types for comparison")
                if _OPERATORS[operator](lefts[0], rights[0]):
                    out.append(item)
        return out
    return step


class _Parser:
    """A reader of one action's text (what sits between ``{`` and ``}``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise JSONPathError(f"expected {char!r} at {self.pos} in {self.text!r}")
        self.pos += 1

    def path(self, stop: str = "") -> JSONPath:
        steps: list[Step] = []
        if self.peek() in ("$", "@"):
            self.pos += 1
        while self.pos < len(self.text) and self.peek() not in stop:
            char = self.peek()
            if char == "." and self.peek(1) == ".":
                self.pos += 2
                nested = self.path_step()
                steps.append(_recursive(nested))
            elif char in ".[":
                steps.append(self.path_step())
            elif char == " ":
                self.pos += 1
            else:
                raise JSONPathError(f"unrecognized character in action: {char!r}")
        return JSONPath(tuple(steps))

    def path_step(self) -> Step:
        if self.peek() == "[":
            return self.bracket()
        if self.peek() == ".":
            self.pos += 1
        return self.name()

    def name(self) -> Step:
        if self.peek() == "*":
            self.pos += 1
            return _wildcard
        chars: list[str] = []
        while self.peek() and (_is_name_char(self.peek()) or self.peek() == "\\"):
            if self.peek() == "\\":
                self.pos += 1
                if not self.peek():
                    raise JSONPathError("unterminated escape")
            chars.append(self.peek())
            self.pos += 1
        if not chars:
            return lambda values: values  # ``.`` alone: the current object
        return _field("".join(chars))

    def bracket(self) -> Step:
        self.expect("[")
        if self.peek() == "?":
            self.pos += 1
            self.expect("(")
            step = self.filter()
            self.expect(")")
            self.expect("]")
            return step
        if self.peek() == "*" and self.peek(1) == "]":
            self.pos += 2
            return _wildcard
        if self.peek() in ("'", '"'):
            names = [self.quoted()]
            while self.peek() == ",":
                self.pos += 1
                self.spaces()
                names.append(self.quoted())
            self.expect("]")
            fields = [_field(n) for n in names]
            return lambda values: [v for f in fields for v in f(values)]
        slices = [self.slice()]
        while self.peek() == ",":
            self.pos += 1
            slices.append(self.slice())
        self.expect("]")
        return _indices(slices)

    def spaces(self) -> None:
        while self.peek() == " ":
            self.pos += 1

    def quoted(self) -> str:
        quote = self.peek()
        self.pos += 1
        end = self.text.find(quote, self.pos)
        if end < 0:
            raise JSONPathError("unclosed quote")
        value = self.text[self.pos:end]
        self.pos = end + 1
        return value

    def integer(self) -> int | None:
        self.spaces()
        start = self.pos
        if self.peek() in "+-" and self.peek():
            self.pos += 1
        while self.peek().isdigit():
            self.pos += 1
        text = self.text[start:self.pos]
        self.spaces()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise JSONPathError(f"invalid array index {text!r}") from None

    def slice(self) -> _Slice:
        parts = [self.integer()]
        while self.peek() == ":" and len(parts) < 3:
            self.pos += 1
            parts.append(self.integer())
        if self.peek() not in (",", "]"):
            raise JSONPathError(f"invalid array index at {self.pos}")
        if len(parts) == 1:
            if parts[0] is None:
                raise JSONPathError("empty array index")
            return _Slice(parts[0], None, None, True)
        return _Slice(parts[0], parts[1], parts[2] if len(parts) > 2 else None, False)

    def filter(self) -> Step:
        self.spaces()
        left = self.path(stop=" =!<>)")
        self.spaces()
        operator = next((op for op in ("==", "!=", "<=", ">=", "<", ">") if self.text.startswith(op, self.pos)),
                        "exists")
        if operator == "exists":
            return _filter(left, operator, None, None)
        self.pos += len(operator)
        self.spaces()
        right: JSONPath | None = None
        literal: Any = None
        if self.peek() in ("'", '"'):
            literal = self.quoted()
        elif self.peek() in ("@", "$"):
            right = self.path(stop=" )")
        else:
            start = self.pos
            while self.peek() and self.peek() not in " )":
                self.pos += 1
            literal = _number_or_bool(self.text[start:self.pos])
        self.spaces()
        return _filter(left, operator, right, literal)


def _number_or_bool(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise JSONPathError(f"unrecognized filter operand {text!r}") from None


def parse(path: str) -> JSONPath:
    """``jsonpath.Parse("{" + path + "}")`` of one column: the path, or ``JSONPathError``."""
    parser = _Parser(path.strip())
    parsed = parser.path()
    if parser.pos != len(parser.text):
        raise JSONPathError(f"unexpected text at {parser.pos} in {path!r}")
    return parsed


def first(path: JSONPath, data: Any) -> tuple[Any, bool]:
    """The first value ``path`` reaches in ``data`` and whether there is one (an evaluation error: none)."""
    try:
        found = path.find(data)
    except JSONPathError:
        return None, False
    return (found[0], True) if found else (None, False)
