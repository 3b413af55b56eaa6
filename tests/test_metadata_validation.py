"""ObjectMeta validation reports what kube-apiserver v1.36 reports, word for word."""

from __future__ import annotations

import random
from typing import Any

import pytest

from fakekube import name_rules as nr
from fakekube.errors import FieldError, invalid_object
from fakekube.kinds import custom_resource_strategy
from fakekube.kinds.field_labels import custom_fields
from fakekube.kinds.strategy import Strategy
from fakekube.registry import objectmeta as mv
from fakekube.registry.catalog import builtin_resources
from fakekube.registry.metadata_fields import annotations_size
from fakekube.versions import serving

SUBDOMAIN_HINT = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_HINT = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_HINT = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
    "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
KEY_NAME_HINT = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
    "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
KEY_SLASHES_HINT = (
    "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
    "and '/' (e.g. 'example.com/MyName')"
)
VALUE_HINT = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


NOT_STANDARD = "name is neither a standard finalizer name nor is it fully qualified"


def messages(errors: list[FieldError]) -> list[str]:
    return [str(e) for e in errors]


def create(meta: dict[str, Any], *, namespaced: bool = True, rule: str = nr.DNS1123_SUBDOMAIN, **kw: Any) -> list[str]:
    return messages(mv.validate_object_meta_create(meta, namespaced=namespaced, name_rule=rule, **kw))


def ok_meta(**extra: Any) -> dict[str, Any]:
    return {"name": "web", "namespace": "default", **extra}


# --- names ------------------------------------------------------------------------------------


def test_a_valid_object_has_no_errors() -> None:
    assert create(ok_meta(labels={"app": "web"}, annotations={"note": "x"}, finalizers=["example.com/f"])) == []


def test_a_missing_name_and_generate_name_is_required() -> None:
    assert create({"namespace": "default"}) == ["metadata.name: Required value: name or generateName is required"]


def test_an_uppercase_subdomain_name_shows_the_regex_hint() -> None:
    assert create({"name": "Foo", "namespace": "default"}) == [f'metadata.name: Invalid value: "Foo": {SUBDOMAIN_HINT}']


def test_a_subdomain_name_over_253_characters_reports_only_the_length() -> None:
    name = "a" * 254
    assert create({"name": name, "namespace": "default"}) == [
        f'metadata.name: Invalid value: "{name}": must be no more than 253 characters'
    ]


def test_a_dotted_name_is_not_a_dns_label() -> None:
    assert create({"name": "a.b"}, namespaced=False, rule=nr.DNS1123_LABEL) == [
        'metadata.name: Invalid value: "a.b": must not contain dots'
    ]


def test_an_underscore_name_is_not_a_dns_label() -> None:
    assert create({"name": "a_b"}, namespaced=False, rule=nr.DNS1123_LABEL) == [
        f'metadata.name: Invalid value: "a_b": {LABEL_HINT}'
    ]


def test_a_long_dns_label_reports_length_and_format() -> None:
    name = "a" * 63 + "."
    assert nr.validate_name(name, nr.DNS1123_LABEL) == ["must be no more than 63 characters", LABEL_HINT]


def test_a_dns1035_label_must_start_with_a_letter() -> None:
    assert create({"name": "9abc"}, namespaced=False, rule=nr.DNS1035_LABEL) == [
        f'metadata.name: Invalid value: "9abc": {DNS1035_HINT}'
    ]


def test_a_generate_name_may_end_with_a_dash() -> None:
    assert create({"generateName": "web-", "name": "web-x7k2q", "namespace": "default"}) == []


def test_a_bad_generate_name_is_reported_on_generate_name_and_on_the_generated_name() -> None:
    assert create({"generateName": "Web-", "name": "Web-x7k2q", "namespace": "default"}) == [
        f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN_HINT}',
        f'metadata.name: Invalid value: "Web-x7k2q": {SUBDOMAIN_HINT}',
    ]


