"""Generic REST semantics over the store: kube-apiserver's ``registry/generic/registry/store.go`` in small.

Every write of every kind, built-in or custom, takes this one path: decode checks, schema
validation and pruning, per-kind strategy hooks, metadata stamping, version conversion to the
storage version, then the store.  Reads convert from the storage version to the version asked
for.  Nothing here knows HTTP; handlers and the Python API call the same methods.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry import objectmeta as metadata_validation
from fakekube.schema import files as schema_files
from fakekube.schema import validation
from fakekube.kinds import reviews as virtual
from fakekube.registry.catalog import Catalog, ResourceInfo
from fakekube.clock import rfc3339
from fakekube.errors import FieldError, StatusError
from fakekube.storage.store import ConflictError, KeyExistsError, KeyNotFoundError, Store
from fakekube.kinds.strategies import Strategy, strategy_for

# Go's ObjectMeta field order, so objects read back as a real server writes them.
META_ORDER = (
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields",
)
_SYSTEM_META = ("uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")


def ordered(obj: dict[str, Any]) -> dict[str, Any]:
    """``kind, apiVersion, metadata, <rest as given>, status``: the field order of the Go types."""
    out: dict[str, Any] = {}
    for key in ("kind", "apiVersion"):
        if key in obj:
            out[key] = obj[key]
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        out["metadata"] = {k: meta[k] for k in META_ORDER if k in meta}
        out["metadata"].update({k: v for k, v in meta.items() if k not in out["metadata"]})
    for key, value in obj.items():
        if key not in out and key != "status":
            out[key] = value
    if "status" in obj:
        out["status"] = obj["status"]
    return out


@dataclass
class WriteOptions:
    field_validation: str = validation.WARN
    dry_run: bool = False
    field_manager: str = ""


@dataclass
class DeleteOptions:
    uid: str | None = None
    resource_version: str | None = None
    dry_run: bool = False
    propagation_policy: str | None = None
    grace_period_seconds: int | None = None


@dataclass
class Result:
    """A registry answer: the object (JSON bytes, in the version asked for) and warnings to pass on."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    created: bool = False


