"""The garbage collector through ownerReferences: cascading deletion in each policy (kubectl's --cascade,
the official client), chains, cluster-scoped owners, custom resources, and upstream's rules for owners
that are missing, replaced or in another namespace."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api
from crd_helpers import crd, version
from kubernetes import client

from fakekube import FakeCluster

CONTAINERS = [{"name": "c", "image": "nginx"}]
TEMPLATE = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": CONTAINERS}}
SELECTOR = {"matchLabels": {"app": "web"}}


def ref(obj: dict[str, Any], block: bool = True, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
            "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": block, **extra}


def configmap(name: str, namespace: str = "default", **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace, **meta}}


def chain(cluster: FakeCluster, namespace: str = "default", pods: int = 2) -> None:
    """A Deployment owning a ReplicaSet owning pods, as the deployment and replica set controllers make them."""
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": namespace},
                    "spec": {"selector": SELECTOR, "template": TEMPLATE}})
    deployment = cluster.get("Deployment", "web", namespace)
    cluster.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "metadata": {"name": "web-1", "namespace": namespace, "ownerReferences": [ref(deployment)]},
                    "spec": {"selector": SELECTOR, "template": TEMPLATE}})
    replica_set = cluster.get("ReplicaSet", "web-1", namespace)
    for i in range(pods):
        cluster.create({"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": f"web-1-{i}", "namespace": namespace, "labels": {"app": "web"},
                                     "ownerReferences": [ref(replica_set)]},
                        "spec": {"containers": CONTAINERS}})


def names(cluster: FakeCluster, kind: str, namespace: str = "default") -> list[str]:
    return [o["metadata"]["name"] for o in cluster.list(kind, namespace)]


@pytest.mark.parametrize("cascade", ["background", "foreground"])
def test_kubectl_delete_cascades_through_a_deployment_its_replica_set_and_pods(fake_cluster, kubectl, cascade):
    chain(fake_cluster)
    result = kubectl("delete", "deployment", "web", f"--cascade={cascade}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'deployment.apps "web" deleted from default namespace\n'
    fake_cluster.settle()
    assert names(fake_cluster, "ReplicaSet") == [] and names(fake_cluster, "Pod") == []
    assert names(fake_cluster, "Deployment") == []


def test_kubectl_delete_cascade_orphan_keeps_the_dependents_without_their_owner(fake_cluster, kubectl):
    chain(fake_cluster)
    result = kubectl("delete", "deployment", "web", "--cascade=orphan")
    assert result.returncode == 0, result.stderr
    fake_cluster.settle()
    assert names(fake_cluster, "Deployment") == []
    replica_set = fake_cluster.get("ReplicaSet", "web-1")
    assert "ownerReferences" not in replica_set["metadata"]
    # the pods still belong to the replica set, which stays
    assert [p["metadata"]["ownerReferences"][0]["name"] for p in fake_cluster.list("Pod", "default")] == [
        "web-1", "web-1"]


def test_foreground_deletion_keeps_the_owner_until_its_blocking_dependents_are_gone(fake_cluster, api: Api):
    chain(fake_cluster, pods=1)
    fake_cluster.patch("Pod", "web-1-0", {"metadata": {"finalizers": ["example.com/drain"]}})
    status, owner = api.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/web",
                             {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground"})
    assert status == 200
    assert owner["metadata"]["finalizers"] == ["foregroundDeletion"] and owner["metadata"]["deletionTimestamp"]
    fake_cluster.settle()
    # the pod is held by its finalizer, so its replica set (deleted in the foreground too, as it has a
    # dependent) and the deployment wait
    assert fake_cluster.get("Pod", "web-1-0")["metadata"]["deletionTimestamp"]
    assert fake_cluster.get("ReplicaSet", "web-1")["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert fake_cluster.get("Deployment", "web")["metadata"]["finalizers"] == ["foregroundDeletion"]
    fake_cluster.patch("Pod", "web-1-0", {"metadata": {"finalizers": None}})
    fake_cluster.settle()
    assert names(fake_cluster, "Pod") == [] and names(fake_cluster, "ReplicaSet") == []
    assert names(fake_cluster, "Deployment") == []


def test_foreground_does_not_wait_for_dependents_that_do_not_block(fake_cluster: FakeCluster):
    fake_cluster.create(configmap("owner"))
    owner = fake_cluster.get("ConfigMap", "owner")
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "loose", "namespace": "default", "finalizers": ["example.com/x"],
        "ownerReferences": [ref(owner, block=False)]}})
    fake_cluster.delete("ConfigMap", "owner", propagation_policy="Foreground")
    fake_cluster.settle()
    assert names(fake_cluster, "ConfigMap").count("owner") == 0
    assert fake_cluster.get("ConfigMap", "loose")["metadata"]["deletionTimestamp"]


def test_the_official_client_deletes_with_each_propagation_policy(fake_cluster: FakeCluster):
    with client.ApiClient(client.Configuration(host=fake_cluster.url)) as api_client:
        apps = client.AppsV1Api(api_client)
        chain(fake_cluster)
        apps.delete_namespaced_deployment("web", "default", propagation_policy="Orphan")
        fake_cluster.settle()
        assert names(fake_cluster, "ReplicaSet") == ["web-1"] and len(names(fake_cluster, "Pod")) == 2
        apps.delete_namespaced_replica_set("web-1", "default", body=client.V1DeleteOptions(
            propagation_policy="Background"))
        fake_cluster.settle()
        assert names(fake_cluster, "Pod") == []


def test_a_cluster_scoped_owner_collects_namespaced_dependents(fake_cluster: FakeCluster):
    fake_cluster.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                         "metadata": {"name": "owner-role"}, "rules": []})
    role = fake_cluster.get("ClusterRole", "owner-role")
    for ns in ("default", "kube-public"):
        fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "owned", "namespace": ns, "ownerReferences": [ref(role)]}})
    fake_cluster.delete("ClusterRole", "owner-role")
    fake_cluster.settle()
    assert "owned" not in names(fake_cluster, "ConfigMap", "default")
    assert "owned" not in names(fake_cluster, "ConfigMap", "kube-public")


def test_custom_resources_own_and_are_owned(fake_cluster: FakeCluster):
    fake_cluster.apply(crd("gadgets", "Gadget", version(schema={"type": "object",
                                                                "x-kubernetes-preserve-unknown-fields": True})))
    fake_cluster.settle()
    fake_cluster.create({"apiVersion": "example.com/v1", "kind": "Gadget",
                         "metadata": {"name": "g", "namespace": "default"}})
    gadget = fake_cluster.get("Gadget", "g")
    fake_cluster.create({"apiVersion": "example.com/v1", "kind": "Gadget",
                         "metadata": {"name": "child", "namespace": "default", "ownerReferences": [ref(gadget)]}})
    fake_cluster.create({"apiVersion": "v1", "kind": "Secret",
                         "metadata": {"name": "grandchild", "namespace": "default",
                                      "ownerReferences": [ref(fake_cluster.get("Gadget", "child"))]}})
    fake_cluster.delete("Gadget", "g")
    fake_cluster.settle()
    assert names(fake_cluster, "Gadget") == []
    assert "grandchild" not in names(fake_cluster, "Secret")


def test_a_dependent_whose_owner_never_existed_or_was_replaced_is_collected(fake_cluster: FakeCluster):
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "real", "namespace": "default"}})
    real = fake_cluster.get("ConfigMap", "real")
    missing = {"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost", "uid": "00000000-0000-0000-0000-000000000001"}
    replaced = dict(ref(real), uid="00000000-0000-0000-0000-000000000002")
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": "orphan-of-ghost", "namespace": "default", "ownerReferences": [missing]}})
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": "wrong-uid", "namespace": "default", "ownerReferences": [replaced]}})
    fake_cluster.settle()
    assert names(fake_cluster, "ConfigMap").count("orphan-of-ghost") == 0
    assert names(fake_cluster, "ConfigMap").count("wrong-uid") == 0
    assert "real" in names(fake_cluster, "ConfigMap")


def test_a_dependent_with_a_live_owner_only_loses_its_dangling_reference(fake_cluster: FakeCluster):
    fake_cluster.create(configmap("alive"))
    alive = ref(fake_cluster.get("ConfigMap", "alive"))
    ghost = {"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost", "uid": "00000000-0000-0000-0000-000000000003"}
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": "two-owners", "namespace": "default", "ownerReferences": [alive, ghost]}})
    fake_cluster.settle()
    assert fake_cluster.get("ConfigMap", "two-owners")["metadata"]["ownerReferences"] == [alive]


def test_an_owner_in_another_namespace_is_reported_and_the_dependent_collected(fake_cluster: FakeCluster, api: Api):
    fake_cluster.create(configmap("boss", "kube-public"))
    boss = fake_cluster.get("ConfigMap", "boss", "kube-public")
    fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": "astray", "namespace": "default", "ownerReferences": [ref(boss)]}})
    fake_cluster.settle()
    assert "astray" not in names(fake_cluster, "ConfigMap")
    status, events = api.json("GET", "/api/v1/namespaces/default/events"
                                     "?fieldSelector=reason%3DOwnerRefInvalidNamespace")
    assert status == 200 and len(events["items"]) == 1
    event = events["items"][0]
    assert event["type"] == "Warning" and event["source"] == {"component": "garbage-collector-controller"}
    assert event["involvedObject"]["name"] == "astray" and event["involvedObject"]["kind"] == "ConfigMap"
    assert event["message"] == (f"ownerRef [v1/ConfigMap, namespace: default, name: boss, uid: "
                                f"{boss['metadata']['uid']}] does not exist in namespace \"default\"")


def test_a_cluster_scoped_dependent_naming_a_namespaced_owner_kind_is_left_alone(fake_cluster: FakeCluster):
    fake_cluster.create(configmap("ns-owner"))
    fake_cluster.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                         "metadata": {"name": "odd-child",
                                      "ownerReferences": [ref(fake_cluster.get("ConfigMap", "ns-owner"))]},
                         "rules": []})
    fake_cluster.delete("ConfigMap", "ns-owner")
    fake_cluster.settle()
    assert fake_cluster.get("ClusterRole", "odd-child")["metadata"]["ownerReferences"][0]["name"] == "ns-owner"


def test_the_store_indexes_dependents_by_owner_uid(fake_cluster: FakeCluster):
    chain(fake_cluster, pods=3)
    replica_set = fake_cluster.get("ReplicaSet", "web-1")
    dependents = fake_cluster.call(lambda: fake_cluster.store.dependents(replica_set["metadata"]["uid"]))
    assert sorted(key for _, key in dependents) == [("default", f"web-1-{i}") for i in range(3)]
    fake_cluster.patch("Pod", "web-1-0", {"metadata": {"ownerReferences": None}})
    dependents = fake_cluster.call(lambda: fake_cluster.store.dependents(replica_set["metadata"]["uid"]))
    assert sorted(key for _, key in dependents) == [("default", f"web-1-{i}") for i in (1, 2)]


@pytest.mark.parametrize("release", [{"ownerReferences": None}, "unblock"])
def test_a_foreground_owner_goes_once_its_blocking_dependent_lets_go(fake_cluster: FakeCluster, release: Any):
    fake_cluster.create(configmap("boss"))
    boss = fake_cluster.get("ConfigMap", "boss")
    fake_cluster.create(configmap("held", finalizers=["example.com/x"], ownerReferences=[ref(boss)]))
    fake_cluster.delete("ConfigMap", "boss", propagation_policy="Foreground")
    fake_cluster.settle()
    assert fake_cluster.get("ConfigMap", "boss")["metadata"]["finalizers"] == ["foregroundDeletion"]
    meta = release if release != "unblock" else {"ownerReferences": [ref(boss, block=False)]}
    fake_cluster.patch("ConfigMap", "held", {"metadata": meta})
    fake_cluster.settle()
    assert "boss" not in names(fake_cluster, "ConfigMap")
    assert fake_cluster.get("ConfigMap", "held")["metadata"]["deletionTimestamp"]  # its own finalizer holds it


def test_owners_in_other_namespaces_on_a_clock_that_stands_still(fake_cluster_factory: Any):
    from fakekube.clock import FakeClock

    cluster: FakeCluster = fake_cluster_factory(clock=FakeClock(1_800_000_000.0))
    cluster.create([configmap("a", "kube-public"), configmap("b", "kube-public")])
    owners = [ref(cluster.get("ConfigMap", name, "kube-public"), controller=name == "a") for name in ("a", "b")]
    cluster.create(configmap("astray", ownerReferences=owners))
    cluster.settle()
    assert "astray" not in names(cluster, "ConfigMap")
    events = [e for e in cluster.list("Event", "default") if e["reason"] == "OwnerRefInvalidNamespace"]
    assert sorted(e["message"].split(", name: ")[1].split(",")[0] for e in events) == ["a", "b"]


def test_two_objects_that_own_each_other_both_go_in_the_foreground(fake_cluster: FakeCluster):
    fake_cluster.create([configmap("ma"), configmap("mb")])
    ma, mb = fake_cluster.get("ConfigMap", "ma"), fake_cluster.get("ConfigMap", "mb")
    fake_cluster.patch("ConfigMap", "ma", {"metadata": {"ownerReferences": [ref(mb)]}})
    fake_cluster.patch("ConfigMap", "mb", {"metadata": {"ownerReferences": [ref(ma)]}})
    fake_cluster.delete("ConfigMap", "ma", propagation_policy="Foreground")
    fake_cluster.settle()
    assert not {"ma", "mb"} & set(names(fake_cluster, "ConfigMap"))


def test_a_refused_delete_is_logged_and_the_collector_goes_on(fake_cluster: FakeCluster, caplog):
    fake_cluster.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                         "metadata": {"name": "owner-cr"}, "rules": []})
    role = ref(fake_cluster.get("ClusterRole", "owner-cr"), controller=False)
    fake_cluster.patch("Namespace", "default", {"metadata": {"ownerReferences": [role]}})
    fake_cluster.create(configmap("also-owned", ownerReferences=[role]))
    fake_cluster.delete("ClusterRole", "owner-cr")
    fake_cluster.settle()
    assert "also-owned" not in names(fake_cluster, "ConfigMap")
    assert fake_cluster.get("Namespace", "default")["status"]["phase"] == "Active"  # NamespaceLifecycle's 403
    assert 'namespaces "default" is forbidden: this namespace may not be deleted' in caplog.text
