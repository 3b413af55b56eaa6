"""``rbac.authorization.k8s.io``: names need only be valid path segments (``ValidateRBACName``).

Defaults are ``pkg/apis/rbac/v1/defaults.go``; validation is ``kinds/validation/rbac.py``.
"""

from __future__ import annotations

from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Defaults, Obj, Strategy, Validate
from fakekube.kinds.validation import rbac as rules

_SUBJECT_GROUPS = {"ServiceAccount": "", "User": rules.GROUP, "Group": rules.GROUP}


def binding_defaults(obj: Obj) -> None:
    """``SetDefaults_RoleBinding`` / ``SetDefaults_ClusterRoleBinding`` (``roleRef.apiGroup``) and
    ``SetDefaults_Subject`` (a User's or Group's ``apiGroup``; a ServiceAccount's stays empty)."""
    ref = obj.get("roleRef")
    if isinstance(ref, dict) and not ref.get("apiGroup"):
        ref["apiGroup"] = rules.GROUP
    for subject in obj.get("subjects") or []:
        subject = as_dict(subject)
        if subject and not subject.get("apiGroup") and _SUBJECT_GROUPS.get(str(subject.get("kind"))):
            subject["apiGroup"] = _SUBJECT_GROUPS[subject["kind"]]


def _strategy(validate: Validate, defaults: Defaults | None = None) -> Strategy:
    return Strategy(name_rule="path-segment", kube_finalizers=True, defaults=defaults, validate=validate,
                    validation_ported=True, allow_create_on_update=True)  # RBAC's strategies: a PUT may create


KINDS = {
    "Role": _strategy(rules.validate_role),
    "ClusterRole": _strategy(rules.validate_cluster_role),
    "RoleBinding": _strategy(rules.validate_role_binding, binding_defaults),
    "ClusterRoleBinding": _strategy(rules.validate_cluster_role_binding, binding_defaults),
}
