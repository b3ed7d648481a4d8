"""A survey world: the test city's units in a cycle with one satisfaction indicator, and an open survey."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kaohe.indicators.services import create_cycle, import_scenario
from kaohe.surveys import services as svc
from kaohe.surveys.models import Group, Question

SCENARIO = {
    "units": [{"id": u, "name": n, "domain": "county"} for u, n in (("U1", "东城县"), ("U2", "西山县"), ("U3", "南湖县"))],
    "indicators": [
        {"id": "S", "name": "群众满意度", "points": 20},
        {"id": "S1", "parent": "S", "name": "群众满意度测评", "points": 20, "method": "satisfaction",
         "params": {"min_responses": 3}},
    ],
}


@pytest.fixture
def sw(world) -> SimpleNamespace:
    """world + cycle 2026 满意度 (S1, min 3 answers), survey open with a public group (tokens) and an open link."""
    cycle = create_cycle(by=world.office, year=2026, name="2026年度群众满意度测评")
    import_scenario(by=world.office, cycle=cycle, scenario=SCENARIO, source="test")
    s1 = cycle.indicators.get(code="S1")
    survey = svc.create_survey(by=world.office, cycle=cycle, title="2026年度群众满意度测评", open_link=True)
    public = svc.add_group(by=world.office, survey=survey, code="public", name="群众", kind=Group.Kind.PUBLIC,
                           channel=Group.Channel.INVITATION)
    web = svc.add_group(by=world.office, survey=survey, code="web", name="网络公开", kind=Group.Kind.PUBLIC,
                        channel=Group.Channel.OPEN_LINK)
    units = list(cycle.units.order_by("code"))
    question = svc.add_question(by=world.office, survey=survey, indicator=s1, direction=Question.Direction.BOTTOM_UP,
                                text="您对以下县（区）政府的工作是否满意？", units=units, groups=[public, web])
    svc.set_status(by=world.office, survey=survey, status="open")
    return SimpleNamespace(**vars(world), scycle=cycle, s1=s1, survey=survey, public=public, web=web,
                           question=question, units={u.code: u for u in units})
