"""The ``batch`` group (``pkg/registry/batch``): Jobs and CronJobs."""

from __future__ import annotations

from fakekube import errors
from fakekube.kinds import pod_warnings_kinds, podspec
from fakekube.kinds.deferred import deferred
from fakekube.kinds.field_labels import fields, integer, job_rejection
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import ORPHAN_DEPENDENTS, Obj, Strategy, Validate


# The rules of ``kinds/validation/batch.py`` (with the pod spec's), loaded with the first Job or CronJob written.
@deferred
def _validate_job() -> Validate:
    from fakekube.kinds.validation.batch import validate_job

    return validate_job


@deferred
def _validate_cron_job() -> Validate:
    from fakekube.kinds.validation.batch import validate_cron_job

    return validate_cron_job


def _job_defaults(obj: Obj) -> None:
    """``SetDefaults_Job``.  The Job's own labels become its template's labels when it has none; upstream shares
    the map, so the selector labels ``PrepareForCreate`` adds later show up on the Job too (``_job_create``)."""
    spec = obj.setdefault("spec", {})
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    spec.setdefault("parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    template_labels = as_dict(as_dict(spec.get("template")).get("metadata")).get("labels")
    if isinstance(template_labels, dict) and not obj["metadata"].get("labels"):
        # the very map, as upstream: nothing but the object itself says they are shared (a marker key in the
        # metadata would reach the field manager, which runs between the defaults and the strategy)
        obj["metadata"]["labels"] = template_labels
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    policy = spec.get("podFailurePolicy")
    for rule in (policy.get("rules") or []) if isinstance(policy, dict) else []:
        for pattern in as_dict(rule).get("onPodConditions") or []:
            if isinstance(pattern, dict) and not pattern.get("status"):
                pattern["status"] = "True"
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if isinstance(policy, dict) else "TerminatingOrFailed"
    spec.setdefault("manualSelector", False)
    podspec.template_defaults(obj)


MAX_INT32 = 2**31 - 1


def _job_create(obj: Obj, cluster: object) -> None:
    """``jobStrategy.PrepareForCreate``: status cleared and, unless the selector is manual, the template
    labelled with the Job's name and uid (legacy and ``batch.kubernetes.io/`` keys, user values kept) and the
    selector set to the uid."""
    from fakekube.kinds.validation import batch as validation  # the label names (loaded with the first Job)

    obj.pop("status", None)
    meta = obj["metadata"]
    spec = obj.setdefault("spec", {})
    template_meta = as_dict(as_dict(spec.get("template")).get("metadata"))
    shares = meta.get("labels") is not None and meta.get("labels") is template_meta.get("labels")
    if shares:  # from here on, two maps
        meta["labels"] = dict(meta["labels"])
    if spec.get("manualSelector") is True:
        return
    uid, name = str(meta.get("uid", "")), str(meta.get("name", ""))
    template = spec.setdefault("template", {})
    template_meta = template.setdefault("metadata", {})
    labels = template_meta.get("labels")
    if not isinstance(labels, dict):
        labels = template_meta["labels"] = {}
    for key, value in ((validation.LEGACY_NAME_LABEL, name), (validation.NAME_LABEL, name),
                       (validation.LEGACY_UID_LABEL, uid), (validation.UID_LABEL, uid)):
        labels.setdefault(key, value)
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    match = selector.get("matchLabels")
    if not isinstance(match, dict):
        match = selector["matchLabels"] = {}
    match.setdefault(validation.UID_LABEL, uid)
    # A Job without labels shows its template's: shared with them by the defaulter, or (a template that had
    # none) given them by the defaulter that runs when kube-apiserver reads the Job back from storage.
    if shares or not meta.get("labels"):
        meta["labels"] = dict(labels)


def _cron_job_defaults(obj: Obj) -> None:
    """``SetDefaults_CronJob`` and the pod spec of its job template (the Job spec itself gets no defaults
    there: they come when the Job is created)."""
    spec = obj.setdefault("spec", {})
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict):
        podspec.template_defaults(job_template)


def _drop_status(obj: Obj, cluster: object) -> None:
    obj.pop("status", None)


KINDS = {
    # batch/v1 keeps a deleted Job's pods unless told otherwise, and says so (``jobStrategy``, its REST Delete)
    "Job": Strategy(tracks_generation=True, defaults=_job_defaults, prepare_for_create=_job_create,
                    validate=_validate_job, kube_finalizers=True, warnings=pod_warnings_kinds.job,
                    gc_policies={"batch/v1": ORPHAN_DEPENDENTS}, orphaning_default_warning=errors.JOB_ORPHANS_PODS,
                    field_labels=fields({"status.successful": integer("status.succeeded")}, reject=job_rejection)),
    "CronJob": Strategy(tracks_generation=True, defaults=_cron_job_defaults, prepare_for_create=_drop_status,
                        validate=_validate_cron_job, warnings=pod_warnings_kinds.cron_job,
                        own_enum_fields=frozenset({"spec.schedule", "spec.concurrencyPolicy"}), kube_finalizers=True),
}
