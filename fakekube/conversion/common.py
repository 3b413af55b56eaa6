"""What every conversion shares: the error, the apiVersions involved and helpers that build the
converted object the way Go's ``encoding/json`` lays out the target type (``omitempty`` included).
"""

from __future__ import annotations

import copy
from typing import Any

import orjson

JSONDict = dict[str, Any]


AUTOSCALING_V1 = "autoscaling/v1"
AUTOSCALING_V2 = "autoscaling/v2"
CORE_V1 = "v1"
EVENTS_V1 = "events.k8s.io/v1"


# ObjectMeta field order, used to place an annotations map that conversion has to create.
_OBJECT_META_ORDER = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def _dict(value: Any) -> JSONDict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _copied_metadata(obj: JSONDict) -> JSONDict:
    meta = obj.get("metadata")
    return copy.deepcopy(meta) if isinstance(meta, dict) else {}


def _top_level(kind: str, api_version: str, metadata: JSONDict, rest: JSONDict) -> JSONDict:
    out: JSONDict = {"kind": kind, "apiVersion": api_version, "metadata": metadata}
    out.update(rest)
    return out


def _set_annotation(meta: JSONDict, key: str, value: str) -> None:
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations[key] = value
        return
    fresh: JSONDict = {key: value}
    if "annotations" in meta:  # present but null
        meta["annotations"] = fresh
        return
    # Insert where Go's ObjectMeta puts it: after the last present field that precedes it.
    position = _OBJECT_META_ORDER.index("annotations")
    earlier = set(_OBJECT_META_ORDER[:position])
    keys = list(meta)
    insert_at = 0
    for index, existing in enumerate(keys):
        if existing in earlier:
            insert_at = index + 1
    items = list(meta.items())
    items.insert(insert_at, ("annotations", fresh))
    meta.clear()
    meta.update(items)


def _go_json(value: Any) -> str:
    """Serialize like Go's ``json.Marshal``: compact, key order kept, HTML characters escaped."""
    text = orjson.dumps(value).decode()
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class ConversionError(Exception):
    """The object cannot be converted to the requested version."""


def group_of(api_version: str) -> str:
    """``apps/v1`` -> ``apps``; the core group's ``v1`` -> ``""``."""
    return api_version.rpartition("/")[0]


def _with_api_version(obj: JSONDict, api_version: str) -> JSONDict:
    """``obj`` (already a private copy) with ``apiVersion`` set where it stands, or after ``kind``."""
    if "apiVersion" in obj:
        obj["apiVersion"] = api_version
        return obj
    out: JSONDict = {}
    for key, value in obj.items():
        out[key] = value
        if key == "kind":
            out["apiVersion"] = api_version
    if "apiVersion" not in out:
        out = {"apiVersion": api_version, **out}
    return out


def _set_if(out: JSONDict, key: str, value: Any) -> None:
    """Copy ``value`` under ``key`` unless Go's ``omitempty`` would drop it (null, "", 0, false, [] or {})."""
    if value is None or value == "" or value == [] or value == {} or value is False:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
        return
    out[key] = copy.deepcopy(value)


def _set_unless_null(out: JSONDict, key: str, value: Any) -> None:
    """Copy a pointer field: Go's ``omitempty`` drops only a nil pointer, so ``false``, ``""`` and ``{}`` stay."""
    if value is not None:
        out[key] = copy.deepcopy(value)