def test_a_generate_name_alone_still_needs_a_generated_name() -> None:
    assert create({"generateName": "web-", "namespace": "default"}) == [
        "metadata.name: Required value: name or generateName is required"
    ]


def test_path_segment_names_reject_slash_and_percent() -> None:
    assert create({"name": "a/b%c", "namespace": "default"}, rule=nr.PATH_SEGMENT) == [
        'metadata.name: Invalid value: "a/b%c": may not contain \'/\'',
        'metadata.name: Invalid value: "a/b%c": may not contain \'%\'',
    ]


def test_path_segment_names_allow_colons_and_capitals() -> None:
    assert create({"name": "system:Controller:x"}, namespaced=False, rule=nr.PATH_SEGMENT) == []


def test_rbac_checks_a_dot_generate_name_as_a_whole_name() -> None:
    assert create({"generateName": ".", "name": ".x7k2q"}, namespaced=False, rule=nr.PATH_SEGMENT) == [
        "metadata.generateName: Invalid value: \".\": may not be '.'"
    ]


def test_a_kind_without_a_name_rule_still_gets_the_generic_path_segment_pass() -> None:
    assert create({"name": ".."}, namespaced=False, rule=nr.NO_RULE) == [
        "metadata.name: Invalid value: \"..\": may not be '..'"
    ]
    assert create({"name": ".."}, namespaced=False, rule=nr.NO_RULE, generic_pass=False) == []


def test_the_generic_pass_runs_only_when_the_kind_pass_found_nothing() -> None:
    assert create({"name": "a/b", "labels": {"-": "x"}}, namespaced=False, rule=nr.NO_RULE) == [
        'metadata.labels: Invalid value: "-": ' + KEY_NAME_HINT
    ]


def test_an_ip_address_name_must_be_canonical() -> None:
    assert create({"name": "2001:DB8::1"}, namespaced=False, rule=nr.IP_ADDRESS) == [
        'metadata.name: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")'
    ]
    assert create({"name": "10.0.0.1"}, namespaced=False, rule=nr.IP_ADDRESS) == []


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("web", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
        ("010.0.0.1", "must not have leading 0s"),
        ("::ffff:1.2.3.4", "must not be an IPv4-mapped IPv6 address"),
        ("fe80::1%eth0", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
    ],
)
def test_ip_address_names_reject_sloppy_forms(value: str, detail: str) -> None:
    assert nr.validate_name(value, nr.IP_ADDRESS) == [detail]


def test_a_crd_name_must_be_plural_dot_group() -> None:
    crd: dict[str, Any] = {"namespaced": False, "rule": nr.CRD_NAME, "required_name": "widgets.example.com"}
    assert create({"name": "widgets.example.com"}, **crd) == []
    assert create({"name": "widget.example.com"}, **crd) == [
        'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group'
    ]


def test_an_apiservice_name_must_be_version_dot_group() -> None:
    wanted = "v1beta1.example.com"
    assert create({"name": "v1.example.com"}, namespaced=False, rule=nr.APISERVICE_NAME, required_name=wanted) == [
        'metadata.name: Invalid value: "v1.example.com": must be `spec.version+"."+spec.group`: "v1beta1.example.com"'
    ]


def test_a_cluster_trust_bundle_name_carries_its_signer() -> None:
    rule = nr.CLUSTER_TRUST_BUNDLE_NAME
    assert nr.validate_name("example.com:signer:abc", rule, signer_name="example.com/signer") == []
    assert nr.validate_name("abc", rule, signer_name="example.com/signer") == [
        "ClusterTrustBundle for signerName example.com/signer must be named with prefix example.com:signer:"
    ]
    assert nr.validate_name("a:b", rule) == ['ClusterTrustBundle without signer name must not have ":" in its name']


def test_an_unknown_name_rule_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        nr.validate_name("x", "no-such-rule")
    with pytest.raises(ValueError):
        mv.validate_object_meta_create({"name": "x"}, namespaced=False, name_rule="no-such-rule")


