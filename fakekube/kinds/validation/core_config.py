"""ConfigMaps, Secrets and ServiceAccounts (``ValidateConfigMap``, ``ValidateSecret`` and their updates).

Keys are config keys; a ConfigMap's ``data`` and ``binaryData`` share their key space and, with a Secret's
``data``, hold at most 1 MiB.  A Secret's ``type`` decides which keys it must hold (a docker config must be
a JSON object, as Go's ``json.Unmarshal`` into a map reads it) and never changes; ``immutable`` freezes the
data.  The base64 of ``data`` was already decoded (and refused when illegal) by the schema decoder.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fakekube import errors, name_formats
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import mapping

MAX_SIZE = 1 << 20  # core.MaxSecretSize


def _keys(data: Any, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    for key in mapping(data):
        out.extend(errors.invalid(f"{path}[{key}]", key, msg) for msg in name_formats.config_map_key_errors(key))
    return out


def _decoded(value: Any) -> bytes:
    text = str(value).replace("\r", "").replace("\n", "")
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        return b""


def decoded_size(value: Any) -> int:
    """The length of the bytes a base64 value decodes to (line breaks skipped, as Go's decoder does)."""
    text = str(value).replace("\r", "").replace("\n", "")
    return len(text) * 3 // 4 - text[-2:].count("=")


def _immutability(obj: dict[str, Any], old: dict[str, Any] | None, fields: tuple[str, ...]) -> list[FieldError]:
    if old is None or not old.get("immutable"):
        return []
    out: list[FieldError] = []
    if not obj.get("immutable"):
        out.append(errors.forbidden("immutable", errors.IMMUTABLE_WHEN_SET))
    for field in fields:
        if (obj.get(field) or {}) != (old.get(field) or {}):
            out.append(errors.forbidden(field, errors.IMMUTABLE_WHEN_SET))
    return out


def validate_config_map(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateConfigMapUpdate`` (immutability first), then ``ValidateConfigMap``."""
    out = _immutability(obj, old, ("data", "binaryData"))
    data, binary = mapping(obj.get("data")), mapping(obj.get("binaryData"))
    for key in data:
        out.extend(_keys({key: None}, "data"))
        if key in binary:
            out.append(errors.invalid(f"data[{key}]", key, errors.DUPLICATE_OF_BINARY_DATA))
    out.extend(_keys(binary, "binaryData"))
    size = sum(len(str(v).encode()) for v in data.values()) + sum(decoded_size(v) for v in binary.values())
    if size > MAX_SIZE:  # the error names the whole object: an empty path, which Go prints as "[]"
        out.append(errors.too_long("[]", MAX_SIZE))
    return out


_GO_KIND = {list: "array", str: "string", int: "number", float: "number", bool: "bool"}


def go_json_object_error(raw: bytes) -> str | None:
    """What Go's ``json.Unmarshal`` into a ``map[string]interface{}`` says of ``raw`` (None: it accepts it).

    Syntax errors are worded for the common shapes (an empty or truncated document, a bad first character,
    a misspelled literal); other malformed documents get Go's generic beginning-of-value text."""
    text = raw.decode("utf-8", "replace")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return _syntax_error(text, exc)
    if value is None or isinstance(value, dict):
        return None
    kind = _GO_KIND.get(type(value), "value")
    return errors.json_not_an_object(kind)


def _syntax_error(text: str, exc: json.JSONDecodeError) -> str:
    stripped = text.strip()
    if not stripped or exc.pos >= len(text):
        return errors.JSON_UNEXPECTED_END
    char = text[exc.pos]
    for literal in ("true", "false", "null"):
        if literal[0] == stripped[0] and exc.pos == text.index(stripped[0]):
            start = text.index(stripped[0])
            for offset, expected in enumerate(literal):
                got = text[start + offset] if start + offset < len(text) else ""
                if not got:
                    return errors.JSON_UNEXPECTED_END
                if got != expected:
                    return errors.json_bad_literal(_go_char(got), literal, _go_char(expected))
    if exc.msg.startswith("Extra data"):
        return errors.json_after_top_level(_go_char(char))
    if exc.msg.startswith("Expecting property name"):
        return errors.json_object_key_start(_go_char(char))
    return errors.json_value_start(_go_char(char))


def _go_char(char: str) -> str:
    """``quoteChar``: a character as Go's JSON scanner quotes it."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + char + "'"


def _secret_type_rules(obj: dict[str, Any], data: dict[str, Any]) -> list[FieldError]:
    kind = obj.get("type") or ""
    out: list[FieldError] = []
    if kind == "kubernetes.io/service-account-token":
        annotations = mapping(mapping(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            out.append(errors.required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if kind == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            return [errors.required(f"data[{key}]")]
        problem = go_json_object_error(_decoded(data[key]))
        if problem is not None:
            out.append(errors.invalid(f"data[{key}]", errors.SECRET_REDACTED, problem))
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            out.extend([errors.required("data[username]"), errors.required("data[password]")])
    elif kind == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            out.append(errors.required("data[ssh-privatekey]"))
    elif kind == "kubernetes.io/tls":
        out.extend(errors.required(f"data[{key}]") for key in ("tls.crt", "tls.key") if key not in data)
    return out


def validate_secret(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateSecretUpdate`` (type fixed, immutability), then ``ValidateSecret``."""
    out: list[FieldError] = []
    if old is not None and obj.get("type") != old.get("type"):
        out.append(errors.invalid("type", obj.get("type"), errors.FIELD_IMMUTABLE))
    out.extend(_immutability(obj, old, ("data",)))
    data = mapping(obj.get("data"))
    out.extend(_keys(data, "data"))
    if sum(decoded_size(v) for v in data.values()) > MAX_SIZE:
        out.append(errors.too_long("data", MAX_SIZE))
    out.extend(_secret_type_rules(obj, data))
    return out
