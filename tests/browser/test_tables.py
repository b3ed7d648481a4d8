"""The leader reads the ranking tables of the latest public version (by group, by domain, every unit) and the
dashboard on a phone."""

from __future__ import annotations

from kaohe.indicators.models import Cycle
from kaohe.results.models import Run

from .conftest import log_in


def latest_public_run(cycle: Cycle) -> Run:
    return cycle.runs.filter(notice_at__isnull=False, status=Run.Status.OK).order_by("-number").first()


def test_the_leader_reads_the_ranking_tables_of_the_public_version(demo, page, shoot):
    run = latest_public_run(demo)
    groups = {r.group for r in run.unit_results.all()}
    log_in(page, "leader")
    page.goto(f"/cycles/{run.cycle_id}/runs/{run.pk}/ranking/")
    assert page.locator("h1").inner_text().startswith("排名表")
    assert page.locator("section.kh-card").count() == len(groups)
    assert page.get_by_text("等次名额").is_visible()
    first = run.unit_results.select_related("unit").order_by("rank", "position").first()
    assert first.unit.name in page.locator("section.kh-card").first.inner_text()
    shoot(page, "ranking-table")

    page.get_by_role("link", name="按领域").click()
    page.wait_for_url(lambda url: "by=domain" in url)
    domains = {r.group.split("/")[0] for r in run.unit_results.all()}
    assert page.locator("section.kh-card").count() == len(domains)
    assert page.locator("th").filter(has_text="组内名次").first.is_visible()

    page.get_by_role("link", name="全部单位").click()
    page.wait_for_url(lambda url: "by=all" in url)
    rows = page.locator("section.kh-card tbody tr")
    assert rows.count() == run.unit_results.count()
    best = max(run.unit_results.select_related("unit"), key=lambda r: (round(r.total, 2), -r.position))
    assert best.unit.name in rows.first.inner_text()

    with page.expect_download() as dl:
        page.get_by_role("link", name="导出 Excel").click()
    assert dl.value.suggested_filename.endswith(".xlsx")


def test_the_leader_opens_the_dashboard_on_a_phone(demo, browser, live_server, shoot):
    run = latest_public_run(demo)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True, base_url=live_server.url)
    phone.set_default_timeout(15_000)
    pg = phone.new_page()
    log_in(pg, "leader")
    pg.goto(f"/cycles/{run.cycle_id}/dashboard/")
    assert pg.locator("h1").inner_text() == "领导驾驶舱"
    pg.locator("#grade-chart canvas").wait_for()  # the pie of the grades drew
    assert "优秀" in pg.locator("#grades").inner_text()
    assert pg.get_by_text("得分率最低的 10 个指标").is_visible()
    assert pg.locator("#lowest li").count() == 10
    # nothing wider than the phone: no sideways scrolling on first paint
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.wait_for_timeout(800)  # the pie has drawn
    shoot(pg, "dashboard-phone")
    phone.close()
