"""``fakekube check``: the exact report lines for the corpus in ``tests/check_corpus``, each format, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fakekube.check import command, targets

CORPUS = Path(__file__).parent / "check_corpus"
FAKEKUBE = [sys.executable, "-m", "fakekube"]


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = command.main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def c(name: str) -> str:
    return str(CORPUS / name)


def test_valid_manifests_of_common_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("valid.yaml")
    assert check(capsys, f) == (0, [
        f"{f}:1: [v1.37] ConfigMap default/settings: ok",
        f"{f}:8: [v1.37] Deployment default/web: ok",
        f"{f}:28: [v1.37] Service default/web: ok",
        f"{f}:38: [v1.37] CronJob default/nightly: ok",
        f"{f}:53: [v1.37] ServiceAccount default/robot: ok",
        "checked 5 documents against v1.37: 5 ok"])


def test_json_list_items_keep_their_lines(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("list.json")
    assert check(capsys, f) == (0, [f"{f}:2: [v1.37] ConfigMap default/one: ok",
                                    f"{f}:3: [v1.37] Secret default/two: ok",
                                    "checked 2 documents against v1.37: 2 ok"])


@pytest.mark.parametrize(("name", "line"), [
    ("unknown_field.yaml", "ConfigMap default/typo: error: failed to create typed patch object "
                           "(default/typo; /v1, Kind=ConfigMap): .datta: field not declared in schema"),
    ("selector_mismatch.yaml", 'Deployment default/web: error: Deployment.apps "web" is invalid: '
                               'spec.template.metadata.labels: Invalid value: {"app":"api"}: '
                               "`selector` does not match template `labels`"),
    ("bad_cron.yaml", 'CronJob default/broken: error: CronJob.batch "broken" is invalid: spec.schedule: '
                      'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'),
    ("duplicate_ports.yaml", "Pod default/ports: error: failed to create typed patch object "
                             "(default/ports; /v1, Kind=Pod): "
                             '.spec.containers[name="c"].ports: duplicate entries for key '
                             '[containerPort=80,protocol="TCP"]'),
    ("bad_quantity.yaml", 'Pod default/greedy: error: Pod in version "v1" cannot be handled as a Pod: quantities '
                          "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("removed.yaml", "PodDisruptionBudget web: removed: policy/v1beta1 PodDisruptionBudget is unavailable in "
                     "v1.25+; use policy/v1 PodDisruptionBudget"),
])
def test_what_only_the_server_catches(capsys: pytest.CaptureFixture[str], name: str, line: str) -> None:
    f = c(name)
    code, out = check(capsys, f)
    assert code == 1
    assert out[0] == f"{f}:1: [v1.37] {line}"
    assert len(out) == 2


def test_crd_and_custom_resource_failing_its_cel_rule(capsys: pytest.CaptureFixture[str]) -> None:
    d = c("crd")
    assert check(capsys, d) == (1, [
        f"{d}/crd.yaml:1: [v1.37] CustomResourceDefinition widgets.example.com: ok",
        f"{d}/widgets.yaml:1: [v1.37] Widget default/good: ok",
        f'{d}/widgets.yaml:7: [v1.37] Widget default/bad: error: Widget.example.com "bad" is invalid: spec: '
        "Invalid value: min must not exceed max",
        "checked 3 documents against v1.37: 2 ok, 1 error"])


def test_crds_option_registers_them_first(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("crd/widgets.yaml")
    code, out = check(capsys, "--crds", c("crd/crd.yaml"), "-q", f)
    assert (code, out[-1]) == (1, "checked 2 documents against v1.37: 1 ok, 1 error")
    code, out = check(capsys, f)
    assert out[0] == (f'{f}:1: [v1.37] Widget good: not-served: no matches for kind "Widget" in version '
                      '"example.com/v1"')


def test_immutable_field_against_state(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("immutable_update.yaml")
    assert check(capsys, f)[0] == 0  # nothing to update: a create
    assert check(capsys, "--state", c("state"), f) == (1, [
        f'{f}:1: [v1.37] Deployment default/web: error: Deployment.apps "web" is invalid: spec.selector: '
        'Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable',
        "checked 1 document against v1.37: 0 ok, 1 error"])


def test_kind_not_served_in_one_version_of_a_range(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("served_in_some.yaml")
    assert check(capsys, "--kubernetes-version", "v1.33..v1.34", f) == (1, [
        f'{f}:1: [v1.33] VolumeAttributesClass fast: not-served: no matches for kind "VolumeAttributesClass" '
        'in version "storage.k8s.io/v1"',
        f"{f}:1: [v1.34] VolumeAttributesClass fast: ok",
        "checked 1 document against v1.33, v1.34: 1 ok, 1 not served"])


def test_namespace_created_later_in_the_input_is_applied_first(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("ordering.yaml")
    assert check(capsys, f) == (0, [f"{f}:1: [v1.37] Pod team/app: ok", f"{f}:11: [v1.37] Namespace team: ok",
                                    "checked 2 documents against v1.37: 2 ok"])


def test_missing_namespace_is_the_servers_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: nowhere}\n")
    assert check(capsys, str(f))[1][0] == (f'{f}:1: [v1.37] ConfigMap nowhere/x: error: namespaces "nowhere" '
                                           "not found")


def test_yaml_syntax_error(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("not_yaml.yaml")
    assert check(capsys, f) == (1, [f"{f}:3: error: error parsing {f}: yaml: line 2: did not find expected ',' or ']'",
                                    "checked 0 documents: 0 ok, 1 error"])


def test_warn_unknown_does_not_relax_server_side_apply(capsys: pytest.CaptureFixture[str]) -> None:
    """A server-side apply builds a typed patch: an unknown field is refused whatever fieldValidation says."""
    f = c("unknown_field.yaml")
    code, out = check(capsys, "--warn-unknown", f)
    assert (code, out[0]) == (1, f"{f}:1: [v1.37] ConfigMap default/typo: error: failed to create typed patch "
                                 "object (default/typo; /v1, Kind=ConfigMap): .datta: field not declared in schema")


def test_deprecation_warning_and_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "endpoints.yaml"
    f.write_text("apiVersion: v1\nkind: Endpoints\nmetadata: {name: old}\n")
    assert check(capsys, str(f)) == (0, [
        f"{f}:1: [v1.37] Endpoints default/old: warning: v1 Endpoints is deprecated in v1.33+; "
        "use discovery.k8s.io/v1 EndpointSlice",
        "checked 1 document against v1.37: 0 ok, 1 warning"])
    assert check(capsys, "--strict", str(f))[0] == 1


def test_stdin_and_exit_codes() -> None:
    text = (CORPUS / "selector_mismatch.yaml").read_text()
    done = subprocess.run([*FAKEKUBE, "check", "-q", "-"], input=text, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith('-:1: [v1.37] Deployment default/web: error: Deployment.apps "web"')
    ok = subprocess.run([*FAKEKUBE, "check", c("valid.yaml")], capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    for bad in (["--nope", c("valid.yaml")], ["missing.yaml"], ["--kubernetes-version", "v1.20", c("valid.yaml")]):
        done = subprocess.run([*FAKEKUBE, "check", *bad], capture_output=True, text=True, check=False)
        assert done.returncode == 2, bad
    done = subprocess.run([*FAKEKUBE, "check", "missing.yaml"], capture_output=True, text=True, check=False)
    assert done.stderr == ("fakekube check: error: the path 'missing.yaml' does not exist: "
                           "No such file or directory\n")


def test_versions() -> None:
    assert targets.parse("v1.33..v1.35,1.37") == ["v1.33", "v1.34", "v1.35", "v1.37"]
    with pytest.raises(targets.BadVersion, match=r"unsupported Kubernetes version 'v1\.20'"):
        targets.parse("v1.20")


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    f, r = c("selector_mismatch.yaml"), c("removed.yaml")
    assert check(capsys, "-o", "github", f, r) == (1, [
        f"::error file={f},line=1,title=[v1.37] Deployment default/web%3A error::"
        'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: '
        "`selector` does not match template `labels`",
        f"::error file={r},line=1,title=[v1.37] PodDisruptionBudget web%3A removed::"
        "policy/v1beta1 PodDisruptionBudget is unavailable in v1.25+; use policy/v1 PodDisruptionBudget",
        "checked 2 documents against v1.37: 0 ok, 1 error, 1 removed"])


def test_json_format_has_the_status_causes(capsys: pytest.CaptureFixture[str]) -> None:
    assert command.main(["-o", "json", c("bad_cron.yaml")]) == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert (finding["line"], finding["code"], finding["reason"]) == (1, 422, "Invalid")
    assert finding["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.schedule",
                                  "message": 'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'}]


def test_junit_format(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("removed.yaml")
    assert command.main(["-o", "junit", "--kubernetes-version", "v1.36,v1.37", c("valid.yaml"), f]) == 1
    out = capsys.readouterr().out
    assert out.count('<testsuite name="v1.3') == 2
    assert out.count('tests="6" failures="1"') == 2
    assert (f'<testcase classname="{f}" name="PodDisruptionBudget web (document 1, line 1)">\n'
            '      <failure type="removed" message="policy/v1beta1 PodDisruptionBudget is unavailable in v1.25+; '
            'use policy/v1 PodDisruptionBudget">') in out


def test_sarif_format(capsys: pytest.CaptureFixture[str]) -> None:
    f = c("removed.yaml")
    assert command.main(["-o", "sarif", f]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"] == [{
        "ruleId": "removed", "level": "error",
        "message": {"text": "[v1.37] PodDisruptionBudget web: policy/v1beta1 PodDisruptionBudget is unavailable in "
                            "v1.25+; use policy/v1 PodDisruptionBudget"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": f}, "region": {"startLine": 1}}}]}]


def test_keys_set_twice_as_the_server_reads_the_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """kubectl turns YAML into JSON before sending it, keeping the last of a key set twice; kube-apiserver, sent
    the document itself as an apply body, refuses it under Strict and warns under Warn (texts recorded in the
    conformance scenario apply-yaml-duplicate-keys), with the file's line numbers here."""
    f = tmp_path / "dup.yaml"
    f.write_text("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
                 '  data: {x: "1", x: "2"}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n')
    assert check(capsys, str(f)) == (1, [
        f"{f}:4: [v1.37] ConfigMap default/a: error: error strict decoding patch: error converting YAML to JSON: "
        'yaml: unmarshal errors:\\n  line 7: key "x" already set in map',
        f"{f}:8: [v1.37] ConfigMap default/b: ok",
        "checked 2 documents against v1.37: 1 ok, 1 error"])
    assert check(capsys, "--warn-unknown", str(f))[1][0] == (
        f'{f}:4: [v1.37] ConfigMap default/a: warning: line 7: key "x" already set in map')


def test_keys_set_twice_are_reported_in_line_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """go-yaml lists the keys a document sets twice from its first line down, whatever mapping holds them."""
    f = tmp_path / "dup.yaml"
    f.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: a}\ndata: {x: "1", x: "2"}\n')
    assert check(capsys, str(f)) == (1, [
        f"{f}:1: [v1.37] ConfigMap default/a: error: error strict decoding patch: error converting YAML to JSON: "
        'yaml: unmarshal errors:\\n  line 3: key "name" already set in map\\n  line 4: key "x" already set in map',
        "checked 1 document against v1.37: 0 ok, 1 error"])
