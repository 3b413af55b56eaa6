"""``rbac.authorization.k8s.io``: names need only be valid path segments (``ValidateRBACName``)."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy

_PATH_SEGMENT_NAMES = Strategy(name_rule="path-segment", kube_finalizers=True)

KINDS = {kind: _PATH_SEGMENT_NAMES for kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")}
