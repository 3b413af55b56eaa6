"""``scheduling.k8s.io``: a PriorityClass preempts lower priorities unless it says otherwise."""

from __future__ import annotations

from fakekube.kinds.strategy import Obj, Strategy


def _priority_class_defaults(obj: Obj) -> None:
    obj.setdefault("preemptionPolicy", "PreemptLowerPriority")


KINDS = {"PriorityClass": Strategy(defaults=_priority_class_defaults, kube_finalizers=True)}
