"""``apiregistration.k8s.io``: an APIService is named ``<spec.version>.<spec.group>``."""

from __future__ import annotations

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy


def _required_name(obj: Obj) -> str:
    spec = as_dict(obj.get("spec"))
    return f"{spec.get('version', '')}.{spec.get('group', '')}"


KINDS = {"APIService": Strategy(name_rule="apiservice-name", required_name=_required_name)}
