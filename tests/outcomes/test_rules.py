"""The 结果运用 rules on plain histories, without the database."""

from __future__ import annotations

import pytest

from kaohe.outcomes.rules import BadParams, Result, evaluate


def res(year: int, rank: int, grade: str, size: int = 10, lost: dict[str, float] | None = None) -> Result:
    return Result(year=year, cycle_id=year, rank=rank, group_size=size, grade=grade, total=90.0 - rank,
                  lost_by_indicator=lost or {})


def test_grade_quota_gives_the_quota_of_the_units_grade():
    rule = {"quotas": {"优秀": 20, "良好": 10}}
    assert evaluate("grade_quota", rule, [res(2026, 1, "优秀")], 2026).detail == "20%"
    assert evaluate("grade_quota", rule, [res(2026, 5, "良好")], 2026).detail == "10%"
    assert evaluate("grade_quota", rule, [res(2026, 10, "一般")], 2026) is None


def test_a_rule_on_this_year_needs_a_result_of_this_year():
    assert evaluate("top_n", {"n": 3}, [res(2025, 1, "优秀")], 2026) is None
    assert evaluate("top_n", {"n": 3}, [], 2026) is None


def test_bottom_n_is_the_last_n_of_the_group():
    assert evaluate("bottom_n", {"n": 3}, [res(2026, 8, "良好")], 2026).triggers[0].rank == 8
    assert evaluate("bottom_n", {"n": 3}, [res(2026, 7, "良好")], 2026) is None
    assert evaluate("bottom_n", {"n": 1}, [res(2026, 6, "一般", size=6)], 2026).detail == "倒数第 1 名"


def test_core_missed_fires_when_any_listed_indicator_lost_points():
    hit = evaluate("core_missed", {"codes": ["A01", "A06"]}, [res(2026, 2, "优秀", lost={"A06": 1.5, "B1": 3})], 2026)
    assert hit.detail == "A06 失 1.50 分"
    named = Result(year=2026, cycle_id=2026, rank=2, group_size=10, grade="优秀", total=88,
                   lost_by_indicator={"A06": 1.5}, indicator_names={"A06": "一般公共预算收入"})
    assert evaluate("core_missed", {"codes": ["A06"]}, [named], 2026).detail == "A06 一般公共预算收入 失 1.50 分"
    assert evaluate("core_missed", {"codes": ["A01"]}, [res(2026, 2, "优秀", lost={"B1": 3})], 2026) is None


def test_top_n_is_the_first_n():
    assert evaluate("top_n", {"n": 10}, [res(2026, 10, "良好", size=20)], 2026) is not None
    assert evaluate("top_n", {"n": 10}, [res(2026, 11, "良好", size=20)], 2026) is None


def test_two_consecutive_years_unqualified_fires_with_both_years_as_triggers():
    history = [res(2024, 3, "良好"), res(2025, 10, "一般"), res(2026, 9, "一般")]
    hit = evaluate("consecutive_grade", {"k": 2, "grades": ["一般"]}, history, 2026)
    assert [(r.year, r.grade) for r in hit.triggers] == [(2025, "一般"), (2026, "一般")]


def test_consecutive_grade_does_not_fire_without_the_earlier_year_or_with_another_grade():
    rule = {"k": 2, "grades": ["一般"]}
    assert evaluate("consecutive_grade", rule, [res(2026, 10, "一般")], 2026) is None
    assert evaluate("consecutive_grade", rule, [res(2025, 9, "良好"), res(2026, 10, "一般")], 2026) is None
    # a gap of a year is not consecutive
    assert evaluate("consecutive_grade", rule, [res(2024, 10, "一般"), res(2026, 10, "一般")], 2026) is None


def test_three_consecutive_years_top_five_or_first_grade():
    rule = {"k": 3, "n": 5, "grade": "优秀"}
    top = [res(2024, 2, "优秀"), res(2025, 5, "良好"), res(2026, 1, "优秀")]
    assert evaluate("consecutive_top_n", rule, top, 2026).detail == "连续 3 年前 5 名"
    excellent = [res(2024, 6, "优秀", size=40), res(2025, 8, "优秀", size=40), res(2026, 7, "优秀", size=40)]
    assert evaluate("consecutive_top_n", rule, excellent, 2026).detail == "连续 3 年优秀"
    assert evaluate("consecutive_top_n", rule, top[1:], 2026) is None  # only two years on record
    assert evaluate("consecutive_top_n", rule, [res(2024, 6, "良好"), *top[1:]], 2026) is None


@pytest.mark.parametrize("kind, params", [("top_n", {}), ("top_n", {"n": 0}), ("grade_quota", {}),
                                          ("consecutive_grade", {"k": 2}), ("core_missed", {"codes": []}),
                                          ("no_such_kind", {})])
def test_unusable_parameters_are_refused_with_a_reason(kind, params):
    with pytest.raises(BadParams):
        evaluate(kind, params, [res(2026, 1, "优秀")], 2026)


def test_the_rules_module_imports_no_django():
    import ast
    import inspect

    from kaohe.outcomes import rules

    tree = ast.parse(inspect.getsource(rules))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(n.startswith("django") or n.startswith("kaohe") for n in names)


def test_the_parameters_read_as_words():
    from kaohe.outcomes.rules import describe

    assert describe("grade_quota", {"quotas": {"优秀": 20, "良好": 10}}) == "优秀 20%，良好 10%"
    assert describe("consecutive_top_n", {"k": 3, "n": 5, "grade": "优秀"}) == "连续 3 年组内前 5 名，或连续 3 年优秀"
    assert describe("consecutive_grade", {"k": 2, "grades": ["一般"]}) == "连续 2 年为一般"
    assert describe("top_n", {}) == "参数不全"
