"""REST semantics without HTTP: the registry as the Python API and controllers will use it."""

from __future__ import annotations

import orjson
import pytest

from fakekube.errors import StatusError
from fakekube.registry.catalog import Catalog
from fakekube.registry.context import Context
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import Store

CTX = Context()


@pytest.fixture
def registry() -> Registry:
    reg = Registry(Store(), Catalog())
    ns = reg.catalog.get("", "v1", "namespaces")
    reg.create(CTX, ns, "", {"metadata": {"name": "default"}})
    return reg


def res(registry: Registry, group: str, version: str, plural: str):
    found = registry.catalog.get(group, version, plural)
    assert found is not None
    return found


def test_create_fills_system_metadata_in_go_field_order(registry):
    cms = res(registry, "", "v1", "configmaps")
    created = orjson.loads(registry.create(CTX, cms, "default", {"metadata": {"name": "a"}, "data": {"k": "v"}}).data)
    assert list(created) == ["kind", "apiVersion", "metadata", "data"]
    assert list(created["metadata"]) == ["name", "namespace", "uid", "resourceVersion", "creationTimestamp",
                                         "managedFields"]


def test_dry_run_create_stores_nothing(registry):
    cms = res(registry, "", "v1", "configmaps")
    before = registry.store.revision
    result = registry.create(Context(dry_run=True), cms, "default", {"metadata": {"name": "a"}})
    assert orjson.loads(result.data)["metadata"]["name"] == "a"
    assert registry.store.revision == before
    with pytest.raises(StatusError) as exc:
        registry.get(CTX, cms, "default", "a")
    assert exc.value.code == 404


def test_an_update_that_changes_nothing_writes_nothing(registry):
    cms = res(registry, "", "v1", "configmaps")
    created = orjson.loads(registry.create(CTX, cms, "default", {"metadata": {"name": "a"}, "data": {"k": "v"}}).data)
    revision = registry.store.revision
    again = orjson.loads(registry.update(CTX, cms, "default", "a", created).data)
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert registry.store.revision == revision


def test_update_without_resource_version_is_unconditional(registry):
    cms = res(registry, "", "v1", "configmaps")
    registry.create(CTX, cms, "default", {"metadata": {"name": "a"}})
    body = {"metadata": {"name": "a"}, "data": {"x": "y"}}
    updated = orjson.loads(registry.update(CTX, cms, "default", "a", body).data)
    assert updated["data"] == {"x": "y"}


def test_update_of_a_missing_object_is_404_unless_the_kind_allows_create_on_update(registry):
    cms = res(registry, "", "v1", "configmaps")
    with pytest.raises(StatusError) as exc:
        registry.update(CTX, cms, "default", "nope", {"metadata": {"name": "nope"}})
    assert exc.value.code == 404
    endpoints = res(registry, "", "v1", "endpoints")
    result = registry.update(CTX, endpoints, "default", "svc", {"metadata": {"name": "svc"}})
    assert result.created


def test_delete_preconditions(registry):
    cms = res(registry, "", "v1", "configmaps")
    uid = orjson.loads(registry.create(CTX, cms, "default", {"metadata": {"name": "a"}}).data)["metadata"]["uid"]
    with pytest.raises(StatusError) as exc:
        registry.delete(CTX, cms, "default", "a", DeleteOptions(uid="other"))
    assert exc.value.code == 409
    assert exc.value.message == (
        f'Operation cannot be fulfilled on ConfigMap "a": the UID in the precondition (other) does not match '
        f"the UID in record ({uid}). The object might have been deleted and then recreated")
    status = orjson.loads(registry.delete(CTX, cms, "default", "a").data)
    assert status["status"] == "Success" and status["details"]["kind"] == "configmaps"


def test_deleting_a_namespace_marks_it_terminating_and_leaves_its_contents_to_the_controller(registry):
    ns = res(registry, "", "v1", "namespaces")
    cms = res(registry, "", "v1", "configmaps")
    registry.create(CTX, ns, "", {"metadata": {"name": "gone"}})
    registry.create(CTX, cms, "gone", {"metadata": {"name": "a"}})
    deleted = orjson.loads(registry.delete(CTX, ns, "", "gone").data)
    assert deleted["kind"] == "Namespace" and deleted["status"]["phase"] == "Terminating"
    assert deleted["metadata"]["deletionTimestamp"]
    assert registry.store.get("configmaps", ("gone", "a")) is not None  # no controller runs here


def test_pods_get_defaults_and_a_pending_status(registry):
    pods = res(registry, "", "v1", "pods")
    with pytest.raises(StatusError) as exc:  # no controller made the namespace's default ServiceAccount
        registry.create(CTX, pods, "default", {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}})
    assert (exc.value.code, exc.value.message) == (403, 'pods "p" is forbidden: error looking up service account '
                                                        'default/default: serviceaccount "default" not found')
    registry.create(CTX, res(registry, "", "v1", "serviceaccounts"), "default", {"metadata": {"name": "default"}})
    pod = orjson.loads(registry.create(CTX, pods, "default", {
        "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
        "status": {"phase": "Running"}}).data)
    assert pod["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_selector_must_match_template_labels(registry):
    deployments = res(registry, "apps", "v1", "deployments")
    with pytest.raises(StatusError) as exc:
        registry.create(CTX, deployments, "default", {
            "metadata": {"name": "d"},
            "spec": {"selector": {"matchLabels": {"app": "a"}},
                     "template": {"metadata": {"labels": {"app": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "i"}]}}}})
    assert exc.value.code == 422
    assert exc.value.causes == [{"reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
                                 "message": 'Invalid value: {"app":"b"}: `selector` does not '
                                            "match template `labels`"}]
