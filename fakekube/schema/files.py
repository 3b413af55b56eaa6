"""Access to the generated schema files shipped as the ``fakekube_schemas`` package (the repo's ``schemas/``)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import orjson


def read(kubernetes_version: str, name: str) -> bytes:
    return resources.files("fakekube_schemas").joinpath(kubernetes_version, name).read_bytes()


@functools.cache
def definitions(kubernetes_version: str) -> dict[str, Any]:
    """All definitions of one Kubernetes version, descriptions stripped; loaded once per process."""
    data: dict[str, Any] = orjson.loads(read(kubernetes_version, "definitions.json"))["definitions"]
    return data
