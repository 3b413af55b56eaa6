"""The bootstrap RBAC policy: what kube-apiserver's ``rbac/bootstrap-roles`` post-start hook stores.

The hook (``pkg/registry/rbac/rest/storage_rbac.go``) creates the ``system:`` ClusterRoles (and
``cluster-admin``, ``admin``, ``edit``, ``view``), the ``system:controller:*`` roles, their bindings, and
the Roles and RoleBindings of ``kube-system`` and ``kube-public``; each carries the label
``kubernetes.io/bootstrapping: rbac-defaults`` and the annotation ``rbac.authorization.kubernetes.io/autoupdate:
"true"``.  The objects come from ``schemas/v1.NN/bootstrap_policy.json``, generated from upstream's own
fixtures of the policy by ``python -m schemas.generate_bootstrap_policy``, so each served version stores
its own release's policy.

``admin``, ``edit`` and ``view`` are created with an ``aggregationRule`` and no rules; in a real cluster
kube-controller-manager's ``clusterrole-aggregation`` controller fills them in at once, with a forced
server-side apply of ``rules`` by the field manager ``clusterrole-aggregation-controller``.  ``aggregate``
does the same here, so a new cluster shows the roles as a real one does a moment after starting.  (Roles a
test labels ``aggregate-to-*`` later are not aggregated: that standing controller is not part of this.)
"""

from __future__ import annotations

import functools
from typing import Any

import orjson

from fakekube.kinds.validation.common import selector_matches
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.rest import Registry
from fakekube.schema import files

RBAC = "rbac.authorization.k8s.io"
POLICY_FILE = "bootstrap_policy.json"
# key in the policy file -> the resource it is created through, in the order the hook creates them
PARTS = (("clusterRoles", "clusterroles"), ("clusterRoleBindings", "clusterrolebindings"),
         ("roles", "roles"), ("roleBindings", "rolebindings"))
AGGREGATOR = Context(user=UserInfo("system:serviceaccount:kube-system:clusterrole-aggregation-controller",
                                   ("system:serviceaccounts", "system:serviceaccounts:kube-system",
                                    "system:authenticated")),
                     field_manager="clusterrole-aggregation-controller",
                     user_agent="kube-controller-manager/v1 (linux/amd64) kubernetes/fakekube/"
                                "clusterrole-aggregation-controller")
# The Go field order of ``PolicyRuleApplyConfiguration``, as the controller's apply request sends it.
_RULE_FIELDS = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")

Obj = dict[str, Any]


@functools.cache
def _policy(kubernetes_version: str) -> bytes:
    return files.read(kubernetes_version, POLICY_FILE)


def policy(kubernetes_version: str) -> dict[str, list[Obj]]:
    """A fresh copy of one version's policy (the registry mutates what it is given)."""
    document: dict[str, list[Obj]] = orjson.loads(_policy(kubernetes_version))
    return document


def create_policy(registry: Registry, ctx: Context) -> None:
    """Create every object of the policy through the registry, then aggregate the roles that say so."""
    document = policy(registry.catalog.kubernetes_version)
    for key, plural in PARTS:
        res = registry.catalog.get(RBAC, "v1", plural)
        if res is None:  # RBAC switched off in the runtime config: the hook does not run
            return
        for obj in document[key]:
            registry.create(ctx, res, obj["metadata"].get("namespace", ""), obj)
    aggregate(registry)


def aggregate(registry: Registry) -> None:
    """The clusterrole-aggregation controller until nothing changes: each ClusterRole with an
    ``aggregationRule`` gets, by a forced apply, the rules of the ClusterRoles its selectors match (in name
    order, itself excluded, each rule once)."""
    res = registry.catalog.get(RBAC, "v1", "clusterroles")
    assert res is not None
    for _ in range(10):  # roles aggregating roles that aggregate: a fixed point within a few rounds
        changed = False
        roles = [orjson.loads(data) for _, data in registry.store.iter_table(res.storage_key)]
        for role in roles:
            rule = role.get("aggregationRule")
            if not rule:
                continue
            rules = _aggregated_rules(role["metadata"]["name"], rule, roles)
            if [_semantic(r) for r in rules] == [_semantic(r) for r in role.get("rules") or ()]:
                continue
            config = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": role["metadata"]["name"]},
                      "rules": [{k: r[k] for k in _RULE_FIELDS if r.get(k)} for r in rules]}
            registry.apply(AGGREGATOR, res, "", role["metadata"]["name"], config, force=True)
            changed = True
        if not changed:
            return
    raise RuntimeError("the bootstrap cluster roles' aggregation did not settle")


def _aggregated_rules(name: str, aggregation_rule: Obj, roles: list[Obj]) -> list[Obj]:
    rules: list[Obj] = []
    seen: list[Obj] = []
    for selector in aggregation_rule.get("clusterRoleSelectors") or ():
        for role in sorted(roles, key=lambda r: str(r["metadata"]["name"])):
            if role["metadata"]["name"] == name:
                continue
            if not selector_matches(selector, role["metadata"].get("labels") or {}):
                continue
            for rule in role.get("rules") or ():
                key = _semantic(rule)
                if key not in seen:
                    seen.append(key)
                    rules.append(rule)
    return rules


def _semantic(rule: Obj) -> Obj:
    """A rule as ``equality.Semantic.DeepEqual`` compares it: empty and missing lists alike."""
    return {k: v for k, v in rule.items() if v}


