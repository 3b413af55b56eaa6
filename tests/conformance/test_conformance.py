"""Every scenario replayed against fakekube and compared with kube-apiserver's recorded answers.

The recordings come from ``python -m tools.reference record`` (the real kube-apiserver and etcd, built from
their Go modules); replaying needs no Go. A scenario listed in ``known_differences/<topic>.yaml`` is expected to
differ, with a reason; when it starts to agree the test fails so that the entry is removed, and the number of
entries may only go down (``KNOWN_DIFFERENCES_CEILING``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.reference.replay import difference, run_on_fakekube
from tools.reference.scenarios import RECORDING_DIR, SCENARIO_DIR, Scenario, load_all

HERE = Path(__file__).parent
KNOWN: dict[str, str] = {}
for _known in sorted((HERE / "known_differences").glob("*.yaml")):
    KNOWN.update(yaml.safe_load(_known.read_text()) or {})
KNOWN_DIFFERENCES_CEILING = int((HERE / "known_differences_ceiling.txt").read_text().split()[0])
SCENARIOS = load_all(SCENARIO_DIR)
RECORDED: dict[str, tuple[str, Any]] = {}
for _path in sorted(RECORDING_DIR.glob("*.json")):
    _data = json.loads(_path.read_text())
    for _name, _answers in _data["scenarios"].items():
        RECORDED[_name] = (_data["kubernetes"], _answers)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario) -> None:
    if scenario.name not in RECORDED:
        pytest.fail(f"{scenario.name} has no recording: run python -m tools.reference record {scenario.name}")
    kubernetes, expected = RECORDED[scenario.name]
    diff = difference(expected, run_on_fakekube(scenario, kubernetes))
    reason = KNOWN.get(scenario.name)
    if reason is not None:
        if not diff:
            pytest.fail(f"{scenario.name} now agrees with kube-apiserver: remove it from known_differences/ "
                        "and lower the ceiling")
        pytest.xfail(reason)
    assert not diff, f"fakekube differs from kube-apiserver {kubernetes}:\n{diff}"


def test_every_recording_has_a_scenario() -> None:
    names = {s.name for s in SCENARIOS}
    assert sorted(set(RECORDED) - names) == []
    assert sorted(set(KNOWN) - names) == []


def test_known_differences_only_go_down() -> None:
    assert len(KNOWN) <= KNOWN_DIFFERENCES_CEILING, (
        f"{len(KNOWN)} known differences, more than the ceiling of {KNOWN_DIFFERENCES_CEILING}: fix fakekube "
        "instead of listing a new difference")


def test_at_least_300_scenarios() -> None:
    assert len(SCENARIOS) >= 300


LIVE = [s for s in SCENARIOS if s.name in ("configmap-update-conflict", "configmap-strict-unknown-field")]


@pytest.mark.parametrize("scenario", LIVE, ids=[s.name for s in LIVE])
def test_recording_is_what_the_reference_answers_now(reference: Any, scenario: Scenario) -> None:
    """Where the reference is built, a fresh run of a scenario on it answers what was recorded: recordings
    and the normalization are stable (skipped elsewhere)."""
    from tools.reference.scenarios import Target, run

    assert run(scenario, Target(reference.url, reference.ssl_context())) == RECORDED[scenario.name][1]
