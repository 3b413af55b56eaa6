"""Deleting an object: a step of the write pipeline over the same read-modify-write as updates.

Preconditions (uid, resourceVersion) are checked against the object as stored.  An object with
finalizers (for a Namespace, also ``spec.finalizers``) is not removed: it is marked as being deleted
(``deletionTimestamp``, set once; the kind's ``mark_deleting``) and stays readable and updatable until
an update removes its last finalizer, which completes the delete.  Otherwise it is removed, and the
answer is the object or a Status, as the kind's strategy says.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry import steps
from fakekube.registry.admission import DELETE, Attributes
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, ordered, to_storage, to_version
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.steps import DeleteOptions, RegistryState, Result
from fakekube.storage import KEEP, REMOVE, WRITE, ConflictError, KeyNotFoundError


def delete(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str,
           opts: DeleteOptions) -> Result:
    strategy = res.strategy
    outcome: dict[str, Any] = {}

    def try_delete(current: bytes) -> tuple[str, dict[str, Any] | None]:
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
        if strategy.has_finalizers(obj):
            marked = copy.deepcopy(obj)
            strategy.mark_deleting(marked, reg)
            outcome["pending"] = marked = ordered(marked)
            if ctx.dry_run or marked == obj:
                return KEEP, None
            return WRITE, ordered(to_storage(res, marked))
        outcome["deleted"] = obj
        if ctx.dry_run:
            return KEEP, None
        return REMOVE, None

    try:
        action, data = reg.store.guaranteed_update(res.storage_key, steps.key(res, namespace, name), try_delete)
    except KeyNotFoundError:
        raise errors.not_found(res.plural, res.group, name) from None
    except ConflictError:
        raise errors.stale_update(res.plural, res.group, name) from None
    if "pending" in outcome:  # the object stays until its finalizers are gone
        return Result(encode(res, data) if action == WRITE else orjson.dumps(outcome["pending"]))
    last = encode(res, data) if action == REMOVE else orjson.dumps(outcome["deleted"])
    if strategy.returns_deleted_object:
        return Result(last)
    meta = outcome["deleted"]["metadata"]
    return Result(orjson.dumps(errors.success_status(meta.get("name", ""), res.group, res.plural,
                                                     meta.get("uid", ""))))
