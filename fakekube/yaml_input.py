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


class _GuardedLoader(yaml.SafeLoader):
    def construct_document(self, node: yaml.Node) -> Any:
        _expanded_size(node, {})
        return super().construct_document(node)


def load_all(text: str) -> list[Any]:
    """Every document of ``text``; raises ``yaml.YAMLError`` (``YAMLLimitError`` for the limits)."""
    try:
        return list(yaml.load_all(text, Loader=_GuardedLoader))  # a SafeLoader subclass: safe
    except RecursionError:
        raise YAMLLimitError(f"exceeded max depth of {MAX_DEPTH}") from None


INT64_MIN = -(2**63)
UINT64_MAX = 2**64 - 1


def _wide_integer(value: int) -> float:
    """An integer wider than 64 bits becomes the float a JSON body's number would parse to, so a YAML
    body and a JSON body carrying the same number get the same answer."""
    try:
        return float(value)
    except OverflowError:
        return sys.float_info.max if value > 0 else -sys.float_info.max


def jsonable(value: Any) -> Any:
    """YAML scalars that JSON lacks (dates, timestamps) become strings, as sigs.k8s.io/yaml does."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
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
