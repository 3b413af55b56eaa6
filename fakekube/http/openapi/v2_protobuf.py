"""``/openapi/v2`` as protocol buffers (gnostic's ``openapi.v2.Document``), what client-go asks for."""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from fakekube.http.openapi.cache import _V2_CACHE, _key
from fakekube.http.openapi.v2 import _v2_document
from fakekube.registry.catalog import Catalog
from fakekube.schema import files as schema_files

# What kubectl sends in Accept (the first, deprecated spelling) and what kube-apiserver answers with.
V2_PROTOBUF_ACCEPT = (
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
)
V2_PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


def _pb_varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _pb_bytes(number: int, payload: bytes) -> bytes:
    return _pb_varint(number << 3 | 2) + _pb_varint(len(payload)) + payload


def _pb_str(number: int, value: str) -> bytes:
    return _pb_bytes(number, value.encode()) if value else b""


def _pb_strs(number: int, values: Iterable[str]) -> bytes:
    return b"".join(_pb_bytes(number, v.encode()) for v in values)


def _pb_bool(number: int, value: Any) -> bytes:
    return _pb_varint(number << 3) + b"\x01" if value is True else b""


def _pb_int(number: int, value: Any) -> bytes:
    return _pb_varint(number << 3) + _pb_varint(int(value)) if isinstance(value, int) and value else b""


def _pb_double(number: int, value: Any) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value:
        return b""
    return _pb_varint(number << 3 | 1) + struct.pack("<d", float(value))


def _pb_any(value: Any) -> bytes:
    """gnostic's Any: the value as YAML text (JSON is YAML)."""
    return _pb_str(2, orjson.dumps(value).decode() + "\n")


def _pb_named(number: int, name: str, value: bytes) -> bytes:
    return _pb_bytes(number, _pb_str(1, name) + _pb_bytes(2, value))


def _pb_extensions(number: int, node: Mapping[str, Any]) -> bytes:
    return b"".join(_pb_named(number, k, _pb_any(v)) for k, v in node.items() if k.startswith("x-"))


# Schema fields: JSON name -> (field number, encoder)
_PB_SCHEMA_SCALARS: tuple[tuple[str, int, Callable[[int, Any], bytes]], ...] = (
    ("$ref", 1, _pb_str), ("format", 2, _pb_str), ("title", 3, _pb_str), ("description", 4, _pb_str),
    ("multipleOf", 6, _pb_double), ("maximum", 7, _pb_double), ("exclusiveMaximum", 8, _pb_bool),
    ("minimum", 9, _pb_double), ("exclusiveMinimum", 10, _pb_bool), ("maxLength", 11, _pb_int),
    ("minLength", 12, _pb_int), ("pattern", 13, _pb_str), ("maxItems", 14, _pb_int), ("minItems", 15, _pb_int),
    ("uniqueItems", 16, _pb_bool), ("maxProperties", 17, _pb_int), ("minProperties", 18, _pb_int),
)


def _pb_schema(node: Mapping[str, Any]) -> bytes:
    out = bytearray()
    for key, number, encode in _PB_SCHEMA_SCALARS[:4]:
        if isinstance(node.get(key), str):
            out += encode(number, node[key])
    if "default" in node:
        out += _pb_bytes(5, _pb_any(node["default"]))
    for key, number, encode in _PB_SCHEMA_SCALARS[4:]:
        if key in node:
            out += encode(number, node[key])
    required = node.get("required")
    if isinstance(required, list):
        out += _pb_strs(19, (r for r in required if isinstance(r, str)))
    for value in node.get("enum") or ():
        out += _pb_bytes(20, _pb_any(value))
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        out += _pb_bytes(21, _pb_bytes(1, _pb_schema(additional)))
    elif isinstance(additional, bool):
        out += _pb_bytes(21, _pb_varint(2 << 3) + (b"\x01" if additional else b"\x00"))
    type_ = node.get("type")
    if isinstance(type_, str):
        out += _pb_bytes(22, _pb_str(1, type_))
    elif isinstance(type_, list):
        out += _pb_bytes(22, _pb_strs(1, type_))
    items = node.get("items")
    if isinstance(items, dict):
        out += _pb_bytes(23, _pb_bytes(1, _pb_schema(items)))
    elif isinstance(items, list):
        out += _pb_bytes(23, b"".join(_pb_bytes(1, _pb_schema(item)) for item in items))
    for sub in node.get("allOf") or ():
        out += _pb_bytes(24, _pb_schema(sub))
    properties = node.get("properties")
    if isinstance(properties, dict):
        out += _pb_bytes(25, b"".join(_pb_named(1, name, _pb_schema(sub)) for name, sub in properties.items()))
    if isinstance(node.get("discriminator"), str):
        out += _pb_str(26, node["discriminator"])
    out += _pb_bool(27, node.get("readOnly"))
    if "example" in node:
        out += _pb_bytes(30, _pb_any(node["example"]))
    out += _pb_extensions(31, node)
    return bytes(out)


