"""Decoding Kubernetes protobuf request bodies into the JSON a JSON client would have sent.

Payloads are built with a tiny hand-written encoder below (no protobuf library), plus real bodies
captured from kubectl, whose ``--dry-run=client -o json`` output is the oracle for the decoding.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import struct
import sys
from pathlib import Path
from typing import Any

import pytest

from fakekube.http.protobuf import (
    ProtobufError,
    UnknownProtobufType,
    decode_k8s_protobuf,
    decode_message,
    go_duration,
    message_name_for,
)

# ---------------------------------------------------------------------------------------------
# A minimal protobuf encoder


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative numbers: ten-byte two's complement, as Go writes int32/int64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def key(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


def vint(number: int, value: int | bool) -> bytes:
    return key(number, 0) + varint(int(value))


def ld(number: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return key(number, 2) + varint(len(data)) + data


def msg(number: int, *parts: bytes) -> bytes:
    return ld(number, b"".join(parts))


def f64(number: int, value: float) -> bytes:
    return key(number, 1) + struct.pack("<d", value)


def entry(number: int, map_key: str, value: bytes | str) -> bytes:
    """One map entry; ``value`` is the already-encoded value payload (bytes) or a string."""
    return msg(number, ld(1, map_key), ld(2, value))


def envelope(api_version: str, kind: str, raw: bytes, content_type: str = "") -> bytes:
    return b"k8s\x00" + msg(1, ld(1, api_version), ld(2, kind)) + ld(2, raw) + ld(3, "") + ld(4, content_type)


def object_meta(number: int, name: str, *extra: bytes) -> bytes:
    """ObjectMeta the way Go writes it: every non-pointer field, zero or not."""
    return msg(
        number,
        ld(1, name),
        ld(2, ""),
        ld(3, ""),
        ld(4, ""),
        ld(5, ""),
        ld(6, ""),
        vint(7, 0),
        ld(8, b""),
        *extra,
    )


def intstr_int(number: int, value: int) -> bytes:
    return msg(number, vint(1, 0), vint(2, value), ld(3, ""))


def intstr_str(number: int, value: str) -> bytes:
    return msg(number, vint(1, 1), vint(2, 0), ld(3, value))


def quantity(value: str) -> bytes:
    return ld(1, value)


# ---------------------------------------------------------------------------------------------
# Hand-built payloads


def test_namespace_with_labels_and_creation_timestamp() -> None:
    raw = object_meta(
        1,
        "demo",
        entry(11, "team", "a"),
        entry(11, "tier", "b"),
        entry(12, "note", "hello"),
        ld(8, vint(1, 1704164645)),  # a second creationTimestamp: the last one wins
        ld(14, "kubernetes.io/x"),
    ) + msg(2)
    body = envelope("v1", "Namespace", raw)
    assert decode_k8s_protobuf(body) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": "demo",
            "labels": {"team": "a", "tier": "b"},
            "annotations": {"note": "hello"},
            "creationTimestamp": "2024-01-02T03:04:05Z",
            "finalizers": ["kubernetes.io/x"],
        },
        "spec": {},
    }


def test_zero_time_is_null_unless_omitzero() -> None:
    # NamespaceCondition.lastTransitionTime is a plain Time: zero means null (JSON's form of zero
    # Time); ObjectMeta.creationTimestamp is omitzero, so a zero one disappears.
    raw = object_meta(1, "demo") + msg(
        3, ld(1, "Active"), msg(2, ld(1, "NamespaceDeletionDiscoveryFailure"), ld(2, "False"), ld(4, b""))
    )
    decoded = decode_k8s_protobuf(envelope("v1", "Namespace", raw))
    assert decoded["metadata"] == {"name": "demo"}
    assert decoded["status"] == {
        "phase": "Active",
        "conditions": [{"type": "NamespaceDeletionDiscoveryFailure", "status": "False", "lastTransitionTime": None}],
    }


def test_time_drops_nanoseconds_and_micro_time_keeps_microseconds() -> None:
    lease = object_meta(1, "leader") + msg(
        2,
        ld(1, "node-a"),
        vint(2, 15),
        msg(3, vint(1, 1704164645), vint(2, 123456789)),  # acquireTime (MicroTime)
        msg(4, vint(1, 0), vint(2, 0)),  # renewTime: the Unix epoch, present
        vint(5, 0),  # leaseTransitions: pointer, present zero
    )
    decoded = decode_k8s_protobuf(envelope("coordination.k8s.io/v1", "Lease", lease))
    assert decoded["spec"] == {
        "holderIdentity": "node-a",
        "leaseDurationSeconds": 15,
        "acquireTime": "2024-01-02T03:04:05.123456Z",
        "renewTime": "1970-01-01T00:00:00.000000Z",
        "leaseTransitions": 0,
    }
    assert decode_message("k8s.io.apimachinery.pkg.apis.meta.v1.Time", vint(1, 1704164645) + vint(2, 999)) == (
        "2024-01-02T03:04:05Z"
    )
    assert decode_message("k8s.io.apimachinery.pkg.apis.meta.v1.Time", vint(1, -62135596800)) is None


def deployment_payload(replicas: int | None) -> bytes:
    container = b"".join(
        [
            ld(1, "web"),
            ld(2, "nginx:1.27"),
            ld(3, "nginx"),  # command
            ld(3, "-g"),
            msg(6, ld(1, "http"), vint(2, 0), vint(3, 8080), ld(4, "TCP"), ld(5, "")),  # ports
            msg(
                8,  # resources
                entry(1, "cpu", quantity("500m")),  # limits
                entry(1, "memory", quantity("128Mi")),
                entry(2, "cpu", quantity("250m")),  # requests
            ),
            msg(9, ld(1, "data"), vint(2, False), ld(3, "/data"), ld(4, "")),  # volumeMounts
            msg(
                10,  # livenessProbe: handler is inlined into the probe
                msg(1, msg(2, ld(1, "/healthz"), intstr_str(2, "http"), ld(3, ""), ld(4, "HTTP"))),
                vint(2, 0),
                vint(3, 5),
            ),
            ld(14, "IfNotPresent"),
            ld(13, ""),  # terminationMessagePath: empty omitempty string
            vint(16, False),  # stdin
        ]
    )
    pod_spec = b"".join(
        [
            msg(1, ld(1, "data"), msg(2, msg(2, ld(1, ""), b""))),  # volumes[0].emptyDir (inlined)
            msg(2, container),
            ld(3, "Always"),
            ld(9, ""),  # serviceAccountName: omitempty
            vint(11, False),  # hostNetwork
        ]
    )
    template = object_meta(1, "", entry(11, "app", "web")) + msg(2, pod_spec)
    spec_parts = [
        msg(2, entry(1, "app", "web")),
        msg(3, template),
        msg(
            4,
            ld(1, "RollingUpdate"),
            msg(2, intstr_str(1, "25%"), intstr_int(2, 1)),
        ),
        vint(5, 0),  # minReadySeconds: non-pointer omitempty zero
        vint(7, False),  # paused
        vint(6, 10),  # revisionHistoryLimit: pointer
    ]
    if replicas is not None:
        spec_parts.insert(0, vint(1, replicas))
    return envelope(
        "apps/v1",
        "Deployment",
        object_meta(1, "web", entry(11, "app", "web")) + msg(2, *spec_parts) + msg(3, vint(1, 0)),
    )


def test_deployment_with_zero_replicas_intstr_quantities_and_inlined_structs() -> None:
    decoded = decode_k8s_protobuf(deployment_payload(replicas=0))
    assert decoded == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "volumes": [{"name": "data", "emptyDir": {}}],
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "command": ["nginx", "-g"],
                            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                            "resources": {
                                "limits": {"cpu": "500m", "memory": "128Mi"},
                                "requests": {"cpu": "250m"},
                            },
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                            "livenessProbe": {
                                "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                                "timeoutSeconds": 5,
                            },
                            "imagePullPolicy": "IfNotPresent",
                        }
                    ],
                    "restartPolicy": "Always",
                },
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 1}},
            "revisionHistoryLimit": 10,
        },
        "status": {},
    }


def test_absent_pointer_field_stays_absent() -> None:
    assert "replicas" not in decode_k8s_protobuf(deployment_payload(replicas=None))["spec"]


def test_negative_numbers() -> None:
    # Go writes negative int32/int64 as ten-byte varints.
    raw = object_meta(1, "j") + msg(2, vint(1, -1), vint(3, -7))  # parallelism, activeDeadlineSeconds
    spec = decode_k8s_protobuf(envelope("batch/v1", "Job", raw))["spec"]
    assert spec == {"parallelism": -1, "activeDeadlineSeconds": -7}


def test_secret_bytes_are_base64_and_configmap_binary_data() -> None:
    secret = object_meta(1, "s") + entry(2, "token", b"\x00\xffsecret") + ld(3, "Opaque") + entry(4, "plain", "x")
    assert decode_k8s_protobuf(envelope("v1", "Secret", secret)) == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"token": base64.b64encode(b"\x00\xffsecret").decode()},
        "type": "Opaque",
        "stringData": {"plain": "x"},
    }
    configmap = object_meta(1, "c") + entry(2, "a", "b") + entry(3, "bin", b"\x01\x02") + vint(4, False)
    assert decode_k8s_protobuf(envelope("v1", "ConfigMap", configmap)) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c"},
        "data": {"a": "b"},
        "binaryData": {"bin": "AQI="},
        "immutable": False,  # a pointer: present false is kept
    }


def test_map_entry_without_value_gets_the_zero_value() -> None:
    configmap = object_meta(1, "c") + msg(2, ld(1, "empty"))
    assert decode_k8s_protobuf(envelope("v1", "ConfigMap", configmap))["data"] == {"empty": ""}


def test_list_wrappers_are_flattened() -> None:
    sar = msg(
        2,
        ld(3, "alice"),
        ld(4, "devs"),
        msg(5, ld(1, "scopes"), msg(2, ld(1, "read"), ld(1, "write"))),  # extra: map<string, ExtraValue>
    )
    decoded = decode_k8s_protobuf(envelope("authorization.k8s.io/v1", "SubjectAccessReview", object_meta(1, "") + sar))
    assert decoded["spec"] == {"user": "alice", "groups": ["devs"], "extra": {"scopes": ["read", "write"]}}
    verbs = decode_message(
        "k8s.io.apimachinery.pkg.apis.meta.v1.APIResource",
        ld(1, "pods") + vint(2, True) + ld(3, "Pod") + msg(4, ld(1, "get"), ld(1, "list")),
    )
    assert verbs == {"name": "pods", "namespaced": True, "kind": "Pod", "verbs": ["get", "list"]}


def test_raw_extension_and_managed_fields_carry_json() -> None:
    managed = msg(
        17,
        ld(1, "kubectl"),
        ld(2, "Update"),
        ld(3, "apps/v1"),
        msg(4, vint(1, 1704164645)),
        ld(6, "FieldsV1"),
        msg(7, ld(1, b'{"f:data":{}}')),
    )
    revision = object_meta(1, "rev", managed) + msg(2, ld(1, b'{"spec":{"template":{"x":1}}}')) + vint(3, 4)
    decoded = decode_k8s_protobuf(envelope("apps/v1", "ControllerRevision", revision))
    assert decoded["data"] == {"spec": {"template": {"x": 1}}}
    assert decoded["revision"] == 4
    assert decoded["metadata"]["managedFields"] == [
        {
            "manager": "kubectl",
            "operation": "Update",
            "apiVersion": "apps/v1",
            "time": "2024-01-02T03:04:05Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {}},
        }
    ]


def test_raw_extension_may_hold_a_nested_protobuf_object() -> None:
    inner = envelope("v1", "ConfigMap", object_meta(1, "inner") + entry(2, "k", "v"))
    revision = object_meta(1, "rev") + msg(2, ld(1, inner)) + vint(3, 1)
    decoded = decode_k8s_protobuf(envelope("apps/v1", "ControllerRevision", revision))
    assert decoded["data"] == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "inner"},
        "data": {"k": "v"},
    }


def test_delete_options_found_in_meta_for_any_group_version() -> None:
    assert message_name_for("v1", "DeleteOptions") == "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions"
    assert message_name_for("apps/v1", "Deployment") == "k8s.io.api.apps.v1.Deployment"
    options = vint(1, 0) + msg(2, ld(1, "uid-1")) + ld(4, "Foreground") + ld(5, "All")
    assert decode_k8s_protobuf(envelope("policy/v1", "DeleteOptions", options)) == {
        "apiVersion": "policy/v1",
        "kind": "DeleteOptions",
        "gracePeriodSeconds": 0,
        "preconditions": {"uid": "uid-1"},
        "propagationPolicy": "Foreground",
        "dryRun": ["All"],
    }
    eviction = object_meta(1, "pod-1") + msg(2, vint(1, 30))
    assert decode_k8s_protobuf(envelope("policy/v1", "Eviction", eviction)) == {
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": "pod-1"},
        "deleteOptions": {"gracePeriodSeconds": 30},
    }


def test_json_names_that_differ_from_proto_names() -> None:
    webhook_config = object_meta(1, "hooks") + msg(2, ld(1, "a.example.com"), ld(8, "v1"))
    decoded = decode_k8s_protobuf(
        envelope("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", webhook_config)
    )
    assert decoded["webhooks"] == [{"name": "a.example.com", "admissionReviewVersions": ["v1"]}]
    params = decode_message(
        "k8s.io.api.networking.v1.IngressClassParametersReference", ld(1, "example.com") + ld(2, "K") + ld(3, "n")
    )
    assert params == {"apiGroup": "example.com", "kind": "K", "name": "n"}


def test_custom_resource_definition_schema() -> None:
    props = msg(29, ld(1, "spec"), ld(2, ld(5, "object") + msg(30, vint(1, True)) + vint(38, True)))
    schema = b"".join(
        [
            ld(5, "object"),
            ld(3, "#/defs/x"),  # $ref
            f64(9, 10.0),  # maximum
            f64(19, 0.5),  # multipleOf
            msg(8, ld(1, b'{"a":1}')),  # default
            msg(20, ld(1, b'"x"')),  # enum
            msg(20, ld(1, b"2")),
            msg(24, msg(1, ld(5, "string"))),  # items: a single schema
            props,
            msg(32, ld(1, "spec"), msg(2, ld(2, "name"))),  # dependencies: string array
            msg(30, vint(1, False)),  # additionalProperties: false
            ld(42, "map"),  # x-kubernetes-list-type
        ]
    )
    version = ld(1, "v1") + vint(2, True) + vint(3, True) + msg(4, msg(1, schema))
    crd = object_meta(1, "things.example.com") + msg(
        2, ld(1, "example.com"), msg(3, ld(1, "things"), ld(4, "Thing")), ld(4, "Namespaced"), msg(7, version)
    )
    decoded = decode_k8s_protobuf(envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd))
    assert decoded["spec"]["versions"][0]["schema"]["openAPIV3Schema"] == {
        "type": "object",
        "$ref": "#/defs/x",
        "maximum": 10,
        "multipleOf": 0.5,
        "default": {"a": 1},
        "enum": ["x", 2],
        "items": {"type": "string"},
        "properties": {
            "spec": {
                "type": "object",
                "additionalProperties": True,
                "x-kubernetes-preserve-unknown-fields": True,
            }
        },
        "dependencies": {"spec": ["name"]},
        "additionalProperties": False,
        "x-kubernetes-list-type": "map",
    }
    assert decoded["spec"]["names"] == {"plural": "things", "kind": "Thing"}


def test_packed_repeated_scalars_are_accepted() -> None:
    packed = varint(80) + varint(443)
    decoded = decode_message("k8s.io.api.core.v1.HTTPGetAction", ld(1, "/") + ld(2, b""))
    assert decoded == {"path": "/", "port": 0}
    policy = decode_message(
        "k8s.io.api.batch.v1.PodFailurePolicyOnExitCodesRequirement", ld(2, "In") + ld(3, packed) + vint(3, 8)
    )
    assert policy == {"operator": "In", "values": [80, 443, 8]}


def test_embedded_json_content_type() -> None:
    body = envelope("v1", "ConfigMap", b'{"metadata":{"name":"j"},"data":{"a":"b"}}', "application/json")
    assert decode_k8s_protobuf(body) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "j"},
        "data": {"a": "b"},
    }


def test_unknown_fields_are_skipped() -> None:
    raw = object_meta(1, "demo") + vint(99, 7) + ld(98, "junk") + key(97, 5) + b"\x00\x00\x00\x00"
    assert decode_k8s_protobuf(envelope("v1", "Namespace", raw)) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "demo"},
    }


@pytest.mark.parametrize(
    ("nanoseconds", "expected"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5\u00b5s"),
        (250_000_000, "250ms"),
        (1_500_000_000, "1.5s"),
        (60_000_000_000, "1m0s"),
        (3_600_000_000_000, "1h0m0s"),
        (7_384_005_000_000, "2h3m4.005s"),
        (-90_000_000_000, "-1m30s"),
    ],
)
def test_go_duration_strings(nanoseconds: int, expected: str) -> None:
    assert go_duration(nanoseconds) == expected
    assert decode_message("k8s.io.apimachinery.pkg.apis.meta.v1.Duration", vint(1, nanoseconds)) == expected


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b"k8s\x01" + msg(1, ld(1, "v1"), ld(2, "Namespace")),
        b"k8s\x00" + b"\x0a\x05\x0a\x02",  # length past the end
        b"k8s\x00" + b"\x08\xff\xff",  # truncated varint
        b"k8s\x00" + b"\x08" + b"\xff" * 11,  # varint longer than 64 bits
        b"k8s\x00" + b"\x0b",  # group wire type
        b"k8s\x00" + b"\x00\x01",  # field number 0
        envelope("v1", "", b""),  # no kind
        envelope("v1", "Namespace", msg(1, vint(1, 5))),  # metadata.name as a varint
        envelope("v1", "Namespace", vint(1, 1)),  # metadata as a varint
        envelope("v1", "ConfigMap", b"{nope", "application/json"),
        envelope("v1", "ConfigMap", b"", "application/yaml"),
        b"k8s\x00" + msg(1, ld(1, "v1"), ld(2, "Namespace")) + ld(3, "gzip"),
        envelope("apps/v1", "ControllerRevision", msg(2, ld(1, b"not json"))),
        envelope("apps/v1", "Deployment", msg(2, msg(4, msg(2, msg(1, vint(1, 7)))))),  # IntOrString type 7
    ],
)
def test_malformed_bodies_raise(body: bytes) -> None:
    with pytest.raises(ProtobufError):
        decode_k8s_protobuf(body)


def test_unknown_types_raise_a_distinct_error() -> None:
    with pytest.raises(UnknownProtobufType):
        decode_k8s_protobuf(envelope("example.com/v1", "Widget", b""))
    with pytest.raises(UnknownProtobufType):
        decode_k8s_protobuf(envelope("v1", "NoSuchKind", b""))
    assert issubclass(UnknownProtobufType, ProtobufError)


def test_deep_nesting_is_refused() -> None:
    schema = b""
    for _ in range(200):
        schema = msg(28, schema)  # JSONSchemaProps.not
    with pytest.raises(ProtobufError):
        decode_message("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps", schema)


# ---------------------------------------------------------------------------------------------
# Real bodies from kubectl

# `kubectl create namespace demo` (v1.36), as captured on the wire.
KUBECTL_NAMESPACE_BODY = bytes.fromhex(
    "6b3873000a0f0a02763112094e616d657370616365121c0a140a0464656d6f12001a0022002a0032003800420012001a020a001a002200"
)


def test_captured_kubectl_namespace_body() -> None:
    assert decode_k8s_protobuf(KUBECTL_NAMESPACE_BODY) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "demo"},
        "spec": {},
        "status": {},
    }


KUBECTL = shutil.which("kubectl") or str(Path(sys.executable).parent / "kubectl")

# Discovery for the throwaway server: group version -> (plural, singular, namespaced, kind).
DISCOVERY: dict[str, list[tuple[str, str, bool, str]]] = {
    "v1": [
        ("namespaces", "namespace", False, "Namespace"),
        ("configmaps", "configmap", True, "ConfigMap"),
        ("secrets", "secret", True, "Secret"),
        ("services", "service", True, "Service"),
        ("pods", "pod", True, "Pod"),
        ("resourcequotas", "resourcequota", True, "ResourceQuota"),
    ],
    "apps/v1": [("deployments", "deployment", True, "Deployment")],
    "batch/v1": [("jobs", "job", True, "Job")],
    "policy/v1": [("poddisruptionbudgets", "poddisruptionbudget", True, "PodDisruptionBudget")],
    "networking.k8s.io/v1": [("ingresses", "ingress", True, "Ingress")],
    "rbac.authorization.k8s.io/v1": [
        ("roles", "role", True, "Role"),
        ("clusterrolebindings", "clusterrolebinding", False, "ClusterRoleBinding"),
    ],
}


def _discovery(path: str) -> dict[str, Any] | None:
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
    if path == "/apis":
        groups = []
        for group_version in DISCOVERY:
            if "/" in group_version:
                version = {"groupVersion": group_version, "version": "v1"}
                groups.append({"name": group_version.split("/")[0], "versions": [version], "preferredVersion": version})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    group_version = path.removeprefix("/api/").removeprefix("/apis/")
    if group_version not in DISCOVERY:
        return None
    resources = [
        {"name": n, "singularName": s, "namespaced": ns, "kind": k, "verbs": ["create", "get", "list"]}
        for n, s, ns, k in DISCOVERY[group_version]
    ]
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


@pytest.mark.skipif(not os.path.exists(KUBECTL), reason="kubectl is not installed")
async def test_real_kubectl_bodies_decode_to_kubectls_own_json(tmp_path: Path) -> None:
    """kubectl sends typed objects as protobuf; they must decode to what ``-o json`` shows for them."""
    from aiohttp import web

    captured: list[tuple[str | None, bytes]] = []

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        answer = _discovery(request.path)
        if answer is not None:
            return web.json_response(answer)
        if request.method == "POST":
            captured.append((request.headers.get("Content-Type"), body))
            try:  # echo the object back, as a server would after creating it
                return web.json_response(decode_k8s_protobuf(body), status=201)
            except ProtobufError as exc:
                return web.json_response({"kind": "Status", "apiVersion": "v1", "message": str(exc)}, status=400)
        status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}
        return web.json_response(status, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        kubeconfig = tmp_path / "kubeconfig"
        kubeconfig.write_text("")
        env = dict(os.environ, KUBECONFIG=str(kubeconfig), KUBECACHEDIR=str(tmp_path / "cache"))
        binary = tmp_path / "blob"
        binary.write_bytes(b"\x00\x01\xfe\xff")
        commands = [
            ["create", "namespace", "demo"],
            ["create", "configmap", "x", "--from-literal=a=b", f"--from-file=blob={binary}"],
            ["create", "deployment", "web", "--image=nginx", "--replicas=0", "--port=8080"],
            ["create", "secret", "generic", "s", "--from-literal=k=v", "--type=Opaque"],
            ["create", "service", "clusterip", "svc", "--tcp=80:8080"],
            ["create", "quota", "q", "--hard=cpu=1500m,memory=1Gi,pods=10"],
            ["create", "poddisruptionbudget", "pdb", "--selector=app=x", "--min-available=50%"],
            ["create", "job", "j", "--image=busybox"],
            ["create", "ingress", "ing", "--rule=foo.com/bar*=svc:8080,tls=cert", "--class=nginx"],
            ["create", "role", "r", "--verb=get,list", "--resource=pods"],
            ["create", "clusterrolebinding", "crb", "--clusterrole=view", "--user=alice", "--group=devs"],
        ]

        async def run(*args: str) -> str:
            proc = await asyncio.create_subprocess_exec(
                KUBECTL,
                "--server",
                f"http://127.0.0.1:{port}",
                *args,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
            assert proc.returncode == 0, (args, err.decode())
            return out.decode()

        for command in commands:
            expected = json.loads(await run(*command, "--dry-run=client", "-o", "json"))
            captured.clear()
            await run(*command)
            assert len(captured) == 1, command
            content_type, body = captured[0]
            assert content_type == "application/vnd.kubernetes.protobuf", command
            assert decode_k8s_protobuf(body) == expected, command
    finally:
        await runner.cleanup()
