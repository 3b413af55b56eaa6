"""The pytest plugin, tested the way pytest plugins are: in an inner pytest run (``pytester``)."""

from __future__ import annotations

import pytest

from fakekube import FakeCluster

pytestmark = pytest.mark.timeout(120)


def test_fake_cluster_fixture_points_kubeconfig_at_a_fresh_cluster(pytester):
    pytester.makepyfile("""
        import os
        from kubernetes import client, config

        def test_one(fake_cluster):
            assert os.environ["KUBECONFIG"] == str(fake_cluster.kubeconfig_path)
            assert os.environ["KUBECACHEDIR"].startswith(str(fake_cluster.kubeconfig_path.parent))
            config.load_kube_config()
            client.CoreV1Api().create_namespaced_config_map("default", {"metadata": {"name": "leak"}})
            assert [c["metadata"]["name"] for c in fake_cluster.list("ConfigMap", "default")] == [
                "kube-root-ca.crt", "leak"]

        def test_two_sees_nothing_of_test_one(fake_cluster):
            config.load_kube_config()
            items = client.CoreV1Api().list_namespaced_config_map("default").items
            assert [c.metadata.name for c in items] == ["kube-root-ca.crt"]  # what every new namespace holds
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_marker_preloads_manifests_and_picks_the_version(pytester):
    pytester.makefile(".yaml", seed="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-file}\n")
    pytester.makepyfile("""
        import pytest

        pytestmark = pytest.mark.fakekube(manifests=["seed.yaml"])

        @pytest.mark.fakekube(version="v1.34", manifests=[
            "apiVersion: v1\\nkind: Secret\\nmetadata: {name: inline}\\n"])
        def test_marked(fake_cluster):
            assert fake_cluster.kubernetes_version == "v1.34"
            assert fake_cluster.get("ConfigMap", "from-file")["metadata"]["name"] == "from-file"
            assert fake_cluster.get("Secret", "inline")["metadata"]["name"] == "inline"

        def test_module_marker_only(fake_cluster):
            assert fake_cluster.kubernetes_version == "v1.37"
            assert fake_cluster.list("Secret", "default") == []
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_version_option_and_ini(pytester, monkeypatch):
    pytester.makeini("[pytest]\nfakekube_version = v1.35\n")
    pytester.makepyfile("""
        def test_version(fake_cluster):
            import os
            assert fake_cluster.kubernetes_version == os.environ["EXPECTED"]
    """)
    monkeypatch.setenv("EXPECTED", "v1.35")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    monkeypatch.setenv("EXPECTED", "v1.33")
    pytester.runpytest("-p", "no:cacheprovider", "--fakekube-version", "v1.33").assert_outcomes(passed=1)


def test_factory_makes_independent_clusters_and_stops_them(pytester):
    pytester.makepyfile("""
        import threading

        def test_two_clusters(fake_cluster_factory):
            one, two = fake_cluster_factory(), fake_cluster_factory(version="v1.33")
            one.create("apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: only-in-one}\\n")
            assert [c["metadata"]["name"] for c in two.list("ConfigMap", "default")] == ["kube-root-ca.crt"]
            assert one.url != two.url

        def test_no_server_threads_left():
            assert [t.name for t in threading.enumerate() if t.name == "fakekube-server"] == []
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_failed_tests_can_dump_the_cluster_objects(pytester):
    pytester.makepyfile("""
        def test_fails(fake_cluster):
            fake_cluster.create("apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: evidence}\\ndata: {k: v}\\n")
            assert False
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "--fakekube-dump-on-failure")
    result.assert_outcomes(failed=1)
    bootstrapped = len(FakeCluster().objects())  # namespaces, their defaults, the kubernetes Service, RBAC
    result.stdout.fnmatch_lines([f"*fakekube cluster #0: {bootstrapped + 1} objects*", "*name: evidence*"])


def test_async_tests_use_the_same_fixture(pytester):
    pytester.makepyfile("""
        import aiohttp
        import pytest

        @pytest.mark.asyncio
        async def test_async(fake_cluster):
            async with aiohttp.ClientSession() as session:
                async with session.get(fake_cluster.url + "/api/v1/namespaces") as resp:
                    body = await resp.json()
            assert "default" in [n["metadata"]["name"] for n in body["items"]]

        @pytest.mark.asyncio
        async def test_async_with_in_the_callers_loop():
            from fakekube import FakeCluster
            async with FakeCluster() as cluster:
                async with aiohttp.ClientSession() as session:
                    async with session.get(cluster.url + "/version") as resp:
                        assert (await resp.json())["gitVersion"] == cluster.git_version
                assert cluster.list("Namespace")[0]["metadata"]["name"] == "default"
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_works_under_xdist(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.parametrize("i", range(8))
        def test_isolated(fake_cluster, i):
            fake_cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": "c", "namespace": "default"}})
            assert [c["metadata"]["name"] for c in fake_cluster.list("ConfigMap", "default")] == [
                "c", "kube-root-ca.crt"]
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=8)


def test_the_plugin_is_registered_under_a_distinctive_name(pytester):
    result = pytester.runpytest("-p", "no:cacheprovider", "--trace-config", "--co")
    result.stdout.fnmatch_lines(["*fakekube_pytest_plugin*"])


def test_a_finished_tests_cluster_is_not_kept_alive(pytester):
    pytester.makepyfile("""
        import gc, weakref

        refs = []

        def test_first(fake_cluster):
            refs.append(weakref.ref(fake_cluster))

        def test_second():
            gc.collect()
            assert refs[0]() is None
    """)
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_marker_entries_are_applied_together_namespaces_first(pytester):
    pytester.makepyfile("""
        import pytest

        pytestmark = pytest.mark.fakekube(manifests=[
            "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c, namespace: team}\\n"])

        @pytest.mark.fakekube(manifests=["apiVersion: v1\\nkind: Namespace\\nmetadata: {name: team}\\n"])
        def test_ordered(fake_cluster):
            assert fake_cluster.get("ConfigMap", "c", "team")["metadata"]["namespace"] == "team"
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_marker_mistakes_are_reported_clearly(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.fakekube(manifest=["x.yaml"])
        def test_typo(fake_cluster):
            pass

        @pytest.mark.fakekube(manifests=["missing/dir"])
        def test_missing(fake_cluster):
            pass

        @pytest.mark.fakekube(manifests=["apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: Bad_Name}\\n"])
        def test_invalid(fake_cluster):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines([
        "*unknown cluster option(s) 'manifest'*",
        "*missing/dir: No such file or directory*",
        '*<inline> (document 1): ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"*',
    ])
