"""``policy``: PodDisruptionBudgets count generations."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

KINDS = {"PodDisruptionBudget": Strategy(tracks_generation=True, kube_finalizers=True)}
