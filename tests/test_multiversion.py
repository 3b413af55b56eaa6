"""Group-resources served in more than one version, over real HTTP, in every supported release.

For every release and every group-resource the release serves in several versions (plus Events,
which core ``v1`` and ``events.k8s.io/v1`` serve from one table), an object is created through each
version and then read, listed, watched and replaced through every version: each answer carries the
version asked for and the same user-visible facts, converted fields included.  Then the storage
versions themselves: what ``cluster.objects()`` holds, release by release, and DRA objects created in
one shape and read in the other.

One cluster per release serves the whole module (``api/all=true``); every object has its own name.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson
import pytest
from conftest import Api

from fakekube import FakeCluster
from fakekube.conversion import storage_for

RELEASES = ("v1.33", "v1.34", "v1.35", "v1.36", "v1.37")
DRA = "resource.k8s.io"
FLAT_REQUEST_VERSIONS = ("v1alpha3", "v1beta1")  # DeviceRequest fields flat; v1beta2 and v1 use `exactly`

# A self-signed CA certificate (P-256), for ClusterTrustBundles.
TRUST_BUNDLE = """-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUSvbmDWtaBAOkV643UaGUX097FRkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZmFrZWt1YmUgdGVzdCByb290MCAXDTI2MTIwMTExMjI0OVoY
DzIxMjYxMTA3MTEyMjQ5WjAdMRswGQYDVQQDDBJmYWtla3ViZSB0ZXN0IHJvb3Qw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARfLnU5sDFBXudWMLSpPU3NDKdMqjv1
jA4OewFcNjVfWsYa/wMs3DNoxfiS5A3flCSh3RPa/jBDf9ofHuDglyY4o1MwUTAd
BgNVHQ4EFgQUHnpzkNdOpRZbfwQXZkk3T0nrqTUwHwYDVR0jBBgwFoAUHnpzkNdO
pRZbfwQXZkk3T0nrqTUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiB8z4DHm3aMfU1Y8v3SPnTq2Sb2rP0s3jD2i4ycK5k5+AIgYbYZ5Xw0PEQyY6ho
C9bK0Kw4sLzKc9h0LH4kDJfVm0Y=
-----END CERTIFICATE-----
"""


# --------------------------------------------------------------------------------------------
# What each served version is, from the release's catalog


@dataclass(frozen=True)
class Served:
    group: str
    version: str
    plural: str
    kind: str
    list_kind: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def collection(self, namespace: str = "default") -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        return f"{base}/namespaces/{namespace}/{self.plural}" if self.namespaced else f"{base}/{self.plural}"

    def item(self, name: str) -> str:
        return f"{self.collection()}/{quote(name, safe='')}"


def _catalog(release: str) -> list[dict[str, Any]]:
    with open(f"schemas/{release}/catalog.json", "rb") as f:
        resources: list[dict[str, Any]] = orjson.loads(f.read())["resources"]
    return resources


def _families(release: str) -> dict[str, tuple[Served, ...]]:
    """``plural.group`` -> the versions it is served in, for the group-resources with several."""
    by: dict[tuple[str, str], list[Served]] = {}
    for rec in _catalog(release):
        served = Served(rec["group"], rec["version"], rec["plural"], rec["kind"], rec["listKind"], rec["namespaced"])
        by.setdefault((rec["group"], rec["plural"]), []).append(served)
    out = {f"{plural}.{group}": tuple(vs) for (group, plural), vs in by.items() if len(vs) > 1}
    out["events"] = tuple(by[("", "events")] + by[("events.k8s.io", "events")])  # one table, two groups
    return out


# PodCertificateRequests (v1beta1 and v1 in 1.37) are left out: a valid one needs a key pair and a proof of
# possession, and v1 replaced v1beta1's pkixPublicKey and proofOfPossession, a conversion not written yet.
UNTESTED_FAMILIES = frozenset({"podcertificaterequests.certificates.k8s.io"})
CASES = [(release, name) for release in RELEASES for name in sorted(_families(release))
         if name not in UNTESTED_FAMILIES]


# --------------------------------------------------------------------------------------------
# A valid object per group-resource, and the facts a user reads from it in any version


def _request(version: str) -> dict[str, Any]:
    fields = {"deviceClassName": "gpu.example.com", "allocationMode": "ExactCount", "count": 2,
              "selectors": [{"cel": {"expression": 'device.attributes["gpu.example.com"].model == "a100"'}}]}
    return {"name": "gpus", **fields} if version in FLAT_REQUEST_VERSIONS else {"name": "gpus", "exactly": fields}


def _request_facts(version: str, request: dict[str, Any]) -> tuple[Any, ...]:
    if version in FLAT_REQUEST_VERSIONS:
        assert "exactly" not in request
        fields = request
    else:
        assert "deviceClassName" not in request
        fields = request["exactly"]
    return (request["name"], fields["deviceClassName"], fields["allocationMode"], fields["count"],
            fields["selectors"][0]["cel"]["expression"])


def _device(version: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"attributes": {"model": {"string": "a100"}}, "capacity": {"memory": {"value": "40Gi"}}}
    if version == "v1alpha3":
        fields["capacity"] = {"memory": "40Gi"}
    return {"name": "gpu-0", "basic": fields} if version in FLAT_REQUEST_VERSIONS else {"name": "gpu-0", **fields}


def _slice_facts(version: str, obj: dict[str, Any]) -> tuple[Any, ...]:
    device = obj["spec"]["devices"][0]
    if version in FLAT_REQUEST_VERSIONS:
        assert set(device) == {"name", "basic"}
        fields = device["basic"]
    else:
        assert "basic" not in device
        fields = device
    memory = fields["capacity"]["memory"]
    if version == "v1alpha3":
        assert isinstance(memory, str)
    else:
        memory = memory["value"]
    return (obj["spec"]["nodeName"], device["name"], fields["attributes"]["model"]["string"], memory)


def _hpa_facts(version: str, obj: dict[str, Any]) -> tuple[Any, ...]:
    spec = obj["spec"]
    if version == "v1":
        assert "metrics" not in spec
        cpu = spec["targetCPUUtilizationPercentage"]
    else:
        assert "targetCPUUtilizationPercentage" not in spec
        [metric] = spec["metrics"]
        assert metric["resource"]["name"] == "cpu"
        cpu = metric["resource"]["target"]["averageUtilization"]
    return (spec["scaleTargetRef"]["name"], spec["maxReplicas"], cpu)


def _event_facts(api_version: str, obj: dict[str, Any]) -> tuple[Any, ...]:
    if api_version == "v1":
        return (obj["reason"], obj["message"], obj["involvedObject"]["name"], obj["type"])
    return (obj["reason"], obj["note"], obj["regarding"]["name"], obj["type"])


def _projection(sent: Any, got: Any) -> Any:
    """``got`` cut down to the shape of ``sent``: equal to ``sent`` when it holds all of it (defaults aside)."""
    if isinstance(sent, dict):
        return {key: _projection(value, got.get(key) if isinstance(got, dict) else None) for key, value in sent.items()}
    if isinstance(sent, list) and isinstance(got, list) and len(got) == len(sent):
        return [_projection(s, g) for s, g in zip(sent, got, strict=True)]
    return got


def _spec(**spec: Any) -> Callable[[Served], dict[str, Any]]:
    return lambda served: {"spec": spec}


_RULES = [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["deployments"]}]

# plural -> the body of a new object (no metadata) as ``served`` takes it
BODIES: dict[str, Callable[[Served], dict[str, Any]]] = {
    "validatingadmissionpolicies": _spec(matchConstraints={"resourceRules": _RULES},
                                         validations=[{"expression": "object.spec.replicas <= 5"}]),
    "validatingadmissionpolicybindings": _spec(policyName="replicas-limit", validationActions=["Deny"]),
    "mutatingadmissionpolicies": _spec(
        matchConstraints={"resourceRules": _RULES}, reinvocationPolicy="Never",
        mutations=[{"patchType": "ApplyConfiguration", "applyConfiguration": {
            "expression": "Object{metadata: Object.metadata{labels: {'mutated': 'true'}}}"}}]),
    "mutatingadmissionpolicybindings": _spec(policyName="add-label"),
    "clustertrustbundles": _spec(trustBundle=TRUST_BUNDLE),
    "leasecandidates": _spec(leaseName="kube-scheduler", binaryVersion="1.33.0", emulationVersion="1.33.0",
                             strategy="OldestEmulationVersion"),
    "ipaddresses": _spec(parentRef={"group": "", "resource": "services", "namespace": "default", "name": "web"}),
    "servicecidrs": _spec(cidrs=["10.200.0.0/24"]),
    "deviceclasses": _spec(selectors=[{"cel": {"expression": 'device.driver == "gpu.example.com"'}}]),
    "devicetaintrules": _spec(taint={"key": "example.com/unhealthy", "value": "true", "effect": "NoSchedule"}),
    "volumeattributesclasses": lambda served: {"driverName": "csi.example.com", "parameters": {"iops": "3000"}},
    "workloads": _spec(podGroupTemplates=[{"name": "workers", "schedulingPolicy": {"gang": {"minCount": 2}}}]),
    "podgroups": _spec(schedulingPolicy={"gang": {"minCount": 2}}),
    "storageversionmigrations": _spec(resource={"group": "apps", "resource": "deployments"}),
    "horizontalpodautoscalers": lambda served: {"spec": {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"}, "maxReplicas": 5,
        **({"targetCPUUtilizationPercentage": 60} if served.version == "v1" else {"metrics": [{
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}]}),
    }},
    "resourceclaims": lambda served: {"spec": {"devices": {"requests": [_request(served.version)]}}},
    "resourceclaimtemplates": lambda served: {"spec": {"spec": {"devices": {"requests": [_request(served.version)]}}}},
    "resourceslices": lambda served: {"spec": {
        "driver": "gpu.example.com", "pool": {"name": "node-1", "generation": 1, "resourceSliceCount": 1},
        "nodeName": "node-1", "devices": [_device(served.version)]}},
    # A core event written the new way (eventTime and reporting fields set), so that it can be replaced
    # through events.k8s.io too; legacy core events are in test_a_legacy_core_event_...
    "events": lambda served: {
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-0"}, "reason": "Started",
        "message": "Started container app", "type": "Normal", "eventTime": "2026-01-01T00:00:00.000000Z",
        "action": "Start", "reportingComponent": "example.com/ctl", "reportingInstance": "ctl-1",
    } if served.group == "" else {
        "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "example.com/ctl",
        "reportingInstance": "ctl-1", "action": "Start", "reason": "Started",
        "regarding": {"kind": "Pod", "namespace": "default", "name": "web-0"}, "note": "Started container app",
        "type": "Normal",
    },
}


def facts(served: Served, obj: dict[str, Any]) -> Any:
    """What a user of ``served`` reads from ``obj``, the same whichever version the object was written in."""
    if served.plural == "horizontalpodautoscalers":
        return _hpa_facts(served.version, obj)
    if served.plural == "events":
        return _event_facts(served.api_version, obj)
    if served.plural == "resourceclaims":
        return [_request_facts(served.version, r) for r in obj["spec"]["devices"]["requests"]]
    if served.plural == "resourceclaimtemplates":
        return [_request_facts(served.version, r) for r in obj["spec"]["spec"]["devices"]["requests"]]
    if served.plural == "resourceslices":
        return _slice_facts(served.version, obj)
    return _projection(BODIES[served.plural](served), obj)


def object_name(served: Served, index: int) -> str:
    if served.plural == "ipaddresses":
        return f"10.77.{index}.7"
    return f"{served.version}-made-{index}"


# --------------------------------------------------------------------------------------------
# HTTP


def watch_first_event(api: Api, path: str) -> dict[str, Any]:
    """The first event of a watch on ``path`` (its initial ADDED events come at once)."""
    conn = http.client.HTTPConnection(api.host, api.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": "Bearer test-token"})
        response = conn.getresponse()
        assert response.status == 200
        event: dict[str, Any] = json.loads(response.readline())
        return event
    finally:
        conn.close()


@pytest.fixture(scope="module")
def clusters() -> Iterator[Callable[[str], FakeCluster]]:
    """One started cluster per release, serving every version (``api/all=true``), for the whole module."""
    made: dict[str, FakeCluster] = {}

    def get(release: str) -> FakeCluster:
        if release not in made:
            made[release] = FakeCluster(release, runtime_config="api/all=true")
            made[release].start()
        return made[release]

    yield get
    for cluster in made.values():
        cluster.stop()


def _label(served: Served) -> str:
    return f"via-{served.group or 'core'}-{served.version}"


def _assert_typed(obj: dict[str, Any], served: Served, name: str) -> None:
    assert (obj["apiVersion"], obj["kind"], obj["metadata"]["name"]) == (served.api_version, served.kind, name)


@pytest.mark.parametrize(("release", "family"), CASES, ids=[f"{r}-{f}" for r, f in CASES])
def test_an_object_made_through_each_version_reads_lists_watches_and_updates_through_every_version(
        clusters: Callable[[str], FakeCluster], release: str, family: str) -> None:
    api = Api(clusters(release).url)
    versions = _families(release)[family]
    for index, made_as in enumerate(versions):
        name = object_name(made_as, index)
        body = {"metadata": {"name": name}, **BODIES[made_as.plural](made_as)}
        status, created = api.json("POST", made_as.collection(), body)
        assert status == 201, created
        _assert_typed(created, made_as, name)
        expected = {served.api_version: None for served in versions}
        expected[made_as.api_version] = facts(made_as, created)
        for served in versions:
            status, got = api.json("GET", served.item(name))
            assert status == 200, got
            _assert_typed(got, served, name)
            if expected[served.api_version] is None:
                expected[served.api_version] = facts(served, got)
            want = expected[served.api_version]
            assert facts(served, got) == want

            selector = quote(f"metadata.name={name}")
            status, listed = api.json("GET", f"{served.collection()}?fieldSelector={selector}")
            assert status == 200, listed
            assert (listed["apiVersion"], listed["kind"]) == (served.api_version, served.list_kind)
            [item] = listed["items"]
            assert item.get("apiVersion", served.api_version) == served.api_version
            assert facts(served, item) == want

            watch = f"{served.collection()}?watch=1&resourceVersion=0&fieldSelector={selector}"
            event = watch_first_event(api, watch)
            assert event["type"] == "ADDED"
            _assert_typed(event["object"], served, name)
            assert facts(served, event["object"]) == want

            got["metadata"].setdefault("labels", {})[_label(served)] = "yes"
            status, updated = api.json("PUT", served.item(name), got)
            assert status == 200, updated
            _assert_typed(updated, served, name)
            assert facts(served, updated) == want
        _, final = api.json("GET", made_as.item(name))
        assert final["metadata"]["labels"] == {_label(served): "yes" for served in versions}
        assert facts(made_as, final) == expected[made_as.api_version]


def test_a_legacy_core_event_reads_through_events_k8s_io_with_null_event_time(
        clusters: Callable[[str], FakeCluster]) -> None:
    api = Api(clusters("v1.36").url)
    core = Served("", "v1", "events", "Event", "EventList", True)
    events_v1 = Served("events.k8s.io", "v1", "events", "Event", "EventList", True)
    body = {"metadata": {"name": "legacy-event"}, "reason": "Started", "message": "Started container app",
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-0"}, "type": "Normal",
            "source": {"component": "kubelet"}}
    assert api.json("POST", core.collection(), body)[0] == 201
    status, got = api.json("GET", events_v1.item("legacy-event"))
    assert status == 200
    assert got["eventTime"] is None
    assert (got["note"], got["deprecatedSource"]) == ("Started container app", {"component": "kubelet"})


def test_a_legacy_core_event_can_be_replaced_through_events_k8s_io(clusters: Callable[[str], FakeCluster]) -> None:
    api = Api(clusters("v1.36").url)
    core = Served("", "v1", "events", "Event", "EventList", True)
    events_v1 = Served("events.k8s.io", "v1", "events", "Event", "EventList", True)
    body = {"metadata": {"name": "legacy-replaced"}, "reason": "Started", "message": "Started container app",
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-0"}, "type": "Normal"}
    assert api.json("POST", core.collection(), body)[0] == 201
    _, got = api.json("GET", events_v1.item("legacy-replaced"))
    got["metadata"]["labels"] = {"seen": "yes"}
    status, updated = api.json("PUT", events_v1.item("legacy-replaced"), got)
    assert status == 200, updated


# --------------------------------------------------------------------------------------------
# Storage versions


# (group, plural) -> the storage version in 1.33, 1.34, 1.35, 1.36, 1.37 ("" where the release serves one
# version only); see fakekube/conversion/storage.py for where each comes from.  The 1.37 column agrees with
# the storageVersionHash of every resource in the discovery of kube-apiserver v1.37.2 with api/all=true.
STORAGE: dict[tuple[str, str], tuple[str, str, str, str, str]] = {
    ("", "events"): ("v1",) * 5,
    ("events.k8s.io", "events"): ("v1",) * 5,
    ("autoscaling", "horizontalpodautoscalers"): ("autoscaling/v2",) * 5,
    ("admissionregistration.k8s.io", "validatingadmissionpolicies"): (
        "admissionregistration.k8s.io/v1", "", "", "", ""),
    ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"): (
        "admissionregistration.k8s.io/v1", "", "", "", ""),
    ("admissionregistration.k8s.io", "mutatingadmissionpolicies"): (
        "", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
        "admissionregistration.k8s.io/v1beta1", "admissionregistration.k8s.io/v1"),
    ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings"): (
        "", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
        "admissionregistration.k8s.io/v1beta1", "admissionregistration.k8s.io/v1"),
    ("certificates.k8s.io", "clustertrustbundles"): ("certificates.k8s.io/v1beta1",) * 5,
    ("certificates.k8s.io", "podcertificaterequests"): ("", "", "", "", "certificates.k8s.io/v1beta1"),
    ("coordination.k8s.io", "leasecandidates"): ("coordination.k8s.io/v1beta1",) * 5,
    ("networking.k8s.io", "ipaddresses"): ("networking.k8s.io/v1beta1",) + ("networking.k8s.io/v1",) * 3 + ("",),
    ("networking.k8s.io", "servicecidrs"): ("networking.k8s.io/v1beta1",) + ("networking.k8s.io/v1",) * 3 + ("",),
    **{(DRA, plural): (f"{DRA}/v1beta1", f"{DRA}/v1beta2", f"{DRA}/v1", f"{DRA}/v1", f"{DRA}/v1")
       for plural in ("deviceclasses", "resourceclaims", "resourceclaimtemplates", "resourceslices")},
    (DRA, "devicetaintrules"): ("", "", "", f"{DRA}/v1alpha3", f"{DRA}/v1beta2"),
    ("scheduling.k8s.io", "podgroups"): ("", "", "", "", "scheduling.k8s.io/v1beta1"),
    ("scheduling.k8s.io", "workloads"): ("", "", "", "", "scheduling.k8s.io/v1beta1"),
    ("storage.k8s.io", "volumeattributesclasses"): (
        "storage.k8s.io/v1beta1", "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1", ""),
    ("storagemigration.k8s.io", "storageversionmigrations"): ("", "", "", "", "storagemigration.k8s.io/v1beta1"),
}


@pytest.mark.parametrize("release", RELEASES)
def test_every_group_resource_served_in_several_versions_is_stored_where_kube_apiserver_stores_it(
        release: str) -> None:
    versions: dict[tuple[str, str], list[str]] = {}
    for rec in _catalog(release):
        versions.setdefault((rec["group"], rec["plural"]), []).append(rec["version"])
    several = {key for key, vs in versions.items() if len(vs) > 1} | {("", "events"), ("events.k8s.io", "events")}
    column = RELEASES.index(release)
    assert several == {key for key, row in STORAGE.items() if row[column]}
    for group, plural in sorted(several):
        choice = storage_for(release, group, plural, versions[(group, plural)])
        assert choice.api_version == STORAGE[(group, plural)][column], (group, plural)
        assert choice.table == ("events" if plural == "events" else f"{group}/{plural}")


def test_a_single_version_resource_is_stored_in_that_version() -> None:
    assert storage_for("v1.33", DRA, "devicetaintrules", ["v1alpha3"]).api_version == f"{DRA}/v1alpha3"
    assert storage_for("v1.36", "apps", "deployments", ["v1"]).api_version == "apps/v1"
    assert storage_for("v1.36", "", "pods", ["v1"]) == storage_for("v1.33", "", "pods", ["v1"])


def _stored(cluster: FakeCluster, kind: str, name: str) -> dict[str, Any]:
    [obj] = [o for o in cluster.objects() if o["kind"] == kind and o["metadata"]["name"] == name]
    return obj


@pytest.mark.parametrize("release", [r for r in RELEASES if STORAGE[("storage.k8s.io", "volumeattributesclasses")]
                                     [RELEASES.index(r)]])  # served in several versions up to 1.36
def test_a_volume_attributes_class_is_stored_in_the_release_s_storage_version_whichever_version_wrote_it(
        clusters: Callable[[str], FakeCluster], release: str) -> None:
    cluster = clusters(release)
    api = Api(cluster.url)
    storage = STORAGE[("storage.k8s.io", "volumeattributesclasses")][RELEASES.index(release)]
    for served in _families(release)["volumeattributesclasses.storage.k8s.io"]:
        name = f"stored-via-{served.version}"
        body = {"metadata": {"name": name}, "driverName": "csi.example.com", "parameters": {"iops": "3000"}}
        assert api.json("POST", served.collection(), body)[0] == 201
        stored = _stored(cluster, "VolumeAttributesClass", name)
        assert stored["apiVersion"] == storage
        assert (stored["driverName"], stored["parameters"]) == ("csi.example.com", {"iops": "3000"})


@pytest.mark.parametrize("release", RELEASES)
def test_a_v1beta1_resource_claim_is_stored_in_the_release_s_storage_version_and_shape(
        clusters: Callable[[str], FakeCluster], release: str) -> None:
    cluster = clusters(release)
    api = Api(cluster.url)
    v1beta1 = next(s for s in _families(release)["resourceclaims.resource.k8s.io"] if s.version == "v1beta1")
    body = {"metadata": {"name": "stored-claim"}, "spec": {"devices": {"requests": [_request("v1beta1")]}}}
    assert api.json("POST", v1beta1.collection(), body)[0] == 201
    stored = _stored(cluster, "ResourceClaim", "stored-claim")
    storage = STORAGE[(DRA, "resourceclaims")][RELEASES.index(release)]
    assert stored["apiVersion"] == storage
    [request] = stored["spec"]["devices"]["requests"]
    assert _request_facts(storage.rpartition("/")[2], request) == _request_facts("v1beta1", _request("v1beta1"))


def test_autoscaling_v1_and_events_k8s_io_objects_are_stored_as_autoscaling_v2_and_core_v1(
        clusters: Callable[[str], FakeCluster]) -> None:
    cluster = clusters("v1.34")
    api = Api(cluster.url)
    hpa_v1 = Served("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "", True)
    events_v1 = Served("events.k8s.io", "v1", "events", "Event", "EventList", True)
    hpa_body = {"metadata": {"name": "stored-hpa"}, **BODIES["horizontalpodautoscalers"](hpa_v1)}
    assert api.json("POST", hpa_v1.collection(), hpa_body)[0] == 201
    event_body = {"metadata": {"name": "stored-event"}, **BODIES["events"](events_v1)}
    assert api.json("POST", events_v1.collection(), event_body)[0] == 201
    hpa = _stored(cluster, "HorizontalPodAutoscaler", "stored-hpa")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert _hpa_facts("v2", hpa) == ("web", 5, 60)
    event = _stored(cluster, "Event", "stored-event")
    assert event["apiVersion"] == "v1"
    assert (event["message"], event["reportingComponent"]) == ("Started container app", "example.com/ctl")


# --------------------------------------------------------------------------------------------
# DRA: one shape in, the other out


def test_a_v1beta1_claim_reads_through_v1_with_its_request_under_exactly_and_back_unchanged(
        clusters: Callable[[str], FakeCluster]) -> None:
    api = Api(clusters("v1.36").url)
    family = {s.version: s for s in _families("v1.36")["resourceclaims.resource.k8s.io"]}
    request = {
        "name": "gpus", "deviceClassName": "gpu.example.com",
        "selectors": [{"cel": {"expression":
                               'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0'}}],
        "allocationMode": "ExactCount", "count": 2,
        "tolerations": [{"key": "example.com/unhealthy", "operator": "Exists", "effect": "NoSchedule"}],
    }
    first_available = {"name": "any-accelerator", "firstAvailable": [
        {"name": "big", "deviceClassName": "gpu.example.com", "allocationMode": "ExactCount", "count": 1}]}
    body = {"metadata": {"name": "dra-claim"}, "spec": {"devices": {"requests": [request, first_available]}}}
    assert api.json("POST", family["v1beta1"].collection(), body)[0] == 201

    _, as_v1 = api.json("GET", family["v1"].item("dra-claim"))
    exact, choice = as_v1["spec"]["devices"]["requests"]
    assert exact == {"name": "gpus", "exactly": {key: value for key, value in request.items() if key != "name"}}
    assert list(exact["exactly"]) == ["deviceClassName", "selectors", "allocationMode", "count", "tolerations"]
    assert choice == first_available  # no main field set: no `exactly`

    _, as_v1beta1 = api.json("GET", family["v1beta1"].item("dra-claim"))
    back, choice_back = as_v1beta1["spec"]["devices"]["requests"]
    assert back == request
    assert choice_back == {"name": "any-accelerator", "deviceClassName": "", **first_available}


def test_a_v1_resource_slice_reads_through_v1beta1_with_each_device_under_basic(
        clusters: Callable[[str], FakeCluster]) -> None:
    api = Api(clusters("v1.36").url)
    family = {s.version: s for s in _families("v1.36")["resourceslices.resource.k8s.io"]}
    gpu = {"name": "gpu-0",
           "attributes": {"model": {"string": "a100"}, "driverVersion": {"version": "1.2.3"}},
           "capacity": {"memory": {"value": "40Gi"}},
           "taints": [{"key": "example.com/unhealthy", "value": "ecc", "effect": "NoSchedule"}]}
    spec = {"driver": "gpu.example.com", "pool": {"name": "node-2", "generation": 3, "resourceSliceCount": 1},
            "nodeName": "node-2", "devices": [gpu, {"name": "gpu-1"}]}
    assert api.json("POST", family["v1"].collection(), {"metadata": {"name": "dra-slice"}, "spec": spec})[0] == 201

    _, as_v1beta1 = api.json("GET", family["v1beta1"].item("dra-slice"))
    first, second = as_v1beta1["spec"]["devices"]
    assert first == {"name": "gpu-0", "basic": {key: value for key, value in gpu.items() if key != "name"}}
    assert list(first["basic"]["attributes"]) == ["driverVersion", "model"]  # Go writes maps sorted
    assert second == {"name": "gpu-1", "basic": {}}
    assert as_v1beta1["spec"]["nodeName"] == "node-2"

    as_v1beta1["metadata"]["labels"] = {"edited": "through-v1beta1"}
    assert api.json("PUT", family["v1beta1"].item("dra-slice"), as_v1beta1)[0] == 200
    _, as_v1 = api.json("GET", family["v1"].item("dra-slice"))
    sorted_gpu = dict(gpu, attributes=dict(sorted(gpu["attributes"].items())))
    assert as_v1["spec"]["devices"] == [sorted_gpu, {"name": "gpu-1"}]


def test_a_v1alpha3_slice_capacity_is_a_quantity_stored_as_a_v1beta1_device_capacity(
        clusters: Callable[[str], FakeCluster]) -> None:
    cluster = clusters("v1.33")
    api = Api(cluster.url)
    family = {s.version: s for s in _families("v1.33")["resourceslices.resource.k8s.io"]}
    body = {"metadata": {"name": "dra-alpha-slice"}, "spec": {
        "driver": "gpu.example.com", "pool": {"name": "node-3", "generation": 1, "resourceSliceCount": 1},
        "nodeName": "node-3", "devices": [{"name": "gpu-0", "basic": {"capacity": {"memory": "80Gi"}}}]}}
    assert api.json("POST", family["v1alpha3"].collection(), body)[0] == 201
    stored = _stored(cluster, "ResourceSlice", "dra-alpha-slice")
    assert stored["apiVersion"] == f"{DRA}/v1beta1"
    assert stored["spec"]["devices"] == [{"name": "gpu-0", "basic": {"capacity": {"memory": {"value": "80Gi"}}}}]
    _, as_v1beta2 = api.json("GET", family["v1beta2"].item("dra-alpha-slice"))
    assert as_v1beta2["spec"]["devices"] == [{"name": "gpu-0", "capacity": {"memory": {"value": "80Gi"}}}]
    _, as_v1alpha3 = api.json("GET", family["v1alpha3"].item("dra-alpha-slice"))
    assert as_v1alpha3["spec"] == body["spec"]