def _pb_parameter(param: Mapping[str, Any]) -> bytes:
    if param.get("in") == "body":
        body = (_pb_str(2, param.get("name", "")) + _pb_str(3, "body") + _pb_bool(4, param.get("required"))
                + _pb_bytes(5, _pb_schema(param.get("schema") or {})))
        parameter = _pb_bytes(1, body)
    else:
        location = param.get("in", "")
        # field numbers of (type, uniqueItems) and of the sub-schema within NonBodyParameter
        type_number, unique_number, which = {
            "query": (6, 20, 3), "path": (5, 19, 4), "header": (5, 19, 1), "formData": (6, 20, 2),
        }[location]
        sub = (_pb_bool(1, param.get("required")) + _pb_str(2, location) + _pb_str(4, param.get("name", ""))
               + _pb_str(type_number, param.get("type", "")) + _pb_bool(unique_number, param.get("uniqueItems")))
        parameter = _pb_bytes(2, _pb_bytes(which, sub))
    return _pb_bytes(1, parameter)  # ParametersItem.parameter


def _pb_operation(op: Mapping[str, Any]) -> bytes:
    responses = b"".join(
        _pb_named(1, code, _pb_bytes(1, _pb_str(1, response.get("description", ""))
                                     + (_pb_bytes(2, _pb_bytes(1, _pb_schema(response["schema"])))
                                        if "schema" in response else b"")))
        for code, response in op.get("responses", {}).items()
    )
    return (
        _pb_strs(1, op.get("tags", ())) + _pb_str(5, op.get("operationId", "")) + _pb_strs(6, op.get("produces", ()))
        + _pb_strs(7, op.get("consumes", ()))
        + b"".join(_pb_bytes(8, _pb_parameter(p)) for p in op.get("parameters", ()))
        + _pb_bytes(9, responses) + _pb_strs(10, op.get("schemes", ())) + _pb_extensions(13, op)
    )


_PB_METHODS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def _pb_document(document: Mapping[str, Any], encode_definition: Callable[[str, Any], bytes]) -> bytes:
    info = document.get("info", {})
    paths = bytearray()
    for path, item in document.get("paths", {}).items():
        encoded = bytearray()
        for method, number in _PB_METHODS.items():
            if method in item:
                encoded += _pb_bytes(number, _pb_operation(item[method]))
        for param in item.get("parameters", ()):
            encoded += _pb_bytes(9, _pb_parameter(param))
        paths += _pb_named(2, path, bytes(encoded))
    definitions = b"".join(_pb_named(1, name, encode_definition(name, schema))
                           for name, schema in document.get("definitions", {}).items())
    security = b"".join(
        _pb_bytes(12, b"".join(_pb_named(1, name, _pb_strs(1, scopes)) for name, scopes in requirement.items()))
        for requirement in document.get("security", ())
    )
    security_definitions = b"".join(
        _pb_named(1, name, _pb_bytes(2, _pb_str(1, scheme.get("type", "")) + _pb_str(2, scheme.get("name", ""))
                                     + _pb_str(3, scheme.get("in", ""))))
        for name, scheme in document.get("securityDefinitions", {}).items()
    )
    return (
        _pb_str(1, document.get("swagger", "")) + _pb_bytes(2, _pb_str(1, info.get("title", ""))
                                                             + _pb_str(2, info.get("version", "")))
        + _pb_bytes(8, bytes(paths)) + _pb_bytes(9, definitions) + security + _pb_bytes(13, security_definitions)
    )


def build_v2_protobuf(catalog: Catalog, git_version: str) -> bytes:
    """``/openapi/v2`` as client-go fetches it (Accept: one of ``V2_PROTOBUF_ACCEPT``): the v2 document
    encoded as gnostic's ``openapi.v2.Document`` protocol buffer, served as ``V2_PROTOBUF_CONTENT_TYPE``."""
    key = (_key(catalog.kubernetes_version, catalog.resources()), git_version, "protobuf")
    cached: bytes | None = _V2_CACHE.get(key)
    if cached is not None:
        return cached
    kubernetes_version = catalog.kubernetes_version
    builtin = schema_files.definitions(kubernetes_version)

    def encode_definition(name: str, schema: Any) -> bytes:
        if builtin.get(name) is schema:
            return _pb_builtin_definition(kubernetes_version, name)
        return _pb_schema(schema)

    data = _pb_document(_v2_document(key[0], git_version), encode_definition)
    _V2_CACHE.put(key, data)
    return data


@functools.cache
def _pb_builtin_definition(kubernetes_version: str, name: str) -> bytes:
    return _pb_schema(schema_files.definitions(kubernetes_version)[name])
