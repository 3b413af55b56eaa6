"""``pkg/apis/apps/validation``: Deployments, ReplicaSets, StatefulSets and DaemonSets, and the update rules
their strategies add (``pkg/registry/apps/*/strategy.go``).

Why these are ported rule by rule: clients and people read the 422's causes, so each rule keeps upstream's
order, field path and wording.  Two upstream quirks are kept on purpose: an invalid selector skips the pod
template's checks (``LabelSelectorAsSelector`` failed), and a ReplicaSet, StatefulSet or DaemonSet update
validates its spec twice (the object's rules and the update's), which repeats causes; the message shows each
text once.  The pod spec itself is ``pod_template.validate_pod_template``'s.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import workload_validation as wl
from fakekube.go_text import GoShown, go_pointer, go_struct
from fakekube.kinds.validation import common
from fakekube.kinds.validation.pod_template import validate_pod_template
from fakekube.versions import served_minor

Obj = dict[str, Any]


def _selector_checks(selector: Any, kind_word: str) -> list[FieldError]:
    """``spec.selector`` required, valid (strictly: label values checked), and not empty."""
    if not isinstance(selector, dict):
        return []  # the schema's required-field check reports it (it is required in the OpenAPI schema)
    out = common.label_selector(selector, "spec.selector")
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        out.append(wl.invalid_shown("spec.selector", wl.go_label_selector(selector), wl.empty_selector(kind_word)))
    return out


def _template_labels(template: Obj) -> Any:
    return common.mapping(template.get("metadata")).get("labels")


def _labels_shown(labels: Any) -> GoShown:
    return wl.go_string_map(labels)


def pod_template_for_replica_set(template: Obj, selector: Any, path: str, kind: str) -> list[FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet``: labels matched by the selector, the pod template, restart
    policy ``Always`` and no ``activeDeadlineSeconds`` (Deployments and ReplicaSets; ``kind`` words the last)."""
    out: list[FieldError] = []
    labels = _template_labels(template)
    if not common.selector_is_empty(selector) and not common.selector_matches(selector, labels):
        out.append(wl.invalid_shown(f"{path}.metadata.labels", _labels_shown(labels), wl.SELECTOR_MISMATCH))
    out.extend(validate_pod_template(template, path))
    out.extend(_always_restart(template, path))
    if common.mapping(template.get("spec")).get("activeDeadlineSeconds") is not None:
        out.append(errors.forbidden(f"{path}.spec.activeDeadlineSeconds", wl.active_deadline_not_supported(kind)))
    return out


def _always_restart(template: Obj, path: str) -> list[FieldError]:
    policy = common.mapping(template.get("spec")).get("restartPolicy", "")
    if policy != "Always":
        return [errors.not_supported(f"{path}.spec.restartPolicy", policy, ["Always"])]
    return []


def _rolling_update_shown(rolling: Obj) -> GoShown:
    """The internal ``apps.RollingUpdateStatefulSetStrategy`` (``Partition`` a plain int32 there)."""
    unavailable = rolling.get("maxUnavailable")
    return go_struct("apps.RollingUpdateStatefulSetStrategy", [
        ("Partition", rolling.get("partition", 0)),
        ("MaxUnavailable", go_pointer("intstr.IntOrString",
                                      None if unavailable is None else wl.go_int_or_string(unavailable)))])


def _selector_then_template(spec: Obj, kind_word: str, kind: str, *, invalid_detail: str) -> list[FieldError]:
    selector = spec.get("selector")
    if not common.selector_converts(selector):
        return [wl.invalid_shown("spec.selector", wl.go_label_selector(selector), invalid_detail)]
    return pod_template_for_replica_set(common.mapping(spec.get("template")), selector, "spec.template", kind)


