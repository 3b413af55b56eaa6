"""Each kind's ``WarningsOnCreate`` / ``WarningsOnUpdate`` around the pod spec walk of ``pod_warnings``.

A Pod is warned about on create only; a workload on create, and on an update only when its template may have
changed (its generation moved; a DaemonSet's template itself), so a scale or a label change sends nothing.
Upstream quirks kept, since clients see them: a ReplicationController's update warns about the template it
had before; a StatefulSet's update names its claim templates' specs ``Spec``; a CronJob's update warns about
a time zone in its schedule as ``spec.spec.schedule``.  Each function is a ``Strategy.warnings``:
``(new, old)``, ``old`` None on create, run once the write passed validation.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.kinds.pod_warnings import claim_spec_warnings, spec_warnings
from fakekube.kinds.podspec import as_dict
from fakekube.name_formats import dns1123_label_errors

Obj = dict[str, Any]

INDEXED_COMPLETIONS_SOFT_LIMIT = 100_000
INDEXED_PARALLELISM_SOFT_LIMIT = 10_000


def template_warnings(prefix: str, template: Any) -> list[str]:
    """``GetWarningsForPodTemplate``: nothing for a missing template."""
    if not isinstance(template, dict):
        return []
    return spec_warnings(prefix, as_dict(template.get("spec")), as_dict(template.get("metadata")), template=True)


def _name_warnings(obj: Obj, use: str) -> list[str]:
    found = dns1123_label_errors(str(obj["metadata"].get("name", "")))
    return [errors.not_dns_label(use, found)] if found else []


def _generation_moved(obj: Obj, old: Obj) -> bool:
    return bool(obj["metadata"].get("generation") != old["metadata"].get("generation"))


def pod(obj: Obj, old: Obj | None) -> list[str]:
    if old is not None:
        return []
    return _name_warnings(obj, errors.POD_NAME_USE) + spec_warnings(
        "", as_dict(obj.get("spec")), as_dict(obj.get("metadata")), template=False)


def _spec_template(obj: Obj) -> Any:
    return as_dict(obj.get("spec")).get("template")


def named_workload(obj: Obj, old: Obj | None) -> list[str]:
    """A Deployment, ReplicaSet or ReplicationController."""
    if old is None:
        return _name_warnings(obj, errors.WORKLOAD_NAME_USE) + template_warnings("spec.template", _spec_template(obj))
    if _generation_moved(obj, old):
        return template_warnings("spec.template", _spec_template(obj))
    return []


def replication_controller(obj: Obj, old: Obj | None) -> list[str]:
    if old is None or not _generation_moved(obj, old):
        return named_workload(obj, old)
    return template_warnings("spec.template", _spec_template(old))  # upstream passes the old template first


def daemon_set(obj: Obj, old: Obj | None) -> list[str]:
    if old is None or _spec_template(obj) != _spec_template(old):  # its templateGeneration moved
        return template_warnings("spec.template", _spec_template(obj))
    return []


def stateful_set(obj: Obj, old: Obj | None) -> list[str]:
    spec = as_dict(obj.get("spec"))
    out = template_warnings("spec.template", spec.get("template")) if old is None or _generation_moved(obj, old) \
        else []
    claims = spec.get("volumeClaimTemplates")
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        path = f"spec.volumeClaimTemplates[{i}]" + ("" if old is None else ".Spec")
        out += claim_spec_warnings(path, as_dict(as_dict(claim).get("spec")))
    limit = spec.get("revisionHistoryLimit")
    if isinstance(limit, int) and limit < 0:
        out.append(errors.NEGATIVE_HISTORY_LIMIT)
    return out


def pod_template(obj: Obj, old: Obj | None) -> list[str]:
    if old is None or _generation_moved(obj, old):
        return template_warnings("template", obj.get("template"))
    return []


def job_spec_warnings(path: str, spec: Obj) -> list[str]:
    """``WarningsForJobSpec``: an Indexed Job too big to track, then its template."""
    out: list[str] = []
    if spec.get("completionMode") == "Indexed":
        completions, parallelism = spec.get("completions") or 0, spec.get("parallelism") or 0
        if completions > INDEXED_COMPLETIONS_SOFT_LIMIT and parallelism > INDEXED_PARALLELISM_SOFT_LIMIT:
            out.append(errors.warning_at(path, errors.BIG_INDEXED_JOB))
    return out + template_warnings(f"{path}.template", spec.get("template"))


def job(obj: Obj, old: Obj | None) -> list[str]:
    if old is None:
        return _name_warnings(obj, errors.WORKLOAD_NAME_USE) + job_spec_warnings("spec", as_dict(obj.get("spec")))
    return job_spec_warnings("spec", as_dict(obj.get("spec"))) if _generation_moved(obj, old) else []


def cron_job(obj: Obj, old: Obj | None) -> list[str]:
    spec = as_dict(obj.get("spec"))
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    if old is None:
        return _name_warnings(obj, errors.WORKLOAD_NAME_USE) + job_spec_warnings("spec.jobTemplate.spec", job_spec)
    out = job_spec_warnings("spec.jobTemplate.spec", job_spec) if _generation_moved(obj, old) else []
    if "TZ" in str(spec.get("schedule", "")):
        out.append(errors.cron_time_zone("spec.spec.schedule"))
    return out
