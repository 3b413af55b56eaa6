"""What a kind brings to the generic registry: kube-apiserver's per-resource ``strategy.go``, as data.

The registry runs one write pipeline for every resource; at each step it asks the resource's
``Strategy``: how to default a body, what to reset when a write comes through the main endpoint or a
subresource, how to validate, whether ``metadata.generation`` counts spec changes, what a delete
answers, whether a PUT may create.  It also carries the kind's name rule, its field labels
(``fieldSelector``) and its table columns, so everything a kind does is found in the one module that
builds its strategy (``fakekube/kinds/<group>/...``).

Strategies are immutable and shared by every cluster.  A hook that needs the cluster (the clock,
an address allocator) is handed a ``ClusterAccess``; the registry implements it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

from fakekube.clock import rfc3339
from fakekube.errors import FieldError
from fakekube.kinds.field_labels import DEFAULT_FIELDS, KindFields
from fakekube.name_rules import DNS1123_SUBDOMAIN

Obj = dict[str, Any]


class ClusterAccess(Protocol):
    """What a strategy hook may ask of the cluster it runs in."""

    def now(self) -> float: ...

    def allocate_cluster_ip(self) -> str: ...

    def allocate_node_port(self) -> int: ...


class Caller(Protocol):
    """Who sent the request (for reviews that answer about the caller)."""

    @property
    def username(self) -> str: ...

    @property
    def groups(self) -> tuple[str, ...]: ...


Defaults = Callable[[Obj], None]
PrepareCreate = Callable[[Obj, ClusterAccess], None]
PrepareUpdate = Callable[[Obj, Obj, ClusterAccess], None]
Validate = Callable[[Obj, "Obj | None"], list[FieldError]]
Answer = Callable[[Obj, str, Caller], Obj]
# A table cell: a function of the object; columns are (column definition, cell) pairs.
Cell = Callable[[Obj], Any]
Column = tuple[Mapping[str, Any], Cell]


def _no_errors(obj: Obj, old: Obj | None) -> list[FieldError]:
    return []


@dataclass(frozen=True, eq=False)
class SubresourceStrategy:
    """A subresource that writes its parent (``/status``, ``/scale``, ``/finalize``, ``pods/binding``).

    The request body is decoded as the subresource's kind (a Scale, a Binding, the parent's own kind).
    ``check_input`` are rules on that body, reported on its kind.  ``reset`` builds the object to store
    from the decoded body and the stored parent (kube's ``PrepareForUpdate`` of the subresource's
    strategy: fields outside the subresource keep their stored values).  ``validate`` replaces the
    kind's own update rules for this subresource (None keeps them).  ``view`` is what the subresource
    shows of its parent, on GET and as the answer to a write (None: the parent itself).  ``prepare``
    sets what the server adds on such a write (a binding's ``PodScheduled`` condition), with the
    cluster's clock.  ``written_directly``: kube-apiserver writes the parent itself, without its
    strategy or a field manager (a binding), so ``metadata.generation`` and ``managedFields`` stay as
    they were.
    """

    reset: Callable[[Obj, Obj], Obj]
    check_input: Callable[[Obj], list[FieldError]] | None = None
    validate: Validate | None = None
    view: Callable[[Obj], Obj] | None = None
    prepare: Callable[[Obj, Obj, ClusterAccess], None] | None = None
    written_directly: bool = False
    # what a PATCH of the subresource applies to, when it differs from ``view`` (a custom resource's Scale
    # shows unset replicas as a marker there, where a GET fails)
    patch_view: Callable[[Obj], Obj] | None = None


def _status_reset(new: Obj, old: Obj) -> Obj:
    """``/status``: the stored object with the new status, nothing else."""
    out = dict(old, metadata=dict(old["metadata"]))
    out["metadata"]["resourceVersion"] = new["metadata"].get("resourceVersion", "")
    if "uid" in new["metadata"]:
        out["metadata"]["uid"] = new["metadata"]["uid"]
    status = new.get("status")
    if status is None:
        out.pop("status", None)
    else:
        out["status"] = status
    return out


STATUS = SubresourceStrategy(_status_reset)

def status_with_body_metadata(new: Obj, old: Obj) -> Obj:
    """``/status`` of a kind whose status strategy resets only the spec (Pods, Nodes, PersistentVolumes): the
    body's metadata (labels, annotations, finalizers) is written with its status; the server's own fields
    (generation, uid when none is sent, creation and deletion times and grace period) are the stored ones."""
    out = dict(new, metadata=dict(new["metadata"]))
    meta, old_meta = out["metadata"], old["metadata"]
    if "spec" in old:
        out["spec"] = old["spec"]
    else:
        out.pop("spec", None)
    if "generation" in old_meta:
        meta["generation"] = old_meta["generation"]
    else:
        meta.pop("generation", None)
    if not meta.get("uid"):
        meta["uid"] = old_meta.get("uid", "")
    if not meta.get("namespace") and old_meta.get("namespace"):  # the handler's, from the request's path
        meta["namespace"] = old_meta["namespace"]
    if old_meta.get("creationTimestamp"):
        meta["creationTimestamp"] = old_meta["creationTimestamp"]
    if old_meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = old_meta["deletionTimestamp"]
    else:
        meta.pop("deletionTimestamp", None)
    if old_meta.get("deletionGracePeriodSeconds") is not None and meta.get("deletionGracePeriodSeconds") is None:
        meta["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]
    return out


STATUS_WITH_METADATA = SubresourceStrategy(status_with_body_metadata)


def should_delete_during_update(new: Obj, old: Obj) -> bool:
    """An update that leaves an object being deleted without finalizers completes the delete."""
    if new["metadata"].get("finalizers"):
        return False
    old_meta = old["metadata"]
    if not old_meta.get("deletionTimestamp"):
        return False
    return not old_meta.get("deletionGracePeriodSeconds")


def spec_changes_from_zero(obj: Obj, old: Obj) -> None:
    """Generation counts changes of ``spec`` only, from zero as the create sets none (a CSIDriver's
    ``PrepareForUpdate``)."""
    if obj.get("spec") != old.get("spec"):
        obj["metadata"]["generation"] = int(old["metadata"].get("generation") or 0) + 1


def never_counts(obj: Obj, old: Obj) -> None:
    """Generation stays what the create set (a PriorityClass's ``PrepareForUpdate`` does nothing)."""


def has_finalizers(obj: Obj) -> bool:
    return bool(obj["metadata"].get("finalizers"))


def mark_deleting(obj: Obj, cluster: ClusterAccess) -> None:
    """A delete of an object with finalizers: it stays, with ``deletionTimestamp`` (set once) and a zero
    grace period, until an update removes its last finalizer (the registry store's ``markAsDeleting``: the
    first mark also counts as a change of a generation-tracking object)."""
    meta = obj["metadata"]
    if not meta.get("deletionTimestamp"):
        if isinstance(meta.get("generation"), int) and meta["generation"] > 0:
            meta["generation"] += 1
        meta["deletionTimestamp"] = rfc3339(cluster.now())
    meta["deletionGracePeriodSeconds"] = 0


# What a delete does to an object's dependents when it says nothing (``rest.GarbageCollectionPolicy``).
ORPHAN_DEPENDENTS = "OrphanDependents"
DELETE_DEPENDENTS = "DeleteDependents"
GC_UNSUPPORTED = "Unsupported"  # the kind takes no propagation policy (Events)


@dataclass(frozen=True, eq=False)
class Strategy:
    """One kind's behaviour.  Built-in kinds get theirs from ``fakekube/kinds``; a custom resource's is built
    from its CRD."""

    # metadata.generation starts at 1 and counts changes outside metadata and status
    tracks_generation: bool = False
    # how an update counts ``metadata.generation`` when the kind's own rule is not the generic one (changes
    # outside metadata and status, once the object has a generation): a PriorityClass never counts, a
    # CSIDriver counts spec changes from zero, an EndpointSlice counts label changes too
    next_generation: Callable[[Obj, Obj], None] | None = None
    # DELETE answers with the object instead of a Status
    returns_deleted_object: bool = False
    # PUT of a missing object creates it
    allow_create_on_update: bool = False
    # defaulting of a decoded body, on every write
    defaults: Defaults | None = None
    # server-assigned fields and initial status on create
    prepare_for_create: PrepareCreate | None = None
    # server-assigned fields an update body may omit
    prepare_for_update: PrepareUpdate | None = None
    # kind rules beyond the schema; ``old`` is None on create
    validate: Validate = _no_errors
    # the ``Warning`` headers of a write that passed validation (``WarningsOnCreate`` / ``WarningsOnUpdate`` of the
    # main endpoint); ``old`` is None on create
    warnings: Callable[[Obj, Obj | None], list[str]] | None = None
    # ``validate`` ports the kind's upstream validator whole, so the schema's stand-ins for it (required fields
    # and enums, which kube-apiserver never checks on a built-in) are left out: the port words them
    validation_ported: bool = False
    # fields whose schema enum (or required mark) is no upstream check of the kind: ``validate`` words their
    # error itself (a StatefulSet's ``spec.updateStrategy.type``, a CronJob's ``spec.schedule``), so the schema's
    # ``Unsupported value`` and ``Required value`` stand-ins are left out
    own_enum_fields: frozenset[str] = frozenset()
    # the group a 422 names when the kind's internal type lives in another group (events.k8s.io's Event is the
    # core Event inside kube-apiserver: ``Event "e1" is invalid``); None: the resource's own group
    invalid_group: str | None = None
    # metadata.name: the rule (``fakekube.name_rules``) and, for some kinds, the exact name required
    name_rule: str = DNS1123_SUBDOMAIN
    required_name: Callable[[Obj], str | None] | None = None
    signer_name: Callable[[Obj], str] | None = None
    # kubernetes' own API groups reject non-standard finalizers without a '/'
    kube_finalizers: bool = False
    # subresources that write the parent; ``status`` is added for every resource that has one
    subresources: Mapping[str, SubresourceStrategy] = field(default_factory=lambda: MappingProxyType({}))
    # fields besides the spec that a /status write resets, so it never owns them (``GetResetFields``)
    status_resets: tuple[str, ...] = ()
    # deletion: whether an object stays (being deleted) until its finalizers are gone, how a delete marks
    # it, a check before a delete (may raise), and when an update completes a pending delete
    has_finalizers: Callable[[Obj], bool] = has_finalizers
    mark_deleting: Callable[[Obj, ClusterAccess], None] = mark_deleting
    check_delete: Callable[[Obj], None] | None = None
    should_delete_during_update: Callable[[Obj, Obj], bool] = should_delete_during_update
    # garbage collection: the policy of a delete that names none, per served version (``{"batch/v1":
    # ORPHAN_DEPENDENTS}``), else ``default_gc_policy``; and the warning such a delete gets when the default
    # orphans (Jobs)
    gc_policies: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    default_gc_policy: str = DELETE_DEPENDENTS
    orphaning_default_warning: str | None = None
    # graceful deletion (``CheckGracefulDelete``): the grace period a delete gives the object, from the
    # period the request asks for (None: the kind's own); None for kinds deleted at once
    graceful_delete: Callable[[Obj, int | None], int] | None = None
    # create-only resources answered, never stored (reviews); None for stored kinds
    answer: Answer | None = None
    # a create that is a write of another resource's subresource: (plural, subresource) in the same
    # group-version (a Binding is ``pods/binding`` of the pod it names)
    writes_subresource: tuple[str, str] | None = None
    # fieldSelector support and table columns
    field_labels: KindFields = DEFAULT_FIELDS
    columns: tuple[Column, ...] = ()
    # what differs by Kubernetes release: the strategy a release ("v1.37") serves the kind with, which the
    # catalog builder asks for once per release (None: the same strategy in every release)
    for_release: Callable[[str], Strategy] | None = None

    def gc_policy(self, api_version: str) -> str:
        """The garbage-collection policy of a delete through ``api_version`` that names none."""
        return self.gc_policies.get(api_version, self.default_gc_policy)

    def subresource(self, name: str, has_status: bool) -> SubresourceStrategy | None:
        found = self.subresources.get(name)
        if found is None and name == "status" and has_status:
            return STATUS
        return found


DEFAULT = Strategy()
