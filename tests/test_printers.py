"""Tables as kube-apiserver's printers define them (``kinds/printers.py``, ``schemas/v1.NN/printer_columns.json``),
the health endpoints' verbose text, discovery's group order and the OpenAPI v3 value shapes per release."""

from __future__ import annotations

import orjson

from fakekube.http import health, tables
from fakekube.http.discovery import _ordered_groups
from fakekube.http.openapi.v3_schemas import _builtin_v3_definitions
from fakekube.kinds import builtin_strategy
from fakekube.kinds.columns import PRINTED, Since
from fakekube.kinds.printers import printed_columns, printer_columns, with_printer_columns
from fakekube.kinds.printers_core import EVENT, NODE
from fakekube.kinds.printers_format import format_label_selector, format_labels
from fakekube.kinds.printers_workloads import JOB
from fakekube.registry.catalog import Catalog

NODE_OBJ = {
    "metadata": {"name": "n1", "labels": {"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "edge"}},
    "spec": {"unschedulable": True},
    "status": {"conditions": [{"type": "Ready", "status": "False"}],
               "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}],
               "nodeInfo": {"kubeletVersion": "v1.37.2", "kernelVersion": "6.1", "architecture": "arm64"}},
}


def test_selectors_and_labels_are_written_as_the_printers_write_them() -> None:
    selector = {"matchLabels": {"b": "2"}, "matchExpressions": [
        {"key": "a", "operator": "In", "values": ["y", "x"]}, {"key": "c", "operator": "DoesNotExist"}]}
    assert format_label_selector(selector) == "a in (x,y),b=2,!c"
    assert format_label_selector(None) == format_label_selector({}) == "<none>"
    assert format_labels({"z": "1", "a": "2"}) == "a=2,z=1" and format_labels({}) == "<none>"


def test_node_cells() -> None:
    assert NODE["Status"](NODE_OBJ) == "NotReady,SchedulingDisabled"
    assert NODE["Roles"](NODE_OBJ) == "edge,worker"
    assert NODE["Internal-IP"](NODE_OBJ) == "10.0.0.1" and NODE["External-IP"](NODE_OBJ) == "<none>"
    assert NODE["Kernel-Version"](NODE_OBJ) == "6.1 (arm64)" and NODE["OS-Image"](NODE_OBJ) == "<unknown>"


def test_event_cells_read_core_and_events_k8s_io_shapes() -> None:
    core = {"involvedObject": {"kind": "Pod", "name": "p"}, "message": " hi ", "source": {"component": "kubelet"},
            "firstTimestamp": "2024-01-01T00:00:00Z"}
    new = {"regarding": {"kind": "Pod", "name": "p"}, "note": "hi", "reportingController": "kubelet",
           "reportingInstance": "n1", "eventTime": "2024-01-01T00:00:00.500000Z"}
    assert EVENT["Object"](core) == EVENT["Object"](new) == "pod/p"
    assert EVENT["Message"](core) == EVENT["Message"](new) == "hi"
    assert EVENT["Source"](core) == "kubelet" and EVENT["Source"](new) == "kubelet, n1"
    assert EVENT["Count"](core) == 1
    assert EVENT["Last Seen"](new) == Since(1704067200.5)


def test_job_cells() -> None:
    job = {"metadata": {}, "spec": {"parallelism": 3}, "status": {
        "succeeded": 1, "startTime": "2024-01-01T00:00:00Z", "completionTime": "2024-01-01T00:02:30Z",
        "conditions": [{"type": "Complete", "status": "True"}]}}
    assert JOB["Status"](job) == "Complete"
    assert JOB["Completions"](job) == "1/1 of 3"
    assert JOB["Duration"](job) == "2m30s"


def test_a_printed_kind_gets_the_releases_complete_table() -> None:
    columns = printed_columns("Node", (), "v1.37")
    assert columns[0] is PRINTED
    assert [d["name"] for d, _ in columns[1:]] == [d["name"] for d in printer_columns("v1.37")["Node"]]
    # an Event's Name is its last, wide column (printEvent)
    table = orjson.loads(tables.render_table(printed_columns("Event", (), "v1.37"), [], include_object="None"))
    assert table["columnDefinitions"][-1]["name"] == "Name" and table["columnDefinitions"][-1]["priority"] == 1


def test_columns_differ_by_release() -> None:
    # v1.33 still printed a ServiceAccount's Secrets; v1.37 only Name and Age
    assert [c["name"] for c in printer_columns("v1.33")["ServiceAccount"]] == ["Name", "Secrets", "Age"]
    assert [c["name"] for c in printer_columns("v1.37")["ServiceAccount"]] == ["Name", "Age"]


def test_a_strategy_without_changes_is_kept() -> None:
    plain = builtin_strategy("", "ServiceAccount")
    assert with_printer_columns(plain, "NoSuchKind", "v1.37") is plain


def test_include_object_none_writes_null_and_remaining_item_count() -> None:
    obj = {"metadata": {"name": "a", "creationTimestamp": "2024-01-01T00:00:00Z"}}
    table = orjson.loads(tables.render_table((), [obj], "5", "tok", "None", "v1beta1", remaining=3))
    assert table["rows"][0]["object"] is None
    assert table["metadata"] == {"resourceVersion": "5", "continue": "tok", "remainingItemCount": 3}
    table = orjson.loads(tables.render_table((), [obj], version="v1beta1"))
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"


def test_health_verbose_lists_checks_and_exclusions() -> None:
    text = health.report("livez", True, ["etcd", "nope"])
    assert text.startswith("[+]ping ok\n[+]log ok\n")
    assert "[+]etcd excluded: ok\n" in text
    assert text.endswith('warn: some health checks cannot be excluded: no matches for "nope"\nlivez check passed\n')
    assert health.report("readyz", False, []) == "ok"


def test_apis_groups_are_ordered_by_priority() -> None:
    order = [group for group, _ in _ordered_groups(Catalog("v1.37"))]
    assert order[:4] == ["", "apiregistration.k8s.io", "apps", "events.k8s.io"]
    assert order.index("admissionregistration.k8s.io") < order.index("apiextensions.k8s.io")


def test_v3_value_positions_by_release() -> None:
    # kube-openapi wraps array items in allOf with a zero default up to v1.36, a plain $ref from v1.37
    old = _builtin_v3_definitions("v1.36")["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]["items"]
    new = _builtin_v3_definitions("v1.37")["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]["items"]
    assert old == {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"}], "default": {}}
    assert new == {"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"}
