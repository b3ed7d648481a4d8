"""The benchmark generator gives deterministic, valid scenarios that use every feature."""

from collections import Counter

from baseline import METHODS, baseline_compute
from generate import generate, sizes


def test_same_seed_gives_the_same_scenario() -> None:
    assert generate(40, 30, seed=3) == generate(40, 30, seed=3)
    assert generate(40, 30, seed=3) != generate(40, 30, seed=4)


def test_small_scenarios_are_valid_and_use_every_method() -> None:
    for seed in range(1, 6):
        scenario = generate(40, 30, seed)
        assert {ind.get("method") for ind in scenario["indicators"]} - {None} == METHODS
        baseline_compute(scenario)  # raises if the generator made an invalid scenario


def test_province_scenario_has_every_feature() -> None:
    scenario = generate(429, 120, seed=1)
    assert sizes(scenario)["units"] == 429
    assert sizes(scenario)["leaves"] == 120
    inds = scenario["indicators"]
    roots = [ind for ind in inds if "parent" not in ind]
    assert {ind["line"] for ind in roots} == {"main", "bonus"}
    scopes = Counter(k for ind in inds for k in ind.get("applies_to", {}))
    assert {"domains", "categories", "units", "exclude_units"} <= set(scopes)
    assert any(ind.get("params", {}).get("missing") == "zero" for ind in inds)
    assert {a["kind"] for a in scenario["adjustments"]} == {"bonus", "deduction", "veto"}
    assert len({u["domain"] for u in scenario["units"]}) == 5

    result = baseline_compute(scenario)
    codes = Counter(w["code"] for w in result["warnings"])
    assert codes["missing_value"] > 0
    assert codes["insufficient_sample"] > 0
    assert codes["points_mismatch"] == 1
    grades = Counter(u["grade"] for u in result["units"])
    assert set(grades) == {"优秀", "良好", "一般", "较差"}
    assert any(u["advanced"] for u in result["units"])


def test_national_scenario_has_the_stated_size() -> None:
    size = sizes(generate(3000, 200, seed=1))
    assert (size["units"], size["leaves"]) == (3000, 200)
    assert 100_000 <= size["ratings"] <= 200_000
