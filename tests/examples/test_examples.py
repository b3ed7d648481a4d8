"""The example scenarios: each computes, its workbook reads back as its JSON, and the documents' numbers hold."""

from __future__ import annotations

import importlib.util
import json
import math
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kaohe.engine import compute
from kaohe.workbook import normalise, read_workbook

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ["province", "qingshen_county", "dazhou_dispatched", "suining_city"]


@cache
def scenario(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@cache
def result(name: str) -> dict[str, Any]:
    return compute(scenario(name)).to_dict()


@cache
def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("examples_build", EXAMPLES / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def by_unit(name: str) -> dict[str, dict[str, Any]]:
    return {row["unit"]: row for row in result(name)["units"]}


def node_score(row: dict[str, Any], indicator: str) -> dict[str, Any]:
    return next(s for s in row["scores"] if s["indicator"] == indicator)


def children(name: str, parent: str) -> list[dict[str, Any]]:
    return [i for i in scenario(name)["indicators"] if i.get("parent") == parent]


# -- every example ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_example_computes_with_every_grade_used(name: str) -> None:
    s, r = scenario(name), result(name)
    assert [row["unit"] for row in r["units"]] == [u["id"] for u in s["units"]]
    grades = {g["name"] for g in s["settings"]["grades"]}
    assert {row["grade"] for row in r["units"]} == grades
    for row in r["units"]:
        assert 60 <= row["total"] <= 105, (row["unit"], row["total"])


INTENDED_WARNINGS = {
    "province": {"insufficient_sample"},  # two small departments' surveys fell short
    "qingshen_county": set(),
    "dazhou_dispatched": {"insufficient_sample", "points_mismatch"},  # 100-point sheets in 30/70 papers
    "suining_city": {"insufficient_sample"},
}


@pytest.mark.parametrize("name", NAMES)
def test_example_only_warns_where_intended(name: str) -> None:
    assert {w["code"] for w in result(name)["warnings"]} == INTENDED_WARNINGS[name]


@pytest.mark.parametrize("name", NAMES)
def test_example_workbook_reads_back_as_its_json(name: str) -> None:
    assert read_workbook(EXAMPLES / f"{name}.xlsx") == normalise(scenario(name))


@pytest.mark.parametrize("name", NAMES)
def test_example_json_is_what_build_py_writes(name: str) -> None:
    built = build_module().EXAMPLES[name]()
    assert json.loads(json.dumps(built, ensure_ascii=False)) == scenario(name)


# -- the province (Zhejiang, seed 003) -------------------------------------------------------


def test_province_has_429_units_in_5_domains_with_county_tracks() -> None:
    units = scenario("province")["units"]
    assert len(units) == 429
    domains = Counter(u["domain"] for u in units)
    assert set(domains) == {"county", "dept", "enterprise", "university", "park"}
    assert {u["category"] for u in units if u["domain"] == "county"} == {"设区市", "山区县", "非山区县"}
    assert sum(u["category"] == "山区县" for u in units) == 26


def test_province_has_three_papers_and_about_a_hundred_leaves() -> None:
    indicators = scenario("province")["indicators"]
    roots = [i["name"] for i in indicators if "parent" not in i]
    assert len(roots) == 3
    for paper in ("党的建设", "高质量发展绩效", "满意度评价"):
        assert any(paper in r for r in roots)
    leaves = [i for i in indicators if "method" in i]
    assert 100 <= len(leaves) <= 130
    assert any("exclude_units" in i.get("applies_to", {}) for i in leaves)  # 一单位一策


def test_province_every_unit_answers_three_papers_worth_100() -> None:
    for row in result("province")["units"]:
        roots = [s for s in row["scores"] if s["indicator"] in ("A", "B", "C")]
        assert [s["points"] for s in roots] == [30, 50, 20]


def test_province_grades_bottom_tenth_per_domain_and_advanced_units() -> None:
    s, rows = scenario("province"), result("province")["units"]
    sizes = Counter(u["domain"] for u in s["units"])
    third = sum(row["grade"] == "三等次" for row in rows)
    assert third >= sum(math.floor(0.1 * n) for n in sizes.values())
    advanced = [row for row in rows if row["advanced"]]
    assert 90 <= len(advanced) <= 120  # 104 in the document
    excellent = {u["id"] for u in s["units"] if u.get("leadership_excellent")}
    assert all(row["grade"] == "一等次" and row["unit"] in excellent for row in advanced)


def test_province_city_survey_has_14_8_million_answers_with_over_99_percent_approval() -> None:
    s = scenario("province")
    cities = {u["id"] for u in s["units"] if u["category"] == "设区市"}
    rows = [r for r in s["responses"] if r["indicator"] == "C21" and r["unit"] in cities]
    answers = sum(r["count"] for r in rows)
    assert answers == 14_800_000
    assert sum(r["count"] for r in rows if r["choice"] != "unsatisfied") / answers > 0.99


# -- the Qingshen-style county (seed 000) ----------------------------------------------------


def test_qingshen_key_work_has_23_items_and_special_industry_is_17_percent() -> None:
    key = next(i for i in scenario("qingshen_county")["indicators"] if i["id"] == "K")
    items = children("qingshen_county", "K")
    assert len(items) == 23
    assert math.isclose(sum(i["points"] for i in items), key["points"])
    special = next(i for i in items if "特色产业" in i["name"])
    assert math.isclose(special["points"], 0.17 * key["points"])


def test_qingshen_four_rater_groups_with_trimming() -> None:
    s = scenario("qingshen_county")
    assert len(s["rater_groups"]) == 4
    assert math.isclose(sum(g["weight"] for g in s["rater_groups"]), 1)
    per_group = Counter((r["unit"], r["group"]) for r in s["ratings"])
    assert max(per_group.values()) >= 5
    towns = {u["id"] for u in s["units"] if u["domain"] == "township"}
    rated_by_towns = {r["unit"] for r in s["ratings"] if r["group"] == "townships"}
    assert rated_by_towns and not rated_by_towns & towns  # townships rate departments only


def test_qingshen_bonus_line_is_reported_but_not_in_the_total() -> None:
    assert next(i for i in scenario("qingshen_county")["indicators"] if i["id"] == "N")["line"] == "bonus"
    for row in result("qingshen_county")["units"]:
        assert row["bonus_line"] > 0
        assert math.isclose(row["total"], row["main"] + row["bonus"] - row["deduction"], abs_tol=0.011)


# -- Dazhou dispatched units (seed 001) ------------------------------------------------------


def test_dazhou_sheets_are_30_and_70_points_of_100_point_sheets() -> None:
    roots = {i["id"]: i for i in scenario("dazhou_dispatched")["indicators"] if "parent" not in i}
    assert {k: v["points"] for k, v in roots.items()} == {"DEPT": 30, "TOWN": 70}
    for root in roots:
        assert sum(i["points"] for i in children("dazhou_dispatched", root)) == 100
    mismatched = {w["indicator"] for w in result("dazhou_dispatched")["warnings"] if w["code"] == "points_mismatch"}
    assert mismatched == {"DEPT", "TOWN"}
    for row in result("dazhou_dispatched")["units"]:
        assert node_score(row, "DEPT")["points"] == 30 and node_score(row, "TOWN")["points"] == 70


def test_dazhou_units_are_ranked_within_township_type() -> None:
    groups = {row["group"] for row in result("dazhou_dispatched")["units"]}
    assert groups == {"dispatched/工业主导型", "dispatched/文化旅游型", "dispatched/现代农业型", "dispatched/商贸物流型"}


# -- the Suining-style city (seeds 002/004) --------------------------------------------------


def test_suining_units_are_counties_parks_and_departments() -> None:
    domains = Counter(u["domain"] for u in scenario("suining_city")["units"])
    assert domains["county"] == 10 and 5 <= domains["park"] <= 8 and 30 <= domains["dept"] <= 50


def test_suining_15_differentiated_indicators_for_counties_and_parks() -> None:
    county, park = children("suining_city", "A"), children("suining_city", "B")
    assert len(county) == len(park) == 15
    assert sum(i["points"] for i in county) == sum(i["points"] for i in park) == 60
    assert [i["points"] for i in county] != [i["points"] for i in park]


def test_suining_departments_use_province_rank_with_top_7_as_bar() -> None:
    external = [i for i in scenario("suining_city")["indicators"] if i.get("method") == "external_rank"]
    assert external and all(i["params"]["bar"] == 7 for i in external)
    assert all(i["parent"] == "E" for i in external)


def test_suining_quarterly_indicators_use_growth_rank() -> None:
    quarterly = children("suining_city", "Q")
    assert len(quarterly) >= 10 and all(i["method"] == "growth_rank" for i in quarterly)


def test_suining_adjustments_two_letters_bonus_cap_and_veto() -> None:
    s, rows = scenario("suining_city"), by_unit("suining_city")
    deductions = [a for a in s["adjustments"] if a["kind"] == "deduction"]
    assert deductions and all(a["reason"].startswith("两书一函") for a in deductions)
    assert max(row["bonus"] for row in rows.values()) == s["settings"]["bonus_cap"]
    vetoed = [a["unit"] for a in s["adjustments"] if a["kind"] == "veto"]
    assert len(vetoed) == 1 and rows[vetoed[0]]["vetoed"]
    assert rows[vetoed[0]]["grade"] == s["settings"]["grades"][-1]["name"]


def test_suining_first_unit_is_a_county_with_a_full_report_card() -> None:
    first = scenario("suining_city")["units"][0]
    row = by_unit("suining_city")[first["id"]]
    assert first["domain"] == "county"
    assert row["bonus"] > 0 and row["deduction"] > 0 and row["grade"] is not None
