"""What a clerk may type and still get the scenario meant: headers, labels, yes/no, lists, params, settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaohe.workbook import read_workbook

from .helpers import INDICATORS, UNITS, make_workbook


@pytest.mark.parametrize("header", ["实际值", "actual", "ACTUAL", "实际值 actual", "实际值(actual)", "实际值（actual）", "actual 实际值"])
def test_a_header_may_be_chinese_english_or_both(tmp_path: Path, header: str) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", header], ["U1", "A1", 9]]})
    assert read_workbook(path)["values"] == [{"unit": "U1", "indicator": "A1", "actual": 9}]


def test_sheets_may_be_named_in_english_and_optional_ones_left_out(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"units": UNITS, "Indicators 指标": INDICATORS}, minimal=False)
    scenario = read_workbook(path)
    assert [u["id"] for u in scenario["units"]] == ["U1", "U2"]
    assert scenario["values"] == scenario["ratings"] == scenario["adjustments"] == []
    assert scenario["settings"] == {}


def test_title_rows_blank_rows_note_columns_and_merged_cells_are_handled(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "数据": [
                ["2024 年度考核数据"],
                [],
                ["单位", "指标", "实际值", "#来源", "备注"],
                ["U1", "A1", 9, "统计局", "初报"],
                [],
                ["U2", "A1", 8],
                [None, "A1", 7],
            ]
        },
    )
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["数据"].merge_cells("A6:A7")
    book.save(path)
    assert read_workbook(path)["values"] == [
        {"unit": "U1", "indicator": "A1", "actual": 9},
        {"unit": "U2", "indicator": "A1", "actual": 8},
        {"unit": "U2", "indicator": "A1", "actual": 7},
    ]


def test_ids_typed_as_numbers_and_numbers_typed_as_text_are_understood(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "单位": [*UNITS, [1003, "丙县", "county", ""]],
            "数据": [["单位", "指标", "实际值", "目标值", "基期值"], ["1003", "A1", " 1,250.5 ", "６", 7.0]],
        },
    )
    scenario = read_workbook(path)
    assert scenario["units"][2]["id"] == "1003"
    assert scenario["values"] == [{"unit": "1003", "indicator": "A1", "actual": 1250.5, "target": 6, "baseline": 7}]
    assert type(scenario["values"][0]["baseline"]) is int


@pytest.mark.parametrize(("cell", "expected"), [("是", True), ("否", False), ("TRUE", True), (False, False), (1, True), ("0", False)])
def test_yes_no_cells_accept_the_usual_forms(tmp_path: Path, cell: object, expected: bool) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"单位": [UNITS[0] + ["领导班子优秀"], UNITS[1] + [cell]]})
    assert read_workbook(path)["units"][0]["leadership_excellent"] is expected


def test_enumerated_cells_take_the_chinese_label_or_the_english_key(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "指标": [
                ["编号", "上级", "名称", "分值", "主线/加分线", "计分方法", "方向"],
                ["A", None, "考卷", None, "主线"],
                ["N", None, "共性", None, "1+N加分线"],
                ["A1", "A", "甲", 5, None, "增量/增速/差值排位法", "越低越好"],
                ["A2", "A", "乙", 5, None, "External_Rank", "higher"],
                ["N1", "N", "丙", 5, None, "满意度测评 satisfaction", None],
            ],
            "加减分": [["单位", "类型", "分值"], ["U1", "扣分", 0.5], ["U2", "veto", None]],
        },
    )
    scenario = read_workbook(path)
    got = [(i["id"], i.get("line"), i.get("method"), i.get("direction")) for i in scenario["indicators"]]
    assert got == [
        ("A", "main", None, None),
        ("N", "bonus", None, None),
        ("A1", None, "growth_rank", "lower"),
        ("A2", None, "external_rank", "higher"),
        ("N1", None, "satisfaction", None),
    ]
    assert scenario["adjustments"] == [
        {"unit": "U1", "kind": "deduction", "points": 0.5},
        {"unit": "U2", "kind": "veto", "points": 0},
    ]


@pytest.mark.parametrize(
    ("cell", "params"),
    [
        ('{"cap": 1.2, "floor": 0.5}', {"cap": 1.2, "floor": 0.5}),
        ("cap=1.2; floor=0.5", {"cap": 1.2, "floor": 0.5}),
        ("cap＝1.2；floor：0.5", {"cap": 1.2, "floor": 0.5}),
        ("bands=[[90, 1.0], [75, 0.8]], basis=rate", {"bands": [[90, 1], [75, 0.8]], "basis": "rate"}),
        ("peer=all\nmissing=zero", {"peer": "all", "missing": "zero"}),
        ('weights={"increment": 0.5, "growth": 0.25, "gap": 0.25}', {"weights": {"increment": 0.5, "growth": 0.25, "gap": 0.25}}),
        ('groups=["leaders", "peers"]; trim_min=5', {"groups": ["leaders", "peers"], "trim_min": 5}),
        ('label="1"; flag=true', {"label": "1", "flag": True}),
        ("；", None),
    ],
)
def test_params_may_be_json_or_name_value_pairs(tmp_path: Path, cell: str, params: dict | None) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"指标": [INDICATORS[0] + ["参数"], INDICATORS[1], INDICATORS[2] + [cell]]})
    assert read_workbook(path)["indicators"][1].get("params") == params


def test_applies_to_lists_take_several_separators_and_blank_ones_are_left_out(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "指标": [
                INDICATORS[0] + ["适用领域", "适用类别", "适用单位", "排除单位"],
                INDICATORS[1] + [None, None, None, None],
                INDICATORS[2] + ["county、park, dept；township", None, "U1\nU2", None],
            ]
        },
    )
    root, leaf = read_workbook(path)["indicators"]
    assert "applies_to" not in root
    assert leaf["applies_to"] == {"domains": ["county", "park", "dept", "township"], "units": ["U1", "U2"]}


def test_grades_choices_and_settings_come_from_their_sheets(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "满意度选项": [["选项", "分值"], ["满意", 100], ["不满意", 0]],
            "等次": [
                ["名称", "前比例", "最低分", "其余", "后比例", "低于分"],
                ["一等次", 0.3, 90, None, None, None],
                ["二等次", None, None, "是", None, None],
                ["三等次", None, None, None, 0.1, 60],
            ],
            "设置": [
                ["项目", "值", "说明"],
                ["加分上限(bonus_cap)", 5, "创新创优"],
                ["扣分上限", "不封顶"],
                ["bonus_line_in_total", "否"],
                ["排名分组", "领域+类别"],
                ["grade_scope", "domain"],
                ["先进单位等次", "一等次"],
                ["先进单位须领导班子优秀", "是"],
            ],
        },
    )
    assert read_workbook(path)["settings"] == {
        "bonus_cap": 5,
        "bonus_line_in_total": False,
        "rank_by": "group",
        "choices": {"满意": 100, "不满意": 0},
        "grades": [
            {"name": "一等次", "top_share": 0.3, "min_total": 90},
            {"name": "二等次", "rest": True},
            {"name": "三等次", "bottom_share": 0.1, "below_total": 60},
        ],
        "grade_scope": "domain",
        "advanced": {"grade": "一等次", "requires_leadership_excellent": True},
    }


def test_grades_choices_and_advanced_may_also_be_json_settings(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "设置": [
                ["项目", "值"],
                ["grades", '[{"name": "优", "top_share": 0.2}, {"name": "良", "rest": true}]'],
                ["choices", '{"yes": 100, "no": 0}'],
                ["advanced", '{"grade": "优"}'],
            ]
        },
    )
    assert read_workbook(path)["settings"] == {
        "grades": [{"name": "优", "top_share": 0.2}, {"name": "良", "rest": True}],
        "choices": {"yes": 100, "no": 0},
        "advanced": {"grade": "优"},
    }


def test_survey_answers_may_use_the_chinese_words_of_the_default_choices(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {"满意度": [["指标", "单位", "选项", "人数"], ["A1", "U1", "满意", 900], ["A1", "U1", "比较满意", 80], ["A1", "U1", "unsatisfied", 20]]},
    )
    assert [r["choice"] for r in read_workbook(path)["responses"]] == ["satisfied", "fairly_satisfied", "unsatisfied"]


def test_custom_choices_are_kept_as_typed(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "满意度选项": [["选项", "分值"], ["满意", 100], ["不满意", 0]],
            "满意度": [["指标", "单位", "选项", "人数"], ["A1", "U1", "满意", 9]],
        },
    )
    assert read_workbook(path)["responses"][0]["choice"] == "满意"
