"""A binding's parameters (``policy/generic``'s ``CollectParams``): the objects of the policy's ``paramKind``
its ``paramRef`` names or selects, as kube-apiserver's informer for that kind holds them.

Read from the store at each write, so a parameter created or changed is used at once (kube's informer
follows within moments).  The kind is resolved among the resources the cluster serves (its catalog, custom
resources included), as kube-apiserver's REST mapper resolves it from discovery: a version the release
has but does not serve (``resource.k8s.io/v1beta1`` unless the runtime config turns it on) is not found.
Parameters are shown at the ``paramKind``'s version, converted as a read at that version converts them.

A binding without ``paramRef`` of a policy with a ``paramKind`` is evaluated once with ``params`` null, as
upstream does (``CollectParams``: "Policy ParamKind is set, but binding does not use it").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson

from fakekube import errors
from fakekube.kinds.validation.common import selector_matches
from fakekube.registry.catalog import Catalog
from fakekube.registry.encoding import to_version
from fakekube.storage import Store


class ConfigurationError(Exception):
    """A policy or binding that cannot be used for this request; its text is upstream's error."""


@dataclass(frozen=True)
class ParamSource:
    """Where a ``paramKind``'s objects are stored and how they are shown at its version."""

    table: str
    namespaced: bool
    show: Callable[[dict[str, Any]], dict[str, Any]]


def _gvk_text(api_version: str, kind: str) -> str:
    """Go's ``GroupVersionKind.String()``: ``example.com/v1, Kind=Foo`` (``/v1, Kind=ConfigMap`` for core)."""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={kind}"


def param_source(catalog: Catalog, param_kind: Mapping[str, Any]) -> ParamSource:
    """The source of ``paramKind``'s objects; raises ``ConfigurationError`` when no served resource has it."""
    api_version, kind = str(param_kind.get("apiVersion", "")), str(param_kind.get("kind", ""))
    res = catalog.by_api_version(api_version, kind)
    if res is None:
        raise ConfigurationError(errors.policy_configuration(
            f"failed to find resource referenced by paramKind: '{_gvk_text(api_version, kind)}'"))
    return ParamSource(res.storage_key, res.namespaced, partial(to_version, res))


def collect_params(store: Store, source: ParamSource | None, binding_spec: Mapping[str, Any],
                   namespace: str) -> list[dict[str, Any] | None]:
    """The params to evaluate the policy with, one evaluation each: ``[None]`` when the policy takes none
    (``source`` None) or the binding names none; raises ``ConfigurationError`` (a binding's, already worded)
    when the binding cannot be used, including no params found under ``parameterNotFoundAction: Deny``."""
    ref = binding_spec.get("paramRef")
    if source is None or not isinstance(ref, dict):
        return [None]
    ref_namespace = str(ref.get("namespace") or "")
    params_namespace = ""
    if source.namespaced:
        params_namespace = ref_namespace or namespace
        if not params_namespace:
            raise ConfigurationError(errors.policy_binding_configuration(
                errors.policy_namespaced_params_cluster_request()))
    elif ref_namespace:
        raise ConfigurationError(errors.policy_binding_configuration(
            errors.policy_params_namespace_for_cluster_kind()))
    params: list[dict[str, Any] | None] = []
    if ref.get("name"):
        data = store.get(source.table, (params_namespace, str(ref["name"])))
        if data is not None:
            params.append(source.show(orjson.loads(data)))
    elif isinstance(ref.get("selector"), dict):
        for _, data in store.iter_table(source.table, params_namespace if source.namespaced else None):
            obj = orjson.loads(data)
            if selector_matches(ref["selector"], (obj.get("metadata") or {}).get("labels") or {}):
                params.append(source.show(obj))
    if not params and ref.get("parameterNotFoundAction") == "Deny":
        raise ConfigurationError(errors.policy_binding_configuration(errors.POLICY_PARAMS_NOT_FOUND))
    return params
