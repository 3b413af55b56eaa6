"""A small kopf operator for the tests: a new Widget gets a ConfigMap holding its colour (owned by the
Widget), and its status says so; a new colour is copied to the ConfigMap; a deleted Widget (held by
kopf's finalizer until then) takes its ConfigMap with it.  Run by ``tests/test_kopf_operator.py`` with
``kopf.testing.KopfRunner``.

It logs in with the kubeconfig ``KUBECONFIG`` names (the test's cluster) rather than trusting kopf's
auto-detection, and writes the ConfigMap with the official client, as operators usually do."""

from __future__ import annotations

from typing import Any

import kopf
from kubernetes import client, config


@kopf.on.login()
def login(**kwargs: Any) -> kopf.ConnectionInfo | None:
    return kopf.login_with_kubeconfig(**kwargs)


@kopf.on.create("example.com", "v1", "widgets")
def make_config_map(spec: kopf.Spec, name: str, namespace: str, body: kopf.Body, patch: kopf.Patch,
                    **_: Any) -> dict[str, str]:
    data = {"color": str(spec.get("color")), "size": str(spec.get("size"))}
    config_map: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": f"{name}-config"}, "data": data}
    kopf.adopt(config_map, owner=body)
    config.load_kube_config()
    with client.ApiClient() as api:
        client.CoreV1Api(api).create_namespaced_config_map(namespace, config_map)
    patch.status["phase"] = "Configured"
    return {"configMap": f"{name}-config"}


@kopf.on.update("example.com", "v1", "widgets", field="spec.color")
def recolor(new: Any, name: str, namespace: str, patch: kopf.Patch, **_: Any) -> None:
    config.load_kube_config()
    with client.ApiClient() as api:
        client.CoreV1Api(api).patch_namespaced_config_map(f"{name}-config", namespace, {"data": {"color": str(new)}})
    patch.status["phase"] = "Recolored"


@kopf.on.delete("example.com", "v1", "widgets")
def remove_config_map(name: str, namespace: str, **_: Any) -> None:
    """kopf holds the Widget with its finalizer until this ran; the ConfigMap goes here, before the
    garbage collector would take it with its owner."""
    config.load_kube_config()
    with client.ApiClient() as api:
        client.CoreV1Api(api).delete_namespaced_config_map(f"{name}-config", namespace)
