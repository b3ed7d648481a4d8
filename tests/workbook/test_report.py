"""The results workbook: a ranking sheet per ranking group, every node's score, the warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kaohe.workbook import write_report

SCENARIO: dict[str, Any] = {
    "units": [
        {"id": "U1", "name": "甲县", "domain": "county", "category": "plain"},
        {"id": "U2", "name": "=乙县", "domain": "county", "category": "plain"},
        {"id": "P1", "name": "高新区", "domain": "park", "category": ""},
    ],
    "indicators": [
        {"id": "A", "name": "高质量发展", "line": "main"},
        {"id": "A1", "parent": "A", "name": "GDP", "points": 10, "method": "completion"},
        {"id": "A2", "parent": "A", "name": "园区营收", "points": 5.5, "method": "completion"},
        {"id": "N", "name": "共性工作", "line": "bonus", "points": 5},
        {"id": "N1", "parent": "N", "name": "党建", "points": 5, "method": "manual"},
    ],
    "settings": {"rank_by": "group"},
}


def node(indicator: str, score: float | None, points: float | None, lost: float | None) -> dict[str, Any]:
    applicable = score is not None
    return {"indicator": indicator, "score": score, "points": points, "lost": lost, "applicable": applicable, "explain": ""}


def unit(unit_id: str, group: str, total: float, rank: int, scores: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    row = {
        "unit": unit_id, "group": group, "main": total, "bonus_line": 3.0, "bonus": 0.0, "deduction": 0.0,
        "total": total, "rank": rank, "group_size": 2, "grade": None, "vetoed": False, "advanced": False, "scores": scores,
    }
    return {**row, **extra}


RESULTS: dict[str, Any] = {
    "units": [
        unit("U1", "county/plain", 8.5, 2, [node("A", 8.5, 10, 1.5), node("A1", 8.5, 10, 1.5), node("A2", None, None, None),
                                           node("N", 3, 5, 2), node("N1", 3, 5, 2)]),
        unit("U2", "county/plain", 9.75, 1, [node("A", 9.75, 10, 0.25), node("A1", 9.75, 10, 0.25), node("A2", None, None, None),
                                            node("N", 3, 5, 2), node("N1", 3, 5, 2)],
             grade="一等次", advanced=True, bonus=1.5),
        unit("P1", "park", 5.0, 1, [node("A", 5.0, 5.5, 0.5), node("A1", None, None, None), node("A2", 5.0, 5.5, 0.5),
                                   node("N", 0, 5, 5), node("N1", 0, 5, 5)], vetoed=True, group_size=1),
    ],
    "warnings": [
        {"code": "points_mismatch", "unit": None, "indicator": "A", "message": "指标 A 的分值与子指标之和不符"},
        {"code": "missing_value", "unit": "U1", "indicator": "A1", "message": "缺数据，按 0 分计"},
    ],
}


@pytest.fixture
def report(tmp_path: Path) -> Any:
    path = tmp_path / "report.xlsx"
    write_report(SCENARIO, RESULTS, path)
    return load_workbook(path)


def values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_the_report_has_a_ranking_sheet_per_group_then_details_and_warnings(report: Any) -> None:
    assert report.sheetnames == ["排名-county-plain", "排名-park", "得分明细", "警告"]


def test_a_ranking_sheet_lists_units_by_rank_with_totals_grades_and_points_lost(report: Any) -> None:
    rows = values(report["排名-county-plain"])
    assert rows[0] == ["名次", "单位编号", "单位名称", "总分", "主线得分", "加分", "扣分", "1+N加分线", "等次", "先进单位", "一票否决", "失分"]
    assert rows[1] == [1, "U2", "=乙县", 9.75, 9.75, 1.5, 0, 3, "一等次", "是", "否", 0.25]
    assert rows[2] == [2, "U1", "甲县", 8.5, 8.5, 0, 0, 3, None, "否", "否", 1.5]
    assert report["排名-county-plain"]["D2"].number_format == "0.00"
    assert report["排名-county-plain"]["C2"].data_type == "s"  # a name starting with = is no formula


def test_a_vetoed_unit_is_marked_in_its_ranking(report: Any) -> None:
    assert values(report["排名-park"])[1][:4] == [1, "P1", "高新区", 5] and values(report["排名-park"])[1][10] == "是"


def test_the_score_sheet_has_every_node_as_a_column_and_blanks_where_it_does_not_apply(report: Any) -> None:
    rows = values(report["得分明细"])
    assert rows[0] == ["单位编号", "单位名称", "分组", "总分", "A 高质量发展（15.5分）", "A1 GDP（10分）", "A2 园区营收（5.5分）",
                       "N 共性工作（5分）", "N1 党建（5分）"]
    assert rows[1] == ["U1", "甲县", "county/plain", 8.5, 8.5, 8.5, None, 3, 3]
    assert rows[3] == ["P1", "高新区", "park", 5, 5, None, 5, 0, 0]
    assert report["得分明细"]["E2"].number_format == "0.00"


def test_the_warnings_sheet_lists_every_warning(report: Any) -> None:
    assert values(report["警告"]) == [
        ["代码", "单位", "指标", "说明"],
        ["points_mismatch", None, "A", "指标 A 的分值与子指标之和不符"],
        ["missing_value", "U1", "A1", "缺数据，按 0 分计"],
    ]


def test_ranking_by_domain_gives_one_sheet_per_domain(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_report({**SCENARIO, "settings": {"rank_by": "domain"}}, RESULTS, path)
    assert load_workbook(path).sheetnames == ["排名-county", "排名-park", "得分明细", "警告"]


def test_sheet_names_stay_valid_and_distinct_whatever_the_groups_are_called(tmp_path: Path) -> None:
    long = "很长的领域名称" * 6
    units = [{"id": f"U{i}", "name": f"单位{i}", "domain": d, "category": c}
             for i, (d, c) in enumerate([(long, "a"), (long, "b"), ("x[1]", "y:z*?"), ("得分明细", "")])]
    results = {"units": [unit(u["id"], f"{u['domain']}/{u['category']}".rstrip("/"), 1.0, 1, []) for u in units], "warnings": []}
    path = tmp_path / "r.xlsx"
    write_report({"units": units, "indicators": []}, results, path)
    names = load_workbook(path).sheetnames
    assert len(names) == len({n.lower() for n in names}) == 6
    assert all(len(n) <= 31 and not any(c in n for c in "[]:*?/\\") for n in names)
    assert names[2] == "排名-x-1--y-z--"
