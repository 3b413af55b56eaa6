"""Generated documents for ``check_bench.py``: common kinds, valid, and a share of them broken in ways a schema
sees or only the server does (deterministic for a seed), so that both tools get the same mix.

Why apart: what the benchmark feeds the tools is one job, timing and comparing them another.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any


def _pod_spec(name: str) -> dict[str, Any]:
    return {"containers": [{"name": "app", "image": f"registry.example/{name}:1.0", "ports": [{"containerPort": 8080}],
                            "env": [{"name": "MODE", "value": "prod"}],
                            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}]}


def _template(name: str) -> dict[str, Any]:
    return {"metadata": {"labels": {"app": name}}, "spec": _pod_spec(name)}


def _valid(kind: str, name: str) -> dict[str, Any]:
    """A valid object of ``kind`` named ``name`` in ``default``."""
    meta = {"name": name, "namespace": "default", "labels": {"app": name}}
    select = {"matchLabels": {"app": name}}
    specs: dict[str, tuple[str, dict[str, Any]]] = {
        "ConfigMap": ("v1", {"data": {"mode": "prod", "level": "3"}}),
        "Secret": ("v1", {"stringData": {"token": "s3cret"}}),
        "ServiceAccount": ("v1", {}),
        "Pod": ("v1", {"spec": _pod_spec(name)}),
        "Service": ("v1", {"spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}}),
        "PersistentVolumeClaim": ("v1", {"spec": {"accessModes": ["ReadWriteOnce"],
                                                  "resources": {"requests": {"storage": "1Gi"}}}}),
        "Deployment": ("apps/v1", {"spec": {"replicas": 2, "selector": select, "template": _template(name)}}),
        "StatefulSet": ("apps/v1", {"spec": {"serviceName": name, "selector": select, "template": _template(name)}}),
        "DaemonSet": ("apps/v1", {"spec": {"selector": select, "template": _template(name)}}),
        "Job": ("batch/v1", {"spec": {"template": {"spec": {**_pod_spec(name), "restartPolicy": "Never"}}}}),
        "CronJob": ("batch/v1", {"spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {
            "spec": {**_pod_spec(name), "restartPolicy": "OnFailure"}}}}}}),
        "Ingress": ("networking.k8s.io/v1", {"spec": {"rules": [{"host": f"{name}.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": name, "port": {"number": 80}}}}]}}]}}),
        "NetworkPolicy": ("networking.k8s.io/v1", {"spec": {"podSelector": select, "policyTypes": ["Ingress"]}}),
        "Role": ("rbac.authorization.k8s.io/v1", {"rules": [{"apiGroups": [""], "resources": ["pods"],
                                                            "verbs": ["get", "list"]}]}),
        "HorizontalPodAutoscaler": ("autoscaling/v2", {"spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": 1, "maxReplicas": 5}}),
        "PodDisruptionBudget": ("policy/v1", {"spec": {"minAvailable": 1, "selector": select}}),
    }
    api_version, rest = specs[kind]
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, **rest}


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The containers of a workload's pod spec (a Pod's, a template's, a CronJob's job template's)."""
    spec = doc["spec"]
    if "jobTemplate" in spec:
        spec = spec["jobTemplate"]["spec"]
    pod = spec if "containers" in spec else spec["template"]["spec"]
    containers: list[dict[str, Any]] = pod["containers"]
    return containers


_KINDS = ("ConfigMap", "Secret", "ServiceAccount", "Pod", "Service", "PersistentVolumeClaim", "Deployment",
          "StatefulSet", "DaemonSet", "Job", "CronJob", "Ingress", "NetworkPolicy", "Role", "HorizontalPodAutoscaler",
          "PodDisruptionBudget")
_WORKLOADS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
# name: (kinds it applies to, how it breaks the document)
_BREAKAGES: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], None]]] = {
    "selector-mismatch": (("Deployment", "StatefulSet", "DaemonSet"),
                          lambda d: d["spec"]["template"]["metadata"].update(labels={"app": "other"})),
    "bad-label-value": (("ConfigMap", "Secret", "Service", "Deployment"),
                        lambda d: d["metadata"]["labels"].update(app="not a label value!")),
    "bad-name": (("ConfigMap", "ServiceAccount", "Role"), lambda d: d["metadata"].update(name="Bad_Name")),
    "unknown-field": (("ConfigMap", "Service", "Deployment", "Pod"), lambda d: d.update(specc={"x": 1})),
    "wrong-type": (("Deployment", "StatefulSet"), lambda d: d["spec"].update(replicas="two")),
    "missing-image": (_WORKLOADS, lambda d: _containers(d)[0].pop("image")),
    "duplicate-port": (("Pod", "Deployment"), lambda d: _containers(d)[0]["ports"].append({"containerPort": 8080})),
    "bad-quantity": (_WORKLOADS, lambda d: _containers(d)[0]["resources"]["limits"].update(cpu="lots")),
    "port-out-of-range": (("Service",), lambda d: d["spec"]["ports"][0].update(port=70000)),
    "bad-cron": (("CronJob",), lambda d: d["spec"].update(schedule="61 * * * *")),
    "negative-replicas": (("Deployment",), lambda d: d["spec"].update(replicas=-1)),
    "bad-restart-policy": (("Deployment",), lambda d: d["spec"]["template"]["spec"].update(restartPolicy="Never")),
    "bad-pvc-mode": (("PersistentVolumeClaim",), lambda d: d["spec"].update(accessModes=["ReadWriteSometimes"])),
    "min-above-max": (("HorizontalPodAutoscaler",), lambda d: d["spec"].update(minReplicas=9)),
    "removed-api": (("Ingress",), lambda d: d.update(apiVersion="extensions/v1beta1")),
    "data-not-string": (("ConfigMap",), lambda d: d["data"].update(level=3)),
}


def generated(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """``count`` documents of common kinds, a third of them broken in one way each (deterministic for ``rng``)."""
    docs = []
    for i in range(count):
        kind = rng.choice(_KINDS)
        doc = _valid(kind, f"{kind.lower()}-{i}")
        if rng.random() < 1 / 3:
            breakages = [fn for kinds_of, fn in _BREAKAGES.values() if kind in kinds_of]
            if breakages:
                rng.choice(breakages)(doc)
        docs.append(doc)
    return docs
