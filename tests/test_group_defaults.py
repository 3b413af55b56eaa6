"""What kube-apiserver v1.36 stores for minimal networking, storage, RBAC, scheduling and webhook manifests.

Each test creates a kind from a minimal manifest and compares the whole object read back (server-set
metadata normalised) with what kube-apiserver stores: every defaulted field is derived from upstream's
``SetDefaults_*`` (cited where it applies), and the rest is Go's encoding of the typed object.
"""

from __future__ import annotations

from typing import Any

import pytest

RBAC = "rbac.authorization.k8s.io"
SERVER_SET = ("uid", "resourceVersion", "creationTimestamp", "managedFields")


def stored(api: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """Create ``body`` at ``path`` and read it back, without the metadata the server invents."""
    status, created = api.json("POST", path, body)
    assert status == 201, created
    status, found = api.json("GET", f"{path}/{body['metadata']['name']}")
    assert status == 200
    assert found == created
    for key in SERVER_SET:
        found["metadata"].pop(key)
    return found


def test_a_network_policy_gets_its_policy_types_and_port_protocols(api):
    body = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "np"},
            "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}, {"port": 8443, "protocol": "UDP"}]}]}}
    assert stored(api, "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies", body) == {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "np", "namespace": "default", "generation": 1},
        "spec": {
            "podSelector": {},
            # SetDefaults_NetworkPolicyPort: protocol TCP where none is given
            "egress": [{"ports": [{"port": 53, "protocol": "TCP"}, {"port": 8443, "protocol": "UDP"}]}],
            # SetDefaults_NetworkPolicy: Ingress always, Egress too when there are egress rules
            "policyTypes": ["Ingress", "Egress"],
        },
    }


def test_a_network_policy_without_egress_rules_is_an_ingress_policy(api):
    body = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny"},
            "spec": {"podSelector": {"matchLabels": {"app": "db"}}}}
    found = stored(api, "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies", body)
    assert found["spec"] == {"podSelector": {"matchLabels": {"app": "db"}}, "policyTypes": ["Ingress"]}


def test_an_ingress_gets_no_defaults_but_an_empty_load_balancer_status(api):
    body = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
            "spec": {"rules": [{"host": "web.example.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix",
                 "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]}}
    assert stored(api, "/apis/networking.k8s.io/v1/namespaces/default/ingresses", body) == {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default", "generation": 1},
        "spec": body["spec"],
        # networking/v1 has no Ingress defaults; IngressStatus is a struct Go always writes
        "status": {"loadBalancer": {}},
    }


def test_ingress_class_parameters_default_to_cluster_scope(api):
    body = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx",
                     "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external"}}}
    assert stored(api, "/apis/networking.k8s.io/v1/ingressclasses", body) == {
        # ingressClassStrategy.PrepareForCreate: generation 1 (recording grp-ingressclass-crud)
        "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx", "generation": 1},
        "spec": {"controller": "k8s.io/ingress-nginx",
                 # SetDefaults_IngressClass: parameters without a scope are cluster-scoped
                 "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external",
                                "scope": "Cluster"}},
    }


def test_a_storage_class_deletes_and_binds_immediately_by_default(api):
    body = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "standard"},
            "provisioner": "rancher.io/local-path"}
    assert stored(api, "/apis/storage.k8s.io/v1/storageclasses", body) == {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "standard"},
        "provisioner": "rancher.io/local-path",
        # SetDefaults_StorageClass
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate",
    }


def test_a_csi_driver_gets_its_spec_defaults(api):
    # CSIDriverSpec is a struct: a manifest without one is defaulted all the same
    body = {"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": "ebs.csi.aws.com"}}
    assert stored(api, "/apis/storage.k8s.io/v1/csidrivers", body) == {
        "apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": "ebs.csi.aws.com"},
        # SetDefaults_CSIDriver, with v1.37's default feature gates (VolumeLimitScaling beta: recording
        # grpdef-csidriver-minimal)
        "spec": {"attachRequired": True, "podInfoOnMount": False, "storageCapacity": False,
                 "fsGroupPolicy": "ReadWriteOnceWithFSType", "volumeLifecycleModes": ["Persistent"],
                 "requiresRepublish": False, "seLinuxMount": False, "preventPodSchedulingIfMissing": False},
    }


def test_a_role_is_stored_as_sent(api):
    body = {"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}
    assert stored(api, f"/apis/{RBAC}/v1/namespaces/default/roles", body) == {
        "apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": "reader", "namespace": "default"},
        "rules": body["rules"],
    }


