"""The yearly loop in a real browser, as the people who do it see it: 东城县 reports A1 with a PDF and submits,
统计局 returns it, the county resubmits, 统计局 accepts; the leader fills and submits a rating sheet; the county
applies for a bonus and the office approves it; the office computes, and 东城县's score tree shows the reported
value, the rating and the bonus, with a total that differs from the one before the loop."""

from __future__ import annotations

import re

import pytest

from kaohe.engine import compute
from kaohe.indicators.models import Rating, Value
from kaohe.indicators.selectors import scenario_for
from kaohe.ratings.models import Rater, SheetScore
from kaohe.register.models import Entry
from kaohe.reporting.models import Report

from .loop_setup import build_loop_cycle, log_in

# the smallest PDF a content sniffer and a reader accept
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def engine_total(cycle, unit_code: str) -> float:
    """The unit's total as the engine computes it from the cycle's data right now."""
    out = compute(scenario_for(cycle)).to_dict()
    return next(u["total"] for u in out["units"] if u["unit"] == unit_code)


@pytest.fixture
def loop(transactional_db):
    return build_loop_cycle()


def open_cycle(page, w) -> None:
    page.goto("/")
    page.get_by_role("link", name=w.cycle.name).first.click()
    assert page.locator("h1").inner_text().startswith(w.cycle.name)


