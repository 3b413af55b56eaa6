"""A kopf operator that leaves cleanup to the garbage collector: a new Gadget gets a ConfigMap it owns
(``kopf.adopt``) and no deletion handler, so kopf adds no finalizer and deleting the Gadget lets the
cluster's garbage collector remove the ConfigMap.  Run by ``tests/test_kopf_operator.py``."""

from __future__ import annotations

from typing import Any

import kopf
from kubernetes import client, config


@kopf.on.login()
def login(**kwargs: Any) -> kopf.ConnectionInfo | None:
    return kopf.login_with_kubeconfig(**kwargs)


@kopf.on.create("example.com", "v1", "gadgets")
def make_config_map(name: str, namespace: str, body: kopf.Body, **_: Any) -> None:
    config_map: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"{name}-owned"}}
    kopf.adopt(config_map, owner=body)
    config.load_kube_config()
    with client.ApiClient() as api:
        client.CoreV1Api(api).create_namespaced_config_map(namespace, config_map)
