"""Per-kind field selector support and field values, checked against kube-apiserver v1.36."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api

from fakekube import FakeCluster
from fakekube.kinds import builtin_strategy, custom_resource_strategy
from fakekube.kinds.field_labels import KindFields, convert_selector, custom_fields, go_sprint
from fakekube.registry.resources import ResourceInfo
from fakekube.selectors import FieldSelector, SelectorError, parse_field_selector

# The kinds whose strategy carries field labels of their own (every other built-in kind has the default).
OWN_FIELD_LABELS = [("", "Pod"), ("", "Node"), ("", "ReplicationController"), ("", "Event"), ("", "Namespace"),
                    ("", "Secret"), ("", "Service"), ("events.k8s.io", "Event"), ("batch", "Job"),
                    ("certificates.k8s.io", "CertificateSigningRequest"),
                    ("certificates.k8s.io", "ClusterTrustBundle"), ("certificates.k8s.io", "PodCertificateRequest"),
                    ("resource.k8s.io", "ResourceSlice")]


def rules(group: str, kind: str) -> KindFields:
    """The field labels the server uses for a built-in kind: those of its resource's strategy."""
    return builtin_strategy(group, kind).field_labels


def check_supported(group: str, kind: str, selector: FieldSelector, version: str = "") -> None:
    convert_selector(rules(group, kind), selector, version)


def convert_field_selector(group: str, kind: str, selector: FieldSelector, version: str = "") -> FieldSelector:
    return convert_selector(rules(group, kind), selector, version)


def object_fields(group: str, kind: str, obj: dict[str, Any]) -> dict[str, str]:
    return rules(group, kind).values(obj)


def supported_fields(group: str, kind: str) -> frozenset[str]:
    return rules(group, kind).supported

META = {"metadata.name", "metadata.namespace"}


def rejection(group: str, kind: str, text: str, version: str = "") -> str:
    with pytest.raises(SelectorError) as caught:
        check_supported(group, kind, parse_field_selector(text), version)
    assert (caught.value.code, caught.value.reason) == (400, "BadRequest")
    return caught.value.message


def selects(group: str, kind: str, text: str, obj: dict[str, Any]) -> bool:
    selector = convert_field_selector(group, kind, parse_field_selector(text))
    return selector.matches(object_fields(group, kind, obj))


