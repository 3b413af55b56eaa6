"""What kube-apiserver stores for minimal workload manifests: the v1 defaulters and the strategies'
PrepareForCreate (each expected field cites the upstream function that sets it)."""

from __future__ import annotations

from typing import Any

C = [{"name": "c", "image": "nginx:1.27"}]
T = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": C}}
SEL = {"matchLabels": {"app": "web"}}


def create(api: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    status, stored = api.json("POST", path, body)
    assert status == 201, stored
    return stored


def test_a_job_gets_its_counts_policies_and_generated_selector(api: Any) -> None:
    job = create(
        api,
        "/apis/batch/v1/namespaces/default/jobs",
        {
            "metadata": {"name": "pi"},
            "spec": {
                "template": {"metadata": {"labels": {"app": "pi"}}, "spec": {"containers": C, "restartPolicy": "Never"}}
            },
        },
    )
    uid, spec = job["metadata"]["uid"], job["spec"]
    labels = {
        "app": "pi",
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    # SetDefaults_Job: completions/parallelism 1, backoffLimit 6, NonIndexed, not suspended, replacement policy,
    # manualSelector false; the Job's labels are its template's map, which PrepareForCreate's generateSelector fills
    assert {
        k: spec[k]
        for k in (
            "completions",
            "parallelism",
            "backoffLimit",
            "completionMode",
            "suspend",
            "podReplacementPolicy",
            "manualSelector",
        )
    } == {
        "completions": 1,
        "parallelism": 1,
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "manualSelector": False,
    }
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert spec["template"]["metadata"]["labels"] == labels
    assert job["metadata"]["labels"] == labels
    assert job["metadata"]["generation"] == 1


def test_a_job_with_a_pod_failure_policy_replaces_failed_pods_only(api: Any) -> None:
    job = create(
        api,
        "/apis/batch/v1/namespaces/default/jobs",
        {
            "metadata": {"name": "pf"},
            "spec": {
                "backoffLimitPerIndex": 1,
                "completionMode": "Indexed",
                "completions": 2,
                "podFailurePolicy": {
                    "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]
                },
                "template": {"spec": {"containers": C, "restartPolicy": "Never"}},
            },
        },
    )
    spec = job["spec"]
    assert spec["podReplacementPolicy"] == "Failed"  # SetDefaults_Job with a podFailurePolicy
    assert spec["backoffLimit"] == 2**31 - 1  # SetDefaults_Job with backoffLimitPerIndex
    assert spec["parallelism"] == 1
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"] == [{"type": "DisruptionTarget", "status": "True"}]
    # the template had no labels when defaulted, but kube-apiserver defaults the Job again as it reads it back, by
    # then with the generated ones, which it shows as the Job's own (recording grpdef-job-minimal)
    uid = job["metadata"]["uid"]
    assert job["metadata"]["labels"] == {"batch.kubernetes.io/controller-uid": uid,
                                         "batch.kubernetes.io/job-name": "pf", "controller-uid": uid, "job-name": "pf"}


def test_a_cron_job_gets_its_policy_and_history_limits(api: Any) -> None:
    cron = create(
        api,
        "/apis/batch/v1/namespaces/default/cronjobs",
        {
            "metadata": {"name": "cj"},
            "spec": {
                "schedule": "*/5 * * * *",
                "jobTemplate": {"spec": {"template": {"spec": {"containers": C, "restartPolicy": "OnFailure"}}}},
            },
        },
    )
    spec = cron["spec"]  # SetDefaults_CronJob
    assert (
        spec["concurrencyPolicy"],
        spec["suspend"],
        spec["successfulJobsHistoryLimit"],
        spec["failedJobsHistoryLimit"],
    ) == ("Allow", False, 3, 1)
    assert "selector" not in spec["jobTemplate"]["spec"]


def test_a_deployment_stateful_set_and_daemon_set_get_their_strategies(api: Any) -> None:
    base = "/apis/apps/v1/namespaces/default"
    deployment = create(
        api, f"{base}/deployments", {"metadata": {"name": "d"}, "spec": {"selector": SEL, "template": T}}
    )
    # SetDefaults_Deployment
    assert {k: v for k, v in deployment["spec"].items() if k != "template"} == {
        "replicas": 1,
        "selector": SEL,
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
    }
    sts = create(
        api,
        f"{base}/statefulsets",
        {"metadata": {"name": "s"}, "spec": {"serviceName": "s", "selector": SEL, "template": T}},
    )
    # SetDefaults_StatefulSet (MaxUnavailableStatefulSet is on by default since v1.35)
    assert {k: v for k, v in sts["spec"].items() if k != "template"} == {
        "replicas": 1,
        "selector": SEL,
        "serviceName": "s",
        "podManagementPolicy": "OrderedReady",
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}},
        "revisionHistoryLimit": 10,
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
    }
    explicit = create(
        api,
        f"{base}/statefulsets",
        {
            "metadata": {"name": "e"},
            "spec": {"serviceName": "e", "selector": SEL, "template": T, "updateStrategy": {"type": "RollingUpdate"}},
        },
    )
    assert explicit["spec"]["updateStrategy"] == {"type": "RollingUpdate"}  # only an empty type gets rollingUpdate
    ds = create(api, f"{base}/daemonsets", {"metadata": {"name": "ds"}, "spec": {"selector": SEL, "template": T}})
    # SetDefaults_DaemonSet; PrepareForCreate's template generation 1, shown as the v1 annotation
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert ds["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}
    ds["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    status, updated = api.json("PUT", f"{base}/daemonsets/ds", ds)
    assert status == 200, updated
    assert updated["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "2"}


def test_an_hpa_gets_a_cpu_metric_and_its_behavior_filled(api: Any) -> None:
    hpa = create(
        api,
        "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers",
        {
            "metadata": {"name": "h"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"},
                "maxReplicas": 3,
                "behavior": {},
            },
        },
    )
    spec = hpa["spec"]  # SetDefaults_HorizontalPodAutoscaler, GenerateHPAScaleUpRules / ScaleDownRules
    assert spec["minReplicas"] == 1
    assert spec["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
    ]
    assert spec["behavior"] == {
        "scaleUp": {
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        },
        "scaleDown": {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]},
    }


def test_updates_that_upstream_refuses(api: Any) -> None:
    base = "/apis/apps/v1/namespaces/default"
    sts = create(
        api,
        f"{base}/statefulsets",
        {"metadata": {"name": "u"}, "spec": {"serviceName": "u", "selector": SEL, "template": T}},
    )
    sts["spec"]["serviceName"] = "other"
    status, answer = api.json("PUT", f"{base}/statefulsets/u", sts)
    assert status == 422
    # v1.37's ValidateStatefulSetUpdate names each immutable field (up to v1.36: one spec Forbidden cause)
    assert answer["message"] == ('StatefulSet.apps "u" is invalid: spec.serviceName: Invalid value: "other": '
                                 "field is immutable")
    deployment = create(
        api, f"{base}/deployments", {"metadata": {"name": "d"}, "spec": {"selector": SEL, "template": T}}
    )
    deployment["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "x"}}
    deployment["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    status, answer = api.json("PUT", f"{base}/deployments/d", deployment)
    assert status == 422
    assert [(c["reason"], c["field"], c["message"]) for c in answer["details"]["causes"]] == [
        (
            "FieldValueInvalid",
            "spec.selector",
            'Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
        )
    ]
    job = create(
        api,
        "/apis/batch/v1/namespaces/default/jobs",
        {"metadata": {"name": "j"}, "spec": {"template": {"spec": {"containers": C, "restartPolicy": "Never"}}}},
    )
    job["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox"
    status, answer = api.json("PUT", "/apis/batch/v1/namespaces/default/jobs/j", job)
    assert status == 422
    causes = answer["details"]["causes"]
    assert [(c["reason"], c["field"]) for c in causes] == [("FieldValueInvalid", "spec.template")]
    assert causes[0]["message"].endswith(": field is immutable")


def test_kubectl_shows_a_bad_schedule(kubectl: Any) -> None:
    result = kubectl("create", "cronjob", "nightly", "--image=busybox", "--schedule=61 * * * *")
    assert result.returncode == 1
    assert result.stderr == (
        'error: failed to create cronjob: CronJob.batch "nightly" is invalid: spec.schedule: '
        'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n'
    )
