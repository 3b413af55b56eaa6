"""Updating an object: PUT, every patch type, and writes through subresources, inside one read-modify-write.

``Store.guaranteed_update`` hands the stored object to ``_try_update``, which runs kube-apiserver's
update steps on it: the new object (the body, or the stored object patched), preconditions (uid,
resourceVersion), then either the subresource's reset (``/status``, ``/scale``, ``/finalize``,
``pods/binding``) or the main endpoint's status split and system fields, defaults, mutating admission,
the kind's ``prepare_for_update``, validation, generation, validating admission, field management.
An unchanged object is not written (no event); a dry run stops before the store; an object being
deleted whose last finalizer goes is deleted (``ShouldDeleteDuringUpdate``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry import create, decoding, objectmeta, patching, steps
from fakekube.registry.admission import UPDATE, Attributes
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, ordered, to_storage, to_version
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.steps import RegistryState, Result
from fakekube.schema.validation import IGNORE, STRICT, ValidationResult
from fakekube.storage import KEEP, REMOVE, WRITE, ConflictError, KeyNotFoundError

APPLY = "apply"

# The new object, from the stored one (already in the served version): a PUT's body, a patched object.
UpdatedObject = Callable[[dict[str, Any]], "tuple[dict[str, Any], ValidationResult]"]


def update(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str, body: Any) -> Result:
    obj, checked = decoding.decode_for(res, body, ctx.field_validation)
    steps.check_namespace(res, namespace, obj)
    steps.check_name(obj, name)
    try:
        return _update(reg, ctx, res, namespace, name, lambda old: (obj, checked), uid_precondition=True)
    except KeyNotFoundError:
        if res.strategy.allow_create_on_update:
            return create.create(reg, ctx, res, namespace, obj)
        raise errors.not_found(res.plural, res.group, name) from None


def patch(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str, patch_type: str,
          patch_body: Any) -> Result:
    def patched(old: dict[str, Any]) -> tuple[dict[str, Any], ValidationResult]:
        new = patching.apply_patch(res, old, patch_type, patch_body, strict=ctx.field_validation != IGNORE)
        obj, checked = patching.decode_patched(lambda: decoding.decode_for(res, new, ctx.field_validation), new,
                                               patch_type, patch_body)
        steps.check_namespace(res, namespace, obj)
        steps.check_name(obj, name)
        return obj, checked

    try:
        # A patch carries no uid precondition (a changed uid is an immutable-field error instead).
        return _update(reg, ctx, res, namespace, name, patched, uid_precondition=False)
    except KeyNotFoundError:
        raise errors.not_found(res.plural, res.group, name) from None


def apply(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str, config: Any,
          force: bool, strictness: str = "") -> Result:
    """Server-side apply: the configuration merged into the stored object inside the read-modify-write, or,
    when there is none, a create of the configuration (``forceAllowCreate``).  ``strictness``: what a strict
    reading of the body found, checked once the merge succeeded, as kube's applyPatcher does."""
    def applied(old: dict[str, Any]) -> tuple[dict[str, Any], ValidationResult]:
        new = reg.field_manager.apply(ctx, res, old, config, force=force)
        strict_warnings = _strictness(ctx, strictness)
        obj, checked = decoding.decode_for(res, new, ctx.field_validation)
        checked = ValidationResult([*strict_warnings, *checked.warnings], checked.field_errors)
        steps.check_namespace(res, namespace, obj)
        steps.check_name(obj, name)
        return obj, checked

    try:
        return _update(reg, ctx, res, namespace, name, applied, uid_precondition=False, applied=True)
    except KeyNotFoundError:
        pass
    new = reg.field_manager.apply(ctx, res, None, config, force=force)
    strict_warnings = _strictness(ctx, strictness)
    steps.check_name(new, name)
    if res.namespaced:
        new["metadata"].setdefault("namespace", namespace)
    result = create.create(reg, ctx, res, namespace, new, applied=True)
    result.warnings[:0] = strict_warnings
    return result


def _strictness(ctx: Context, problem: str) -> list[str]:
    """A body's keys set twice: refused under ``fieldValidation=Strict``, under ``Warn`` one warning per key
    (go-yaml's ``line N: key "k" already set in map``, as kube-apiserver v1.37 sends them)."""
    if not problem or ctx.field_validation == IGNORE:
        return []
    if ctx.field_validation == STRICT:
        raise errors.apply_strict_yaml_error(problem)
    return [line.strip() for line in problem.splitlines()[1:] if line.strip()]


