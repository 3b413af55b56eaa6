"""Which writes an admission policy or one of its bindings applies to (``admission/plugin/policy/matching``,
``webhook/predicates/rules`` and the namespace and object selector matchers), as kube-apiserver decides it
before evaluating any expression.

A policy's ``matchConstraints`` and a binding's ``matchResources`` are the same structure and each must
match: namespace selector, object selector, no excluded rule, then a resource rule (none listed: any
resource).  A rule is scope, operation, group, version and resource (``pods/status``, ``*``, ``*/scale``,
``pods/*``) and optional resource names.  With ``matchPolicy: Equivalent`` a rule written for another
version of the same resource (the versions sharing its storage) matches too, and the policy then sees the
request as that version's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import orjson

from fakekube.kinds.validation.common import selector_is_empty, selector_matches
from fakekube.registry.admission_attributes import CREATE, UPDATE, Attributes
from fakekube.registry.catalog import builtin_resources
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


@lru_cache(maxsize=512)
def _equivalents_of(kubernetes_version: str, storage_key: str, version: str, plural: str) -> tuple[ResourceInfo, ...]:
    return tuple(other for other in builtin_resources(kubernetes_version)
                 if other.storage_key == storage_key and other.version != version and other.plural == plural)


def _equivalents(res: ResourceInfo) -> tuple[ResourceInfo, ...]:
    """The other served versions of a built-in resource (kube's equivalent resource mapper: the same
    storage); a custom resource's other versions are not looked for."""
    return _equivalents_of(res.kubernetes_version, res.storage_key, res.version, res.plural)


def rules_match(rules: Sequence[Any], match_policy: Any, attrs: Attributes, name: str) -> ResourceInfo | None:
    """The resource the write matched ``rules`` as (the request's own first, then with ``Equivalent`` each
    equivalent version), None when none matches."""
    res = attrs.resource
    for rule in rules:
        if isinstance(rule, dict) and rule_matches(rule, attrs, res) and _named(rule, name):
            return res
    if not rules or match_policy != "Equivalent":
        return None
    equivalents = _equivalents(res)
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
    """The request's name as admission sees it: on a create, the one the body gave (none when the server
    generates it from ``generateName``)."""
    if attrs.operation == CREATE and attrs.obj is not None:
        meta = attrs.obj.get("metadata", {})
        if attrs.name and attrs.name == meta.get("generateName") and attrs.name != meta.get("name"):
            return ""
    return attrs.name


def resources_match(store: Store, attrs: Attributes, match: Mapping[str, Any]) -> ResourceInfo | None:
    """``Matcher.Matches`` for one ``matchConstraints``/``matchResources``: the matched resource, or None."""
    if not _namespace_matches(store, attrs, match.get("namespaceSelector")):
        return None
    if not _object_matches(attrs, match.get("objectSelector")):
        return None
    name = request_name(attrs)
    policy = match.get("matchPolicy")
    if rules_match(match.get("excludeResourceRules") or [], policy, attrs, name) is not None:
        return None
    rules = match.get("resourceRules") or []
    if not rules:
        return attrs.resource
    return rules_match(rules, policy, attrs, name)

