"""A CustomResourceDefinition end to end with a real kubectl: registered, established, served under its
plural, short name and category, explained from its schema's descriptions, validated, and gone with its
custom resources when the CRD is deleted.  Each cluster keeps its own CRDs.

Every kubectl run here has its own discovery cache (``KUBECACHEDIR`` in the test's temporary
directory): kubectl keys its cache by server address, and a port a stopped cluster used may come back.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import KUBECTL

from fakekube import FakeCluster

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        description: A Widget is a thing the factory makes.
        type: object
        properties:
          spec:
            description: WidgetSpec says how the widget is to be made.
            type: object
            required: [color]
            properties:
              color:
                description: The colour of the widget's casing.
                type: string
                enum: [red, blue]
              size:
                description: How many centimetres across.
                type: integer
                minimum: 1
          status:
            type: object
            properties:
              phase: {type: string}
"""

WIDGETS = """
apiVersion: example.com/v1
kind: Widget
metadata: {name: small}
spec: {color: red, size: 3}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: plain}
spec: {color: blue}
"""

Run = Callable[..., subprocess.CompletedProcess[str]]


def kubectl_for(cluster: FakeCluster, cache: Path) -> Run:
    env = dict(os.environ, KUBECONFIG=str(cluster.kubeconfig_path), KUBECACHEDIR=str(cache))

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, input=input, timeout=60)

    return run


@pytest.fixture
def kubectl(fake_cluster: FakeCluster, tmp_path: Path) -> Run:
    return kubectl_for(fake_cluster, tmp_path / "kubectl-cache")


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def crd_file(tmp_path: Path) -> Path:
    path = tmp_path / "crd.yaml"
    path.write_text(CRD)
    return path


@pytest.fixture
def established(kubectl: Run, crd_file: Path) -> Run:
    """The CRD applied and established; returns the kubectl to go on with (its cache saw no widgets yet)."""
    assert ok(kubectl("get", "namespaces", "-o", "name")).startswith("namespace/default")  # fills the cache
    assert ok(kubectl("apply", "-f", str(crd_file))) == (
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n")
    assert ok(kubectl("wait", "--for", "condition=established", "crd/widgets.example.com", "--timeout=10s")) == (
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n")
    return kubectl


def test_wait_established_then_the_crd_status_shows_accepted_names(established: Run) -> None:
    crd = yaml.safe_load(ok(established("get", "crd", "widgets.example.com", "-o", "yaml")))
    status = crd["status"]
    assert status["acceptedNames"] == {"kind": "Widget", "listKind": "WidgetList", "plural": "widgets",
                                       "singular": "widget", "shortNames": ["wd"], "categories": ["all"]}
    assert status["storedVersions"] == ["v1"]
    assert {(c["type"], c["status"]) for c in status["conditions"]} == {("NamesAccepted", "True"),
                                                                       ("Established", "True")}
    assert "finalizers" not in crd["metadata"]  # kube-apiserver adds its cleanup finalizer on delete only


def test_get_by_plural_short_name_and_category(established: Run, tmp_path: Path) -> None:
    assert established("get", "widgets").stderr == "No resources found in default namespace.\n"
    manifest = tmp_path / "widgets.yaml"
    manifest.write_text(WIDGETS)
    assert ok(established("apply", "-f", str(manifest))) == (
        "widget.example.com/small created\nwidget.example.com/plain created\n")

    for name in ("widgets", "wd", "widget", "widgets.example.com", "widgets.v1.example.com"):
        rows = [line.split() for line in ok(established("get", name)).splitlines()]
        assert [row[0] for row in rows] == ["NAME", "plain", "small"], name
    # one table per resource, the default namespace's kubernetes Service first, as on a real cluster
    assert [line.split()[0] for line in ok(established("get", "all")).splitlines() if line] == [
        "NAME", "service/kubernetes", "NAME", "widget.example.com/plain", "widget.example.com/small"]
    assert ok(established("get", "wd", "small", "-o", "jsonpath={.spec}")) == '{"color":"red","size":3}'
    assert ok(established("api-resources", "--api-group=example.com", "--no-headers")).split() == [
        "widgets", "wd", "example.com/v1", "true", "Widget"]


def test_explain_prints_the_schemas_descriptions(established: Run) -> None:
    assert ok(established("explain", "widget.spec")).splitlines() == [
        "GROUP:      example.com",
        "KIND:       Widget",
        "VERSION:    v1",
        "",
        "FIELD: spec <Object>",
        "",
        "",
        "DESCRIPTION:",
        "    WidgetSpec says how the widget is to be made.",
        "    ",
        "FIELDS:",
        "  color\t<string> -required-",
        "  enum: red, blue",
        "    The colour of the widget's casing.",
        "",
        "  size\t<integer>",
        "    How many centimetres across.",
        "",
        "",
    ]
    top = ok(established("explain", "widgets"))
    assert "DESCRIPTION:\n    A Widget is a thing the factory makes.\n" in top
    assert "  spec\t<Object>\n    WidgetSpec says how the widget is to be made.\n" in top
    assert "  metadata\t<ObjectMeta>\n" in top
    assert ok(established("explain", "wd.spec.size")).endswith(
        "FIELD: size <integer>\n\n\nDESCRIPTION:\n    How many centimetres across.\n    \n\n")


def test_apply_invalid_custom_resources_reports_the_servers_errors(established: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad}\nspec: {color: green, size: 0}\n")
    result = established("apply", "-f", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        'The Widget "bad" is invalid: \n'
        '* spec.color: Unsupported value: "green": supported values: "red", "blue"\n'
        '* spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1\n')

    missing = tmp_path / "missing.yaml"
    missing.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: missing}\nspec: {size: 2}\n")
    result = established("apply", "-f", str(missing))
    assert result.returncode == 1
    assert result.stderr == 'The Widget "missing" is invalid: spec.color: Required value\n'

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: odd}\n"
                       "spec: {color: red, shape: round}\n")
    result = established("apply", "-f", str(unknown))
    assert result.returncode == 1
    assert result.stderr == (
        f'Error from server (BadRequest): error when creating "{unknown}": Widget in version "v1" cannot be '
        'handled as a Widget: strict decoding error: unknown field "spec.shape"\n')
    assert established("get", "widgets").stderr == "No resources found in default namespace.\n"


