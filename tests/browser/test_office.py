"""The assessment office in a real browser: the cycle, the indicator editor's points warning, a
workbook import into a new cycle."""

from __future__ import annotations

import re
from pathlib import Path

from kaohe.indicators.models import Cycle, Indicator

from .conftest import log_in

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_office_changes_an_indicators_points_and_sees_the_points_warning(demo, page, shoot):
    log_in(page, "office")
    page.get_by_role("link", name=demo.name).click()
    assert page.locator("h1").inner_text().startswith(demo.name)
    shoot(page, "cycle")

    page.get_by_role("link", name="指标体系").first.click()
    assert page.get_by_text("A01 地区生产总值（亿元）").is_visible()
    assert page.locator("tr.table-warning").count() == 0
    a01 = Indicator.objects.get(cycle=demo, code="A01")
    page.locator(f"#n{a01.pk}").get_by_role("link", name="编辑").click()
    assert float(page.locator("#id_points").input_value()) == 8
    page.fill("#id_points", "10")
    page.fill("#id_reason", "演示：调整分值")
    page.get_by_role("button", name="保存").click()

    # The save goes through, and the office is told the paper no longer adds up: 60 ≠ 62.
    assert page.get_by_text("已保存指标 A01 地区生产总值（亿元）。").is_visible()
    warning = page.locator(".alert-warning").filter(has_text="下级合计")
    assert warning.count() >= 1 and "62" in " ".join(warning.all_inner_texts())
    paper = page.locator("tr.table-warning")
    assert paper.count() == 1 and "60 ≠ 下级合计 62" in paper.inner_text()
    assert Indicator.objects.get(pk=a01.pk).points == 10
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "indicator-tree")


def test_office_creates_a_cycle_and_imports_the_example_workbook(demo, page):
    log_in(page, "office")
    page.get_by_role("link", name="新建考核周期").click()
    page.fill("#id_year", "2027")
    page.fill("#id_name", "2027年度目标绩效考核")
    page.get_by_role("button", name="创建").click()
    assert page.get_by_text("已创建考核周期“2027年度目标绩效考核”").is_visible()

    page.get_by_role("link", name="导入考核工作簿").click()
    page.set_input_files("input[type=file]", str(EXAMPLES / "suining_city.xlsx"))
    page.get_by_role("button", name="检查并导入").click()
    assert page.get_by_text(re.compile(r"已导入 .*57 个单位、58 个指标")).is_visible()
    new = Cycle.objects.get(year=2027)
    assert new.units.count() == 57 and new.indicators.count() == 58


def test_a_broken_workbook_is_refused_with_its_problems_listed(demo, page, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    log_in(page, "office")
    page.goto(f"/cycles/{demo.pk}/import/")
    page.set_input_files("input[type=file]", str(broken))
    page.get_by_role("button", name="检查并导入").click()
    assert page.locator(".alert-danger, .invalid-feedback").count() >= 1
    assert demo.indicators.count() == 58
