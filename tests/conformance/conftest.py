"""Print how many scenarios are known to differ from kube-apiserver at the end of the run."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    reports = terminalreporter.stats.get("xfailed", [])
    known = [r for r in reports if "test_conformance.py::test_scenario" in r.nodeid]
    if known or any("test_conformance.py" in r.nodeid for r in terminalreporter.stats.get("passed", [])):
        terminalreporter.write_line(f"conformance: {len(known)} scenarios are known differences from kube-apiserver "
                                    "(tests/conformance/known_differences/)")
