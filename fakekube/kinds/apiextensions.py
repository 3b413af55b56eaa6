"""``apiextensions.k8s.io``: a CustomResourceDefinition is named ``<spec.names.plural>.<spec.group>``, and
its status lists every version objects were ever stored as (``status.storedVersions``)."""

from __future__ import annotations

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy


def _required_name(obj: Obj) -> str:
    spec = as_dict(obj.get("spec"))
    return f"{as_dict(spec.get('names')).get('plural', '')}.{spec.get('group', '')}"


def _add_storage_version(obj: Obj) -> None:
    """The version marked ``storage`` joins ``status.storedVersions`` (once), as the strategy does on every
    write through the main endpoint: objects may be stored as it from now on."""
    for version in as_dict(obj.get("spec")).get("versions") or []:
        if isinstance(version, dict) and version.get("storage"):
            status = obj["status"] = dict(as_dict(obj.get("status")))
            stored = list(status.get("storedVersions") or [])
            if version.get("name") not in stored:
                status["storedVersions"] = [*stored, version.get("name", "")]
            return


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    """A new CRD's status is its storage version alone (conditions and accepted names come later)."""
    obj.pop("status", None)
    _add_storage_version(obj)


def _prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    _add_storage_version(obj)


KINDS = {
    "CustomResourceDefinition": Strategy(tracks_generation=True, returns_deleted_object=True, name_rule="crd-name",
                                         required_name=_required_name, prepare_for_create=_prepare_for_create,
                                         prepare_for_update=_prepare_for_update),
}
