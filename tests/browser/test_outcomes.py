"""结果运用 in a real browser, on the demo's history: the 2025 outcomes and the rules page."""

from __future__ import annotations

from .conftest import log_in


def test_the_leader_reads_the_2025_outcomes_and_the_county_only_its_own(demo, page, shoot):
    from kaohe.indicators.models import Cycle

    cycle = Cycle.objects.get(year=2025)
    log_in(page, "leader")
    page.goto(f"/cycles/{cycle.pk}/outcomes/")
    row = page.locator("tbody tr", has_text="明月县").filter(has_text="连续两年一般取消试点资格")
    assert "取消改革试点资格" in row.inner_text() and "2024" in row.inner_text() and "2025" in row.inner_text()
    shoot(page, "outcomes")
    page.goto(f"/cycles/{cycle.pk}/outcomes/rules/")
    assert page.get_by_text("连续三年前五名或优秀优先推荐").is_visible()
    assert page.get_by_role("button", name="新增").count() == 0
    page.context.clear_cookies()
    log_in(page, "county")
    page.goto(f"/cycles/{cycle.pk}/outcomes/")
    body = page.locator("tbody").inner_text()
    assert "涪川区" in body and "明月县" not in body


def test_the_office_edits_a_rule(demo, page, shoot):
    log_in(page, "office")
    page.goto(f"/cycles/{demo.pk}/outcomes/rules/")
    shoot(page, "outcome-rules")
    page.locator("details", has_text="修改或删除").first.locator("summary").click()
    form = page.locator("details[open] form").first
    form.locator("input[name$='-quotas']").fill("优秀=25，良好=10")
    form.get_by_role("button", name="保存").click()
    assert page.get_by_text("已保存").is_visible()
    assert page.get_by_text("优秀=25").first.is_visible() or "25" in page.locator("tbody").inner_text()
