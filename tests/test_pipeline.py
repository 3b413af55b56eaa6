"""Rules that used to be unwired, checked through the server; and the store's notification order."""

from __future__ import annotations

from typing import Any

from fakekube.storage import Event, Store


def test_a_cronjob_name_over_52_characters_is_rejected_after_the_spec(api):
    name = "c" * 60
    status, body = api.json("POST", "/apis/batch/v1/namespaces/default/cronjobs", {
        "metadata": {"name": name},
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}})
    assert (status, body["reason"]) == (422, "Invalid")
    assert body["message"] == (f'CronJob.batch "{name}" is invalid: metadata.name: Invalid value: "{name}": '
                               "must be no more than 52 characters")
    ok, _ = api.json("POST", "/apis/batch/v1/namespaces/default/cronjobs", {
        "metadata": {"name": "c" * 52},
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}})
    assert ok == 201


PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def test_a_cluster_trust_bundle_name_carries_its_signer(fake_cluster_factory):
    from conftest import Api

    cluster = fake_cluster_factory(runtime_config="certificates.k8s.io/v1beta1=true")
    api = Api(cluster.url)
    path = "/apis/certificates.k8s.io/v1beta1/clustertrustbundles"
    status, body = api.json("POST", path, {"metadata": {"name": "example.com:signer:abc"},
                                           "spec": {"signerName": "example.com/signer", "trustBundle": PEM}})
    assert status == 201, body
    status, body = api.json("POST", path, {"metadata": {"name": "abc"},
                                           "spec": {"signerName": "example.com/signer", "trustBundle": PEM}})
    assert status == 422
    assert body["message"] == (
        'ClusterTrustBundle.certificates.k8s.io "abc" is invalid: metadata.name: Invalid value: "abc": '
        "ClusterTrustBundle for signerName example.com/signer must be named with prefix example.com:signer:")


def test_a_yaml_body_with_an_integer_wider_than_64_bits_is_answered_like_the_same_json_body(api):
    path = "/apis/apps/v1/namespaces/default/deployments"
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wide}\nspec:\n"
                "  replicas: 123456789012345678901234567890\n  selector: {matchLabels: {app: w}}\n"
                "  template:\n    metadata: {labels: {app: w}}\n    spec: {containers: [{name: c, image: i}]}\n")
    yaml_status, yaml_body = api.json("POST", path, manifest, headers={"Content-Type": "application/yaml"})
    json_text = ('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"wide"},"spec":{"replicas":'
                 '123456789012345678901234567890,"selector":{"matchLabels":{"app":"w"}},"template":{"metadata":'
                 '{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}')
    json_status, json_body = api.json("POST", path, json_text, headers={"Content-Type": "application/json"})
    assert (yaml_status, yaml_body["reason"]) == (400, "BadRequest")
    assert yaml_body["message"] == json_body["message"] and json_status == 400
    assert "nested too deeply" not in yaml_body["message"]
    assert yaml_body["message"].startswith('Deployment in version "v1" cannot be handled as a Deployment: '
                                           "json: cannot unmarshal number")


def test_listeners_see_events_in_revision_order_even_when_a_listener_writes():
    store = Store()
    seen: list[int] = []

    def writer(event: Event) -> None:
        if event.key[1] == "first":
            store.create("configmaps", ("default", "second"), {"metadata": {"name": "second"}})

    def recorder(event: Event) -> None:
        seen.append(event.revision)

    store.subscribe("configmaps", writer)
    store.subscribe("configmaps", recorder)
    everything: list[int] = []
    store.subscribe_all(lambda event: everything.append(event.revision))
    store.create("configmaps", ("default", "first"), {"metadata": {"name": "first"}})
    assert seen == sorted(seen) == everything and len(seen) == 2


def test_every_write_of_the_python_api_goes_through_validation_and_defaults(fake_cluster):
    created: Any = fake_cluster.apply("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\n"
                                      "spec: {ports: [{port: 80}]}\n")
    assert created[0]["spec"]["clusterIP"].startswith("10.96.")
    assert created[0]["spec"]["ports"][0]["targetPort"] == 80
    again = fake_cluster.apply("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\n"
                               "spec: {ports: [{port: 80}]}\n")
    assert again[0]["spec"]["clusterIP"] == created[0]["spec"]["clusterIP"]
    assert again[0]["metadata"]["resourceVersion"] == created[0]["metadata"]["resourceVersion"]


def test_a_priority_class_defaults_its_preemption_policy(api):
    status, body = api.json("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                            {"metadata": {"name": "high"}, "value": 1000})
    assert status == 201 and body["preemptionPolicy"] == "PreemptLowerPriority"


def test_a_binding_through_the_official_client_schedules_the_pod_without_a_new_generation(fake_cluster):
    """kube's binding writes the pod outside its strategy: nodeName, PodScheduled=True, same generation."""
    from kubernetes import client, config

    api = client.CoreV1Api(config.new_client_from_config(str(fake_cluster.kubeconfig_path)))
    pod = client.V1Pod(metadata=client.V1ObjectMeta(name="p"),
                       spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]))
    created = api.create_namespaced_pod("default", pod)
    assert created.metadata.generation == 1
    binding = client.V1Binding(metadata=client.V1ObjectMeta(name="p"),
                               target=client.V1ObjectReference(kind="Node", name="node-1"))
    response = api.create_namespaced_pod_binding("p", "default", binding, _preload_content=False)
    assert response.status == 201
    import json

    assert json.loads(response.data) == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                       "code": 201}
    bound = api.read_namespaced_pod("p", "default")
    assert bound.spec.node_name == "node-1"
    assert bound.metadata.generation == 1
    assert [(c.type, c.status) for c in bound.status.conditions] == [("PodScheduled", "True")]
    assert bound.status.conditions[0].last_transition_time is not None


def test_a_binding_must_name_the_pod_of_its_url(api):
    api.json("POST", "/api/v1/namespaces/default/pods",
             {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    for named in ("other", ""):
        status, body = api.json("POST", "/api/v1/namespaces/default/pods/p/binding",
                                {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": named},
                                 "target": {"kind": "Node", "name": "n1"}})
        assert (status, body["reason"]) == (400, "BadRequest")
        assert body["message"] == "name in URL does not match name in Binding object"
    _, pod = api.json("GET", "/api/v1/namespaces/default/pods/p")
    assert "nodeName" not in pod["spec"]


def test_a_pod_that_is_gated_or_being_deleted_cannot_be_bound(api):
    pods = "/api/v1/namespaces/default/pods"
    container = [{"name": "c", "image": "busybox"}]
    api.json("POST", pods, {"metadata": {"name": "gated"},
                            "spec": {"containers": container, "schedulingGates": [{"name": "example.com/wait"}]}})
    api.json("POST", pods, {"metadata": {"name": "leaving", "finalizers": ["example.com/hold"]},
                            "spec": {"containers": container}})
    assert api.json("DELETE", f"{pods}/leaving")[0] == 200
    for name, detail in (("gated", "pod gated has non-empty .spec.schedulingGates"),
                         ("leaving", "pod leaving is being deleted, cannot be assigned to a host")):
        status, body = api.json("POST", f"{pods}/{name}/binding",
                                {"metadata": {"name": name}, "target": {"kind": "Node", "name": "n1"}})
        assert (status, body["reason"]) == (409, "Conflict")
        assert body["message"] == f'Operation cannot be fulfilled on pods/binding "{name}": {detail}'
        _, pod = api.json("GET", f"{pods}/{name}")
        assert "nodeName" not in pod["spec"]
