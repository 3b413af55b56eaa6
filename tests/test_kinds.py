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
