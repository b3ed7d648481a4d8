"""A scenario written as a workbook reads back as the same scenario, and a workbook as the same workbook."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.workbook import normalise, read_workbook, write_workbook

from .helpers import VECTORS, make_workbook, vector_scenario

FULL: dict[str, Any] = {
    "units": [
        {"id": "U01", "name": "射洪市", "domain": "county", "category": "平原", "leadership_excellent": True},
        {"id": "U02", "name": "大英县", "domain": "county", "category": "平原", "leadership_excellent": False},
        {"id": "P1", "name": "高新区", "domain": "park", "category": ""},
    ],
    "indicators": [
        {"id": "A", "name": "高质量发展绩效", "points": 80, "line": "main"},
        {
            "id": "A1", "parent": "A", "name": "地区生产总值增速", "points": 10, "method": "completion",
            "direction": "higher", "params": {"cap": 1.2, "floor": 0.5},
            "applies_to": {"domains": ["county"], "categories": ["平原"], "units": ["U01", "U02"], "exclude_units": ["P1"]},
            "lead_unit": "统计局", "responsible": "张三",
        },
        {
            "id": "A2", "parent": "A", "name": "万元GDP能耗", "points": 6.5, "method": "threshold", "direction": "lower",
            "params": {"bands": [[0.5, 1], [0.8, 0.6]], "basis": "value", "missing": "zero"},
        },
        {
            "id": "A3", "parent": "A", "name": "经济增长", "points": 8, "method": "growth_rank",
            "params": {"weights": {"increment": 0.4, "growth": 0.3, "gap": 0.3}, "peer": "all"},
        },
        {"id": "B", "name": "评议", "line": "main"},
        {"id": "B1", "parent": "B", "name": "领导评议", "points": 5, "method": "rating", "params": {"groups": ["leaders"], "trim_min": 3}},
        {"id": "C1", "parent": "B", "name": "群众满意度", "points": 5, "method": "satisfaction", "params": {"min_responses": 30}},
        {"id": "N", "name": "共性工作", "line": "bonus"},
        {"id": "N1", "parent": "N", "name": "党建", "points": 3, "method": "manual", "params": {"note": "text with spaces; and =signs"}},
    ],
    "values": [
        {"unit": "U01", "indicator": "A1", "actual": 6.3, "target": 6.0, "baseline": 5.8},
        {"unit": "U02", "indicator": "A1", "actual": 5.1, "target": 6},
        {"unit": "U01", "indicator": "A2", "actual": 0.45},
        {"unit": "U01", "indicator": "N1", "actual": 2.5},
    ],
    "rater_groups": [{"id": "leaders", "name": "领导评议", "weight": 0.4}, {"id": "peers", "name": "单位互评", "weight": 0.6}],
    "ratings": [
        {"indicator": "B1", "unit": "U01", "group": "leaders", "rater": "R07", "score": 92},
        {"indicator": "B1", "unit": "U02", "group": "peers", "rater": "1001", "score": 88.5},
    ],
    "responses": [
        {"indicator": "C1", "unit": "U01", "choice": "很满意", "count": 1250},
        {"indicator": "C1", "unit": "U01", "choice": "不满意", "count": 3},
    ],
    "adjustments": [
        {"unit": "U01", "kind": "bonus", "points": 1.5, "reason": "省级改革试点"},
        {"unit": "U02", "kind": "deduction", "points": 0.5},
        {"unit": "P1", "kind": "veto", "reason": "安全生产一票否决"},
    ],
    "settings": {
        "bonus_cap": 5,
        "deduction_cap": None,
        "bonus_line_in_total": False,
        "rank_by": "domain",
        "choices": {"很满意": 100, "满意": 90, "不满意": 0},
        "grades": [
            {"name": "一等次", "top_share": 0.3, "min_total": 90},
            {"name": "二等次", "rest": True},
            {"name": "三等次", "bottom_share": 0.1, "below_total": 60},
        ],
        "grade_scope": "group",
        "advanced": {"grade": "一等次", "requires_leadership_excellent": True},
    },
}


def round_trip(scenario: dict[str, Any], path: Path) -> dict[str, Any]:
    write_workbook(scenario, path)
    return read_workbook(path)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda p: p.stem)
def test_every_vector_scenario_reads_back_from_its_workbook(vector: Path, tmp_path: Path) -> None:
    scenario = vector_scenario(vector)
    assert round_trip(scenario, tmp_path / "v.xlsx") == normalise(scenario)


def test_a_scenario_using_every_column_and_setting_reads_back_exactly(tmp_path: Path) -> None:
    got = round_trip(FULL, tmp_path / "full.xlsx")
    assert got == normalise(FULL)
    # normalise only fills in what the workbook cannot tell apart from a default
    assert got["adjustments"][2]["points"] == 0
    assert "deduction_cap" not in got["settings"]
    assert got["settings"]["advanced"] == {"grade": "一等次", "requires_leadership_excellent": True}


def test_a_clerks_workbook_gives_the_same_scenario_after_a_trip_through_json(tmp_path: Path) -> None:
    clerk = make_workbook(
        tmp_path / "clerk.xlsx",
        {
            "单位 units": [
                ["2024 年度考核对象"],
                ["编号 id", "名称(name)", "DOMAIN", "类别", "领导班子优秀", "#备注"],
                ["U01", "射洪市", "county", "平原", "是", "试点县"],
                [1002, "大英县", "county", None, "FALSE"],
                [],
                ["  U03 ", "蓬溪县", "county", "", 1],
            ],
            "指标": [
                ["编号", "上级", "名称", "分值", "主线/加分线", "计分方法", "方向", "参数", "适用领域", "排除单位"],
                ["A", None, "高质量发展", "80", "主线"],
                ["A1", "A", "GDP", 10, None, "完成率法 completion", "越高越好", "cap=1.2；floor=0.5", "county、park", "U03"],
                ["A2", "A", "能耗", 10, None, "threshold", "lower", "bands=[[0, 1], [2, 0.5]], peer=all"],
            ],
            "数据": [
                ["单位", "指标", "实际值 actual", "目标值(target)"],
                ["U01", "A1", 6.3, "6"],
                ["1002", "A1", "1,250", 6],
                ["U03", "A2", 5, None],
            ],
            "设置": [["项目", "值"], ["加分上限", 5], ["rank_by", "领域"]],
        },
        minimal=False,
    )
    first = read_workbook(clerk)
    assert first["units"][1] == {
        "id": "1002", "name": "大英县", "domain": "county", "category": "", "leadership_excellent": False,
    }
    assert first["indicators"][1]["params"] == {"cap": 1.2, "floor": 0.5}
    assert first["indicators"][1]["applies_to"] == {"domains": ["county", "park"], "exclude_units": ["U03"]}
    assert first["values"][1] == {"unit": "1002", "indicator": "A1", "actual": 1250, "target": 6}
    assert first["settings"] == {"bonus_cap": 5, "rank_by": "domain"}

    as_json = json.loads(json.dumps(first, ensure_ascii=False))
    assert round_trip(as_json, tmp_path / "again.xlsx") == first


def test_a_workbook_is_read_from_bytes_and_from_an_open_file_too(tmp_path: Path) -> None:
    path = tmp_path / "full.xlsx"
    write_workbook(FULL, path)
    data = path.read_bytes()
    assert read_workbook(data) == read_workbook(path) == read_workbook(io.BytesIO(data))


def test_a_workbook_is_written_to_an_open_file_as_well(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_workbook(FULL, buffer)
    assert read_workbook(buffer.getvalue()) == normalise(FULL)


def test_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    scenario = {
        "units": [{"id": "U1", "name": "=HYPERLINK(\"x\")", "domain": "county", "category": "+1"}],
        "indicators": [{"id": "A", "name": "=1+1"}],
    }
    got = round_trip(scenario, tmp_path / "f.xlsx")
    assert got["units"][0]["name"] == "=HYPERLINK(\"x\")"
    assert got["indicators"][0]["name"] == "=1+1"


def test_writing_refuses_keys_the_workbook_has_no_column_for(tmp_path: Path) -> None:
    scenario = {"units": [{"id": "U1", "name": "甲", "domain": "county", "colour": "red"}], "indicators": []}
    with pytest.raises(ValueError, match=r"units\[0\]\.colour"):
        write_workbook(scenario, tmp_path / "x.xlsx")


# Text that survives a cell as it is: no list separators, no characters Excel refuses, and
# no surrounding spaces (the reader strips them, as normalise() does).
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=12).filter(
    lambda s: not any(c in s for c in "、,，;；\n")
)
_number = st.one_of(
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
)
_params = st.dictionaries(
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
    st.one_of(_number, st.booleans(), _text, st.lists(st.lists(_number, max_size=2), max_size=3)),
    max_size=3,
)


@st.composite
def _scenarios(draw: st.DrawFn) -> dict[str, Any]:
    unit_ids = draw(st.lists(_text, min_size=1, max_size=4, unique=True))
    units = [{"id": u, "name": draw(_text), "domain": draw(_text), "category": draw(st.one_of(st.just(""), _text))} for u in unit_ids]
    indicators: list[dict[str, Any]] = [{"id": "ROOT", "name": draw(_text), "line": draw(st.sampled_from(["main", "bonus"]))}]
    for n in range(draw(st.integers(0, 3))):
        leaf: dict[str, Any] = {"id": f"L{n}", "parent": "ROOT", "name": draw(_text), "points": draw(_number), "method": "manual"}
        params = draw(_params)
        if params:
            leaf["params"] = params
        if draw(st.booleans()):
            leaf["applies_to"] = {"units": draw(st.lists(st.sampled_from(unit_ids), min_size=1, max_size=2))}
        indicators.append(leaf)
    values = [
        {"unit": draw(st.sampled_from(unit_ids)), "indicator": ind["id"], "actual": draw(_number)}
        for ind in indicators[1:]
    ]
    return {"units": units, "indicators": indicators, "values": values}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=_scenarios())
def test_any_text_numbers_and_params_survive_the_workbook(scenario: dict[str, Any], tmp_path: Path) -> None:
    assert round_trip(scenario, tmp_path / "h.xlsx") == normalise(scenario)