def test_an_aggregated_cluster_role_has_null_rules_until_the_controller_fills_them(api):
    body = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"example.com/aggregate": "true"}}]}}
    assert stored(api, f"/apis/{RBAC}/v1/clusterroles", body) == {
        "apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring"},
        "aggregationRule": body["aggregationRule"],
        "rules": None,  # ClusterRole.Rules has no omitempty
    }


def test_a_role_binding_gets_its_api_groups(api):
    body = {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": {"name": "readers"},
            "roleRef": {"kind": "Role", "name": "reader"},
            "subjects": [{"kind": "User", "name": "alice"}, {"kind": "Group", "name": "devs"},
                         {"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}
    assert stored(api, f"/apis/{RBAC}/v1/namespaces/default/rolebindings", body) == {
        "apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": {"name": "readers", "namespace": "default"},
        # SetDefaults_RoleBinding
        "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": "reader"},
        # SetDefaults_Subject: Users and Groups are RBAC's; a ServiceAccount's group stays "" (omitted)
        "subjects": [{"kind": "User", "apiGroup": RBAC, "name": "alice"},
                     {"kind": "Group", "apiGroup": RBAC, "name": "devs"},
                     {"kind": "ServiceAccount", "name": "default", "namespace": "default"}],
    }


def test_a_cluster_role_binding_gets_its_role_ref_api_group(api):
    body = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ops"},
            "roleRef": {"kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "ServiceAccount", "name": "ops", "namespace": "kube-system"}]}
    assert stored(api, f"/apis/{RBAC}/v1/clusterrolebindings", body) == {
        "apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ops"},
        # SetDefaults_ClusterRoleBinding
        "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"},
        "subjects": body["subjects"],
    }


def test_a_priority_class_preempts_lower_priorities_by_default(api):
    body = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "batch"},
            "value": 100}
    assert stored(api, "/apis/scheduling.k8s.io/v1/priorityclasses", body) == {
        # priorityClassStrategy.PrepareForCreate: generation 1
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "batch", "generation": 1},
        "value": 100,
        # SetDefaults_PriorityClass
        "preemptionPolicy": "PreemptLowerPriority",
    }


HOOK = {"name": "pods.example.com",
        "clientConfig": {"service": {"name": "hooks", "namespace": "default", "path": "/check"}, "caBundle": "Y2E="},
        "rules": [{"operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"],
                   "resources": ["pods"]}],
        "sideEffects": "None", "admissionReviewVersions": ["v1"]}
# SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook, SetDefaults_Rule, SetDefaults_ServiceReference
HOOK_DEFAULTED = {
    "name": "pods.example.com",
    "clientConfig": {"service": {"name": "hooks", "namespace": "default", "path": "/check", "port": 443},
                     "caBundle": "Y2E="},
    "rules": [{"operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"],
               "scope": "*"}],
    "failurePolicy": "Fail", "matchPolicy": "Equivalent", "namespaceSelector": {}, "objectSelector": {},
    "sideEffects": "None", "timeoutSeconds": 10, "admissionReviewVersions": ["v1"],
}


@pytest.mark.parametrize(("kind", "plural", "extra"), [
    ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", {}),
    ("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", {"reinvocationPolicy": "Never"}),
])
def test_a_webhook_gets_its_policies_selectors_timeout_scope_and_port(api, kind, plural, extra):
    body = {"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": "pods"},
            "webhooks": [HOOK]}
    assert stored(api, f"/apis/admissionregistration.k8s.io/v1/{plural}", body) == {
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": "pods", "generation": 1},
        "webhooks": [{**HOOK_DEFAULTED, **extra}],
    }


def test_defaults_keep_what_the_manifest_says(api):
    """Set fields are never overwritten: a URL webhook that ignores failures after 3 s, an explicit scope."""
    hook = {**HOOK, "clientConfig": {"url": "https://hooks.example.com/check"}, "failurePolicy": "Ignore",
            "matchPolicy": "Exact", "timeoutSeconds": 3, "objectSelector": {"matchLabels": {"a": "b"}},
            "rules": [{**HOOK["rules"][0], "scope": "Namespaced"}]}
    body = {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": "url"}, "webhooks": [{**hook, "reinvocationPolicy": "IfNeeded"}]}
    found = stored(api, "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", body)
    assert found["webhooks"] == [{**hook, "reinvocationPolicy": "IfNeeded", "namespaceSelector": {}}]
