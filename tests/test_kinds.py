"""Per-kind behaviour through HTTP: defaulting on every write, Secrets, Services, kind validation rules."""

from __future__ import annotations

import base64

import yaml

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
MANIFEST = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
                                                   "ports": [{"containerPort": 80}]}]}}},
}


def causes(body: dict) -> list[tuple[str, str, str]]:
    return [(c["reason"], c.get("field", ""), c["message"]) for c in body["details"]["causes"]]


def test_replacing_an_object_with_its_manifest_changes_nothing(api, kubectl, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(yaml.safe_dump(MANIFEST))
    assert kubectl("create", "-f", str(path)).returncode == 0
    _, before = api.json("GET", f"{DEPLOYMENTS}/web")
    replaced = kubectl("replace", "-f", str(path))
    assert replaced.returncode == 0, replaced.stderr
    _, after = api.json("GET", f"{DEPLOYMENTS}/web")
    assert after == before  # same generation, same resourceVersion, defaults kept


def test_secret_string_data_is_merged_into_data_and_type_defaults_to_opaque(api, kubectl):
    status, secret = api.json("POST", "/api/v1/namespaces/default/secrets",
                              {"metadata": {"name": "s"}, "stringData": {"password": "hunter2"},
                               "data": {"user": base64.b64encode(b"admin").decode()}})
    assert status == 201
    assert "stringData" not in secret and secret["type"] == "Opaque"
    assert base64.b64decode(secret["data"]["password"]) == b"hunter2"
    assert base64.b64decode(secret["data"]["user"]) == b"admin"
    shown = kubectl("get", "secret", "s")
    assert shown.stdout.splitlines()[1].split()[:3] == ["s", "Opaque", "2"]


def test_services_get_defaults_and_a_cluster_ip(api):
    status, svc = api.json("POST", "/api/v1/namespaces/default/services",
                           {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    assert status == 201, svc
    spec = svc["spec"]
    assert spec["type"] == "ClusterIP" and spec["sessionAffinity"] == "None"
    assert spec["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert spec["clusterIP"].startswith("10.96.") and spec["clusterIPs"] == [spec["clusterIP"]]
    _, other = api.json("POST", "/api/v1/namespaces/default/services",
                        {"metadata": {"name": "np"}, "spec": {"type": "NodePort", "ports": [{"port": 8080}]}})
    assert other["spec"]["clusterIP"] != spec["clusterIP"]
    assert 30000 <= other["spec"]["ports"][0]["nodePort"] <= 32767
    replacement = {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
    status, replaced = api.json("PUT", "/api/v1/namespaces/default/services/web", replacement)
    assert status == 200 and replaced["spec"]["clusterIP"] == spec["clusterIP"]
    status, body = api.json("POST", "/api/v1/namespaces/default/services", {"metadata": {"name": "noports"}})
    assert status == 422 and causes(body) == [("FieldValueRequired", "spec.ports", "Required value")]


def test_workload_rules(api):
    bad = yaml.safe_load(yaml.safe_dump(MANIFEST))
    bad["spec"]["replicas"] = -1
    bad["spec"]["template"]["spec"]["containers"].append({"name": "c", "image": "busybox"})
    status, body = api.json("POST", DEPLOYMENTS, bad)
    assert status == 422
    assert causes(body) == [
        ("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0"),
        ("FieldValueDuplicate", "spec.template.spec.containers[1].name", 'Duplicate value: "c"'),
    ]
    api.json("POST", DEPLOYMENTS, MANIFEST)
    _, current = api.json("GET", f"{DEPLOYMENTS}/web")
    current["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "x"}}
    current["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    status, body = api.json("PUT", f"{DEPLOYMENTS}/web", current)
    assert status == 422 and causes(body)[0][1] == "spec.selector" and "field is immutable" in causes(body)[0][2]


def test_config_map_keys_and_immutability(api):
    cms = "/api/v1/namespaces/default/configmaps"
    status, body = api.json("POST", cms, {"metadata": {"name": "bad"}, "data": {"a b": "x"}})
    assert status == 422
    assert causes(body)[0][:2] == ("FieldValueInvalid", "data[a b]")
    assert "a valid config key must consist of alphanumeric characters, '-', '_' or '.'" in causes(body)[0][2]
    api.json("POST", cms, {"metadata": {"name": "frozen"}, "data": {"k": "v"}, "immutable": True})
    _, frozen = api.json("GET", f"{cms}/frozen")
    frozen["data"] = {"k": "changed"}
    status, body = api.json("PUT", f"{cms}/frozen", frozen)
    assert status == 422
    assert causes(body) == [("FieldValueForbidden", "data", "Forbidden: field is immutable when `immutable` is set")]


def test_service_node_ports_follow_their_port_and_cluster_ip_is_immutable(api):
    svcs = "/api/v1/namespaces/default/services"
    _, svc = api.json("POST", svcs, {"metadata": {"name": "np"}, "spec": {
        "type": "NodePort", "ports": [{"name": "https", "port": 443}]}})
    node_port = svc["spec"]["ports"][0]["nodePort"]
    status, moved = api.json("PUT", f"{svcs}/np", {"metadata": {"name": "np"}, "spec": {
        "type": "NodePort", "ports": [{"name": "https", "port": 8443}]}})
    assert status == 200 and moved["spec"]["ports"][0]["nodePort"] == node_port
    status, plain = api.json("POST", svcs, {"metadata": {"name": "plain"}, "spec": {"ports": [{"port": 80}]}})
    assert status == 201 and "nodePort" not in plain["spec"]["ports"][0]
    status, now_np = api.json("PATCH", f"{svcs}/plain", '{"spec": {"type": "NodePort"}}',
                              {"Content-Type": "application/strategic-merge-patch+json"})
    assert status == 200 and 30000 <= now_np["spec"]["ports"][0]["nodePort"] <= 32767
    status, body = api.json("PATCH", f"{svcs}/plain", '{"spec": {"clusterIP": "10.96.0.200"}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 422 and causes(body)[0][1] == "spec.clusterIPs[0]"


def test_workload_defaults_make_scale_read_the_real_replica_count(api):
    status, sts = api.json("POST", "/apis/apps/v1/namespaces/default/statefulsets", {
        "metadata": {"name": "db"},
        "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                 "template": {"metadata": {"labels": {"app": "db"}},
                              "spec": {"containers": [{"name": "c", "image": "postgres:16"}]}}}})
    assert status == 201, sts
    assert sts["spec"]["replicas"] == 1 and sts["spec"]["podManagementPolicy"] == "OrderedReady"
    _, scale = api.json("GET", "/apis/apps/v1/namespaces/default/statefulsets/db/scale")
    assert scale["spec"]["replicas"] == 1 and scale["status"]["selector"] == "app=db"
    status, rc = api.json("POST", "/api/v1/namespaces/default/replicationcontrollers", {
        "metadata": {"name": "rc"},
        "spec": {"template": {"metadata": {"labels": {"app": "rc"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    assert status == 201 and rc["spec"]["selector"] == {"app": "rc"} and rc["metadata"]["labels"] == {"app": "rc"}


def test_a_scale_leaves_out_zero_spec_replicas_and_an_empty_selector_as_autoscaling_v1_does(api):
    status, _ = api.json("POST", DEPLOYMENTS, {"metadata": {"name": "idle"}, "spec": {
        "replicas": 0, "selector": {"matchLabels": {"app": "idle"}},
        "template": {"metadata": {"labels": {"app": "idle"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}})
    assert status == 201
    _, scale = api.json("GET", f"{DEPLOYMENTS}/idle/scale")
    assert (scale["spec"], scale["status"]) == ({}, {"replicas": 0, "selector": "app=idle"})


def test_pod_specs_are_immutable_except_images(api):
    pods = "/api/v1/namespaces/default/pods"
    api.json("POST", pods, {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    status, _ = api.json("PATCH", f"{pods}/p", '{"spec": {"containers": [{"name": "c", "image": "busybox:1.37"}]}}',
                         {"Content-Type": "application/strategic-merge-patch+json"})
    assert status == 200
    status, body = api.json("PATCH", f"{pods}/p", '{"spec": {"containers": [{"name": "c", "args": ["x"]}]}}',
                            {"Content-Type": "application/strategic-merge-patch+json"})
    assert status == 422 and causes(body)[0][:2] == ("FieldValueForbidden", "spec")
    assert "pod updates may not change fields other than" in causes(body)[0][2]


def test_jobs_need_on_failure_or_never(api):
    status, body = api.json("POST", "/apis/batch/v1/namespaces/default/jobs", {
        "metadata": {"name": "j"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}})
    assert status == 422
    # validateJobSpec: a defaulted (or explicit) Always restart policy is reported as a required choice
    assert causes(body) == [("FieldValueRequired", "spec.template.spec.restartPolicy",
                             'Required value: valid values: "OnFailure", "Never"')]
