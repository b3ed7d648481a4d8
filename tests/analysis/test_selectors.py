"""The analysis figures on the world's cycle, checked against sums done by hand.

A1 (completion, 30 points, target 6, cap 120%): U1 6.3 → 31.5 (105%), U2 5.4 → 27 (90%), U3 7.5 → 36 (120%).
A2 (deduction, 30 points, 5 a failing): U1 0 → 30 (100%), U2 2 → 20 (66.67%), U3 1 → 25 (83.33%).
B1 (manual, 40 points): U1 36 (90%), U2 33.5 (83.75%), U3 35 (87.5%).
"""

from __future__ import annotations

import pytest

from kaohe.analysis import selectors


@pytest.fixture
def v(published):
    return selectors.read_version(published.run)


def test_the_average_score_rate_of_a_leaf_is_the_mean_of_the_units_rates(v) -> None:
    a1 = selectors.leaf_stats(v, "A1")
    assert a1.units == 3
    assert a1.average == pytest.approx((1.05 + 0.9 + 1.2) / 3)
    a2 = selectors.leaf_stats(v, "A2")
    assert a2.average == pytest.approx((30 / 30 + 20 / 30 + 25 / 30) / 3)


def test_a_target_leaf_is_completed_when_the_actual_reaches_the_target_and_others_at_full_marks(v) -> None:
    assert selectors.leaf_stats(v, "A1").completed == 2  # U1 and U3 reached 6
    assert selectors.leaf_stats(v, "A2").completed == 1  # U1 alone had no failing
    assert selectors.leaf_stats(v, "B1").completed == 0  # nobody got 40 of 40
    total, per_track = selectors.completion(v)
    assert (total.pairs, total.completed) == (9, 3)
    assert total.rate == pytest.approx(3 / 9)
    assert [(c.label, c.pairs, c.completed) for c in per_track] == [("county · plain", 9, 3)]


def test_the_bands_count_every_applicable_unit_once(v) -> None:
    bands = {b["band"]: b["units"] for b in selectors.bands(selectors.leaf_stats(v, "A2").cells)}
    assert bands == {"<60%": 0, "60–70%": 1, "70–80%": 0, "80–90%": 1, "90–100%": 0, "满分": 1}


def test_the_units_that_lost_most_leave_out_those_that_lost_nothing(v, published) -> None:
    losers = selectors.top_losers(selectors.leaf_stats(v, "A2").cells)
    assert [(c.name, c.lost) for c in losers] == [("西山县", 10), ("南湖县", 5)]


def test_the_domain_table_averages_each_paper_per_track(v) -> None:
    tracks, rows = selectors.domain_table(v)
    assert list(tracks) == ["county/plain"]
    b = next(r for r in rows if r.code == "B")
    assert b.depth == 0
    assert b.rates[0] == pytest.approx((36 + 33.5 + 35) / 3 / 40)
    assert [r.code for r in rows] == ["A", "A1", "A2", "B", "B1"]


def test_people_are_grouped_by_responsible_person_and_lead_unit(v) -> None:
    rows = {(p.person, p.lead_unit): p for p in selectors.people(v)}
    wang = rows[("王统计", "统计局")]
    assert wang.indicators == [("A1", "地区生产总值增速")]
    assert wang.average == pytest.approx(1.05)
    assert wang.low == 0
    assert rows[("", "应急局")].average == pytest.approx(2.5 / 3)


def test_the_radar_compares_the_unit_with_its_ranking_groups_average(v, published) -> None:
    row, radar = selectors.radar(v, published.unit1.pk)
    assert row.unit == published.unit1
    a1 = next(r for r in radar if r.code == "A1")
    assert a1.rate == pytest.approx(1.05)
    assert a1.peer_average == pytest.approx(1.05)
    assert a1.peers == 3
    b1 = next(r for r in radar if r.code == "B1")
    assert b1.rate == pytest.approx(0.9)
    assert b1.peer_average == pytest.approx((36 + 33.5 + 35) / 3 / 40)


def test_the_trend_has_one_point_for_each_cycle_on_record(history) -> None:
    from kaohe.indicators.models import Cycle

    points = selectors.trend(history.unit1, Cycle.objects.all())
    assert [p.cycle.year for p in points] == [2025, 2026]
    assert [p.run for p in points] == [history.earlier_run, history.run]
    assert points[0].total < points[1].total  # 5.7 of 6 on A1 in 2025


def test_a_cycle_without_a_public_year_end_version_is_not_a_point(published) -> None:
    from kaohe.indicators.models import Cycle
    from kaohe.indicators.services import create_cycle

    create_cycle(by=published.office, year=2024, name="2024年度")
    assert [p.cycle.year for p in selectors.trend(published.unit1, Cycle.objects.all())] == [2026]


def test_the_default_version_is_the_latest_public_year_end_one(published) -> None:
    from kaohe.results.services import compute_cycle

    draft = compute_cycle(by=published.office, cycle=published.cycle)
    assert selectors.default_run(published.cycle, published.cycle.runs.all()) == published.run
    assert draft.number > published.run.number
