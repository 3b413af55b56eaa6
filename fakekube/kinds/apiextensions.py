"""``apiextensions.k8s.io``: a CustomResourceDefinition is named ``<spec.names.plural>.<spec.group>``."""

from __future__ import annotations

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy


def _required_name(obj: Obj) -> str:
    spec = as_dict(obj.get("spec"))
    return f"{as_dict(spec.get('names')).get('plural', '')}.{spec.get('group', '')}"


KINDS = {
    "CustomResourceDefinition": Strategy(tracks_generation=True, returns_deleted_object=True, name_rule="crd-name",
                                         required_name=_required_name),
}