# --- name rules per kind --------------------------------------------------------------------


def strategy_of(group: str, kind: str) -> Strategy:
    """The strategy the server reads for a kind: the served resource's (a custom resource's for example.com)."""
    if group == "example.com":
        return custom_resource_strategy(custom_fields({}))
    found = {r.strategy for r in builtin_resources("v1.36") if (r.group, r.kind) == (group, kind)}
    assert len(found) == 1, (group, kind)
    return found.pop()


@pytest.mark.parametrize(
    ("group", "kind", "rule"),
    [
        ("", "Namespace", nr.DNS1123_LABEL),
        ("", "Service", nr.DNS1123_LABEL),
        ("", "Event", nr.NO_RULE),
        ("", "Pod", nr.DNS1123_SUBDOMAIN),
        ("", "ConfigMap", nr.DNS1123_SUBDOMAIN),
        ("apps", "StatefulSet", nr.DNS1123_LABEL),
        ("apps", "Deployment", nr.DNS1123_SUBDOMAIN),
        ("rbac.authorization.k8s.io", "ClusterRole", nr.PATH_SEGMENT),
        ("rbac.authorization.k8s.io", "RoleBinding", nr.PATH_SEGMENT),
        ("certificates.k8s.io", "CertificateSigningRequest", nr.NO_RULE),
        ("networking.k8s.io", "IPAddress", nr.IP_ADDRESS),
        ("events.k8s.io", "Event", nr.DNS1123_SUBDOMAIN),
        ("example.com", "Widget", nr.DNS1123_SUBDOMAIN),
    ],
)
def test_each_kind_names_its_rule(group: str, kind: str, rule: str) -> None:
    assert strategy_of(group, kind).name_rule == rule


def test_every_served_kind_names_a_known_rule() -> None:
    assert {r.strategy.name_rule for r in builtin_resources("v1.36")} <= nr.NAME_RULE_NAMES


def test_a_service_name_may_start_with_a_digit_in_1_36() -> None:
    meta = {"name": "1st-svc", "namespace": "default"}
    assert create(meta, rule=strategy_of("", "Service").name_rule) == []


# --- namespace, generation ------------------------------------------------------------------


def test_a_namespaced_object_needs_a_namespace() -> None:
    assert create({"name": "web"}) == ["metadata.namespace: Required value"]


def test_a_namespace_must_be_a_dns_label() -> None:
    assert create({"name": "web", "namespace": "Team.A"}) == [
        f'metadata.namespace: Invalid value: "Team.A": {LABEL_HINT}'
    ]


def test_a_cluster_scoped_object_may_not_have_a_namespace() -> None:
    assert create({"name": "node-1", "namespace": "default"}, namespaced=False) == [
        "metadata.namespace: Forbidden: not allowed on this type"
    ]


def test_a_negative_generation_is_invalid() -> None:
    assert create(ok_meta(generation=-1)) == [
        "metadata.generation: Invalid value: -1: must be greater than or equal to 0"
    ]


# --- labels and annotations -----------------------------------------------------------------


def test_a_label_key_with_two_slashes_is_invalid() -> None:
    assert create(ok_meta(labels={"a/b/c": "x"})) == [f'metadata.labels: Invalid value: "a/b/c": {KEY_SLASHES_HINT}']


def test_a_label_key_with_an_uppercase_prefix_is_invalid() -> None:
    assert create(ok_meta(labels={"Example.com/app": "x"})) == [
        f'metadata.labels: Invalid value: "Example.com/app": prefix part {SUBDOMAIN_HINT}'
    ]


def test_an_empty_label_key_reports_both_name_part_errors() -> None:
    assert create(ok_meta(labels={"": "x"})) == [
        'metadata.labels: Invalid value: "": name part must be non-empty',
        f'metadata.labels: Invalid value: "": {KEY_NAME_HINT}',
    ]


