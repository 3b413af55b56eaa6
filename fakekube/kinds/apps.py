"""The ``apps`` group (``pkg/registry/apps``): Deployments, ReplicaSets, StatefulSets, DaemonSets.

Each defaults its spec and its pod template, validates as a workload (``workloads.validate``),
counts ``metadata.generation`` and has ``/scale`` (DaemonSets have no replicas and no ``/scale``).
"""

from __future__ import annotations

from collections.abc import Callable

from fakekube.kinds import columns, pod_warnings_kinds, podspec, workloads
from fakekube.kinds.columns import AGE, column, joined
from fakekube.kinds.deferred import deferred
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.printers_format import format_label_selector
from fakekube.kinds.strategy import Column, Obj, PrepareCreate, PrepareUpdate, Strategy, Validate


# The rules of ``kinds/validation/apps.py`` (with the pod spec's), loaded with the first workload written.
@deferred
def _validate_deployment() -> Validate:
    from fakekube.kinds.validation.apps import validate_deployment

    return validate_deployment


@deferred
def _validate_replica_set() -> Validate:
    from fakekube.kinds.validation.apps import validate_replica_set

    return validate_replica_set


@deferred
def _validate_stateful_set() -> Validate:
    from fakekube.kinds.validation.apps import validate_stateful_set

    return validate_stateful_set


@deferred
def _validate_daemon_set() -> Validate:
    from fakekube.kinds.validation.apps import validate_daemon_set

    return validate_daemon_set


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
    """``SetDefaults_StatefulSet``: a rolling update is made only when no type was given; its partition is 0 and
    (MaxUnavailableStatefulSet, beta and on since v1.35) its maxUnavailable 1."""
    spec.setdefault("replicas", 1)
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        strategy.setdefault("rollingUpdate", {})
    rolling = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and isinstance(rolling, dict):
        rolling.setdefault("partition", 0)
        rolling.setdefault("maxUnavailable", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    retention = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    if isinstance(retention, dict):
        for name in ("whenDeleted", "whenScaled"):
            if not retention.get(name):
                retention[name] = "Retain"
    for claim in spec.get("volumeClaimTemplates") or []:
        if isinstance(claim, dict):
            podspec.claim_defaults(claim)
            # the conversion from the internal type names each template's kind, as reflective conversion did
            # before v1.17 (kubernetes#87583)
            claim["apiVersion"] = "v1"
            claim["kind"] = "PersistentVolumeClaim"


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


# The DaemonSet's template generation, which apps/v1 carries as this annotation (internal TemplateGeneration).
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _daemon_set_create(obj: Obj, cluster: object) -> None:
    """``daemonSetStrategy.PrepareForCreate``: status cleared, template generation 1."""
    obj.pop("status", None)
    obj["metadata"].setdefault("annotations", {})[TEMPLATE_GENERATION] = "1"


def _daemon_set_update(obj: Obj, old: Obj, cluster: object) -> None:
    """``PrepareForUpdate``: a changed template counts one more template generation."""
    old_annotations = as_dict(old["metadata"].get("annotations"))
    try:
        generation = int(old_annotations.get(TEMPLATE_GENERATION, "0"))
    except ValueError:
        generation = 0
    if as_dict(obj.get("spec")).get("template") != as_dict(old.get("spec")).get("template"):
        generation += 1
    if generation > 0:
        annotations = obj["metadata"].get("annotations")
        if not isinstance(annotations, dict):
            annotations = obj["metadata"]["annotations"] = {}
        annotations[TEMPLATE_GENERATION] = str(generation)


def _deployment_update(obj: Obj, old: Obj, cluster: object) -> None:
    """``deploymentStrategy.PrepareForUpdate``: an annotation change counts a generation too (annotations are
    copied to the ReplicaSets); spec changes are counted by the registry."""
    meta, old_meta = obj["metadata"], old["metadata"]
    spec_same = {k: v for k, v in obj.items() if k not in ("metadata", "status")} == \
        {k: v for k, v in old.items() if k not in ("metadata", "status")}
    if spec_same and meta.get("annotations") != old_meta.get("annotations") and "generation" in old_meta:
        meta["generation"] = int(old_meta["generation"]) + 1


def _workload(spec_defaults: Callable[[Obj], None], validate: Validate, *, scale: bool = True,
              name_rule: str = "dns1123-subdomain", template_first: bool = False, table: tuple[Column, ...] = (),
              status_resets: tuple[str, ...] = (), prepare_for_create: PrepareCreate = _drop_status,
              prepare_for_update: PrepareUpdate | None = None, own_enum_fields: frozenset[str] = frozenset(),
              warnings: Callable[[Obj, Obj | None], list[str]] | None = None) -> Strategy:
    return Strategy(tracks_generation=True, defaults=_with_template(spec_defaults, template_first),
                    prepare_for_create=prepare_for_create, prepare_for_update=prepare_for_update,
                    validate=validate, name_rule=name_rule,
                    kube_finalizers=True, subresources={"scale": workloads.SCALE} if scale else {}, columns=table,
                    status_resets=status_resets, own_enum_fields=own_enum_fields, warnings=warnings)


def _ready(obj: Obj) -> str:
    return f"{columns.status(obj).get('readyReplicas', 0)}/{columns.spec(obj).get('replicas', 0)}"


DEPLOYMENT_COLUMNS: tuple[Column, ...] = (
    (column("Ready"), _ready),
    (column("Up-to-date", "integer"), lambda o: columns.status(o).get("updatedReplicas", 0)),
    (column("Available", "integer"), lambda o: columns.status(o).get("availableReplicas", 0)),
    AGE,
    (column("Containers", priority=1), lambda o: joined(c.get("name", "") for c in podspec.template_containers(o))),
    (column("Images", priority=1), lambda o: joined(c.get("image", "") for c in podspec.template_containers(o))),
    (column("Selector", priority=1), lambda o: format_label_selector(columns.spec(o).get("selector"))),
)

KINDS = {
    # A Deployment's /status keeps the stored labels too (deploymentStatusStrategy.GetResetFields).
    "Deployment": _workload(_deployment_spec, _validate_deployment, template_first=True,
                            table=DEPLOYMENT_COLUMNS, status_resets=("metadata.labels",),
                            prepare_for_update=_deployment_update,
                            own_enum_fields=frozenset({"spec.strategy.type"}),
                            warnings=pod_warnings_kinds.named_workload),
    "ReplicaSet": _workload(_replica_set_spec, _validate_replica_set, warnings=pod_warnings_kinds.named_workload),
    "StatefulSet": _workload(_stateful_set_spec, _validate_stateful_set, name_rule="dns1123-label",
                             own_enum_fields=frozenset({"spec.updateStrategy.type", "spec.podManagementPolicy"}),
                             warnings=pod_warnings_kinds.stateful_set),
    "DaemonSet": _workload(_daemon_set_spec, _validate_daemon_set, scale=False,
                           prepare_for_create=_daemon_set_create, prepare_for_update=_daemon_set_update,
                           own_enum_fields=frozenset({"spec.updateStrategy.type"}),
                           warnings=pod_warnings_kinds.daemon_set),
}
