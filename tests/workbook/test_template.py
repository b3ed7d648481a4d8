"""The blank template opens in Excel's terms: every sheet, bold frozen headers, drop-downs, the 说明 help."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaohe.workbook import read_workbook, write_template, write_workbook

SHEETS = ["说明", "单位", "指标", "数据", "评议组", "评议", "满意度", "加减分", "满意度选项", "等次", "设置"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def drop_downs(ws: Worksheet) -> dict[str, str]:
    """The list each validated range offers, keyed by its first column letter."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_the_template_has_every_sheet_in_order(template: Path) -> None:
    assert load_workbook(template).sheetnames == SHEETS


def test_every_data_sheet_has_a_bold_frozen_header_with_widths_and_notes(template: Path) -> None:
    book = load_workbook(template)
    for name in SHEETS[1:]:
        ws = book[name]
        assert ws.freeze_panes == "A2", name
        assert all(cell.font.bold for cell in ws[1] if cell.value), name
        assert ws.column_dimensions["A"].width >= 10, name
        assert ws["A1"].comment is not None, name
    assert [c.value for c in book["数据"][1]] == ["单位", "指标", "实际值", "目标值", "基期值"]


def test_the_template_offers_drop_downs_for_methods_directions_lines_kinds_and_domains(template: Path) -> None:
    book = load_workbook(template)
    indicators = drop_downs(book["指标"])
    assert "完成率法" in indicators["F"] and "增量/增速/差值排位法" in indicators["F"]
    assert indicators["G"] == '"越高越好,越低越好"'
    assert indicators["E"] == '"主线,1+N加分线"'
    assert "county" in indicators["I"]
    assert drop_downs(book["加减分"])["B"] == '"加分,扣分,一票否决"'
    assert "township" in drop_downs(book["单位"])["C"]


def test_domain_drop_downs_let_the_clerk_type_another_domain(template: Path) -> None:
    book = load_workbook(template)
    domain = next(dv for dv in book["单位"].data_validations.dataValidation if "county" in dv.formula1)
    method = next(dv for dv in book["指标"].data_validations.dataValidation if "完成率法" in dv.formula1)
    assert domain.showErrorMessage is False
    assert method.showErrorMessage is True and method.errorStyle == "warning"


def test_the_help_sheet_explains_every_column_in_chinese_and_english(template: Path) -> None:
    text = "\n".join(str(v) for row in load_workbook(template)["说明"].iter_rows(values_only=True) for v in row if v)
    for words in ("实际值", "actual", "领导班子优秀", "leadership_excellent", "完成率法", "completion", "bands=", "bonus_cap", "一票否决"):
        assert words in text


def test_the_settings_sheet_lists_every_setting_with_a_blank_value(template: Path) -> None:
    rows = list(load_workbook(template)["设置"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows][:2] == ["加分上限(bonus_cap)", "扣分上限(deduction_cap)"]
    assert all(r[1] is None for r in rows)


def test_the_template_reads_as_an_empty_scenario(template: Path) -> None:
    assert read_workbook(template) == {
        "units": [], "indicators": [], "values": [], "rater_groups": [], "ratings": [], "responses": [],
        "adjustments": [], "settings": {},
    }


def test_a_written_workbook_has_the_same_layout_as_the_template(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    write_workbook({"units": [{"id": "U1", "name": "甲", "domain": "county"}], "indicators": []}, path)
    written, blank = load_workbook(path), load_workbook(template)
    assert written.sheetnames == blank.sheetnames
    for name in SHEETS[1:]:
        assert [c.value for c in written[name][1]] == [c.value for c in blank[name][1]]
        assert drop_downs(written[name]) == drop_downs(blank[name])
    assert [c.value for c in written["单位"][2]] == ["U1", "甲", "county", None, None]
