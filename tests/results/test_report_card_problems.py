"""The unit's report card (成绩单) lists its half-year problems and their rectification, and nobody else's."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kaohe.indicators import gates
from kaohe.reporting.problems import answer_problem, record_problem, send_problems
from kaohe.results.services import announce_run, compute_cycle


def test_the_report_card_shows_the_units_sent_problems_and_which_are_overdue(world, client) -> None:
    day = gates.today()
    late = record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="地区生产总值增速低于目标",
                          answer_by=day - dt.timedelta(days=1))
    answered = record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="安全生产台账不全",
                              answer_by=day + dt.timedelta(days=10))
    record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="尚未下发的问题")
    send_problems(by=world.office, cycle=world.cycle, ids=[late.pk, answered.pk])
    answer_problem(by=world.u1, problem=answered, measures="补齐台账并专人负责", due=day + dt.timedelta(days=20))
    other = record_problem(by=world.office, cycle=world.cycle, unit=world.unit2, text="西山县的问题")
    send_problems(by=world.office, cycle=world.cycle, ids=[other.pk])
    run = announce_run(by=world.office, run=compute_cycle(by=world.office, cycle=world.cycle),
                       until=day + dt.timedelta(days=7))

    client.force_login(world.u1)
    page = client.get(reverse("run_unit", kwargs={"cycle": world.cycle.pk, "run": run.pk,
                                                  "unit": world.unit1.pk})).content.decode()
    assert "半年评估问题与整改" in page
    assert "地区生产总值增速低于目标" in page and "补齐台账并专人负责" in page
    assert page.count("已逾期") == 1
    assert "尚未下发的问题" not in page  # the office's draft is not the unit's yet
    assert "西山县的问题" not in page
