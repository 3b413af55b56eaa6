"""CustomResourceDefinition manifests and custom resources for the tests, built in one place so that each
test spells out only what it is about: the names, the schema, the subresources, the versions."""

from __future__ import annotations

from typing import Any

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
OPEN: dict[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}


def version(name: str = "v1", schema: dict[str, Any] | None = None, *, served: bool = True, storage: bool = True,
            **extra: Any) -> dict[str, Any]:
    """One entry of ``spec.versions``: ``schema`` (the openAPIV3Schema, an open object by default) and whatever
    else the version carries (``subresources``, ``additionalPrinterColumns``, ``deprecated``...)."""
    return {"name": name, "served": served, "storage": storage,
            "schema": {"openAPIV3Schema": {**OPEN} if schema is None else schema}, **extra}


def crd(plural: str, kind: str, *versions: dict[str, Any], group: str = "example.com", scope: str = "Namespaced",
        conversion: dict[str, Any] | None = None, **names: Any) -> dict[str, Any]:
    """A CRD named ``<plural>.<group>`` serving ``versions`` (see ``version``); ``names`` adds ``singular``,
    ``shortNames``, ``categories``... to ``spec.names``."""
    spec: dict[str, Any] = {"group": group, "scope": scope, "names": {"plural": plural, "kind": kind, **names},
                            "versions": list(versions)}
    if conversion is not None:
        spec["conversion"] = conversion
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"}, "spec": spec}


def widget(name: str, **spec: Any) -> dict[str, Any]:
    """An ``example.com/v1`` Widget (namespace left to the request) with ``spec``."""
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name}, "spec": spec}
