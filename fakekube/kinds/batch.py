"""The ``batch`` group (``pkg/registry/batch``): Jobs and CronJobs."""

from __future__ import annotations

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds import podspec
from fakekube.kinds.field_labels import fields, integer, job_rejection
from fakekube.kinds.podspec import as_dict
from fakekube.kinds.strategy import Obj, Strategy
from fakekube.name_formats import DNS1035_LABEL_MAX_LENGTH, byte_len

IMMUTABLE = "field is immutable"
# A CronJob's name leaves room for the 11 characters its Jobs append.
CRONJOB_NAME_MAX_LENGTH = DNS1035_LABEL_MAX_LENGTH - 11


def _job_defaults(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("parallelism", 1)
    spec.setdefault("completions", 1)
    spec.setdefault("backoffLimit", 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    podspec.template_defaults(obj)


def _cron_job_defaults(obj: Obj) -> None:
    """``SetDefaults_CronJob`` and the pod spec of its job template (the Job spec itself gets no defaults
    there: they come when the Job is created)."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict):
        podspec.template_defaults(job_template)


def _drop_status(obj: Obj, cluster: object) -> None:
    obj.pop("status", None)


def _validate_job(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    pod_spec = podspec.template_spec(obj)
    out = podspec.containers(pod_spec, "spec.template.spec")
    policy = pod_spec.get("restartPolicy")
    if policy not in ("OnFailure", "Never"):
        out.append(errors.not_supported("spec.template.spec.restartPolicy", policy, ["OnFailure", "Never"]))
    if old is not None and spec.get("template") != as_dict(old.get("spec")).get("template"):
        out.append(errors.invalid("spec.template", spec.get("template"), IMMUTABLE))
    return out


def _validate_cron_job(obj: Obj, old: Obj | None) -> list[FieldError]:
    """A CronJob name may have at most 52 characters, checked on create after the spec."""
    name = obj["metadata"].get("name", "")
    if old is None and isinstance(name, str) and byte_len(name) > CRONJOB_NAME_MAX_LENGTH:
        return [errors.invalid("metadata.name", name, f"must be no more than {CRONJOB_NAME_MAX_LENGTH} characters")]
    return []


KINDS = {
    "Job": Strategy(tracks_generation=True, defaults=_job_defaults, prepare_for_create=_drop_status,
                    validate=_validate_job, kube_finalizers=True,
                    field_labels=fields({"status.successful": integer("status.succeeded")}, reject=job_rejection)),
    "CronJob": Strategy(tracks_generation=True, defaults=_cron_job_defaults, validate=_validate_cron_job,
                        kube_finalizers=True),
}