def test_delete_crd_removes_its_custom_resources_and_its_type(established: Run, tmp_path: Path,
                                                             fake_cluster: FakeCluster) -> None:
    manifest = tmp_path / "widgets.yaml"
    manifest.write_text(WIDGETS)
    ok(established("apply", "-f", str(manifest)))
    assert ok(established("delete", "crd", "widgets.example.com")) == (
        'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n')
    assert established("get", "crd").stderr == "No resources found\n"
    assert [o["kind"] for o in fake_cluster.objects() if o["kind"] == "Widget"] == []
    # A kubectl whose cache never saw the widgets asks discovery, which no longer lists them.
    fresh = kubectl_for(fake_cluster, tmp_path / "fresh-cache")
    for name in ("widgets", "wd"):
        result = fresh("get", name)
        assert (result.returncode, result.stderr) == (1, f'error: the server doesn\'t have a resource type "{name}"\n')
    # The one that did see them is refused by the server itself.
    result = established("get", "widgets")
    assert result.returncode == 1
    # kube-apiserver answers Go's plain 404 there (crd-delete); kubectl words it with the request
    assert result.stderr == ('Error from server (NotFound): Unable to list "example.com/v1, Resource=widgets": '
                             "the server could not find the requested resource (get widgets.example.com)\n")


def test_a_crd_is_only_in_the_cluster_it_was_created_in(
        established: Run, fake_cluster_factory: Callable[..., FakeCluster], tmp_path: Path) -> None:
    other = kubectl_for(fake_cluster_factory(), tmp_path / "other-cache")
    assert other("get", "crd").stderr == "No resources found\n"
    result = other("get", "widgets")
    assert (result.returncode, result.stderr) == (1, 'error: the server doesn\'t have a resource type "widgets"\n')
    assert ok(established("get", "crd", "-o", "name")) == (
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com\n")
