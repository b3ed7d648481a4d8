"""The engine agrees with the plain, independently written implementation in bench/baseline.py.

Two readings of the same spec, one vectorised and one unit by unit, must give the same numbers
on every generated scenario: this is how scenarios beyond the published vectors are checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from kaohe.engine import ScenarioInvalid, compute

from .conftest import mismatches
from .strategies import scenarios

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from baseline import BaselineInvalid, baseline_compute  # noqa: E402


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_units=10))
def test_engine_and_baseline_give_the_same_results(scenario: dict) -> None:
    try:
        expected = baseline_compute(scenario)
    except BaselineInvalid as exc:
        raise AssertionError(f"the generator made an invalid scenario: {exc}") from exc
    got = compute(scenario).to_dict()
    assert mismatches(got, expected) == []


def test_both_reject_the_same_broken_scenario() -> None:
    scenario = {"units": [{"id": "U1", "name": "甲", "domain": "county"}],
                "indicators": [{"id": "A1", "name": "x", "points": 5, "method": "completion"}],
                "values": [{"unit": "U1", "indicator": "A1", "actual": 3, "target": -1}]}
    try:
        baseline_compute(scenario)
    except BaselineInvalid as exc:
        base = {(e["code"], e["unit"], e["indicator"]) for e in exc.errors}
    try:
        compute(scenario)
    except ScenarioInvalid as exc:
        mine = {(e.code, e.unit, e.indicator) for e in exc.errors}
    assert base == mine == {("bad_target", "U1", "A1")}
