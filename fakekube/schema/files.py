"""Access to the generated schema files shipped as the ``fakekube_schemas`` package (the repo's ``schemas/``)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import orjson

# A source checkout or an editable install has the files beside the package; a wheel installs them as
# the ``fakekube_schemas`` package, found through importlib.resources (slower to set up on first use).
_ROOT = Path(__file__).resolve().parents[2]
# Only fakekube's own checkout (its generator beside the files), never another package's ``schemas/``
# that happens to sit next to an installed fakekube.
_CHECKOUT = _ROOT / "schemas" if (_ROOT / "schemas" / "generate_value_structs.py").is_file() else None


def read(kubernetes_version: str, name: str) -> bytes:
    """A generated file of one Kubernetes version (``schemas/v1.36/catalog.json``...)."""
    return read_shared(f"{kubernetes_version}/{name}")


def read_shared(name: str) -> bytes:
    """A generated file by its path under ``schemas/`` (``value_structs.json``, ``v1.36/zero_fields.json``)."""
    if _CHECKOUT is not None:
        return (_CHECKOUT / name).read_bytes()
    from importlib import resources  # only for an installed wheel: a checkout never needs its imports

    return resources.files("fakekube_schemas").joinpath(*name.split("/")).read_bytes()


@functools.cache
def definitions(kubernetes_version: str) -> dict[str, Any]:
    """All definitions of one Kubernetes version, descriptions stripped; loaded once per process."""
    data: dict[str, Any] = orjson.loads(read(kubernetes_version, "definitions.json"))["definitions"]
    return data
