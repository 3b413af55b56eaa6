"""Conversion between served versions, checked against kube-apiserver v1.36 behaviour."""

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
    convert,
)

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
    out = convert(obj, "autoscaling/v2")
    assert out == obj
    assert out is not obj
    out["spec"]["metrics"].clear()
    out["metadata"]["labels"]["app"] = "changed"
    assert obj == rich_hpa_v2()


def test_an_unknown_version_pair_raises_conversion_error() -> None:
    with pytest.raises(ConversionError):
        convert(hpa_v2(), "autoscaling/v2beta2")
    with pytest.raises(ConversionError):
        convert({"kind": "Pod", "apiVersion": "v1", "metadata": {}}, "apps/v1")
    with pytest.raises(ConversionError):
        convert(core_event(), "autoscaling/v1")


def test_an_object_without_api_version_or_kind_raises_conversion_error() -> None:
    with pytest.raises(ConversionError):
        convert({"kind": "Event", "metadata": {}}, "v1")
    with pytest.raises(ConversionError):
        convert({"apiVersion": "v1", "metadata": {}}, "events.k8s.io/v1")


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler: autoscaling/v2 -> autoscaling/v1


def test_a_v2_cpu_utilization_metric_becomes_the_v1_target_percentage() -> None:
    out = convert(hpa_v2(), "autoscaling/v1")
    assert out["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 50,
    }
    assert "annotations" not in out["metadata"]


def test_v2_to_v1_keeps_kind_api_version_metadata_first_and_preserves_metadata() -> None:
    obj = hpa_v2()
    out = convert(obj, "autoscaling/v1")
    assert list(out) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert out["kind"] == "HorizontalPodAutoscaler"
    assert out["apiVersion"] == "autoscaling/v1"
    assert out["metadata"] == obj["metadata"]


def test_v1_status_always_carries_current_and_desired_replicas() -> None:
    obj = hpa_v2()
    del obj["status"]
    out = convert(obj, "autoscaling/v1")
    assert out["status"] == {"currentReplicas": 0, "desiredReplicas": 0}


def test_the_first_cpu_utilization_metric_sets_the_target_and_a_cpu_average_value_travels_in_the_annotation() -> None:
    cpu_value = {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "300m"}},
    }
    out = convert(hpa_v2(metrics=[cpu_value, cpu_metric(70), cpu_metric(60)]), "autoscaling/v1")
    assert out["spec"]["targetCPUUtilizationPercentage"] == 70
    # every CPU utilization metric is left out of the annotation, as upstream does
    assert annotation(out, METRICS_ANNOTATION) == [
        {"type": "Resource", "resource": {"name": "cpu", "targetAverageValue": "300m"}}
    ]


def test_metrics_v1_cannot_express_go_to_the_metrics_annotation_in_v1_form() -> None:
    out = convert(rich_hpa_v2(), "autoscaling/v1")
    assert out["metadata"]["annotations"][METRICS_ANNOTATION] == (
        '[{"type":"Object","object":{"target":{"kind":"Service","name":"front","apiVersion":"v1"},'
        '"metricName":"rps","targetValue":"0","selector":{"matchLabels":{"tier":"front"}},"averageValue":"10"}},'
        '{"type":"Pods","pods":{"metricName":"queue","targetAverageValue":"5"}},'
        '{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}},'
        '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":70,"container":"app"}},'
        '{"type":"External","external":{"metricName":"backlog","targetValue":"30"}}]'
    )


def test_current_metrics_are_kept_in_the_annotation_and_cpu_utilization_in_the_status() -> None:
    out = convert(rich_hpa_v2(), "autoscaling/v1")
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
    out = convert(rich_hpa_v2(), "autoscaling/v1")
    assert out["metadata"]["annotations"][BEHAVIOR_ANNOTATION] == (
        '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max",'
        '"Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},'
        '"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":"Min",'
        '"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":"50m"}}'
    )


def test_a_behavior_with_one_direction_writes_the_other_as_null() -> None:
    out = convert(hpa_v2(behavior={"scaleDown": {"stabilizationWindowSeconds": 60}}), "autoscaling/v1")
    assert out["metadata"]["annotations"][BEHAVIOR_ANNOTATION] == (
        '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":null,"Policies":null,"Tolerance":null}}'
    )


