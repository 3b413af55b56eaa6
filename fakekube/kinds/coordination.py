"""``coordination.k8s.io``: LeaseCandidate names follow the ConfigMap key rule."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

KINDS = {"LeaseCandidate": Strategy(name_rule="config-map-key")}