def test_an_empty_label_prefix_is_reported() -> None:
    assert create(ok_meta(labels={"/app": "x"})) == [
        'metadata.labels: Invalid value: "/app": prefix part must be non-empty'
    ]


def test_a_label_key_name_over_63_bytes_is_invalid() -> None:
    key = "k" * 64
    assert create(ok_meta(labels={key: "x"})) == [
        f'metadata.labels: Invalid value: "{key}": name part must be no more than 63 bytes'
    ]


def test_a_label_value_over_63_bytes_is_invalid() -> None:
    value = "v" * 64
    assert create(ok_meta(labels={"app": value})) == [
        f'metadata.labels: Invalid value: "{value}": must be no more than 63 bytes'
    ]


def test_a_label_value_with_a_space_is_invalid() -> None:
    assert create(ok_meta(labels={"app": "my app"})) == [f'metadata.labels: Invalid value: "my app": {VALUE_HINT}']


def test_an_empty_label_value_is_fine() -> None:
    assert create(ok_meta(labels={"app": ""})) == []


def test_label_errors_come_key_first_in_sorted_key_order() -> None:
    assert create(ok_meta(labels={"z": "-", "-": "ok"})) == [
        f'metadata.labels: Invalid value: "-": {KEY_NAME_HINT}',
        f'metadata.labels: Invalid value: "-": {VALUE_HINT}',
    ]


def test_annotation_keys_are_case_insensitive() -> None:
    assert create(ok_meta(annotations={"Example.com/Note": "anything at all"})) == []


def test_an_annotation_key_with_a_space_is_invalid_and_shown_as_written() -> None:
    assert create(ok_meta(annotations={"My Note": "x"})) == [
        f'metadata.annotations: Invalid value: "My Note": {KEY_NAME_HINT}'
    ]


def test_annotations_over_256_kib_are_too_long() -> None:
    big = {"a": "x" * (256 * 1024)}
    assert create(ok_meta(annotations=big)) == ["metadata.annotations: Too long: may not be more than 262144 bytes"]


def test_annotations_of_exactly_256_kib_are_fine() -> None:
    exact = {"a": "x" * (256 * 1024 - 1)}
    assert create(ok_meta(annotations=exact)) == []


def test_annotation_size_counts_utf8_bytes() -> None:
    assert annotations_size({"k": "é"}) == 3


# --- finalizers, owner references, managed fields -------------------------------------------


def test_a_finalizer_must_be_a_qualified_name() -> None:
    assert create(ok_meta(finalizers=["a/b/c"])) == [f'metadata.finalizers: Invalid value: "a/b/c": {KEY_SLASHES_HINT}']


def test_orphan_and_foreground_finalizers_cannot_be_combined() -> None:
    assert create(ok_meta(finalizers=["orphan", "foregroundDeletion"])) == [
        'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: '
        "finalizer orphan and foregroundDeletion cannot be both set"
    ]


def test_an_empty_owner_reference_reports_each_missing_field() -> None:
    """v1.37 words them on the reference's index, as required (the life-owner-references-invalid recording)."""
    assert create(ok_meta(ownerReferences=[{}])) == [
        "metadata.ownerReferences[0].apiVersion: Required value: must not be empty",
        "metadata.ownerReferences[0].kind: Required value: must not be empty",
        "metadata.ownerReferences[0].name: Required value: must not be empty",
        "metadata.ownerReferences[0].uid: Required value: must not be empty",
    ]


@pytest.mark.parametrize(("release", "texts"), [
    ("v1.33", ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
               'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
               'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
               'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty']),
    ("v1.36", ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
               'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
               'metadata.ownerReferences.name: Invalid value: "": must not be empty',
               'metadata.ownerReferences.uid: Invalid value: "": must not be empty']),
])
def test_an_empty_owner_reference_in_older_releases(release: str, texts: list[str]) -> None:
    """Before v1.37 the errors are on the list path, without an index, as invalid values."""
    with serving(release):
        assert create(ok_meta(ownerReferences=[{}])) == texts