def test_conditions_go_to_the_conditions_annotation_escaped_as_go_does() -> None:
    obj = hpa_v2()
    obj["status"]["conditions"] = [
        {"type": "AbleToScale", "status": "False", "reason": "FailedGetScale", "message": "can't get <web> & co"}
    ]
    out = convert(obj, "autoscaling/v1")
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
    out = convert(obj, "autoscaling/v1")
    assert out["metadata"]["annotations"] == {"keep": "me"}


def test_an_annotations_map_created_by_conversion_sits_where_go_puts_it_in_metadata() -> None:
    obj = rich_hpa_v2()
    obj["metadata"]["finalizers"] = ["x"]
    out = convert(obj, "autoscaling/v1")
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
    out = convert(obj, "autoscaling/v1")
    assert obj == before
    out["metadata"]["labels"]["app"] = "changed"
    out["status"]["lastScaleTime"] = "changed"
    assert obj == before


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler: autoscaling/v1 -> autoscaling/v2


def test_the_v1_target_percentage_becomes_a_cpu_utilization_metric() -> None:
    out = convert(hpa_v1(), "autoscaling/v2")
    assert out["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "metrics": [cpu_metric(50)],
    }


def test_a_v1_object_without_a_target_stands_for_eighty_percent_cpu() -> None:
    obj = hpa_v1()
    del obj["spec"]["targetCPUUtilizationPercentage"]
    out = convert(obj, "autoscaling/v2")
    assert out["spec"]["metrics"] == [cpu_metric(80)]


def test_v2_status_writes_null_current_metrics_and_omits_zero_current_replicas() -> None:
    obj = hpa_v1()
    obj["status"] = {"currentReplicas": 0, "desiredReplicas": 0}
    out = convert(obj, "autoscaling/v2")
    assert out["status"] == {"desiredReplicas": 0, "currentMetrics": None}


def test_the_v1_current_percentage_becomes_a_cpu_current_metric() -> None:
    obj = hpa_v1()
    obj["status"]["currentCPUUtilizationPercentage"] = 33
    out = convert(obj, "autoscaling/v2")
    assert out["status"] == {
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 33}}}],
    }


def test_annotated_metrics_come_back_before_the_cpu_target_and_the_annotations_are_removed() -> None:
    memory = '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":60}}]'
    obj = with_annotations(hpa_v1(), **{METRICS_ANNOTATION: memory, "keep": "me"})
    out = convert(obj, "autoscaling/v2")
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
    out = convert(obj, "autoscaling/v2")
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
    out = convert(with_annotations(hpa_v1(), **{METRICS_ANNOTATION: raw}), "autoscaling/v2")
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
    out = convert(obj, "autoscaling/v2")
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
    out = convert(obj, "autoscaling/v2")
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
    out = convert(with_annotations(hpa_v1(), **{BEHAVIOR_ANNOTATION: raw}), "autoscaling/v2")
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
    out = convert(with_annotations(hpa_v1(), **{BEHAVIOR_ANNOTATION: raw}), "autoscaling/v2")
    assert "behavior" not in out["spec"]
    assert "annotations" not in out["metadata"]


@pytest.mark.parametrize(
    "raw", ["not json", "{}", '[{"type":1}]', '[{"type":"Resource","resource":{"targetAverageUtilization":"x"}}]']
)
def test_an_undecodable_metrics_annotation_is_ignored_and_dropped(raw: str) -> None:
    out = convert(with_annotations(hpa_v1(), **{METRICS_ANNOTATION: raw}), "autoscaling/v2")
    assert out["spec"]["metrics"] == [cpu_metric(50)]
    assert "annotations" not in out["metadata"]


def test_the_conditions_annotation_becomes_v2_conditions() -> None:
    raw = (
        '[{"type":"ScalingActive","status":"False","lastTransitionTime":"2026-01-02T00:00:00Z",'
        '"reason":"FailedGetResourceMetric"}]'
    )
    out = convert(with_annotations(hpa_v1(), **{CONDITIONS_ANNOTATION: raw}), "autoscaling/v2")
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
    out = convert(obj, "autoscaling/v2")
    assert list(out) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert out["apiVersion"] == "autoscaling/v2"
    assert out["metadata"] == obj["metadata"]


