"""ReplicationControllers (``pkg/registry/core/replicationcontroller``): selector and labels from the template."""

from __future__ import annotations

from fakekube.kinds import pod_warnings_kinds, podspec, workloads
from fakekube.kinds.deferred import deferred
from fakekube.kinds.field_labels import fields, integer
from fakekube.kinds.strategy import ORPHAN_DEPENDENTS, Obj, Strategy, Validate


@deferred
def _validate() -> Validate:
    from fakekube.kinds.validation.apps import validate_replication_controller

    return validate_replication_controller


def _defaults(obj: Obj) -> None:
    """``SetDefaults_ReplicationController``: the selector, and the RC's own labels, from the pod template's
    labels when those are set and they are empty; one replica."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    if isinstance(template_labels, dict):
        if not spec.get("selector"):
            spec["selector"] = dict(template_labels)
        if not obj["metadata"].get("labels"):
            obj["metadata"]["labels"] = dict(template_labels)
    podspec.template_defaults(obj)


def _drop_status(obj: Obj, cluster: object) -> None:
    obj.pop("status", None)


# v1 orphans a deleted controller's pods by default, as it did before server-side garbage collection.
STRATEGY = Strategy(tracks_generation=True, defaults=_defaults, prepare_for_create=_drop_status,
                    validate=_validate, kube_finalizers=True, warnings=pod_warnings_kinds.replication_controller,
                    gc_policies={"v1": ORPHAN_DEPENDENTS},
                    subresources={"scale": workloads.MAP_SELECTOR_SCALE},
                    field_labels=fields({"status.replicas": integer("status.replicas")}))