def test_a_report_goes_through_review_rating_and_bonus_into_the_counties_score_tree(loop, page, shoot, tmp_path):
    w = loop
    evidence = tmp_path / "A1-统计月报.pdf"
    evidence.write_bytes(PDF)
    award = tmp_path / "文明委表彰通报.pdf"
    award.write_bytes(PDF)
    before = engine_total(w.cycle, "U1")
    assert Value.objects.get(cycle=w.cycle, unit=w.unit1, indicator=w.a1).actual == 6.3

    # 1. 东城县 fills in A1 with an account and a PDF, saves a draft, then submits; the page turns read-only.
    log_in(page, "u1")
    open_cycle(page, w)
    page.get_by_role("link", name="目标完成情况填报").click()
    page.locator("tr", has_text="地区生产总值增速").get_by_role("link", name="填报").click()
    assert "A1 地区生产总值增速" in page.locator("h1").inner_text()
    page.fill("#id_actual", "5.1")
    page.fill("#id_account", "全年地区生产总值增长5.1%，低于目标，主要受工业投资放缓影响。")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("已保存草稿：“地区生产总值增速”").is_visible()
    assert page.get_by_role("link", name="A1-统计月报.pdf").is_visible()
    assert page.locator("#id_actual").input_value() == "5.1"
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "report-edit")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核：“地区生产总值增速”").is_visible()
    assert page.locator("h1").get_by_text("待审核").is_visible()
    assert page.locator("#id_actual").count() == 0 and page.get_by_role("button", name="提交审核").count() == 0
    assert page.get_by_text("已提交审核，等待牵头单位审核").is_visible()

    # 2. 统计局 finds it in its review queue, opens the evidence (the PDF itself) and returns the report.
    log_in(page, "stat")
    open_cycle(page, w)
    page.get_by_role("link", name="填报审核").click()
    row = page.locator("tr", has_text="东城县").filter(has_text="A1")
    assert row.count() >= 1
    row.first.get_by_role("link", name="审核").click()
    assert "东城县" in page.locator("main, body").first.inner_text()
    link = page.get_by_role("link", name="A1-统计月报.pdf")
    resp = page.request.get(link.get_attribute("href"))
    assert resp.status == 200 and resp.headers["content-type"].startswith("application/pdf")
    assert resp.body() == PDF
    shoot(page, "review-detail")
    page.get_by_label("退回单位修改").check()
    page.fill("#id_comment", "增速与统计年报不一致，请按年报数5.7%更正后重新提交。")
    page.get_by_role("button", name="提交审核结论").click()
    assert page.get_by_text("已退回单位").first.is_visible()
    assert Report.objects.get(unit=w.unit1, indicator=w.a1).state == Report.State.RETURNED

    # 3. 东城县 sees a notice in the nav, reads the comment, corrects the value and resubmits.
    log_in(page, "u1")
    badge = page.get_by_role("link", name=re.compile("通知")).locator(".badge")
    assert badge.inner_text().strip() == "1"
    page.get_by_role("link", name=re.compile("通知")).click()
    assert page.get_by_text("“地区生产总值增速”的完成情况填报被退回：增速与统计年报不一致").is_visible()
    page.get_by_role("button", name="去处理").click()
    assert page.get_by_text("牵头单位退回了这份填报：").is_visible()
    assert page.get_by_text("请按年报数5.7%更正后重新提交。").first.is_visible()
    page.fill("#id_actual", "5.7")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核：“地区生产总值增速”").is_visible()
    assert page.locator("#id_actual").count() == 0

    # 4. 统计局 accepts; the value is now the cycle's A1 value for 东城县.
    log_in(page, "stat")
    open_cycle(page, w)
    page.get_by_role("link", name="填报审核").click()
    page.locator("tr", has_text="东城县").filter(has_text="A1").first.get_by_role("link", name="审核").click()
    assert float(page.locator("dt:has-text('填报完成值') + dd").inner_text()) == 5.7
    page.get_by_label("采纳（审定值即填报值）").check()
    page.get_by_role("button", name="提交审核结论").click()
    assert page.get_by_text("已采纳").first.is_visible()
    assert Value.objects.get(cycle=w.cycle, unit=w.unit1, indicator=w.a1).actual == 5.7

    # 5. The leader fills the rating sheet: a low score without a reason is refused, then saved and submitted once.
    log_in(page, "leader")
    open_cycle(page, w)
    page.get_by_role("link", name=re.compile("评议打分")).click()
    page.get_by_role("link", name="填写").click()
    page.get_by_label("东城县 B2 分数").fill("85")
    page.get_by_label("西山县 B2 分数").fill("55")
    page.get_by_label("南湖县 B2 分数").fill("90")
    page.get_by_role("button", name="保存", exact=True).click()
    refusal = page.locator("tr", has_text="西山县").locator(".invalid-feedback")
    assert refusal.inner_text() == "低于 60 分须说明理由。"
    assert page.get_by_text("1 个格子有误，已标红。").is_visible()
    assert SheetScore.objects.filter(rater=w.leader_rater).count() == 0
    page.get_by_label("西山县 B2 理由").fill("群众反映办事效率偏低")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.get_by_text("已保存草稿（3 格有变化）").is_visible()
    shoot(page, "rating-sheet-loop")
    stale_tab = page.context.new_page()  # the same sheet left open in a second tab
    stale_tab.goto(page.url)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="提交", exact=True).click()
    assert page.get_by_text("评议表已提交（3 项评分），不能再修改。").is_visible()
    assert page.get_by_text("只读").first.is_visible()
    assert page.locator("input[type=number]").count() == 0
    assert page.get_by_role("button", name="提交", exact=True).count() == 0
    assert Rater.objects.get(pk=w.leader_rater.pk).submitted_at is not None
    # submitting again from the tab left open is refused, and nothing changes
    stale_tab.once("dialog", lambda d: d.accept())
    stale_tab.get_by_label("东城县 B2 分数").fill("40")
    stale_tab.get_by_role("button", name="提交", exact=True).click()
    assert stale_tab.get_by_text(re.compile(r"张市长 的评议表已于 .* 提交，不能再修改。")).is_visible()
    assert stale_tab.locator("input[type=number]").count() == 0
    stale_tab.close()
    assert SheetScore.objects.get(rater=w.leader_rater, unit=w.unit1).score == 85
    assert Rating.objects.filter(cycle=w.cycle, rater=w.leader_rater.code).count() == 3
    page.get_by_role("link", name="我的评议表").first.click()
    assert page.get_by_role("link", name="填写").count() == 0
    assert page.get_by_role("link", name="查看").is_visible()

    # 6. 东城县 applies for a bonus with evidence; the office approves it with fewer points than claimed.
    log_in(page, "u1")
    open_cycle(page, w)
    page.get_by_role("link", name="加减分登记").click()
    page.get_by_role("link", name="申报加分").click()
    page.select_option("#id_source", label="表彰奖励")
    page.fill("#id_title", "获评省级文明城市提名县")
    page.fill("#id_reason", "省委文明委通报表彰。")
    page.fill("#id_reference", "川文明委〔2026〕12号")
    page.fill("#id_points_claimed", "3")
    page.set_input_files("#id_files", str(award))
    page.get_by_role("button", name="提交").click()
    entry = Entry.objects.get(cycle=w.cycle, unit=w.unit1)
    assert entry.state == Entry.State.APPLIED and entry.evidence.count() == 1

    log_in(page, "office")
    open_cycle(page, w)
    page.get_by_role("link", name="加减分登记").click()
    page.get_by_role("link", name="获评省级文明城市提名县").click()
    award_link = page.get_by_role("link", name="文明委表彰通报.pdf")
    assert page.request.get(award_link.get_attribute("href")).headers["content-type"].startswith("application/pdf")
    page.get_by_label("批准", exact=True).check()
    page.fill("#id_points", "2")
    page.fill("#id_decision", "按表彰奖励标准核定 2 分。")
    shoot(page, "register-detail")
    page.get_by_role("button", name="确定").click()
    assert page.locator(".badge", has_text="已批准").first.is_visible()
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED and entry.points == 2

    # 7. The office computes the year end; 东城县's score tree shows the reported value, the rating and the bonus.
    expected = engine_total(w.cycle, "U1")
    assert expected != before
    open_cycle(page, w)
    page.get_by_role("link", name="计算与结果").click()
    page.select_option("select[name=stage]", label="年终考核")
    page.get_by_role("button", name="计算").click()
    assert page.get_by_text(re.compile(r"第 \d+ 次计算完成")).is_visible()
    page.get_by_role("link", name="东城县").first.click()
    assert "成绩单" in page.locator("h1").inner_text()
    assert page.get_by_text("排名组 县（市、区） · 平原县").is_visible()
    total = page.locator(".kh-card").first.locator(".fs-3.fw-bold").inner_text()
    assert total == f"{expected:.2f}"
    a1_row = page.locator("tr", has_text="地区生产总值增速")
    a1_explain = a1_row.locator("td").last.inner_text()
    assert "(5.7 / 6) × 30 = 28.50" in a1_explain
    b2_row = page.locator("tr", has_text="群众评议")
    b2_explain = b2_row.locator("td").last.inner_text()
    assert "领导评议(1人) 85.00" in b2_explain and "部门与县区互评(4人，去掉最高最低) 89.00" in b2_explain
    assert b2_row.locator("td").nth(2).inner_text() == "17.48"
    bonus = page.locator("tr", has_text="获评省级文明城市提名县")
    assert bonus.is_visible() and bonus.locator("td").nth(0).inner_text() == "加分"
    assert bonus.locator("td").nth(1).inner_text() == "2.00"
    shoot(page, "score-tree-after-loop")
