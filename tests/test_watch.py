"""Watch streams as kube-apiserver serves them, over raw HTTP and through every client library."""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import threading
import time
from urllib.parse import urlsplit

from conftest import KUBECTL, Api

CM = "/api/v1/namespaces/default/configmaps"


def watch_events(url: str, path: str, stop_after: int | None = None, timeout: float = 10) -> list[dict]:
    """Read watch events from ``path`` until the stream ends or ``stop_after`` events arrived."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    conn.request("GET", path)
    resp = conn.getresponse()
    assert resp.status == 200, resp.read()
    events = []
    for line in resp:
        events.append(json.loads(line))
        if stop_after is not None and len(events) >= stop_after:
            break
    conn.close()
    return events


def summary(events: list[dict]) -> list[tuple[str, str | None]]:
    return [(e["type"], e["object"].get("metadata", {}).get("name")) for e in events]


def create_cm(api: Api, name: str, **labels: str) -> dict:
    status, body = api.json("POST", CM, {"metadata": {"name": name, "labels": labels}})
    assert status == 201, body
    return body


def later(delay: float, fn, *args) -> threading.Thread:
    def run() -> None:
        time.sleep(delay)
        fn(*args)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_watch_without_resource_version_starts_with_synthetic_adds(fake_cluster, api):
    create_cm(api, "a")
    create_cm(api, "b")
    events = watch_events(fake_cluster.url, f"{CM}?watch=true&timeoutSeconds=1")
    # and the kube-root-ca.crt every namespace holds
    assert summary(events) == [("ADDED", "a"), ("ADDED", "b"), ("ADDED", "kube-root-ca.crt")]


def test_watch_from_a_resource_version_replays_every_later_event_in_order(fake_cluster, api):
    first = create_cm(api, "a")
    rv = first["metadata"]["resourceVersion"]
    create_cm(api, "b")
    first["data"] = {"x": "y"}
    api.json("PUT", f"{CM}/a", first)
    api.json("DELETE", f"{CM}/b")
    events = watch_events(fake_cluster.url, f"{CM}?watch=1&resourceVersion={rv}&timeoutSeconds=1")
    assert summary(events) == [("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b")]
    rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert rvs == sorted(rvs) and rvs[0] > int(rv)


def test_a_too_old_resource_version_gets_a_410_error_event(fake_cluster_factory):
    cluster = fake_cluster_factory(history_size=2)
    api = Api(cluster.url)
    for name in "abcde":
        create_cm(api, name)
    events = watch_events(cluster.url, f"{CM}?watch=1&resourceVersion=2")
    assert len(events) == 1 and events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert status["kind"] == "Status" and status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"].startswith("too old resource version: 2 (")


def test_live_events_and_timeout_seconds_end_the_stream_cleanly(fake_cluster, api):
    writer = later(0.2, create_cm, api, "live")
    started = time.monotonic()
    events = watch_events(fake_cluster.url, f"{CM}?watch=1&resourceVersion=1&timeoutSeconds=1")
    writer.join()
    assert summary(events) == [("ADDED", "kube-root-ca.crt"), ("ADDED", "live")]  # from revision 1: the bootstrap's too
    assert 0.9 <= time.monotonic() - started < 5


def test_bookmarks_carry_the_current_resource_version(fake_cluster_factory):
    cluster = fake_cluster_factory(bookmark_interval=0.1)
    api = Api(cluster.url)
    created = create_cm(api, "x")
    events = watch_events(cluster.url, f"{CM}?watch=1&allowWatchBookmarks=true&timeoutSeconds=1", stop_after=4)
    assert summary(events)[:2] == [("ADDED", "kube-root-ca.crt"), ("ADDED", "x")]
    bookmark = events[2]
    assert bookmark["type"] == "BOOKMARK"
    assert bookmark["object"]["kind"] == "ConfigMap" and bookmark["object"]["apiVersion"] == "v1"
    assert int(bookmark["object"]["metadata"]["resourceVersion"]) >= int(created["metadata"]["resourceVersion"])


def test_objects_entering_and_leaving_the_selection(fake_cluster, api):
    start = create_cm(api, "before")["metadata"]["resourceVersion"]
    create_cm(api, "a", tier="web")
    _, obj = api.json("GET", f"{CM}/a")
    obj["metadata"]["labels"] = {"tier": "db"}
    api.json("PUT", f"{CM}/a", obj)
    obj = api.json("GET", f"{CM}/a")[1]
    obj["metadata"]["labels"] = {"tier": "web"}
    api.json("PUT", f"{CM}/a", obj)
    create_cm(api, "other", tier="db")
    path = f"{CM}?watch=1&labelSelector=tier%3Dweb&resourceVersion={start}&timeoutSeconds=1"
    events = watch_events(fake_cluster.url, path)
    assert summary(events) == [("ADDED", "a"), ("DELETED", "a"), ("ADDED", "a")]
    assert events[1]["object"]["metadata"]["labels"] == {"tier": "web"}  # the last state that matched


def test_send_initial_events_ends_with_an_annotated_bookmark(fake_cluster, api):
    create_cm(api, "a")
    create_cm(api, "b")
    path = (f"{CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion="
            "&allowWatchBookmarks=true&timeoutSeconds=1")
    events = watch_events(fake_cluster.url, path, stop_after=4)
    assert summary(events)[:3] == [("ADDED", "a"), ("ADDED", "b"), ("ADDED", "kube-root-ca.crt")]
    assert events[3]["type"] == "BOOKMARK"
    assert events[3]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_send_initial_events_requires_not_older_than(api):
    status, body = api.json("GET", f"{CM}?watch=1&sendInitialEvents=true")
    assert status == 422 and body["reason"] == "Invalid"
    assert body["message"] == ('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
                               "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")


def test_watch_a_single_object_by_name_and_through_the_legacy_path(fake_cluster, api):
    create_cm(api, "a")
    create_cm(api, "b")
    events = watch_events(fake_cluster.url, f"{CM}?watch=1&fieldSelector=metadata.name%3Db&timeoutSeconds=1")
    assert summary(events) == [("ADDED", "b")]
    legacy = watch_events(fake_cluster.url, "/api/v1/watch/namespaces/default/configmaps/a?timeoutSeconds=1")
    assert summary(legacy) == [("ADDED", "a")]


def test_a_watcher_that_does_not_read_is_closed_and_can_resume():
    """Past its buffer a watcher is closed; what it buffered is still delivered, and it resumes from there."""
    from fakekube.registry.catalog import Catalog
    from fakekube.registry.context import Context
    from fakekube.registry.listing import ObjectFilter
    from fakekube.registry.rest import Registry
    from fakekube.registry.watch import WatchOptions, WatchStream
    from fakekube.storage import Store

    ctx = Context()

    registry = Registry(Store(), Catalog())
    namespaces, configmaps = registry.catalog.get("", "v1", "namespaces"), registry.catalog.get("", "v1", "configmaps")
    registry.create(ctx, namespaces, "", {"metadata": {"name": "default"}})
    start = str(registry.store.revision)
    stalled = WatchStream(registry.store, configmaps, "default", ObjectFilter(configmaps),
                          WatchOptions(resource_version=start, max_buffer=3))
    stalled.start()
    for i in range(10):  # the writer never waits for the watcher
        registry.create(ctx, configmaps, "default", {"metadata": {"name": f"cm-{i}"}})

    async def read(stream: WatchStream) -> list[str]:
        return [json.loads(line)["object"]["metadata"]["name"] async for line in stream.lines()]

    seen = asyncio.run(read(stalled))
    assert seen == ["cm-0", "cm-1", "cm-2"]  # then the stream ended
    last = registry.get_object(ctx, configmaps, "default", "cm-2")["metadata"]["resourceVersion"]
    resumed = WatchStream(registry.store, configmaps, "default", ObjectFilter(configmaps),
                          WatchOptions(resource_version=last, timeout_seconds=0.2))
    resumed.start()
    assert asyncio.run(read(resumed)) == [f"cm-{i}" for i in range(3, 10)]


def test_a_stalled_http_watcher_does_not_slow_writers(fake_cluster_factory):
    cluster = fake_cluster_factory(watch_buffer=5)
    api = Api(cluster.url)
    parts = urlsplit(cluster.url)
    stalled = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    stalled.request("GET", f"{CM}?watch=1&resourceVersion=1")
    stalled.getresponse()  # never read
    started = time.monotonic()
    for i in range(100):
        status, _ = api.json("POST", CM, {"metadata": {"name": f"cm-{i:03d}"}, "data": {"p": "x" * 20_000}})
        assert status == 201
    assert time.monotonic() - started < 20
    stalled.close()


def test_client_disconnect_frees_the_watcher(fake_cluster, api):
    parts = urlsplit(fake_cluster.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", f"{CM}?watch=1")
    conn.getresponse()
    time.sleep(0.1)
    store = fake_cluster.store

    def watchers() -> list:  # the root CA publisher listens to configmaps too
        return [f for f in store._listeners.get("configmaps", []) if type(f.__self__).__name__ == "WatchStream"]

    assert len(watchers()) == 1
    conn.close()  # no event follows: the idle watch notices the closed connection by itself
    deadline = time.monotonic() + 5
    while watchers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not watchers()


# --- real clients -----------------------------------------------------------------------------


def test_official_client_watch_stream_and_paged_list(fake_cluster):
    from kubernetes import client, config, watch

    config.load_kube_config()
    core = client.CoreV1Api()
    for i in range(5):
        core.create_namespaced_config_map("default", {"metadata": {"name": f"cm-{i}"}})
    page = core.list_namespaced_config_map("default", limit=2)
    seen = [c.metadata.name for c in page.items]
    while page.metadata._continue:
        page = core.list_namespaced_config_map("default", limit=2, _continue=page.metadata._continue)
        seen += [c.metadata.name for c in page.items]
    assert seen == [f"cm-{i}" for i in range(5)] + ["kube-root-ca.crt"]

    later(0.2, core.delete_namespaced_config_map, "cm-0", "default")
    events = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, "default",
                                      resource_version=page.metadata.resource_version, timeout_seconds=1):
        events.append((event["type"], event["object"].metadata.name))
    assert events == [("DELETED", "cm-0")]


def test_kubernetes_asyncio_watch(fake_cluster):
    from kubernetes_asyncio import client, config, watch

    async def main() -> list[tuple[str, str]]:
        await config.load_kube_config()
        async with client.ApiClient() as api_client:
            core = client.CoreV1Api(api_client)
            await core.create_namespaced_config_map("default", {"metadata": {"name": "async-a"}})
            events = []
            async with watch.Watch() as w:
                async for event in w.stream(core.list_namespaced_config_map, "default", timeout_seconds=1):
                    events.append((event["type"], event["object"].metadata.name))
            return events

    assert asyncio.run(main()) == [("ADDED", "async-a"), ("ADDED", "kube-root-ca.crt")]


def test_lightkube_watch_and_chunked_list(fake_cluster):
    from lightkube import Client
    from lightkube.models.meta_v1 import ObjectMeta
    from lightkube.resources.core_v1 import ConfigMap

    kube = Client()
    for i in range(3):
        kube.create(ConfigMap(metadata=ObjectMeta(name=f"lk-{i}"), data={"i": str(i)}), namespace="default")
    assert [c.metadata.name for c in kube.list(ConfigMap, namespace="default", chunk_size=2)] == [
        "kube-root-ca.crt", "lk-0", "lk-1", "lk-2"]
    events = []
    for op, obj in kube.watch(ConfigMap, namespace="default", server_timeout=1):
        events.append((op, obj.metadata.name))
        if len(events) == 4:
            break
    assert events == [("ADDED", "kube-root-ca.crt"), ("ADDED", "lk-0"), ("ADDED", "lk-1"), ("ADDED", "lk-2")]


def test_kr8s_watch(fake_cluster):
    import kr8s

    async def main() -> list[tuple[str, str]]:
        api = await kr8s.asyncio.api()
        cm = await kr8s.asyncio.objects.ConfigMap({"metadata": {"name": "kr8s-a", "namespace": "default"}})
        await cm.create()
        events = []
        async for event_type, obj in api.watch("configmaps", namespace="default"):
            events.append((event_type, obj.name))
            break
        return events

    assert asyncio.run(asyncio.wait_for(main(), 20)) == [("ADDED", "kr8s-a")]


def test_kubectl_get_watch_and_chunk_size(fake_cluster, api, kubectl):
    for i in range(5):
        create_cm(api, f"cm-{i}")
    chunked = kubectl("get", "configmaps", "--chunk-size=2", "-o", "name")
    assert chunked.stdout.split() == [f"configmap/cm-{i}" for i in range(5)] + ["configmap/kube-root-ca.crt"]
    proc = subprocess.Popen([KUBECTL, "get", "configmaps", "-w"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={"KUBECONFIG": str(fake_cluster.kubeconfig_path), "PATH": "/usr/bin:/bin",
                                            "KUBECACHEDIR": str(fake_cluster.kubeconfig_path) + ".cache"})
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(7)]  # the header and the six listed rows
    create_cm(api, "watched")  # kubectl is watching now: this arrives as a watch event
    lines.append(proc.stdout.readline())
    proc.terminate()
    proc.communicate(timeout=10)
    rows = [line.split()[0] for line in lines[1:]]
    assert rows == [f"cm-{i}" for i in range(5)] + ["kube-root-ca.crt", "watched"], lines


def test_informer_view_matches_the_server_after_concurrent_writes(fake_cluster, api):
    """List, then watch from the list's resourceVersion while writers run; the cache must equal the server."""
    for i in range(10):
        create_cm(api, f"seed-{i}")
    _, listed = api.json("GET", CM)
    cache = {i["metadata"]["name"]: i for i in listed["items"]}
    rv = listed["metadata"]["resourceVersion"]

    def writer(prefix: str) -> None:
        local = Api(fake_cluster.url)
        for i in range(15):
            local.json("POST", CM, {"metadata": {"name": f"{prefix}-{i}"}})
            if i % 3 == 0:
                local.json("DELETE", f"{CM}/{prefix}-{i}")
            if i % 5 == 0:
                _, obj = local.json("GET", f"{CM}/seed-{i % 10}")
                obj["data"] = {"by": prefix, "i": str(i)}
                local.json("PUT", f"{CM}/seed-{i % 10}", obj)

    writers = [threading.Thread(target=writer, args=(p,)) for p in ("w1", "w2", "w3")]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    for event in watch_events(fake_cluster.url, f"{CM}?watch=1&resourceVersion={rv}&timeoutSeconds=1"):
        name = event["object"]["metadata"]["name"]
        if event["type"] == "DELETED":
            cache.pop(name)
        else:
            cache[name] = event["object"]
    _, final = api.json("GET", CM)
    # A watch event's object carries kind and apiVersion; a list's items do not (as kube-apiserver writes them).
    assert {k: {f: v for f, v in o.items() if f not in ("kind", "apiVersion")} for k, o in cache.items()} == {
        i["metadata"]["name"]: i for i in final["items"]}