class Registry:
    """REST semantics for one cluster; owns nothing but references to its store and catalog."""

    def __init__(self, store: Store, catalog: Catalog, clock: Callable[[], float] = time.time):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self._last_ip = 10  # service addresses handed out so far (10.96.0.1 is the API server's, .10 DNS)
        self._last_node_port = 29999

    # --- encoding between served and storage versions -------------------------------------------

    def encode(self, res: ResourceInfo, data: bytes) -> bytes:
        """Stored bytes -> bytes in ``res``'s version (no parse when they are the same)."""
        if res.api_version == res.storage_version:
            return data
        return orjson.dumps(self.to_version(res, orjson.loads(data)))

    def to_version(self, res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
        if obj.get("apiVersion") == res.api_version:
            return obj
        return ordered(res.converter.convert(obj, res.api_version))

    def _to_storage(self, res: ResourceInfo, obj: dict[str, Any]) -> dict[str, Any]:
        if res.api_version == res.storage_version:
            return obj
        return ordered(res.converter.convert(obj, res.storage_version))

    # --- helpers ---------------------------------------------------------------------------------

    def _validator(self, res: ResourceInfo) -> validation.KindValidator | None:
        if res.definition is None:
            return None
        return validation.builtin_validator(self.catalog.kubernetes_version, res.definition)

    def _decode(self, res: ResourceInfo, body: dict[str, Any],
                opts: WriteOptions) -> tuple[dict[str, Any], validation.ValidationResult]:
        """Type checks, defaults of kind/apiVersion, unknown-field handling: the decode step of a write."""
        kind = res.kind
        api_version = res.api_version
        if not isinstance(body, dict):
            raise errors.decode_error(kind, res.version, f"json: cannot unmarshal {validation.json_type(body)} into "
                                      f"Go value of type {res.version}.{kind}")
        body_version = body.get("apiVersion")
        if body_version is not None and body_version != api_version:
            raise errors.bad_request(f"the API version in the data ({body_version}) does not match the expected "
                                     f"API version ({api_version})")
        body_kind = body.get("kind")
        if body_kind is not None and body_kind != kind:
            raise errors.bad_request(f"the kind in the data ({body_kind}) does not match the expected kind ({kind})")
        # The registry owns ``body`` (callers pass a fresh parse); nulls are rare, so look before walking.
        obj = validation.strip_nulls(body) if b"null" in orjson.dumps(body) else body
        obj["kind"] = kind
        obj["apiVersion"] = api_version
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise errors.decode_error(kind, res.version, "json: cannot unmarshal " + validation.json_type(meta)
                                      + f" into Go struct field {kind}.metadata of type v1.ObjectMeta")
        validator = self._validator(res)
        result = validator.validate(obj, kind=kind, version=res.version, mode=opts.field_validation) \
            if validator else validation.ValidationResult([], [])
        return obj, result

    def _check_namespace(self, res: ResourceInfo, namespace: str, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        if not res.namespaced:
            meta.pop("namespace", None)
            return
        body_ns = meta.get("namespace")
        if body_ns and namespace and body_ns != namespace:
            raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the "
                                     "request")
        meta["namespace"] = namespace or body_ns or ""

    def _require_namespace(self, res: ResourceInfo, namespace: str, name: str) -> None:
        """NamespaceLifecycle admission: the namespace must exist and not be terminating."""
        data = self.store.get("namespaces", ("", namespace))
        if data is None:
            raise errors.namespace_not_found(namespace)
        if b'"deletionTimestamp"' in data:  # a byte scan: this runs on every namespaced create
            raise errors.namespace_terminating(namespace, res.plural, res.group, name)

    @staticmethod
    def _key(res: ResourceInfo, namespace: str, name: str) -> tuple[str, str]:
        return (namespace if res.namespaced else "", name)

    def _field_errors(self, res: ResourceInfo, strategy: Strategy, obj: dict[str, Any],
                      schema_errors: list[FieldError], old: dict[str, Any] | None = None) -> list[FieldError]:
        out: list[FieldError] = []
        rule = metadata_validation.name_rule_for(res.group, res.kind)
        finalizers = metadata_validation.kube_finalizer_check_for(res.group, res.kind)
        if old is None:
            out.extend(metadata_validation.validate_object_meta_create(
                obj["metadata"], namespaced=res.namespaced, name_rule=rule, kube_finalizers=finalizers,
                required_name=self._required_name(res, obj)))
        else:
            out.extend(metadata_validation.validate_object_meta_update(
                obj["metadata"], old["metadata"], namespaced=res.namespaced, name_rule=rule,
                kube_finalizers=finalizers))
        out.extend(schema_errors)
        if strategy.validate is not None:
            out.extend(strategy.validate(obj, old))
        return out

    def allocate_cluster_ip(self) -> str:
        """The next free address of the cluster's service range 10.96.0.0/12 (10.96.0.1-10 are reserved)."""
        self._last_ip += 1
        return f"10.{96 + (self._last_ip >> 16)}.{(self._last_ip >> 8) & 255}.{self._last_ip & 255}"

    def allocate_node_port(self) -> int:
        """The next port of the default NodePort range 30000-32767."""
        self._last_node_port = 30000 + (self._last_node_port - 29999) % 2768
        return self._last_node_port

    @staticmethod
    def _required_name(res: ResourceInfo, obj: dict[str, Any]) -> str | None:
        """The name some kinds must have: ``<plural>.<group>`` for CRDs, ``<version>.<group>`` for APIServices."""
        spec: dict[str, Any] = obj["spec"] if isinstance(obj.get("spec"), dict) else {}
        if res.kind == "CustomResourceDefinition":
            return f"{(spec.get('names') or {}).get('plural', '')}.{spec.get('group', '')}"
        if res.kind == "APIService":
            return f"{spec.get('version', '')}.{spec.get('group', '')}"
        return None

    # --- verbs -----------------------------------------------------------------------------------

    def get(self, res: ResourceInfo, namespace: str, name: str) -> bytes:
        data = self.store.get(res.storage_key, self._key(res, namespace, name))
        if data is None:
            raise errors.not_found(res.plural, res.group, name)
        return self.encode(res, data)

    def get_object(self, res: ResourceInfo, namespace: str, name: str) -> dict[str, Any]:
        result: dict[str, Any] = orjson.loads(self.get(res, namespace, name))
        return result

    def create(self, res: ResourceInfo, namespace: str, body: dict[str, Any],
               opts: WriteOptions | None = None) -> Result:
        opts = opts or WriteOptions()
        strategy = strategy_for(res.group, res.kind)
        obj, checked = self._decode(res, body, opts)
        self._check_namespace(res, namespace, obj)
        meta = obj["metadata"]
        namespace = meta.get("namespace", "")
        if res.namespaced and namespace:
            self._require_namespace(res, namespace, meta.get("name") or meta.get("generateName", ""))
        if virtual.is_virtual(res):  # reviews and bindings: answered, never stored
            problems = [e for e in checked.field_errors if not e.field.startswith("status")]  # the server fills it
            if problems:
                raise errors.invalid_object(res.kind, res.group, meta.get("name", ""), problems)
            return Result(orjson.dumps(ordered(virtual.answer(self, res, namespace, obj))), checked.warnings,
                          created=True)
        for field_name in _SYSTEM_META:
            meta.pop(field_name, None)
        meta.pop("resourceVersion", None)
        generated = not meta.get("name") and bool(meta.get("generateName"))
        if generated:
            meta["name"] = metadata_validation.generate_name(meta["generateName"])
        if strategy.defaults:
            strategy.defaults(obj)
        problems = self._field_errors(res, strategy, obj, checked.field_errors)
        if problems:
            raise errors.invalid_object(res.kind, res.group, meta.get("name", ""), problems)
        if strategy.on_create:
            strategy.on_create(obj, self)
        elif res.has_status:
            obj.pop("status", None)
        meta["uid"] = str(uuid.uuid4())
        meta["resourceVersion"] = ""  # placeholder: keeps its Go position; the store fills it in
        meta["creationTimestamp"] = rfc3339(self.clock())
        if strategy.tracks_generation or res.schema is not None:
            meta["generation"] = 1
        if opts.dry_run:
            if self.store.get(res.storage_key, self._key(res, namespace, meta["name"])) is not None:
                raise errors.already_exists(res.plural, res.group, meta["name"])
            return Result(orjson.dumps(ordered(obj)), checked.warnings, created=True)
        for attempt in range(8):  # generateName: a clash with an existing name draws a new suffix
            try:
                data = self.store.create(res.storage_key, self._key(res, namespace, meta["name"]),
                                         ordered(self._to_storage(res, obj)))
                break
            except KeyExistsError:
                if not generated or attempt == 7:
                    raise errors.already_exists(res.plural, res.group, meta["name"]) from None
                meta["name"] = metadata_validation.generate_name(meta["generateName"])
        return Result(self.encode(res, data), checked.warnings, created=True)

    def update(self, res: ResourceInfo, namespace: str, name: str, body: dict[str, Any],
               opts: WriteOptions | None = None, subresource: str | None = None,
               uid_precondition: bool = True) -> Result:
        opts = opts or WriteOptions()
        strategy = strategy_for(res.group, res.kind)
        obj, checked = self._decode(res, body, opts)
        self._check_namespace(res, namespace, obj)
        meta = obj["metadata"]
        body_name = meta.get("name")
        if body_name and body_name != name:
            raise errors.bad_request(f"the name of the object ({body_name}) does not match the name on the URL "
                                     f"({name})")
        meta["name"] = name
        key = self._key(res, namespace, name)
        current = self.store.get(res.storage_key, key)
        if current is None:
            if strategy.allow_create_on_update and subresource is None:
                return self.create(res, namespace, obj, opts)
            raise errors.not_found(res.plural, res.group, name)
        old = self.to_version(res, orjson.loads(current))
        requested_uid = meta.get("uid")
        if uid_precondition and requested_uid and requested_uid != old["metadata"].get("uid"):
            raise errors.conflict(res.plural, res.group, name,
                                  f"Precondition failed: UID in precondition: {requested_uid}, UID in object meta: "
                                  f"{old['metadata'].get('uid', '')}")
        requested_rv = meta.get("resourceVersion")
        current_rv = old["metadata"]["resourceVersion"]
        if requested_rv and requested_rv != current_rv:
            raise errors.stale_update(res.plural, res.group, name)
        if subresource == "status":  # /status: the stored object with the new status, nothing else
            status = obj.get("status")
            obj = dict(old, metadata=dict(old["metadata"]))
            if status is None:
                obj.pop("status", None)
            else:
                obj["status"] = status
        else:
            if res.has_status:  # the main endpoint keeps the stored status
                if "status" in old:
                    obj["status"] = old["status"]
                else:
                    obj.pop("status", None)
            obj["metadata"] = metadata_validation.apply_update_system_fields(obj["metadata"], old["metadata"])
            if strategy.defaults:
                strategy.defaults(obj)
            if strategy.on_update:
                strategy.on_update(obj, old, self)
        meta = obj["metadata"]
        meta["resourceVersion"] = current_rv  # unconditional updates are allowed: base them on the current state
        problems = self._field_errors(res, strategy, obj, checked.field_errors, old)
        if problems:
            raise errors.invalid_object(res.kind, res.group, name, problems)
        if "generation" in meta and _spec_of(obj) != _spec_of(old):
            meta["generation"] = int(meta["generation"]) + 1
        obj = ordered(obj)
        stored = ordered(self._to_storage(res, obj))
        if orjson.dumps(stored) == current:
            return Result(self.encode(res, current), checked.warnings)  # no-op: nothing written, no event
        if opts.dry_run:
            return Result(orjson.dumps(obj), checked.warnings)
        try:
            data = self.store.update(res.storage_key, key, stored, expected_revision=int(current_rv))
        except ConflictError:
            raise errors.stale_update(res.plural, res.group, name) from None
        return Result(self.encode(res, data), checked.warnings)

    def patch(self, res: ResourceInfo, namespace: str, name: str, patch_type: str, patch_body: Any,
              opts: WriteOptions | None = None, subresource: str | None = None) -> Result:
        """PATCH: apply the patch to the current object, then write it through ``update``.

        The patched object takes the same path as a PUT (decode, defaults, validation, conflicts,
        status split), so a patch can do exactly what an update can.  ``patch_type`` is one of
        ``json``, ``merge`` or ``strategic``.
        """
        current = self.get_object(res, namespace, name)
        patched = self.apply_patch(current, patch_type, patch_body, res.definition)
        # A patch carries no uid precondition (a changed uid is an immutable-field error instead).
        return self.update(res, namespace, name, patched, opts, subresource, uid_precondition=False)

    def apply_patch(self, current: dict[str, Any], patch_type: str, patch_body: Any,
                    definition: str | None) -> dict[str, Any]:
        """``current`` with the patch applied (strategic merge guided by ``definition``'s schema)."""
        from fakekube import patch as patches  # the engines load only when a patch arrives

        try:
            if patch_type == "json":
                patched = patches.json_patch(current, patch_body)
            elif patch_type == "merge":
                patched = patches.merge_patch(current, patch_body)
            else:
                lookup = patches.SchemaLookup.empty()
                if definition is not None:
                    lookup = patches.SchemaLookup.for_definition(
                        schema_files.definitions(self.catalog.kubernetes_version), definition)
                patched = patches.strategic_merge_patch(current, patch_body, lookup)
        except patches.PatchError as exc:
            raise StatusError(exc.code, exc.reason, exc.message) from None
        if not isinstance(patched, dict):
            raise errors.bad_request("the patch turned the object into something that is not an object")
        return patched

    def delete(self, res: ResourceInfo, namespace: str, name: str, opts: DeleteOptions | None = None) -> Result:
        opts = opts or DeleteOptions()
        key = self._key(res, namespace, name)
        current = self.store.get(res.storage_key, key)
        if current is None:
            raise errors.not_found(res.plural, res.group, name)
        old = orjson.loads(current)
        meta = old["metadata"]
        # rest.BeforeDelete words these conflicts on the Kind, not the resource.
        if opts.uid is not None and opts.uid != meta.get("uid"):
            raise errors.conflict(res.kind, res.group, name,
                                  f"the UID in the precondition ({opts.uid}) does not match the UID in record "
                                  f"({meta.get('uid', '')}). The object might have been deleted and then recreated")
        if opts.resource_version is not None and opts.resource_version != meta.get("resourceVersion"):
            raise errors.conflict(res.kind, res.group, name,
                                  f"the ResourceVersion in the precondition ({opts.resource_version}) does not match "
                                  f"the ResourceVersion in record ({meta.get('resourceVersion')}). The object might "
                                  "have been modified")
        strategy = strategy_for(res.group, res.kind)
        if opts.dry_run:
            return Result(self._delete_answer(res, strategy, self.encode(res, current), meta))
        if strategy.on_delete is not None:
            before = orjson.loads(current)
            strategy.on_delete(old, self)
            if old != before:  # the hook moved the object to a last state (a Terminating namespace)
                self.store.update(res.storage_key, key, ordered(old))
        try:
            data = self.store.delete(res.storage_key, key)
        except KeyNotFoundError:
            raise errors.not_found(res.plural, res.group, name) from None
        return Result(self._delete_answer(res, strategy, self.encode(res, data), meta))

    def _delete_answer(self, res: ResourceInfo, strategy: Strategy, data: bytes, meta: dict[str, Any]) -> bytes:
        if strategy.returns_deleted_object:
            return data
        return orjson.dumps(errors.success_status(meta.get("name", ""), res.group, res.plural, meta.get("uid", "")))

    def delete_namespace_contents(self, namespace: str) -> None:
        """Remove every object stored in ``namespace``, whatever its resource (served or not any more)."""
        for table in self.store.tables():
            for key, _ in list(self.store.iter_table(table, namespace)):
                self.store.delete(table, key)


def _spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "kind", "apiVersion")}


__all__ = ["DeleteOptions", "Registry", "Result", "StatusError", "WriteOptions", "ordered"]
