"""Creating an object: ``rest.BeforeCreate`` and ``Store.Create`` of kube-apiserver, as pipeline steps.

decode -> defaults -> mutating admission -> prepare (system fields, name generation, status, the kind's
server-assigned fields, generation) -> validation -> validating admission -> field management ->
dry run stops -> store (a generated name that clashes draws a new suffix).  Create-only resources
(reviews) are answered at the end instead of stored.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from fakekube import errors
from fakekube.clock import rfc3339
from fakekube.name_rules import generate_name
from fakekube.registry import decoding, steps
from fakekube.registry.admission import CREATE, Attributes
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, ordered, to_storage
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.steps import RegistryState, Result
from fakekube.storage import KeyExistsError

GENERATE_NAME_ATTEMPTS = 8


def create(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, body: Any, *,
           applied: bool = False) -> Result:
    """POST (and PUT or apply to a missing object).  ``applied``: the body comes from an apply, which has
    set its managed fields already."""
    strategy = res.strategy
    obj, checked = decoding.decode_for(res, body, ctx.field_validation)
    steps.check_namespace(res, namespace, obj)
    meta = obj["metadata"]
    namespace = meta.get("namespace", "")
    if strategy.defaults is not None:
        strategy.defaults(obj)
    if not applied:  # as kube-apiserver: the fields a create defaults are its manager's
        reg.field_manager.update(ctx, res, obj, None, "")
    attrs = Attributes(CREATE, res, namespace, meta.get("name") or meta.get("generateName", ""), "", obj, None, ctx)
    reg.admission.mutate(attrs)
    if strategy.answer is not None:
        return _answer(reg, ctx, res, namespace, obj, checked)
    for system_field in steps.SYSTEM_META:
        meta.pop(system_field, None)
    generated = not meta.get("name") and bool(meta.get("generateName"))
    if generated:
        meta["name"] = generate_name(meta["generateName"])
    meta["uid"] = str(uuid.uuid4())  # before the strategy, as upstream's FillObjectMetaSystemFields (a Job selects it)
    if strategy.prepare_for_create is not None:
        strategy.prepare_for_create(obj, reg)
    elif res.has_status:
        obj.pop("status", None)
    meta["resourceVersion"] = ""  # placeholder: keeps its Go position; the store fills it in
    meta["creationTimestamp"] = rfc3339(reg.now())
    if strategy.tracks_generation:
        meta["generation"] = 1
    steps.complete_encoding(res, obj)
    problems = steps.create_errors(res, obj, checked.field_errors)
    if problems:
        raise errors.invalid_object(res.kind, steps.invalid_group(res), meta.get("name", ""), problems)
    steps.add_strategy_warnings(res, obj, None)
    reg.admission.validate(attrs)
    if ctx.dry_run:
        if reg.store.get(res.storage_key, steps.key(res, namespace, meta["name"])) is not None:
            raise errors.already_exists(res.plural, res.group, meta["name"])
        del meta["resourceVersion"]  # never stored, so never set: kube-apiserver's answer has none
        return Result(orjson.dumps(ordered(obj)), checked.warnings, created=True)
    for attempt in range(GENERATE_NAME_ATTEMPTS):
        try:
            data = reg.store.create(res.storage_key, steps.key(res, namespace, meta["name"]),
                                    ordered(to_storage(res, obj)))
            break
        except KeyExistsError:
            if not generated or attempt == GENERATE_NAME_ATTEMPTS - 1:
                raise errors.already_exists(res.plural, res.group, meta["name"]) from None
            meta["name"] = generate_name(meta["generateName"])
    return Result(encode(res, data), checked.warnings, created=True)


def _answer(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, obj: dict[str, Any],
            checked: Any) -> Result:
    """A review: checked like any body (but for the status the server fills in), answered, not stored."""
    assert res.strategy.answer is not None
    problems = [e for e in checked.field_errors if not e.field.startswith("status")]
    if problems:
        raise errors.invalid_object(res.kind, res.group, obj["metadata"].get("name", ""), problems)
    obj["status"] = res.strategy.answer(obj, namespace, ctx)
    return Result(orjson.dumps(ordered(obj)), checked.warnings, created=True)
