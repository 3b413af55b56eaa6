"""``policy``: PodDisruptionBudgets count generations, start with an empty status and validate as
``pkg/apis/policy/validation`` does (``kinds/validation/policy.py``)."""

from __future__ import annotations

from fakekube.kinds.strategy import Obj, Strategy
from fakekube.kinds.validation.policy import validate_pdb


def _drop_status(obj: Obj, cluster: object) -> None:
    """``podDisruptionBudgetStrategy.PrepareForCreate``: the status is the controller's."""
    obj.pop("status", None)


KINDS = {"PodDisruptionBudget": Strategy(tracks_generation=True, kube_finalizers=True, prepare_for_create=_drop_status,
                                         validate=validate_pdb,
                                         own_enum_fields=frozenset({"spec.unhealthyPodEvictionPolicy"}))}