def rolling_update_deployment(rolling: Obj, path: str) -> list[FieldError]:
    """``ValidateRollingUpdateDeployment``."""
    surge, unavailable = rolling.get("maxSurge", 0), rolling.get("maxUnavailable", 0)
    out = common.positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    out.extend(common.positive_int_or_percent(surge, f"{path}.maxSurge"))
    if common.int_or_percent_value(unavailable) == 0 and common.int_or_percent_value(surge) == 0:
        out.append(
            wl.invalid_shown(
                f"{path}.maxUnavailable", wl.go_int_or_string(unavailable), wl.UNAVAILABLE_ZERO_WITH_SURGE_ZERO
            )
        )
    out.extend(common.not_more_than_100_percent(unavailable, f"{path}.maxUnavailable"))
    return out


def deployment_strategy(strategy: Obj) -> list[FieldError]:
    """``ValidateDeploymentStrategy``."""
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [errors.forbidden("spec.strategy.rollingUpdate", wl.RECREATE_WITH_ROLLING_UPDATE)]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [errors.required("spec.strategy.rollingUpdate", wl.DEFAULTED_NEVER_NIL)]
        return rolling_update_deployment(rolling, "spec.strategy.rollingUpdate")
    shown = _strategy_shown("apps.DeploymentStrategy", "apps.RollingUpdateDeployment", kind, rolling)
    return [wl.not_supported_shown("spec.strategy", shown, ["Recreate", "RollingUpdate"])]


def _strategy_shown(type_name: str, rolling_type: str, kind: Any, rolling: Any) -> GoShown:
    """A Deployment's or DaemonSet's internal update strategy: its type and a pointer to its rolling update
    (whose two ``IntOrString`` fields are plain values there)."""
    rolling_shown = None
    if isinstance(rolling, dict):
        rolling_shown = go_struct(rolling_type, [
            ("MaxUnavailable", wl.go_int_or_string(rolling.get("maxUnavailable", 0))),
            ("MaxSurge", wl.go_int_or_string(rolling.get("maxSurge", 0)))])
    return go_struct(type_name, [("Type", str(kind)), ("RollingUpdate", go_pointer(rolling_type, rolling_shown))])


