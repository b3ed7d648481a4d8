"""The leaders' dashboard (领导驾驶舱): the latest public year-end version at a glance, in a fixed number of
queries; office and leaders only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kaohe.engine import compute
from kaohe.indicators import gates
from kaohe.register.models import Entry
from kaohe.register.services import decide_entry, record_entry
from kaohe.reporting.problems import answer_problem, close_problem, record_problem, send_problems
from kaohe.results.services import announce_run, compute_cycle


def dashboard(world) -> str:
    return reverse("dashboard", args=[world.cycle.pk])


@pytest.fixture
def busy(world):
    """Problems in every state (one overdue, one closed), an approved deduction and a public year-end version."""
    day = gates.today()
    late = record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="增速低于目标",
                          answer_by=day - dt.timedelta(days=1))
    answered = record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="台账不全",
                              answer_by=day + dt.timedelta(days=10))
    done = record_problem(by=world.office, cycle=world.cycle, unit=world.unit2, text="已整改的问题",
                          answer_by=day + dt.timedelta(days=10))
    record_problem(by=world.office, cycle=world.cycle, unit=world.unit2, text="尚未下发")
    send_problems(by=world.office, cycle=world.cycle, ids=[late.pk, answered.pk, done.pk])
    answer_problem(by=world.u1, problem=answered, measures="补齐台账", due=day + dt.timedelta(days=20))
    answer_problem(by=world.u2, problem=done, measures="已整改", due=day + dt.timedelta(days=20))
    close_problem(by=world.office, problem=done, verification="核验通过")
    entry = record_entry(by=world.office, cycle=world.cycle, unit=world.unit2, kind=Entry.Kind.DEDUCTION,
                         source=Entry.Source.LETTER, title="督查通报", reason="重点项目进度滞后",
                         points_claimed=2)
    decide_entry(by=world.office, entry=entry, approve=True, points=2)
    run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=run, until=day + dt.timedelta(days=7))
    world.run = run
    return world


def test_the_dashboard_shows_grades_bottom_indicators_problems_and_the_register(busy, client,
                                                                                   django_assert_max_num_queries) -> None:
    client.force_login(busy.leader)
    with django_assert_max_num_queries(11):
        resp = client.get(dashboard(busy))
    assert resp.status_code == 200
    ctx = resp.context
    assert ctx["run"] == busy.run and not ctx["fallback"]
    units = compute(busy.run.scenario).to_dict()["units"]
    assert ctx["grade_counts"] == [("优秀", sum(u["grade"] == "优秀" for u in units)),
                                   ("良好", sum(u["grade"] == "良好" for u in units))]
    page = resp.content.decode()
    assert "等次分布" in page and "得分率最低的 10 个指标" in page
    # the lowest average score rate over the units: computed here from the engine's scores
    rates: dict[str, list[float]] = {}
    for u in units:
        for s in u["scores"]:
            if s["indicator"] in {"A1", "A2", "B1"} and s["applicable"]:
                rates.setdefault(s["indicator"], []).append(s["score"] / s["points"])
    lowest = min(rates, key=lambda c: sum(rates[c]) / len(rates[c]))
    assert ctx["lowest"][0]["code"] == lowest
    assert [i["code"] for i in ctx["lowest"]] == sorted(rates, key=lambda c: sum(rates[c]) / len(rates[c]))
    assert f"{sum(rates[lowest]) / len(rates[lowest]) * 100:.2f}%" in page
    # 3 open (not closed), of which 1 overdue; U1 has the most
    assert ctx["problems"]["open"] == 3 and ctx["problems"]["overdue"] == 1
    assert ctx["problems"]["units"][0]["name"] == "东城县" and ctx["problems"]["units"][0]["n"] == 2
    assert "未销号整改问题" in page
    assert ctx["register"]["deduction"]["n"] == 1 and ctx["register"]["deduction"]["points"] == 2
    # next to it what the version counted: the imported bonus of U2 is not in the register but is counted
    assert (ctx["register"]["deduction"]["units"], ctx["register"]["deduction"]["counted"]) == (1, 2)
    assert ctx["register"]["bonus"]["n"] == 0 and (ctx["register"]["bonus"]["units"], ctx["register"]["bonus"]["counted"]) == (1, 1.5)
    # top 3 of the only ranking group, in rank order; too few units for a separate bottom 3
    group = ctx["groups"][0]
    assert [tr.row.unit.code for tr in group["top"]] == \
        [u["unit"] for u in sorted(units, key=lambda u: u["rank"])]
    assert group["bottom"] == []


def test_the_query_count_does_not_grow_with_the_problems(busy, client, django_assert_max_num_queries) -> None:
    for i in range(10):
        record_problem(by=busy.office, cycle=busy.cycle, unit=busy.unit2, text=f"问题 {i}")
    client.force_login(busy.office)
    with django_assert_max_num_queries(11):
        assert client.get(dashboard(busy)).status_code == 200


def test_without_a_public_year_end_version_it_says_so_and_shows_the_latest_public_one(world, client) -> None:
    day = gates.today()
    half = announce_run(by=world.office, run=compute_cycle(by=world.office, cycle=world.cycle, stage="half_year"),
                        until=day + dt.timedelta(days=7))
    compute_cycle(by=world.office, cycle=world.cycle)  # a year-end draft: the office's alone, not shown
    client.force_login(world.leader)
    resp = client.get(dashboard(world))
    assert resp.context["run"] == half and resp.context["fallback"]
    assert "本周期的年终考核结果尚未公布" in resp.content.decode()
    assert "半年评估" in resp.content.decode()


def test_with_nothing_public_it_says_so(world, client) -> None:
    compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.office)
    resp = client.get(dashboard(world))
    assert resp.status_code == 200 and resp.context["run"] is None
    assert "本周期还没有公布的考核结果" in resp.content.decode()


@pytest.mark.parametrize("who", ["u1", "u2", "stat"])
def test_units_never_open_the_dashboard(world, client, who) -> None:
    client.force_login(getattr(world, who))
    assert client.get(dashboard(world)).status_code == 403
