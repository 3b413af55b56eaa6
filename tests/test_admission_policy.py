"""ValidatingAdmissionPolicy over HTTP, as users meet it: kubectl and the ``kubernetes`` client against a served
cluster, the status codes, messages and warnings they show (each text as kube-apiserver v1.37 gives it; see
``tests/conformance/scenarios/vap.yaml`` for the recorded answers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from conftest import Api, Kubectl
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from fakekube import FakeCluster

GROUP = "admissionregistration.k8s.io"


def policy(name: str, validations: list[dict[str, Any]], *, resources: tuple[str, ...] = ("configmaps",),
           operations: tuple[str, ...] = ("CREATE", "UPDATE"), **spec: Any) -> dict[str, Any]:
    constraints = {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": list(operations),
                                      "resources": list(resources)}]}
    constraints.update(spec.pop("match", {}))
    return {"apiVersion": f"{GROUP}/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": name},
            "spec": {"matchConstraints": constraints, "validations": validations, **spec}}


def binding(name: str, policy_name: str, actions: tuple[str, ...] = ("Deny",), **spec: Any) -> dict[str, Any]:
    return {"apiVersion": f"{GROUP}/v1", "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": name},
            "spec": {"policyName": policy_name, "validationActions": list(actions), **spec}}


def configmap(name: str, namespace: str = "default", labels: dict[str, str] | None = None,
              data: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = labels
    body: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    if data is not None:
        body["data"] = data
    return body


def denied(policy_name: str, binding_name: str, message: str) -> str:
    return f"ValidatingAdmissionPolicy '{policy_name}' with binding '{binding_name}' denied request: {message}"


@pytest.fixture
def core(fake_cluster: FakeCluster) -> Iterator[client.CoreV1Api]:
    config.load_kube_config()  # the plugin points the default kubeconfig at this test's cluster
    with client.ApiClient() as api_client:
        yield client.CoreV1Api(api_client)


def refusal(exc: pytest.ExceptionInfo[ApiException]) -> tuple[int, str, str, list[dict[str, str]]]:
    body = json.loads(exc.value.body)
    return exc.value.status, body["reason"], body["message"], body["details"]["causes"]


def apply(kubectl: Kubectl, *docs: dict[str, Any], extra: tuple[str, ...] = ()) -> Any:
    return kubectl("apply", *extra, "-f", "-", input=yaml.safe_dump_all(docs))


def test_kubectl_sees_denials_on_create_update_and_delete(fake_cluster: FakeCluster, kubectl: Kubectl) -> None:
    fake_cluster.apply([
        policy("no-forbidden", [{"expression": "!has(object.data) || !('forbidden' in object.data)",
                                 "message": "the forbidden key is not allowed", "reason": "Forbidden"}]),
        binding("no-forbidden", "no-forbidden"),
        policy("keep-protected", [{"expression": "object == null && oldObject.metadata.name != 'protected'",
                                   "messageExpression": "'configmap ' + oldObject.metadata.name + ' is protected'"}],
               operations=("DELETE",)),
        binding("keep-protected", "keep-protected"),
        configmap("protected"),
    ])
    bad = configmap("web", data={"forbidden": "x"})
    create = kubectl("create", "-f", "-", input=yaml.safe_dump(bad))
    assert create.returncode == 1
    assert create.stderr.strip() == ('Error from server (Forbidden): error when creating "STDIN": configmaps "web" is '
                                     "forbidden: " + denied("no-forbidden", "no-forbidden",
                                                            "the forbidden key is not allowed"))
    dry_run = apply(kubectl, bad, extra=("--server-side", "--dry-run=server"))
    assert dry_run.returncode == 1
    assert denied("no-forbidden", "no-forbidden", "the forbidden key is not allowed") in dry_run.stderr
    assert apply(kubectl, configmap("web", data={"k": "v"})).returncode == 0
    update = apply(kubectl, bad)
    assert update.returncode == 1
    assert 'configmaps "web" is forbidden: ' + denied("no-forbidden", "no-forbidden",
                                                      "the forbidden key is not allowed") in update.stderr
    delete = kubectl("delete", "configmap", "protected")
    assert delete.returncode == 1
    # kubectl words a 422 as an invalid object, whatever the Status message says
    assert delete.stderr.strip() == ('The configmaps "protected" is invalid: : '
                                     + denied("keep-protected", "keep-protected", "configmap protected is protected"))
    assert kubectl("delete", "configmap", "web").returncode == 0
    assert kubectl("get", "configmap", "protected", "-o", "name").stdout.strip() == "configmap/protected"


def test_status_code_follows_the_reason(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    fake_cluster.apply([
        policy("sized", [
            {"expression": "variables.keys <= 1", "reason": "RequestEntityTooLarge",
             "messageExpression": "'too many keys: ' + string(variables.keys) + ' in ' + request.name"},
            {"expression": "object.metadata.name != 'plain'"},
        ], variables=[{"name": "keys", "expression": "has(object.data) ? object.data.size() : 0"}]),
        binding("sized", "sized"),
    ])
    with pytest.raises(ApiException) as too_large:
        core.create_namespaced_config_map("default", configmap("big", data={"a": "1", "b": "2"}))
    message = denied("sized", "sized", "too many keys: 2 in big")
    assert refusal(too_large) == (413, "RequestEntityTooLarge", f'configmaps "big" is forbidden: {message}',
                                  [{"message": message}])
    with pytest.raises(ApiException) as invalid:
        core.create_namespaced_config_map("default", configmap("plain"))
    message = denied("sized", "sized", "failed expression: object.metadata.name != 'plain'")
    assert refusal(invalid) == (422, "Invalid", f'configmaps "plain" is forbidden: {message}', [{"message": message}])
    assert core.create_namespaced_config_map("default", configmap("small", data={"a": "1"})).metadata.name == "small"


def test_match_conditions_choose_what_is_judged(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    fake_cluster.apply([
        policy("checked", [{"expression": "has(object.data)", "message": "data is required", "reason": "Forbidden"}],
               matchConditions=[{"name": "prefix", "expression": "object.metadata.name.startsWith('checked-')"}]),
        binding("checked", "checked"),
    ])
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("default", configmap("checked-a"))
    assert refusal(exc)[:3] == (403, "Forbidden",
                                'configmaps "checked-a" is forbidden: ' + denied("checked", "checked",
                                                                                  "data is required"))
    assert core.create_namespaced_config_map("default", configmap("other")).metadata.name == "other"
    assert core.create_namespaced_config_map("default", configmap("checked-b", data={"k": "v"})).metadata.name \
        == "checked-b"


def test_match_condition_errors_follow_the_failure_policy(fake_cluster: FakeCluster,
                                                          core: client.CoreV1Api) -> None:
    conditions = [{"name": "first", "expression": "object.data.nope == 'x'"}]
    fake_cluster.apply([
        policy("strict", [{"expression": "false"}], matchConditions=conditions, resources=("configmaps",)),
        binding("strict", "strict", matchResources={"objectSelector": {"matchLabels": {"strict": "yes"}}}),
        policy("lenient", [{"expression": "false"}], matchConditions=conditions, failurePolicy="Ignore"),
        binding("lenient", "lenient"),
    ])
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("default", configmap("a", labels={"strict": "yes"}, data={"k": "v"}))
    message = denied("strict", "strict", "expression 'object.data.nope == 'x'' resulted in error: no such key: nope")
    assert refusal(exc) == (422, "Invalid", f'configmaps "a" is forbidden: {message}', [{"message": message}])
    assert core.create_namespaced_config_map("default", configmap("b", data={"k": "v"})).metadata.name == "b"


def test_namespace_and_object_selectors(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    fake_cluster.apply([
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod", "labels": {"env": "prod"}}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}},
        policy("refuse", [{"expression": "false", "message": "refused", "reason": "Forbidden"}],
               match={"namespaceSelector": {"matchLabels": {"env": "prod"}}}),
        binding("refuse-policed", "refuse",
                matchResources={"objectSelector": {"matchExpressions": [{"key": "policed", "operator": "Exists"}]}}),
    ])
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("prod", configmap("a", "prod", labels={"policed": "true"}))
    assert refusal(exc)[:3] == (403, "Forbidden",
                                'configmaps "a" is forbidden: ' + denied("refuse", "refuse-policed", "refused"))
    assert core.create_namespaced_config_map("prod", configmap("b", "prod")).metadata.name == "b"
    assert core.create_namespaced_config_map("dev", configmap("c", "dev", labels={"policed": "true"})).metadata.name \
        == "c"


def test_warn_action_is_a_warning_header(fake_cluster: FakeCluster, kubectl: Kubectl) -> None:
    fake_cluster.apply([
        policy("short-names", [{"expression": "object.metadata.name.size() < 8",
                                "messageExpression": "'name ' + object.metadata.name + ' is long'"}]),
        binding("short-names-warn", "short-names", ("Warn", "Audit")),
    ])
    created = apply(kubectl, configmap("long-named"))
    assert created.returncode == 0
    assert created.stderr.strip() == ("Warning: Validation failed for ValidatingAdmissionPolicy 'short-names' with "
                                      "binding 'short-names-warn': name long-named is long")
    quiet = apply(kubectl, configmap("short"))
    assert (quiet.returncode, quiet.stderr) == (0, "")


def test_delete_collection_carries_each_deletes_warnings(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([
        policy("short-names", [{"expression": "oldObject.metadata.name.size() < 8",
                                "messageExpression": "'name ' + oldObject.metadata.name + ' is long'"},
                               {"expression": "false", "message": "deleting"}], operations=("DELETE",)),
        binding("short-names-warn", "short-names", ("Warn",)),
        configmap("long-named", labels={"app": "web"}), configmap("longer-named", labels={"app": "web"}),
        configmap("short", labels={"app": "web"}), configmap("other-long-name"),
    ])
    status, headers, body = api.request("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb")
    assert status == 200, body
    prefix = "Validation failed for ValidatingAdmissionPolicy 'short-names' with binding 'short-names-warn': "
    assert headers["warning"] == [f'299 - "{prefix}{text}"' for text in (
        "name long-named is long", "deleting", "name longer-named is long")]  # each text once, in order
    assert [cm["metadata"]["name"] for cm in fake_cluster.list("ConfigMap", "default")] == [
        "kube-root-ca.crt", "other-long-name"]


def test_failure_policy_on_a_runtime_error(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    failing = [{"expression": "object.data.missing == 'x'"}]
    fake_cluster.apply([policy("ignored", failing, failurePolicy="Ignore"), binding("ignored", "ignored")])
    assert core.create_namespaced_config_map("default", configmap("a", data={"k": "v"})).metadata.name == "a"
    fake_cluster.apply([policy("failing", failing, failurePolicy="Fail"), binding("failing", "failing")])
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("default", configmap("b", data={"k": "v"}))
    message = denied("failing", "failing", "expression 'object.data.missing == 'x'' resulted in error: "
                                           "no such key: missing")
    assert refusal(exc) == (422, "Invalid", f'configmaps "b" is forbidden: {message}', [{"message": message}])


def test_binding_to_a_missing_policy_does_nothing(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    fake_cluster.apply([binding("orphan", "nowhere"),
                        policy("unbound", [{"expression": "false"}])])
    assert core.create_namespaced_config_map("default", configmap("a")).metadata.name == "a"


def test_params_from_a_configmap(fake_cluster: FakeCluster, core: client.CoreV1Api) -> None:
    fake_cluster.apply([
        configmap("limits", data={"maxLength": "5"}),
        policy("name-length", [{"expression": "object.metadata.name.size() <= int(params.data.maxLength)",
                                "messageExpression": "'name longer than ' + params.data.maxLength",
                                "reason": "Forbidden"}],
               resources=("secrets",), paramKind={"apiVersion": "v1", "kind": "ConfigMap"}),
        binding("limits", "name-length", paramRef={"name": "limits", "parameterNotFoundAction": "Deny"}),
        binding("missing", "name-length", paramRef={"name": "nothing", "parameterNotFoundAction": "Deny"},
                matchResources={"objectSelector": {"matchLabels": {"missing": "yes"}}}),
    ])
    secret = {"apiVersion": "v1", "kind": "Secret"}
    with pytest.raises(ApiException) as long_name:
        core.create_namespaced_secret("default", {**secret, "metadata": {"name": "too-long"}})
    assert refusal(long_name)[:3] == (403, "Forbidden", 'secrets "too-long" is forbidden: '
                                      + denied("name-length", "limits", "name longer than 5"))
    assert core.create_namespaced_secret("default", {**secret, "metadata": {"name": "ok"}}).metadata.name == "ok"
    with pytest.raises(ApiException) as missing:
        core.create_namespaced_secret("default", {**secret, "metadata": {"name": "miss", "labels": {"missing": "yes"}}})
    assert refusal(missing)[:3] == (422, "Invalid", 'secrets "miss" is forbidden: ' + denied(
        "name-length", "missing", "failed to configure binding: no params found for policy binding with `Deny` "
                                  "parameterNotFoundAction"))
    core.patch_namespaced_config_map("limits", "default", {"data": {"maxLength": "10"}})
    assert core.create_namespaced_secret("default", {**secret, "metadata": {"name": "too-long"}}).metadata.name \
        == "too-long"
