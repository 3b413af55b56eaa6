"""The shipped bootstrap snapshots (``schemas/v1.NN/bootstrap_snapshot.json``) are what the write pipeline
stores now: a new cluster with default settings reads them instead of writing its 150 objects, so a change to
defaults, managed fields, the RBAC policy or the controllers must regenerate them
(``python -m schemas.generate_bootstrap_snapshot``)."""

from __future__ import annotations

import pytest

from fakekube.controllers import bootstrap
from fakekube.versions import SUPPORTED_VERSIONS
from schemas.generate_bootstrap_snapshot import HERE, default_spec, generated


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_shipped_snapshot_is_what_the_pipeline_writes(version: str) -> None:
    shipped = (HERE / version / bootstrap.SNAPSHOT_FILE).read_bytes()
    assert shipped == generated(version), (f"schemas/{version}/{bootstrap.SNAPSHOT_FILE} is out of date: "
                                           "run python -m schemas.generate_bootstrap_snapshot")


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_a_default_cluster_reads_it_and_another_spec_does_not(version: str) -> None:
    key = default_spec(version)
    objects = bootstrap.shipped(key)
    assert objects is not None
    namespaces = [key for table, key, _, _ in objects if table == "namespaces"]
    assert namespaces == [("", name) for name in bootstrap.NAMESPACES]
    assert bootstrap.shipped(bootstrap.spec(version, None, key.parts, key.controllers, key.host, 6443)) is None
    assert bootstrap.shipped(bootstrap.spec(version, "api/all=true", key.parts, key.controllers, key.host, 0)) is None
