"""The objects a real cluster creates by itself: each namespace's ``default`` ServiceAccount and
``kube-root-ca.crt`` ConfigMap, the ``kubernetes`` Service with its Endpoints and EndpointSlice, and the
bootstrap RBAC policy, all through the server as clients see them."""

from __future__ import annotations

import json
import threading
import time

import pytest
import yaml
from conftest import Api, Kubectl
from test_watch import watch_events

from fakekube import FakeCluster
from fakekube.controllers.root_ca_publisher import DESCRIPTION, ROOT_CA

NS = "/api/v1/namespaces"
RBAC = "/apis/rbac.authorization.k8s.io/v1"


def names(api: Api, path: str) -> list[str]:
    status, body = api.json("GET", path)
    assert status == 200, body
    return [item["metadata"]["name"] for item in body["items"]]


def test_a_new_namespace_gets_its_service_account_and_root_ca_config_map(fake_cluster, api):
    status, created = api.json("POST", NS, {"metadata": {"name": "team"}})
    assert status == 201, created
    fake_cluster.settle()
    status, sa = api.json("GET", f"{NS}/team/serviceaccounts/default")
    assert status == 200, sa
    assert set(sa) == {"kind", "apiVersion", "metadata"}  # no secrets since v1.24
    assert "managedFields" not in sa["metadata"]  # nothing but the name was set
    status, cm = api.json("GET", f"{NS}/team/configmaps/kube-root-ca.crt")
    assert status == 200, cm
    assert cm["data"] == {"ca.crt": ROOT_CA}
    assert ROOT_CA.startswith("-----BEGIN CERTIFICATE-----\n") and ROOT_CA.endswith("-----END CERTIFICATE-----\n")
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION}
    assert "labels" not in cm["metadata"]
    [entry] = cm["metadata"]["managedFields"]
    assert (entry["manager"], entry["operation"]) == ("kube-controller-manager", "Update")
    assert entry["fieldsV1"] == {"f:data": {".": {}, "f:ca.crt": {}}, "f:metadata": {
        "f:annotations": {".": {}, "f:kubernetes.io/description": {}}}}
    # both come after the namespace, as the controllers' creates
    assert int(cm["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert int(sa["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])


