"""ConfigMaps and Secrets (``pkg/registry/core/{configmap,secret}``): keys, ``immutable``, Secret types, columns."""

from __future__ import annotations

import base64

from fakekube.kinds.columns import column
from fakekube.kinds.field_labels import fields, string
from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation import core_config


def _secret_defaults(obj: Obj) -> None:
    """``type`` defaults to Opaque; ``stringData`` is write-only: merged into ``data`` as base64.  ``data``
    values are stored as Go re-encodes the bytes it decoded: without the line breaks of a YAML block."""
    if not obj.get("type"):  # SetDefaults_Secret
        obj["type"] = "Opaque"
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


CONFIG_MAP = Strategy(
    validate=core_config.validate_config_map,
    kube_finalizers=True,
    columns=((column("Data", "integer"), lambda o: len(o.get("data") or {}) + len(o.get("binaryData") or {})),),
)

SECRET = Strategy(
    defaults=_secret_defaults,
    validate=core_config.validate_secret,
    kube_finalizers=True,
    field_labels=fields({"type": string("type")}),
    columns=(
        (column("Type"), lambda o: o.get("type", "")),
        (column("Data", "integer"), lambda o: len(o.get("data") or {})),
    ),
)
