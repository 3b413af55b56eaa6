"""Table cells of workload kinds whose strategies carry none: Jobs, CronJobs, ReplicaSets, DaemonSets,
StatefulSets, ControllerRevisions (``pkg/printers/internalversion``'s ``printJob``, ``printCronJob``...).

The column definitions are the release's (``kinds/printers.py``); these are only the values, by column name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube.kinds.columns import Since, parse_time, since, spec, status
from fakekube.kinds.printers_format import (
    as_dict,
    container_cells,
    format_label_selector,
    format_labels,
    human_duration,
)
from fakekube.kinds.strategy import Cell, Obj


def _template(obj: Obj) -> dict[str, Any]:
    return as_dict(spec(obj).get("template"))


def _has_condition(obj: Obj, kind: str) -> bool:
    for condition in status(obj).get("conditions") or []:
        if as_dict(condition).get("type") == kind:
            return as_dict(condition).get("status") == "True"
    return False


_JOB_STATES = ("Complete", "Failed", "", "Suspended", "FailureTarget", "SuccessCriteriaMet")


def _job_status(obj: Obj) -> str:
    for state in _JOB_STATES:
        if not state:
            if as_dict(obj.get("metadata")).get("deletionTimestamp"):
                return "Terminating"
        elif _has_condition(obj, state):
            return state
    return "Running"


def _job_completions(obj: Obj) -> str:
    succeeded = status(obj).get("succeeded", 0)
    completions = spec(obj).get("completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = spec(obj).get("parallelism") or 0
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _job_duration(obj: Obj) -> Any:
    """Since the start while running (a clock-relative cell), the run's length once complete."""
    start = parse_time(status(obj).get("startTime"))
    if start is None:
        return ""
    end = parse_time(status(obj).get("completionTime"))
    if end is None:
        return Since(start)
    return human_duration(end - start)


JOB: Mapping[str, Cell] = {
    "Status": _job_status,
    "Completions": _job_completions,
    "Duration": _job_duration,
    "Containers": lambda o: container_cells(_template(o))[0],
    "Images": lambda o: container_cells(_template(o))[1],
    "Selector": lambda o: format_label_selector(spec(o).get("selector")),
}


def _job_template(obj: Obj) -> dict[str, Any]:
    return as_dict(spec(obj).get("jobTemplate"))


def _suspend(obj: Obj) -> str:
    value = spec(obj).get("suspend")
    return "<unset>" if value is None else ("True" if value else "False")


CRON_JOB: Mapping[str, Cell] = {
    "Schedule": lambda o: spec(o).get("schedule", ""),
    "Timezone": lambda o: spec(o).get("timeZone") or "<none>",
    "Suspend": _suspend,
    "Active": lambda o: len(status(o).get("active") or []),
    "Last Schedule": lambda o: since(status(o)["lastScheduleTime"]) if status(o).get("lastScheduleTime") else "<none>",
    "Containers": lambda o: container_cells(as_dict(_job_template(o).get("spec")).get("template"))[0],
    "Images": lambda o: container_cells(as_dict(_job_template(o).get("spec")).get("template"))[1],
    "Selector": lambda o: format_label_selector(as_dict(_job_template(o).get("spec")).get("selector")),
}

REPLICA_SET: Mapping[str, Cell] = {
    "Desired": lambda o: spec(o).get("replicas", 0),
    "Current": lambda o: status(o).get("replicas", 0),
    "Ready": lambda o: status(o).get("readyReplicas", 0),
    "Containers": lambda o: container_cells(_template(o))[0],
    "Images": lambda o: container_cells(_template(o))[1],
    "Selector": lambda o: format_label_selector(spec(o).get("selector")),
}

DAEMON_SET: Mapping[str, Cell] = {
    "Desired": lambda o: status(o).get("desiredNumberScheduled", 0),
    "Current": lambda o: status(o).get("currentNumberScheduled", 0),
    "Ready": lambda o: status(o).get("numberReady", 0),
    "Up-to-date": lambda o: status(o).get("updatedNumberScheduled", 0),
    "Available": lambda o: status(o).get("numberAvailable", 0),
    "Node Selector": lambda o: format_labels(as_dict(_template(o).get("spec")).get("nodeSelector")),
    "Containers": lambda o: container_cells(_template(o))[0],
    "Images": lambda o: container_cells(_template(o))[1],
    "Selector": lambda o: format_label_selector(spec(o).get("selector")),
}

STATEFUL_SET: Mapping[str, Cell] = {
    "Ready": lambda o: f"{status(o).get('readyReplicas', 0)}/{spec(o).get('replicas', 0)}",
    "Containers": lambda o: container_cells(_template(o))[0],
    "Images": lambda o: container_cells(_template(o))[1],
}

CELLS: Mapping[str, Mapping[str, Cell]] = {
    "Job": JOB,
    "CronJob": CRON_JOB,
    "ReplicaSet": REPLICA_SET,
    "DaemonSet": DAEMON_SET,
    "StatefulSet": STATEFUL_SET,
}