def test_watchers_see_the_controllers_creates_as_added_events(fake_cluster, api):
    body = api.json("GET", f"{NS}/default/configmaps")[1]
    since = body["metadata"]["resourceVersion"]
    events: list[dict] = []
    reader = threading.Thread(target=lambda: events.extend(watch_events(
        fake_cluster.url, f"/api/v1/configmaps?watch=true&resourceVersion={since}&timeoutSeconds=5", stop_after=1)))
    reader.start()
    time.sleep(0.2)
    assert api.json("POST", NS, {"metadata": {"name": "watched"}})[0] == 201
    reader.join(10)
    assert [(e["type"], e["object"]["metadata"]["namespace"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "watched", "kube-root-ca.crt")]


def test_every_bootstrap_namespace_has_them(fake_cluster, api):
    assert names(api, "/api/v1/serviceaccounts") == ["default"] * 4
    body = api.json("GET", "/api/v1/configmaps")[1]
    assert sorted((i["metadata"]["namespace"], i["metadata"]["name"]) for i in body["items"]) == [
        (ns, "kube-root-ca.crt") for ns in ("default", "kube-node-lease", "kube-public", "kube-system")]


def test_deleted_ones_come_back_and_a_changed_ca_is_put_back(fake_cluster, api):
    old_sa = api.json("GET", f"{NS}/default/serviceaccounts/default")[1]
    assert api.json("DELETE", f"{NS}/default/serviceaccounts/default")[0] == 200
    assert api.json("DELETE", f"{NS}/default/configmaps/kube-root-ca.crt")[0] == 200
    fake_cluster.settle()
    status, sa = api.json("GET", f"{NS}/default/serviceaccounts/default")
    assert status == 200 and sa["metadata"]["uid"] != old_sa["metadata"]["uid"]
    assert api.json("GET", f"{NS}/default/configmaps/kube-root-ca.crt")[0] == 200
    status, body = api.json("PATCH", f"{NS}/default/configmaps/kube-root-ca.crt", {"data": {"ca.crt": "x"}},
                            {"Content-Type": "application/merge-patch+json"})
    assert status == 200, body
    fake_cluster.settle()
    assert api.json("GET", f"{NS}/default/configmaps/kube-root-ca.crt")[1]["data"] == {"ca.crt": ROOT_CA}


def test_a_terminating_namespace_gets_nothing_new(fake_cluster, api):
    api.json("POST", NS, {"metadata": {"name": "held"}})
    api.json("POST", f"{NS}/held/configmaps", {"metadata": {"name": "keep", "finalizers": ["example.com/hold"]}})
    fake_cluster.settle()
    assert api.json("DELETE", f"{NS}/held")[0] == 200
    fake_cluster.settle()
    assert api.json("GET", f"{NS}/held")[1]["status"]["phase"] == "Terminating"
    assert names(api, f"{NS}/held/serviceaccounts") == []
    assert names(api, f"{NS}/held/configmaps") == ["keep"]


def test_switched_off_controllers_leave_namespaces_empty(fake_cluster_factory):
    cluster = fake_cluster_factory(controllers=("namespace",), bootstrap=())
    api = Api(cluster.url)
    api.json("POST", NS, {"metadata": {"name": "bare"}})
    cluster.settle()
    for path in (f"{NS}/bare/serviceaccounts", f"{NS}/bare/configmaps", "/api/v1/serviceaccounts",
                 "/api/v1/configmaps", "/api/v1/services", "/api/v1/endpoints", f"{RBAC}/clusterroles",
                 f"{RBAC}/clusterrolebindings", f"{RBAC}/roles", f"{RBAC}/rolebindings"):
        assert names(api, path) == [], path
    assert names(api, NS) == ["bare", "default", "kube-node-lease", "kube-public", "kube-system"]


def test_unknown_bootstrap_parts_are_refused():
    with pytest.raises(ValueError, match="unknown bootstrap"):
        FakeCluster(bootstrap=("dns",))


def test_the_kubernetes_service_endpoints_and_endpoint_slice(api):
    status, svc = api.json("GET", f"{NS}/default/services/kubernetes")
    assert status == 200, svc
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    spec = svc["spec"]
    assert spec["ports"] == [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": 6443}]
    assert (spec["clusterIP"], spec["clusterIPs"], spec["type"]) == ("10.96.0.1", ["10.96.0.1"], "ClusterIP")
    assert (spec["sessionAffinity"], spec["ipFamilyPolicy"], spec["ipFamilies"]) == ("None", "SingleStack", ["IPv4"])
    assert "selector" not in spec
    assert svc["metadata"]["managedFields"][0]["manager"] == "kube-apiserver"
    status, ep = api.json("GET", f"{NS}/default/endpoints/kubernetes")
    assert status == 200, ep
    assert ep["metadata"]["labels"] == {"endpointslice.kubernetes.io/skip-mirror": "true"}
    assert ep["subsets"] == [{"addresses": [{"ip": "127.0.0.1"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    status, eps = api.json("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")
    assert status == 200, eps
    assert eps["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}
    assert eps["addressType"] == "IPv4"
    assert eps["endpoints"] == [{"addresses": ["127.0.0.1"], "conditions": {"ready": True}}]
    assert eps["ports"] == [{"name": "https", "protocol": "TCP", "port": 6443}]


def test_a_fixed_port_is_the_endpoints_port(fake_cluster_factory):
    probe = FakeCluster()
    probe.start()
    port = int(probe.url.rsplit(":", 1)[1])
    probe.stop()
    cluster = fake_cluster_factory(port=port)
    api = Api(cluster.url)
    ep = api.json("GET", f"{NS}/default/endpoints/kubernetes")[1]
    assert ep["subsets"][0]["ports"][0]["port"] == port
    assert api.json("GET", f"{NS}/default/services/kubernetes")[1]["spec"]["ports"][0]["targetPort"] == port


def test_the_official_client_lists_them(fake_cluster):
    from kubernetes import client, config

    config.load_kube_config(str(fake_cluster.kubeconfig_path))
    with client.ApiClient() as api_client:
        core = client.CoreV1Api(api_client)
        svc = core.read_namespaced_service("kubernetes", "default")
        assert svc.spec.cluster_ip == "10.96.0.1" and svc.spec.ports[0].target_port == 6443
        assert [s.metadata.name for s in core.list_namespaced_service_account("kube-system").items] == ["default"]
        slices = client.DiscoveryV1Api(api_client).list_namespaced_endpoint_slice(
            "default", label_selector="kubernetes.io/service-name=kubernetes")
        assert [s.metadata.name for s in slices.items] == ["kubernetes"]
        roles = client.RbacAuthorizationV1Api(api_client).list_cluster_role(
            label_selector="kubernetes.io/bootstrapping=rbac-defaults")
        assert {"cluster-admin", "admin", "edit", "view", "system:discovery"} <= {r.metadata.name for r in roles.items}


def test_kubectl_shows_cluster_admin_as_upstream_stores_it(kubectl: Kubectl):
    result = kubectl("get", "clusterrole", "cluster-admin", "-o", "yaml")
    assert result.returncode == 0, result.stderr
    role = yaml.safe_load(result.stdout)
    assert role["metadata"]["labels"] == {"kubernetes.io/bootstrapping": "rbac-defaults"}
    assert role["metadata"]["annotations"] == {"rbac.authorization.kubernetes.io/autoupdate": "true"}
    assert role["rules"] == [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                             {"nonResourceURLs": ["*"], "verbs": ["*"]}]


def test_the_aggregated_roles_hold_their_parts_rules(fake_cluster, api):
    view = api.json("GET", f"{RBAC}/clusterroles/view")[1]
    edit = api.json("GET", f"{RBAC}/clusterroles/edit")[1]
    admin = api.json("GET", f"{RBAC}/clusterroles/admin")[1]
    part = api.json("GET", f"{RBAC}/clusterroles/system:aggregate-to-view")[1]
    assert view["aggregationRule"] == {"clusterRoleSelectors": [
        {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}]}
    assert view["rules"] == part["rules"]
    assert all(rule in edit["rules"] for rule in view["rules"])  # view aggregates to edit, edit to admin
    assert all(rule in admin["rules"] for rule in edit["rules"])
    assert {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]} not in view["rules"]
    managers = [(e["manager"], e["operation"]) for e in admin["metadata"]["managedFields"]]
    assert managers == [("clusterrole-aggregation-controller", "Apply"), ("kube-apiserver", "Update")]
    assert admin["metadata"]["managedFields"][0]["fieldsV1"] == {"f:rules": {}}


def test_roles_and_bindings_read_as_kubectl_auth_reconcile_and_can_i_read_them(kubectl: Kubectl, api):
    result = kubectl("get", "clusterrolebinding", "system:discovery", "-o", "json")
    assert result.returncode == 0, result.stderr
    binding = json.loads(result.stdout)
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                  "name": "system:discovery"}
    assert binding["subjects"] == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                                    "name": "system:authenticated"}]
    assert "extension-apiserver-authentication-reader" in names(api, f"{RBAC}/namespaces/kube-system/roles")
    assert "system:controller:bootstrap-signer" in names(api, f"{RBAC}/namespaces/kube-public/rolebindings")
    result = kubectl("get", "roles", "-A", "-l", "kubernetes.io/bootstrapping=rbac-defaults", "-o", "name")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 7
    controllers = [n for n in names(api, f"{RBAC}/clusterroles") if n.startswith("system:controller:")]
    assert "system:controller:namespace-controller" in controllers and len(controllers) > 30


def test_the_policy_is_each_versions_own(fake_cluster_factory):
    older, newer = fake_cluster_factory(version="v1.33"), fake_cluster_factory(version="v1.34")
    path = f"{RBAC}/clusterroles/system:controller:resource-claim-controller"
    assert Api(older.url).json("GET", path)[0] == 404  # upstream added the role in v1.34
    assert Api(newer.url).json("GET", path)[0] == 200
    assert len(names(Api(newer.url), f"{RBAC}/clusterroles")) > len(names(Api(older.url), f"{RBAC}/clusterroles"))


def test_clusters_share_nothing_but_the_template(fake_cluster_factory):
    one, two = fake_cluster_factory(), fake_cluster_factory()
    a = Api(one.url).json("GET", f"{RBAC}/clusterroles/admin")[1]
    b = Api(two.url).json("GET", f"{RBAC}/clusterroles/admin")[1]
    assert a["metadata"]["uid"] != b["metadata"]["uid"]
    assert a["rules"] == b["rules"]
    assert Api(one.url).json("DELETE", f"{RBAC}/clusterroles/admin")[0] == 200
    assert Api(two.url).json("GET", f"{RBAC}/clusterroles/admin")[0] == 200


def test_bootstrap_objects_carry_the_clusters_clock_and_label_index(fake_cluster_factory):
    cluster = fake_cluster_factory(clock=lambda: 1_700_000_000.0)
    api = Api(cluster.url)
    role = api.json("GET", f"{RBAC}/clusterroles/edit")[1]
    assert role["metadata"]["creationTimestamp"] == "2023-11-14T22:13:20Z"
    assert {e["time"] for e in role["metadata"]["managedFields"]} == {"2023-11-14T22:13:20Z"}
    selected = names(api, f"{RBAC}/clusterroles?labelSelector=rbac.authorization.k8s.io/aggregate-to-edit%3Dtrue")
    assert selected == ["system:aggregate-to-edit", "view"]
