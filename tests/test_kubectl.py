"""The issue's walkthrough with a real kubectl: create, get (table and YAML), explain, discovery, delete."""

from __future__ import annotations

import yaml

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
"""


def test_create_get_and_delete_a_deployment_in_a_new_namespace(kubectl, tmp_path):
    manifest = tmp_path / "deployment.yaml"
    manifest.write_text(DEPLOYMENT)
    created_ns = kubectl("create", "namespace", "demo")
    assert created_ns.returncode == 0, created_ns.stderr
    assert created_ns.stdout.strip() == "namespace/demo created"

    created = kubectl("create", "-f", str(manifest), "-n", "demo")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "deployment.apps/web created"

    table = kubectl("get", "deployments", "-n", "demo")
    assert table.returncode == 0, table.stderr
    header, row = table.stdout.strip().splitlines()
    assert header.split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert row.split()[:2] == ["web", "0/2"]

    got = kubectl("get", "deployment", "web", "-n", "demo", "-o", "yaml")
    obj = yaml.safe_load(got.stdout)
    assert obj["kind"] == "Deployment" and obj["apiVersion"] == "apps/v1"
    assert obj["metadata"]["namespace"] == "demo"
    assert obj["metadata"]["generation"] == 1
    assert obj["metadata"]["uid"] and obj["metadata"]["resourceVersion"].isdigit()
    assert obj["spec"]["strategy"] == {"type": "RollingUpdate",
                                       "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert obj["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"

    deleted = kubectl("delete", "deployment", "web", "-n", "demo")
    assert deleted.returncode == 0, deleted.stderr
    assert 'deployment.apps "web" deleted' in deleted.stdout
    after = kubectl("get", "deployments", "-n", "demo")
    assert after.stdout == "" and "No resources found in demo namespace." in after.stderr


def test_kubectl_reports_a_missing_object_like_a_real_server(kubectl):
    result = kubectl("get", "deployment", "nope")
    assert result.returncode == 1
    assert result.stderr.strip() == 'Error from server (NotFound): deployments.apps "nope" not found'


def test_kubectl_create_rejects_an_invalid_manifest_with_field_paths(kubectl, tmp_path):
    bad = yaml.safe_load(DEPLOYMENT)
    del bad["spec"]["template"]["spec"]["containers"][0]["image"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    result = kubectl("create", "-f", str(path))
    assert result.returncode == 1
    assert 'The Deployment "web" is invalid' in result.stderr
    assert "spec.template.spec.containers[0].image: Required value" in result.stderr


def test_kubectl_strict_validation_names_unknown_fields(kubectl, tmp_path):
    bad = yaml.safe_load(DEPLOYMENT)
    bad["spec"]["replica"] = 3
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(bad))
    result = kubectl("create", "-f", str(path))
    assert result.returncode == 1
    assert 'unknown field "spec.replica"' in result.stderr
    warned = kubectl("create", "-f", str(path), "--validate=warn")
    assert warned.returncode == 0, warned.stderr
    assert 'unknown field "spec.replica"' in warned.stderr


def test_api_resources_lists_short_names(kubectl):
    result = kubectl("api-resources")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert rows["deployments"][1] == "deploy"
    assert rows["pods"][1] == "po"
    assert rows["services"][1] == "svc"
    assert rows["namespaces"][1:] == ["ns", "v1", "false", "Namespace"]


def test_api_versions_lists_only_ga_versions_by_default(kubectl):
    result = kubectl("api-versions")
    versions = result.stdout.split()
    assert "apps/v1" in versions and "v1" in versions and "autoscaling/v2" in versions
    assert not [v for v in versions if "alpha" in v or "beta" in v]


def test_explain_describes_a_nested_field(kubectl):
    result = kubectl("explain", "deployment.spec.strategy")
    assert result.returncode == 0, result.stderr
    assert "KIND:       Deployment" in result.stdout
    assert "FIELD: strategy <DeploymentStrategy>" in result.stdout
    assert "rollingUpdate" in result.stdout


def test_short_names_work_for_get(kubectl):
    assert kubectl("get", "po").returncode == 0
    result = kubectl("get", "ns")
    names = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]


def test_cluster_scoped_objects_are_created_and_listed(kubectl):
    manifest = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
"""
    created = kubectl("create", "-f", "-", input=manifest)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "clusterrole.rbac.authorization.k8s.io/reader created"
    got = kubectl("get", "clusterrole", "reader", "-o", "jsonpath={.rules[0].verbs}")
    assert got.stdout == '["get","list"]'


def test_kind_specific_columns_and_wide_output(kubectl):
    manifest = """
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}
"""
    assert kubectl("create", "-f", "-", input=manifest).returncode == 0
    services = kubectl("get", "services").stdout.splitlines()
    assert services[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert services[1].split()[:5] == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]
    name, kind, ip, external, ports, _ = services[2].split()
    assert (name, kind, external) == ("web", "NodePort", "<none>")
    assert ip.startswith("10.96.") and ports.startswith("80:3") and ports.endswith("/TCP")
    pods = kubectl("get", "pods", "-o", "wide").stdout.splitlines()
    assert pods[0].split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    assert pods[1].split()[:3] == ["p", "0/1", "Pending"] and pods[1].split()[6] == "node-1"
