"""ValidatingAdmissionPolicy over HTTP where fakekube cannot be recorded against kube-apiserver: the ``authorizer``
library, which fakekube does not evaluate (kube-apiserver's would answer from its authorizer), and custom
resources as params and as equivalent resources (the recorded scenarios in
``tests/conformance/scenarios/vap.yaml`` cover built-in kinds only)."""

from __future__ import annotations

from typing import Any

from conftest import Api

from fakekube import FakeCluster

GROUP = "admissionregistration.k8s.io"
UNSUPPORTED = "the authorizer library is not supported by fakekube"
CHECK = "authorizer.group('').resource('pods').namespace('default').check('create').allowed()"


def policy(name: str, *, validations: list[dict[str, Any]] | None = None, rules: list[dict[str, Any]] | None = None,
           **spec: Any) -> dict[str, Any]:
    rules = rules or [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["configmaps"]}]
    return {"apiVersion": f"{GROUP}/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": name},
            "spec": {"matchConstraints": {"resourceRules": rules},
                     "validations": validations or [{"expression": "false"}], **spec}}


def binding(name: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": f"{GROUP}/v1", "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": name},
            "spec": {"policyName": name, "validationActions": ["Deny"], **spec}}


def create_configmap(api: Api, name: str) -> tuple[int, dict[str, Any]]:
    return api.json("POST", "/api/v1/namespaces/default/configmaps",
                    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})


def denied(name: str, message: str) -> str:
    return (f'configmaps "{name}" is forbidden: ValidatingAdmissionPolicy \'{name}\' with binding \'{name}\' '
            f"denied request: {message}")


def test_policy_using_the_authorizer_is_accepted(fake_cluster: FakeCluster, api: Api) -> None:
    status, body = api.json("POST", f"/apis/{GROUP}/v1/validatingadmissionpolicies",
                            policy("authz", validations=[{"expression": CHECK}]))
    assert status == 201, body


def test_authorizer_in_a_validation_fails_under_fail(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([policy("authz", validations=[{"expression": CHECK}]), binding("authz")])
    status, body = create_configmap(api, "authz")
    assert (status, body["reason"]) == (422, "Invalid")
    assert body["message"] == denied("authz", f"expression '{CHECK}' resulted in error: {UNSUPPORTED}")


def test_authorizer_in_a_validation_is_ignored_under_ignore(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([policy("authz", validations=[{"expression": CHECK}], failurePolicy="Ignore"),
                        binding("authz")])
    assert create_configmap(api, "authz")[0] == 201


def test_authorizer_in_a_match_condition_and_a_variable(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([
        policy("condition", matchConditions=[{"name": "allowed", "expression": CHECK}]), binding("condition"),
        policy("variable", variables=[{"name": "allowed", "expression": CHECK}],
               validations=[{"expression": "variables.allowed == true"}],
               rules=[{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["secrets"]}]),
        binding("variable"),
    ])
    status, body = create_configmap(api, "condition")
    assert status == 422
    assert body["message"] == denied("condition", f"expression '{CHECK}' resulted in error: {UNSUPPORTED}")
    status, body = api.json("POST", "/api/v1/namespaces/default/secrets",
                            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})
    assert status == 422
    assert body["message"].endswith(
        "ValidatingAdmissionPolicy 'variable' with binding 'variable' denied request: "
        f"expression 'variables.allowed == true' resulted in error: {UNSUPPORTED}")


def widgets_crd() -> dict[str, Any]:
    schema = {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": schema},
                                  {"name": "v2", "served": True, "storage": False, "schema": schema}]}}


def test_custom_resource_as_params(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([
        widgets_crd(),
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "limits", "namespace": "default"},
         "maxLength": 5},
        policy("limits", paramKind={"apiVersion": "example.com/v2", "kind": "Widget"},
               validations=[{"expression": "object.metadata.name.size() <= params.maxLength",
                             "messageExpression": "params.apiVersion + ' allows ' + string(params.maxLength)"}]),
        binding("limits", paramRef={"name": "limits", "parameterNotFoundAction": "Deny"}),
    ])
    assert create_configmap(api, "short")[0] == 201
    status, body = create_configmap(api, "too-long")
    assert status == 422
    assert body["message"].endswith("denied request: example.com/v2 allows 5")


def test_custom_resource_matched_through_another_served_version(fake_cluster: FakeCluster, api: Api) -> None:
    fake_cluster.apply([
        widgets_crd(),
        policy("widgets", rules=[{"apiGroups": ["example.com"], "apiVersions": ["v1"], "operations": ["CREATE"],
                                  "resources": ["widgets"]}],
               validations=[{"expression": "false",
                             "messageExpression": "request.kind.version + ' ' + request.requestKind.version + ' ' "
                                                  "+ object.apiVersion"}]),
        binding("widgets"),
    ])
    status, body = api.json("POST", "/apis/example.com/v2/namespaces/default/widgets",
                            {"apiVersion": "example.com/v2", "kind": "Widget", "metadata": {"name": "w"}})
    assert status == 422
    assert body["message"].endswith("denied request: v1 v2 example.com/v1")
