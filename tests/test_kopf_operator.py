"""A kopf operator (``tests/operators/widget_operator.py``) against a fake cluster: kopf discovers the
custom resource, lists and watches it, patches its own annotations and the status through ``/status``,
and the operator's handler creates a ConfigMap owned by the Widget."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from crd_helpers import crd, version
from kopf.testing import KopfRunner

from fakekube import FakeCluster, StatusError

OPERATOR = Path(__file__).parent / "operators" / "widget_operator.py"
OWNER_OPERATOR = Path(__file__).parent / "operators" / "owner_operator.py"
CRD = crd("widgets", "Widget", version(schema={
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {
            "color": {"type": "string"}, "size": {"type": "integer", "default": 3}}},
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}, subresources={"status": {}}), singular="widget")

pytestmark = pytest.mark.timeout(120)


def eventually(read: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """``read()``'s first truthy result, polled for at most ``timeout`` seconds (a StatusError counts as
    not yet)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = read()
        except StatusError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def exists(read: Callable[[], Any]) -> bool:
    try:
        read()
    except StatusError as error:
        assert error.code == 404, error
        return False
    return True


def test_the_operator_creates_a_config_map_and_reports_in_the_status(fake_cluster: FakeCluster) -> None:
    fake_cluster.apply(CRD)
    fake_cluster.settle()

    def get_widget() -> dict[str, Any]:
        return fake_cluster.get("Widget", "w1", namespace="default")

    def get_config_map() -> dict[str, Any]:
        return fake_cluster.get("ConfigMap", "w1-config", namespace="default")

    args = ["run", "--standalone", "--all-namespaces", "--verbose", str(OPERATOR)]
    with KopfRunner(args, timeout=60) as runner:
        fake_cluster.create({"apiVersion": "example.com/v1", "kind": "Widget",
                             "metadata": {"name": "w1", "namespace": "default"}, "spec": {"color": "teal"}})
        config_map = eventually(lambda: fake_cluster.get("ConfigMap", "w1-config", namespace="default"),
                                "the operator's ConfigMap")
        widget = eventually(lambda: (w := get_widget()).get("status", {}).get("make_config_map") and w,
                            "the Widget's status")
        assert config_map["data"] == {"color": "teal", "size": "3"}
        owner = config_map["metadata"]["ownerReferences"]
        assert owner == [{"apiVersion": "example.com/v1", "kind": "Widget", "name": "w1",
                          "uid": widget["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
        assert widget["status"] == {"phase": "Configured", "make_config_map": {"configMap": "w1-config"}}
        assert widget["spec"] == {"color": "teal", "size": 3}
        assert widget["metadata"]["finalizers"] == ["kopf.zalando.org/KopfFinalizerMarker"]
        assert "kopf.zalando.org/last-handled-configuration" in widget["metadata"]["annotations"]

        fake_cluster.patch("Widget", "w1", {"spec": {"color": "plum"}}, namespace="default")
        eventually(lambda: get_config_map()["data"]["color"] == "plum", "the new colour in the ConfigMap")
        eventually(lambda: get_widget()["status"]["phase"] == "Recolored", "the Widget's new phase")

        fake_cluster.delete("Widget", "w1", namespace="default")
        eventually(lambda: not exists(get_widget), "the Widget to go once kopf removed its finalizer")
        assert not exists(get_config_map)
    assert runner.exception is None, runner.output
    assert runner.exit_code == 0, runner.output
    for line in ("Handler 'make_config_map' succeeded.", "Creation is processed: 1 succeeded; 0 failed.",
                 "Handler 'recolor/spec.color' succeeded.", "Updating is processed: 1 succeeded; 0 failed.",
                 "Handler 'remove_config_map' succeeded.", "Deletion is processed: 1 succeeded; 0 failed.",
                 "Adding the finalizer, thus preventing the actual deletion.",  # JSON patches with a test op
                 "Removing the finalizer, thus allowing the actual deletion.",
                 "Deleted, really deleted, and we are notified."):
        assert line in runner.output, line
    assert "Traceback" not in runner.output and "[ERROR" not in runner.output, runner.output


def test_a_deleted_owner_takes_the_operators_config_map_through_the_garbage_collector(
        fake_cluster: FakeCluster) -> None:
    fake_cluster.apply(crd("gadgets", "Gadget", version(schema={"type": "object",
                                                                "x-kubernetes-preserve-unknown-fields": True})))
    fake_cluster.settle()

    def get_config_map() -> dict[str, Any]:
        return fake_cluster.get("ConfigMap", "g1-owned", namespace="default")

    args = ["run", "--standalone", "--all-namespaces", "--verbose", str(OWNER_OPERATOR)]
    with KopfRunner(args, timeout=60) as runner:
        fake_cluster.create({"apiVersion": "example.com/v1", "kind": "Gadget",
                             "metadata": {"name": "g1", "namespace": "default"}})
        owned = eventually(get_config_map, "the operator's ConfigMap")
        gadget = fake_cluster.get("Gadget", "g1", namespace="default")
        assert owned["metadata"]["ownerReferences"][0]["uid"] == gadget["metadata"]["uid"]
        assert "finalizers" not in gadget["metadata"]  # no deletion handler: kopf holds nothing
        fake_cluster.delete("Gadget", "g1", namespace="default")
        eventually(lambda: not exists(get_config_map), "the garbage collector to remove the ConfigMap")
    assert runner.exception is None, runner.output
    assert "Handler 'make_config_map' succeeded." in runner.output
    assert "Traceback" not in runner.output and "[ERROR" not in runner.output, runner.output
