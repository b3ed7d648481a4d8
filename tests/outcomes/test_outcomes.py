"""Outcomes from published results and seeded history: each rule kind on the world fixture, and the
consecutive-year rules across cycles."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.indicators.gates import today
from kaohe.indicators.services import create_cycle, import_scenario
from kaohe.outcomes import selectors
from kaohe.outcomes.models import Rule
from kaohe.outcomes.services import delete_rule, save_rule
from kaohe.results.services import announce_run, compute_cycle, finalize_run
from tests.conftest import SCENARIO

pytestmark = pytest.mark.django_db

# three grades, so that the last of the three counties is 一般
GRADES = {"grades": [{"name": "优秀", "top_share": 0.34}, {"name": "良好", "rest": True},
                     {"name": "一般", "bottom_share": 0.34}]}


def scenario(*, swap: bool = False) -> dict:
    """The world's scenario with three grades; swap gives 西山县 (U2) 南湖县's (U3) values and the other way round."""
    s = copy.deepcopy(SCENARIO)
    s["settings"] = {**s["settings"], **GRADES}
    s["adjustments"] = []
    if swap:
        for v in s["values"]:
            v["unit"] = {"U2": "U3", "U3": "U2"}.get(v["unit"], v["unit"])
    return s


def published(office, year: int, s: dict, *, final: bool = True):
    cycle = create_cycle(by=office, year=year, name=f"{year}年度目标绩效考核")
    import_scenario(by=office, cycle=cycle, scenario=s, source="test")
    run = compute_cycle(by=office, cycle=cycle)
    announce_run(by=office, run=run, until=today() + dt.timedelta(days=7))
    if final:
        finalize_run(by=office, run=run, reason="测试：提前正式公布")
    return cycle, run


def fired(cycle, rule: Rule) -> dict[str, selectors.Outcome]:
    return {o.unit.code: o for o in selectors.outcomes(cycle, cycle.units.all(), Rule.objects.filter(pk=rule.pk))}


@pytest.fixture
def grades(world):
    """The world's units, graded 优秀/良好/一般: U2 is last (一般)."""
    world.cycle.delete()
    cycle, run = published(world.office, 2026, scenario(), final=False)
    ranks = {r.unit.code: (r.rank, r.grade) for r in run.unit_results.select_related("unit")}
    assert ranks["U2"] == (3, "一般") and ranks["U1"][0] == 1
    world.cycle, world.run = cycle, run
    return world


def rule(w, kind: str, params: dict, outcome: str = "结果") -> Rule:
    return save_rule(by=w.office, cycle=w.cycle, name=kind, kind=kind, params=params, outcome=outcome)


def test_consecutive_grade_fires_on_two_years_of_一般(grades):
    w = grades
    published(w.office, 2025, scenario())
    r = rule(w, "consecutive_grade", {"k": 2, "grades": ["一般"]}, "取消试点资格")
    got = fired(w.cycle, r)
    assert set(got) == {"U2"}
    assert [(t.year, t.grade, t.rank) for t in got["U2"].triggers] == [(2025, "一般", 3), (2026, "一般", 3)]
    assert got["U2"].text == "取消试点资格"


def test_consecutive_grade_does_not_fire_without_the_earlier_cycle(grades):
    r = rule(grades, "consecutive_grade", {"k": 2, "grades": ["一般"]})
    assert fired(grades.cycle, r) == {}


def test_consecutive_grade_does_not_fire_when_the_earlier_year_was_another_grade(grades):
    w = grades
    published(w.office, 2025, scenario(swap=True))  # in 2025 南湖县 was last, 西山县 not
    r = rule(w, "consecutive_grade", {"k": 2, "grades": ["一般"]})
    assert fired(w.cycle, r) == {}


def test_an_unpublished_earlier_run_is_no_history(grades):
    w = grades
    cycle = create_cycle(by=w.office, year=2025, name="2025年度")
    import_scenario(by=w.office, cycle=cycle, scenario=scenario(), source="test")
    compute_cycle(by=w.office, cycle=cycle)  # computed, never made public
    r = rule(w, "consecutive_grade", {"k": 2, "grades": ["一般"]})
    assert fired(w.cycle, r) == {}


