"""Field management: the step of the write pipeline that keeps ``metadata.managedFields``.

kube-apiserver wraps every create, update and patch in a field manager (apimachinery's
``managedfields/internal``), a chain of small managers; this module is that chain in one place:

* which manager writes: ``fieldManager``, else the User-Agent up to its first ``/``, else ``unknown``;
* which managed fields a write starts from: the stored object's, or the request's own when it sends
  decodable ones (``[]`` and ``[{}]`` clear them), never the request's on a subresource;
* an object that has no managed fields is not tracked by updates until an apply (the first apply
  records what was there as ``before-first-apply``);
* fields the server sets (``metadata.name``, ``uid``, ``resourceVersion``...) are never owned, nor are the
  fields a write's strategy resets (``status`` on the main resource, the rest on ``/status``);
* an update owns what it changed, stamped with the time, merged into the manager's earlier entry; at
  most ten update entries are kept (older ones merge into ``ancient-changes``);
* an apply merges through ``fakekube.managedfields`` and answers conflicts as 409s; ``kubectl`` applies
  honour and refresh the client-side ``last-applied-configuration`` annotation as kube does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.go_text import go_json_escaped
from fakekube.managedfields import entries, fieldpath, typed
from fakekube.managedfields.fieldpath import FieldSet, path_string
from fakekube.managedfields.merge import Conflicts, ManagerKey, Managers, Updater, VersionedSet
from fakekube.registry.context import Context
from fakekube.registry.metadata_fields import FIELD_MANAGER_MAX_LENGTH
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import typed_zero
from fakekube.schema.validation import json_type

MAX_UPDATE_MANAGERS = 10
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CURRENT: ManagerKey = ("current-operation", "", "", "")


def _paths(*dotted: str) -> FieldSet:
    return fieldpath.from_paths(*(tuple("f:" + part for part in path.split(".")) for path in dotted))


# Never owned by anyone (stripMetaManager): apiVersion, kind, the metadata node itself and these fields of it.
_STRIPPED_META = ("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation",
                  "managedFields", "resourceVersion")
STRIPPED = _paths("apiVersion", "kind", "metadata", *(f"metadata.{name}" for name in _STRIPPED_META))
# The same, for a create's one walk: top-level fields left out, and metadata fields left out.
_OMIT_ON_CREATE: dict[str, Any] = {"apiVersion": None, "kind": None, "metadata": frozenset(_STRIPPED_META)}
_OMIT_WITH_STATUS = {**_OMIT_ON_CREATE, "status": None}  # the main resource's reset fields


def manager_name(ctx: Context) -> str:
    """``managerOrUserAgent``: the manager of a non-apply write."""
    return ctx.field_manager or _from_user_agent(ctx.user_agent)


@functools.lru_cache(maxsize=256)
def _from_user_agent(user_agent: str) -> str:
    """The User-Agent up to its first ``/``, printable characters only, at most 128 bytes; ``unknown``."""
    out = ""
    for char in user_agent.split("/", 1)[0]:
        if not char.isprintable():  # Go's unicode.IsPrint: no controls, separators but the space, or unassigned
            continue
        if len((out + char).encode()) > FIELD_MANAGER_MAX_LENGTH:
            break
        out += char
    return out or "unknown"


def reset_fields(res: ResourceInfo, subresource: str) -> FieldSet:
    """The fields a write through ``subresource`` resets, so it never owns them (``GetResetFields``)."""
    if not subresource:
        return _STATUS if res.has_status else {}
    if subresource == "status":
        schema = res.schema_model
        top = [name for name in (schema.properties if schema is not None else ())
               if name not in ("apiVersion", "kind", "metadata", "status")]
        return _paths(*top, *res.strategy.status_resets)
    if subresource == "finalize":
        return _STATUS
    return {}


_STATUS = _paths("status")


def _as_typed(res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
    """A built-in object as structured-merge-diff sees it: converted from its Go type, so with the fields Go writes
    even when unset (a new condition's ``lastProbeTime: null`` counts as set by its writer)."""
    if res.is_custom:
        return obj
    typed_obj: dict[str, Any] = orjson.loads(orjson.dumps(obj))
    typed_zero.complete_encoding(res.schema_model, typed_obj, res.kubernetes_version)
    return typed_obj


def _without_managed_fields(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" not in meta:
        return obj
    meta = dict(meta)
    del meta["managedFields"]
    return {**obj, "metadata": meta}


def _strip(managers: Managers, key: ManagerKey) -> None:
    owned = managers.get(key)
    if owned is None:
        return
    rest = fieldpath.difference(owned.fields, STRIPPED)
    if not rest:
        del managers[key]
    else:
        managers[key] = VersionedSet(rest, owned.api_version, owned.applied)


class FieldManager:
    """The field manager of one cluster (its clock stamps the entries)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def update(self, ctx: Context, res: ResourceInfo, obj: dict[str, Any], old: dict[str, Any] | None,
               subresource: str) -> None:
        """Records the fields ``ctx``'s manager changed from ``old`` (``None``: a create) to ``obj``, in place."""
        meta = obj["metadata"]
        requested = meta.pop("managedFields", None)
        stored = old["metadata"].get("managedFields") if old is not None else None
        live: tuple[Managers, entries.Times] = ({}, {})
        if stored:
            try:
                live = entries.decode(stored, trusted=True)
            except ValueError:
                live = ({}, {})
        if subresource or requested is None or requested == stored:
            managers, times = live
        elif entries.is_reset(requested):
            managers, times = {}, {}
        else:
            try:
                managers, times = entries.decode(requested)
            except ValueError:
                managers, times = {}, {}
            if not managers:
                managers, times = live
        if not managers and old is not None:
            return  # an object without managed fields stays untracked until it is applied
        times = dict(times)
        key = entries.manager_key(manager_name(ctx), entries.UPDATE, res.api_version, subresource)
        if old is None and not managers:  # a plain create: one walk, no one else to take fields from
            try:
                fields = typed.object_created_fields(obj, res.schema_model,
                                                     _OMIT_WITH_STATUS if res.has_status else _OMIT_ON_CREATE)
            except typed.TypedError:
                return
            if fields:
                meta["managedFields"] = entries.encode({key: VersionedSet(fields, res.api_version, False)},
                                                       {key: rfc3339(self._now())})
            return
        updater = Updater(res.schema_model, reset_fields(res, subresource))
        try:
            managers = self._record_update(updater, res, _without_managed_fields(old) if old is not None else {},
                                           _as_typed(res, obj), managers, times, key)
        except typed.TypedError:
            return  # kube v1.36 drops the managed fields of an object it cannot type
        managers = _cap_update_managers(managers, times)
        if managers:
            meta["managedFields"] = entries.encode(managers, times, live[0])

    def _record_update(self, updater: Updater, res: ResourceInfo, old: Any, new: Any, managers: Managers,
                       times: entries.Times, key: ManagerKey) -> Managers:
        managers = updater.update(old, new, res.api_version, managers, CURRENT)
        _strip(managers, CURRENT)
        current = managers.pop(CURRENT, None)
        if current is not None:
            previous = managers.get(key)
            fields = current.fields if previous is None else fieldpath.union(current.fields, previous.fields)
            managers[key] = VersionedSet(fields, current.api_version, False)
            times[key] = rfc3339(self._now())
        return managers

    def apply(self, ctx: Context, res: ResourceInfo, live: dict[str, Any] | None, config: Any, *, force: bool,
              subresource: str = "", config_kind: tuple[str, str] | None = None) -> dict[str, Any]:
        """``config`` applied by ``ctx.field_manager`` to ``live`` (``None``: apply creates it): the new object,
        its ``managedFields`` set; raises the 409 of conflicts unless ``force``."""
        api_version, kind = config_kind or (res.api_version, res.kind)
        if not isinstance(config, dict):
            raise errors.apply_yaml_error(f"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                                          f"{json_type(config)} into Go value of type map[string]interface {{}}")
        given = (str(config.get("apiVersion") or ""), str(config.get("kind") or ""))
        if given != (api_version, kind):
            raise errors.invalid_apply_object_type(_gvk(*given))
        meta = config.get("metadata")
        if meta is None and "metadata" in config:  # JSON null into a Go struct: left as it is
            config = {k: v for k, v in config.items() if k != "metadata"}
        elif meta is not None and not isinstance(meta, dict):
            raise errors.decode_error(kind, api_version.rpartition("/")[2],
                                      f"json: cannot unmarshal {json_type(meta)} into Go struct field "
                                      f"{kind}.metadata of type v1.ObjectMeta")
        if isinstance(meta, dict) and meta.get("managedFields") is not None:
            raise errors.managed_fields_must_be_nil()
        if config_kind is not None and config_kind != (res.api_version, res.kind):
            config = _scale_to_parent(res, config)
        manager = ctx.field_manager
        live_object = _without_managed_fields(live) if live is not None else {}
        try:
            managers, times = entries.decode(live["metadata"].get("managedFields"), trusted=True) \
                if live is not None else ({}, {})
        except ValueError as exc:
            raise errors.decode_managed_fields_error(str(exc)) from None
        stored = managers
        times = dict(times)
        updater = Updater(res.schema_model, reset_fields(res, subresource))
        try:
            if not managers and live is not None:  # the first apply to an untracked object
                before = entries.manager_key("before-first-apply", entries.UPDATE, res.api_version, "")
                managers = self._record_update(updater, res, {}, live_object, {}, times, before)
            key = entries.manager_key(manager, entries.APPLY, res.api_version, subresource)
            merged, managers = self._apply(updater, res, live_object, config, managers, key, manager, force)
        except typed.TypedError as exc:
            name = meta.get("name", "") if isinstance(meta, dict) else ""
            namespace = meta.get("namespace", "") if isinstance(meta, dict) else ""
            raise errors.typed_patch_object_error(namespace, name, _gvk(api_version, kind), str(exc)) from None
        except Conflicts as exc:
            raise errors.apply_conflicts([(entries.identity(c.manager), entries.printed(c.manager),
                                           path_string(c.path)) for c in exc.conflicts]) from None
        if merged is None:
            merged = live_object
        else:
            times[key] = rfc3339(self._now())
        merged = orjson.loads(orjson.dumps(merged))  # the pipeline changes it: share nothing with the body
        _strip(managers, key)
        if manager == "kubectl":
            _refresh_last_applied(merged, config)
        merged.setdefault("metadata", {})
        if managers:
            merged["metadata"]["managedFields"] = entries.encode(managers, times, stored)
        return dict(merged)

    def _apply(self, updater: Updater, res: ResourceInfo, live: Any, config: Any, managers: Managers,
               key: ManagerKey, manager: str, force: bool) -> tuple[Any, Managers]:
        try:
            return updater.apply(live, config, res.api_version, managers, key, force)
        except Conflicts as exc:
            if manager != "kubectl" or force:
                raise
            remaining = _not_explained_by_last_applied(res, live, exc)
            if remaining:
                raise Conflicts(remaining) from None
            return updater.apply(live, config, res.api_version, managers, key, True)


def _gvk(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={kind}"


def _scale_to_parent(res: ResourceInfo, scale: dict[str, Any]) -> dict[str, Any]:
    """A Scale configuration as the configuration of its parent's replicas (``ScaleHandler``)."""
    meta = scale.get("metadata") if isinstance(scale.get("metadata"), dict) else {}
    out: dict[str, Any] = {"apiVersion": res.api_version, "kind": res.kind,
                           "metadata": {k: v for k, v in (meta or {}).items() if k in ("name", "namespace")}}
    spec = scale.get("spec")
    if isinstance(spec, dict) and "replicas" in spec:
        out["spec"] = {"replicas": spec["replicas"]}
    return out


def _not_explained_by_last_applied(res: ResourceInfo, live: Any, exc: Conflicts) -> list[Any]:
    """``lastAppliedManager``: conflicts on fields whose live value is still what ``kubectl apply`` last
    applied client-side are not conflicts for ``kubectl apply --server-side``."""
    annotations = ((live or {}).get("metadata") or {}).get("annotations") or {}
    text = annotations.get(LAST_APPLIED)
    if not text:
        return list(exc.conflicts)
    try:
        last = orjson.loads(text)
    except orjson.JSONDecodeError:
        return list(exc.conflicts)
    if not isinstance(last, dict) or last.get("apiVersion") != res.api_version:
        return list(exc.conflicts)
    schema = res.schema_model
    try:
        allowed = typed.to_field_set(last, schema)
        changed = typed.compare(last, live, schema)
    except typed.TypedError:
        return list(exc.conflicts)
    for changes in (changed.modified, changed.added, changed.removed):
        allowed = fieldpath.difference(allowed, changes)
    return [c for c in exc.conflicts if not fieldpath.has(allowed, c.path)]


def _refresh_last_applied(obj: dict[str, Any], config: dict[str, Any]) -> None:
    """``lastAppliedUpdater``: a ``kubectl`` apply rewrites an existing client-side annotation with the
    configuration it applied, so a later client-side apply computes its patch from it."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if not annotations.get(LAST_APPLIED):
        return
    applied = orjson.loads(orjson.dumps(config))
    applied_meta = applied.get("metadata")
    if isinstance(applied_meta, dict) and isinstance(applied_meta.get("annotations"), dict):
        applied_meta["annotations"].pop(LAST_APPLIED, None)  # an emptied map stays, as Go's SetAnnotations
    text = go_json_escaped(orjson.dumps(applied, option=orjson.OPT_SORT_KEYS).decode())  # json.Marshal's text
    obj["metadata"] = dict(obj["metadata"], annotations=dict(annotations, **{LAST_APPLIED: text + "\n"}))


def _cap_update_managers(managers: Managers, times: entries.Times) -> Managers:
    """``capManagersManager``: beyond ten update entries, the oldest merge into ``ancient-changes`` per version."""
    updaters = [key for key, owned in managers.items() if not owned.applied]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return managers
    managers = dict(managers)
    updaters.sort(key=lambda k: (times.get(k, ""), entries.identity(k)))
    first_of_version: dict[str, ManagerKey] = {}
    count = len(updaters)
    for key in updaters:
        if count <= MAX_UPDATE_MANAGERS:
            break
        owned = managers[key]
        version = owned.api_version
        bucket = entries.manager_key("ancient-changes", entries.UPDATE, version, "")
        if version not in first_of_version:
            first_of_version[version] = key
            continue
        if bucket not in managers:
            first = first_of_version[version]
            managers[bucket] = managers.pop(first)
            if first in times:
                times[bucket] = times.pop(first)
        managers[bucket] = VersionedSet(fieldpath.union(owned.fields, managers[bucket].fields), version, False)
        del managers[key]
        count -= 1
        if key in times:
            times[bucket] = times.pop(key)
    return managers
