"""The supervision item pages through the test client: register, edit, progress with evidence, close, letters,
decomposition and the Excel import."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.register.models import Entry
from kaohe.supervision import services as svc
from kaohe.supervision.models import Item, Letter, State, Verification

from .helpers import make_item

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
DAY = dt.datetime(2026, 6, 10, 10, 0)


def _new_item_post(world, **over) -> dict:
    data = {"year": "2026", "code": "DB2026-101", "title": "推进城区污水管网改造", "source": "executive_meeting",
            "source_ref": "第12次常务会议", "description": "完成城区污水管网雨污分流改造", "lead_leader": "张市长",
            "responsible_leader": "李副市长", "lead_unit": str(world.unit1.pk),
            "responsible_units": [str(world.unit1.pk)], "deadline": "2026-09-30", "report_interval": "monthly",
            "cycle": "", "indicator": "", "milestones": "完成方案编制 2026-07-31\n主体工程完工 2026-09-15"}
    data.update(over)
    return data


@time_machine.travel(DAY, tick=False)
def test_office_registers_an_item_with_four_parties_and_milestones(world, client) -> None:
    client.force_login(world.office)
    assert client.get(reverse("supervision_item_new")).status_code == 200
    resp = client.post(reverse("supervision_item_new"), _new_item_post(world))
    item = Item.objects.get(year=2026, code="DB2026-101")
    assert resp.status_code == 302 and resp.url == reverse("supervision_item", kwargs={"pk": item.pk})
    # no cycle chosen: the 2026 cycle is taken
    assert item.cycle == world.cycle
    assert (item.lead_leader, item.responsible_leader, item.lead_unit) == ("张市长", "李副市长", world.unit1)
    assert list(item.responsible_units.all()) == [world.unit1]
    assert [(m.title, m.due) for m in item.milestones.all()] == [("完成方案编制", dt.date(2026, 7, 31)),
                                                                  ("主体工程完工", dt.date(2026, 9, 15))]
    page = client.get(resp.url).content.decode()
    assert "推进城区污水管网改造" in page and "李副市长" in page and "完成方案编制" in page
    assert str(State.NOT_STARTED.label) in page


@time_machine.travel(DAY, tick=False)
def test_a_bad_milestone_line_is_refused_with_its_line_and_nothing_written(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("supervision_item_new"), _new_item_post(world, milestones="完成方案编制 七月底"))
    assert resp.status_code == 200
    assert "第 1 行" in resp.content.decode()
    late = client.post(reverse("supervision_item_new"), _new_item_post(world, milestones="验收 2026-12-31"))
    assert "节点时限不能晚于完成时限" in late.content.decode()
    assert not Item.objects.exists()


@time_machine.travel(DAY, tick=False)
def test_office_edits_an_item_and_the_audit_keeps_old_and_new(world, client) -> None:
    item = make_item(world, milestones=[("完成方案", dt.date(2026, 6, 30))])
    client.force_login(world.office)
    page = client.get(reverse("supervision_item_edit", kwargs={"pk": item.pk})).content.decode()
    assert "完成方案 2026-06-30" in page
    data = _new_item_post(world, title="推进老旧小区改造（扩围）", deadline="2026-10-31",
                          responsible_units=[str(world.unit1.pk), str(world.unit2.pk)],
                          milestones="完成方案 2026-07-15\n开工 2026-08-01", reason="常务会议调整")
    del data["year"], data["code"]
    resp = client.post(reverse("supervision_item_edit", kwargs={"pk": item.pk}), data)
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.title == "推进老旧小区改造（扩围）" and item.deadline == dt.date(2026, 10, 31)
    assert set(item.responsible_units.all()) == {world.unit1, world.unit2}
    assert [m.title for m in item.milestones.all()] == ["完成方案", "开工"]
    entry = AuditEntry.objects.filter(object_type="supervision.Item", object_id=str(item.pk), action="update").get()
    assert entry.changes["deadline"] == ["2026-09-30", "2026-10-31"]
    assert entry.changes["title"] == ["推进老旧小区改造", "推进老旧小区改造（扩围）"]
    assert entry.changes["responsible_units"] == [["U1"], ["U1", "U2"]]
    assert entry.reason == "常务会议调整"
    history = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    assert "推进老旧小区改造（扩围）" in history and "常务会议调整" in history


def test_saving_an_unchanged_item_writes_nothing(world) -> None:
    item = make_item(world)
    before = AuditEntry.objects.count()
    svc.update_item(by=world.office, item=item, title=item.title, source=item.source, source_ref=item.source_ref,
                    lead_leader=item.lead_leader, responsible_leader=item.responsible_leader, lead_unit=item.lead_unit,
                    responsible_units=[world.unit1], deadline=item.deadline, cycle=item.cycle, milestones=[])
    assert AuditEntry.objects.count() == before


def test_a_closed_item_cannot_be_edited(world, client) -> None:
    item = make_item(world)
    svc.close_item(by=world.office, item=item, verification="现场核验，改造完成")
    client.force_login(world.office)
    data = _new_item_post(world, title="改名")
    del data["year"], data["code"]
    resp = client.post(reverse("supervision_item_edit", kwargs={"pk": item.pk}), data)
    assert resp.status_code == 200 and "事项已销号，不能修改" in resp.content.decode()
    item.refresh_from_db()
    assert item.title == "推进老旧小区改造"


@time_machine.travel(DAY, tick=False)
def test_progress_with_evidence_is_read_by_the_unit_and_office_and_missing_for_the_other_county(world, client):
    item = make_item(world, milestones=[("完成方案", dt.date(2026, 6, 30))])
    milestone = item.milestones.get()
    client.force_login(world.u1)
    assert client.get(reverse("supervision_progress", kwargs={"pk": item.pk})).status_code == 200
    resp = client.post(reverse("supervision_progress", kwargs={"pk": item.pk}),
                       {"text": "已完成方案编制并报批", "percent": "40", "milestone": str(milestone.pk),
                        "milestone_done": "on",
                        "files": [SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf"),
                                  SimpleUploadedFile("批复.pdf", PDF + b"%2", content_type="application/pdf")]})
    assert resp.status_code == 302
    progress = item.progress.get()
    assert (progress.percent, progress.unit) == (40, world.unit1)
    files = list(progress.evidence.order_by("name"))
    assert [f.name for f in files] == ["批复.pdf", "方案.pdf"]
    milestone.refresh_from_db()
    assert milestone.done_at == dt.date(2026, 6, 10)

    page = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    url = reverse("evidence_download", kwargs={"pk": files[0].pk})
    assert url in page and "已完成方案编制并报批" in page
    assert client.get(url).status_code == 200
    client.force_login(world.office)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    client.force_login(world.u2)
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision_item", kwargs={"pk": item.pk})).status_code == 404


def test_a_refused_evidence_file_keeps_no_progress(world, client) -> None:
    item = make_item(world)
    client.force_login(world.u1)
    resp = client.post(reverse("supervision_progress", kwargs={"pk": item.pk}),
                       {"text": "进展", "percent": "10",
                        "files": [SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 200)]})
    assert resp.status_code == 200 and "不是允许的文件类型" in resp.content.decode()
    assert not item.progress.exists()


def test_closing_without_verification_is_refused_and_shown(world, client) -> None:
    item = make_item(world)
    client.force_login(world.office)
    resp = client.post(reverse("supervision_close", kwargs={"pk": item.pk}), {"verification": "  ", "on_site": "on"})
    assert resp.status_code == 200
    assert "销号须有核验情况" in resp.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.OPEN and not item.verifications.exists()


def test_the_unit_completes_the_office_closes_on_site_and_a_look_back_reopens(world, client) -> None:
    item = make_item(world)
    client.force_login(world.u1)
    assert client.post(reverse("supervision_complete", kwargs={"pk": item.pk}), {"text": "已全部完成"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.COMPLETED
    assert client.post(reverse("supervision_close", kwargs={"pk": item.pk}), {"verification": "x"}).status_code == 403

    client.force_login(world.office)
    resp = client.post(reverse("supervision_close", kwargs={"pk": item.pk}),
                       {"verification": "实地查看 12 个小区，改造完成", "on_site": "on"})
    assert resp.status_code == 302
    item.refresh_from_db()
    v = item.verifications.get()
    assert item.status == Item.Status.CLOSED and v.on_site and v.kind == Verification.Kind.CLOSE
    page = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    assert str(State.CLOSED.label) in page and "实地查看 12 个小区" in page

    resp = client.post(reverse("supervision_reopen", kwargs={"pk": item.pk}),
                       {"verification": "回头看发现 2 个小区积水反弹", "deadline": "2026-11-30"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.REOPENED and item.deadline == dt.date(2026, 11, 30)


@time_machine.travel(DAY, tick=False)
def test_a_letter_is_numbered_printed_and_registered_and_its_pdf_is_protected(world, client) -> None:
    item = make_item(world)
    client.force_login(world.office)
    assert client.get(reverse("supervision_letter_new", kwargs={"pk": item.pk})).status_code == 200
    resp = client.post(reverse("supervision_letter_new", kwargs={"pk": item.pk}),
                       {"unit": str(world.unit1.pk), "kind": "reminder_letter", "failing": "lagging", "points": "0.5",
                        "text": "请于 6 月 30 日前报送整改情况"}, follow=True)
    letter = Letter.objects.get()
    assert letter.number == "督字〔2026〕1号" and letter.points == 0.5
    page = resp.content.decode()
    assert letter.number in page
    pdf_url = reverse("supervision_letter_pdf", kwargs={"pk": letter.pk})
    entry_url = reverse("register_detail", kwargs={"cycle": world.cycle.pk, "pk": letter.entry.pk})
    assert pdf_url in page and entry_url in page
    assert letter.entry.state == Entry.State.APPROVED and letter.entry.points == 0.5

    for user, status in ((world.office, 200), (world.leader, 200), (world.u1, 200), (world.u2, 404),
                         (world.stat, 404)):
        client.force_login(user)
        got = client.get(pdf_url)
        assert got.status_code == status, user
        if status == 200:
            assert got["Content-Type"] == "application/pdf"
            assert b"".join(got.streaming_content).startswith(b"%PDF")


def test_a_county_reads_only_the_letters_sent_to_it(world, client) -> None:
    item = make_item(world, units=[world.unit1, world.unit2])
    mine = svc.send_letter(by=world.office, item=item, unit=world.unit1, kind=Letter.Kind.REMINDER_NOTICE,
                           failing=Letter.Failing.NOT_REPORTED)
    theirs = svc.send_letter(by=world.office, item=item, unit=world.unit2, kind=Letter.Kind.INTERVIEW,
                             failing=Letter.Failing.BUCK_PASSING, points=1)
    client.force_login(world.u1)
    page = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    assert mine.number in page
    assert theirs.number not in page  # neither in the letters nor in the history
    assert client.get(reverse("supervision_letter_pdf", kwargs={"pk": theirs.pk})).status_code == 404
    client.force_login(world.leader)
    page = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    assert mine.number in page and theirs.number in page


def test_a_deduction_without_a_cycle_is_refused_on_the_form(world, client) -> None:
    item = make_item(world)
    Item.objects.filter(pk=item.pk).update(cycle=None)
    client.force_login(world.office)
    resp = client.post(reverse("supervision_letter_new", kwargs={"pk": item.pk}),
                       {"unit": str(world.unit1.pk), "kind": "reminder_letter", "failing": "lagging", "points": "1"})
    assert resp.status_code == 200 and "扣分无处计入" in resp.content.decode()
    assert not Letter.objects.exists()


def test_office_decomposes_an_item_into_sub_items_for_chosen_units(world, client) -> None:
    item = make_item(world)
    client.force_login(world.office)
    resp = client.post(reverse("supervision_decompose", kwargs={"pk": item.pk}),
                       {"units": [str(world.unit1.pk), str(world.unit2.pk)]})
    assert resp.status_code == 302
    assert sorted(c.code for c in item.children.all()) == ["DB-001-U1", "DB-001-U2"]
    page = client.get(reverse("supervision_item", kwargs={"pk": item.pk})).content.decode()
    assert "DB-001-U1" in page and "DB-001-U2" in page
    # a county sees the sub-item of its own, and the parent only when it is one of its units
    client.force_login(world.u2)
    sub = item.children.get(lead_unit=world.unit2)
    page = client.get(reverse("supervision_item", kwargs={"pk": sub.pk})).content.decode()
    assert "DB-001-U2" in page and reverse("supervision_item", kwargs={"pk": item.pk}) not in page


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(svc.SHEET_HEADERS)
    for r in rows:
        ws.append(r)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_refuses_a_bad_file_listing_each_problem_and_writes_nothing(world, client) -> None:
    client.force_login(world.office)
    data = _sheet([["DB-1", "好事项", "领导批示", "", "", "", "U1", "U1", "2026-09-30", "每月", ""],
                   ["DB-2", "坏事项", "街头传言", "", "", "", "NOPE", "", "九月底", "", ""]])
    resp = client.post(reverse("supervision_import"),
                       {"year": "2026", "cycle": "", "file": SimpleUploadedFile("items.xlsx", data)})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert "第3行「来源」：" in page and "第3行「牵头单位编号」：" in page and "第3行「完成时限」：" in page
    assert not Item.objects.exists()


def test_import_creates_the_items_and_lists_them(world, client) -> None:
    client.force_login(world.office)
    data = _sheet([["DB-1", "老旧小区改造", "领导批示", "批示〔2026〕1号", "张市长", "李副市长", "U1", "U1、U2",
                    "2026-09-30", "每月", "A1"],
                   ["DB-2", "农村公路", "民生实事", "", "", "", "U2", "", "2026-10-31", "每季度", ""]])
    resp = client.post(reverse("supervision_import"),
                       {"year": "2026", "cycle": "", "file": SimpleUploadedFile("items.xlsx", data)})
    page = resp.content.decode()
    assert resp.status_code == 200
    items = {i.code: i for i in Item.objects.all()}
    assert set(items) == {"DB-1", "DB-2"}
    assert items["DB-1"].cycle == world.cycle and items["DB-1"].indicator.code == "A1"
    assert reverse("supervision_item", kwargs={"pk": items["DB-1"].pk}) in page and "农村公路" in page


def test_the_blank_template_has_the_sheet_headers(world, client) -> None:
    client.force_login(world.office)
    resp = client.get(reverse("supervision_template"))
    assert resp.status_code == 200
    ws = load_workbook(BytesIO(resp.content)).active
    assert [c.value for c in ws[1]] == svc.SHEET_HEADERS


@pytest.mark.parametrize("name", ["supervision_item_new", "supervision_import", "supervision_template"])
def test_a_county_may_not_open_the_offices_pages(world, client, name) -> None:
    client.force_login(world.u1)
    assert client.get(reverse(name)).status_code == 403
