"""Deletion as kube-apiserver does it: finalizers, DeleteOptions (policies, preconditions, grace periods),
each kind's default policy, and graceful deletion of pods on the cluster's clock."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from conftest import Api
from kubernetes import client

from fakekube import FakeCluster
from fakekube.clock import FakeClock, parse_rfc3339, rfc3339

CONTAINERS = [{"name": "c", "image": "nginx"}]


def pod(name: str, node: str = "", **meta: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": CONTAINERS}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, **meta}, "spec": spec}


def owner_ref(obj: dict[str, Any], block: bool = True) -> dict[str, Any]:
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
            "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": block}


def watch(url: str, path: str, since: str) -> list[tuple[str, dict[str, Any]]]:
    api = Api(url)
    _, _, data = api.request("GET", f"{path}?watch=1&resourceVersion={since}&timeoutSeconds=1")
    events = [json.loads(line) for line in data.splitlines() if line.strip()]
    return [(e["type"], e["object"]) for e in events]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_800_000_000.0)


@pytest.fixture
def clocked(fake_cluster_factory: Any, clock: FakeClock) -> FakeCluster:
    cluster: FakeCluster = fake_cluster_factory(clock=clock)
    return cluster


# --- finalizers -------------------------------------------------------------------------------------


def test_a_delete_marks_an_object_with_finalizers_and_its_last_finalizer_removes_it(api: Api, fake_cluster):
    status, created = api.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "metadata": {"name": "held", "finalizers": ["example.com/hold"]},
        "spec": {"selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": CONTAINERS}}}})
    assert status == 201 and created["metadata"]["generation"] == 1
    since = created["metadata"]["resourceVersion"]
    status, marked = api.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/held")
    meta = marked["metadata"]
    assert status == 200 and marked["kind"] == "Deployment"
    assert meta["deletionGracePeriodSeconds"] == 0 and meta["deletionTimestamp"]
    assert meta["generation"] == 2  # markAsDeleting counts the first mark as a change
    # deleting again changes nothing: the same object, the same timestamp, no write
    status, again = api.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/held",
                             {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 5})
    assert status == 200 and again["metadata"] == meta
    # a new finalizer cannot be added any more; the object stays updatable otherwise
    status, refused = api.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/held",
                               {"metadata": {"finalizers": ["example.com/hold", "example.com/more"]}},
                               {"Content-Type": "application/merge-patch+json"})
    assert (status, refused["reason"]) == (422, "Invalid")
    assert refused["details"]["causes"] == [{
        "reason": "FieldValueForbidden", "field": "metadata.finalizers",
        "message": 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers '
                   '[]string{"example.com/more"}'}]
    status, _ = api.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/held",
                         {"metadata": {"finalizers": None}}, {"Content-Type": "application/merge-patch+json"})
    assert status == 200
    assert api.json("GET", "/apis/apps/v1/namespaces/default/deployments/held")[0] == 404
    events = watch(fake_cluster.url, "/apis/apps/v1/namespaces/default/deployments", since)
    # the DELETED event carries the last stored state (the update that emptied the finalizers is never stored)
    assert [(t, o["metadata"].get("finalizers")) for t, o in events] == [
        ("MODIFIED", ["example.com/hold"]), ("DELETED", ["example.com/hold"])]


def test_preconditions_that_do_not_match_are_conflicts_and_delete_nothing(api: Api):
    _, cm = api.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "pre"}})
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/pre",
                            {"preconditions": {"uid": "not-the-uid"}})
    assert (status, body["reason"]) == (409, "Conflict")
    # rest.BeforeDelete's early check, which names the kind
    assert body["message"] == ('Operation cannot be fulfilled on ConfigMap "pre": the UID in the precondition '
                               f'(not-the-uid) does not match the UID in record ({cm["metadata"]["uid"]}). The object '
                               "might have been deleted and then recreated")
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/pre",
                            {"preconditions": {"resourceVersion": "1"}})
    assert (status, body["reason"]) == (409, "Conflict")
    assert api.json("GET", "/api/v1/namespaces/default/configmaps/pre")[0] == 200
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/pre",
                            {"preconditions": {"uid": cm["metadata"]["uid"],
                                               "resourceVersion": cm["metadata"]["resourceVersion"]}})
    assert status == 200 and body["status"] == "Success"


def test_bad_delete_options_are_refused_with_upstream_messages(api: Api):
    api.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "opts"}})
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/opts",
                            {"propagationPolicy": "Sideways"})
    assert status == 422
    assert body["details"]["causes"][0]["field"] == "propagationPolicy"
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/opts",
                            {"propagationPolicy": "Orphan", "orphanDependents": True})
    assert status == 422
    assert body["message"] == ('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": '
                               "orphanDependents and deletionPropagation cannot be both set")
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/opts?gracePeriodSeconds=soon")
    # the parameter codec's own error, as it is (kube names no parameter)
    assert (status, body["message"]) == (400, 'strconv.ParseInt: parsing "soon": invalid syntax')
    assert api.json("GET", "/api/v1/namespaces/default/configmaps/opts")[0] == 200


def test_a_second_delete_of_an_object_held_by_finalizers_may_change_the_collectors_finalizers(api: Api):
    api.json("POST", "/api/v1/namespaces/default/configmaps",
             {"metadata": {"name": "held", "finalizers": ["example.com/x"]}})
    _, first = api.json("DELETE", "/api/v1/namespaces/default/configmaps/held")
    status, second = api.json("DELETE", "/api/v1/namespaces/default/configmaps/held", {"propagationPolicy": "Orphan"})
    assert status == 200
    assert second["metadata"]["finalizers"] == ["example.com/x", "orphan"]
    assert second["metadata"]["deletionTimestamp"] == first["metadata"]["deletionTimestamp"]
    # the garbage collector orphans the (no) dependents and lets go of its finalizer; the object's own stays
    _, after = api.json("GET", "/api/v1/namespaces/default/configmaps/held")
    assert after["metadata"]["finalizers"] == ["example.com/x"]


def test_orphan_dependents_false_on_an_object_that_stays_is_202_accepted(api: Api):
    api.json("POST", "/api/v1/namespaces/default/configmaps",
             {"metadata": {"name": "slow", "finalizers": ["example.com/x"]}})
    status, body = api.json("DELETE", "/api/v1/namespaces/default/configmaps/slow", {"orphanDependents": False})
    assert status == 202 and body["metadata"]["deletionTimestamp"]


# --- each kind's default policy --------------------------------------------------------------------


def test_a_job_deleted_without_a_policy_keeps_its_pods_and_warns(fake_cluster: FakeCluster, api: Api):
    fake_cluster.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once", "namespace": "default"},
                         "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": CONTAINERS}}}})
    job = fake_cluster.get("Job", "once")
    fake_cluster.create(pod("once-x", namespace="default", ownerReferences=[owner_ref(job)]))
    status, headers, _ = api.request("DELETE", "/apis/batch/v1/namespaces/default/jobs/once")
    assert status == 200
    assert headers["warning"] == [
        '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove '
        'them or set propagationPolicy=Orphan to suppress this warning"']
    fake_cluster.settle()
    kept = fake_cluster.get("Pod", "once-x")
    assert "ownerReferences" not in kept["metadata"]
    assert api.json("GET", "/apis/batch/v1/namespaces/default/jobs/once")[0] == 404


def test_kubectl_deletes_a_job_with_its_pods_as_it_asks_for_background(fake_cluster: FakeCluster, kubectl):
    fake_cluster.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "namespace": "default"},
                         "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": CONTAINERS}}}})
    fake_cluster.create(pod("j-x", namespace="default", ownerReferences=[owner_ref(fake_cluster.get("Job", "j"))]))
    result = kubectl("delete", "job", "j")
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'job.batch "j" deleted from default namespace\n' and result.stderr == ""
    fake_cluster.settle()
    assert fake_cluster.list("Pod", "default") == []


def test_a_replication_controller_v1_orphans_by_default(fake_cluster: FakeCluster):
    fake_cluster.create({"apiVersion": "v1", "kind": "ReplicationController",
                         "metadata": {"name": "rc", "namespace": "default"},
                         "spec": {"selector": {"a": "b"}, "template": {"metadata": {"labels": {"a": "b"}},
                                                                      "spec": {"containers": CONTAINERS}}}})
    fake_cluster.create(pod("rc-x", namespace="default",
                            ownerReferences=[owner_ref(fake_cluster.get("ReplicationController", "rc"))]))
    fake_cluster.delete("ReplicationController", "rc")
    fake_cluster.settle()
    assert "ownerReferences" not in fake_cluster.get("Pod", "rc-x")["metadata"]


# --- graceful deletion of pods ---------------------------------------------------------------------


def test_a_scheduled_pod_stays_for_its_grace_period_on_the_cluster_clock(clocked: FakeCluster, clock: FakeClock):
    api = Api(clocked.url)
    status, created = api.json("POST", "/api/v1/namespaces/default/pods", pod("web", node="node-1"))
    assert status == 201
    since = created["metadata"]["resourceVersion"]
    status, marked = api.json("DELETE", "/api/v1/namespaces/default/pods/web")
    assert status == 200
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30
    assert marked["metadata"]["deletionTimestamp"] == rfc3339(clock() + 30)
    assert marked["metadata"]["generation"] == 2
    clock.advance(29)
    clocked.settle()
    assert api.json("GET", "/api/v1/namespaces/default/pods/web")[0] == 200
    # a longer grace period changes nothing; a shorter one moves the deadline earlier
    status, longer = api.json("DELETE", "/api/v1/namespaces/default/pods/web", {"gracePeriodSeconds": 60})
    assert longer["metadata"]["deletionGracePeriodSeconds"] == 30
    status, shorter = api.json("DELETE", "/api/v1/namespaces/default/pods/web", {"gracePeriodSeconds": 20})
    assert shorter["metadata"]["deletionGracePeriodSeconds"] == 20
    assert shorter["metadata"]["deletionTimestamp"] == rfc3339(clock() - 29 + 20)
    clocked.settle()  # 20 s after the first delete passed already
    assert api.json("GET", "/api/v1/namespaces/default/pods/web")[0] == 404
    clocked.settle()
    assert api.json("GET", "/api/v1/namespaces/default/pods/web")[0] == 404
    events = watch(clocked.url, "/api/v1/namespaces/default/pods", since)
    assert [(t, o["metadata"].get("deletionGracePeriodSeconds")) for t, o in events] == [
        ("MODIFIED", 30), ("MODIFIED", 20), ("MODIFIED", 0), ("DELETED", 0)]


def test_a_pod_no_node_runs_goes_at_once_with_a_mark_first(api: Api, fake_cluster: FakeCluster):
    _, created = api.json("POST", "/api/v1/namespaces/default/pods", pod("pending"))
    status, body = api.json("DELETE", "/api/v1/namespaces/default/pods/pending")
    assert status == 200 and body["kind"] == "Pod"
    assert body["metadata"]["deletionGracePeriodSeconds"] == 0
    assert api.json("GET", "/api/v1/namespaces/default/pods/pending")[0] == 404
    events = watch(fake_cluster.url, "/api/v1/namespaces/default/pods", created["metadata"]["resourceVersion"])
    assert [t for t, _ in events] == ["MODIFIED", "DELETED"]


def test_grace_period_zero_a_finished_pod_and_a_negative_period(clocked: FakeCluster, clock: FakeClock):
    api = Api(clocked.url)
    api.json("POST", "/api/v1/namespaces/default/pods", pod("now", node="n"))
    status, _ = api.json("DELETE", "/api/v1/namespaces/default/pods/now?gracePeriodSeconds=0")
    assert status == 200 and api.json("GET", "/api/v1/namespaces/default/pods/now")[0] == 404
    api.json("POST", "/api/v1/namespaces/default/pods", pod("done", node="n"))
    clocked.set_status("Pod", "done", {"phase": "Succeeded"})
    api.json("DELETE", "/api/v1/namespaces/default/pods/done")
    assert api.json("GET", "/api/v1/namespaces/default/pods/done")[0] == 404
    api.json("POST", "/api/v1/namespaces/default/pods", pod("negative", node="n"))
    _, marked = api.json("DELETE", "/api/v1/namespaces/default/pods/negative?gracePeriodSeconds=-5")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 1


def test_a_pod_with_finalizers_stays_after_its_grace_period_until_they_go(clocked: FakeCluster, clock: FakeClock):
    clocked.create(pod("kept", node="n", namespace="default", finalizers=["example.com/keep"]))
    clocked.delete("Pod", "kept", grace_period_seconds=10)
    clock.advance(10)
    clocked.settle()
    meta = clocked.get("Pod", "kept")["metadata"]
    assert meta["deletionGracePeriodSeconds"] == 0 and meta["finalizers"] == ["example.com/keep"]
    clocked.patch("Pod", "kept", {"metadata": {"finalizers": None}})
    assert clocked.list("Pod", "default") == []


def test_kubectl_waits_for_a_graceful_delete_that_the_real_clock_completes(fake_cluster: FakeCluster, kubectl):
    fake_cluster.create(pod("short", node="n", namespace="default"))
    started = time.monotonic()
    result = kubectl("delete", "pod", "short", "--grace-period=1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'pod "short" deleted from default namespace\n'
    assert time.monotonic() - started >= 0.5  # it waited for the pod to go
    assert fake_cluster.list("Pod", "default") == []


def test_kubectl_force_delete_removes_a_pod_at_once(fake_cluster: FakeCluster, kubectl):
    fake_cluster.create(pod("stuck", node="n", namespace="default"))
    result = kubectl("delete", "pod", "stuck", "--grace-period=0", "--force")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("Warning: Immediate deletion does not wait for confirmation that the running resource "
                             "has been terminated. The resource may continue to run on the cluster indefinitely.\n")
    assert fake_cluster.list("Pod", "default") == []


def test_the_official_client_deletes_a_pod_gracefully(fake_cluster: FakeCluster, clock: FakeClock):
    fake_cluster.create(pod("py", node="n", namespace="default"))
    with client.ApiClient(client.Configuration(host=fake_cluster.url)) as api_client:
        core = client.CoreV1Api(api_client)
        answer = core.delete_namespaced_pod("py", "default", grace_period_seconds=45)
        assert answer.metadata.deletion_grace_period_seconds == 45
        stamp = parse_rfc3339(fake_cluster.get("Pod", "py")["metadata"]["deletionTimestamp"])
        assert stamp is not None and 40 <= stamp - time.time() <= 46
        answer = core.delete_namespaced_pod("py", "default", grace_period_seconds=0)
        assert answer.metadata.deletion_grace_period_seconds == 0
    assert fake_cluster.list("Pod", "default") == []


def test_a_plain_client_loop_releases_its_finalizer_and_the_object_goes(fake_cluster: FakeCluster):
    """What a hand-written operator does: add its finalizer, watch, clean up when deletion starts, release."""
    from kubernetes import watch

    finalizer = "example.com/cleanup"
    seen: list[tuple[str, bool]] = []
    with client.ApiClient(client.Configuration(host=fake_cluster.url)) as api_client:
        core = client.CoreV1Api(api_client)
        core.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="job")))
        core.patch_namespaced_config_map("job", "default", {"metadata": {"finalizers": [finalizer]}})
        start = core.read_namespaced_config_map("job", "default").metadata.resource_version
        core.delete_namespaced_config_map("job", "default")
        stream = watch.Watch().stream(core.list_namespaced_config_map, "default", resource_version=start,
                                      field_selector="metadata.name=job", timeout_seconds=10)
        for event in stream:
            obj = event["object"]
            seen.append((event["type"], obj.metadata.deletion_timestamp is not None))
            if event["type"] == "DELETED":
                break
            if obj.metadata.deletion_timestamp and finalizer in (obj.metadata.finalizers or []):
                rest = [f for f in obj.metadata.finalizers if f != finalizer]
                core.patch_namespaced_config_map("job", "default", {"metadata": {
                    "finalizers": rest or None, "resourceVersion": obj.metadata.resource_version}})
    assert seen == [("MODIFIED", True), ("DELETED", True)]
    assert [c["metadata"]["name"] for c in fake_cluster.list("ConfigMap", "default")].count("job") == 0


def test_a_grace_period_beyond_what_a_timestamp_shows_is_capped(api: Api):
    api.json("POST", "/api/v1/namespaces/default/pods", pod("far", node="n"))
    status, body = api.json("DELETE", "/api/v1/namespaces/default/pods/far",
                            {"gracePeriodSeconds": 9223372036854775807})
    assert status == 200 and body["metadata"]["deletionTimestamp"] == "9999-12-31T23:59:59Z"
