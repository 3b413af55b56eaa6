"""The request pipeline's HTTP end: request info with kube's verb names, the filter chain every request
passes (``FakeCluster(filters=...)``), and errors of any link answered as a ``Status``.

Real clients (kubectl, the official client, plain HTTP) talk to a served cluster; a recording
filter shows what the chain saw, which is what authentication, authorization and audit will read.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from conftest import Api, run_kubectl

from fakekube import FakeCluster
from fakekube.http.filters import REQUEST_INFO_KEY
from fakekube.http.requestinfo import RequestInfo


class Recorder:
    """A filter that notes (method, verb, namespace, resource, subresource, name) of every request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str, str, str, str]] = []

    async def __call__(self, request: Any, handler: Any) -> Any:
        info: RequestInfo = request[REQUEST_INFO_KEY]
        self.seen.append((request.method, info.verb, info.namespace, info.resource, info.subresource, info.name))
        return await handler(request)


@pytest.fixture
def recorded() -> Any:
    recorder = Recorder()
    with FakeCluster(filters=(recorder,)) as cluster:
        yield cluster, recorder


def test_every_request_gets_kube_verb_names(recorded: Any) -> None:
    cluster, rec = recorded
    api = Api(cluster.url)
    assert api.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "a"}})[0] == 201
    api.request("GET", "/api/v1/namespaces/default/configmaps/a")
    api.request("GET", "/api/v1/namespaces/default/configmaps")
    api.request("GET", "/api/v1/configmaps?watch=true&timeoutSeconds=1")
    api.request("GET", "/api/v1/watch/namespaces/default/configmaps/a?timeoutSeconds=1")
    api.request("PUT", "/api/v1/namespaces/default/configmaps/a", {"metadata": {"name": "a"}, "data": {"k": "v"}})
    api.request("PATCH", "/api/v1/namespaces/default/configmaps/a", '{"data":{"k":"w"}}',
                {"Content-Type": "application/merge-patch+json"})
    api.request("GET", "/api/v1/namespaces/default/status")
    api.request("DELETE", "/api/v1/namespaces/default/configmaps/a")
    api.request("DELETE", "/api/v1/namespaces/default/configmaps")
    api.request("GET", "/apis")
    assert rec.seen == [
        ("POST", "create", "default", "configmaps", "", ""),
        ("GET", "get", "default", "configmaps", "", "a"),
        ("GET", "list", "default", "configmaps", "", ""),
        ("GET", "watch", "", "configmaps", "", ""),
        ("GET", "watch", "default", "configmaps", "", "a"),
        ("PUT", "update", "default", "configmaps", "", "a"),
        ("PATCH", "patch", "default", "configmaps", "", "a"),
        # a namespace's own path carries its namespace attribute too, as kube's RequestInfoFactory sets it
        ("GET", "get", "default", "namespaces", "status", "default"),
        ("DELETE", "delete", "default", "configmaps", "", "a"),
        ("DELETE", "deletecollection", "default", "configmaps", "", ""),
        ("GET", "get", "", "", "", ""),  # a non-resource request: the lowercased method
    ]


def test_kubectl_requests_pass_the_chain(recorded: Any) -> None:
    cluster, rec = recorded
    assert run_kubectl(cluster.kubeconfig_path, "create", "configmap", "c", "--from-literal=k=v").returncode == 0
    assert run_kubectl(cluster.kubeconfig_path, "get", "configmaps").returncode == 0
    resource_calls = [(verb, resource, name) for _, verb, _, resource, _, name in rec.seen if resource]
    assert ("create", "configmaps", "") in resource_calls
    assert ("list", "configmaps", "") in resource_calls
    # discovery requests pass the chain too, as non-resource requests
    assert any(verb == "get" and not resource for _, verb, _, resource, _, _ in rec.seen)


class DenyDeletes:
    """An authorization-like filter: answers deletes itself with a 403 Status."""

    async def __call__(self, request: Any, handler: Any) -> Any:
        from fakekube import errors

        info: RequestInfo = request[REQUEST_INFO_KEY]
        if info.verb in ("delete", "deletecollection"):
            raise errors.StatusError(403, "Forbidden", f'{info.resource} "{info.name}" is forbidden: deletes are off')
        return await handler(request)


def test_a_filter_can_answer_for_the_handler_and_kubectl_shows_its_status(tmp_path: Any) -> None:
    with FakeCluster(filters=(DenyDeletes(),)) as cluster:
        assert run_kubectl(cluster.kubeconfig_path, "create", "configmap", "kept").returncode == 0
        refused = run_kubectl(cluster.kubeconfig_path, "delete", "configmap", "kept")
        assert refused.returncode != 0
        assert 'Error from server (Forbidden): configmaps "kept" is forbidden: deletes are off' in refused.stderr
        assert run_kubectl(cluster.kubeconfig_path, "get", "configmap", "kept").returncode == 0


class Broken:
    async def __call__(self, request: Any, handler: Any) -> Any:
        if request.path.endswith("/boom"):
            raise RuntimeError("filter failed")
        return await handler(request)


def test_a_failing_filter_is_a_500_status_and_the_server_goes_on() -> None:
    with FakeCluster(filters=(Broken(),)) as cluster:
        api = Api(cluster.url)
        status, body = api.json("GET", "/api/v1/namespaces/default/configmaps/boom")
        assert (status, body["kind"], body["reason"]) == (500, "Status", "InternalError")
        assert body["message"] == "Internal error occurred: RuntimeError: filter failed"
        assert api.json("GET", "/api/v1/namespaces/default")[0] == 200


def test_the_request_log_names_the_verb_and_status(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="fakekube.requests")
    with FakeCluster(log_requests=True) as cluster:
        api = Api(cluster.url)
        api.request("GET", "/api/v1/namespaces/default/configmaps")
        api.request("GET", "/api/v1/namespaces/default/configmaps/missing")
    lines = [record.getMessage() for record in caplog.records if record.name == "fakekube.requests"]
    assert any(line.startswith("GET /api/v1/namespaces/default/configmaps -> 200 list") for line in lines)
    assert any(line.startswith("GET /api/v1/namespaces/default/configmaps/missing -> 404 get") for line in lines)


def test_controllers_keep_running_after_the_server_restarts() -> None:
    cluster = FakeCluster()
    with cluster:
        pass
    with cluster:
        api = Api(cluster.url)
        assert api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "gone"}})[0] == 201
        assert api.json("DELETE", "/api/v1/namespaces/gone")[0] == 200
        deadline = time.monotonic() + 5
        while api.json("GET", "/api/v1/namespaces/gone")[0] != 404:
            assert time.monotonic() < deadline, "the namespace controller did not finish after a restart"
            time.sleep(0.01)
