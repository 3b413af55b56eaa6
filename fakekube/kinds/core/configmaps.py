"""ConfigMaps and Secrets (``pkg/registry/core/{configmap,secret}``): keys, ``immutable``, Secret types, columns."""

from __future__ import annotations

import base64
from typing import Any

from fakekube import errors, name_formats
from fakekube.errors import FieldError
from fakekube.kinds.columns import column
from fakekube.kinds.field_labels import fields, string
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy

IMMUTABLE = "field is immutable"
MAX_SIZE = 1 << 20  # core.MaxSecretSize: the data of a ConfigMap or a Secret, all keys together
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"


def _keys(data: Any, path: str) -> list[FieldError]:
    out: list[FieldError] = []
    for key in as_dict(data):
        out.extend(errors.invalid(f"{path}[{key}]", key, msg) for msg in name_formats.config_map_key_errors(key))
    return out


def _immutability(obj: Obj, old: Obj | None, fields: tuple[str, ...]) -> list[FieldError]:
    if old is None or not old.get("immutable"):
        return []
    out: list[FieldError] = []
    if not obj.get("immutable"):
        out.append(errors.forbidden("immutable", IMMUTABLE_WHEN_SET))
    for field in fields:
        if (obj.get(field) or {}) != (old.get(field) or {}):
            out.append(errors.forbidden(field, IMMUTABLE_WHEN_SET))
    return out


def _decoded_size(value: Any) -> int:
    """The length of the bytes a base64 value decodes to (line breaks skipped, as Go's decoder does)."""
    text = str(value).replace("\r", "").replace("\n", "")
    return len(text) * 3 // 4 - text[-2:].count("=")


def _validate_config_map(obj: Obj, old: Obj | None) -> list[FieldError]:
    out = _keys(obj.get("data"), "data") + _keys(obj.get("binaryData"), "binaryData")
    for key in as_dict(obj.get("data")):
        if key in as_dict(obj.get("binaryData")):
            out.append(errors.invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
    size = sum(len(str(v).encode()) for v in as_dict(obj.get("data")).values())
    size += sum(_decoded_size(v) for v in as_dict(obj.get("binaryData")).values())
    if size > MAX_SIZE:  # the error names the whole object: an empty path, which Go prints as "[]"
        out.append(errors.too_long("[]", MAX_SIZE))
    out.extend(_immutability(obj, old, ("data", "binaryData")))
    return out


def _secret_defaults(obj: Obj) -> None:
    """``type`` defaults to Opaque; ``stringData`` is write-only: merged into ``data`` as base64.  ``data``
    values are stored as Go re-encodes the bytes it decoded: without the line breaks of a YAML block."""
    obj.setdefault("type", "Opaque")
    data = obj.get("data")
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and ("\n" in value or "\r" in value):
                data[key] = value.replace("\r", "").replace("\n", "")
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict):
        data = obj.setdefault("data", {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def _validate_secret(obj: Obj, old: Obj | None) -> list[FieldError]:
    out = _keys(obj.get("data"), "data")
    if sum(_decoded_size(v) for v in as_dict(obj.get("data")).values()) > MAX_SIZE:
        out.append(errors.too_long("data", MAX_SIZE))
    out.extend(_immutability(obj, old, ("data",)))
    if old is not None and obj.get("type") != old.get("type"):
        out.append(errors.invalid("type", obj.get("type"), IMMUTABLE))
    return out


CONFIG_MAP = Strategy(
    validate=_validate_config_map,
    kube_finalizers=True,
    columns=((column("Data", "integer"), lambda o: len(o.get("data") or {}) + len(o.get("binaryData") or {})),),
)

SECRET = Strategy(
    defaults=_secret_defaults,
    validate=_validate_secret,
    kube_finalizers=True,
    field_labels=fields({"type": string("type")}),
    columns=(
        (column("Type"), lambda o: o.get("type", "")),
        (column("Data", "integer"), lambda o: len(o.get("data") or {})),
    ),
)
