"""Replay a scenario against a fresh fakekube cluster and say how its answers differ from a recording.

The reference runs kube-apiserver and etcd only, as envtest does: no kube-controller-manager. So the
fakekube cluster a scenario runs on has its controllers switched off too (no default ServiceAccount
appears in a new namespace, a deleted namespace stays ``Terminating``); the API server's own bootstrap
(the ``kubernetes`` Service, the RBAC policy) stays, as kube-apiserver writes those itself.
"""

from __future__ import annotations

import difflib
from typing import Any

from fakekube import FakeCluster
from tools.reference.scenarios import Scenario, Target, dumps, run


def fakekube_version(kubernetes: str) -> str:
    """``v1.37.2`` → ``v1.37``: the minor release fakekube emulates."""
    return ".".join(kubernetes.split(".")[:2])


def run_on_fakekube(scenario: Scenario, kubernetes: str | None = None) -> list[dict[str, Any]]:
    from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

    version = fakekube_version(kubernetes) if kubernetes else DEFAULT_VERSION
    if version not in SUPPORTED_VERSIONS:
        version = DEFAULT_VERSION
    with FakeCluster(version, controllers=()) as cluster:
        return run(scenario, Target(cluster.url))


def difference(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> str:
    """A unified diff of the normalized answers, step by step; empty when they agree."""
    if expected == actual:
        return ""
    parts = []
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        if want != got:
            lines = difflib.unified_diff(dumps(want).splitlines(), dumps(got).splitlines(),
                                         f"step {index + 1}: kube-apiserver", f"step {index + 1}: fakekube",
                                         lineterm="", n=4)
            parts.append("\n".join(lines))
    return "\n".join(parts)
