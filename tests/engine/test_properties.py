"""Invariants a user relies on, checked by hypothesis on many generated scenarios."""

from __future__ import annotations

import copy
import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kaohe.engine import compute, round2

from .strategies import scenarios

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _by_unit(result: dict) -> dict[str, dict]:
    return {u["unit"]: u for u in result["units"]}


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_units_in_the_input_changes_no_result(scenario: dict, rnd) -> None:
    before = _by_unit(compute(scenario).to_dict())
    shuffled = copy.deepcopy(scenario)
    rnd.shuffle(shuffled["units"])
    for key in ("values", "ratings", "responses", "adjustments"):
        if key in shuffled:
            rnd.shuffle(shuffled[key])
    after = compute(shuffled).to_dict()
    assert [u["unit"] for u in after["units"]] == [u["id"] for u in shuffled["units"]]
    for u in after["units"]:
        b = before[u["unit"]]
        for key in ("total", "main", "bonus_line", "rank", "group_size", "grade", "advanced", "vetoed"):
            assert u[key] == b[key], (u["unit"], key)
        assert [s["score"] for s in u["scores"]] == [s["score"] for s in b["scores"]]


@FAST
@given(scenarios())
def test_a_unit_never_scores_more_than_points_times_cap_nor_below_zero(scenario: dict) -> None:
    result = compute(scenario).to_dict()
    leaves = {i["id"]: i for i in scenario["indicators"] if "method" in i}
    for u in result["units"]:
        for s in u["scores"]:
            leaf = leaves.get(s["indicator"])
            if leaf is None or not s["applicable"]:
                continue
            cap = leaf.get("params", {}).get("cap", 1) if leaf["method"] in ("completion", "manual") else 1
            assert 0 <= s["score"] <= round2(leaf["points"] * cap) + 1e-9, (u["unit"], s)


@FAST
@given(scenarios())
def test_ranks_agree_with_totals_within_each_ranking_group(scenario: dict) -> None:
    result = compute(scenario).to_dict()
    rank_by = scenario.get("settings", {}).get("rank_by", "group")
    domain = {u["id"]: u["domain"] for u in scenario["units"]}

    def group(u: dict) -> str:
        return u["group"] if rank_by == "group" else domain[u["unit"]]

    units = result["units"]
    for a in units:
        same = [b for b in units if group(b) == group(a)]
        assert a["group_size"] == len(same)
        assert a["rank"] == 1 + sum(b["total"] > a["total"] for b in same)


@FAST
@given(scenarios())
def test_grade_quotas_are_never_exceeded_except_through_ties_at_the_border(scenario: dict) -> None:
    grades = scenario.get("settings", {}).get("grades")
    assume(grades)
    result = compute(scenario).to_dict()
    scope_by = scenario["settings"].get("grade_scope", "group")
    domain = {u["id"]: u["domain"] for u in scenario["units"]}
    scopes: dict[str, list[dict]] = {}
    for u in result["units"]:
        scopes.setdefault(u["group"] if scope_by == "group" else domain[u["unit"]], []).append(u)
    top, bottom = grades[0], grades[-1]
    for members in scopes.values():
        n = len(members)
        quota = math.floor(top["top_share"] * n + 1e-9)
        firsts = [u for u in members if u["grade"] == top["name"]]
        live = [u for u in members if not u["vetoed"]]
        if len(firsts) > quota:
            # every extra unit shares its total with a unit inside the quota
            border = sorted((u["total"] for u in live), reverse=True)[quota - 1] if quota else None
            assert border is not None and all(u["total"] >= border for u in firsts)
        assert all(not u["vetoed"] for u in firsts)
        assert all(u["grade"] == bottom["name"] for u in members if u["vetoed"])
        if "min_total" in top:
            assert all(u["total"] >= top["min_total"] for u in firsts)
        advanced = scenario["settings"].get("advanced")
        for u in members:
            if u["advanced"]:
                assert u["grade"] == advanced["grade"]


MONOTONE = ["completion", "efficacy", "rank", "threshold", "binary", "growth_rank"]


@FAST
@given(scenarios(methods=MONOTONE), st.integers(0, 20), st.integers(1, 40))
def test_a_better_value_never_lowers_the_units_score(scenario: dict, pick: int, step: int) -> None:
    rows = [v for v in scenario["values"]]
    assume(rows)
    row = rows[pick % len(rows)]
    leaf = next(i for i in scenario["indicators"] if i["id"] == row["indicator"])
    before = _by_unit(compute(scenario).to_dict())[row["unit"]]
    better = copy.deepcopy(scenario)
    target = next(v for v in better["values"] if v["unit"] == row["unit"] and v["indicator"] == row["indicator"])
    delta = step / 2 if leaf.get("direction", "higher") == "higher" else -min(step / 2, target["actual"] - 0.5)
    target["actual"] += delta
    after = _by_unit(compute(better).to_dict())[row["unit"]]
    s_before = next(s for s in before["scores"] if s["indicator"] == leaf["id"])
    s_after = next(s for s in after["scores"] if s["indicator"] == leaf["id"])
    if s_before["applicable"]:
        assert s_after["score"] >= s_before["score"] - 1e-9
        assert after["total"] >= before["total"] - 1e-9