def test_an_owner_api_version_with_two_slashes_has_no_version() -> None:
    ref = {"apiVersion": "a/b/c", "kind": "K", "name": "n", "uid": "u"}
    assert create(ok_meta(ownerReferences=[ref])) == [
        'metadata.ownerReferences[0].apiVersion: Invalid value: "a/b/c": must be <group>/<version> or <version>'
    ]
    with serving("v1.36"):
        assert create(ok_meta(ownerReferences=[ref])) == [
            'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty'
        ]


def test_an_owner_api_version_with_only_a_group_has_no_version() -> None:
    ref = {"apiVersion": "apps/", "kind": "Deployment", "name": "n", "uid": "u"}
    assert create(ok_meta(ownerReferences=[ref])) == [
        'metadata.ownerReferences[0].apiVersion: Invalid value: "apps/": must be <group>/<version> or <version>'
    ]


def test_an_event_cannot_own_anything() -> None:
    ref = {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u1", "controller": False}
    assert create(ok_meta(ownerReferences=[ref])) == [
        'metadata.ownerReferences[0]: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u1",'
        '"controller":false}: /v1, Kind=Event is disallowed from being an owner'
    ]


def test_only_one_owner_reference_may_be_the_controller() -> None:
    refs = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "a", "uid": "1", "controller": True},
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "b", "uid": "2", "controller": True},
    ]
    meta = ok_meta(ownerReferences=refs)
    errors = mv.validate_object_meta_create(meta, namespaced=True, name_rule=nr.DNS1123_SUBDOMAIN)
    assert [e.field for e in errors] == ["metadata.ownerReferences"]
    assert str(errors[0]) == (
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1",'
        '"controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: '
        'Only one reference can have Controller set to true. '
        'Found "true" in references for ReplicaSet/a and ReplicaSet/b'
    )


def test_a_managed_fields_entry_needs_a_known_operation_and_fields_type() -> None:
    entry = {"manager": "kubectl", "operation": "Patch", "fieldsType": "FieldsV2"}
    assert create(ok_meta(managedFields=[entry])) == [
        'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
        'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
    ]


def test_a_managed_fields_manager_is_limited_and_printable() -> None:
    entry = {"manager": "a\tb" + "m" * 130, "operation": "Update"}
    assert create(ok_meta(managedFields=[entry])) == [
        "metadata.managedFields[0].manager: Too long: may not be more than 128 bytes",
        f'metadata.managedFields[0].manager: Invalid value: "a\\tb{"m" * 130}": '
        "invalid character U+0009 (at position 1)",
    ]


def test_built_in_kinds_reject_unqualified_non_standard_finalizers() -> None:
    meta = ok_meta(finalizers=["kubernetes", "foo", "example.com/ok", "orphan"])
    assert create(meta, kube_finalizers=True) == [
        f'metadata.finalizers[1]: Invalid value: "foo": {NOT_STANDARD}'
    ]
    assert create(meta) == []


def test_the_kube_finalizer_error_follows_the_format_error() -> None:
    assert create(ok_meta(finalizers=["a b"]), kube_finalizers=True) == [
        f'metadata.finalizers: Invalid value: "a b": {KEY_NAME_HINT}',
        f'metadata.finalizers[0]: Invalid value: "a b": {NOT_STANDARD}',
    ]


@pytest.mark.parametrize(
    ("group", "kind", "checked"),
    [
        ("", "ConfigMap", True),
        ("apps", "Deployment", True),
        ("rbac.authorization.k8s.io", "Role", True),
        ("coordination.k8s.io", "Lease", False),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", False),
        ("apiextensions.k8s.io", "CustomResourceDefinition", False),
        ("example.com", "Widget", False),
    ],
)
def test_only_kinds_behind_the_kubernetes_wrapper_check_finalizer_names(group: str, kind: str, checked: bool) -> None:
    assert strategy_of(group, kind).kube_finalizers is checked


