"""The unit's reporting pages and the review pages, through the client."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.indicators import gates
from kaohe.indicators.models import Value
from kaohe.reporting import services
from kaohe.reporting.models import Evidence, Report

from .reports_setup import PDF, leaf, pdf, stored_files, window  # noqa: F401


def _edit(world, code: str = "A1") -> str:
    return reverse("report_edit", kwargs={"cycle": world.cycle.pk, "indicator": leaf(world, code).pk})


def _submitted(world, unit_user, unit, code: str = "A1", actual: float = 6.9) -> Report:
    r = services.save_report(by=unit_user, cycle=world.cycle, unit=unit, indicator=leaf(world, code), actual=actual,
                             account="说明", uploads=[pdf()])
    return services.submit_report(by=unit_user, report=r)


def test_a_unit_sees_its_window_its_data_leaves_and_their_targets(world, client) -> None:
    window(world.cycle, closes=4)
    client.force_login(world.u1)
    page = client.get(reverse("report_list", kwargs={"cycle": world.cycle.pk})).content.decode()
    assert "还剩 4 天" in page
    assert "地区生产总值增速" in page and "安全生产事故" in page and "满意度测评" in page
    assert "6" in page  # the target of A1
    assert "西山县" not in page


def test_office_and_leader_opening_the_unit_list_go_to_the_review_queue(world, client) -> None:
    window(world.cycle)
    for who in (world.office, world.leader):
        client.force_login(who)
        resp = client.get(reverse("report_list", kwargs={"cycle": world.cycle.pk}))
        assert resp.status_code == 302 and resp.url == reverse("review_queue", kwargs={"cycle": world.cycle.pk})


def test_a_unit_saves_a_draft_with_files_then_submits_and_the_report_becomes_read_only(world, client, media_root) -> None:
    window(world.cycle)
    client.force_login(world.u1)
    resp = client.post(_edit(world), {"actual": "6.8", "account": "全年增速", "action": "save",
                                      "files": [pdf("a.pdf"), pdf("b.pdf")]})
    assert resp.status_code == 302
    r = Report.objects.get(unit=world.unit1)
    assert r.state == Report.State.DRAFT and sorted(e.name for e in r.evidence.all()) == ["a.pdf", "b.pdf"]
    page = client.get(_edit(world)).content.decode()
    main = page[page.index('enctype="multipart/form-data"'):]
    main = main[:main.index("</form>")]
    assert "<form" not in main and main.count('form="ev-del-') == 2  # remove buttons point at forms of their own
    resp = client.post(_edit(world), {"actual": "6.8", "account": "全年增速", "action": "submit"})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.state == Report.State.SUBMITTED
    page = client.get(_edit(world)).content.decode()
    assert "已提交审核" in page and 'name="actual"' not in page and "a.pdf" in page
    resp = client.post(_edit(world), {"actual": "9", "account": "改", "action": "save"})
    assert resp.status_code == 200 and "不能再修改" in resp.content.decode()
    r.refresh_from_db()
    assert r.actual == 6.8


def test_submitting_without_a_value_is_a_form_error(world, client, media_root) -> None:
    window(world.cycle)
    client.force_login(world.u1)
    resp = client.post(_edit(world), {"actual": "", "account": "x", "action": "submit"})
    assert resp.status_code == 200 and "提交审核前须填写完成值" in resp.content.decode()
    assert not Report.objects.exists()


def test_an_upload_whose_content_is_not_allowed_is_refused_and_nothing_is_kept(world, client, media_root) -> None:
    window(world.cycle)
    client.force_login(world.u1)
    fake = SimpleUploadedFile("公报.pdf", "这其实是一段文字，不是PDF。".encode() * 20, content_type="application/pdf")
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
                             content_type="application/octet-stream")
    for bad in (fake, exe):
        resp = client.post(_edit(world), {"actual": "6.8", "account": "x", "action": "save", "files": [pdf(), bad]})
        page = resp.content.decode()
        assert resp.status_code == 200
        assert bad.name in page and "不是允许的文件类型" in page
    assert not Evidence.objects.exists() and not Report.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_over_the_limit_is_refused(world, client, media_root, settings) -> None:
    settings.KAOHE_MAX_UPLOAD = 64
    window(world.cycle)
    client.force_login(world.u1)
    resp = client.post(_edit(world), {"actual": "6.8", "account": "x", "action": "save", "files": [pdf("大.pdf")]})
    page = resp.content.decode()
    assert "“大.pdf”超过大小上限" in page
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_after_the_window_closes_the_unit_cannot_save_or_submit(world, client, media_root) -> None:
    phase = window(world.cycle, opens=-10, closes=-1)
    client.force_login(world.u1)
    page = client.get(_edit(world)).content.decode()
    assert "已截止" in page and 'name="actual"' not in page
    resp = client.post(_edit(world), {"actual": "6.8", "account": "x", "action": "submit"})
    assert "已于 %s 截止" % phase.report_closes in resp.content.decode()
    assert not Report.objects.exists()


def test_a_draft_left_open_cannot_be_submitted_once_the_window_has_closed(world, client, media_root) -> None:
    phase = window(world.cycle, opens=-3, closes=2)
    services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=leaf(world, "A1"), actual=6.0,
                         account="")
    client.force_login(world.u1)
    later = dt.datetime.combine(phase.report_closes + dt.timedelta(days=1), dt.time(10, 0))
    with time_machine.travel(later.replace(tzinfo=dt.UTC)):
        assert gates.today() > phase.report_closes
        resp = client.post(_edit(world), {"actual": "6.5", "account": "x", "action": "submit"})
        assert resp.status_code == 200 and "截止" in resp.content.decode()
    r = Report.objects.get()
    assert r.state == Report.State.DRAFT and r.actual == 6.0


def test_a_unit_cannot_read_another_units_report_nor_its_evidence(world, client, media_root) -> None:
    window(world.cycle)
    r1 = _submitted(world, world.u1, world.unit1)
    ev = r1.evidence.get()
    client.force_login(world.u2)
    assert client.get(reverse("report_detail", kwargs={"cycle": world.cycle.pk, "pk": r1.pk})).status_code == 404
    assert client.get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code == 404
    post = reverse("report_evidence_delete", kwargs={"cycle": world.cycle.pk, "pk": r1.pk, "ev": ev.pk})
    assert client.post(post).status_code == 404
    # the lead unit of A1 reads the report and its file; the unit itself too
    for who in (world.stat, world.u1):
        client.force_login(who)
        assert client.get(reverse("report_detail", kwargs={"cycle": world.cycle.pk, "pk": r1.pk})).status_code == 200
        resp = client.get(reverse("evidence_download", kwargs={"pk": ev.pk}))
        assert resp.status_code == 200 and b"".join(resp.streaming_content) == PDF


def test_the_lead_unit_returns_then_accepts_through_the_pages(world, client, media_root) -> None:
    window(world.cycle)
    r = _submitted(world, world.u1, world.unit1, actual=6.6)
    review = reverse("report_review", kwargs={"cycle": world.cycle.pk, "pk": r.pk})
    client.force_login(world.stat)
    page = client.get(reverse("review_queue", kwargs={"cycle": world.cycle.pk})).content.decode()
    assert reverse("report_detail", kwargs={"cycle": world.cycle.pk, "pk": r.pk}) in page
    resp = client.post(review, {"decision": "return", "comment": ""})
    assert resp.status_code == 200 and "退回须填写审核意见" in resp.content.decode()
    assert client.post(review, {"decision": "return", "comment": "缺佐证"}).status_code == 302
    client.force_login(world.u1)
    page = client.get(_edit(world)).content.decode()
    assert "缺佐证" in page and 'name="actual"' in page
    client.post(_edit(world), {"actual": "6.6", "account": "补充", "action": "submit", "files": [pdf("补充.pdf")]})
    client.force_login(world.stat)
    assert client.post(review, {"decision": "accept"}).status_code == 302
    assert Value.objects.get(indicator=r.indicator, unit=world.unit1).actual == 6.6
    page = client.get(reverse("report_detail", kwargs={"cycle": world.cycle.pk, "pk": r.pk})).content.decode()
    assert "已采纳" in page and "缺佐证" in page  # the history keeps the return


def test_the_leader_reads_a_report_but_never_reviews_it(world, client, media_root) -> None:
    window(world.cycle)
    r = _submitted(world, world.u1, world.unit1)
    client.force_login(world.leader)
    page = client.get(reverse("report_detail", kwargs={"cycle": world.cycle.pk, "pk": r.pk})).content.decode()
    assert "提交审核结论" not in page
    resp = client.post(reverse("report_review", kwargs={"cycle": world.cycle.pk, "pk": r.pk}), {"decision": "accept"})
    assert resp.status_code == 403
    r.refresh_from_db()
    assert r.state == Report.State.SUBMITTED


def test_the_queue_counts_by_state_and_the_office_filters_by_lead_unit(world, client, media_root) -> None:
    window(world.cycle)
    _submitted(world, world.u1, world.unit1)
    r2 = _submitted(world, world.u2, world.unit2)
    services.review_report(by=world.stat, report=r2, decision="accept")
    client.force_login(world.stat)
    resp = client.get(reverse("review_queue", kwargs={"cycle": world.cycle.pk}))
    q = resp.context["queue"]
    assert (q.overall.submitted, q.overall.accepted, q.overall.returned, q.overall.missing) == (1, 1, 0, 1)
    assert [t.obj.code for t in q.per_indicator] == ["A1"]
    client.force_login(world.office)
    q = client.get(reverse("review_queue", kwargs={"cycle": world.cycle.pk})).context["queue"]
    assert [t.obj.code for t in q.per_indicator] == ["A1", "A2", "B1"]
    q = client.get(reverse("review_queue", kwargs={"cycle": world.cycle.pk}),
                   {"lead": world.stat_unit.pk}).context["queue"]
    assert [t.obj.code for t in q.per_indicator] == ["A1"]
    resp = client.get(reverse("review_export", kwargs={"cycle": world.cycle.pk}))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_every_state_change_is_in_the_audit_log(world, client, media_root) -> None:
    window(world.cycle)
    before = AuditEntry.objects.filter(object_type="reporting.Report").count()
    r = _submitted(world, world.u1, world.unit1)
    services.review_report(by=world.stat, report=r, decision="return", comment="补材料")
    services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=r.indicator, actual=7.1,
                         account="")
    services.submit_report(by=world.u1, report=r)
    services.review_report(by=world.office, report=r, decision="correct", value=7.0, reason="按核定数")
    entries = AuditEntry.objects.filter(object_type="reporting.Report", object_id=str(r.pk)).order_by("id")
    assert entries.count() - before == 6
    assert [e.changes["state"][1] for e in entries if "state" in e.changes] == [
        "draft", "submitted", "returned", "submitted", "accepted"]


def test_without_a_reporting_window_the_pages_say_so_and_nothing_can_be_saved(world, client) -> None:
    client.force_login(world.u1)
    page = client.get(reverse("report_list", kwargs={"cycle": world.cycle.pk})).content.decode()
    assert "尚未设置填报窗口" in page
    page = client.get(_edit(world)).content.decode()
    assert "尚未设置填报窗口" in page and 'name="actual"' not in page
    resp = client.post(_edit(world), {"actual": "1", "account": "", "action": "save"})
    assert "尚未设置填报窗口" in resp.content.decode() and not Report.objects.exists()
    client.force_login(world.office)
    resp = client.get(reverse("review_queue", kwargs={"cycle": world.cycle.pk}))
    assert resp.status_code == 200 and resp.context["queue"].overall.missing == 9
    assert "催报未提交单位" not in resp.content.decode()
