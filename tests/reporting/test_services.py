"""The report loop on the services: draft, submit, return, resubmit, accept or correct; each step audited."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Value
from kaohe.reporting import services
from kaohe.reporting.models import Evidence, Report

from .reports_setup import leaf, pdf, stored_files, window  # noqa: F401


def _audit(report: Report) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="reporting.Report", object_id=str(report.pk)).order_by("id"))


def test_the_loop_draft_submit_return_resubmit_accept_sets_the_value(world, media_root) -> None:
    window(world.cycle)
    a1 = leaf(world, "A1")
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=6.8,
                             account="全年增速 6.8%", uploads=[pdf()])
    assert r.state == Report.State.DRAFT and r.evidence.count() == 1
    r = services.submit_report(by=world.u1, report=r)
    assert r.state == Report.State.SUBMITTED and r.submitted_by == world.u1
    r = services.review_report(by=world.stat, report=r, decision="return", comment="请附统计局核定数")
    assert r.state == Report.State.RETURNED and r.review_comment == "请附统计局核定数"
    assert world.u1.notices.filter(text__contains="被退回").exists()
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=6.6,
                             account="按核定数修改")
    r = services.submit_report(by=world.u1, report=r)
    r = services.review_report(by=world.stat, report=r, decision="accept")
    assert r.state == Report.State.ACCEPTED and r.assessed == 6.6 and not r.corrected
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.6
    states = [e.changes.get("state") for e in _audit(r)]
    assert [s for s in states if s] == [[None, "draft"], ["draft", "submitted"], ["submitted", "returned"], ["returned", "submitted"],
                                        ["submitted", "accepted"]]
    assert len(_audit(r)) == 6  # created, submitted, returned, edited, resubmitted, accepted
    value_entry = AuditEntry.objects.filter(object_type="indicators.Value").latest("id")
    assert value_entry.reason.startswith("审核采纳") and value_entry.changes["actual"] == [6.3, 6.6]


def test_a_correction_needs_a_value_and_a_reason_and_sets_both_assessed_and_value(world, media_root) -> None:
    window(world.cycle)
    a1 = leaf(world, "A1")
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=7.0, account="")
    r = services.submit_report(by=world.u1, report=r)
    with pytest.raises(services.ReviewInvalid):
        services.review_report(by=world.stat, report=r, decision="correct", value=6.5)
    with pytest.raises(services.ReviewInvalid):
        services.review_report(by=world.stat, report=r, decision="correct", reason="以统计局核定数为准")
    r = services.review_report(by=world.stat, report=r, decision="correct", value=6.5, reason="以统计局核定数为准")
    assert (r.state, r.actual, r.assessed, r.corrected) == (Report.State.ACCEPTED, 7.0, 6.5, True)
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.5
    assert AuditEntry.objects.filter(object_type="indicators.Value", reason="以统计局核定数为准").exists()


def test_only_a_submitted_report_is_reviewed_and_only_by_its_lead_unit_or_the_office(world, media_root) -> None:
    window(world.cycle)
    a1 = leaf(world, "A1")
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=7.0, account="")
    with pytest.raises(services.ReportLocked, match="只能审核待审核"):
        services.review_report(by=world.stat, report=r, decision="accept")
    r = services.submit_report(by=world.u1, report=r)
    for someone in (world.leader, world.u1, world.u2):
        with pytest.raises(services.NotAllowed):
            services.review_report(by=someone, report=r, decision="accept")
    services.review_report(by=world.office, report=r, decision="accept")


def test_a_submitted_report_is_locked_to_the_unit(world, media_root) -> None:
    window(world.cycle)
    a1 = leaf(world, "A1")
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=7.0, account="",
                             uploads=[pdf()])
    services.submit_report(by=world.u1, report=r)
    with pytest.raises(services.ReportLocked, match="待审核"):
        services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=9.0, account="")
    with pytest.raises(services.ReportLocked):
        services.remove_evidence(by=world.u1, report=r, evidence=r.evidence.get())
    with pytest.raises(services.ReportLocked):
        services.submit_report(by=world.u1, report=r)
    r.refresh_from_db()
    assert r.actual == 7.0 and r.evidence.count() == 1


def test_submitting_needs_an_actual_value(world, media_root) -> None:
    window(world.cycle)
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=leaf(world, "A1"),
                             actual=None, account="还在核实")
    with pytest.raises(services.ReportError, match="先填写完成值"):
        services.submit_report(by=world.u1, report=r)


def test_a_unit_reports_only_for_itself_and_only_on_leaves_that_apply(world, media_root) -> None:
    window(world.cycle)
    with pytest.raises(services.NotAllowed):
        services.save_report(by=world.u2, cycle=world.cycle, unit=world.unit1, indicator=leaf(world, "A1"),
                             actual=1.0, account="")
    with pytest.raises(services.NotAllowed):
        services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=leaf(world, "A"),
                             actual=1.0, account="")
    assert not Report.objects.exists()


def test_removing_evidence_from_a_draft_deletes_the_file_and_is_audited(world, media_root,
                                                                          django_capture_on_commit_callbacks) -> None:
    window(world.cycle)
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=leaf(world, "A1"),
                             actual=6.0, account="", uploads=[pdf()])
    ev = r.evidence.get()
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(by=world.u1, report=r, evidence=ev)
    assert r.evidence.count() == 0 and not Evidence.objects.exists()
    assert stored_files(media_root) == []
    assert _audit(r)[-1].changes == {"evidence": ["统计公报.pdf", None]}


def test_after_the_window_closes_a_report_is_corrected_not_returned(world, media_root) -> None:
    import datetime as dt

    import time_machine

    phase = window(world.cycle, opens=-5, closes=1)
    a1 = leaf(world, "A1")
    r = services.save_report(by=world.u1, cycle=world.cycle, unit=world.unit1, indicator=a1, actual=6.8, account="")
    r = services.submit_report(by=world.u1, report=r)
    with time_machine.travel(dt.datetime.combine(phase.report_closes + dt.timedelta(days=2), dt.time(10))):
        with pytest.raises(services.ReviewInvalid, match="请直接修正审定值"):
            services.review_report(by=world.stat, report=r, decision="return", comment="请补充材料")
        r.refresh_from_db()
        assert r.state == Report.State.SUBMITTED
        r = services.review_report(by=world.stat, report=r, decision="correct", value=6.5, reason="按统计年报核定")
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.5
