"""``apiextensions.k8s.io``: a CustomResourceDefinition is named ``<spec.names.plural>.<spec.group>``, and
its status lists every version objects were ever stored as (``status.storedVersions``).

Deleting a CRD never removes it at once: as the apiextensions registry's ``Delete`` does, the first
delete marks it (``deletionTimestamp``), adds the ``customresourcecleanup.apiextensions.k8s.io``
finalizer and a ``Terminating`` condition; the CRD controller (``fakekube.controllers.crd``) deletes
its custom resources and then removes the finalizer through ``/status``, which CRDs allow (their status
strategy keeps the spec, labels, annotations and owners, not the finalizers).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fakekube.clock import rfc3339
from fakekube.errors import FieldError
from fakekube.kinds.columns import CREATED_AT_COLUMN, DEFAULT_CONVERTOR, NO_AGE, described
from fakekube.kinds.crd_decoding import check_nested_schemas
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import ClusterAccess, Column, Obj, Strategy, SubresourceStrategy
from fakekube.versions import minor_of

CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


def _required_name(obj: Obj) -> str:
    spec = as_dict(obj.get("spec"))
    return f"{as_dict(spec.get('names')).get('plural', '')}.{spec.get('group', '')}"


def _add_storage_version(obj: Obj) -> None:
    """The version marked ``storage`` joins ``status.storedVersions`` (once), as the strategy does on every
    write through the main endpoint: objects may be stored as it from now on."""
    for version in as_dict(obj.get("spec")).get("versions") or []:
        if isinstance(version, dict) and version.get("storage"):
            status = dict(as_dict(obj.get("status")))
            stored = list(status.get("storedVersions") or [])
            if version.get("name") not in stored:
                status["storedVersions"] = [*stored, version.get("name", "")]
            obj["status"] = in_go_order(status)
            return


def _defaults(obj: Obj) -> None:
    """The v1 defaulters: singular and listKind from the kind, conversion ``None``, a service port 443.  (First,
    the schemas nested where the built-in schema model cannot see are decoded: a 400 if they do not.)"""
    check_nested_schemas(obj)
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    names = spec.get("names")
    if isinstance(names, dict) and isinstance(names.get("kind"), str):
        if not names.get("singular"):
            names["singular"] = names["kind"].lower()
        if not names.get("listKind") and names["kind"]:
            names["listKind"] = names["kind"] + "List"
    if spec.get("conversion") is None:
        spec["conversion"] = {"strategy": "None"}
    webhook = as_dict(as_dict(spec.get("conversion")).get("webhook"))
    service = as_dict(webhook.get("clientConfig")).get("service")
    if isinstance(service, dict) and service.get("port") is None:
        service["port"] = 443


STATUS_FIELDS = ("conditions", "acceptedNames", "storedVersions")  # Go's order


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    """A new CRD's status is its storage version alone (conditions and accepted names come later)."""
    obj["status"] = {"conditions": None, "acceptedNames": {"plural": "", "kind": ""}}
    _add_storage_version(obj)


def _prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    _add_storage_version(obj)


def in_go_order(status: Obj) -> Obj:
    """A CRD status with its fields where Go's encoding puts them."""
    return {**{k: status[k] for k in STATUS_FIELDS if k in status}, **status}


def _status_reset(new: Obj, old: Obj) -> Obj:
    """A CRD's ``/status`` write: the stored spec, labels, annotations, owners and generation; the rest of
    the metadata (finalizers) and the status as written."""
    out = dict(new, spec=old.get("spec"), metadata=dict(new["metadata"]))
    meta, old_meta = out["metadata"], old["metadata"]
    for key in ("labels", "annotations", "ownerReferences", "generation"):
        if key in old_meta:
            meta[key] = old_meta[key]
        else:
            meta.pop(key, None)
    return out