# --- which fields each kind accepts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "kind", "fields"),
    [
        ("", "Pod", META | {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                            "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                            "status.nominatedNodeName", "spec.host"}),
        ("", "Event", META | {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"}),
        ("events.k8s.io", "Event", META | {"regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                                           "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
                                           "reason", "reportingController", "source", "type"}),
        ("", "Secret", META | {"type"}),
        ("", "Service", META | {"spec.clusterIP", "spec.type"}),
        ("", "ReplicationController", META | {"status.replicas"}),
        ("", "Namespace", {"metadata.name", "status.phase"}),
        ("", "Node", {"metadata.name", "spec.unschedulable"}),
        ("batch", "Job", META | {"status.successful"}),
        ("certificates.k8s.io", "CertificateSigningRequest", {"metadata.name", "spec.signerName"}),
        ("certificates.k8s.io", "ClusterTrustBundle", {"metadata.name", "spec.signerName"}),
        ("certificates.k8s.io", "PodCertificateRequest",
         {"metadata.name", "spec.signerName", "spec.podName", "spec.nodeName"}),
        ("resource.k8s.io", "ResourceSlice", {"metadata.name", "spec.nodeName", "spec.driver"}),
        ("apps", "ReplicaSet", META),
        ("apps", "Deployment", META),
        ("", "ConfigMap", META),
        ("", "PersistentVolume", META),
        ("", "ServiceAccount", META),
        ("example.com", "Widget", META),
    ],
)
def test_each_kind_supports_exactly_upstreams_fields(group: str, kind: str, fields: set[str]) -> None:
    assert supported_fields(group, kind) == frozenset(fields)


# --- how unsupported fields are rejected -----------------------------------------------------


@pytest.mark.parametrize(
    ("group", "kind", "text", "message"),
    [
        ("", "Pod", "spec.containers=x", "field label not supported: spec.containers"),
        ("", "Pod", "status.podIP=1,bogus=x", "field label not supported: bogus"),
        ("", "Node", "metadata.namespace=", "field label not supported: metadata.namespace"),
        ("", "Namespace", "metadata.namespace=x", "field label not supported: metadata.namespace"),
        ("events.k8s.io", "Event", "involvedObject.name=x", "field label not supported: involvedObject.name"),
        ("", "Event", "regarding.name=x", "field label not supported: regarding.name"),
        ("", "Pod", "a =b", "field label not supported: a "),
        ("", "Pod", "=b", "field label not supported: "),
        ("batch", "Job", "status.succeeded=1", 'field label "status.succeeded" not supported for Job'),
        ("apps", "ReplicaSet", "status.replicas=0",
         '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
        ("networking.k8s.io", "Ingress", "foo.bar=baz",
         '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"'),
        ("", "ConfigMap", 'x"y=1', '"x\\"y" is not a known field selector: only "metadata.name", "metadata.namespace"'),
        ("resource.k8s.io", "ResourceSlice", "spec.pool.name=p",
         "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool.name"),
    ],
)
def test_unsupported_fields_are_rejected_with_upstreams_wording(group: str, kind: str, text: str, message: str) -> None:
    assert rejection(group, kind, text) == message


def test_the_resource_slice_rejection_names_the_served_version() -> None:
    assert rejection("resource.k8s.io", "ResourceSlice", "x=1", "v1beta2") == (
        "field label not supported for resource.k8s.io/v1beta2, Kind=ResourceSlice: x"
    )


def test_the_first_unsupported_field_in_sorted_order_is_the_one_reported() -> None:
    assert rejection("", "Pod", "zz=1,aa=2") == "field label not supported: aa"


def test_supported_selectors_pass_the_check() -> None:
    check_supported("", "Pod", parse_field_selector("spec.nodeName=n1,status.phase!=Failed,metadata.name=p"))
    check_supported("", "Pod", parse_field_selector(""))


def test_legacy_and_group_specific_names_are_rewritten_to_upstreams_field_names() -> None:
    pod = convert_field_selector("", "Pod", parse_field_selector("spec.host=n1"))
    assert str(pod) == "spec.nodeName=n1"
    sent = parse_field_selector("regarding.name=a,reportingController=k")
    event = convert_field_selector("events.k8s.io", "Event", sent)
    assert str(event) == "involvedObject.name=a,reportingComponent=k"


# --- what each kind's fields read --------------------------------------------------------------


def test_pod_fields_are_read_and_formatted_as_upstream() -> None:
    pod = {
        "metadata": {"name": "web", "namespace": "prod"},
        "spec": {"nodeName": "n1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "serviceAccountName": "builder", "hostNetwork": True},
        "status": {"phase": "Running", "podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}],
                   "nominatedNodeName": "n2"},
    }
    fields = object_fields("", "Pod", pod)
    assert fields == {
        "metadata.name": "web", "metadata.namespace": "prod", "spec.nodeName": "n1", "spec.host": "n1",
        "spec.restartPolicy": "Always", "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "builder", "spec.hostNetwork": "true", "status.phase": "Running",
        "status.podIP": "10.0.0.1", "status.podIPs": "", "status.nominatedNodeName": "n2",
    }


def test_a_bare_pod_reads_false_for_host_network_and_empty_strings_elsewhere() -> None:
    fields = object_fields("", "Pod", {"metadata": {"name": "p", "namespace": "d"}})
    assert fields["spec.hostNetwork"] == "false"
    assert fields["spec.nodeName"] == fields["status.podIP"] == fields["status.phase"] == ""


def test_pod_ip_and_service_account_fall_back_as_v1_conversion_does() -> None:
    pod = {"spec": {"serviceAccount": "legacy"}, "status": {"podIPs": [{"ip": "10.1.1.1"}]}}
    fields = object_fields("", "Pod", pod)
    assert (fields["status.podIP"], fields["spec.serviceAccountName"]) == ("10.1.1.1", "legacy")


def test_status_pod_ips_is_accepted_but_never_matches_a_value() -> None:
    pod = {"metadata": {"name": "p"}, "status": {"podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}]}}
    assert not selects("", "Pod", "status.podIPs=10.0.0.1", pod)
    assert selects("", "Pod", "status.podIPs=", pod)
    assert selects("", "Pod", "status.podIP=10.0.0.1", pod)


def test_the_legacy_spec_host_field_selects_on_node_name() -> None:
    pod = {"spec": {"nodeName": "n1"}}
    assert selects("", "Pod", "spec.host=n1", pod)
    assert object_fields("", "Pod", pod)["spec.host"] == "n1"


def test_core_events_read_involved_object_reason_and_source_with_its_fallback() -> None:
    event = {
        "metadata": {"name": "e", "namespace": "ns"},
        "involvedObject": {"kind": "Pod", "namespace": "ns", "name": "web", "uid": "u1", "apiVersion": "v1",
                           "resourceVersion": "42", "fieldPath": "spec.containers{app}"},
        "reason": "Pulled", "type": "Normal", "reportingComponent": "kubelet",
    }
    fields = object_fields("", "Event", event)
    assert {k: fields[k] for k in ("involvedObject.kind", "involvedObject.uid", "involvedObject.fieldPath",
                                   "reason", "type", "reportingComponent", "source")} == {
        "involvedObject.kind": "Pod", "involvedObject.uid": "u1", "involvedObject.fieldPath": "spec.containers{app}",
        "reason": "Pulled", "type": "Normal", "reportingComponent": "kubelet", "source": "kubelet",
    }
    event["source"] = {"component": "scheduler"}
    assert object_fields("", "Event", event)["source"] == "scheduler"


def test_events_k8s_io_events_are_read_from_their_own_field_names() -> None:
    event = {
        "metadata": {"name": "e", "namespace": "ns"},
        "regarding": {"kind": "Pod", "name": "web", "namespace": "ns"},
        "reason": "Started", "type": "Warning", "reportingController": "kubelet",
        "deprecatedSource": {"component": "old-kubelet"},
    }
    fields = object_fields("events.k8s.io", "Event", event)
    assert fields["regarding.name"] == fields["involvedObject.name"] == "web"
    assert fields["reportingController"] == fields["reportingComponent"] == "kubelet"
    assert fields["source"] == "old-kubelet"
    assert selects("events.k8s.io", "Event", "regarding.kind=Pod,type=Warning", event)
    assert not selects("events.k8s.io", "Event", "regarding.kind=Node", event)


@pytest.mark.parametrize(
    ("group", "kind", "obj", "expected"),
    [
        ("", "Secret", {"type": "kubernetes.io/tls"}, {"type": "kubernetes.io/tls"}),
        ("", "Namespace", {"metadata": {"name": "ns"}, "status": {"phase": "Terminating"}},
         {"status.phase": "Terminating", "metadata.namespace": ""}),
        ("", "Node", {"spec": {"unschedulable": True}}, {"spec.unschedulable": "true"}),
        ("", "Node", {"spec": {}}, {"spec.unschedulable": "false"}),
        ("", "ReplicationController", {"status": {"replicas": 3}}, {"status.replicas": "3"}),
        ("", "ReplicationController", {}, {"status.replicas": "0"}),
        ("", "Service", {"spec": {"clusterIP": "None", "type": "ClusterIP"}},
         {"spec.clusterIP": "None", "spec.type": "ClusterIP"}),
        ("batch", "Job", {"status": {"succeeded": 2}}, {"status.successful": "2"}),
        ("batch", "Job", {"status": {}}, {"status.successful": "0"}),
        ("certificates.k8s.io", "CertificateSigningRequest", {"spec": {"signerName": "example.com/s"}},
         {"spec.signerName": "example.com/s"}),
        ("certificates.k8s.io", "ClusterTrustBundle", {"spec": {"signerName": "example.com/s"}},
         {"spec.signerName": "example.com/s"}),
        ("certificates.k8s.io", "PodCertificateRequest",
         {"spec": {"signerName": "s", "podName": "p", "nodeName": "n"}},
         {"spec.signerName": "s", "spec.podName": "p", "spec.nodeName": "n"}),
        ("resource.k8s.io", "ResourceSlice", {"spec": {"driver": "gpu.example.com", "nodeName": "n1"}},
         {"spec.driver": "gpu.example.com", "spec.nodeName": "n1"}),
        ("resource.k8s.io", "ResourceSlice", {"spec": {"driver": "d", "allNodes": True}}, {"spec.nodeName": ""}),
        ("apps", "ReplicaSet", {"metadata": {"name": "rs", "namespace": "ns"}, "status": {"replicas": 1}},
         {"metadata.name": "rs", "metadata.namespace": "ns"}),
    ],
)
def test_kind_specific_fields_are_formatted_as_upstream(
    group: str, kind: str, obj: dict[str, Any], expected: dict[str, str]
) -> None:
    fields = object_fields(group, kind, obj)
    assert {k: fields[k] for k in expected} == expected


def test_every_kind_reports_name_and_namespace_with_an_empty_namespace_when_cluster_scoped() -> None:
    for group, kind in [*OWN_FIELD_LABELS, ("", "ConfigMap")]:
        fields = object_fields(group, kind, {"metadata": {"name": "x"}})
        assert (fields["metadata.name"], fields["metadata.namespace"]) == ("x", "")


def test_selectors_match_end_to_end_on_integer_and_boolean_fields() -> None:
    assert selects("", "Node", "spec.unschedulable=false", {"spec": {}})
    assert selects("", "ReplicationController", "status.replicas!=0", {"status": {"replicas": 2}})
    assert selects("batch", "Job", "status.successful=1", {"status": {"succeeded": 1}})


# --- custom resources: field labels from the resource's own strategy, per cluster ------------------


def widget(selectable: dict[str, str], *, namespaced: bool = True, kind: str = "Widget") -> ResourceInfo:
    plural = kind.lower() + "s"
    return ResourceInfo(group="example.com", version="v1", kind=kind, plural=plural, singular=kind.lower(),
                        namespaced=namespaced, verbs=frozenset({"get", "list", "create", "watch", "delete"}),
                        schema={"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                        strategy=custom_resource_strategy(custom_fields(selectable, namespaced=namespaced)))


def serving(*resources: ResourceInfo) -> tuple[FakeCluster, Api]:
    cluster = FakeCluster()
    for res in resources:
        cluster.catalog.add(res)
    cluster.start()
    return cluster, Api(cluster.url)


def names(api: Api, path: str) -> list[str]:
    status, body = api.json("GET", path)
    assert status == 200, body
    return [item["metadata"]["name"] for item in body["items"]]


def test_a_custom_resource_selects_on_its_selectable_fields_and_another_cluster_is_untouched() -> None:
    cluster, api = serving(widget({"spec.color": ".spec.color", "spec.size": ".spec.size"}))
    other, other_api = serving(widget({}))
    try:
        base = "/apis/example.com/v1/namespaces/default/widgets"
        for name, color, size in (("red-1", "red", 1), ("blue-2", "blue", 2)):
            status, body = api.json("POST", base, {"apiVersion": "example.com/v1", "kind": "Widget",
                                                   "metadata": {"name": name}, "spec": {"color": color, "size": size}})
            assert status == 201, body
        assert names(api, base + "?fieldSelector=spec.color%3Dred") == ["red-1"]
        assert names(api, base + "?fieldSelector=spec.size%3D2") == ["blue-2"]
        status, body = other_api.json("GET", base + "?fieldSelector=spec.color%3Dred")
        assert (status, body["message"]) == (400, "field label not supported: spec.color")
    finally:
        cluster.stop()
        other.stop()


def test_custom_resources_reject_with_the_crd_handlers_wording() -> None:
    cluster, api = serving(widget({}, namespaced=False, kind="Gadget"))
    try:
        status, body = api.json("GET", "/apis/example.com/v1/gadgets?fieldSelector=metadata.namespace%3Dx")
        assert (status, body["reason"], body["message"]) == (
            400, "BadRequest", "field label not supported: metadata.namespace")
    finally:
        cluster.stop()


def test_custom_resource_values_are_formatted_like_fmt_sprint() -> None:
    fields = custom_fields({"spec.size": ".spec.size", "spec.ready": ".spec.ready", "spec.color": ".spec.color",
                            "spec.label": ".spec.labels['app.kubernetes.io/name']"})
    obj = {"metadata": {"name": "w", "namespace": "d"},
           "spec": {"size": 3, "ready": False, "labels": {"app.kubernetes.io/name": "shop"}}}
    values = fields.values(obj)
    assert (values["spec.size"], values["spec.ready"], values["spec.color"], values["spec.label"]) == (
        "3", "false", "", "shop")
    assert convert_selector(fields, parse_field_selector("spec.size=3")).matches(values)


def test_built_in_field_labels_cannot_be_modified() -> None:
    with pytest.raises(TypeError):
        rules("", "Pod").accepted["x"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (True, "true"), (7, "7"), (-2, "-2"), (1.5, "1.5"), (1e6, "1e+06"), (123456.0, "123456"),
     (0.0001, "0.0001"), (0.00001, "1e-05"), ([1, "a"], "[1 a]"), ({"b": 1, "a": True}, "map[a:true b:1]")],
)
def test_go_sprint_formats_json_values_as_go_does(value: Any, text: str) -> None:
    assert go_sprint(value) == text