def test_a_lease_candidate_name_is_a_config_map_key() -> None:
    assert strategy_of("coordination.k8s.io", "LeaseCandidate").name_rule == nr.CONFIG_MAP_KEY
    assert nr.validate_name("Kube_Controller-Manager.node1", nr.CONFIG_MAP_KEY) == []
    assert nr.validate_name("..x", nr.CONFIG_MAP_KEY) == ["must not start with '..'"]
    assert nr.validate_name("a b", nr.CONFIG_MAP_KEY) == [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    ]


# --- ordering and wiring --------------------------------------------------------------------


def test_errors_come_in_upstream_order() -> None:
    meta = {
        "generateName": "X",
        "name": "X",
        "generation": -1,
        "labels": {"-": "ok"},
        "annotations": {"-": "ok"},
        "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "p"}],
        "finalizers": ["-"],
    }
    errors = mv.validate_object_meta_create(meta, namespaced=True, name_rule=nr.DNS1123_SUBDOMAIN)
    assert [e.field for e in errors] == [
        "metadata.generateName",
        "metadata.name",
        "metadata.namespace",
        "metadata.generation",
        "metadata.labels",
        "metadata.annotations",
        "metadata.ownerReferences[0].uid",
        "metadata.finalizers",
    ]


def test_errors_plug_into_the_invalid_status() -> None:
    meta = {"name": "Web", "namespace": "default"}
    errors = mv.validate_object_meta_create(meta, namespaced=True, name_rule=nr.DNS1123_SUBDOMAIN)
    status = invalid_object("Pod", "", "Web", errors)
    assert status.message == f'Pod "Web" is invalid: metadata.name: Invalid value: "Web": {SUBDOMAIN_HINT}'
    assert status.causes == [
        {"reason": "FieldValueInvalid", "message": f'Invalid value: "Web": {SUBDOMAIN_HINT}', "field": "metadata.name"}
    ]


# --- update -----------------------------------------------------------------------------------

OLD: dict[str, Any] = {
    "name": "web",
    "namespace": "default",
    "uid": "u-1",
    "resourceVersion": "7",
    "generation": 2,
    "creationTimestamp": "2024-01-01T00:00:00Z",
}


def update(new: dict[str, Any], old: dict[str, Any] = OLD, **kw: Any) -> list[str]:
    return messages(mv.validate_object_meta_update(new, old, **kw))


def test_an_unchanged_update_is_valid() -> None:
    assert update(dict(OLD)) == []


def test_an_update_needs_a_resource_version() -> None:
    new = {k: v for k, v in OLD.items() if k != "resourceVersion"}
    assert update(new) == ['metadata.resourceVersion: Invalid value: "": must be specified for an update']


def test_name_namespace_and_uid_are_immutable() -> None:
    new = {**OLD, "name": "web2", "namespace": "other", "uid": "u-2"}
    assert update(new) == [
        'metadata.name: Invalid value: "web2": field is immutable',
        'metadata.namespace: Invalid value: "other": field is immutable',
        'metadata.uid: Invalid value: "u-2": field is immutable',
    ]


def test_the_creation_timestamp_is_immutable_but_compared_as_a_time() -> None:
    assert update({**OLD, "creationTimestamp": "2024-01-01T00:00:00+00:00"}) == []
    assert update({**OLD, "creationTimestamp": "2024-01-01T01:00:00+01:00"}) == []
    assert update({**OLD, "creationTimestamp": "2024-01-02T00:00:00Z"}) == [
        'metadata.creationTimestamp: Invalid value: "2024-01-02T00:00:00Z": field is immutable'
    ]
    assert update({k: v for k, v in OLD.items() if k != "creationTimestamp"}) == [
        "metadata.creationTimestamp: Invalid value: null: field is immutable"
    ]


def test_deletion_fields_are_immutable() -> None:
    new = {**OLD, "deletionTimestamp": "2024-02-01T00:00:00Z", "deletionGracePeriodSeconds": 30}
    assert update(new) == [
        'metadata.deletionTimestamp: Invalid value: "2024-02-01T00:00:00Z": field is immutable',
        "metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable",
    ]


