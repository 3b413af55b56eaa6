"""Conversion between served versions (HPA and Event), checked against kube-apiserver v1.36 behaviour.

DRA conversions and storage versions are in ``test_multiversion.py``."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest

from fakekube.conversion import (
    BEHAVIOR_ANNOTATION,
    CONDITIONS_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    METRICS_ANNOTATION,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
    ConversionError,
    converter_for,
)

HPA = converter_for("autoscaling", "horizontalpodautoscalers")
EVENTS = converter_for("", "events")

# --------------------------------------------------------------------------------------------
# Fixtures


def cpu_metric(utilization: int) -> dict[str, Any]:
    return {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}},
    }


def hpa_v2(**spec: Any) -> dict[str, Any]:
    base_spec: dict[str, Any] = {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "metrics": [cpu_metric(50)],
    }
    base_spec.update(spec)
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "0d9a2f40-1111-2222-3333-444455556666",
            "resourceVersion": "42",
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "labels": {"app": "web"},
        },
        "spec": base_spec,
        "status": {"currentReplicas": 2, "desiredReplicas": 3, "currentMetrics": None},
    }


def rich_hpa_v2() -> dict[str, Any]:
    obj = hpa_v2(
        metrics=[
            cpu_metric(50),
            {
                "type": "Object",
                "object": {
                    "describedObject": {"kind": "Service", "name": "front", "apiVersion": "v1"},
                    "target": {"type": "AverageValue", "averageValue": "10"},
                    "metric": {"name": "rps", "selector": {"matchLabels": {"tier": "front"}}},
                },
            },
            {
                "type": "Pods",
                "pods": {"metric": {"name": "queue"}, "target": {"type": "AverageValue", "averageValue": "5"}},
            },
            {
                "type": "Resource",
                "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}},
            },
            {
                "type": "ContainerResource",
                "containerResource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 70},
                    "container": "app",
                },
            },
            {
                "type": "External",
                "external": {"metric": {"name": "backlog"}, "target": {"type": "Value", "value": "30"}},
            },
        ],
        behavior={
            "scaleUp": {
                "stabilizationWindowSeconds": 0,
                "selectPolicy": "Max",
                "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15}],
            },
            "scaleDown": {
                "stabilizationWindowSeconds": 300,
                "selectPolicy": "Min",
                "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}],
                "tolerance": "50m",
            },
        },
    )
    obj["status"] = {
        "observedGeneration": 4,
        "lastScaleTime": "2026-01-02T00:00:00Z",
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "currentMetrics": [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "current": {"averageValue": "120m", "averageUtilization": 12}},
            },
            {
                "type": "External",
                "external": {"metric": {"name": "backlog"}, "current": {"value": "25"}},
            },
        ],
        "conditions": [
            {
                "type": "AbleToScale",
                "status": "True",
                "lastTransitionTime": "2026-01-02T00:00:00Z",
                "reason": "ReadyForNewScale",
                "message": "recommended size matches current size",
            },
            {
                "type": "ScalingActive",
                "status": "True",
                "lastTransitionTime": "2026-01-02T00:00:00Z",
                "reason": "ValidMetricFound",
                "message": "the HPA was able to compute the replica count",
            },
        ],
    }
    return obj


def hpa_v1(**spec: Any) -> dict[str, Any]:
    base_spec: dict[str, Any] = {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 50,
    }
    base_spec.update(spec)
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "42"},
        "spec": base_spec,
        "status": {"currentReplicas": 2, "desiredReplicas": 3},
    }


def with_annotations(obj: dict[str, Any], **annotations: str) -> dict[str, Any]:
    obj["metadata"]["annotations"] = dict(annotations)
    return obj


def annotation(obj: dict[str, Any], key: str) -> Any:
    return orjson.loads(obj["metadata"]["annotations"][key])


def core_event() -> dict[str, Any]:
    return {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": "web-1.17f", "namespace": "default", "resourceVersion": "7", "uid": "ev-uid"},
        "involvedObject": {
            "kind": "Pod",
            "namespace": "default",
            "name": "web-1",
            "uid": "pod-uid",
            "apiVersion": "v1",
            "resourceVersion": "100",
            "fieldPath": "spec.containers{app}",
        },
        "reason": "Pulled",
        "message": "Container image already present",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-01-01T00:00:00Z",
        "lastTimestamp": "2026-01-01T00:05:00Z",
        "count": 3,
        "type": "Normal",
        "eventTime": None,
        "reportingComponent": "kubelet",
        "reportingInstance": "node-1",
    }


def events_v1_event() -> dict[str, Any]:
    return {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": {"name": "web.18a", "namespace": "default", "resourceVersion": "9"},
        "eventTime": "2026-01-01T00:00:00.123456Z",
        "series": {"count": 4, "lastObservedTime": "2026-01-01T00:09:00.000001Z"},
        "reportingController": "example.com/controller",
        "reportingInstance": "controller-0",
        "action": "Scaling",
        "reason": "ScaledUp",
        "regarding": {"kind": "Deployment", "namespace": "default", "name": "web", "apiVersion": "apps/v1"},
        "related": {"kind": "ReplicaSet", "namespace": "default", "name": "web-abc"},
        "note": "scaled up to 3",
        "type": "Normal",
        "deprecatedSource": {},
        "deprecatedFirstTimestamp": None,
        "deprecatedLastTimestamp": None,
    }


# --------------------------------------------------------------------------------------------
# Dispatch and storage


def test_converting_to_the_same_version_returns_an_equal_but_independent_copy() -> None:
    obj = rich_hpa_v2()
    out = HPA.convert(obj, "autoscaling/v2")
    assert out == obj
    assert out is not obj
    out["spec"]["metrics"].clear()
    out["metadata"]["labels"]["app"] = "changed"
    assert obj == rich_hpa_v2()


def test_an_unknown_version_pair_raises_conversion_error() -> None:
    with pytest.raises(ConversionError):
        HPA.convert(hpa_v2(), "autoscaling/v2beta2")
    with pytest.raises(ConversionError):
        converter_for("", "pods").convert({"kind": "Pod", "apiVersion": "v1", "metadata": {}}, "apps/v1")
    with pytest.raises(ConversionError):
        EVENTS.convert(core_event(), "autoscaling/v1")
    with pytest.raises(ConversionError):  # a converter only knows its own group-resource's versions
        HPA.convert(core_event(), "events.k8s.io/v1")


def test_an_object_without_api_version_or_kind_raises_conversion_error() -> None:
    with pytest.raises(ConversionError):
        EVENTS.convert({"kind": "Event", "metadata": {}}, "v1")
    with pytest.raises(ConversionError):
        EVENTS.convert({"apiVersion": "v1", "metadata": {}}, "events.k8s.io/v1")


def test_events_of_both_groups_share_one_converter_family() -> None:
    events_k8s_io = converter_for("events.k8s.io", "events")
    assert events_k8s_io.convert(core_event(), "events.k8s.io/v1") == EVENTS.convert(core_event(), "events.k8s.io/v1")


def test_a_resource_with_one_shape_only_gets_its_api_version_rewritten() -> None:
    vac = {"kind": "VolumeAttributesClass", "apiVersion": "storage.k8s.io/v1beta1",
           "metadata": {"name": "gold"}, "driverName": "csi.example.com", "parameters": {"iops": "3000"}}
    out = converter_for("storage.k8s.io", "volumeattributesclasses").convert(vac, "storage.k8s.io/v1")
    assert out == dict(vac, apiVersion="storage.k8s.io/v1")
    assert list(out) == list(vac)
    assert vac["apiVersion"] == "storage.k8s.io/v1beta1"


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler: autoscaling/v2 -> autoscaling/v1


def test_a_v2_cpu_utilization_metric_becomes_the_v1_target_percentage() -> None:
    out = HPA.convert(hpa_v2(), "autoscaling/v1")
    assert out["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 50,
    }
    assert "annotations" not in out["metadata"]


def test_v2_to_v1_keeps_kind_api_version_metadata_first_and_preserves_metadata() -> None:
    obj = hpa_v2()
    out = HPA.convert(obj, "autoscaling/v1")
    assert list(out) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert out["kind"] == "HorizontalPodAutoscaler"
    assert out["apiVersion"] == "autoscaling/v1"
    assert out["metadata"] == obj["metadata"]


def test_v1_status_always_carries_current_and_desired_replicas() -> None:
    obj = hpa_v2()
    del obj["status"]
    out = HPA.convert(obj, "autoscaling/v1")
    assert out["status"] == {"currentReplicas": 0, "desiredReplicas": 0}


def test_the_first_cpu_utilization_metric_sets_the_target_and_a_cpu_average_value_travels_in_the_annotation() -> None:
    cpu_value = {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "300m"}},
    }
    out = HPA.convert(hpa_v2(metrics=[cpu_value, cpu_metric(70), cpu_metric(60)]), "autoscaling/v1")
    assert out["spec"]["targetCPUUtilizationPercentage"] == 70
    # every CPU utilization metric is left out of the annotation, as upstream does
    assert annotation(out, METRICS_ANNOTATION) == [
        {"type": "Resource", "resource": {"name": "cpu", "targetAverageValue": "300m"}}
    ]


def test_metrics_v1_cannot_express_go_to_the_metrics_annotation_in_v1_form() -> None:
    out = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    assert out["metadata"]["annotations"][METRICS_ANNOTATION] == (
        '[{"type":"Object","object":{"target":{"kind":"Service","name":"front","apiVersion":"v1"},'
        '"metricName":"rps","targetValue":"0","selector":{"matchLabels":{"tier":"front"}},"averageValue":"10"}},'
        '{"type":"Pods","pods":{"metricName":"queue","targetAverageValue":"5"}},'
        '{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}},'
        '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":70,"container":"app"}},'
        '{"type":"External","external":{"metricName":"backlog","targetValue":"30"}}]'
    )


def test_current_metrics_are_kept_in_the_annotation_and_cpu_utilization_in_the_status() -> None:
    out = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    assert out["status"] == {
        "observedGeneration": 4,
        "lastScaleTime": "2026-01-02T00:00:00Z",
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "currentCPUUtilizationPercentage": 12,
    }
    assert out["metadata"]["annotations"][CURRENT_METRICS_ANNOTATION] == (
        '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":12,"currentAverageValue":"120m"}},'
        '{"type":"External","external":{"metricName":"backlog","currentValue":"25"}}]'
    )


def test_the_behavior_annotation_holds_the_internal_go_field_names_with_nulls() -> None:
    out = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    assert out["metadata"]["annotations"][BEHAVIOR_ANNOTATION] == (
        '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max",'
        '"Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},'
        '"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":"Min",'
        '"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":"50m"}}'
    )


def test_a_behavior_with_one_direction_writes_the_other_as_null() -> None:
    out = HPA.convert(hpa_v2(behavior={"scaleDown": {"stabilizationWindowSeconds": 60}}), "autoscaling/v1")
    assert out["metadata"]["annotations"][BEHAVIOR_ANNOTATION] == (
        '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":null,"Policies":null,"Tolerance":null}}'
    )


def test_conditions_go_to_the_conditions_annotation_escaped_as_go_does() -> None:
    obj = hpa_v2()
    obj["status"]["conditions"] = [
        {"type": "AbleToScale", "status": "False", "reason": "FailedGetScale", "message": "can't get <web> & co"}
    ]
    out = HPA.convert(obj, "autoscaling/v1")
    assert out["metadata"]["annotations"][CONDITIONS_ANNOTATION] == (
        '[{"type":"AbleToScale","status":"False","lastTransitionTime":null,"reason":"FailedGetScale",'
        '"message":"can\'t get \\u003cweb\\u003e \\u0026 co"}]'
    )


def test_stale_round_trip_annotations_on_a_v2_object_are_dropped_when_read_as_v1() -> None:
    obj = hpa_v2()
    obj["metadata"]["annotations"] = {
        "keep": "me",
        METRICS_ANNOTATION: "[]",
        CURRENT_METRICS_ANNOTATION: "[]",
        CONDITIONS_ANNOTATION: "[]",
        BEHAVIOR_ANNOTATION: "{}",
        SCALE_UP_TOLERANCE_ANNOTATION: "1",
        SCALE_DOWN_TOLERANCE_ANNOTATION: "1",
    }
    out = HPA.convert(obj, "autoscaling/v1")
    assert out["metadata"]["annotations"] == {"keep": "me"}


def test_an_annotations_map_created_by_conversion_sits_where_go_puts_it_in_metadata() -> None:
    obj = rich_hpa_v2()
    obj["metadata"]["finalizers"] = ["x"]
    out = HPA.convert(obj, "autoscaling/v1")
    assert list(out["metadata"]) == [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "labels",
        "annotations",
        "finalizers",
    ]


def test_v2_to_v1_does_not_mutate_its_input() -> None:
    obj = rich_hpa_v2()
    obj["metadata"]["annotations"] = {"keep": "me", METRICS_ANNOTATION: "[]"}
    before = copy.deepcopy(obj)
    out = HPA.convert(obj, "autoscaling/v1")
    assert obj == before
    out["metadata"]["labels"]["app"] = "changed"
    out["status"]["lastScaleTime"] = "changed"
    assert obj == before


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler: autoscaling/v1 -> autoscaling/v2


def test_the_v1_target_percentage_becomes_a_cpu_utilization_metric() -> None:
    out = HPA.convert(hpa_v1(), "autoscaling/v2")
    assert out["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "metrics": [cpu_metric(50)],
    }


def test_a_v1_object_without_a_target_stands_for_eighty_percent_cpu() -> None:
    obj = hpa_v1()
    del obj["spec"]["targetCPUUtilizationPercentage"]
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["spec"]["metrics"] == [cpu_metric(80)]


def test_v2_status_writes_null_current_metrics_and_omits_zero_current_replicas() -> None:
    obj = hpa_v1()
    obj["status"] = {"currentReplicas": 0, "desiredReplicas": 0}
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["status"] == {"desiredReplicas": 0, "currentMetrics": None}


def test_the_v1_current_percentage_becomes_a_cpu_current_metric() -> None:
    obj = hpa_v1()
    obj["status"]["currentCPUUtilizationPercentage"] = 33
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["status"] == {
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 33}}}],
    }


def test_annotated_metrics_come_back_before_the_cpu_target_and_the_annotations_are_removed() -> None:
    memory = '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":60}}]'
    obj = with_annotations(hpa_v1(), **{METRICS_ANNOTATION: memory, "keep": "me"})
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 60}},
        },
        cpu_metric(50),
    ]
    assert out["metadata"]["annotations"] == {"keep": "me"}


def test_an_annotations_map_left_empty_is_removed() -> None:
    obj = with_annotations(hpa_v1(), **{METRICS_ANNOTATION: "[]", SCALE_UP_TOLERANCE_ANNOTATION: "10m"})
    out = HPA.convert(obj, "autoscaling/v2")
    assert "annotations" not in out["metadata"]
    assert out["spec"]["metrics"] == [cpu_metric(50)]


@pytest.mark.parametrize(
    ("v1_object_metric", "v2_target"),
    [
        ({"targetValue": "7"}, {"type": "Value", "value": "7"}),
        ({"targetValue": "0", "averageValue": "10"}, {"type": "AverageValue", "averageValue": "10"}),
        ({"averageValue": "10"}, {"type": "AverageValue", "averageValue": "10"}),
        ({"targetValue": "2", "averageValue": "10"}, {"type": "AverageValue", "value": "2", "averageValue": "10"}),
    ],
)
def test_an_object_metric_keeps_a_zero_target_value_only_for_value_targets(
    v1_object_metric: dict[str, Any], v2_target: dict[str, Any]
) -> None:
    source = {"target": {"kind": "Service", "name": "front"}, "metricName": "rps", **v1_object_metric}
    raw = orjson.dumps([{"type": "Object", "object": source}]).decode()
    out = HPA.convert(with_annotations(hpa_v1(), **{METRICS_ANNOTATION: raw}), "autoscaling/v2")
    assert out["spec"]["metrics"][0] == {
        "type": "Object",
        "object": {
            "describedObject": {"kind": "Service", "name": "front"},
            "target": v2_target,
            "metric": {"name": "rps"},
        },
    }


def test_pods_external_and_container_resource_metrics_get_their_v2_target_types() -> None:
    raw = orjson.dumps(
        [
            {
                "type": "Pods",
                "pods": {"metricName": "queue", "targetAverageValue": "5", "selector": {"matchLabels": {"a": "b"}}},
            },
            {"type": "External", "external": {"metricName": "backlog", "targetAverageValue": "3"}},
            {"type": "External", "external": {"metricName": "lag", "targetValue": "9", "metricSelector": {}}},
            {
                "type": "ContainerResource",
                "containerResource": {"name": "memory", "targetAverageValue": "1Gi", "container": "app"},
            },
        ]
    ).decode()
    obj = with_annotations(hpa_v1(), **{METRICS_ANNOTATION: raw})
    del obj["spec"]["targetCPUUtilizationPercentage"]
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["spec"]["metrics"] == [
        {
            "type": "Pods",
            "pods": {
                "metric": {"name": "queue", "selector": {"matchLabels": {"a": "b"}}},
                "target": {"type": "AverageValue", "averageValue": "5"},
            },
        },
        {
            "type": "External",
            "external": {"metric": {"name": "backlog"}, "target": {"type": "AverageValue", "averageValue": "3"}},
        },
        {
            "type": "External",
            "external": {"metric": {"name": "lag", "selector": {}}, "target": {"type": "Value", "value": "9"}},
        },
        {
            "type": "ContainerResource",
            "containerResource": {
                "name": "memory",
                "target": {"type": "AverageValue", "averageValue": "1Gi"},
                "container": "app",
            },
        },
    ]


def test_annotated_current_metrics_replace_the_one_derived_from_the_v1_percentage() -> None:
    raw = (
        '[{"type":"Pods","pods":{"metricName":"queue","currentAverageValue":"4"}},'
        '{"type":"Object","object":{"target":{"kind":"Service","name":"front"},"metricName":"rps","currentValue":"0","averageValue":"8"}}]'
    )
    obj = with_annotations(hpa_v1(), **{CURRENT_METRICS_ANNOTATION: raw})
    obj["status"]["currentCPUUtilizationPercentage"] = 33
    out = HPA.convert(obj, "autoscaling/v2")
    assert out["status"]["currentMetrics"] == [
        {"type": "Pods", "pods": {"metric": {"name": "queue"}, "current": {"averageValue": "4"}}},
        {
            "type": "Object",
            "object": {
                "metric": {"name": "rps"},
                "current": {"value": "0", "averageValue": "8"},
                "describedObject": {"kind": "Service", "name": "front"},
            },
        },
    ]


def test_the_behavior_annotation_is_read_back_ignoring_key_case() -> None:
    raw = '{"scaleUp":{"stabilizationWindowSeconds":30,"policies":[{"type":"Percent","value":50,"periodSeconds":30}]}}'
    out = HPA.convert(with_annotations(hpa_v1(), **{BEHAVIOR_ANNOTATION: raw}), "autoscaling/v2")
    assert out["spec"]["behavior"] == {
        "scaleUp": {
            "stabilizationWindowSeconds": 30,
            "policies": [{"type": "Percent", "value": 50, "periodSeconds": 30}],
        }
    }


@pytest.mark.parametrize(
    "raw", ["{}", "null", '{"ScaleUp":null,"ScaleDown":null}', "not json", "[]", '{"ScaleUp":{"Policies":"x"}}']
)
def test_an_empty_or_undecodable_behavior_annotation_is_ignored_and_dropped(raw: str) -> None:
    out = HPA.convert(with_annotations(hpa_v1(), **{BEHAVIOR_ANNOTATION: raw}), "autoscaling/v2")
    assert "behavior" not in out["spec"]
    assert "annotations" not in out["metadata"]


@pytest.mark.parametrize(
    "raw", ["not json", "{}", '[{"type":1}]', '[{"type":"Resource","resource":{"targetAverageUtilization":"x"}}]']
)
def test_an_undecodable_metrics_annotation_is_ignored_and_dropped(raw: str) -> None:
    out = HPA.convert(with_annotations(hpa_v1(), **{METRICS_ANNOTATION: raw}), "autoscaling/v2")
    assert out["spec"]["metrics"] == [cpu_metric(50)]
    assert "annotations" not in out["metadata"]


def test_the_conditions_annotation_becomes_v2_conditions() -> None:
    raw = (
        '[{"type":"ScalingActive","status":"False","lastTransitionTime":"2026-01-02T00:00:00Z",'
        '"reason":"FailedGetResourceMetric"}]'
    )
    out = HPA.convert(with_annotations(hpa_v1(), **{CONDITIONS_ANNOTATION: raw}), "autoscaling/v2")
    assert out["status"]["conditions"] == [
        {
            "type": "ScalingActive",
            "status": "False",
            "lastTransitionTime": "2026-01-02T00:00:00Z",
            "reason": "FailedGetResourceMetric",
        }
    ]


def test_v1_to_v2_keeps_kind_api_version_metadata_first_and_preserves_metadata() -> None:
    obj = hpa_v1()
    out = HPA.convert(obj, "autoscaling/v2")
    assert list(out) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert out["apiVersion"] == "autoscaling/v2"
    assert out["metadata"] == obj["metadata"]


def test_v1_to_v2_does_not_mutate_its_input() -> None:
    obj = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    before = copy.deepcopy(obj)
    out = HPA.convert(obj, "autoscaling/v2")
    assert obj == before
    out["metadata"]["labels"]["app"] = "changed"
    assert obj == before


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler round trips


def test_a_v2_object_survives_a_trip_through_v1_with_only_the_cpu_target_moved_last() -> None:
    original = rich_hpa_v2()
    back = HPA.convert(HPA.convert(original, "autoscaling/v1"), "autoscaling/v2")
    expected = copy.deepcopy(original)
    metrics = expected["spec"]["metrics"]
    metrics.append(metrics.pop(0))
    # a v1 object metric cannot omit targetValue; the zero it writes is not carried back
    assert back == expected


def test_a_v2_object_whose_only_metric_is_the_cpu_target_round_trips_exactly() -> None:
    original = hpa_v2()
    assert HPA.convert(HPA.convert(original, "autoscaling/v1"), "autoscaling/v2") == original


def test_a_v1_object_survives_a_trip_through_v2() -> None:
    original = hpa_v1()
    original["status"]["observedGeneration"] = 2
    assert HPA.convert(HPA.convert(original, "autoscaling/v2"), "autoscaling/v1") == original


def test_a_v1_current_percentage_comes_back_from_v2_with_the_raw_current_metrics_annotation() -> None:
    original = hpa_v1()
    original["status"]["currentCPUUtilizationPercentage"] = 40
    back = HPA.convert(HPA.convert(original, "autoscaling/v2"), "autoscaling/v1")
    assert back["status"] == original["status"]
    assert back["metadata"]["annotations"] == {
        CURRENT_METRICS_ANNOTATION: '[{"type":"Resource","resource":{"name":"cpu",'
        '"currentAverageUtilization":40,"currentAverageValue":"0"}}]'
    }


def test_an_annotated_v1_object_survives_a_trip_through_v2() -> None:
    original = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    assert HPA.convert(HPA.convert(original, "autoscaling/v2"), "autoscaling/v1") == original


def test_a_v1_client_editing_the_target_keeps_the_v2_only_data() -> None:
    as_v1 = HPA.convert(rich_hpa_v2(), "autoscaling/v1")
    as_v1["spec"]["targetCPUUtilizationPercentage"] = 65
    back = HPA.convert(as_v1, "autoscaling/v2")
    assert back["spec"]["metrics"][-1] == cpu_metric(65)
    assert len(back["spec"]["metrics"]) == 6
    assert back["spec"]["behavior"] == rich_hpa_v2()["spec"]["behavior"]
    assert back["status"]["conditions"] == rich_hpa_v2()["status"]["conditions"]


# --------------------------------------------------------------------------------------------
# Event: core v1 <-> events.k8s.io/v1


def test_a_core_event_reads_as_an_events_k8s_io_event_with_renamed_fields() -> None:
    out = EVENTS.convert(core_event(), "events.k8s.io/v1")
    assert out == {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": {"name": "web-1.17f", "namespace": "default", "resourceVersion": "7", "uid": "ev-uid"},
        "eventTime": None,
        "reportingController": "kubelet",
        "reportingInstance": "node-1",
        "reason": "Pulled",
        "regarding": {
            "kind": "Pod",
            "namespace": "default",
            "name": "web-1",
            "uid": "pod-uid",
            "apiVersion": "v1",
            "resourceVersion": "100",
            "fieldPath": "spec.containers{app}",
        },
        "note": "Container image already present",
        "type": "Normal",
        "deprecatedSource": {"component": "kubelet", "host": "node-1"},
        "deprecatedFirstTimestamp": "2026-01-01T00:00:00Z",
        "deprecatedLastTimestamp": "2026-01-01T00:05:00Z",
        "deprecatedCount": 3,
    }
    assert list(out)[:3] == ["kind", "apiVersion", "metadata"]


def test_an_events_k8s_io_event_reads_as_a_core_event_with_renamed_fields() -> None:
    out = EVENTS.convert(events_v1_event(), "v1")
    assert out == {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": "web.18a", "namespace": "default", "resourceVersion": "9"},
        "involvedObject": {"kind": "Deployment", "namespace": "default", "name": "web", "apiVersion": "apps/v1"},
        "reason": "ScaledUp",
        "message": "scaled up to 3",
        "source": {},
        "firstTimestamp": None,
        "lastTimestamp": None,
        "type": "Normal",
        "eventTime": "2026-01-01T00:00:00.123456Z",
        "series": {"count": 4, "lastObservedTime": "2026-01-01T00:09:00.000001Z"},
        "action": "Scaling",
        "related": {"kind": "ReplicaSet", "namespace": "default", "name": "web-abc"},
        "reportingComponent": "example.com/controller",
        "reportingInstance": "controller-0",
    }
    assert list(out)[:3] == ["kind", "apiVersion", "metadata"]


def test_a_sparse_core_event_gets_the_fields_go_always_writes_in_events_k8s_io() -> None:
    sparse = {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": "e"},
        "involvedObject": {"kind": "Node", "name": "n"},
    }
    out = EVENTS.convert(sparse, "events.k8s.io/v1")
    assert out == {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": {"name": "e"},
        "eventTime": None,
        "regarding": {"kind": "Node", "name": "n"},
        "deprecatedSource": {},
        "deprecatedFirstTimestamp": None,
        "deprecatedLastTimestamp": None,
    }


def test_a_sparse_events_k8s_io_event_gets_the_fields_go_always_writes_in_core() -> None:
    sparse = {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": {"name": "e"}, "series": {"count": 0}}
    out = EVENTS.convert(sparse, "v1")
    assert out == {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": "e"},
        "involvedObject": {},
        "source": {},
        "firstTimestamp": None,
        "lastTimestamp": None,
        "eventTime": None,
        "series": {"lastObservedTime": None},
        "reportingComponent": "",
        "reportingInstance": "",
    }


def test_a_core_event_survives_a_trip_through_events_k8s_io() -> None:
    original = core_event()
    original["series"] = {"count": 2, "lastObservedTime": "2026-01-01T00:06:00.000000Z"}
    original["action"] = "Pulling"
    original["related"] = {"kind": "Node", "name": "node-1"}
    original["eventTime"] = "2026-01-01T00:00:00.000000Z"
    assert EVENTS.convert(EVENTS.convert(original, "events.k8s.io/v1"), "v1") == original


def test_an_events_k8s_io_event_survives_a_trip_through_core() -> None:
    original = events_v1_event()
    assert EVENTS.convert(EVENTS.convert(original, "v1"), "events.k8s.io/v1") == original


def test_event_conversion_does_not_mutate_its_input_in_either_direction() -> None:
    for obj, target in ((core_event(), "events.k8s.io/v1"), (events_v1_event(), "v1")):
        before = copy.deepcopy(obj)
        out = EVENTS.convert(obj, target)
        assert obj == before
        out["metadata"]["name"] = "changed"
        for value in out.values():
            if isinstance(value, dict):
                value["mutated"] = True
        assert obj == before


# --------------------------------------------------------------------------------------------
# resource.k8s.io: ResourceClaim, ResourceClaimTemplate, ResourceSlice

DRA = "resource.k8s.io"
CLAIMS = converter_for(DRA, "resourceclaims")
TEMPLATES = converter_for(DRA, "resourceclaimtemplates")
SLICES = converter_for(DRA, "resourceslices")

SELECTOR = {"cel": {"expression": 'device.attributes["gpu.example.com"].model == "a100"'}}
TOLERATION = {"key": "example.com/unhealthy", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}


def claim(api_version: str, requests: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "ResourceClaim",
        "apiVersion": f"{DRA}/{api_version}",
        "metadata": {"name": "gpus", "namespace": "default", "resourceVersion": "7"},
        "spec": {"devices": {
            "requests": requests,
            "constraints": [{"requests": ["gpus"], "matchAttribute": "gpu.example.com/numa"}],
            "config": [{"requests": ["gpus"], "opaque": {"driver": "gpu.example.com", "parameters": {"mig": "1g"}}}],
        }},
        **extra,
    }


def flat_request() -> dict[str, Any]:
    return {"name": "gpus", "deviceClassName": "gpu.example.com", "selectors": [SELECTOR],
            "allocationMode": "ExactCount", "count": 2, "adminAccess": False,
            "firstAvailable": None, "tolerations": [TOLERATION], "capacity": {"requests": {"memory": "10Gi"}}}


def exact_request() -> dict[str, Any]:
    return {"name": "gpus", "exactly": {
        "deviceClassName": "gpu.example.com", "selectors": [SELECTOR], "allocationMode": "ExactCount", "count": 2,
        "adminAccess": False, "tolerations": [TOLERATION], "capacity": {"requests": {"memory": "10Gi"}}}}


ALLOCATION = {"allocation": {"devices": {"results": [
    {"request": "gpus", "driver": "gpu.example.com", "pool": "node-1", "device": "gpu-0"}]}}}


def test_a_v1beta1_request_reads_through_v1_with_its_fields_under_exactly_in_go_order() -> None:
    out = CLAIMS.convert(claim("v1beta1", [flat_request()], status=ALLOCATION), f"{DRA}/v1")
    assert out["apiVersion"] == f"{DRA}/v1"
    [request] = out["spec"]["devices"]["requests"]
    assert request == exact_request()
    assert list(request) == ["name", "exactly"]
    assert list(request["exactly"]) == [
        "deviceClassName", "selectors", "allocationMode", "count", "adminAccess", "tolerations", "capacity"]
    assert out["spec"]["devices"]["constraints"] == claim("v1", [])["spec"]["devices"]["constraints"]
    assert out["status"] == ALLOCATION
    assert list(out) == ["kind", "apiVersion", "metadata", "spec", "status"]


def test_a_v1_request_reads_through_v1beta1_with_its_fields_flat_in_go_order() -> None:
    for version in ("v1", "v1beta2"):
        out = CLAIMS.convert(claim(version, [exact_request()]), f"{DRA}/v1beta1")
        [request] = out["spec"]["devices"]["requests"]
        assert request == {key: value for key, value in flat_request().items() if value is not None}
        assert list(request) == ["name", "deviceClassName", "selectors", "allocationMode", "count", "adminAccess",
                                 "tolerations", "capacity"]


def test_a_first_available_request_has_no_exactly_and_an_empty_device_class_name_when_flat() -> None:
    sub = {"name": "big", "deviceClassName": "gpu.example.com", "selectors": [SELECTOR], "count": 1}
    v1 = claim("v1", [{"name": "any", "firstAvailable": [sub]}])
    flat = CLAIMS.convert(v1, f"{DRA}/v1beta1")
    assert flat["spec"]["devices"]["requests"] == [{"name": "any", "deviceClassName": "", "firstAvailable": [sub]}]
    assert CLAIMS.convert(flat, f"{DRA}/v1") == v1


def test_any_main_field_go_considers_set_creates_exactly() -> None:
    cases = [
        ({"name": "r", "selectors": []}, {"name": "r", "exactly": {"deviceClassName": ""}}),
        ({"name": "r", "adminAccess": False}, {"name": "r", "exactly": {"deviceClassName": "", "adminAccess": False}}),
        ({"name": "r", "tolerations": []}, {"name": "r", "exactly": {"deviceClassName": ""}}),
        ({"name": "r", "count": 0, "allocationMode": "", "deviceClassName": "", "selectors": None}, {"name": "r"}),
    ]
    for flat, hub in cases:
        out = CLAIMS.convert(claim("v1beta1", [flat]), f"{DRA}/v1")
        assert out["spec"]["devices"]["requests"] == [hub], flat


def test_claims_survive_round_trips_both_ways_and_v1alpha3_has_the_v1beta1_shape() -> None:
    flat = claim("v1beta1", [dict(flat_request(), firstAvailable=[{"name": "a", "deviceClassName": "c"}])])
    for hub_version in ("v1", "v1beta2"):
        assert CLAIMS.convert(CLAIMS.convert(flat, f"{DRA}/{hub_version}"), f"{DRA}/v1beta1") == flat
    hub = claim("v1", [exact_request()])
    assert CLAIMS.convert(CLAIMS.convert(hub, f"{DRA}/v1beta1"), f"{DRA}/v1") == hub
    assert CLAIMS.convert(CLAIMS.convert(hub, f"{DRA}/v1alpha3"), f"{DRA}/v1") == hub
    alpha = CLAIMS.convert(hub, f"{DRA}/v1alpha3")
    assert alpha == dict(CLAIMS.convert(hub, f"{DRA}/v1beta1"), apiVersion=f"{DRA}/v1alpha3")


def test_a_claim_template_converts_the_requests_of_its_claim_spec() -> None:
    template = {"kind": "ResourceClaimTemplate", "apiVersion": f"{DRA}/v1beta1",
                "metadata": {"name": "gpus", "namespace": "default"},
                "spec": {"metadata": {"labels": {"app": "train"}}, "spec": claim("v1beta1", [flat_request()])["spec"]}}
    out = TEMPLATES.convert(template, f"{DRA}/v1")
    assert out["spec"]["metadata"] == {"labels": {"app": "train"}}
    assert out["spec"]["spec"]["devices"]["requests"] == [exact_request()]
    back = TEMPLATES.convert(out, f"{DRA}/v1beta1")
    assert back["spec"]["spec"]["devices"]["requests"] == [{k: v for k, v in flat_request().items() if v is not None}]


def resource_slice(api_version: str, devices: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    return {"kind": "ResourceSlice", "apiVersion": f"{DRA}/{api_version}", "metadata": {"name": "node-1-gpu"},
            "spec": {"driver": "gpu.example.com", "pool": {"name": "node-1", "generation": 1, "resourceSliceCount": 1},
                     **spec, "devices": devices}}


def flat_device() -> dict[str, Any]:
    return {"name": "gpu-0",
            "attributes": {"model": {"string": "a100"}, "index": {"int": 0}},
            "capacity": {"memory": {"value": "40Gi"}},
            "consumesCounters": [{"counterSet": "gpu-0-counters", "counters": {"memory": {"value": "40Gi"}}}],
            "taints": [{"key": "example.com/unhealthy", "value": "ecc", "effect": "NoSchedule"}],
            "bindsToNode": True, "bindingConditions": ["attached"], "allowMultipleAllocations": False}


def test_a_v1_device_reads_through_v1beta1_under_basic_with_sorted_maps() -> None:
    hub = resource_slice("v1", [flat_device(), {"name": "gpu-1"}], nodeName="node-1")
    out = SLICES.convert(hub, f"{DRA}/v1beta1")
    first, second = out["spec"]["devices"]
    assert first == {"name": "gpu-0", "basic": {k: v for k, v in flat_device().items() if k != "name"}}
    assert list(first["basic"]) == ["attributes", "capacity", "consumesCounters", "taints", "bindsToNode",
                                    "bindingConditions", "allowMultipleAllocations"]
    assert list(first["basic"]["attributes"]) == ["index", "model"]
    assert second == {"name": "gpu-1", "basic": {}}
    assert out["spec"]["nodeName"] == "node-1"


def test_a_v1beta1_device_reads_through_v1_flat_and_round_trips() -> None:
    fields = {k: v for k, v in flat_device().items() if k != "name"}
    basic = resource_slice("v1beta1", [{"name": "gpu-0", "basic": fields}, {"name": "gpu-1", "basic": {}}],
                           allNodes=True)
    out = SLICES.convert(basic, f"{DRA}/v1")
    first, second = out["spec"]["devices"]
    assert first == dict(flat_device(), attributes={"index": {"int": 0}, "model": {"string": "a100"}})
    assert next(iter(first)) == "name"
    assert second == {"name": "gpu-1"}
    assert out["spec"]["allNodes"] is True
    assert SLICES.convert(out, f"{DRA}/v1beta1") == SLICES.convert(basic, f"{DRA}/v1beta1")


def test_v1alpha3_capacities_are_bare_quantities() -> None:
    alpha = resource_slice("v1alpha3", [{"name": "gpu-0", "basic": {"capacity": {"memory": "80Gi", "cores": "108"}}}])
    out = SLICES.convert(alpha, f"{DRA}/v1beta1")
    assert out["spec"]["devices"] == [{"name": "gpu-0", "basic": {"capacity": {
        "cores": {"value": "108"}, "memory": {"value": "80Gi"}}}}]
    hub = SLICES.convert(alpha, f"{DRA}/v1beta2")
    capacity = {"cores": {"value": "108"}, "memory": {"value": "80Gi"}}
    assert hub["spec"]["devices"] == [{"name": "gpu-0", "capacity": capacity}]
    back = SLICES.convert(hub, f"{DRA}/v1alpha3")
    assert back["spec"]["devices"] == [{"name": "gpu-0", "basic": {"capacity": {"cores": "108", "memory": "80Gi"}}}]


def test_an_empty_node_name_and_all_nodes_false_do_not_survive_the_value_typed_versions() -> None:
    hub = resource_slice("v1", [], nodeName="", allNodes=False, perDeviceNodeSelection=False)
    out = SLICES.convert(hub, f"{DRA}/v1beta1")
    assert "nodeName" not in out["spec"] and "allNodes" not in out["spec"]
    assert out["spec"]["perDeviceNodeSelection"] is False  # a pointer in every version
    assert SLICES.convert(hub, f"{DRA}/v1beta2")["spec"] == hub["spec"]  # both pointers: kept
    flat = resource_slice("v1beta1", [], nodeName="", allNodes=False)
    assert "nodeName" not in SLICES.convert(flat, f"{DRA}/v1")["spec"]


def test_dra_conversions_tolerate_sparse_objects_and_never_mutate_their_input() -> None:
    sparse = [
        {"kind": "ResourceClaim", "apiVersion": f"{DRA}/v1beta1", "metadata": {"name": "a"}},
        {"kind": "ResourceClaim", "apiVersion": f"{DRA}/v1beta1", "metadata": {"name": "a"}, "spec": {"devices": {}}},
        claim("v1beta1", [flat_request()]),
        claim("v1", [exact_request(), {"name": "x", "exactly": None}]),
    ]
    for obj in sparse:
        for target in ("v1alpha3", "v1beta1", "v1beta2", "v1"):
            before = copy.deepcopy(obj)
            CLAIMS.convert(obj, f"{DRA}/{target}")
            assert obj == before
    for obj in (resource_slice("v1", [flat_device()]), resource_slice("v1beta1", [{"name": "g"}]),
                {"kind": "ResourceSlice", "apiVersion": f"{DRA}/v1", "metadata": {}, "spec": {"driver": "d"}}):
        for target in ("v1alpha3", "v1beta1", "v1beta2", "v1"):
            before = copy.deepcopy(obj)
            SLICES.convert(obj, f"{DRA}/{target}")
            assert obj == before


def test_dra_converters_only_know_their_own_versions() -> None:
    with pytest.raises(ConversionError):
        CLAIMS.convert(claim("v1", []), f"{DRA}/v2")
    with pytest.raises(ConversionError):
        SLICES.convert(resource_slice("v1", []), "v1")
    device_classes = converter_for(DRA, "deviceclasses")
    device_class = {"kind": "DeviceClass", "apiVersion": f"{DRA}/v1beta1", "metadata": {"name": "gpu"},
                    "spec": {"selectors": [SELECTOR]}}
    assert device_classes.convert(device_class, f"{DRA}/v1") == dict(device_class, apiVersion=f"{DRA}/v1")