def write_subresource(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str,
                      subresource: str, body: Any, *, patch: tuple[str, Any] | None = None,
                      created: bool = False) -> Result:
    """PUT, PATCH or POST of a subresource that writes its parent; the body is of the subresource's kind."""
    sub = res.subresource_strategy(subresource)
    info = res.subresource(subresource)
    if sub is None or info is None:
        raise errors.method_not_allowed()
    own_kind = (info.group, info.version, info.kind) == (res.group, res.version, res.kind)

    def decode(value: Any) -> tuple[dict[str, Any], ValidationResult]:
        if own_kind:
            obj, checked = decoding.decode_for(res, value, ctx.field_validation)
        else:
            obj, checked = decoding.decode_as(res.kubernetes_version, info.group, info.version, info.kind, value,
                                              ctx.field_validation)
        meta = obj["metadata"]
        if created and meta.get("name", "") != name:  # a create through a subresource (BindingREST.Create)
            raise errors.subresource_name_mismatch(info.kind)
        if created:  # BindingREST names the pod from the URL; the name check above is its own
            meta.setdefault("name", name)
        steps.check_name(obj, name)
        if meta.get("namespace") and res.namespaced and meta["namespace"] != namespace:
            raise errors.namespace_mismatch()
        if sub.check_input is not None:
            problems = sub.check_input(obj)
            if problems:
                raise errors.invalid_object(info.kind, info.group, name, problems)
        return obj, checked

    if patch is None:
        decoded = decode(body)

        def given(old: dict[str, Any]) -> tuple[dict[str, Any], ValidationResult]:
            return decoded
        updated: UpdatedObject = given
    elif patch[0] == APPLY:
        config, force, strictness = patch[1]

        def applied(old: dict[str, Any]) -> tuple[dict[str, Any], ValidationResult]:
            if own_kind:
                new = reg.field_manager.apply(ctx, res, old, config, force=force, subresource=subresource)
                obj, checked = decode(new)
            else:
                decode(orjson.loads(orjson.dumps(config)))  # the Scale is checked as a Scale; its replicas applied
                scale_version = f"{info.group}/{info.version}" if info.group else info.version
                new = reg.field_manager.apply(ctx, res, old, config, force=force, subresource=subresource,
                                              config_kind=(scale_version, info.kind))
                obj, checked = decoding.decode_for(res, new, ctx.field_validation)
            return obj, ValidationResult([*_strictness(ctx, strictness), *checked.warnings], checked.field_errors)
        updated = applied
    else:
        def patched(old: dict[str, Any]) -> tuple[dict[str, Any], ValidationResult]:
            shown = sub.patch_view or sub.view
            current = shown(old) if shown is not None else old
            new = patching.apply_patch(res, current, patch[0], patch[1], subresource_kind=info.kind,
                                       strict=ctx.field_validation != IGNORE)
            return patching.decode_patched(lambda: decode(new), new, patch[0], patch[1])
        updated = patched
    try:
        result = _update(reg, ctx, res, namespace, name, updated, uid_precondition=True, subresource=subresource,
                         precondition_resource=f"{res.plural}/{subresource}" if not own_kind else res.plural,
                         applied=patch is not None and patch[0] == APPLY)
    except KeyNotFoundError:
        raise errors.not_found(res.plural, res.group, name) from None
    if sub.view is not None:
        result.data = orjson.dumps(sub.view(orjson.loads(result.data)))
    result.created = created
    return result


def create_through_parent(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, body: Any) -> Result:
    """A create that is a write of another resource's subresource (a Binding is ``pods/<name>/binding``)."""
    assert res.strategy.writes_subresource is not None
    obj, checked = decoding.decode_for(res, body, ctx.field_validation)
    steps.check_namespace(res, namespace, obj)
    plural, subresource = res.strategy.writes_subresource
    parent = reg.catalog.get(res.group, res.version, plural)
    if parent is None:
        raise errors.not_found_path()
    result = write_subresource(reg, ctx, parent, obj["metadata"].get("namespace", ""),
                               obj["metadata"].get("name", ""), subresource, obj, created=True)
    result.warnings[:0] = checked.warnings
    return result


