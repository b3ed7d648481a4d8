"""Supervision (督查督办) in a real browser: the office registers an item, the county reports progress with
evidence, the office escalates with a reminder letter (督办函, PDF with its number, points deducted) and
closes the item on a verification record (销号)."""

from __future__ import annotations

import datetime as dt
import re

from kaohe.indicators import gates
from kaohe.register.models import Entry
from kaohe.supervision.models import Item, Letter

from .conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def log_out(pg) -> None:
    pg.get_by_role("button", name="退出").click()
    pg.wait_for_url(re.compile(r"/login/"))


def test_an_item_from_registration_through_a_letter_to_closure(demo, page, shoot, tmp_path) -> None:
    deadline = gates.today() + dt.timedelta(days=45)

    # the office registers the item: four parties, deadline, a milestone
    log_in(page, "office")
    page.goto("/supervision/items/new/")
    code = page.locator("#id_code").input_value()
    page.fill("#id_title", "涪川区城区污水管网雨污分流改造")
    page.select_option("#id_source", label="常务会")
    page.fill("#id_source_ref", "市政府第18次常务会议")
    page.fill("#id_lead_leader", "张华")
    page.fill("#id_responsible_leader", "王副市长")
    page.select_option("#id_lead_unit", label="X01 涪川区")
    page.get_by_label("X01 涪川区").check()
    page.fill("#id_deadline", f"{deadline:%Y-%m-%d}")
    page.select_option("#id_report_interval", label="每周")
    page.fill("#id_milestones", f"完成管网摸排 {deadline - dt.timedelta(days=20):%Y-%m-%d}")
    shoot(page, "supervision-item-new")
    page.get_by_role("button", name="立项").click()
    assert page.get_by_text(f"已立项：{code}").is_visible()
    item = Item.objects.get(year=gates.today().year, code=code)
    assert item.cycle == demo and item.lead_unit.code == "X01"
    assert page.locator("[data-state]").first.inner_text() == "未开始"
    log_out(page)

    # the county reports progress with an evidence file
    evidence = tmp_path / "管网摸排报告.pdf"
    evidence.write_bytes(PDF)
    log_in(page, "county")
    page.goto(f"/supervision/items/{item.pk}/")
    page.get_by_role("link", name="报送进展").click()
    page.fill("#id_text", "已完成城区 32 公里管网摸排，形成改造清单")
    page.fill("#id_percent", "35")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name="报送").click()
    assert page.get_by_text("已报送进展。").is_visible()
    assert page.get_by_role("link", name="管网摸排报告.pdf").is_visible()
    assert page.locator("[data-state]").first.inner_text() == "正常推进"
    page.locator("#progress").scroll_into_view_if_needed()
    shoot(page, "supervision-progress")
    log_out(page)

    # the office escalates with a reminder letter carrying points: a numbered PDF and a deduction
    log_in(page, "office")
    page.goto(f"/supervision/items/{item.pk}/")
    page.get_by_role("link", name="发督办文书").click()
    page.select_option("#id_kind", label="督办函")
    page.select_option("#id_failing", label="进度滞后")
    page.fill("#id_points", "0.5")
    page.fill("#id_text", "请于一周内制定赶工计划，加快管网改造进度。")
    shoot(page, "supervision-letter-form")
    page.get_by_role("button", name="生成并发出").click()
    letter = Letter.objects.get(item=item)
    assert page.get_by_text(f"已发出督办函 {letter.number}").is_visible()
    assert page.locator("#letters").get_by_text(letter.number).is_visible()
    assert letter.entry is not None and letter.entry.state == Entry.State.APPROVED and letter.entry.points == 0.5
    assert page.locator("#letters").get_by_role("link", name="扣分登记").is_visible()
    with page.expect_download() as got:
        page.locator("#letters").get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "letter.pdf"
    got.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.locator("#letters").scroll_into_view_if_needed()
    shoot(page, "supervision-letter")

    # closing needs a verification record: refused without one, then closed on an on-site check
    page.get_by_role("button", name="核验通过，销号").click()
    assert page.locator("#close .alert-danger").get_by_text("销号须有核验情况").is_visible()
    page.fill("#id_verification", "实地查看 3 个片区，雨污分流改造完成，经第三方检测合格。")
    page.get_by_label("实地核验").check()
    page.get_by_role("button", name="核验通过，销号").click()
    assert page.get_by_text("已核验销号。").is_visible()
    assert page.locator("[data-state]").first.inner_text() == "已销号"
    item.refresh_from_db()
    assert item.status == Item.Status.CLOSED and item.verifications.get().on_site
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "supervision-closed")
