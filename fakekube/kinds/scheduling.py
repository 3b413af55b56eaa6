"""``scheduling.k8s.io``: a PriorityClass preempts lower priorities unless it says otherwise.

Defaults are ``pkg/apis/scheduling/v1/defaults.go``; validation is ``kinds/validation/scheduling.py``.
"""

from __future__ import annotations

from fakekube.kinds.strategy import Obj, Strategy, never_counts
from fakekube.kinds.validation import scheduling as rules


def priority_class_defaults(obj: Obj) -> None:
    """``SetDefaults_PriorityClass``: ``preemptionPolicy: PreemptLowerPriority``."""
    obj.setdefault("preemptionPolicy", "PreemptLowerPriority")


# generation 1 on create, never counted after (``priorityClassStrategy``)
KINDS = {"PriorityClass": Strategy(tracks_generation=True, next_generation=never_counts,
                                   defaults=priority_class_defaults, kube_finalizers=True,
                                   validate=rules.validate_priority_class, validation_ported=True)}
