"""The engine's satisfaction results equal what the counts say (spec: satisfaction, 满意率, answer count)."""

from __future__ import annotations

import pytest

from kaohe.indicators.selectors import scenario_for
from kaohe.results.services import compute_cycle
from kaohe.surveys import figures, selectors, services as svc

# per unit: how many answered each choice
PLAN = {"U1": {"satisfied": 6, "fairly_satisfied": 2, "unsatisfied": 1},
        "U2": {"satisfied": 2, "basically_satisfied": 3, "unsatisfied": 4},
        "U3": {"fairly_satisfied": 2}}  # 2 answers: below min_responses (3)


def _answer(sw) -> None:
    n = max(sum(c.values()) for c in PLAN.values())
    tokens = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=n)
    columns = {code: [c for c, k in plan.items() for _ in range(k)] for code, plan in PLAN.items()}
    for i, token in enumerate(tokens):
        answers = [(sw.question, sw.units[code], col[i]) for code, col in columns.items() if i < len(col)]
        svc.submit(survey=sw.survey, group=sw.public, token=token, answers=answers, ip=f"10.0.{i}.1")


def test_counts_are_ready_before_and_after_folding(sw) -> None:
    _answer(sw)
    before = selectors.counts(sw.survey)
    assert svc.fold_counts(sw.survey) == 9
    assert selectors.counts(sw.survey) == before
    assert svc.fold_counts(sw.survey) == 0  # folded once
    by_unit = {sw.units[c].pk: plan for c, plan in PLAN.items()}
    assert {u: c for (_q, u, _g), c in before.items()} == by_unit


@pytest.mark.parametrize("fold", [False, True])
def test_the_engine_scores_the_counts(sw, fold) -> None:
    _answer(sw)
    if fold:
        svc.fold_counts(sw.survey)
    scenario = scenario_for(sw.scycle)
    assert sorted((r["unit"], r["choice"], r["count"]) for r in scenario["responses"]) == sorted(
        (u, c, n) for u, plan in PLAN.items() for c, n in plan.items())
    run = compute_cycle(by=sw.office, cycle=sw.scycle)
    scores = {ru.unit.code: ru for ru in run.unit_results.select_related("unit")}
    u1, u2 = figures.satisfaction(PLAN["U1"], min_responses=3), figures.satisfaction(PLAN["U2"], min_responses=3)
    assert round(u1.mean, 4) == round((6 * 100 + 2 * 80) / 9, 4) and u1.approval == pytest.approx(800 / 9)
    assert scores["U1"].total == pytest.approx(round(20 * u1.mean / 100, 2), abs=0.005)
    assert scores["U2"].total == pytest.approx(round(20 * u2.mean / 100, 2), abs=0.005)
    # U3 has too few answers: scored with the average mean of the peers that have enough (spec)
    assert scores["U3"].total == pytest.approx(round(20 * (u1.mean + u2.mean) / 2 / 100, 2), abs=0.005)