def _update(reg: RegistryState, ctx: Context, res: ResourceInfo, namespace: str, name: str,
            updated_object: UpdatedObject, *, uid_precondition: bool, subresource: str = "",
            precondition_resource: str = "", applied: bool = False) -> Result:
    strategy = res.strategy
    warnings: list[str] = []
    own_answer: list[dict[str, Any]] = []  # answered instead of what the store holds: a dry run, a removal

    def try_update(current: bytes) -> tuple[str, dict[str, Any] | None]:
        own_answer.clear()  # a retry starts over
        old = to_version(res, orjson.loads(current))
        obj, checked = updated_object(old)
        obj = dict(obj, metadata=dict(obj["metadata"]))
        warnings[:] = checked.warnings
        meta, old_meta = obj["metadata"], old["metadata"]
        requested_uid = meta.get("uid")
        if uid_precondition and requested_uid and requested_uid != old_meta.get("uid"):
            raise errors.uid_precondition_failed(precondition_resource or res.plural, res.group, name,
                                                 requested_uid, old_meta.get("uid", ""))
        requested_rv = meta.get("resourceVersion")
        current_rv = old_meta["resourceVersion"]
        unparsable = errors.parse_uint_error(str(requested_rv)) if requested_rv else None
        if unparsable is not None:
            raise errors.unparsable_object_resource_version(unparsable)
        if requested_rv and requested_rv != current_rv:
            raise errors.stale_update(res.plural, res.group, name)
        sub = res.subresource_strategy(subresource) if subresource else None
        managed = obj["metadata"].get("managedFields")  # an apply's, which the resets below keep
        if sub is not None and applied and sub.view is not None:
            pass  # an apply through /scale changed the parent's replicas and nothing else already
        elif sub is not None:
            obj = sub.reset(obj, old)
        else:
            if res.has_status:  # the main endpoint keeps the stored status
                if "status" in old:
                    obj["status"] = old["status"]
                else:
                    obj.pop("status", None)
            obj["metadata"] = objectmeta.apply_update_system_fields(obj["metadata"], old_meta)
            if strategy.defaults is not None:
                strategy.defaults(obj)
        # Field management, before admission and validation as in kube's update and patch handlers.
        if applied:
            obj["metadata"] = dict(obj["metadata"], managedFields=managed)
            if managed is None:
                del obj["metadata"]["managedFields"]
        elif sub is None or not sub.written_directly:
            reg.field_manager.update(ctx, res, obj, old, subresource)
        attrs = Attributes(UPDATE, res, namespace, name, subresource, obj, old, ctx)
        reg.admission.mutate(attrs)
        if sub is None and strategy.prepare_for_update is not None:
            strategy.prepare_for_update(obj, old, reg)
        elif sub is not None and sub.prepare is not None:
            sub.prepare(obj, old, reg)
        obj["metadata"]["resourceVersion"] = current_rv  # unconditional updates are based on the current state
        steps.complete_encoding(res, obj)
        problems = steps.update_errors(res, obj, old, checked.field_errors, subresource)
        if problems:
            raise errors.invalid_object(res.kind, steps.invalid_group(res), name, problems)
        if sub is None or not sub.written_directly:
            (strategy.next_generation or steps.next_generation)(obj, old)
        if sub is None or subresource == "scale":  # /scale updates through the kind's own strategy upstream; the
            steps.add_strategy_warnings(res, obj, old)  # other subresources' strategies of kinds that warn send none
        reg.admission.validate(attrs)
        obj = ordered(obj)
        stored = ordered(to_storage(res, obj))
        if orjson.dumps(stored) == current:
            return KEEP, None  # no-op: nothing written, no event
        if ctx.dry_run:
            own_answer.append(obj)
            return KEEP, None
        if strategy.should_delete_during_update(obj, old):
            # kube answers the update's own object (its last finalizer gone, its resourceVersion the one it
            # was based on), not the removed one (``deleteWithoutFinalizers``)
            own_answer.append(obj)
            return REMOVE, None
        return WRITE, stored

    try:
        _, data = reg.store.guaranteed_update(res.storage_key, steps.key(res, namespace, name), try_update)
    except ConflictError:
        raise errors.stale_update(res.plural, res.group, name) from None
    if own_answer:
        return Result(orjson.dumps(own_answer[0]), warnings)
    return Result(encode(res, data), warnings)
