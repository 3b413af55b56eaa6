"""Every client the README names talks to each test's own cluster, test after test, although each
remembers what it loaded (module constants, default configurations, kr8s's table of clients); and
``fakekube_isolate`` keeps tests without a fake cluster away from any real one."""

from __future__ import annotations

import pytest

from fakekube import FakeCluster

pytestmark = pytest.mark.timeout(180)

# Three tests in a row: each writes a ConfigMap named after itself and must see only that one (and the CA's).
THREE_TESTS = """
import pytest

def expected(name):  # the test's own ConfigMap, and the namespace's kube-root-ca.crt, in name order
    return sorted([name, "kube-root-ca.crt"])

@pytest.mark.parametrize("name", ["first", "second", "third"])
{marker}
{define} test_client(fake_cluster, name):
{body}
"""


def run_three(pytester: pytest.Pytester, body: str, asynchronous: bool = False, setup: str = "") -> None:
    code = setup + THREE_TESTS.format(marker="@pytest.mark.asyncio" if asynchronous else "",
                                      define="async def" if asynchronous else "def", body=body)
    pytester.makepyfile(test_clients=code)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-v")
    result.assert_outcomes(passed=3)


def test_kr8s_sync_api_follows_the_cluster_from_test_to_test(pytester):
    run_three(pytester, """
    import kr8s
    from kr8s.objects import ConfigMap
    ConfigMap({"metadata": {"name": name, "namespace": "default"}}).create()
    assert [cm.name for cm in kr8s.get("configmaps", namespace="default")] == expected(name)
    """)


def test_kr8s_async_api_follows_the_cluster_from_test_to_test(pytester):
    run_three(pytester, """
    import kr8s.asyncio
    from kr8s.asyncio.objects import ConfigMap
    cm = await ConfigMap({"metadata": {"name": name, "namespace": "default"}})
    await cm.create()
    assert [c.name async for c in kr8s.asyncio.get("configmaps", namespace="default")] == expected(name)
    """, asynchronous=True)


def test_lightkube_default_config_follows_the_cluster_from_test_to_test(pytester):
    # A CI job in a pod has KUBERNETES_SERVICE_HOST set, which lightkube prefers to KUBECONFIG.
    run_three(pytester, """
    import os
    from lightkube import Client
    from lightkube.models.meta_v1 import ObjectMeta
    from lightkube.resources.core_v1 import ConfigMap
    assert "KUBERNETES_SERVICE_HOST" not in os.environ
    kube = Client()
    kube.create(ConfigMap(metadata=ObjectMeta(name=name)), namespace="default")
    assert [c.metadata.name for c in kube.list(ConfigMap, namespace="default")] == expected(name)
    """, setup="import os\nos.environ['KUBERNETES_SERVICE_HOST'] = '10.0.0.1'\n")


def test_official_clients_default_configuration_follows_the_cluster(pytester):
    # Code under test that loaded the kube config once (the first test) and then only makes API objects.
    run_three(pytester, """
    from kubernetes import client, config
    if name == "first":
        config.load_kube_config()
    core = client.CoreV1Api()
    core.create_namespaced_config_map("default", {"metadata": {"name": name}})
    assert [c.metadata.name for c in core.list_namespaced_config_map("default").items] == expected(name)
    """)


def test_kubernetes_asyncio_default_configuration_follows_the_cluster(pytester):
    run_three(pytester, """
    from kubernetes_asyncio import client, config
    if name == "first":
        await config.load_kube_config()
    async with client.ApiClient() as api:
        core = client.CoreV1Api(api)
        await core.create_namespaced_config_map("default", {"metadata": {"name": name}})
        items = (await core.list_namespaced_config_map("default")).items
    assert [c.metadata.name for c in items] == expected(name)
    """, asynchronous=True)


ISOLATION_TESTS = """
import os
import subprocess

import kr8s
import pytest
from kubernetes import client, config


def test_without_a_fake_cluster():
    result = subprocess.run(["kubectl", "get", "namespaces", "-o", "name"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "127.0.0.1:1" in result.stderr
    config.load_kube_config()
    with pytest.raises(Exception, match="host='127.0.0.1', port=1"):
        client.CoreV1Api().list_namespace(_request_timeout=5)
    with pytest.raises(Exception) as refused:
        list(kr8s.get("namespaces"))
    assert "Connect" in type(refused.value).__name__  # httpx's ConnectError, nothing answered


def test_with_a_fake_cluster(fake_cluster):
    config.load_kube_config()
    assert "default" in [n.metadata.name for n in client.CoreV1Api().list_namespace().items]
    assert "default" in [n.name for n in kr8s.get("namespaces")]


def test_without_one_again():
    assert os.environ["KUBECONFIG"].endswith("kubeconfig-isolated")
    with pytest.raises(Exception, match="host='127.0.0.1', port=1"):
        client.CoreV1Api().list_namespace(_request_timeout=5)
"""


def test_isolate_keeps_tests_without_a_fake_cluster_away_from_the_real_one(pytester, monkeypatch, tmp_path):
    # The developer's "real" cluster, which a test that forgets the fixture would otherwise reach.
    with FakeCluster() as real:
        real.create("apiVersion: v1\nkind: Namespace\nmetadata: {name: production}\n")
        monkeypatch.setenv("KUBECONFIG", str(real.write_kubeconfig(tmp_path / "real-kubeconfig")))
        pytester.makepyfile(test_isolation=ISOLATION_TESTS)
        pytester.makeini("[pytest]\nfakekube_isolate = true\n")
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
        result.assert_outcomes(passed=3)
        # Without the option, the same forgetful test reaches the "real" cluster.
        pytester.makeini("[pytest]\n")
        leaky = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly",
                                              "-k", "test_without_a_fake_cluster")
        leaky.assert_outcomes(failed=1)
        # and --fakekube-isolate does what the ini option does
        flagged = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "--fakekube-isolate")
        flagged.assert_outcomes(passed=3)
