"""Namespaces (``pkg/registry/core/namespace``): their defaults, phase, termination and ``/finalize``.

Deleting a namespace marks it: ``deletionTimestamp`` and phase ``Terminating``.  It stays while
``spec.finalizers`` lists ``kubernetes``: the namespace controller (``fakekube.controllers``) removes
its contents, then drops that finalizer through ``/finalize``, and that update completes the delete.
"""

from __future__ import annotations

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.errors import FieldError
from fakekube.kinds import columns
from fakekube.kinds.field_labels import NAME_ONLY, fields, string
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy, SubresourceStrategy
from fakekube.kinds.strategy import has_finalizers as _has_metadata_finalizers
from fakekube.kinds.strategy import should_delete_during_update as _generic_should_delete
from fakekube.name_formats import qualified_name_errors

KUBERNETES_FINALIZER = "kubernetes"
STANDARD_FINALIZERS = frozenset({KUBERNETES_FINALIZER, "orphan", "foregroundDeletion"})


def _defaults(obj: Obj) -> None:
    """``SetDefaults_Namespace``: a named namespace is labelled with its name (a generated name gets it from
    ``_prepare_for_create``, as kube's ``Canonicalize`` does)."""
    if obj["metadata"].get("name"):
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"]["name"]


def _validate(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateNamespace`` on create: each of ``spec.finalizers`` (all reported on the list's own path) a
    qualified name, and a bare one standard; an update through the main endpoint keeps the stored spec."""
    if old is not None:
        return []
    out: list[FieldError] = []
    for name in _spec_finalizers(obj):
        out.extend(errors.invalid("spec.finalizers", name, msg) for msg in qualified_name_errors(name))
        if "/" not in name and name not in STANDARD_FINALIZERS:
            out.append(errors.invalid("spec.finalizers", name, "name is neither a standard finalizer name nor is it "
                                      "fully qualified"))
    return out


def _prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    """Active, and finalized by ``kubernetes`` (added here, after field management, so no manager owns it)."""
    obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"].get("name", "")
    obj["status"] = {"phase": "Active"}
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    finalizers = spec.get("finalizers")
    if not isinstance(finalizers, list) or not finalizers:
        spec["finalizers"] = [KUBERNETES_FINALIZER]
    elif KUBERNETES_FINALIZER not in finalizers:
        spec["finalizers"] = [*finalizers, KUBERNETES_FINALIZER]


def _prepare_for_update(obj: Obj, old: Obj, cluster: ClusterAccess) -> None:
    """A namespace's finalizers change only through ``/finalize``, never through the main endpoint."""
    obj["spec"] = dict(old.get("spec") or {})


def _spec_finalizers(obj: Obj) -> list[str]:
    spec = obj.get("spec")
    found = spec.get("finalizers") if isinstance(spec, dict) else None
    return [f for f in found if isinstance(f, str)] if isinstance(found, list) else []


def _has_finalizers(obj: Obj) -> bool:
    return bool(_spec_finalizers(obj)) or _has_metadata_finalizers(obj)


def _mark_deleting(obj: Obj, cluster: ClusterAccess) -> None:
    meta = obj["metadata"]
    if not meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = rfc3339(cluster.now())
    obj.setdefault("status", {})["phase"] = "Terminating"


def _should_delete_during_update(new: Obj, old: Obj) -> bool:
    return not _spec_finalizers(new) and _generic_should_delete(new, old)


def _finalize_reset(new: Obj, old: Obj) -> Obj:
    """``/finalize`` changes ``spec.finalizers`` and nothing else."""
    out = dict(old, metadata=dict(old["metadata"]), spec=dict(old.get("spec") or {}))
    out["metadata"]["resourceVersion"] = new["metadata"].get("resourceVersion", "")
    finalizers = _spec_finalizers(new)
    if finalizers:
        out["spec"]["finalizers"] = finalizers
    else:
        out["spec"].pop("finalizers", None)
    return out


def _validate_finalize(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateNamespaceFinalizeUpdate``: each finalizer a qualified name, and a bare name only if it is a
    standard one."""
    out: list[FieldError] = []
    for index, name in enumerate(_spec_finalizers(obj)):
        path = f"spec.finalizers[{index}]"
        out.extend(errors.invalid(path, name, msg) for msg in qualified_name_errors(name))
        if "/" not in name and name not in STANDARD_FINALIZERS:
            out.append(errors.invalid(path, name, "name is neither a standard finalizer name nor is it fully "
                                      "qualified"))
    return out


STRATEGY = Strategy(
    returns_deleted_object=True,
    defaults=_defaults,
    prepare_for_create=_prepare_for_create,
    prepare_for_update=_prepare_for_update,
    validate=_validate,
    name_rule="dns1123-label",
    kube_finalizers=True,
    subresources={"finalize": SubresourceStrategy(_finalize_reset, validate=_validate_finalize)},
    has_finalizers=_has_finalizers,
    mark_deleting=_mark_deleting,
    should_delete_during_update=_should_delete_during_update,
    field_labels=fields({"status.phase": string("status.phase")}, meta=NAME_ONLY),
    columns=((columns.column("Status"), lambda o: columns.status(o).get("phase", "")),),
)
