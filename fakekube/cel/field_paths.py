"""A rule's ``fieldPath`` (``.spec.x``, ``['key.with.dots']``) checked against the schema and turned into
the field path its errors report (apiextensions' ``ValidFieldPath``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fakekube import errors

_TOKENS = re.compile(r"'(?:[^'\\]|\\.)*'|[.\[\]]|[^.\[\]']+")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(0)[1]
        if char not in _ESCAPES:
            raise ValueError(errors.field_path_invalid_escape(match.group(0)))
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
                raise ValueError(errors.FIELD_PATH_NOT_A_FIELD)
            node = node["properties"][name]
            parts.append(("." if parts else "") + name)
        elif isinstance(node.get("additionalProperties"), Mapping):
            node = node["additionalProperties"]
            parts.append(f"[{name}]")
        else:
            raise ValueError(errors.FIELD_PATH_NOT_A_FIELD)

    while index < len(tokens):
        token = tokens[index]
        if token == ".":
            if index + 1 >= len(tokens):
                raise ValueError(errors.FIELD_PATH_UNEXPECTED_END)
            step(tokens[index + 1])
            index += 2
        elif token == "[":
            if index + 1 >= len(tokens):
                raise ValueError(errors.FIELD_PATH_UNEXPECTED_END)
            quoted = tokens[index + 1]
            if len(quoted) < 2 or quoted[0] != "'" or quoted[-1] != "'":
                raise ValueError(errors.field_path_unquoted(quoted))
            step(_unescape(quoted[1:-1]))
            if index + 2 >= len(tokens):
                raise ValueError(errors.FIELD_PATH_UNEXPECTED_END)
            if tokens[index + 2] != "]":
                raise ValueError(errors.field_path_unclosed(tokens[index + 2]))
            index += 3
        else:
            raise ValueError(errors.field_path_unexpected_token(token))
    return "".join(parts)
