"""Submitted sheets feed the engine's `rating` method: compute_cycle scores the leaf as the spec says."""

from __future__ import annotations

import pytest

from kaohe.ratings import selectors, services
from kaohe.results.services import compute_cycle

from .conftest import cells

# Hand-worked from the spec (rating: trim_min 3, so a group of three drops its highest and lowest; two stay as
# they are; groups weighted 0.4 / 0.6; s = 20 × combined / 100):
#   U1: leaders 90 80 70 → 80;  peers 60 70 → 65;  0.4×80 + 0.6×65 = 71  → 14.2
#   U2: leaders 85 75 95 → 85;  peers 60 90 → 75;  0.4×85 + 0.6×75 = 79  → 15.8
#   U3: leaders 70 50 60 → 60;  peers 80 90 → 85;  0.4×60 + 0.6×85 = 75  → 15.0
EXPECTED = {"U1": 14.2, "U2": 15.8, "U3": 15.0}


def _submit_all(r) -> None:
    chiefs = [{r.u1: 90, r.u2: 85, r.u3: 70}, {r.u1: 80, r.u2: 75, r.u3: 50}, {r.u1: 70, r.u2: 95, r.u3: 60}]
    for rater, scores in zip(r.chiefs, chiefs):
        services.submit_sheet(by=rater.user, rater=rater, cells=cells(r.leaf, scores, {r.u3: "安全生产压力大"}))
    services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 60, r.u3: 80}))
    services.submit_sheet(by=r.w.u2, rater=r.peer2, cells=cells(r.leaf, {r.u1: 60, r.u3: 90}))
    services.submit_sheet(by=r.office, rater=r.peer3, cells=cells(r.leaf, {r.u1: 70, r.u2: 90}))


def test_the_engine_scores_the_rating_leaf_from_the_submitted_sheets(r) -> None:
    _submit_all(r)
    run = compute_cycle(by=r.office, cycle=r.cycle)
    assert run.status == "ok", run.errors
    for ru in run.unit_results.select_related("unit"):
        c1 = next(s for s in ru.scores if s["indicator"] == "C1")
        assert c1["score"] == pytest.approx(EXPECTED[ru.unit.code], abs=0.005), ru.unit.code


def test_the_scores_page_selector_agrees_with_the_engine(r) -> None:
    _submit_all(r)
    (leaf,) = selectors.scores(r.cycle)
    got = {us.unit.code: us.score for us in leaf.units}
    assert got == pytest.approx(EXPECTED)
    u1 = next(us for us in leaf.units if us.unit.code == "U1")
    assert [(c.group.code, c.count, c.mean, c.trimmed) for c in u1.cells] == [
        ("leaders", 3, 80.0, True), ("peers", 2, 65.0, False)]


def test_a_leaf_that_uses_one_group_ignores_the_other(r) -> None:
    r.leaf.params = {"trim_min": 3, "groups": ["leaders"]}
    r.leaf.save()
    for rater, scores in zip(r.chiefs, [{r.u1: 90, r.u2: 85, r.u3: 70}, {r.u1: 80, r.u2: 75, r.u3: 65},
                                       {r.u1: 70, r.u2: 95, r.u3: 60}]):
        services.submit_sheet(by=rater.user, rater=rater, cells=cells(r.leaf, scores))
    # the peers' sheets have no cell left: the leaf does not use their group
    assert selectors.sheet_cells(r.peer1) == set()
    run = compute_cycle(by=r.office, cycle=r.cycle)
    assert run.status == "ok", run.errors
    u1 = run.unit_results.get(unit=r.u1)
    assert next(s for s in u1.scores if s["indicator"] == "C1")["score"] == pytest.approx(16.0)
