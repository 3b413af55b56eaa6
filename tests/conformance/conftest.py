"""Print how many scenarios are known to differ from kube-apiserver at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    reports = terminalreporter.stats.get("xfailed", [])
    known = [r for r in reports if "test_conformance.py::test_scenario" in r.nodeid]
    if known or any("test_conformance.py" in r.nodeid for r in terminalreporter.stats.get("passed", [])):
        terminalreporter.write_line(f"conformance: {len(known)} scenarios are known differences from kube-apiserver "
                                    "(tests/conformance/known_differences/)")


@pytest.fixture(scope="session")
def reference() -> Iterator[Any]:
    """A running kube-apiserver and etcd (``tools.reference.launch.Reference``), started as
    ``python -m tools.reference start`` starts them; skipped where the reference is not built (it needs Go:
    ``python -m tools.reference build``)."""
    from tools.reference.build import binaries_for
    from tools.reference.launch import Reference

    if not binaries_for().exist():
        pytest.skip("the reference kube-apiserver is not built here (python -m tools.reference build)")
    with Reference() as ref:
        yield ref
