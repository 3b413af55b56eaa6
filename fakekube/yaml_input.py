"""Reading untrusted YAML safely: aliases that expand exponentially and runaway nesting are refused.

PyYAML shares aliased nodes, but converting them to JSON expands every reference, so a few
hundred bytes of nested anchors can become billions of elements (a "billion laughs" body) and
stall the event loop.  Like go-yaml in kube-apiserver, we count what a document expands to and
refuse it past a limit, and we bound the nesting depth.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 200  # deeper documents could not be serialized as JSON objects anyway


class YAMLLimitError(yaml.YAMLError):
    pass


def _expanded_size(node: yaml.Node, memo: dict[int, int], depth: int = 0) -> int:
    if depth > MAX_DEPTH:
        raise YAMLLimitError(f"exceeded max depth of {MAX_DEPTH}")
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo, depth + 1) + _expanded_size(value, memo, depth + 1)
    if size > MAX_EXPANDED_NODES:
        raise YAMLLimitError("document contains excessive aliasing")
    memo[id(node)] = size
    return size


def guard(node: yaml.Node) -> None:
    """Raises ``YAMLLimitError`` for a document that nests too deep or expands too far through its aliases."""
    _expanded_size(node, {})


class _GuardedLoader(yaml.SafeLoader):
    def construct_document(self, node: yaml.Node) -> Any:
        guard(node)
        return super().construct_document(node)


def duplicate_keys(root: yaml.Node) -> list[tuple[int, str]]:
    """The keys set twice in one mapping under ``root``, as (line, key) in line order: what go-yaml's strict
    mode refuses ("key ... already set in map")."""
    found: list[tuple[int, str]] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        found.append((key.start_mark.line + 1, key.value))
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found)  # the stack walks last-first; go-yaml reports in line order


class _CheckingLoader(_GuardedLoader):
    """Also notes the keys each document sets twice."""

    def construct_document(self, node: yaml.Node) -> Any:
        self.duplicates: list[tuple[int, str]] = getattr(self, "duplicates", []) + duplicate_keys(node)
        return super().construct_document(node)


def load_all_noting_duplicates(text: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """``load_all``, and the (line, key) of every key set twice in a mapping, in line order."""
    loader = _CheckingLoader(text)
    try:
        docs = []
        while loader.check_data():  # type: ignore[no-untyped-call]
            docs.append(loader.get_data())
        return docs, sorted(getattr(loader, "duplicates", []))
    except RecursionError:
        raise YAMLLimitError(f"exceeded max depth of {MAX_DEPTH}") from None
    finally:
        loader.dispose()


def load_all(text: str) -> list[Any]:
    """Every document of ``text``; raises ``yaml.YAMLError`` (``YAMLLimitError`` for the limits)."""
    try:
        return list(yaml.load_all(text, Loader=_GuardedLoader))  # a SafeLoader subclass: safe
    except RecursionError:
        raise YAMLLimitError(f"exceeded max depth of {MAX_DEPTH}") from None


# PyYAML's parser problems as go-yaml (libyaml's wording) states them; scanner problems mostly agree.
_PARSER_PROBLEMS = (
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected the node content", "did not find expected node content"),
    ("expected '<document start>'", "did not find expected <document start>"),
    ("found undefined tag handle", "found undefined tag handle"),
)
_SCANNER_PROBLEMS = (
    ("mapping values are not allowed", "mapping values are not allowed in this context"),
    ("block sequence entries are not allowed", "block sequence entries are not allowed in this context"),
    ("found character", "found character that cannot start any token"),
    ("found unexpected document separator", "found unexpected document indicator"),
    ("expected alphabetic or numeric character", "did not find expected alphabetic or numeric character"),
    ("expected a comment or a line break", "did not find expected comment or line break"),
    ("found unknown escape character", "found unknown escape character"),
)


def go_yaml_error(exc: yaml.YAMLError) -> str:
    """``yaml: line N: problem`` as go-yaml v2 words a document it cannot parse: a scanner's problem names
    its line counted from 1, a parser's the 0-based line of its mark (or of its context's, when the
    mark is on the first line), and no line at all when both are on the first."""
    problem = str(getattr(exc, "problem", None) or exc)
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    table = _SCANNER_PROBLEMS if scanner else _PARSER_PROBLEMS
    problem = next((go for python, go in table if problem.startswith(python)), problem)
    if isinstance(exc, yaml.parser.ParserError) and problem.startswith("expected <block end>"):
        collection = "mapping" in str(getattr(exc, "context", ""))
        problem = "did not find expected key" if collection else "did not find expected '-' indicator"
    mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    line = 0
    if mark is not None and mark.line:
        line = mark.line + 1 if scanner else mark.line
    elif context is not None and context.line:
        line = context.line
    return f"yaml: line {line}: {problem}" if line else f"yaml: {problem}"


INT64_MIN = -(2**63)
UINT64_MAX = 2**64 - 1


def _wide_integer(value: int) -> float:
    """An integer wider than 64 bits becomes the float a JSON body's number would parse to, so a YAML
    body and a JSON body carrying the same number get the same answer."""
    try:
        return float(value)
    except OverflowError:
        return sys.float_info.max if value > 0 else -sys.float_info.max


def _key_text(key: Any) -> str:
    """A YAML map key as sigs.k8s.io/yaml turns it into a JSON key: ``true``, ``null``, ``1``."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def jsonable(value: Any) -> Any:
    """YAML scalars that JSON lacks (dates, timestamps) become strings, as sigs.k8s.io/yaml does."""
    if isinstance(value, dict):
        return {_key_text(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= UINT64_MAX:
        return _wide_integer(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "Z")
    return str(value)
