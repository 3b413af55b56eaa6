"""A served resource: one object per (group, version, plural) that carries everything the server knows.

Discovery, routing, storage and the write pipeline all read the same ``ResourceInfo``: its names and
scope, verbs and subresources, the table it is stored in and the version it is stored as, the
converter between its versions, its schema validator, and its ``Strategy`` (``fakekube.kinds``).
Built-in resources are built once per process from the generated catalog (immutable, shared by
every cluster); a custom resource gets one built from its CRD, in the cluster that serves it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fakekube import conversion
from fakekube.kinds.strategy import DEFAULT as DEFAULT_STRATEGY
from fakekube.kinds.strategy import Strategy, SubresourceStrategy
from fakekube.schema import Schema, Validator, builtin_schema, custom_schema, validator_for
from fakekube.versions import DEFAULT_VERSION

# The Kubernetes version whose ObjectMeta a custom resource built outside a catalog refers to.
DEFAULT_SCHEMA_VERSION = DEFAULT_VERSION


@dataclass(frozen=True)
class SubresourceInfo:
    name: str
    group: str
    version: str
    kind: str
    verbs: frozenset[str]


@dataclass(frozen=True)
class ResourceInfo:
    """One served resource (group, version, plural): the facts discovery, routing and storage need."""

    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    verbs: frozenset[str]
    list_kind: str | None = None
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    definition: str | None = None
    subresources: tuple[SubresourceInfo, ...] = ()
    # Custom resources carry their own schema (None for built-ins, whose schema is ``definition``).
    schema: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    # The store table and the version objects are stored in (one per group-resource, as kube-apiserver
    # chooses it); empty: the resource's own table and version.
    storage_key: str = field(default="", compare=False)
    storage_version: str = field(default="", compare=False)
    # How the kind behaves (defaults, validation, subresources, deletion, field labels, columns).
    strategy: Strategy = field(default=DEFAULT_STRATEGY, compare=False, repr=False)
    # The Kubernetes version whose schemas describe a built-in resource.
    kubernetes_version: str = field(default="", compare=False)
    # A custom resource whose CRD is being deleted: still served, but creates are refused.
    terminating: bool = field(default=False, compare=False)
    # A deprecated version (a CRD's, or a built-in one past its release's deprecation, ``kinds/lifecycle.py``):
    # the text every request to it carries as a ``Warning`` header.
    deprecation_warning: str = field(default="", compare=False)
    # Objects may be stored in versions other than ``storage_version`` (a CRD whose ``status.storedVersions``
    # lists others): each read converts what it finds.
    mixed_storage: bool = field(default=False, compare=False)
    # A converter chosen by the resource's definition (a CRD's conversion webhook); None: ``converter_for``.
    custom_converter: conversion.Converter | None = field(default=None, compare=False, repr=False)
    # Derived once (read on every request): "apps/v1", and the converter between the resource's versions.
    api_version: str = field(init=False, compare=False)
    converter: conversion.Converter = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        api_version = f"{self.group}/{self.version}" if self.group else self.version
        object.__setattr__(self, "api_version", api_version)
        if not self.storage_key:
            object.__setattr__(self, "storage_key", f"{self.group}/{self.plural}" if self.group else self.plural)
        if not self.storage_version:
            object.__setattr__(self, "storage_version", api_version)
        converter = self.custom_converter or conversion.converter_for(self.group, self.plural)
        object.__setattr__(self, "converter", converter)

    @property
    def group_version(self) -> tuple[str, str]:
        return (self.group, self.version)

    def subresource(self, name: str) -> SubresourceInfo | None:
        for sub in self.subresources:
            if sub.name == name:
                return sub
        return None

    @property
    def has_status(self) -> bool:
        return self.subresource("status") is not None

    @property
    def is_custom(self) -> bool:
        return self.schema is not None

    def subresource_strategy(self, name: str) -> SubresourceStrategy | None:
        """How a write through subresource ``name`` changes the parent (None: not a writable subresource)."""
        return self.strategy.subresource(name, self.has_status)

    @functools.cached_property
    def schema_model(self) -> Schema | None:
        """The resolved schema of the resource's kind: the built-in definition's, or the custom resource's."""
        if self.schema is not None:
            return custom_schema(self.schema, kubernetes_version=self.kubernetes_version or DEFAULT_SCHEMA_VERSION)
        if self.definition is None or not self.kubernetes_version:
            return None
        try:
            return builtin_schema(self.kubernetes_version, self.definition)
        except KeyError:
            return None

    @functools.cached_property
    def validator(self) -> Validator | None:
        """The resource's compiled schema validator (compiled on first use, shared with every cluster
        serving this resource object)."""
        model = self.schema_model
        return validator_for(model) if model is not None else None
