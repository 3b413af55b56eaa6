"""ReplicationControllers (``pkg/registry/core/replicationcontroller``): selector and labels from the template."""

from __future__ import annotations

from fakekube.kinds import podspec, workloads
from fakekube.kinds.field_labels import fields, integer
from fakekube.kinds.strategy import Obj, Strategy


def _defaults(obj: Obj) -> None:
    """RCs default their selector, and their own labels, from the pod template's labels."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if template_labels:
        if not spec.get("selector"):
            spec["selector"] = dict(template_labels)
        if not obj["metadata"].get("labels"):
            obj["metadata"]["labels"] = dict(template_labels)
    podspec.template_defaults(obj)


def _drop_status(obj: Obj, cluster: object) -> None:
    obj.pop("status", None)


STRATEGY = Strategy(tracks_generation=True, defaults=_defaults, prepare_for_create=_drop_status,
                    validate=workloads.validate, kube_finalizers=True,
                    subresources={"scale": workloads.MAP_SELECTOR_SCALE},
                    field_labels=fields({"status.replicas": integer("status.replicas")}))
