"""The LimitRanger admission plugin (``plugin/pkg/admission/limitranger``): the LimitRanges of a namespace give
its new pods' containers the requests and limits they leave out.

For each LimitRange of the pod's namespace, its ``Container`` items' ``defaultRequest`` and ``default`` fill the
requests and limits each container and init container lacks, and the pod is annotated
``kubernetes.io/limit-ranger`` with what was set.  Updates are left alone (kube-apiserver's ``resize``
subresource is not served here).  The plugin's validating half (min, max and ratio constraints) is not ported:
such a pod is accepted.
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube.registry.admission_attributes import CREATE, Attributes
from fakekube.storage import Store

ANNOTATION = "kubernetes.io/limit-ranger"


def _defaults(limit_range: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``defaultContainerResourceRequirements``: (requests, limits) of the range's Container items."""
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for item in (limit_range.get("spec") or {}).get("limits") or []:
        if isinstance(item, dict) and item.get("type") == "Container":
            requests.update(item.get("defaultRequest") or {})
            limits.update(item.get("default") or {})
    return requests, limits


def _merge(container: dict[str, Any], requests: dict[str, Any], limits: dict[str, Any], what: str) -> list[str]:
    """``mergeContainerResources``: what the container lacks is set; the notes say what was."""
    resources = container.get("resources")
    if not isinstance(resources, dict):
        resources = container["resources"] = {}
    notes: list[str] = []
    for field, defaults, word in (("requests", requests, "request"), ("limits", limits, "limit")):
        current = resources.get(field)
        if not isinstance(current, dict):
            current = {}
        added = sorted(name for name in defaults if name not in current)
        if added:
            resources[field] = {**current, **{name: defaults[name] for name in added}}
            notes.append(", ".join(added) + f" {word} for {what} {container.get('name', '')}")
    return notes  # each container's requests before its limits, as upstream lists them


def admit(store: Store, attrs: Attributes) -> None:
    if attrs.operation != CREATE or not attrs.is_core("pods") or attrs.obj is None:
        return
    spec = attrs.obj.get("spec")
    if not isinstance(spec, dict):
        return
    for _, data in store.iter_table("limitranges", attrs.namespace):
        requests, limits = _defaults(orjson.loads(data))
        notes: list[str] = []
        for field, what in (("containers", "container"), ("initContainers", "init container")):
            for container in spec.get(field) or []:
                if isinstance(container, dict):
                    notes.extend(_merge(container, requests, limits, what))
        if notes:
            meta = attrs.obj["metadata"]
            annotations = meta.get("annotations")
            meta["annotations"] = {**(annotations if isinstance(annotations, dict) else {}),
                                   ANNOTATION: "LimitRanger plugin set: " + "; ".join(notes)}