def test_v1_to_v2_does_not_mutate_its_input() -> None:
    obj = convert(rich_hpa_v2(), "autoscaling/v1")
    before = copy.deepcopy(obj)
    out = convert(obj, "autoscaling/v2")
    assert obj == before
    out["metadata"]["labels"]["app"] = "changed"
    assert obj == before


# --------------------------------------------------------------------------------------------
# HorizontalPodAutoscaler round trips


def test_a_v2_object_survives_a_trip_through_v1_with_only_the_cpu_target_moved_last() -> None:
    original = rich_hpa_v2()
    back = convert(convert(original, "autoscaling/v1"), "autoscaling/v2")
    expected = copy.deepcopy(original)
    metrics = expected["spec"]["metrics"]
    metrics.append(metrics.pop(0))
    # a v1 object metric cannot omit targetValue; the zero it writes is not carried back
    assert back == expected


def test_a_v2_object_whose_only_metric_is_the_cpu_target_round_trips_exactly() -> None:
    original = hpa_v2()
    assert convert(convert(original, "autoscaling/v1"), "autoscaling/v2") == original


def test_a_v1_object_survives_a_trip_through_v2() -> None:
    original = hpa_v1()
    original["status"]["observedGeneration"] = 2
    assert convert(convert(original, "autoscaling/v2"), "autoscaling/v1") == original


def test_a_v1_current_percentage_comes_back_from_v2_with_the_raw_current_metrics_annotation() -> None:
    original = hpa_v1()
    original["status"]["currentCPUUtilizationPercentage"] = 40
    back = convert(convert(original, "autoscaling/v2"), "autoscaling/v1")
    assert back["status"] == original["status"]
    assert back["metadata"]["annotations"] == {
        CURRENT_METRICS_ANNOTATION: '[{"type":"Resource","resource":{"name":"cpu",'
        '"currentAverageUtilization":40,"currentAverageValue":"0"}}]'
    }


def test_an_annotated_v1_object_survives_a_trip_through_v2() -> None:
    original = convert(rich_hpa_v2(), "autoscaling/v1")
    assert convert(convert(original, "autoscaling/v2"), "autoscaling/v1") == original


def test_a_v1_client_editing_the_target_keeps_the_v2_only_data() -> None:
    as_v1 = convert(rich_hpa_v2(), "autoscaling/v1")
    as_v1["spec"]["targetCPUUtilizationPercentage"] = 65
    back = convert(as_v1, "autoscaling/v2")
    assert back["spec"]["metrics"][-1] == cpu_metric(65)
    assert len(back["spec"]["metrics"]) == 6
    assert back["spec"]["behavior"] == rich_hpa_v2()["spec"]["behavior"]
    assert back["status"]["conditions"] == rich_hpa_v2()["status"]["conditions"]


# --------------------------------------------------------------------------------------------
# Event: core v1 <-> events.k8s.io/v1


def test_a_core_event_reads_as_an_events_k8s_io_event_with_renamed_fields() -> None:
    out = convert(core_event(), "events.k8s.io/v1")
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
    out = convert(events_v1_event(), "v1")
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
    out = convert(sparse, "events.k8s.io/v1")
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
    out = convert(sparse, "v1")
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
    assert convert(convert(original, "events.k8s.io/v1"), "v1") == original


def test_an_events_k8s_io_event_survives_a_trip_through_core() -> None:
    original = events_v1_event()
    assert convert(convert(original, "v1"), "events.k8s.io/v1") == original


def test_event_conversion_does_not_mutate_its_input_in_either_direction() -> None:
    for obj, target in ((core_event(), "events.k8s.io/v1"), (events_v1_event(), "v1")):
        before = copy.deepcopy(obj)
        out = convert(obj, target)
        assert obj == before
        out["metadata"]["name"] = "changed"
        for value in out.values():
            if isinstance(value, dict):
                value["mutated"] = True
        assert obj == before
