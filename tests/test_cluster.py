"""The Python API: one FakeCluster = one isolated cluster, sync or async, with helpers that skip HTTP."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from fakekube import FakeCluster, ManifestError
from fakekube.errors import StatusError

MANIFESTS = """
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team, labels: {app: web}}
data: {mode: fast}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: team}
"""


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_helpers_apply_get_list_delete_without_http():
    cluster = FakeCluster()  # not serving: the helpers work on the store directly
    created = cluster.apply(MANIFESTS)
    assert [o["kind"] for o in created] == ["Namespace", "ConfigMap", "ConfigMap"]
    assert cluster.get("ConfigMap", "settings", "team")["data"] == {"mode": "fast"}
    assert [c["metadata"]["name"] for c in cluster.list("cm", "team", label_selector="app=web")] == ["settings"]
    cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team}\ndata: {mode: slow}\n")
    assert cluster.get("configmaps", "settings", "team")["data"] == {"mode": "slow"}
    cluster.delete("configmap", "settings", "team")
    with pytest.raises(StatusError) as exc:
        cluster.get("ConfigMap", "settings", "team")
    assert exc.value.code == 404
    kinds = {o["kind"] for o in cluster.objects()}
    assert kinds == {"Namespace", "ConfigMap", "ServiceAccount", "Service", "Endpoints", "EndpointSlice",  # bootstrap
                     "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}


def test_create_refuses_existing_objects_and_reports_where(tmp_path):
    cluster = FakeCluster()
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n")
    cluster.create(path)
    with pytest.raises(ManifestError) as exc:
        cluster.create(path)
    assert str(exc.value) == f'{path} (document 1): configmaps "a" already exists'


def test_dicts_given_to_the_helpers_are_not_modified():
    cluster = FakeCluster()
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}, "data": None}
    cluster.create(body)
    assert body == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"},
                    "data": None}


def test_clusters_are_isolated():
    one, two = FakeCluster(), FakeCluster(kubernetes_version="v1.33")
    one.create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: only-here, namespace: default}\n")
    assert [c["metadata"]["name"] for c in two.list("ConfigMap", "default")] == ["kube-root-ca.crt"]
    assert two.git_version.startswith("v1.33.")


def test_sync_serving_leaves_no_thread_or_socket_behind():
    fds = open_fds()
    for _ in range(5):
        with FakeCluster() as cluster:
            assert cluster.url.startswith("http://127.0.0.1:")
            assert cluster.kubeconfig_path.exists()
            path = cluster.kubeconfig_path
            cluster.apply(MANIFESTS)  # from the caller's thread, run on the server's loop
        assert not path.exists()
    assert [t for t in threading.enumerate() if t.name == "fakekube-server"] == []
    assert open_fds() <= fds
    with pytest.raises(RuntimeError, match="not serving"):
        cluster.url  # noqa: B018


def test_async_serving_in_the_callers_loop_leaves_no_task_behind():
    async def main() -> None:
        import aiohttp

        before = len(asyncio.all_tasks())
        async with FakeCluster() as cluster:
            cluster.apply(MANIFESTS)
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{cluster.url}/api/v1/namespaces/team/configmaps") as resp:
                    body = await resp.json()
        assert [i["metadata"]["name"] for i in body["items"]] == ["kube-root-ca.crt", "other", "settings"]
        assert len(asyncio.all_tasks()) == before

    asyncio.run(main())


def test_unsupported_versions_and_bad_settings_are_refused():
    with pytest.raises(ValueError, match="unsupported Kubernetes version"):
        FakeCluster(kubernetes_version="v1.20")
    with pytest.raises(ValueError, match="watch_buffer"):
        FakeCluster(watch_buffer=0)


def test_kubeconfig_points_at_the_server():
    with FakeCluster() as cluster:
        config = cluster.kubeconfig
        assert config["current-context"] == "fakekube"
        assert config["clusters"][0]["cluster"]["server"] == cluster.url


def test_helpers_called_from_another_thread_run_on_the_serving_loop():
    async def main() -> list[str]:
        import aiohttp

        async with FakeCluster() as cluster:
            loop = asyncio.get_running_loop()
            async with aiohttp.ClientSession() as session:
                url = f"{cluster.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=10"
                async with session.get(url) as resp:
                    initial = await resp.content.readline()  # the synthetic ADDED of the namespace's CA configmap
                    assert b'"name":"kube-root-ca.crt"' in initial
                    started = loop.time()
                    writer = threading.Thread(target=cluster.create, args=(
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-thread, namespace: default}\n",))
                    writer.start()
                    line = await resp.content.readline()
                    elapsed = loop.time() - started
            await asyncio.to_thread(writer.join)
        assert elapsed < 5  # delivered at once, not when the watch times out
        return [line.decode()]

    (line,) = asyncio.run(main())
    assert '"name":"from-thread"' in line


def test_a_cluster_clock_that_tests_can_move(fake_cluster_factory):
    import json
    import urllib.request

    now = [1_800_000_000.0]
    cluster = fake_cluster_factory(clock=lambda: now[0])
    created = cluster.create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n")[0]
    assert created["metadata"]["creationTimestamp"] == "2027-01-15T08:00:00Z"
    now[0] += 3 * 3600  # three hours later, for the cluster

    request = urllib.request.Request(f"{cluster.url}/api/v1/namespaces/default/configmaps",
                                     headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    table = json.load(urllib.request.urlopen(request))
    assert table["rows"][0]["cells"][-1] == "3h"


def test_helpers_address_cluster_scoped_objects_without_a_namespace():
    """A cluster-scoped object has no namespace: a policy scoped to ``Cluster`` judges the helpers' writes to it."""
    cluster = FakeCluster(controllers=())
    group = "admissionregistration.k8s.io/v1"
    rules = [{"apiGroups": ["rbac.authorization.k8s.io"], "apiVersions": ["v1"], "operations": ["UPDATE", "DELETE"],
              "resources": ["clusterroles"], "scope": "Cluster"},
             {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["UPDATE"],
              "resources": ["persistentvolumes/status"], "scope": "Cluster"}]
    cluster.apply([
        {"apiVersion": group, "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "frozen"},
         "spec": {"matchConstraints": {"resourceRules": rules},
                  "validations": [{"expression": "!has(request.namespace) || request.namespace == ''",
                                   "message": "judged with a namespace"},
                                  {"expression": "false", "message": "frozen"}]}},
        {"apiVersion": group, "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "frozen"},
         "spec": {"policyName": "frozen", "validationActions": ["Deny"]}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "reader"}},
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "disk"},
         "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/d"}}},
    ])
    assert cluster.get("ClusterRole", "reader", namespace="team")["metadata"]["name"] == "reader"
    for write in (lambda: cluster.patch("ClusterRole", "reader", {"metadata": {"labels": {"a": "b"}}}),
                  lambda: cluster.delete("ClusterRole", "reader"),
                  lambda: cluster.set_status("PersistentVolume", "disk", {"phase": "Available"})):
        with pytest.raises(StatusError) as exc:
            write()
        assert exc.value.code == 422
        assert exc.value.message.endswith("denied request: frozen")


STARTED_TOGETHER = """
import json, threading, time, urllib.request
from fakekube import FakeCluster
from fakekube.kinds import deferred

loads = []
real_load_all = deferred.load_all


def slow_load_all():  # widens the window in which a second server thread would load the modules again
    loads.append(threading.get_ident())
    time.sleep(0.3)
    real_load_all()


deferred.load_all = slow_load_all
clusters = [FakeCluster(controllers=()) for _ in range(2)]
threads = [threading.Thread(target=c.start) for c in clusters]
for t in threads:
    t.start()
for t in threads:
    t.join()
versions = [json.load(urllib.request.urlopen(c.url + "/version"))["gitVersion"] for c in clusters]
for c in clusters:
    c.stop()
print(json.dumps({"loads": len(loads), "versions": versions}))
"""


def test_clusters_started_from_two_threads_load_the_request_modules_once():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", STARTED_TOGETHER], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    result = json.loads(out)
    assert result["loads"] == 1
    assert len(result["versions"]) == 2 and all(v.startswith("v1.") for v in result["versions"])
