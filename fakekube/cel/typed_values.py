"""The few places where a rule sees a value typed by its schema rather than as JSON decoded it
(apiserver's ``UnstructuredToVal``): a ``number`` is a double even when written ``1``, and strings of
format ``date-time``/``date`` are timestamps, ``duration`` durations and ``byte`` bytes.

``converter(schema)`` is None for the usual schema that has none of these anywhere, so such rules read
the object as it is; otherwise it copies just the paths that lead to such values, per evaluation.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from typing import Any

from fakekube.cel.timestamps import parse_duration, parse_timestamp
from fakekube.cel.values import CelError

Converter = Callable[[Any], Any]


def _double(value: Any) -> Any:
    return float(value) if type(value) is int else value


def _lenient(parse: Callable[[str], Any]) -> Converter:
    """A string parsed as its format says; one that does not parse stays a string (schema validation
    reports it), so a rule comparing it fails with ``no such overload`` rather than passing."""

    def convert(value: Any) -> Any:
        if type(value) is not str:
            return value
        try:
            return parse(value)
        except (CelError, ValueError, binascii.Error):
            return value

    return convert


_FORMATS: dict[str, Converter] = {
    "date-time": _lenient(parse_timestamp),
    "date": _lenient(lambda text: parse_timestamp(f"{text}T00:00:00Z")),
    "duration": _lenient(parse_duration),
    "byte": _lenient(lambda text: base64.b64decode(text, validate=True)),
}


def _items(inner: Converter) -> Converter:
    return lambda value: [inner(v) for v in value] if type(value) is list else value


def _object(properties: dict[str, Converter], extra: Converter | None, declared: frozenset[str]) -> Converter:
    def convert(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = dict(value)
        for key, inner in properties.items():
            if key in out:
                out[key] = inner(out[key])
        if extra is not None:
            for key in out:
                if key not in declared:
                    out[key] = extra(out[key])
        return out

    return convert


def converter(schema: Mapping[str, Any]) -> Converter | None:
    """How a value of ``schema`` is shown to a rule, or None when it is shown as decoded."""
    if schema.get("x-kubernetes-int-or-string"):
        return None
    kind = schema.get("type")
    if kind == "number":
        return _double
    if kind == "string":
        return _FORMATS.get(str(schema.get("format", "")))
    if kind == "array" and isinstance(schema.get("items"), Mapping):
        inner = converter(schema["items"])
        return _items(inner) if inner is not None else None
    if kind == "object":
        declared = schema.get("properties") or {}
        properties = {name: found for name, sub in declared.items()
                      if isinstance(sub, Mapping) and (found := converter(sub)) is not None}
        extra_schema = schema.get("additionalProperties")
        extra = converter(extra_schema) if isinstance(extra_schema, Mapping) else None
        if properties or extra is not None:
            return _object(properties, extra, frozenset(declared))
    return None