def test_consecutive_top_n_needs_all_three_cycles(grades):
    w = grades
    r = rule(w, "consecutive_top_n", {"k": 3, "n": 1}, "优先支持")
    published(w.office, 2025, scenario())
    assert fired(w.cycle, r) == {}  # two years on record
    published(w.office, 2024, scenario())
    got = fired(w.cycle, r)
    assert set(got) == {"U1"}
    assert [t.year for t in got["U1"].triggers] == [2024, 2025, 2026]


def test_a_later_cycle_is_not_history_of_an_earlier_one(grades):
    w = grades
    earlier, _run = published(w.office, 2025, scenario())
    published(w.office, 2027, scenario())
    r = save_rule(by=w.office, cycle=earlier, name="连续", kind="consecutive_grade",
                  params={"k": 2, "grades": ["一般"]}, outcome="x")
    assert fired(earlier, r) == {}


def test_the_final_version_is_preferred_to_a_later_one_in_notice(grades):
    w = grades
    finalize_run(by=w.office, run=w.run, reason="测试：提前正式公布")
    correction = compute_cycle(by=w.office, cycle=w.cycle)
    announce_run(by=w.office, run=correction, until=today() + dt.timedelta(days=7), reason="更正")
    assert selectors.public_result_run(w.cycle) == w.run


def test_grade_quota_on_the_world(world):
    world.run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=world.run, until=today())
    r = rule(world, "grade_quota", {"quotas": {"优秀": 20, "良好": 10}}, "公务员年度考核优秀等次比例")
    got = fired(world.cycle, r)
    grades = {x.unit.code: x.grade for x in world.run.unit_results.select_related("unit")}
    assert {c: o.text for c, o in got.items()} == {
        c: f"公务员年度考核优秀等次比例（{20 if g == '优秀' else 10}%）" for c, g in grades.items()}
    assert "优秀" in grades.values()


def test_bottom_top_and_core_missed_on_the_world(world):
    run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=run, until=today())
    rows = {r.unit.code: r for r in run.unit_results.select_related("unit")}
    last = next(c for c, r in rows.items() if r.rank == r.group_size)
    first = next(c for c, r in rows.items() if r.rank == 1)
    assert set(fired(world.cycle, rule(world, "bottom_n", {"n": 1}))) == {last}
    assert set(fired(world.cycle, rule(world, "top_n", {"n": 1}))) == {first}
    # A2 is the accidents leaf: 西山县 (2) and 南湖县 (1) lost points on it, 东城县 (0) did not
    got = fired(world.cycle, rule(world, "core_missed", {"codes": ["A2"]}))
    assert set(got) == {"U2", "U3"} and got["U2"].detail == "A2 安全生产事故 失 10.00 分"


def test_no_outcomes_before_the_cycle_is_published(world):
    compute_cycle(by=world.office, cycle=world.cycle)  # a draft
    assert fired(world.cycle, rule(world, "top_n", {"n": 3})) == {}


def test_saving_and_deleting_rules_is_audited_and_unchanged_saves_write_nothing(world):
    before = AuditEntry.objects.count()
    r = rule(world, "top_n", {"n": 3}, "可使用编制周转池")
    save_rule(by=world.office, cycle=world.cycle, rule=r, name=r.name, kind=r.kind, params={"n": 3},
              outcome=r.outcome)
    save_rule(by=world.office, cycle=world.cycle, rule=r, name=r.name, kind=r.kind, params={"n": 5},
              outcome=r.outcome)
    delete_rule(by=world.office, rule=r)
    entries = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "changes"))
    assert [a for a, _c in entries] == ["create", "update", "delete"]
    assert entries[1][1] == {"params": [{"n": 3}, {"n": 5}]}
    assert not Rule.objects.exists()