def validate_deployment(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateDeployment`` / ``ValidateDeploymentUpdate``, then the strategy's immutable selector."""
    spec = common.mapping(obj.get("spec"))
    out = common.nonnegative_field(spec.get("replicas"), "spec.replicas")
    out.extend(_selector_checks(spec.get("selector"), "deployment"))
    out.extend(_selector_then_template(spec, "deployment", "ReplicaSet", invalid_detail=wl.INVALID_SELECTOR))
    out.extend(deployment_strategy(common.mapping(spec.get("strategy"))))
    min_ready = spec.get("minReadySeconds", 0)
    out.extend(common.nonnegative_field(min_ready, "spec.minReadySeconds"))
    out.extend(common.nonnegative_field(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        out.extend(common.nonnegative_field(deadline, "spec.progressDeadlineSeconds"))
        if isinstance(min_ready, int) and deadline <= min_ready:
            out.append(errors.invalid("spec.progressDeadlineSeconds", deadline, wl.PROGRESS_DEADLINE_OVER_MIN_READY))
    if old is not None:
        out.extend(immutable_selector(obj, old))
    return out


def immutable_selector(obj: Obj, old: Obj) -> list[FieldError]:
    """The ``apps/v1`` strategies' ``ValidateImmutableField`` of ``spec.selector``."""
    selector = common.mapping(obj.get("spec")).get("selector")
    if selector != common.mapping(old.get("spec")).get("selector"):
        return [wl.invalid_shown("spec.selector", wl.go_label_selector(selector), wl.IMMUTABLE)]
    return []


def replica_set_spec(spec: Obj) -> list[FieldError]:
    """``ValidateReplicaSetSpec`` (its empty-selector text says "deployment", as upstream's does)."""
    out = common.nonnegative_field(spec.get("replicas"), "spec.replicas")
    out.extend(common.nonnegative_field(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    out.extend(_selector_checks(spec.get("selector"), "deployment"))
    out.extend(_selector_then_template(spec, "deployment", "ReplicaSet", invalid_detail=wl.INVALID_SELECTOR))
    return out


def validate_replica_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateReplicaSet``; on update also ``ValidateReplicaSetUpdate`` and the immutable selector."""
    spec = common.mapping(obj.get("spec"))
    out = replica_set_spec(spec)
    if old is not None:
        out.extend(replica_set_spec(spec))
        out.extend(immutable_selector(obj, old))
    return out


def _rolling_update_stateful_set(rolling: Obj, path: str) -> list[FieldError]:
    """``validateRollingUpdateStatefulSet``: partition not negative; maxUnavailable a positive int or percent."""
    out = common.nonnegative_field(rolling.get("partition", 0), f"{path}.partition")
    if "maxUnavailable" in rolling:
        value = rolling["maxUnavailable"]
        out.extend(common.positive_int_or_percent(value, f"{path}.maxUnavailable"))
        if common.int_or_percent_value(value) == 0:
            out.append(wl.invalid_shown(f"{path}.maxUnavailable", wl.go_int_or_string(value), wl.NOT_ZERO))
        out.extend(common.not_more_than_100_percent(value, f"{path}.maxUnavailable"))
    return out


def _stateful_set_update_strategy(strategy: Obj) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "":
        return [errors.required("spec.updateStrategy")]
    if kind == "OnDelete":
        if isinstance(rolling, dict):
            shown = _rolling_update_shown(rolling)
            return [wl.invalid_shown("spec.updateStrategy.rollingUpdate", shown, wl.ROLLING_UPDATE_ONLY)]
        return []
    if kind == "RollingUpdate":
        return (
            _rolling_update_stateful_set(rolling, "spec.updateStrategy.rollingUpdate")
            if isinstance(rolling, dict)
            else []
        )
    # Upstream's default case, worded by the validator (the strategy leaves out the schema's enum stand-in,
    # whose list grew "Recreate" in v1.37 while the StatefulSetRecreateStrategy gate stays off by default).
    shown = go_struct("apps.StatefulSetUpdateStrategy", [
        ("Type", str(kind)),
        ("RollingUpdate", go_pointer("apps.RollingUpdateStatefulSetStrategy",
                                     _rolling_update_shown(rolling) if isinstance(rolling, dict) else None))])
    return [wl.invalid_shown("spec.updateStrategy", shown, "must be 'RollingUpdate' or 'OnDelete'")]


def _with_claim_volumes(template: Obj, spec: Obj) -> Obj:
    """The template as the pod spec rules see it: each ``volumeClaimTemplates`` entry is a volume of the pods
    (the controller adds it), so a container may mount it by name (kube-apiserver accepts such a mount, and
    still reports one that names neither a volume nor a claim template)."""
    pod = common.mapping(template.get("spec"))
    volumes: list[Any] = pod["volumes"] if isinstance(pod.get("volumes"), list) else []
    known = {v.get("name") for v in volumes if isinstance(v, dict)}
    claims = spec.get("volumeClaimTemplates")
    names = [common.mapping(c.get("metadata")).get("name") for c in claims or [] if isinstance(c, dict)]
    added = [{"name": n, "persistentVolumeClaim": {"claimName": n}} for n in names
             if isinstance(n, str) and n and n not in known]
    if not added:
        return template
    return {**template, "spec": {**pod, "volumes": [*volumes, *added]}}


def stateful_set_spec(spec: Obj, *, creating: bool = False) -> list[FieldError]:
    """``ValidateStatefulSetSpec`` (the service name is checked on create only: it is immutable)."""
    out: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "")
    if policy == "":
        out.append(errors.required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        out.append(errors.invalid("spec.podManagementPolicy", policy, wl.POD_MANAGEMENT_POLICIES))
    out.extend(_stateful_set_update_strategy(common.mapping(spec.get("updateStrategy"))))
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for name in ("whenDeleted", "whenScaled"):
            value = retention.get(name, "")
            if value not in ("Retain", "Delete"):
                out.append(
                    errors.not_supported(
                        f"spec.persistentVolumeClaimRetentionPolicy.{name}", value, ["Retain", "Delete"]
                    )
                )
    out.extend(common.nonnegative_field(spec.get("replicas"), "spec.replicas"))
    out.extend(common.nonnegative_field(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    ordinals = spec.get("ordinals")
    if isinstance(ordinals, dict):
        out.extend(common.nonnegative_field(ordinals.get("start", 0), "spec.ordinals.start"))
    service = spec.get("serviceName")
    if creating and isinstance(service, str) and service:
        out.extend(common.dns1123_label(service, "spec.serviceName"))
    out.extend(_selector_checks(spec.get("selector"), "statefulset"))
    selector, template = spec.get("selector"), common.mapping(spec.get("template"))
    if not common.selector_converts(selector):
        out.append(wl.invalid_shown("spec.selector", wl.go_label_selector(selector), ""))
    else:
        labels = _template_labels(template)
        if not common.selector_is_empty(selector) and not common.selector_matches(selector, labels):
            out.append(wl.invalid_shown("spec.template.metadata.labels", _labels_shown(labels), wl.SELECTOR_MISMATCH))
        out.extend(validate_pod_template(_with_claim_volumes(template, spec), "spec.template"))
    out.extend(_always_restart(template, "spec.template"))
    if common.mapping(template.get("spec")).get("activeDeadlineSeconds") is not None:
        out.append(
            errors.forbidden(
                "spec.template.spec.activeDeadlineSeconds", wl.active_deadline_not_supported("StatefulSet")
            )
        )
    return out


# What a StatefulSet update may change (``ValidateStatefulSetUpdate`` compares the rest of the spec).
_STATEFUL_SET_MUTABLE = frozenset(
    {
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    }
)


def validate_stateful_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateStatefulSet``; on update also ``ValidateStatefulSetUpdate`` (the spec again, then the fields
    that may not change) and the immutable selector."""
    spec = common.mapping(obj.get("spec"))
    out = stateful_set_spec(spec, creating=old is None)
    if old is not None and served_minor() >= 37:  # ValidateStatefulSetUpdate names each immutable field
        old_spec = common.mapping(old.get("spec"))
        out.extend(immutable_selector(obj, old))
        for name in ("volumeClaimTemplates", "serviceName", "podManagementPolicy"):
            if spec.get(name) != old_spec.get(name):
                value = spec.get(name)
                out.append(errors.invalid(f"spec.{name}", value if not isinstance(value, list)
                                          else GoShown("[]core.PersistentVolumeClaim{...}", value), wl.IMMUTABLE))
    elif old is not None:
        out.extend(stateful_set_spec(spec))
        old_spec = common.mapping(old.get("spec"))
        keys = (set(spec) | set(old_spec)) - _STATEFUL_SET_MUTABLE
        if any(spec.get(k) != old_spec.get(k) for k in keys):
            out.append(errors.forbidden("spec", wl.STATEFULSET_FORBIDDEN_UPDATE))
        out.extend(immutable_selector(obj, old))
    return out


def _rolling_update_daemon_set(rolling: Obj, path: str) -> list[FieldError]:
    """``ValidateRollingUpdateDaemonSet``: one of maxSurge and maxUnavailable non-zero."""
    unavailable, surge = rolling.get("maxUnavailable", 0), rolling.get("maxSurge", 0)
    out = common.positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    out.extend(common.positive_int_or_percent(surge, f"{path}.maxSurge"))
    out.extend(common.not_more_than_100_percent(unavailable, f"{path}.maxUnavailable"))
    out.extend(common.not_more_than_100_percent(surge, f"{path}.maxSurge"))
    has_unavailable = common.int_or_percent_value(unavailable) != 0
    has_surge = common.int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        out.append(wl.invalid_shown(f"{path}.maxSurge", wl.go_int_or_string(surge), wl.SURGE_WITH_UNAVAILABLE))
    elif not has_unavailable and not has_surge:
        out.append(errors.required(f"{path}.maxUnavailable", wl.DAEMON_SET_UNAVAILABLE_ZERO_WHEN_SURGE_ZERO))
    return out


def _daemon_set_update_strategy(strategy: Obj) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "OnDelete":
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [errors.required("spec.updateStrategy.rollingUpdate")]
        return _rolling_update_daemon_set(rolling, "spec.updateStrategy.rollingUpdate")
    shown = _strategy_shown("apps.DaemonSetUpdateStrategy", "apps.RollingUpdateDaemonSet", kind, rolling)
    return [wl.not_supported_shown("spec.updateStrategy", shown, ["RollingUpdate", "OnDelete"])]


def daemon_set_spec(spec: Obj) -> list[FieldError]:
    """``ValidateDaemonSetSpec`` (the selector may be missing: then nothing matches the template)."""
    selector, template = spec.get("selector"), common.mapping(spec.get("template"))
    out = common.label_selector(selector, "spec.selector")
    labels = _template_labels(template)
    if common.selector_converts(selector) and not common.selector_matches(selector, labels):
        out.append(wl.invalid_shown("spec.template.metadata.labels", _labels_shown(labels), wl.SELECTOR_MISMATCH))
    if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions"):
        out.append(wl.invalid_shown("spec.selector", wl.go_label_selector(selector), wl.empty_selector("daemonset")))
    out.extend(validate_pod_template(template, "spec.template"))
    out.extend(_always_restart(template, "spec.template"))
    if common.mapping(template.get("spec")).get("activeDeadlineSeconds") is not None:
        out.append(
            errors.forbidden("spec.template.spec.activeDeadlineSeconds", wl.active_deadline_not_supported("DaemonSet"))
        )
    out.extend(common.nonnegative_field(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    out.extend(_daemon_set_update_strategy(common.mapping(spec.get("updateStrategy"))))
    out.extend(common.nonnegative_field(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    return out


def validate_daemon_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateDaemonSet``; on update also ``ValidateDaemonSetUpdate`` and the immutable selector (the
    template generation is the server's, so its own update rules never fire)."""
    spec = common.mapping(obj.get("spec"))
    out = daemon_set_spec(spec)
    if old is not None:
        out.extend(daemon_set_spec(spec))
        out.extend(immutable_selector(obj, old))
    return out


def replication_controller_spec(spec: Obj) -> list[FieldError]:
    """``ValidateReplicationControllerSpec`` (``pkg/apis/core/validation``): a non-empty map selector matching
    the template, which is required, restarts ``Always`` and has no ``activeDeadlineSeconds``."""
    out = common.nonnegative_field(spec.get("minReadySeconds"), "spec.minReadySeconds")
    selector = spec.get("selector")
    if not selector:
        out.append(errors.required("spec.selector"))
    out.extend(common.nonnegative_field(spec.get("replicas"), "spec.replicas"))
    template = spec.get("template")
    if not isinstance(template, dict):
        out.append(errors.required("spec.template"))
        return out
    labels = _template_labels(template)
    if selector and not common.selector_matches({"matchLabels": selector}, labels):
        out.append(wl.invalid_shown("spec.template.metadata.labels", _labels_shown(labels), wl.SELECTOR_MISMATCH))
    out.extend(validate_pod_template(template, "spec.template"))
    out.extend(_always_restart(template, "spec.template"))
    if common.mapping(template.get("spec")).get("activeDeadlineSeconds") is not None:
        out.append(
            errors.forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                wl.active_deadline_not_supported("ReplicationController"),
            )
        )
    return out


def validate_replication_controller(obj: Obj, old: Obj | None) -> list[FieldError]:
    """``ValidateReplicationController``; an update validates the spec again (``...Update``); the selector may
    change."""
    spec = common.mapping(obj.get("spec"))
    out = replication_controller_spec(spec)
    if old is not None:
        out.extend(replication_controller_spec(spec))
    return out
