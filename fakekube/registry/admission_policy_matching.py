"""Which writes an admission policy or one of its bindings applies to (``admission/plugin/policy/matching``,
``webhook/predicates/rules`` and the namespace and object selector matchers), as kube-apiserver decides it
before evaluating any expression.

A policy's ``matchConstraints`` and a binding's ``matchResources`` are the same structure and each must
match: namespace selector, object selector, no excluded rule, then a resource rule (none listed: any
resource).  A rule is scope, operation, group, version and resource (``pods/status``, ``*``, ``*/scale``,
``pods/*``) and optional resource names.  With ``matchPolicy: Equivalent`` a rule written for another
served resource sharing the request's storage matches too (kube's equivalent resource mapper is keyed by
the storage prefix: another version of the resource, or another group's, as ``events.k8s.io/v1`` Events are
core ``v1`` Events), and the policy then sees the request as that resource's.  Only the cluster's served
resources count (its catalog: custom resources included, versions a release has but does not serve by
default left out), as kube registers an equivalent only when it installs its handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from fakekube.kinds.validation.common import selector_is_empty, selector_matches
from fakekube.registry.admission_attributes import CREATE, UPDATE, Attributes
from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo
from fakekube.storage import Store

NAMESPACES_TABLE = "namespaces"


def _listed(values: Any, wanted: str) -> bool:
    """``exactOrWildcard``: ``wanted`` is in the list, or the list has ``*``."""
    return isinstance(values, list) and any(v == "*" or v == wanted for v in values)


def _scope_matches(scope: Any, res: ResourceInfo, namespace: str) -> bool:
    """``*`` (the default) is anything; a Namespace itself counts as cluster-scoped."""
    is_namespace = not res.group and res.plural == "namespaces"
    if scope in (None, "*"):
        return True
    if scope == "Namespaced":
        return not is_namespace and bool(namespace)
    if scope == "Cluster":
        return is_namespace or not namespace
    return False


def _resource_listed(resources: Any, plural: str, subresource: str) -> bool:
    """``pods`` is the resource alone, ``pods/status`` one subresource, ``*`` every resource (not their
    subresources), ``*/*`` everything, ``pods/*`` the resource and all its subresources."""
    if not isinstance(resources, list):
        return False
    for entry in resources:
        if not isinstance(entry, str):
            continue
        name, _, sub = entry.partition("/")
        if (name == "*" or name == plural) and (sub == "*" or sub == subresource):
            return True
    return False


def rule_matches(rule: Mapping[str, Any], attrs: Attributes, res: ResourceInfo) -> bool:
    """One ``RuleWithOperations`` against the write, seen as ``res`` (the request's resource or an
    equivalent one)."""
    return (_scope_matches(rule.get("scope"), attrs.resource, attrs.namespace)
            and _listed(rule.get("operations"), attrs.operation)
            and _listed(rule.get("apiGroups"), res.group)
            and _listed(rule.get("apiVersions"), res.version)
            and _resource_listed(rule.get("resources"), res.plural, attrs.subresource))


def _named(rule: Mapping[str, Any], name: str) -> bool:
    """An empty ``resourceNames`` list is every name."""
    names = rule.get("resourceNames") or []
    return not names or name in names


def _equivalents(catalog: Catalog, res: ResourceInfo, subresource: str) -> list[ResourceInfo]:
    """The other served resources stored with ``res`` (its other versions, or another group's resource with
    the same storage) that have the written subresource too, in the catalog's order."""
    return [other for other in catalog.stored_with(res.storage_key)
            if other.group_version != res.group_version
            and (not subresource or other.subresource(subresource) is not None)]


def rules_match(catalog: Catalog, rules: Sequence[Any], match_policy: Any, attrs: Attributes,
                name: str) -> ResourceInfo | None:
    """The resource the write matched ``rules`` as (the request's own first, then with ``Equivalent`` each
    equivalent resource), None when none matches."""
    res = attrs.resource
    for rule in rules:
        if isinstance(rule, dict) and rule_matches(rule, attrs, res) and _named(rule, name):
            return res
    if not rules or match_policy != "Equivalent":
        return None
    equivalents = _equivalents(catalog, res, attrs.subresource)
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        for other in equivalents:
            if rule_matches(rule, attrs, other) and _named(rule, name):
                return other
    return None


def namespace_labels(store: Store, attrs: Attributes) -> dict[str, Any]:
    """The labels a namespace selector is matched with: a Namespace being created or updated is judged by
    its new labels; anything else by its namespace's stored labels (none when it is not stored)."""
    res = attrs.resource
    if res.plural == "namespaces" and not attrs.subresource and attrs.operation in (CREATE, UPDATE) \
            and attrs.obj is not None:
        labels = attrs.obj.get("metadata", {}).get("labels")
        return labels if isinstance(labels, dict) else {}
    namespace = attrs.name if res.plural == "namespaces" and not res.group else attrs.namespace
    data = store.get(NAMESPACES_TABLE, ("", namespace))
    if data is None:
        return {}
    labels = orjson.loads(data).get("metadata", {}).get("labels")
    return labels if isinstance(labels, dict) else {}


def _namespace_matches(store: Store, attrs: Attributes, selector: Any) -> bool:
    """A cluster-scoped write other than to a Namespace always matches; an empty selector too."""
    res = attrs.resource
    if not attrs.namespace and res.plural != "namespaces":
        return True
    if selector_is_empty(selector):
        return True
    return selector_matches(selector, namespace_labels(store, attrs))


def _object_matches(attrs: Attributes, selector: Any) -> bool:
    """An empty selector matches; otherwise the new or the old object's labels must."""
    if selector_is_empty(selector):
        return True
    for obj in (attrs.obj, attrs.old):
        if obj is not None and selector_matches(selector, obj.get("metadata", {}).get("labels") or {}):
            return True
    return False


def request_name(attrs: Attributes) -> str:
    """The request's name as validating admission sees it: on a create, the object's name, which the server
    has generated from ``generateName`` by then (kube's ``AdmissionToValidateObjectFunc`` takes it from the
    object when the request named none)."""
    if attrs.operation == CREATE and attrs.obj is not None:
        name = attrs.obj.get("metadata", {}).get("name")
        if isinstance(name, str) and name:
            return name
    return attrs.name


def resources_match(store: Store, catalog: Catalog, attrs: Attributes, match: Mapping[str, Any]
                    ) -> ResourceInfo | None:
    """``Matcher.Matches`` for one ``matchConstraints``/``matchResources``: the matched resource, or None."""
    if not _namespace_matches(store, attrs, match.get("namespaceSelector")):
        return None
    if not _object_matches(attrs, match.get("objectSelector")):
        return None
    name = request_name(attrs)
    policy = match.get("matchPolicy")
    if rules_match(catalog, match.get("excludeResourceRules") or [], policy, attrs, name) is not None:
        return None
    rules = match.get("resourceRules") or []
    if not rules:
        return attrs.resource
    return rules_match(catalog, rules, policy, attrs, name)

