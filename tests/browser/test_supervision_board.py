"""The supervision office's overview in a real browser: the board with its charts, the deadline calendar (also
as a phone list) and the special report form (专报) with the overdue and at-risk items ticked."""

from __future__ import annotations

import datetime as dt

from kaohe.indicators import gates
from kaohe.supervision import services as svc
from kaohe.supervision.models import Item

from .conftest import log_in


def _some_items(demo) -> None:
    """A few items when the demo city has none yet: one overdue, one at risk, one on track, one closed."""
    from django.contrib.auth.models import User

    office = User.objects.get(username="office")
    units = list(demo.units.order_by("code")[:3])
    day = gates.today()
    rows = [("逾期", -12, "complaint"), ("风险", 5, "instruction"), ("正常", 40, "work_report"), ("销号", 20, "livelihood")]
    for n, (label, days, source) in enumerate(rows, 1):
        item = svc.create_item(by=office, year=day.year, code=f"DB{day.year}-9{n:02d}", title=f"演示督办事项（{label}）",
                               source=source, lead_unit=units[n % 3], responsible_units=[units[n % 3]],
                               deadline=day + dt.timedelta(days=days), cycle=demo, lead_leader="张华",
                               responsible_leader="王副市长")
        if label == "销号":
            svc.close_item(by=office, item=item, verification="实地核验，已完成")


def test_office_opens_the_board_the_calendar_and_the_special_report_form(demo, page, shoot) -> None:
    if not Item.objects.exists():
        _some_items(demo)
    day = gates.today()
    log_in(page, "office")
    page.goto("/supervision/")
    page.wait_for_url("**/supervision/board/")
    assert page.locator("h1").inner_text() == f"{day.year} 年督查看板"
    page.wait_for_selector("#chart-sources canvas")
    page.wait_for_selector("#chart-states canvas")
    assert page.get_by_role("heading", name="各单位办理情况与销号率").is_visible()
    page.wait_for_timeout(600)  # the bars grow in for 300 ms
    shoot(page, "supervision-board")

    # from the board's overdue count into the filtered list
    page.locator(f'a[href="/supervision/items/?year={day.year}&state=overdue"]').first.click()
    page.wait_for_url("**state=overdue**")
    assert page.locator("#f-state").input_value() == "overdue"

    page.get_by_role("link", name="时限日历").click()
    page.wait_for_url("**/supervision/calendar/")
    assert page.locator("table.kh-cal").is_visible()
    page.get_by_role("link", name="下月 ›").click()
    page.wait_for_url("**month=**")
    page.get_by_role("link", name="‹ 上月").click()
    page.wait_for_url(f"**month={day:%Y-%m}")
    shoot(page, "supervision-calendar")
    # on a phone the grid gives way to a list of days
    page.set_viewport_size({"width": 390, "height": 844})
    assert not page.locator("table.kh-cal").is_visible()
    assert page.locator(".kh-cal-list").is_visible()
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto("/supervision/report/")
    assert page.locator("#id_title").input_value() == "督查专报"
    checked = page.locator("input[name=items]:checked").count()
    overdue_or_risk = page.locator("tr", has=page.locator(".badge.text-bg-danger, .badge.text-bg-warning")).count()
    assert checked == overdue_or_risk and checked > 0
    page.fill("#id_issue", "12")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载 Word").first.click()
    assert dl.value.suggested_filename.endswith(".docx")
    shoot(page, "supervision-report")
