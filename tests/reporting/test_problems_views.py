"""The half-year problem pages: what each role sees, importing, sending, answering with evidence, verifying."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.reporting import problems as svc
from kaohe.reporting.models import Problem

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _url(name, world, **kw):
    return reverse(name, kwargs={"cycle": world.cycle.pk, **kw})


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.append(svc.SHEET_HEADERS)
    for r in rows:
        ws.append(list(r))
    buf = BytesIO()
    book.save(buf)
    return SimpleUploadedFile("问题.xlsx", buf.getvalue())


@pytest.fixture
def sent(world):
    p1 = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="东城的问题")
    p2 = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit2, text="西山的问题")
    svc.send_problems(by=world.office, cycle=world.cycle)
    draft = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="尚未下发")
    return p1, p2, draft


def test_a_unit_sees_only_its_own_sent_problems(world, client, sent) -> None:
    p1, p2, draft = sent
    client.force_login(world.u1)
    resp = client.get(_url("problem_list", world))
    assert [p.pk for p in resp.context["problems"]] == [p1.pk]
    page = resp.content.decode()
    assert "西山" not in page and "尚未下发" not in page
    assert client.get(_url("problem_detail", world, pk=p2.pk)).status_code == 404
    assert client.get(_url("problem_detail", world, pk=draft.pk)).status_code == 404
    assert client.get(_url("problem_detail", world, pk=p1.pk)).status_code == 200


def test_the_office_filters_by_state_unit_and_overdue(world, client, sent) -> None:
    p1, p2, draft = sent
    Problem.objects.filter(pk=p2.pk).update(answer_by=dt.date(2000, 1, 1))
    client.force_login(world.office)
    got = lambda **q: [p.pk for p in client.get(_url("problem_list", world), q).context["problems"]]  # noqa: E731
    assert sorted(got()) == sorted([p1.pk, p2.pk, draft.pk])
    assert got(state="recorded") == [draft.pk]
    assert sorted(got(unit=world.unit1.pk)) == sorted([p1.pk, draft.pk])
    assert got(overdue="1") == [p2.pk]
    counts = {c.unit.code: c for c in client.get(_url("problem_list", world)).context["counts"]}
    assert (counts["U1"].recorded, counts["U1"].open, counts["U2"].overdue) == (1, 1, 1)


def test_the_office_imports_a_sheet_and_a_bad_one_is_reported_by_row(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(_url("problem_import", world), {"file": _xlsx([("U1", "A1", "好的行", "2026-08-31"),
                                                                       ("U1", "A1", "", "")])})
    assert resp.status_code == 200 and not Problem.objects.exists()
    errors = resp.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(3, "问题")]
    page = resp.content.decode()
    assert "发现 1 个问题，未导入任何内容" in page and "<td>3</td><td>问题</td>" in page
    resp = client.post(_url("problem_import", world), {"file": _xlsx([("U1", "A1", "好的行", "2026-08-31"),
                                                                       ("U2", None, "另一行", None)])})
    assert resp.status_code == 302 and Problem.objects.count() == 2


def test_the_template_has_the_headers(world, client) -> None:
    client.force_login(world.office)
    resp = client.get(_url("problem_template", world))
    ws = load_workbook(BytesIO(resp.content)).active
    assert [c.value for c in ws[1]] == ["单位编号", "指标编号", "问题", "反馈期限"]


def test_sending_only_the_chosen_problems(world, client) -> None:
    a = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="一")
    b = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="二")
    client.force_login(world.office)
    page = client.post(_url("problem_send", world), {"scope": "chosen"}, follow=True).content.decode()
    assert "没有勾选问题" in page  # nothing ticked sends nothing, rather than everything
    assert not Problem.objects.filter(state="sent").exists()
    assert client.post(_url("problem_send", world), {"problem": [a.pk], "scope": "chosen"}).status_code == 302
    assert Problem.objects.get(pk=a.pk).state == "sent" and Problem.objects.get(pk=b.pk).state == "recorded"


def test_a_unit_answers_with_evidence_and_the_office_closes(world, client, sent, media_root) -> None:
    p1, _p2, _draft = sent
    client.force_login(world.u1)
    resp = client.post(_url("problem_answer", world, pk=p1.pk), {"measures": "", "due": "2099-01-01"})
    assert resp.status_code == 200 and Problem.objects.get(pk=p1.pk).state == "sent"
    resp = client.post(_url("problem_answer", world, pk=p1.pk), {
        "measures": "建立周调度机制", "due": "2099-01-01",
        "files": [SimpleUploadedFile("整改台账.pdf", PDF, content_type="application/pdf")]})
    assert resp.status_code == 302
    p1.refresh_from_db()
    ev = p1.evidence.get()
    assert p1.state == "answered" and ev.unit == world.unit1
    client.force_login(world.u2)
    assert client.get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code == 404
    client.force_login(world.office)
    assert client.post(_url("problem_close", world, pk=p1.pk), {"verification": ""}).status_code == 200
    assert client.post(_url("problem_close", world, pk=p1.pk), {"verification": "核验属实"}).status_code == 302
    assert Problem.objects.get(pk=p1.pk).state == "closed"
    page = client.get(_url("problem_detail", world, pk=p1.pk)).content.decode()
    assert "销号" in page and "核验属实" in page


def test_the_export_is_every_problem(world, client, sent) -> None:
    client.force_login(world.leader)
    ws = load_workbook(BytesIO(client.get(_url("problem_export", world)).content)).active
    assert ws.max_row == 4
    assert AuditEntry.objects.filter(action="send").count() == 2
