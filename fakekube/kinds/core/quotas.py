"""LimitRanges and ResourceQuotas (``pkg/registry/core/{limitrange,resourcequota}``).

A LimitRange's Container item gets its defaults from its bounds (``SetDefaults_LimitRangeItem``: the
default limit from ``max``, the default request from the default limit, else from ``min``).  A quota's
status belongs to the quota controller: a create starts it empty.
"""

from __future__ import annotations

from fakekube.kinds.deferred import deferred
from fakekube.kinds.strategy import ClusterAccess, Obj, Strategy, Validate


# The rules of ``kinds/validation/core_policy.py``, loaded with the first LimitRange or ResourceQuota written.
@deferred
def _validate_limit_range() -> Validate:
    from fakekube.kinds.validation.core_policy import validate_limit_range

    return validate_limit_range


@deferred
def _validate_resource_quota() -> Validate:
    from fakekube.kinds.validation.core_policy import validate_resource_quota

    return validate_resource_quota


def _limit_range_defaults(obj: Obj) -> None:
    spec = obj.get("spec")
    for item in (spec.get("limits") or []) if isinstance(spec, dict) else []:
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        default = item.setdefault("default", {})
        request = item.setdefault("defaultRequest", {})
        if not isinstance(default, dict) or not isinstance(request, dict):
            continue
        for source, target in ((item.get("max"), default), (default, request), (item.get("min"), request)):
            for name, value in (source or {}).items() if isinstance(source, dict) else []:
                target.setdefault(name, value)


def _quota_prepare_for_create(obj: Obj, cluster: ClusterAccess) -> None:
    obj["status"] = {}


LIMIT_RANGE = Strategy(allow_create_on_update=True, defaults=_limit_range_defaults,
                       validate=_validate_limit_range, validation_ported=True,
                       kube_finalizers=True)
RESOURCE_QUOTA = Strategy(prepare_for_create=_quota_prepare_for_create, validate=_validate_resource_quota,
                          validation_ported=True, kube_finalizers=True)
