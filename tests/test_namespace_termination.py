"""Namespace termination as kube-controller-manager runs it: contents deleted with their finalizers
honoured, the deletion conditions on the namespace, ``/finalize``, and kubectl waiting for it all."""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Any

from conftest import Api, run_kubectl

from fakekube import FakeCluster
from fakekube.clock import FakeClock


def conditions(namespace: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(c["type"], c["status"], c["reason"], c["message"]) for c in namespace["status"].get("conditions", [])]


OK = [
    ("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
    ("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
     "All legacy kube types successfully parsed"),
    ("NamespaceDeletionContentFailure", "False", "ContentDeleted",
     "All content successfully deleted, may be waiting on finalization"),
]


def test_content_held_by_finalizers_shows_in_the_conditions_until_it_goes(fake_cluster: FakeCluster, api: Api):
    api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "held"}})
    for name in ("a", "b"):
        api.json("POST", "/api/v1/namespaces/held/configmaps",
                 {"metadata": {"name": name, "finalizers": ["example.com/slow"]}})
    api.json("POST", "/api/v1/namespaces/held/secrets", {"metadata": {"name": "s", "finalizers": ["example.com/s"]}})
    status, _ = api.json("DELETE", "/api/v1/namespaces/held")
    assert status == 200
    fake_cluster.settle()
    status, namespace = api.json("GET", "/api/v1/namespaces/held")
    assert status == 200 and namespace["status"]["phase"] == "Terminating"
    assert conditions(namespace) == [*OK, (
        "NamespaceContentRemaining", "True", "SomeResourcesRemain",
        "Some resources are remaining: configmaps. has 2 resource instances, secrets. has 1 resource instances"), (
        "NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
        "Some content in the namespace has finalizers remaining: example.com/s in 1 resource instances, "
        "example.com/slow in 2 resource instances")]
    # what stays is being deleted, and readable
    status, left = api.json("GET", "/api/v1/namespaces/held/configmaps/a")
    assert status == 200 and left["metadata"]["deletionTimestamp"]
    for path in ("configmaps/a", "configmaps/b", "secrets/s"):
        api.json("PATCH", f"/api/v1/namespaces/held/{path}", {"metadata": {"finalizers": None}},
                 {"Content-Type": "application/merge-patch+json"})
    fake_cluster.settle()
    assert api.json("GET", "/api/v1/namespaces/held")[0] == 404


def test_a_namespace_with_a_running_pod_goes_after_the_pod_grace_period(fake_cluster_factory: Any):
    clock = FakeClock(1_800_000_000.0)
    cluster: FakeCluster = fake_cluster_factory(clock=clock)
    cluster.create([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}},
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "apps"},
                     "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "nginx"}],
                              "terminationGracePeriodSeconds": 20}}])
    cluster.delete("Namespace", "apps")
    cluster.settle()
    assert cluster.get("Pod", "p", "apps")["metadata"]["deletionGracePeriodSeconds"] == 20
    assert conditions(cluster.get("Namespace", "apps"))[3] == (
        "NamespaceContentRemaining", "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 1 "
        "resource instances")
    clock.advance(20)
    cluster.settle()
    assert [n["metadata"]["name"] for n in cluster.list("Namespace")].count("apps") == 0


def test_kubectl_delete_namespace_returns_once_it_is_gone(fake_cluster: FakeCluster, kubectl):
    fake_cluster.create([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}},
                         {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "team"},
                          "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {
                              "metadata": {"labels": {"a": "b"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}])
    result = kubectl("delete", "namespace", "team")
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'namespace "team" deleted\n'
    result = kubectl("get", "namespace", "team")
    assert result.returncode == 1
    assert result.stderr == 'Error from server (NotFound): namespaces "team" not found\n'


def test_kubectl_wait_for_delete_returns_when_a_finalizer_is_released(fake_cluster: FakeCluster, kubectl):
    fake_cluster.create([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "slow"}},
                         {"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "c", "namespace": "slow", "finalizers": ["example.com/x"]}}])
    assert kubectl("delete", "namespace", "slow", "--wait=false").returncode == 0
    waited: list[subprocess.CompletedProcess[str]] = []
    waiter = threading.Thread(target=lambda: waited.append(run_kubectl(
        fake_cluster.kubeconfig_path, "wait", "--for=delete", "namespace/slow", "--timeout=30s")))
    waiter.start()
    fake_cluster.settle()
    assert fake_cluster.get("Namespace", "slow")["status"]["phase"] == "Terminating"
    time.sleep(2)  # kubectl is watching by now (a namespace already gone would be waited for silently)
    fake_cluster.patch("ConfigMap", "c", {"metadata": {"finalizers": None}}, namespace="slow")
    waiter.join(40)
    assert waited and waited[0].returncode == 0, waited and waited[0].stderr
    assert waited[0].stdout == "namespace/slow condition met\n"
