"""The world's cycle computed and made public, and a second cycle on record a year earlier."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from kaohe.indicators.gates import today
from kaohe.indicators.services import create_cycle, import_scenario
from kaohe.results.services import announce_run, compute_cycle
from tests.conftest import SCENARIO


def publish(office, cycle):
    run = compute_cycle(by=office, cycle=cycle)
    return announce_run(by=office, run=run, until=today() + dt.timedelta(days=7))


@pytest.fixture
def published(world):
    world.run = publish(world.office, world.cycle)
    return world


@pytest.fixture
def history(published):
    """2025 on record: U1 did worse on A1 that year (5.7 against a target of 6)."""
    w = published
    scenario = copy.deepcopy(SCENARIO)
    scenario["values"][0]["actual"] = 5.7
    w.earlier = create_cycle(by=w.office, year=2025, name="2025年度目标绩效考核")
    import_scenario(by=w.office, cycle=w.earlier, scenario=scenario, source="test")
    w.earlier_run = publish(w.office, w.earlier)
    return w
