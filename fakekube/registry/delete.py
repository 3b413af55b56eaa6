"""Deleting an object: a step of the write pipeline over the same read-modify-write as updates.

As the generic registry store's ``Delete`` does, in one read-modify-write of the stored object:

* preconditions (uid, resourceVersion) are checked against the object as stored, then the kind's own
  check and validating admission;
* an object already being deleted keeps its ``deletionTimestamp``: while a grace period runs, only a
  shorter one changes anything; once only finalizers hold it, a delete may still change the garbage
  collector's finalizers;
* a kind with graceful deletion (a Pod) gets ``deletionTimestamp`` = now + its grace period and stays
  until the period is over (``fakekube.controllers.pod_termination`` removes it then);
* the garbage collector's finalizers follow the propagation policy (``orphan`` for Orphan,
  ``foregroundDeletion`` for Foreground; the kind's default when none is given);
* an object left with finalizers is marked (``deletionTimestamp``, a zero grace period) and stays
  readable and updatable until an update removes its last finalizer; otherwise it is removed.

A graceful delete with a zero grace period writes the mark first and then removes the object, so
watchers see MODIFIED then DELETED, as on a real cluster.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import parse_rfc3339, rfc3339
from fakekube.kinds.strategy import GC_UNSUPPORTED, ORPHAN_DEPENDENTS, Strategy
from fakekube.registry import steps
from fakekube.registry.admission import DELETE, Attributes
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, ordered, to_storage, to_version
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.steps import DeleteOptions, RegistryState, Result
from fakekube.storage import KEEP, REMOVE, WRITE, ConflictError, KeyNotFoundError

ORPHAN_FINALIZER = "orphan"
FOREGROUND_FINALIZER = "foregroundDeletion"
GC_FINALIZERS = (ORPHAN_FINALIZER, FOREGROUND_FINALIZER)


def _orphans(strategy: Strategy, api_version: str, finalizers: list[str], opts: DeleteOptions) -> bool:
    """``shouldOrphanDependents``: the request's policy, else a finalizer already there, else the kind's default."""
    default = strategy.gc_policy(api_version)
    if default == GC_UNSUPPORTED:
        return False
    if opts.orphan_dependents is not None:
        return opts.orphan_dependents
    if opts.propagation_policy is not None:
        return opts.propagation_policy == "Orphan"
    for name in finalizers:
        if name in GC_FINALIZERS:
            return name == ORPHAN_FINALIZER
    return default == ORPHAN_DEPENDENTS


def _in_foreground(strategy: Strategy, api_version: str, finalizers: list[str], opts: DeleteOptions) -> bool:
    """``shouldDeleteDependents``: Foreground asked for, or a ``foregroundDeletion`` finalizer already there."""
    if strategy.gc_policy(api_version) == GC_UNSUPPORTED or opts.orphan_dependents is not None:
        return False
    if opts.propagation_policy is not None:
        return opts.propagation_policy == "Foreground"
    return FOREGROUND_FINALIZER in finalizers


def gc_finalizers(strategy: Strategy, api_version: str, meta: dict[str, Any], opts: DeleteOptions) -> list[str] | None:
    """``deletionFinalizersForGarbageCollection``: the object's finalizers with ``orphan`` and
    ``foregroundDeletion`` as the delete asks, or None when the set stays the same."""
    current = [f for f in meta.get("finalizers") or [] if isinstance(f, str)]
    wanted = [f for f in current if f not in GC_FINALIZERS]
    if _orphans(strategy, api_version, current, opts):
        wanted.append(ORPHAN_FINALIZER)
    if _in_foreground(strategy, api_version, current, opts):
        wanted.append(FOREGROUND_FINALIZER)
    return None if set(wanted) == set(current) else wanted


def _shortened(meta: dict[str, Any], period: int | None) -> bool | None:
    """A delete of an object already being deleted (``BeforeDelete``): with a grace period still running, a
    shorter one moves ``deletionTimestamp`` earlier (True) and anything else changes nothing (False); with
    none running (held by finalizers only), the delete goes on as a new one would (None)."""
    current = meta.get("deletionGracePeriodSeconds")
    if not isinstance(current, int) or current <= 0:
        return None
    if period is None or period >= current:
        return False
    since = parse_rfc3339(meta.get("deletionTimestamp", ""))
    if since is not None:
        meta["deletionTimestamp"] = rfc3339(since - current + period)
    meta["deletionGracePeriodSeconds"] = period
    return True


def delete(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str,
           opts: DeleteOptions) -> Result:
    strategy = res.strategy
    outcome: dict[str, Any] = {}
    requested = opts.grace_period_seconds
    if requested is not None and requested < 0:  # a negative grace period counts as one second
        requested = 1

    def try_delete(current: bytes) -> tuple[str, dict[str, Any] | None]:
        outcome.clear()
        obj = to_version(res, orjson.loads(current))
        meta = obj["metadata"]
        if opts.uid is not None and opts.uid != meta.get("uid"):
            raise errors.delete_uid_precondition_failed(res.kind, res.group, name, opts.uid, meta.get("uid", ""))
        if opts.resource_version is not None and opts.resource_version != meta.get("resourceVersion"):
            raise errors.delete_resource_version_precondition_failed(res.kind, res.group, name,
                                                                     opts.resource_version, meta.get("resourceVersion"))
        if strategy.check_delete is not None:
            strategy.check_delete(obj)
        reg.admission.validate(Attributes(DELETE, res, namespace, name, "", None, obj, ctx))
        marked = copy.deepcopy(obj)
        marked_meta = marked["metadata"]
        period = 0
        graceful = False
        shortened = _shortened(marked_meta, requested) if meta.get("deletionTimestamp") else None
        if shortened is False:
            outcome["pending"] = obj  # a grace period runs: finalizers are not touched either
            return KEEP, None
        if shortened:
            graceful, period = True, marked_meta["deletionGracePeriodSeconds"]
        elif meta.get("deletionTimestamp"):
            pass  # held by finalizers: only the garbage collector's finalizers may change
        elif strategy.graceful_delete is not None:
            graceful, period = True, strategy.graceful_delete(obj, requested)
            marked_meta["deletionTimestamp"] = rfc3339(reg.now() + period)
            marked_meta["deletionGracePeriodSeconds"] = period
            if isinstance(marked_meta.get("generation"), int) and marked_meta["generation"] > 0:
                marked_meta["generation"] += 1
        finalizers = gc_finalizers(strategy, res.api_version, marked_meta, opts)
        if finalizers is not None:
            if finalizers:
                marked_meta["finalizers"] = finalizers
            else:
                marked_meta.pop("finalizers", None)
        pending = strategy.has_finalizers(marked)
        if not graceful and not pending:
            outcome["deleted"] = obj
            return (KEEP, None) if ctx.dry_run else (REMOVE, None)
        if not graceful:
            strategy.mark_deleting(marked, reg)
        outcome["pending"] = marked = ordered(marked)
        outcome["remove_after"] = graceful and period == 0 and not pending
        if ctx.dry_run or marked == obj:
            return KEEP, None
        return WRITE, ordered(to_storage(res, marked))

    table, key = res.storage_key, steps.key(res, namespace, name)
    try:
        action, data = reg.store.guaranteed_update(table, key, try_delete)
    except KeyNotFoundError:
        raise errors.not_found(res.plural, res.group, name) from None
    except ConflictError:
        raise errors.stale_update(res.plural, res.group, name) from None
    warnings = _warnings(strategy, res, opts)
    if outcome.get("remove_after"):  # a zero grace period: the mark is written, then the object goes
        outcome["deleted"] = outcome["pending"]
        action = KEEP
        if not ctx.dry_run:
            try:
                data, action = reg.store.delete(table, key), REMOVE
            except KeyNotFoundError:  # removed meanwhile (by a hook of the write): deleted all the same
                pass
    elif "pending" in outcome:  # the object stays until its finalizers or its grace period are gone
        body = encode(res, data) if action == WRITE else orjson.dumps(outcome["pending"])
        return Result(body, warnings, accepted=opts.orphan_dependents is False)
    last = encode(res, data) if action == REMOVE else orjson.dumps(outcome["deleted"])
    if strategy.returns_deleted_object:
        return Result(last, warnings)
    meta = outcome["deleted"]["metadata"]
    return Result(orjson.dumps(errors.success_status(meta.get("name", ""), res.group, res.plural,
                                                     meta.get("uid", ""))), warnings)


def _warnings(strategy: Strategy, res: ResourceInfo, opts: DeleteOptions) -> list[str]:
    """A delete that leaves a Job's pods behind only because the kind orphans by default is told so."""
    if (strategy.orphaning_default_warning and opts.propagation_policy is None and opts.orphan_dependents is None
            and strategy.gc_policy(res.api_version) == ORPHAN_DEPENDENTS):
        return [strategy.orphaning_default_warning]
    return []
