"""A broken workbook is refused with every problem named by sheet, row and column; nothing is returned."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kaohe.workbook import WorkbookInvalid, WorkbookProblem, read_workbook, write_workbook

from .helpers import INDICATORS, UNITS, Rows, make_workbook, problems_of


def only(problems: list[WorkbookProblem]) -> WorkbookProblem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_text_in_a_number_column_names_the_sheet_row_and_column(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {"数据": [["单位", "指标", "实际值", "目标值"], ["U1", "A1", 9, 10], [], ["U2", "A1", 8, 10], ["U2", "A1", "abc", 10]]},
    )
    problem = only(problems_of(path))
    assert problem == WorkbookProblem("数据", 5, "实际值(actual)", "应为数字，实为“abc”")
    assert str(problem) == "数据 第5行 实际值(actual): 应为数字，实为“abc”"


def test_a_percentage_typed_as_text_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", "实际值"], ["U1", "A1", "95%"]]})
    assert "百分数" in only(problems_of(path)).message


def test_an_unknown_header_is_named_with_its_column_letter_and_text(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", "实际", "目标值"], ["U1", "A1", 9, 10]]})
    problem = only(problems_of(path))
    assert (problem.sheet, problem.row, problem.column) == ("数据", 1, "C")
    assert "“实际”" in problem.message and "实际值(actual)" in problem.message
    assert str(problem).startswith("数据 第1行 C列: 未知列名“实际”")


def test_a_missing_required_column_is_reported(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "实际值"], ["U1", 9]]})
    problem = only(problems_of(path))
    assert (problem.sheet, problem.row) == ("数据", 1)
    assert "缺少必填列 指标(indicator)" in problem.message


def test_the_same_column_twice_is_reported(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", "实际值", "actual"], ["U1", "A1", 9, 9]]})
    problem = only(problems_of(path))
    assert (problem.row, problem.column) == (1, "D") and "与 C 列重复" in problem.message


def test_data_under_a_blank_header_is_reported(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", None], ["U1", "A1", None], ["U2", "A1", 7]]})
    problem = only(problems_of(path))
    assert (problem.row, problem.column) == (3, "C")


def test_a_reference_to_an_unknown_unit_is_reported(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", "实际值"], ["U1", "A1", 9], ["U9", "A1", 9]]})
    assert only(problems_of(path)) == WorkbookProblem("数据", 3, "单位(unit)", "未知单位“U9”（“单位”表中没有此编号）")


def test_references_to_unknown_indicators_parents_and_rater_groups_are_reported(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "指标": [*INDICATORS, ["A2", "X", "无上级", 5, "manual"]],
            "评议组": [["编号", "名称", "权重"], ["leaders", "领导", 0.4]],
            "评议": [["指标", "单位", "评议组", "评分人", "分数"], ["A9", "U1", "leaders", "R1", 90], ["A1", "U1", "peers", "R1", 90]],
        },
    )
    found = {(p.sheet, p.row, p.column) for p in problems_of(path)}
    assert found == {("指标", 4, "上级(parent)"), ("评议", 2, "指标(indicator)"), ("评议", 3, "评议组(group)")}


def test_rater_groups_referred_to_without_a_rater_group_sheet_are_reported_once(tmp_path: Path) -> None:
    rows = [["指标", "单位", "评议组", "评分人", "分数"]] + [["A1", "U1", "g", f"R{i}", 90] for i in range(5)]
    problem = only(problems_of(make_workbook(tmp_path / "x.xlsx", {"评议": rows})))
    assert (problem.sheet, problem.row, problem.column) == ("评议", 2, "评议组(group)")


def test_unknown_units_in_applies_to_are_reported(tmp_path: Path) -> None:
    indicators = [INDICATORS[0] + ["排除单位"], INDICATORS[1], INDICATORS[2] + ["U1、U7"]]
    problem = only(problems_of(make_workbook(tmp_path / "x.xlsx", {"指标": indicators})))
    assert (problem.row, problem.column) == (3, "排除单位(exclude_units)") and "U7" in problem.message


@pytest.mark.parametrize(
    ("sheet", "rows", "row"),
    [
        ("单位", [*UNITS, ["U1", "丙县", "county", ""]], 4),
        ("指标", [*INDICATORS, ["A1", "A", "重复", 5, "manual"]], 4),
        ("评议组", [["编号", "名称", "权重"], ["g", "甲", 0.5], ["h", "乙", 0.2], ["g", "丙", 0.3]], 4),
    ],
)
def test_a_duplicate_id_is_reported_on_its_second_row(tmp_path: Path, sheet: str, rows: Rows, row: int) -> None:
    problem = only(problems_of(make_workbook(tmp_path / "x.xlsx", {sheet: rows})))
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, "编号(id)")
    assert "重复" in problem.message


def test_an_unknown_method_lists_the_accepted_ones(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"指标": [*INDICATORS, ["A2", "A", "新", 5, "打分法"]]})
    problem = only(problems_of(path))
    assert (problem.sheet, problem.row, problem.column) == ("指标", 4, "计分方法(method)")
    assert "未知计分方法“打分法”" in problem.message and "完成率法(completion)" in problem.message


@pytest.mark.parametrize(
    ("header", "value", "words"),
    [("方向", "越大越好", "未知方向"), ("主线/加分线", "副线", "未知主线/加分线")],
)
def test_an_unknown_direction_or_line_is_reported(tmp_path: Path, header: str, value: str, words: str) -> None:
    indicators = [INDICATORS[0] + [header], INDICATORS[1] + [value], INDICATORS[2]]
    assert words in only(problems_of(make_workbook(tmp_path / "x.xlsx", {"指标": indicators}))).message


def test_an_unknown_adjustment_kind_and_a_missing_bonus_points_are_reported(tmp_path: Path) -> None:
    rows: Rows = [["单位", "类型", "分值"], ["U1", "奖励", 1], ["U1", "加分", None], ["U2", "一票否决", None]]
    problems = problems_of(make_workbook(tmp_path / "x.xlsx", {"加减分": rows}))
    assert [(p.row, p.column) for p in problems] == [(2, "类型(kind)"), (3, "分值(points)")]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ('{"cap": 1.2,}', "不是合法的 JSON"),
        ("[1, 2]", "参数写法有误"),
        ("cap 1.2", "参数写法有误"),
        ("bands=[[90, 1], [75, 0.8]", "bands 的值不是合法的 JSON"),
        ("cap=1.2; cap=1.3", "写了两次"),
        ("cap=", "没有值"),
    ],
)
def test_bad_params_are_reported_with_how_to_write_them(tmp_path: Path, params: str, words: str) -> None:
    indicators = [INDICATORS[0] + ["参数"], INDICATORS[1], INDICATORS[2] + [params]]
    problem = only(problems_of(make_workbook(tmp_path / "x.xlsx", {"指标": indicators})))
    assert (problem.sheet, problem.row, problem.column) == ("指标", 3, "参数(params)")
    assert words in problem.message


def test_a_blank_required_cell_is_reported(tmp_path: Path) -> None:
    problem = only(problems_of(make_workbook(tmp_path / "x.xlsx", {"单位": [*UNITS, ["U3", None, "county"]]})))
    assert problem == WorkbookProblem("单位", 4, "名称(name)", "必填，不能为空")


def test_every_problem_is_reported_at_once_in_sheet_and_row_order(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "单位": [UNITS[0] + ["领导班子优秀"], *UNITS[1:], ["U1", "重复", "county"], ["U4", "是非", "county", "", "也许"]],
            "指标": [*INDICATORS, ["A2", "A", "x", "十", "完成率"]],
            "数据": [["单位", "指标", "实际值"], ["U1", "A1", "n/a"], ["U8", "A9", 1]],
            "设置": [["项目", "值"], ["加分上限", "五"], ["颜色", "红"]],
        },
    )
    got = [(p.sheet, p.row, p.column) for p in problems_of(path)]
    assert got == [
        ("单位", 4, "编号(id)"),
        ("单位", 5, "领导班子优秀(leadership_excellent)"),
        ("指标", 4, "分值(points)"),
        ("数据", 2, "实际值(actual)"),
        ("数据", 3, "单位(unit)"),
        ("数据", 3, "指标(indicator)"),
        ("设置", 2, "值(value)"),
        ("设置", 3, "项目(key)"),
    ]


def test_nothing_is_returned_when_there_is_a_problem(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"数据": [["单位", "指标", "实际值"], ["U9", "A1", 1]]})
    result = None
    with pytest.raises(WorkbookInvalid) as caught:
        result = read_workbook(path)
    assert result is None
    assert "1 个问题" in str(caught.value)


def test_a_missing_units_sheet_is_reported(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"指标": INDICATORS}, minimal=False)
    assert only(problems_of(path)) == WorkbookProblem("单位", None, None, "缺少工作表“单位”(units)")


def test_an_unknown_sheet_with_data_is_reported_but_empty_and_note_sheets_are_not(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "x.xlsx", {"Sheet1": [], "#草稿": [["随便"]], "说明": [["帮助"]], "数据表": [["单位"], ["U1"]]})
    problem = only(problems_of(path))
    assert problem.sheet == "数据表" and "未知工作表" in problem.message


def test_the_advanced_grade_must_be_one_of_the_grades(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "等次": [["名称", "前比例", "其余"], ["优秀", 0.3, None], ["合格", None, "是"]],
            "设置": [["项目", "值"], ["先进单位等次", "一等次"]],
        },
    )
    problem = only(problems_of(path))
    assert (problem.sheet, problem.row, problem.column) == ("设置", 2, "值(value)")
    assert "优秀、合格" in problem.message


def test_grades_given_both_as_a_sheet_and_as_json_are_reported(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "等次": [["名称", "其余"], ["合格", "是"]],
            "设置": [["项目", "值"], ["grades", '[{"name": "合格", "rest": true}]']],
        },
    )
    assert "只能填一处" in only(problems_of(path)).message


def test_duplicate_grades_choices_and_settings_are_reported(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "x.xlsx",
        {
            "等次": [["名称", "其余"], ["合格", "是"], ["合格", None]],
            "满意度选项": [["选项", "分值"], ["满意", 100], ["满意", 90]],
            "设置": [["项目", "值"], ["加分上限", 3], ["bonus_cap", 4]],
        },
    )
    assert {(p.sheet, p.row) for p in problems_of(path)} == {("等次", 3), ("满意度选项", 3), ("设置", 3)}


def _zip(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in names.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "文件是空的"),
        ("单位,指标,实际值\nU1,A1,9\n".encode(), "文本文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Excel"),
        (_zip({"content.xml": "<x/>", "mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "ODS"),
        (_zip({"readme.txt": "hello"}), "zip 压缩包"),
        (b"PK\x03\x04 broken beyond repair", "已损坏"),
        (bytes(range(256)) * 4, "不是 Excel 工作簿"),
    ],
    ids=["empty", "csv", "xls", "ods", "zip", "damaged", "binary"],
)
def test_a_file_that_is_not_an_xlsx_is_refused_with_a_clear_problem(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "upload.xlsx"  # the name says xlsx: the content decides
    path.write_bytes(content)
    for source in (path, content):
        problem = only(problems_of(source))
        assert (problem.sheet, problem.row, problem.column) == ("", None, None)
        assert words in problem.message
        assert str(problem) == problem.message


def test_a_zip_with_a_broken_workbook_inside_is_refused_not_raised(tmp_path: Path) -> None:
    content = _zip({"xl/workbook.xml": "<not really", "[Content_Types].xml": "<Types/>"})
    problem = only(problems_of(content))
    assert problem.sheet == "" and "无法读取工作簿" in problem.message


def test_an_xlsx_calamine_refuses_is_read_with_openpyxl_instead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    path = tmp_path / "ok.xlsx"
    write_workbook({"units": [{"id": "U1", "name": "甲", "domain": "county"}], "indicators": []}, path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise python_calamine.CalamineError("pretend calamine cannot read this")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)
    assert read_workbook(path)["units"] == [{"id": "U1", "name": "甲", "domain": "county", "category": ""}]
