"""The special report (督查专报): rows built from the items, PDF and Word downloads, an empty selection refused."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse

from kaohe.supervision import report
from kaohe.supervision import services as svc
from kaohe.supervision.models import Letter, State

from .helpers import make_item

DAY = dt.datetime(2026, 10, 10, 9, 0)


@pytest.fixture
def two(world):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        a = make_item(world)  # U1, due 2026-09-30: overdue on DAY
        b = make_item(world, code="DB-002", lead=world.unit2, units=[world.unit2], deadline=dt.date(2026, 12, 31))
        b.title = "西山县河道综合整治"
        b.save(update_fields=["title"])
        svc.report_progress(by=world.u2, item=b, text="完成清淤 3 公里", percent=40)
        svc.send_letter(by=world.office, item=a, unit=world.unit1, kind=Letter.Kind.REMINDER_LETTER,
                        failing=Letter.Failing.LAGGING, points=0.5, text="请加快进度")
    return a, b


def test_rows_carry_the_four_parties_state_latest_progress_and_letters(world, two) -> None:
    a, b = two
    rows = report.build_report_rows([b, a], DAY.date())
    assert [r.code for r in rows] == ["DB-001", "DB-002"]  # overdue first
    ra, rb = rows
    assert (ra.lead_leader, ra.responsible_leader, ra.lead_unit, ra.responsible_units) == ("张市长", "李副市长", "东城县",
                                                                                           "东城县")
    assert ra.state == State.OVERDUE and ra.days_overdue == 10 and ra.percent is None
    assert [x.number for x in ra.letters] == ["督字〔2026〕1号"] and ra.letters[0].points == 0.5
    assert (rb.percent, rb.progress_text, rb.progress_day) == (40, "完成清淤 3 公里", dt.date(2026, 6, 1))
    assert rb.state == State.ON_TRACK and rb.letters == []


def _post(client, world, items, fmt: str, **extra):
    client.force_login(world.office)
    with time_machine.travel(DAY, tick=False):
        return client.post(reverse("supervision_report"), {"items": [i.pk for i in items], "title": "督查专报",
                                                           "issue": 12, "note": "请各位领导阅示。", "format": fmt,
                                                           "year": 2026, **extra})


def test_the_pdf_carries_the_titles_and_the_office(world, two, client, settings) -> None:
    from pypdf import PdfReader

    resp = _post(client, world, two, "pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert "attachment" in resp["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(resp.content)).pages).replace(" ", "")
    for words in ("推进老旧小区改造", "西山县河道综合整治", settings.KAOHE_OFFICE_NAME, "第12期", "督字〔2026〕1号",
                  "张市长", "李副市长", "完成清淤3公里"):
        assert words in text, words


def test_the_word_file_opens_and_holds_titles_and_four_parties_in_a_cjk_font(world, two, client, settings) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    resp = _post(client, world, two, "docx")
    assert resp.status_code == 200 and resp["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for words in ("督查专报", "第 12 期", settings.KAOHE_OFFICE_NAME, "推进老旧小区改造", "西山县河道综合整治", "牵头领导",
                  "张市长", "责任领导", "李副市长", "牵头单位", "东城县", "责任单位", "西山县", "逾期", "督字〔2026〕1号",
                  "请各位领导阅示。"):
        assert words in text, words
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == report.DOCX_FONT


def test_an_empty_selection_is_refused_with_a_message(world, two, client) -> None:
    resp = _post(client, world, [], "pdf")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/html")
    assert "请至少选择一个督办事项。" in resp.content.decode()


def test_the_form_ticks_overdue_and_at_risk_items_to_begin_with(world, two, client) -> None:
    a, b = two
    client.force_login(world.office)
    with time_machine.travel(DAY, tick=False):
        resp = client.get(reverse("supervision_report"))
    assert resp.context["checked"] == {str(a.pk)}
    page = resp.content.decode()
    assert f'value="{a.pk}" id="it-{a.pk}" checked' in page and f'value="{b.pk}" id="it-{b.pk}">' in page
    assert 'value="督查专报"' in page


def test_only_the_office_makes_special_reports(world, client) -> None:
    for user in (world.leader, world.u1):
        client.force_login(user)
        assert client.get(reverse("supervision_report")).status_code == 403
