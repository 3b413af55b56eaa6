"""Admission: the steps of the write pipeline where plugins may change, then judge, a write.

kube-apiserver runs mutating admission after decoding and defaulting, and validating admission after
the strategy's own validation.  A delete has no object to mutate: kube-apiserver runs both chains on the
object being deleted, mutating first, inside the delete (``AdmissionToValidateObjectDeleteFunc``), so a
dry run is refused as the real delete would be.  Built in: NamespaceLifecycle (objects in a missing or
terminating namespace are refused; ``default``, ``kube-system`` and ``kube-public`` cannot be deleted)
and DefaultTolerationSeconds (a pod tolerates a not-ready or unreachable node for 300 s) here; LimitRanger,
ServiceAccount, TaintNodesByCondition, Priority and StorageObjectInUseProtection in modules of their own
(``admission_*.py``), and ValidatingAdmissionPolicy (``admission_policy*.py``) last in the validating chain.
Webhooks will join these chains.
"""

from __future__ import annotations

from functools import partial

import orjson

from fakekube import errors
from fakekube.registry import (
    admission_limit_ranger,
    admission_node_taints,
    admission_policy,
    admission_priority,
    admission_service_account,
    admission_storage_protection,
)
from fakekube.registry.admission_attributes import CONNECT, CREATE, DELETE, UPDATE, Attributes, Plugin
from fakekube.registry.catalog import Catalog
from fakekube.storage import Store

__all__ = ["CONNECT", "CREATE", "DELETE", "UPDATE", "Admission", "Attributes", "Plugin"]

# The namespaces kube-apiserver registers NamespaceLifecycle with as never to be deleted.
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})


class Admission:
    """The admission chains of one cluster: mutating plugins run first, validating ones later."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        # in kube-apiserver's order of its default plugins (``AllOrderedPlugins``)
        self.mutating: list[Plugin] = [
            forbid_create_while_terminating, self.namespace_lifecycle,
            partial(admission_limit_ranger.admit, store),
            partial(admission_service_account.admit, store),
            admission_node_taints.admit,
            partial(admission_priority.admit, store),
            default_toleration_seconds,
            admission_storage_protection.admit,
        ]
        self.validating: list[Plugin] = [
            partial(admission_service_account.validate, store),
            partial(admission_priority.validate, store),
            partial(admission_policy.validate, store, catalog),
        ]

    def mutate(self, attrs: Attributes) -> None:
        for plugin in self.mutating:
            plugin(attrs)

    def validate(self, attrs: Attributes) -> None:
        """The validating chain; for a delete, the mutating one first (the pipeline's delete calls only this)."""
        if attrs.operation == DELETE:
            self.mutate(attrs)
        for plugin in self.validating:
            plugin(attrs)

    def namespace_lifecycle(self, attrs: Attributes) -> None:
        """NamespaceLifecycle: the cluster's own namespaces are never deleted; a create needs its namespace to
        exist and not be terminating."""
        res = attrs.resource
        if attrs.operation == DELETE and not res.group and res.kind == "Namespace" \
                and attrs.name in IMMORTAL_NAMESPACES:
            raise errors.namespace_immortal(res.plural, res.group, attrs.name)
        if attrs.operation != CREATE or not res.namespaced or not attrs.namespace or attrs.subresource:
            return
        data = self.store.get("namespaces", ("", attrs.namespace))
        if data is None:
            raise errors.namespace_not_found(attrs.namespace)
        if b'"deletionTimestamp"' in data and orjson.loads(data)["metadata"].get("deletionTimestamp"):
            raise errors.namespace_terminating(attrs.namespace, res.plural, res.group, attrs.name)


DEFAULT_TOLERATION_SECONDS = 300
_NODE_TAINTS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")


def forbid_create_while_terminating(attrs: Attributes) -> None:
    """The apiextensions server wraps a terminating CRD's admission so that creates are refused first."""
    if attrs.operation == CREATE and attrs.resource.terminating:
        raise errors.crd_terminating_create(attrs.resource.plural, attrs.resource.group, attrs.name)


def default_toleration_seconds(attrs: Attributes) -> None:
    """DefaultTolerationSeconds: a pod being created or updated (not through a subresource) that does not
    already tolerate a node's ``not-ready`` and ``unreachable`` NoExecute taints gets tolerations for them, for
    300 seconds each; so a PUT that leaves them out gets them back and changes nothing."""
    if attrs.operation not in (CREATE, UPDATE) or not attrs.is_core("pods") or attrs.obj is None:
        return
    spec = attrs.obj.get("spec")
    if not isinstance(spec, dict):
        return
    tolerations = spec.get("tolerations")
    if not isinstance(tolerations, list):
        tolerations = []
    added = []
    for taint in _NODE_TAINTS:
        tolerated = any(isinstance(t, dict) and t.get("key", "") in (taint, "") and t.get("effect", "") in
                        ("NoExecute", "") for t in tolerations)
        if not tolerated:
            added.append({"key": taint, "operator": "Exists", "effect": "NoExecute",
                          "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if added:
        spec["tolerations"] = [*tolerations, *added]