def test_generation_may_not_go_down() -> None:
    assert update({**OLD, "generation": 1}) == ["metadata.generation: Invalid value: 1: must not be decremented"]


def test_an_object_being_deleted_cannot_gain_finalizers() -> None:
    old = {**OLD, "deletionTimestamp": "2024-02-01T00:00:00Z", "finalizers": ["keep"]}
    new = {**old, "finalizers": ["keep", "b.io/x", "a.io/y"]}
    assert update(new, old) == [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, '
        'found new finalizers []string{"a.io/y", "b.io/x"}'
    ]
    assert update({**old, "finalizers": []}, old) == []


def test_an_update_rechecks_labels_and_annotations() -> None:
    new = {**OLD, "labels": {"app": "my app"}, "annotations": {"-": "x"}}
    assert update(new) == [
        f'metadata.labels: Invalid value: "my app": {VALUE_HINT}',
        f'metadata.annotations: Invalid value: "-": {KEY_NAME_HINT}',
    ]


def test_an_update_does_not_recheck_finalizer_format() -> None:
    assert update({**OLD, "finalizers": ["a/b/c"]}) == []


def test_an_update_with_scope_adds_the_generic_create_pass_as_the_apiserver_does() -> None:
    new = {**OLD, "labels": {"app": "my app"}, "finalizers": ["a/b/c"]}
    assert update(new, namespaced=True) == [
        f'metadata.labels: Invalid value: "my app": {VALUE_HINT}',
        f'metadata.finalizers: Invalid value: "a/b/c": {KEY_SLASHES_HINT}',
        f'metadata.labels: Invalid value: "my app": {VALUE_HINT}',
    ]


def test_an_update_of_a_built_in_kind_rechecks_finalizer_names() -> None:
    assert update({**OLD, "finalizers": ["foo"]}, kube_finalizers=True) == [
        f'metadata.finalizers[0]: Invalid value: "foo": {NOT_STANDARD}'
    ]


def test_an_update_accepts_but_does_not_apply_the_name_rule() -> None:
    assert update(dict(OLD), namespaced=True, name_rule=nr.DNS1123_LABEL) == []
    with pytest.raises(ValueError):
        update(dict(OLD), name_rule="no-such-rule")


def test_the_apiserver_keeps_system_fields_from_the_stored_object() -> None:
    old = {**OLD, "deletionTimestamp": "2024-02-01T00:00:00Z", "deletionGracePeriodSeconds": 30}
    new = {"name": "web", "namespace": "default", "resourceVersion": "7", "generation": 9,
           "creationTimestamp": "2030-01-01T00:00:00Z"}
    merged = mv.apply_update_system_fields(new, old)
    assert merged == {**new, "uid": "u-1", "generation": 2, "creationTimestamp": "2024-01-01T00:00:00Z",
                      "deletionTimestamp": "2024-02-01T00:00:00Z", "deletionGracePeriodSeconds": 30}
    assert "uid" not in new
    assert update(merged, old) == []


def test_a_request_uid_is_kept_so_a_different_one_is_rejected() -> None:
    merged = mv.apply_update_system_fields({**OLD, "uid": "other"}, OLD)
    assert update(merged) == ['metadata.uid: Invalid value: "other": field is immutable']


# --- name generation ------------------------------------------------------------------------


def test_a_generated_name_appends_five_random_characters() -> None:
    name = nr.generate_name("web-", random.Random(1))
    assert name.startswith("web-") and len(name) == 9
    assert set(name[4:]) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert nr.generate_name("web-", random.Random(1)) == name


def test_a_generated_name_cuts_long_bases_to_58_bytes() -> None:
    name = nr.generate_name("x" * 80)
    assert name[:58] == "x" * 58 and len(name) == 63
    assert nr.validate_name(name, nr.DNS1123_LABEL) == []