def test_stopping_the_cluster_ends_open_watches_at_once(fake_cluster_factory):
    cluster = fake_cluster_factory()
    parts = urlsplit(cluster.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", f"{CM}?watch=1&timeoutSeconds=60")
    response = conn.getresponse()
    started = time.monotonic()
    cluster.stop()
    assert time.monotonic() - started < 5  # not the minute the watch would otherwise last
    # the stream ended, after the synthetic ADDED of the one configmap there was
    lines = response.read().splitlines()
    assert [json.loads(line)["object"]["metadata"]["name"] for line in lines] == ["kube-root-ca.crt"]


def test_resource_version_zero_without_initial_events_starts_from_now(fake_cluster, api):
    create_cm(api, "old")
    api.json("DELETE", f"{CM}/old")
    path = (f"{CM}?watch=1&resourceVersion=0&sendInitialEvents=false&resourceVersionMatch=NotOlderThan"
            "&timeoutSeconds=1")
    assert watch_events(fake_cluster.url, path) == []  # no replay of history


def test_a_watch_from_a_future_revision_waits_for_newer_events(fake_cluster, api):
    _, first = api.json("POST", CM, {"metadata": {"name": "a"}})
    future = int(first["metadata"]["resourceVersion"]) + 2
    create_cm(api, "b")  # future - 1: not sent
    create_cm(api, "c")  # future: not sent
    create_cm(api, "d")  # after it: sent
    events = watch_events(fake_cluster.url, f"{CM}?watch=1&resourceVersion={future - 2}&timeoutSeconds=1")
    assert summary(events) == [("ADDED", "b"), ("ADDED", "c"), ("ADDED", "d")]
    parts = urlsplit(fake_cluster.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", f"{CM}?watch=1&resourceVersion={future + 1}&timeoutSeconds=1")
    resp = conn.getresponse()
    assert resp.status == 200
    conn.close()


def test_initial_events_end_bookmark_needs_allow_watch_bookmarks(fake_cluster, api):
    create_cm(api, "a")
    path = f"{CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1"
    assert summary(watch_events(fake_cluster.url, path)) == [("ADDED", "a"), ("ADDED", "kube-root-ca.crt")]


def test_history_is_kept_per_resource(fake_cluster_factory):
    cluster = fake_cluster_factory(history_size=3)
    api = Api(cluster.url)
    first = create_cm(api, "a")
    for i in range(10):  # other resources' writes do not push configmap events out
        api.json("POST", "/api/v1/namespaces/default/secrets", {"metadata": {"name": f"s{i}"}})
    create_cm(api, "b")
    events = watch_events(cluster.url, f"{CM}?watch=1&resourceVersion={first['metadata']['resourceVersion']}"
                                       "&timeoutSeconds=1")
    assert summary(events) == [("ADDED", "b")]


def test_legacy_single_object_watch_refuses_a_different_name(api):
    status, body = api.json("GET", "/api/v1/watch/namespaces/default/configmaps/a?fieldSelector=metadata.name%3Db")
    assert status == 400 and body["message"] == "fieldSelector metadata.name doesn't match requested name"


def test_a_last_bookmark_comes_before_the_timeout(fake_cluster, api):
    started = time.monotonic()
    events = watch_events(fake_cluster.url, f"{CM}?watch=1&allowWatchBookmarks=true&timeoutSeconds=3")
    # the synthetic ADDED of kube-root-ca.crt; the default interval is a minute: this bookmark is the last one
    assert [e["type"] for e in events] == ["ADDED", "BOOKMARK"]
    assert time.monotonic() - started >= 2.9


def test_watching_through_another_version_converts_every_event(fake_cluster, api):
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "maxReplicas": 4, "metrics": [{"type": "Resource", "resource": {
                        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}]}}
    status, _ = api.json("POST", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpa)
    assert status == 201
    events = watch_events(fake_cluster.url,
                          "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers?watch=1&timeoutSeconds=1")
    assert [e["type"] for e in events] == ["ADDED"]
    obj = events[0]["object"]
    assert obj["apiVersion"] == "autoscaling/v1" and obj["spec"]["targetCPUUtilizationPercentage"] == 60
