"""Data entry, computation and results in a real browser: the lead-unit clerk fills a values grid,
the office computes, reads the ranking table and a unit's score tree; a county clerk sees only its own."""

from __future__ import annotations

from playwright.sync_api import expect

from kaohe.indicators.models import Indicator, Value
from kaohe.organisation.models import Unit

from .conftest import log_in


def test_lead_unit_clerk_enters_a_value_and_the_office_computes_the_ranking(demo, page, shoot, browser, live_server):
    a01 = Indicator.objects.get(cycle=demo, code="A01")
    x01 = Unit.objects.get(code="X01")
    before = Value.objects.get(indicator=a01, unit=x01).actual

    log_in(page, "stat")
    page.get_by_role("link", name=demo.name).click()
    page.get_by_role("link", name="数据录入").click()
    page.wait_for_url("**/values/")
    rows = page.locator("tbody tr")
    rows.first.wait_for()  # count() does not wait for the page: wait for the table first
    assert rows.count() == 8  # 市统计局 leads eight leaves
    rows.filter(has_text="A01").get_by_role("link", name="录入").click()
    assert page.locator("h1").inner_text().startswith("A01")
    cell = page.get_by_label("涪川区 实际值")
    cell.fill(str(before + 25))
    page.fill("#id_reason", "统计快报更正")
    page.get_by_role("button", name="保存全部").click()
    assert page.get_by_text("已保存：1 个单位的数据有变化。").is_visible()
    assert Value.objects.get(indicator=a01, unit=x01).actual == before + 25
    shoot(page, "values-grid")

    office = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    pg = office.new_page()
    log_in(pg, "office")
    pg.goto(f"/cycles/{demo.pk}/runs/")
    pg.get_by_role("button", name="计算").click()
    assert pg.get_by_text("第 2 次计算完成。").is_visible()
    run = demo.runs.get(number=2)
    if f"/runs/{run.pk}/" not in pg.url:
        pg.goto(f"/cycles/{demo.pk}/runs/{run.pk}/")
    table = pg.locator("table").filter(has_text="涪川区")
    assert table.count() == 1
    row = table.locator("tr").filter(has_text="涪川区")
    mine = run.unit_results.get(unit=x01)
    assert f"{mine.total:.2f}" in row.inner_text()
    pg.locator("canvas").first.wait_for()  # the ECharts bar chart drew
    pg.wait_for_timeout(1500)  # and its bars have grown to their length
    shoot(pg, "ranking")

    row.get_by_role("link", name="涪川区").click()
    assert "涪川区" in pg.locator("h1").inner_text()
    assert pg.get_by_text("A01").first.is_visible()
    assert pg.locator("tr").filter(has_text="地区生产总值（亿元）").count() >= 1
    shoot(pg, "score-tree")
    office.close()


def test_county_clerk_sees_only_its_own_results(demo, page, shoot):
    run = demo.runs.get()
    own = Unit.objects.get(code="X01")
    other = Unit.objects.get(code="X02")
    log_in(page, "county")
    page.get_by_role("link", name=demo.name).click()
    page.get_by_role("link", name="计算与结果").click()
    page.get_by_role("link", name="本单位成绩单").first.click()
    assert "涪川区" in page.locator("h1").inner_text()
    shoot(page, "unit-view")

    body = page.content()
    assert "安澜区" not in body  # X02, a neighbour county
    response = page.goto(f"/cycles/{demo.pk}/runs/{run.pk}/units/{other.pk}/")
    assert response.status == 404
    page.goto(f"/cycles/{demo.pk}/runs/{run.pk}/")
    assert "安澜区" not in page.content()
    assert "涪川区" in page.content()
    page.goto(f"/cycles/{demo.pk}/mine/")
    assert own.name in page.locator("h1").inner_text()


def test_leader_reads_the_ranking_and_any_report_card_but_has_nothing_to_press(demo, page):
    log_in(page, "leader")
    page.goto(f"/cycles/{demo.pk}/runs/")
    assert page.get_by_role("button", name="计算").count() == 0
    page.get_by_role("link", name="排名表").click()
    expect(page.locator("table").filter(has_text="涪川区")).to_have_count(1)
    expect(page.locator("table").filter(has_text="市统计局")).to_have_count(1)
    page.get_by_role("link", name="安澜区").click()
    assert "安澜区" in page.locator("h1").inner_text()
    page.goto(f"/cycles/{demo.pk}/indicators/")
    assert page.get_by_role("link", name="编辑").count() == 0
    assert page.get_by_role("link", name="新增考卷").count() == 0
