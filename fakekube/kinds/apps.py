"""The ``apps`` group (``pkg/registry/apps``): Deployments, ReplicaSets, StatefulSets, DaemonSets.

Each defaults its spec and its pod template, validates as a workload (``workloads.validate``),
counts ``metadata.generation`` and has ``/scale`` (DaemonSets have no replicas and no ``/scale``).
"""

from __future__ import annotations

from collections.abc import Callable

from fakekube.kinds import columns, podspec, workloads
from fakekube.kinds.columns import AGE, column, joined
from fakekube.kinds.strategy import Column, Obj, Strategy


def _deployment_spec(spec: Obj) -> None:
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)


def _replica_set_spec(spec: Obj) -> None:
    spec.setdefault("replicas", 1)


def _stateful_set_spec(spec: Obj) -> None:
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        strategy.setdefault("rollingUpdate", {}).setdefault("partition", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Retain", "whenScaled": "Retain"})
    for claim in spec.get("volumeClaimTemplates") or []:
        if isinstance(claim, dict):
            podspec.claim_defaults(claim)


def _daemon_set_spec(spec: Obj) -> None:
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)


def _with_template(spec_defaults: Callable[[Obj], None], template_first: bool = False) -> Callable[[Obj], None]:
    """A workload's own spec defaults and its pod template's (the Deployment defaults its template first)."""
    def apply(obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        if template_first:
            podspec.template_defaults(obj)
            spec_defaults(spec)
        else:
            spec_defaults(spec)
            podspec.template_defaults(obj)

    return apply


def _drop_status(obj: Obj, cluster: object) -> None:
    obj.pop("status", None)


def _workload(spec_defaults: Callable[[Obj], None], *, scale: bool = True, name_rule: str = "dns1123-subdomain",
              template_first: bool = False, table: tuple[Column, ...] = (),
              status_resets: tuple[str, ...] = ()) -> Strategy:
    return Strategy(tracks_generation=True, defaults=_with_template(spec_defaults, template_first),
                    prepare_for_create=_drop_status, validate=workloads.validate_apps, name_rule=name_rule,
                    kube_finalizers=True, subresources={"scale": workloads.SCALE} if scale else {}, columns=table,
                    status_resets=status_resets)


def _ready(obj: Obj) -> str:
    return f"{columns.status(obj).get('readyReplicas', 0)}/{columns.spec(obj).get('replicas', 0)}"


DEPLOYMENT_COLUMNS: tuple[Column, ...] = (
    (column("Ready"), _ready),
    (column("Up-to-date", "integer"), lambda o: columns.status(o).get("updatedReplicas", 0)),
    (column("Available", "integer"), lambda o: columns.status(o).get("availableReplicas", 0)),
    AGE,
    (column("Containers", priority=1), lambda o: joined(c.get("name", "") for c in podspec.template_containers(o))),
    (column("Images", priority=1), lambda o: joined(c.get("image", "") for c in podspec.template_containers(o))),
    (column("Selector", priority=1), lambda o: joined(
        f"{k}={v}" for k, v in (columns.spec(o).get("selector") or {}).get("matchLabels", {}).items())),
)

KINDS = {
    # A Deployment's /status keeps the stored labels too (deploymentStatusStrategy.GetResetFields).
    "Deployment": _workload(_deployment_spec, template_first=True, table=DEPLOYMENT_COLUMNS,
                            status_resets=("metadata.labels",)),
    "ReplicaSet": _workload(_replica_set_spec),
    "StatefulSet": _workload(_stateful_set_spec, name_rule="dns1123-label"),
    "DaemonSet": _workload(_daemon_set_spec, scale=False),
}
