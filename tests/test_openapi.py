"""The OpenAPI documents (``/openapi/v2``, ``/openapi/v3`` and its group-version documents)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from aiohttp import web

from fakekube.http import openapi
from fakekube.http.openapi import v3 as openapi_v3
from fakekube.registry.catalog import Catalog
from fakekube.registry.resources import ResourceInfo, SubresourceInfo

PATCH_MEDIA_TYPES = {
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
}
HTTP_STATUS_TEXTS = set(openapi.STATUS_TEXT.values())
# kube-apiserver's own wording of its security scheme (not API documentation), in every document
SERVER_TEXTS = {"Bearer Token authentication"}

WIDGET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A widget of the example company.",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "integer", "description": "How big the widget is."},
                "color": {"type": "string", "enum": ["red", "blue"], "nullable": True},
                "port": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
            },
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def widget_resource(schema: dict[str, Any] | None = None) -> ResourceInfo:
    return ResourceInfo(
        group="example.com",
        version="v1",
        kind="Widget",
        plural="widgets",
        singular="widget",
        namespaced=True,
        verbs=frozenset({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}),
        list_kind="WidgetList",
        short_names=("wd",),
        subresources=(SubresourceInfo("status", "example.com", "v1", "Widget", frozenset({"get", "patch", "update"})),),
        schema=WIDGET_SCHEMA if schema is None else schema,
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog("v1.36")


@pytest.fixture
def widget_catalog() -> Catalog:
    cat = Catalog("v1.36")
    cat.add(widget_resource())
    return cat


def v2_document(catalog: Catalog, git_version: str = "v1.36.0") -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads(openapi.build_v2(catalog, git_version))
    return doc


def v3_document(catalog: Catalog, path: str) -> dict[str, Any]:
    data = openapi.build_v3_document(catalog, path)
    assert data is not None, path
    doc: dict[str, Any] = orjson.loads(data)
    return doc


def walk(node: Any) -> Iterator[tuple[str | None, Any, Any]]:
    """Every (key, value, parent) of a JSON tree; list items have key None."""
    stack: list[tuple[str | None, Any, Any]] = [(None, node, None)]
    while stack:
        key, value, parent = stack.pop()
        yield key, value, parent
        if isinstance(value, dict):
            stack.extend((k, v, value) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((None, v, value) for v in value)


def refs(node: Any) -> set[str]:
    return {value for key, value, _ in walk(node) if key == "$ref" and isinstance(value, str)}


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield path, method, op


def all_parameters(item: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    return [*item.get("parameters", []), *op.get("parameters", [])]


# --- /openapi/v2 ------------------------------------------------------------------------------------


def test_the_v2_document_is_swagger_2_titled_kubernetes_with_the_emulation_version(catalog: Catalog) -> None:
    # kube-apiserver writes its emulation version, major.minor, whatever its build (oapi-v2-header: "1.37")
    doc = v2_document(catalog, "v1.36.3-fake")
    assert doc["swagger"] == "2.0"
    assert doc["info"] == {"title": "Kubernetes", "version": catalog.kubernetes_version.removeprefix("v")}
    assert doc["securityDefinitions"]["BearerToken"]["type"] == "apiKey"


def test_every_ref_in_the_v2_document_resolves_to_one_of_its_definitions(catalog: Catalog) -> None:
    doc = v2_document(catalog)
    for ref in refs(doc):
        assert ref.startswith("#/definitions/"), ref
        assert ref.removeprefix("#/definitions/") in doc["definitions"], ref
    for name in ("io.k8s.apimachinery.pkg.apis.meta.v1.Status", "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList",
                 "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
                 "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent", "io.k8s.api.apps.v1.Deployment",
                 "io.k8s.api.core.v1.PodSpec", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"):
        assert name in doc["definitions"], name


def test_v2_paths_cover_collections_items_subresources_and_watches_of_every_served_resource(catalog: Catalog) -> None:
    paths = v2_document(catalog)["paths"]
    for path in (
        "/api/", "/api/v1/", "/apis/", "/apis/apps/", "/apis/apps/v1/", "/version/",
        "/apis/apps/v1/namespaces/{namespace}/deployments",
        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
        "/apis/apps/v1/deployments",
        "/apis/apps/v1/watch/deployments",
        "/apis/apps/v1/watch/namespaces/{namespace}/deployments",
        "/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}",
        "/api/v1/namespaces", "/api/v1/namespaces/{name}", "/api/v1/namespaces/{name}/finalize",
        "/api/v1/watch/namespaces/{name}",
        "/api/v1/namespaces/{namespace}/pods/{name}/exec", "/api/v1/namespaces/{namespace}/pods/{name}/log",
        "/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    ):
        assert path in paths, path
    # Every served resource has at least one path, beta/alpha ones (off by default) have none.
    for res in catalog.resources():
        root = f"/apis/{res.group}/{res.version}" if res.group else f"/api/{res.version}"
        assert any(p.startswith(root + "/") and f"/{res.plural}" in p for p in paths), res
    assert not any(p.startswith("/apis/resource.k8s.io/v1beta1/") for p in paths)


def test_v2_operations_carry_upstream_operation_ids_actions_and_group_version_kinds(catalog: Catalog) -> None:
    paths = v2_document(catalog)["paths"]
    expected = {
        ("/apis/apps/v1/namespaces/{namespace}/deployments", "get"): ("listAppsV1NamespacedDeployment", "list"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments", "post"): ("createAppsV1NamespacedDeployment", "post"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments", "delete"):
            ("deleteAppsV1CollectionNamespacedDeployment", "deletecollection"),
        ("/apis/apps/v1/deployments", "get"): ("listAppsV1DeploymentForAllNamespaces", "list"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "get"): ("readAppsV1NamespacedDeployment", "get"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "put"):
            ("replaceAppsV1NamespacedDeployment", "put"),
        ("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch"):
            ("patchAppsV1NamespacedDeploymentScale", "patch"),
        ("/apis/apps/v1/watch/deployments", "get"): ("watchAppsV1DeploymentListForAllNamespaces", "watchlist"),
        ("/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}", "get"):
            ("watchAppsV1NamespacedDeployment", "watch"),
        ("/api/v1/namespaces/{namespace}/pods/{name}/exec", "post"): ("connectCoreV1PostNamespacedPodExec", "connect"),
        ("/api/v1/namespaces/{namespace}/pods/{name}/log", "get"): ("readCoreV1NamespacedPodLog", "get"),
        ("/api/v1/namespaces/{name}/finalize", "put"): ("replaceCoreV1NamespaceFinalize", "put"),
        ("/apis/rbac.authorization.k8s.io/v1/watch/clusterroles", "get"):
            ("watchRbacAuthorizationV1ClusterRoleList", "watchlist"),
        ("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "post"):
            ("createAuthorizationV1SelfSubjectAccessReview", "post"),
    }
    for (path, method), (operation_id, action) in expected.items():
        op = paths[path][method]
        assert (op["operationId"], op["x-kubernetes-action"]) == (operation_id, action), (path, method)
    scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]["put"]
    assert scale["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale", "version": "v1"}
    exec_op = paths["/api/v1/namespaces/{namespace}/pods/{name}/exec"]["get"]
    assert exec_op["x-kubernetes-group-version-kind"] == {"group": "", "kind": "PodExecOptions", "version": "v1"}
    assert paths["/apis/apps/v1/"]["get"]["operationId"] == "getAppsV1APIResources"
    assert paths["/apis/apps/"]["get"]["operationId"] == "getAppsAPIGroup"


def test_v2_patch_operations_consume_the_patch_media_types_and_take_field_validation_dry_run_field_manager_force(
    catalog: Catalog,
) -> None:
    item = v2_document(catalog)["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    patch = item["patch"]
    assert PATCH_MEDIA_TYPES <= set(patch["consumes"])
    assert "application/json" in patch["produces"]
    names = {p["name"]: p for p in all_parameters(item, patch)}
    assert {"body", "dryRun", "fieldManager", "fieldValidation", "force", "name", "namespace", "pretty"} <= set(names)
    assert names["fieldValidation"]["in"] == "query"
    assert names["body"]["schema"] == {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}
    assert names["name"] == {"in": "path", "name": "name", "required": True, "type": "string", "uniqueItems": True}
    assert patch["responses"]["200"]["schema"] == {"$ref": "#/definitions/io.k8s.api.apps.v1.Deployment"}
    post = v2_document(catalog)["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]["post"]
    assert {p["name"] for p in post["parameters"]} == {"body", "dryRun", "fieldManager", "fieldValidation"}


def test_deletes_answer_with_the_object_or_a_status_like_kube_apiserver(catalog: Catalog) -> None:
    paths = v2_document(catalog)["paths"]
    pod = paths["/api/v1/namespaces/{namespace}/pods/{name}"]["delete"]["responses"]["200"]["schema"]
    deployment = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["delete"]["responses"]["200"]
    assert pod == {"$ref": "#/definitions/io.k8s.api.core.v1.Pod"}
    assert deployment["schema"] == {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Status"}


@pytest.mark.parametrize("version", ["v1.33", "v1.34", "v1.35", "v1.36", "v1.37"])
def test_every_supported_kubernetes_version_builds_self_contained_documents(version: str) -> None:
    cat = Catalog(version, {"api/all": True})
    doc = v2_document(cat)
    assert all(ref.removeprefix("#/definitions/") in doc["definitions"] for ref in refs(doc))
    index = orjson.loads(openapi.build_v3_index(cat))
    for path in index["paths"]:
        v3 = v3_document(cat, path)
        assert all(ref.removeprefix("#/components/schemas/") in v3["components"]["schemas"] for ref in refs(v3))


def test_list_requests_document_shard_selector_only_from_kubernetes_1_36() -> None:
    def list_parameters(version: str) -> set[str]:
        op = v2_document(Catalog(version))["paths"]["/api/v1/namespaces/{namespace}/pods"]["get"]
        return {p["name"] for p in op["parameters"]}

    assert "shardSelector" in list_parameters("v1.36")
    assert "shardSelector" in list_parameters("v1.37")
    assert "shardSelector" not in list_parameters("v1.35")
    assert "sendInitialEvents" in list_parameters("v1.33")


def test_documents_carry_no_description_texts(catalog: Catalog) -> None:
    for doc in (v2_document(catalog), v3_document(catalog, "api/v1"), v3_document(catalog, "apis/apps/v1")):
        texts = {value for key, value, _ in walk(doc) if key == "description" and isinstance(value, str)}
        assert texts <= HTTP_STATUS_TEXTS | SERVER_TEXTS


# --- /openapi/v3 ------------------------------------------------------------------------------------


def test_the_v3_index_lists_every_group_version_group_and_discovery_document(catalog: Catalog) -> None:
    index = orjson.loads(openapi.build_v3_index(catalog))
    paths = set(index["paths"])
    assert {"api", "apis", "version", "api/v1", "apis/apps", "apis/apps/v1", "apis/batch/v1",
            "apis/rbac.authorization.k8s.io/v1", "apis/autoscaling/v2"} <= paths
    group_versions = {f"apis/{g}/{v}" if g else f"api/{v}" for g, vs in catalog.group_versions().items() for v in vs}
    assert group_versions <= paths
    assert "apis/resource.k8s.io/v1beta1" not in paths  # beta APIs are off by default
    for path, entry in index["paths"].items():
        assert entry["serverRelativeURL"].startswith(f"/openapi/v3/{path}?hash=")


def test_index_hashes_are_the_sha512_of_each_document_and_stable_across_rebuilds(catalog: Catalog) -> None:
    first = openapi.build_v3_index(catalog)
    index = orjson.loads(first)
    for path, entry in index["paths"].items():
        data = openapi.build_v3_document(catalog, path)
        assert data is not None
        query = parse_qs(urlsplit(entry["serverRelativeURL"]).query)
        assert query["hash"] == [hashlib.sha512(data).hexdigest().upper()] == [openapi.document_hash(data)]
    openapi.clear_caches()
    assert openapi.build_v3_index(Catalog("v1.36")) == first
    assert openapi.build_v3_document(Catalog("v1.36"), "apis/apps/v1") == openapi.build_v3_document(
        catalog, "apis/apps/v1")


def test_unknown_or_unserved_group_versions_have_no_v3_document(catalog: Catalog) -> None:
    for path in ("apis/nope.example.com/v1", "apis/apps/v2", "api/v2", "apis/resource.k8s.io/v1beta1",
                 "apis/nope.example.com", "openid/v1/jwks", "apis", "apis/apps/v1/deployments"):
        if path == "apis":
            assert openapi.build_v3_document(catalog, path) is not None
        else:
            assert openapi.build_v3_document(catalog, path) is None, path


def test_disabled_group_versions_leave_every_document() -> None:
    cat = Catalog("v1.36", {"apps/v1": False})
    assert openapi.build_v3_document(cat, "apis/apps/v1") is None
    assert openapi.build_v3_document(cat, "apis/apps") is None
    assert "apis/apps/v1" not in orjson.loads(openapi.build_v3_index(cat))["paths"]
    assert not any(path.startswith("/apis/apps/") for path in v2_document(cat)["paths"])


def test_the_apps_v1_document_patches_deployments_with_field_validation_and_the_patch_media_types(
    catalog: Catalog,
) -> None:
    doc = v3_document(catalog, "apis/apps/v1")
    assert doc["openapi"] == "3.0.0"
    assert doc["info"]["title"] == "Kubernetes"
    item = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    patch = item["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "kind": "Deployment", "version": "v1"}
    assert patch["x-kubernetes-action"] == "patch"
    assert {"in": "query", "name": "fieldValidation", "schema": {"type": "string", "uniqueItems": True}} in patch[
        "parameters"]
    assert {p["name"] for p in patch["parameters"]} == {"dryRun", "fieldManager", "fieldValidation", "force"}
    content = patch["requestBody"]["content"]
    assert PATCH_MEDIA_TYPES <= set(content)
    assert content["application/strategic-merge-patch+json"]["schema"] == {
        "$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}
    assert patch["requestBody"]["required"] is True
    ok = patch["responses"]["200"]
    assert ok["description"] == "OK"
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/io.k8s.api.apps.v1.Deployment"}
    assert {p["name"] for p in item["parameters"]} == {"name", "namespace", "pretty"}
    assert doc["paths"]["/apis/apps/v1/"]["get"]["operationId"] == "getAppsV1APIResources"
    post = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]["post"]
    assert post["requestBody"]["content"] == {
        "*/*": {"schema": {"$ref": "#/components/schemas/io.k8s.api.apps.v1.Deployment"}}}


def test_every_patch_operation_of_a_kind_offers_field_validation_as_kubectl_probes_any_of_them(
    catalog: Catalog,
) -> None:
    index = orjson.loads(openapi.build_v3_index(catalog))
    patched = 0
    for path in index["paths"]:
        doc = v3_document(catalog, path)
        for _, method, op in operations(doc):
            if method == "patch" and op["x-kubernetes-action"] == "patch":  # not pods/proxy and the like
                patched += 1
                assert "fieldValidation" in {p["name"] for p in op["parameters"] if p["in"] == "query"}
                assert "x-kubernetes-group-version-kind" in op
    assert patched > 50


def test_v3_schemas_are_in_kube_openapi_v3_shape(catalog: Catalog) -> None:
    doc = v3_document(catalog, "apis/apps/v1")
    schemas = doc["components"]["schemas"]
    deployment = schemas["io.k8s.api.apps.v1.Deployment"]
    assert deployment["x-kubernetes-group-version-kind"] == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    assert deployment["properties"]["metadata"] == {
        "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], "default": {}}
    assert deployment["properties"]["spec"]["default"] == {}
    spec = schemas["io.k8s.api.apps.v1.DeploymentSpec"]
    assert spec["properties"]["strategy"]["allOf"] == [
        {"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy"}]
    assert spec["properties"]["strategy"]["x-kubernetes-patch-strategy"] == "retainKeys"
    assert "default" not in spec["properties"]["selector"]  # a pointer field
    strategy = schemas["io.k8s.api.apps.v1.DeploymentStrategy"]
    assert strategy["properties"]["type"]["enum"] == ["Recreate", "RollingUpdate"]
    meta = schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
    assert meta["properties"]["labels"]["additionalProperties"] == {"type": "string", "default": ""}
    assert meta["properties"]["ownerReferences"]["items"]["default"] == {}
    assert meta["properties"]["ownerReferences"]["x-kubernetes-patch-merge-key"] == "uid"
    assert schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == {
        "format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}
    assert schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"] == {
        "oneOf": [{"type": "string"}, {"type": "number"}]}
    # No bare $ref keeps siblings, and all refs resolve within the document.
    for key, value, parent in walk(doc):
        if key == "$ref":
            assert set(parent) == {"$ref"}
            assert value.removeprefix("#/components/schemas/") in schemas


def test_each_v3_document_holds_only_the_schemas_its_operations_reach(catalog: Catalog) -> None:
    apps = v3_document(catalog, "apis/apps/v1")["components"]["schemas"]
    assert "io.k8s.api.autoscaling.v1.Scale" in apps
    assert "io.k8s.api.batch.v1.Job" not in apps
    group = v3_document(catalog, "apis/apps")
    assert set(group["components"]["schemas"]) >= {"io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup"}
    assert group["paths"]["/apis/apps/"]["get"]["operationId"] == "getAppsAPIGroup"
    root = v3_document(catalog, "api")
    assert root["paths"]["/api/"]["get"]["operationId"] == "getCoreAPIVersions"
    assert "io.k8s.apimachinery.pkg.version.Info" in v3_document(catalog, "version")["components"]["schemas"]


def test_v3_documents_are_built_lazily_one_group_version_at_a_time(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    original = openapi_v3._build_v3

    def counting(*args: Any) -> bytes:
        built.append(args[3])
        return original(*args)

    monkeypatch.setattr(openapi_v3, "_build_v3", counting)
    openapi.clear_caches()
    first = openapi.build_v3_document(catalog, "apis/apps/v1")
    assert built == ["apis/apps/v1"]
    assert openapi.build_v3_document(catalog, "/apis/apps/v1/") is first  # cached
    assert built == ["apis/apps/v1"]
    openapi.build_v3_index(catalog)
    assert built.count("apis/apps/v1") == 1 and "api/v1" in built


# --- custom resources ---------------------------------------------------------------------------------


def test_a_custom_resource_schema_appears_in_its_v3_document(widget_catalog: Catalog) -> None:
    assert "apis/example.com/v1" in orjson.loads(openapi.build_v3_index(widget_catalog))["paths"]
    # apiextensions publishes one document per served version of a CRD group, none for the group itself
    assert "apis/example.com" not in orjson.loads(openapi.build_v3_index(widget_catalog))["paths"]
    doc = v3_document(widget_catalog, "apis/example.com/v1")
    schemas = doc["components"]["schemas"]
    widget = schemas["com.example.v1.Widget"]
    assert widget["x-kubernetes-group-version-kind"] == [{"group": "example.com", "kind": "Widget", "version": "v1"}]
    assert widget["properties"]["spec"]["properties"]["size"] == {
        "type": "integer", "description": "How big the widget is."}
    assert widget["properties"]["metadata"] == {
        "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]}
    assert widget["properties"]["spec"]["properties"]["color"]["nullable"] is True
    assert schemas["com.example.v1.WidgetList"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/com.example.v1.Widget"}
    assert "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" in schemas
    item = doc["paths"]["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]
    patch = item["patch"]
    assert patch["operationId"] == "patchExampleComV1NamespacedWidget"
    assert "fieldValidation" in {p["name"] for p in patch["parameters"]}
    # Custom resources have no strategic merge patch.
    assert "application/strategic-merge-patch+json" not in patch["requestBody"]["content"]
    assert {"application/merge-patch+json", "application/apply-patch+yaml"} <= set(patch["requestBody"]["content"])
    assert item["delete"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status"}
    assert "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status" in doc["paths"]
    # apiextensions' OpenAPI builder has no watch routes (a watch is ?watch=true on the list route)
    assert [path for path in doc["paths"] if "/watch/" in path] == []
    assert WIDGET_SCHEMA["properties"]["spec"]["properties"]["color"]["nullable"] is True  # input untouched


def test_a_custom_resource_schema_appears_in_the_v2_document_in_swagger_2_terms(widget_catalog: Catalog) -> None:
    doc = v2_document(widget_catalog)
    widget = doc["definitions"]["com.example.v1.Widget"]
    assert widget["properties"]["metadata"] == {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
    spec = widget["properties"]["spec"]["properties"]
    assert spec["color"] == {"enum": ["red", "blue"]}  # nullable: no type, no nullable keyword
    assert spec["port"] == {"x-kubernetes-int-or-string": True}
    assert doc["definitions"]["com.example.v1.WidgetList"]["x-kubernetes-group-version-kind"] == [
        {"group": "example.com", "kind": "WidgetList", "version": "v1"}]
    patch = doc["paths"]["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]["patch"]
    assert "application/strategic-merge-patch+json" not in patch["consumes"]
    assert all(ref.removeprefix("#/definitions/") in doc["definitions"] for ref in refs(doc))


def test_changing_a_custom_resource_schema_changes_its_document_and_hash(widget_catalog: Catalog) -> None:
    before_index = orjson.loads(openapi.build_v3_index(widget_catalog))["paths"]
    before = openapi.build_v3_document(widget_catalog, "apis/example.com/v1")
    other = dict(WIDGET_SCHEMA, properties={"spec": {"type": "object", "properties": {"n": {"type": "integer"}}}})
    widget_catalog.add(widget_resource(other))
    after_index = orjson.loads(openapi.build_v3_index(widget_catalog))["paths"]
    after = openapi.build_v3_document(widget_catalog, "apis/example.com/v1")
    assert before != after
    assert before_index["apis/example.com/v1"] != after_index["apis/example.com/v1"]
    assert before_index["apis/apps/v1"] == after_index["apis/apps/v1"]
    assert "n" in orjson.loads(after or b"{}")["components"]["schemas"]["com.example.v1.Widget"]["properties"]["spec"][
        "properties"]
    widget_catalog.remove("example.com", "v1", "widgets")
    assert openapi.build_v3_document(widget_catalog, "apis/example.com/v1") is None


def test_custom_definition_names_reverse_the_group() -> None:
    assert openapi.custom_definition_name("example.com", "v1", "Widget") == "com.example.v1.Widget"
    assert openapi.custom_definition_name("stable.example.com", "v1beta1", "CronTab") == (
        "com.example.stable.v1beta1.CronTab")


# --- end to end with kubectl ----------------------------------------------------------------------------

KUBECTL = shutil.which("kubectl")


class MiniServer:
    """Just enough of an API server for kubectl: legacy discovery, OpenAPI, and create/get/patch of objects."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.requests: list[tuple[str, str, dict[str, list[str]], str]] = []
        self.objects: dict[str, dict[str, Any]] = {}
        self.app = web.Application(middlewares=[self.record])
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    @web.middleware
    async def record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path, parse_qs(request.query_string),
                              request.headers.get("Content-Type", "")))
        response: web.StreamResponse = await handler(request)
        return response

    @staticmethod
    def json(body: Any, status: int = 200) -> web.Response:
        return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")

    def not_found(self, what: str) -> web.Response:
        return self.json({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": f"{what} not found",
                          "reason": "NotFound", "code": 404}, 404)

    def resource_list(self, group: str, version: str) -> dict[str, Any]:
        resources = []
        for res in self.catalog.resources_in(group, version):
            resources.append({"name": res.plural, "singularName": res.singular, "namespaced": res.namespaced,
                              "kind": res.kind, "verbs": sorted(res.verbs), "shortNames": list(res.short_names)})
            for sub in res.subresources:
                resources.append({"name": f"{res.plural}/{sub.name}", "singularName": "", "namespaced": res.namespaced,
                                  "kind": sub.kind, "verbs": sorted(sub.verbs)})
        group_version = f"{group}/{version}" if group else version
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}

    async def handle(self, request: web.Request) -> web.Response:
        path = request.path.rstrip("/")
        parts = path.strip("/").split("/")
        groups = self.catalog.group_versions()
        if path == "/api":
            return self.json({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": request.host}]})
        if path == "/apis":
            return self.json({"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                 "preferredVersion": {"groupVersion": f"{g}/{vs[0]}", "version": vs[0]}}
                for g, vs in groups.items() if g]})
        if path == "/openapi/v2":
            if any(accept in request.headers.get("Accept", "") for accept in openapi.V2_PROTOBUF_ACCEPT):
                body = openapi.build_v2_protobuf(self.catalog, "v1.36.0")
                return web.Response(body=body, headers={"Content-Type": openapi.V2_PROTOBUF_CONTENT_TYPE})
            return web.Response(body=openapi.build_v2(self.catalog, "v1.36.0"), content_type="application/json")
        if path == "/openapi/v3":
            return web.Response(body=openapi.build_v3_index(self.catalog), content_type="application/json")
        if path.startswith("/openapi/v3/"):
            data = openapi.build_v3_document(self.catalog, path.removeprefix("/openapi/v3/"))
            if data is None:
                return self.not_found(path)
            return web.Response(body=data, content_type="application/json")
        if parts[0] == "api":
            group, rest = "", parts[1:]
        elif parts[0] == "apis" and len(parts) >= 3:
            group, rest = parts[1], parts[2:]
        else:
            return self.not_found(path)
        version, rest = rest[0], rest[1:]
        if not rest:
            if version in groups.get(group, ()):
                return self.json(self.resource_list(group, version))
            return self.not_found(path)
        namespace = ""
        if len(rest) >= 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        res = self.catalog.get(group, version, rest[0])
        if res is None:
            return self.not_found(path)
        return await self.handle_object(request, res, namespace, rest[1] if len(rest) > 1 else None)

    async def handle_object(self, request: web.Request, res: ResourceInfo, namespace: str,
                            name: str | None) -> web.Response:
        if request.method == "POST" and name is None:
            obj = await request.json()
            name = obj["metadata"]["name"]
            obj["metadata"].update(namespace=namespace, uid=f"uid-{name}", resourceVersion="1",
                                   creationTimestamp="2024-01-01T00:00:00Z")
            self.objects[f"{res.plural}/{namespace}/{name}"] = obj
            return self.json(obj, 201)
        key = f"{res.plural}/{namespace}/{name}"
        if key not in self.objects:
            return self.not_found(key)
        obj = self.objects[key]
        if request.method == "PATCH":
            merge(obj, await request.json())  # good enough for the patches these tests send
            obj["metadata"]["resourceVersion"] = str(int(obj["metadata"]["resourceVersion"]) + 1)
        return self.json(obj)


def merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value


async def kubectl_async(server_url: str, home: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    assert KUBECTL is not None
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(home / "kubeconfig")}
    proc = await asyncio.create_subprocess_exec(
        KUBECTL, f"--server={server_url}", f"--cache-dir={home / 'cache'}", "--request-timeout=20s", *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )
    out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
async def mini(aiohttp_server: Any, tmp_path: Path) -> tuple[MiniServer, str, Path]:
    cat = Catalog("v1.36")
    cat.add(widget_resource())
    server = MiniServer(cat)
    running = await aiohttp_server(server.app)
    (tmp_path / "kubeconfig").write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    return server, str(running.make_url("")).rstrip("/"), tmp_path


DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx:1"}]}},
    },
}
WIDGET = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"},
          "spec": {"size": 1}}


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
async def test_kubectl_explain_reads_the_v3_documents(mini: tuple[MiniServer, str, Path]) -> None:
    server, url, home = mini
    code, out, err = await kubectl_async(url, home, "explain", "deployment.spec.strategy")
    assert code == 0, err
    lines = [line.strip() for line in out.splitlines()]
    assert "GROUP:      apps" in lines and "KIND:       Deployment" in lines and "VERSION:    v1" in lines
    assert "FIELD: strategy <DeploymentStrategy>" in lines
    assert any(line.startswith("rollingUpdate\t<RollingUpdateDeployment>") for line in lines)
    assert any(line.startswith("type\t<string>") for line in lines)
    assert "enum: Recreate, RollingUpdate" in lines
    assert any(path.startswith("/openapi/v3/apis/apps/v1") for _, path, _, _ in server.requests)

    code, out, err = await kubectl_async(url, home, "explain", "widgets.spec", "--recursive")
    assert code == 0, err
    assert "KIND:       Widget" in out and "size\t<integer> -required-" in out and "color\t<string>" in out

    code, out, err = await kubectl_async(url, home, "explain", "pods.spec.containers.resources.limits")
    assert code == 0, err
    assert "FIELD: limits <map[string]Quantity>" in out


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
async def test_kubectl_create_and_apply_detect_server_side_field_validation_from_the_v3_documents(
    mini: tuple[MiniServer, str, Path],
) -> None:
    server, url, home = mini
    manifest = (json.dumps(DEPLOYMENT) + "\n---\n" + json.dumps(WIDGET)).encode()
    code, _, err = await kubectl_async(url, home, "create", "-f", "-", stdin=manifest)
    assert code == 0, err
    posts = [(path, query) for method, path, query, _ in server.requests if method == "POST"]
    assert [path for path, _ in posts] == ["/apis/apps/v1/namespaces/default/deployments",
                                            "/apis/example.com/v1/namespaces/default/widgets"]
    assert all(query.get("fieldValidation") == ["Strict"] for _, query in posts)
    # Support for server-side validation came from /openapi/v3: no client-side validation through /openapi/v2.
    assert not any(path == "/openapi/v2" for _, path, _, _ in server.requests)

    server.objects.clear()
    server.requests.clear()
    for replicas in (1, 3):
        changed = dict(DEPLOYMENT, spec=dict(DEPLOYMENT["spec"], replicas=replicas))  # type: ignore[arg-type]
        code, _, err = await kubectl_async(url, home, "apply", "-f", "-", stdin=json.dumps(changed).encode())
        assert code == 0, err
    for size in (1, 2):
        code, _, err = await kubectl_async(url, home, "apply", "-f", "-",
                                           stdin=json.dumps(dict(WIDGET, spec={"size": size})).encode())
        assert code == 0, err
    patches = {path: (query, content_type) for method, path, query, content_type in server.requests
               if method == "PATCH"}
    deployment_query, deployment_type = patches["/apis/apps/v1/namespaces/default/deployments/web"]
    assert deployment_type == "application/strategic-merge-patch+json"  # computed from the v3 schema
    assert deployment_query.get("fieldValidation") == ["Strict"]
    widget_query, widget_type = patches["/apis/example.com/v1/namespaces/default/widgets/w"]
    assert widget_type == "application/merge-patch+json"
    assert widget_query.get("fieldValidation") == ["Strict"]
    assert server.objects["deployments/default/web"]["spec"]["replicas"] == 3
    assert server.objects["widgets/default/w"]["spec"]["size"] == 2
    assert "warning" not in err.lower()


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
async def test_kubectl_validates_lists_client_side_with_the_v2_protobuf_document(
    mini: tuple[MiniServer, str, Path],
) -> None:
    server, url, home = mini
    # kubectl cannot ask the server to validate a List: it validates it itself, with /openapi/v2 as protobuf.
    bad = dict(DEPLOYMENT, spec=dict(DEPLOYMENT["spec"], replicaz=2))  # type: ignore[arg-type]
    manifest = json.dumps({"apiVersion": "v1", "kind": "List", "items": [bad]}).encode()
    code, out, err = await kubectl_async(url, home, "create", "-f", "-", stdin=manifest)
    assert code != 0
    assert 'unknown field "replicaz"' in err and "io.k8s.api.apps.v1.DeploymentSpec" in err
    assert ("GET", "/openapi/v2") in {(method, path) for method, path, _, _ in server.requests}
    assert not any(method == "POST" for method, _, _, _ in server.requests)

    manifest = json.dumps({"apiVersion": "v1", "kind": "List", "items": [DEPLOYMENT, WIDGET]}).encode()
    code, out, err = await kubectl_async(url, home, "create", "-f", "-", stdin=manifest)
    assert code == 0, err
    assert "deployment.apps/web created" in out and "widget.example.com/w created" in out


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
async def test_kubectl_explain_reads_the_v2_protobuf_document_when_asked_to(mini: tuple[MiniServer, str, Path]) -> None:
    _, url, home = mini
    code, out, err = await kubectl_async(url, home, "explain", "deployment.spec.strategy",
                                         "--output=plaintext-openapiv2")
    assert code == 0, err
    lines = [line.strip() for line in out.splitlines()]
    assert "KIND:     Deployment" in lines and "VERSION:  apps/v1" in lines
    assert "RESOURCE: strategy <Object>" in lines
    assert "rollingUpdate\t<Object>" in lines and "type\t<string>" in lines
