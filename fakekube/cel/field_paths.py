"""A rule's ``fieldPath`` (``.spec.x``, ``['key.with.dots']``) checked against the schema and turned into
the field path its errors report (apiextensions' ``ValidFieldPath``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TOKENS = re.compile(r"'(?:[^'\\]|\\.)*'|[.\[\]]|[^.\[\]']+")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(0)[1]
        if char not in _ESCAPES:
            raise ValueError(f"invalid string literal: invalid escape char {match.group(0)}")
        return _ESCAPES[char]

    return re.sub(r"\\.", replace, text)


def field_path_of(json_path: str, schema: Mapping[str, Any]) -> str:
    """The field path ``json_path`` names under ``schema``; ``ValueError`` with upstream's reason if none."""
    if not json_path:
        return ""
    parts: list[str] = []
    tokens = _TOKENS.findall(json_path)
    node: Mapping[str, Any] = schema
    index = 0

    def step(name: str) -> None:
        nonlocal node
        if "properties" in node:
            if name not in node["properties"]:
                raise ValueError("does not refer to a valid field")
            node = node["properties"][name]
            parts.append(("." if parts else "") + name)
        elif isinstance(node.get("additionalProperties"), Mapping):
            node = node["additionalProperties"]
            parts.append(f"[{name}]")
        else:
            raise ValueError("does not refer to a valid field")

    while index < len(tokens):
        token = tokens[index]
        if token == ".":
            if index + 1 >= len(tokens):
                raise ValueError("unexpected end of JSON path")
            step(tokens[index + 1])
            index += 2
        elif token == "[":
            if index + 1 >= len(tokens):
                raise ValueError("unexpected end of JSON path")
            quoted = tokens[index + 1]
            if len(quoted) < 2 or quoted[0] != "'" or quoted[-1] != "'":
                raise ValueError(f"expected single quoted string but got {quoted}")
            step(_unescape(quoted[1:-1]))
            if index + 2 >= len(tokens):
                raise ValueError("unexpected end of JSON path")
            if tokens[index + 2] != "]":
                raise ValueError(f"expected ] but got {tokens[index + 2]}")
            index += 3
        else:
            raise ValueError(f"expected [ or . but got: {token}")
    return "".join(parts)
