"""Custom resources: the ``Strategy`` of one served version of a CRD, built from the CRD itself.

kube-apiserver's apiextensions server builds, per CRD version, a strategy from what the CRD says about
that version: its schema (validation beyond the structural schema, i.e. CEL rules), its subresources
(``status``, ``scale`` with the replicas and selector paths), its ``additionalPrinterColumns`` (the
table) and its ``selectableFields`` (field selectors).  Everything a custom resource does beyond the
generic registry is derived here, in one place, from the CRD's ``spec`` and the version's entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from fakekube.kinds.custom_subresources import with_declared_subresources
from fakekube.kinds.field_labels import DEFAULT_FIELDS, KindFields, custom_fields
from fakekube.kinds.strategy import Strategy
from fakekube.versions import DEFAULT_VERSION, minor_of


def custom_resource_strategy(field_labels: KindFields = DEFAULT_FIELDS, *,
                             schema: Mapping[str, Any] | None = None,
                             kubernetes_version: str = DEFAULT_VERSION) -> Strategy:
    """A custom resource's strategy: generation always counts, names are subdomains, its field labels
    come from the CRD's ``selectableFields``; ``schema`` is the version's ``openAPIV3Schema``, whose CEL
    rules word their failures as ``kubernetes_version`` does."""
    if schema is None or not _has_rules(schema):
        return Strategy(tracks_generation=True, field_labels=field_labels)
    from fakekube.cel.validator import RuleSet  # the CEL engine loads with the first schema that has rules

    rules = RuleSet.for_schema(schema)
    if rules is None:
        return Strategy(tracks_generation=True, field_labels=field_labels)
    shows_values = minor_of(kubernetes_version) >= 35
    return Strategy(tracks_generation=True, field_labels=field_labels,
                    validate=functools.partial(rules.validate, shows_values=shows_values))


def _has_rules(node: Any) -> bool:
    """Whether a schema holds ``x-kubernetes-validations`` anywhere (a cheap walk; most have none)."""
    if isinstance(node, Mapping):
        return "x-kubernetes-validations" in node or any(_has_rules(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_rules(item) for item in node)
    return False


def _selectable(version: Mapping[str, Any]) -> dict[str, str]:
    """``selectableFields`` as field label -> JSON path (``.spec.color`` is selected as ``spec.color``)."""
    out: dict[str, str] = {}
    for entry in version.get("selectableFields") or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("jsonPath"), str):
            path = entry["jsonPath"]
            out[path.lstrip(".")] = path
    return out


def strategy_for_version(spec: Mapping[str, Any], version: Mapping[str, Any],
                         kubernetes_version: str = DEFAULT_VERSION) -> Strategy:
    """The strategy of the CRD version ``version`` (an entry of ``spec.versions``) in a cluster of
    ``kubernetes_version``."""
    namespaced = spec.get("scope") != "Cluster"
    schema = (version.get("schema") or {}).get("openAPIV3Schema")
    base = custom_resource_strategy(custom_fields(_selectable(version), namespaced=namespaced),
                                    schema=schema if isinstance(schema, Mapping) else None,
                                    kubernetes_version=kubernetes_version)
    return with_declared_subresources(base, version)
