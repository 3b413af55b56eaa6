"""Server-side apply from the Python clients: the official client's dynamic ``server_side_apply``, lightkube's
``apply`` (sync and async, with ``force``) and kr8s (which has no apply of its own in its latest release,
0.20.15: its ``api.call_api`` sends the apply patch, and its ``scale`` is recorded as an update)."""

from __future__ import annotations

import asyncio
import json

import pytest


def config_map(data: dict[str, str], name: str = "settings") -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"},
            "data": data}


def managers(obj: dict) -> list[tuple[str, str]]:
    return [(e["manager"], e["operation"]) for e in obj["metadata"]["managedFields"]]


def test_official_client_dynamic_server_side_apply(fake_cluster):
    from kubernetes import client, config
    from kubernetes.dynamic import DynamicClient
    from kubernetes.dynamic.exceptions import ConflictError

    config.load_kube_config()
    with client.ApiClient() as api_client:
        cms = DynamicClient(api_client).resources.get(api_version="v1", kind="ConfigMap")
        first = cms.server_side_apply(body=config_map({"a": "1"}), namespace="default", field_manager="tool-a")
        assert first.data.a == "1"
        cms.server_side_apply(body=config_map({"b": "2"}), namespace="default", field_manager="tool-b")
        with pytest.raises(ConflictError) as refused:
            cms.server_side_apply(body=config_map({"a": "x"}), namespace="default", field_manager="tool-b")
        assert json.loads(refused.value.body)["message"] == (
            'Apply failed with 1 conflict: conflict with "tool-a": .data.a')
        forced = cms.server_side_apply(body=config_map({"a": "x"}), namespace="default", field_manager="tool-b",
                                       force_conflicts=True)
        # tool-b applied only "a" this time: "b", which it alone owned, is gone; "a" moved to tool-b
        assert forced.to_dict()["data"] == {"a": "x"}
        assert [(e["manager"], e["fieldsV1"]) for e in forced.to_dict()["metadata"]["managedFields"]] == [
            ("tool-b", {"f:data": {"f:a": {}}})]


def test_lightkube_apply_sync_and_async_with_force(fake_cluster):
    from lightkube import AsyncClient, Client
    from lightkube.core.exceptions import ApiError
    from lightkube.models.apps_v1 import DeploymentSpec
    from lightkube.models.core_v1 import Container, PodSpec, PodTemplateSpec
    from lightkube.models.meta_v1 import LabelSelector, ObjectMeta
    from lightkube.resources.apps_v1 import Deployment

    def deployment(replicas: int) -> Deployment:
        return Deployment(
            metadata=ObjectMeta(name="web", namespace="default"),
            spec=DeploymentSpec(replicas=replicas, selector=LabelSelector(matchLabels={"app": "web"}),
                                template=PodTemplateSpec(metadata=ObjectMeta(labels={"app": "web"}),
                                                         spec=PodSpec(containers=[Container(name="c", image="n")]))))

    kube = Client(field_manager="deployer")
    created = kube.apply(deployment(2))
    assert created.spec.replicas == 2 and created.metadata.managedFields[0].manager == "deployer"

    async def other_manager() -> tuple[int, int]:
        akube = AsyncClient()
        try:
            await akube.apply(deployment(3), field_manager="autoscaler")
        except ApiError as exc:
            refused = exc.status.code
        else:
            refused = 0
        forced = await akube.apply(deployment(3), field_manager="autoscaler", force=True)
        await akube.close()
        return refused, forced.spec.replicas

    assert asyncio.run(other_manager()) == (409, 3)
    live = kube.get(Deployment, "web", namespace="default")
    owners = {e.manager: e.fieldsV1 for e in live.metadata.managedFields}
    assert "f:replicas" in owners["autoscaler"]["f:spec"] and "f:replicas" not in owners["deployer"]["f:spec"]
    dry = kube.apply(deployment(7), field_manager="autoscaler", dry_run=True)
    assert dry.spec.replicas == 7
    assert kube.get(Deployment, "web", namespace="default").spec.replicas == 3


def test_kr8s_apply_patch_and_scale_are_recorded(fake_cluster):
    import kr8s

    async def main() -> dict:
        api = await kr8s.asyncio.api()
        body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                         "template": {"metadata": {"labels": {"app": "web"}},
                                      "spec": {"containers": [{"name": "c", "image": "n"}]}}}}
        async with api.call_api("PATCH", version="apps/v1", base="/apis", namespace="default",
                                url="deployments/web", content=json.dumps(body),
                                headers={"Content-Type": "application/apply-patch+yaml"},
                                params={"fieldManager": "kr8s-deployer"}) as resp:
            assert resp.status_code == 201
        deployment = await kr8s.asyncio.objects.Deployment.get("web", namespace="default")
        await deployment.scale(4)
        await deployment.refresh()
        return deployment.raw

    obj = asyncio.run(asyncio.wait_for(main(), 30))
    assert obj["spec"]["replicas"] == 4
    assert managers(obj) == [("kr8s-deployer", "Apply"), ("kr8s", "Update")]
    assert obj["metadata"]["managedFields"][1]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
