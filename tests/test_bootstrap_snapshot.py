"""The shipped bootstrap snapshots (``schemas/v1.NN/bootstrap_snapshot.json``) are what the write pipeline
stores now: a new cluster with default settings reads them instead of writing its 150 objects, so a change to
defaults, managed fields, the RBAC policy or the controllers must regenerate them
(``python -m schemas.generate_bootstrap_snapshot``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


@pytest.mark.parametrize("damage", [
    pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
    pytest.param(lambda text: b'{"generated": "x"}', id="no-spec"),
    pytest.param(lambda text: text.replace(b'"objects": [', b'"objects": [[1],', 1), id="bad-object"),
    pytest.param(lambda text: text.replace(bootstrap.UID_MARK.encode(), b"uid", 1), id="no-uid-marker"),
])
def test_a_damaged_snapshot_file_is_built_instead(damage: Callable[[bytes], bytes], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from fakekube import FakeCluster
    from fakekube.schema import files

    version = SUPPORTED_VERSIONS[-1]
    damaged = tmp_path / bootstrap.SNAPSHOT_FILE
    damaged.write_bytes(damage((HERE / version / bootstrap.SNAPSHOT_FILE).read_bytes()))
    real_read = files.read

    def read(kubernetes_version: str, name: str) -> bytes:
        return damaged.read_bytes() if name == bootstrap.SNAPSHOT_FILE else real_read(kubernetes_version, name)

    monkeypatch.setattr(files, "read", read)
    monkeypatch.setattr(bootstrap, "_CACHE", {})
    assert bootstrap.shipped(default_spec(version)) is None
    cluster = FakeCluster(version)
    assert cluster.get("Namespace", "kube-system")["metadata"]["name"] == "kube-system"
    assert cluster.get("ClusterRole", "cluster-admin")["rules"]
    assert cluster.get("ServiceAccount", "default", "default")["metadata"]["namespace"] == "default"
