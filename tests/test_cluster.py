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
