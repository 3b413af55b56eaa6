"""A runtime config is read, checked and applied as kube-apiserver's ``--runtime-config``: by the catalog,
so ``FakeCluster(runtime_config=...)`` and ``fakekube serve --runtime-config`` refuse the same things."""

from __future__ import annotations

import pytest
from conftest import run_kubectl

from fakekube import FakeCluster
from fakekube.errors import RuntimeConfigError
from fakekube.registry.catalog import Catalog, parse_runtime_config, version_priority


def served(spec: str, version: str = "v1.36") -> set[tuple[str, str, str]]:
    return {(r.group, r.version, r.plural) for r in Catalog(version, parse_runtime_config(spec)).resources()}


REFUSED = {
    "example.com/v1=true": "unknown api groups example.com",
    "apps/v1=true,example.com/v1=true,other.io/v2": "unknown api groups example.com,other.io",
    "api/v1beta1=true": "unknown api groups api",  # only api/v1 names the core group
    "apps/v2=true": "group version apps/v2 that has not been registered",
    "/v1beta1=true": "group version v1beta1 that has not been registered",
    "apps/v1=yes": 'invalid value of apps/v1: yes, err: strconv.ParseBool: parsing "yes": invalid syntax',
    "api/beta=1": "invalid value api/beta=1",
    "api/all": "invalid value api/all=",
    "api/all=false": "invalid key with only api/all=false",
    "apiall=false": "runtime-config invalid key apiall",
    "v1beta1=true": "runtime-config invalid key v1beta1",
    "apps/v1/deployments/scale=false": "runtime-config invalid key apps/v1/deployments/scale",
    "apps/v1/Deployment=false": 'invalid key apps/v1/Deployment: group/version/resource and resource is always '
                                'lowercase plural, not "Deployment"',
    "/v1=false": "the runtime config turns off namespaces (core group, version v1), without which fakekube "
                 "cannot run",
}


@pytest.mark.parametrize("spec", list(REFUSED))
def test_a_runtime_config_kube_apiserver_refuses_is_refused_with_its_words(spec):
    with pytest.raises(RuntimeConfigError) as caught:
        Catalog("v1.36", parse_runtime_config(spec))
    assert str(caught.value) == REFUSED[spec]


def test_fake_cluster_refuses_it_as_a_value_error():
    with pytest.raises(ValueError, match=r"^unknown api groups example\.com$"):
        FakeCluster(runtime_config="example.com/v1=true")


def test_a_mapping_given_to_the_catalog_is_checked_too():
    with pytest.raises(RuntimeConfigError, match=r"^unknown api groups example\.com$"):
        Catalog("v1.36", {"example.com/v1": True})


def test_which_versions_exist_depends_on_the_kubernetes_version():
    with pytest.raises(RuntimeConfigError, match=r"^group version resource\.k8s\.io/v1 that has not been registered$"):
        Catalog("v1.33", parse_runtime_config("resource.k8s.io/v1=true"))
    assert ("resource.k8s.io", "v1", "deviceclasses") in served("resource.k8s.io/v1=true", "v1.36")


def test_an_alpha_version_the_kubernetes_version_has_is_accepted_and_served():
    assert ("storagemigration.k8s.io", "v1alpha1", "storageversionmigrations") in served(
        "storagemigration.k8s.io/v1alpha1=true", "v1.33")


def test_values_are_read_as_go_parse_bool_reads_them_and_a_bare_key_is_true():
    assert parse_runtime_config(" apps/v1 = F ,batch/v1=0,resource.k8s.io/v1beta2,, ") == {
        "apps/v1": False, "batch/v1": False, "resource.k8s.io/v1beta2": True}


def test_the_core_group_keys_fold_into_slash_v1_and_api_legacy_is_ignored():
    assert parse_runtime_config("v1=true,api/legacy=false") == {"/v1": True}
    assert parse_runtime_config("api/v1=true") == {"/v1": True}
    # As kube-apiserver: a resource under v1/ or api/v1/ addresses all of core v1.
    assert parse_runtime_config("api/v1/pods=false") == {"/v1": False}


def test_api_all_false_turns_off_generally_available_versions_too():
    assert served("api/all=false,/v1=true") == {(g, v, p) for g, v, p in served("") if (g, v) == ("", "v1")}


def test_the_level_keys_win_over_api_all_and_group_versions_over_them():
    config = "api/all=true,api/alpha=false,storage.k8s.io/v1alpha1=true"
    versions = {(g, v) for g, v, _ in served(config, "v1.33")}
    assert ("resource.k8s.io", "v1beta1") in versions and ("storage.k8s.io", "v1alpha1") in versions
    assert not {(g, v) for g, v in versions if version_priority(v)[0] == 0} - {("storage.k8s.io", "v1alpha1")}


def test_a_resource_key_turns_one_resource_on_or_off():
    only_configmaps_off = served("") - served("/v1/configmaps=false")
    assert only_configmaps_off == {("", "v1", "configmaps")}
    beta = {r for r in served("resource.k8s.io/v1beta2/deviceclasses=true") if r[1] == "v1beta2"}
    assert beta == {("resource.k8s.io", "v1beta2", "deviceclasses")}
    assert ("apps", "v1", "deployments") not in served("apps/v1=true,apps/v1/deployments=false")


def test_a_resource_the_version_lacks_is_ignored_as_kube_apiserver_ignores_it():
    assert served("apps/v1/nosuchthings=false") == served("")


def test_what_a_runtime_config_turns_off_or_on_is_what_kubectl_finds(fake_cluster_factory):
    cluster = fake_cluster_factory(version="v1.33", runtime_config="/v1/configmaps=false,"
                                                                   "storagemigration.k8s.io/v1alpha1=true")
    gone = run_kubectl(cluster.kubeconfig_path, "get", "configmaps")
    assert gone.returncode != 0
    assert 'the server doesn\'t have a resource type "configmaps"' in gone.stderr
    listed = run_kubectl(cluster.kubeconfig_path, "api-resources", "--api-group", "storagemigration.k8s.io",
                         "-o", "name")
    assert listed.stdout.split() == ["storageversionmigrations.storagemigration.k8s.io"]
    assert run_kubectl(cluster.kubeconfig_path, "get", "secrets").returncode == 0