def _has_finalizers(obj: Obj) -> bool:
    """A CRD is never removed by its first delete (the cleanup finalizer is added then)."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") or bool(meta.get("finalizers"))


def _mark_deleting(obj: Obj, cluster: ClusterAccess) -> None:
    meta = obj["metadata"]
    now = rfc3339(cluster.now())
    if not meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = now
        meta["deletionGracePeriodSeconds"] = 0
    finalizers = list(meta.get("finalizers") or ())
    if CLEANUP_FINALIZER not in finalizers:
        meta["finalizers"] = [*finalizers, CLEANUP_FINALIZER]
    status = obj["status"] = dict(as_dict(obj.get("status")))
    conditions = [c for c in status.get("conditions") or () if as_dict(c).get("type") != "Terminating"]
    old = next((c for c in status.get("conditions") or () if as_dict(c).get("type") == "Terminating"), None)
    moved = as_dict(old).get("status") != "True"
    conditions.append({"type": "Terminating", "status": "True",
                       "lastTransitionTime": now if moved else as_dict(old).get("lastTransitionTime"),
                       "reason": "InstanceDeletionPending",
                       "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will "
                                  "begin soon"})
    status["conditions"] = conditions
    obj["status"] = in_go_order(status)


def _served_versions(crd: Obj) -> str:
    labels = [str(v.get("name", "")) + ("(storage)" if v.get("storage") else "")
              for v in as_dict(crd.get("spec")).get("versions") or () if isinstance(v, dict) and v.get("served")]
    return ",".join(sorted(labels))


def _established(crd: Obj) -> bool:
    return any(as_dict(c).get("type") == "Established" and as_dict(c).get("status") == "True"
               for c in as_dict(crd.get("status")).get("conditions") or ())


def _names(crd: Obj) -> dict[str, Any]:
    return as_dict(as_dict(crd.get("spec")).get("names"))


# apiextensions' own printer since v1.37 (``pkg/registry/customresourcedefinition/tableconvertor``): no Age, the
# creation time as an RFC 3339 date in UTC, as the default table showed it before.
CRD_COLUMNS: tuple[Column, ...] = (
    NO_AGE,
    (described("Scope", "string", "Cluster/Namespaced"), lambda o: as_dict(o.get("spec")).get("scope", "")),
    (described("Versions", "string", "Served versions"), _served_versions),
    (CREATED_AT_COLUMN, lambda o: as_dict(o.get("metadata")).get("creationTimestamp")),
    (described("Group", "string", "API group", 1), lambda o: as_dict(o.get("spec")).get("group", "")),
    (described("Kind", "string", "CustomResource kind", 1), lambda o: _names(o).get("kind", "")),
    (described("ShortNames", "string", "Short names", 1), lambda o: ",".join(_names(o).get("shortNames") or ())),
    (described("Established", "boolean", "Established status", 1), _established),
)


def _validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """A CRD's validation (``crd_validation``: names, versions, its schemas and their CEL rules), loaded
    with the first CRD written rather than when the server starts."""
    from fakekube.kinds import crd_validation

    return crd_validation.validate(obj, old)


def _for_release(kubernetes_version: str) -> Strategy:
    """Up to v1.36 CRDs have no printer of their own (kube-apiserver's default table); v1.37 added one."""
    crds = KINDS["CustomResourceDefinition"]
    columns = CRD_COLUMNS if minor_of(kubernetes_version) >= 37 else DEFAULT_CONVERTOR
    return replace(crds, columns=columns, for_release=None)


KINDS = {
    "CustomResourceDefinition": Strategy(tracks_generation=True, returns_deleted_object=True, name_rule="crd-name",
                                         required_name=_required_name, prepare_for_create=_prepare_for_create,
                                         prepare_for_update=_prepare_for_update, defaults=_defaults,
                                         subresources={"status": SubresourceStrategy(_status_reset)},
                                         has_finalizers=_has_finalizers, mark_deleting=_mark_deleting,
                                         columns=DEFAULT_CONVERTOR, for_release=_for_release,
                                         validate=_validate),
}
