"""The demo city in the middle of its year-end phase, as each login finds it in a real browser.

Reports in every state for the county, a review queue for 市统计局, half-year problems being rectified,
online rating with partly filled sheets, and the bonus and deduction register.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kaohe.reporting.models import Report

from .conftest import log_in


def open_cycle(page, demo) -> None:
    page.get_by_role("link", name=demo.name).first.click()
    page.wait_for_url(f"**/cycles/{demo.pk}/")
    assert page.locator("h1").inner_text().startswith(demo.name)


def follow(page, name: str, path: str) -> None:
    """Click a link and wait for its page, so that nothing is read from the page before."""
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(re.compile(path))


def kpi(page, label: str) -> int:
    """The number on a summary card headed by the label."""
    card = page.locator(".kh-card.text-center").filter(has=page.get_by_text(label, exact=True))
    return int(card.locator(".fs-3").inner_text())


def test_the_county_sees_its_reports_in_every_state_and_the_comment_on_the_returned_one(demo, page, shoot):
    log_in(page, "county")
    open_cycle(page, demo)
    follow(page, "目标完成情况填报", r"/reports/$")
    assert page.locator("h1").inner_text().startswith("目标完成填写")
    assert "涪川区" in page.locator("h1").inner_text()
    table = page.locator("table.kh-table")
    for state in ("已采纳", "待审核", "已退回", "草稿", "未填报"):
        assert table.get_by_text(state, exact=False).first.is_visible(), state
    assert table.get_by_text("已修正").is_visible()  # the corrected one says so
    summary = page.locator("p.small").first.inner_text()
    assert re.search(r"已退回\s*1", summary) and re.search(r"草稿\s*2", summary)
    shoot(page, "reports-unit")

    returned = Report.objects.get(unit__code="X01", state="returned")
    row = table.locator("tr").filter(has_text=returned.indicator.name)
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    alert = page.locator(".alert-warning").filter(has_text="牵头单位退回了这份填报")
    assert alert.is_visible()
    assert "明细表" in alert.inner_text()
    assert page.get_by_role("button", name="提交审核").is_visible()  # the county can correct and resubmit
    assert page.get_by_text("演示佐证材料").first.is_visible()
    shoot(page, "report-returned")


def test_the_statistics_bureau_has_a_review_queue_with_progress(demo, page, shoot):
    log_in(page, "stat")
    open_cycle(page, demo)
    follow(page, "填报审核", r"/review/$")
    assert "市统计局牵头的指标" in page.locator("h1").inner_text()
    waiting = Report.objects.filter(state="submitted", indicator__lead_unit__code="B06").count()
    assert kpi(page, "待审核") == waiting >= 5
    assert kpi(page, "已采纳") >= 1
    queue = page.locator(".kh-card").filter(has=page.get_by_role("heading", name="待审核的填报"))
    assert queue.get_by_role("link", name="审核").count() == waiting
    for unit in ("涪川区", "安澜区", "市经济技术开发区"):
        assert queue.get_by_text(unit).first.is_visible()
    bars = page.locator(".progress-stacked")
    assert bars.count() > 5
    widths = [bars.nth(i).locator(".progress").first.get_attribute("aria-valuenow") for i in range(bars.count())]
    assert any(w not in ("0", None) for w in widths)  # some accepted work shows as a bar
    shoot(page, "review-queue")


def test_the_office_follows_problems_rating_and_the_register(demo, page, shoot):
    log_in(page, "office")
    open_cycle(page, demo)
    follow(page, "半年评估问题与整改", r"/problems/$")
    assert page.locator("h1").inner_text() == "半年评估问题整改"
    counts = page.locator(".kh-card").first.locator("tbody tr")
    assert counts.count() >= 10
    x04 = counts.filter(has_text="蓬岭县")
    assert x04.locator("td.text-danger").inner_text() == "1"  # its overdue problem stands out
    problems = page.locator("table.table-hover tbody tr")
    assert problems.filter(has_text="已销号").count() >= 3
    assert problems.filter(has_text="逾期").count() == 1
    assert page.get_by_text("完成率").first.is_visible() or page.get_by_text("得分").first.is_visible()
    shoot(page, "problems")

    page.goto(f"/cycles/{demo.pk}/")
    follow(page, "四位一体评议", r"/rating/$")
    assert page.locator("h1").inner_text().startswith("四位一体评议")
    assert page.get_by_text("评议进行中").first.is_visible()
    assert page.get_by_text("评分密封").first.is_visible()
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "市领导评价" in body and "张华" in body and "涪川区" in body
    shoot(page, "rating-setup")

    page.goto(f"/cycles/{demo.pk}/")
    follow(page, "加减分登记", r"/register/$")
    table = page.locator("table.table-hover").last
    assert table.get_by_text("“一网统管”城市运行平台基层治理改革").is_visible()
    for state in ("待审定", "已批准", "未批准"):
        assert table.get_by_text(state).first.is_visible(), state
    assert table.get_by_text("督查通报（两书一函）").first.is_visible()
    # the entries are below the per-unit sums; Bootstrap scrolls smoothly unless told otherwise
    table.evaluate("t => t.closest('.kh-card').scrollIntoView({block: 'start', behavior: 'instant'})")
    shoot(page, "register")


def test_the_leader_finds_a_partly_filled_rating_sheet(demo, page, shoot):
    log_in(page, "leader")
    open_cycle(page, demo)
    follow(page, "评议打分", r"/sheets/$")
    assert page.get_by_text("未提交").first.is_visible()
    follow(page, "填写", r"/sheets/\d+/$")
    assert page.get_by_text("市领导评价").first.is_visible()
    scores = page.locator("input[type=number]")
    filled = [scores.nth(i).input_value() for i in range(scores.count())]
    assert scores.count() == 10
    assert 0 < sum(1 for v in filled if v) < 10  # partly filled: some scored, some still empty
    assert page.get_by_role("button", name="提交").is_visible()
    shoot(page, "rating-sheet")


def test_the_stat_clerk_answers_a_comment_of_the_demo_survey_and_the_office_watches_it(demo, page, shoot):
    log_in(page, "stat")
    open_cycle(page, demo)
    follow(page, "满意度测评", r"/surveys/$")
    row = page.locator("tr", has_text="2026年度服务对象满意度测评（演示）")
    expect(row.locator(".badge", has_text=re.compile(r"^1$"))).to_be_visible()  # one comment waits for an answer
    follow(page, "查看和答复意见建议", r"/surveys/\d+/comments/")
    expect(page.get_by_text("共 2 条，已答复 1 条，未答复 1 条。")).to_be_visible()
    assert "13912345678" not in page.content()  # the caller's phone number is masked for the unit
    waiting = page.locator(".kh-card", has=page.locator(".badge", has_text="未答复"))
    waiting.get_by_label("答复").fill("已收到建议，下季度起每月开设一期线上统计报表培训。")
    waiting.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("共 2 条，已答复 2 条，未答复 0 条。")).to_be_visible()
    shoot(page, "survey-comments-unit")

    page.context.clear_cookies()
    log_in(page, "office")
    open_cycle(page, demo)
    follow(page, "满意度测评", r"/surveys/$")
    follow(page, "实时监测", r"/monitor/$")
    page.locator("#chart-hours canvas").first.wait_for()
    expect(page.get_by_text("10.66.8.8").first).to_be_visible()  # the run of sheets from one address
    page.wait_for_timeout(800)  # the bars have grown to their length
    shoot(page, "survey-monitor-demo")
