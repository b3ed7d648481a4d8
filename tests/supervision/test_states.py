"""The computed state over time: on track, at risk, overdue; completed, closed, reopened (time travel)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kaohe.audit.models import AuditEntry
from kaohe.supervision import services as svc
from kaohe.supervision.models import Item, State, Verification

from .helpers import make_item


def test_an_item_goes_from_not_started_to_on_track_to_at_risk_to_overdue(world) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        item = make_item(world, milestones=[("完成方案", dt.date(2026, 7, 31))])
        assert item.state_on(dt.date(2026, 6, 1)) == State.NOT_STARTED
        svc.report_progress(by=world.u1, item=item, text="已启动摸底", percent=30)
        assert item.state_on(dt.date(2026, 6, 1)) == State.ON_TRACK
    # the milestone passed undone: at risk, computed from the dates, not typed in
    assert item.state_on(dt.date(2026, 8, 1)) == State.AT_RISK
    m = item.milestones.get()
    m.done_at = dt.date(2026, 7, 30)
    m.save()
    assert item.state_on(dt.date(2026, 8, 1)) == State.ON_TRACK
    # seven days before the deadline and below 80 %
    assert item.state_on(dt.date(2026, 9, 23)) == State.AT_RISK
    assert item.state_on(dt.date(2026, 9, 30)) == State.AT_RISK
    assert item.state_on(dt.date(2026, 10, 1)) == State.OVERDUE


def test_near_the_deadline_with_80_percent_is_on_track(world) -> None:
    item = make_item(world)
    svc.report_progress(by=world.u1, item=item, text="主体完工", percent=85)
    assert item.state_on(dt.date(2026, 9, 28)) == State.ON_TRACK


def test_completed_closed_and_reopened_with_an_audit_entry_for_each_change(world) -> None:
    item = make_item(world)
    svc.report_progress(by=world.u1, item=item, text="已完工", percent=100)
    svc.mark_completed(by=world.u1, item=item, text="全部完成")
    item.refresh_from_db()
    assert item.state_on(dt.date(2026, 10, 5)) == State.COMPLETED  # not overdue: waiting for verification
    svc.close_item(by=world.office, item=item, verification="实地查看 12 个小区，均已完工", on_site=True)
    item.refresh_from_db()
    assert item.state_on(dt.date(2026, 10, 5)) == State.CLOSED
    svc.reopen_item(by=world.office, item=item, verification="回头看发现 2 个小区管网返修未完成",
                    deadline=dt.date(2026, 11, 30))
    item.refresh_from_db()
    assert item.status == Item.Status.REOPENED and item.deadline == dt.date(2026, 11, 30)
    assert item.state_on(dt.date(2026, 10, 5)) == State.REOPENED
    assert list(item.verifications.values_list("kind", flat=True)) == [Verification.Kind.CLOSE,
                                                                        Verification.Kind.LOOKBACK]
    svc.mark_completed(by=world.u1, item=item)
    item.refresh_from_db()
    assert item.state_on(dt.date(2026, 10, 5)) == State.COMPLETED
    actions = list(AuditEntry.objects.filter(object_type="supervision.Item", object_id=str(item.pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "progress", "complete", "close", "reopen", "complete"]
    close = AuditEntry.objects.get(object_type="supervision.Item", action="close")
    assert close.changes["status"] == ["completed", "closed"] and "实地查看" in close.reason


def test_an_item_cannot_be_closed_without_a_verification_text(world) -> None:
    item = make_item(world)
    with pytest.raises(svc.SupervisionRefused, match="核验"):
        svc.close_item(by=world.office, item=item, verification="   ")
    item.refresh_from_db()
    assert item.status == Item.Status.OPEN and not item.verifications.exists()
    svc.close_item(by=world.office, item=item, verification="资料核验通过")
    item.refresh_from_db()
    assert item.status == Item.Status.CLOSED
    assert item.verifications.get().kind == Verification.Kind.CLOSE


def test_only_the_office_closes_and_a_lookback_needs_its_text(world) -> None:
    item = make_item(world)
    with pytest.raises(svc.SupervisionRefused):
        svc.close_item(by=world.u1, item=item, verification="自己销号")
    svc.close_item(by=world.office, item=item, verification="资料核验通过")
    with pytest.raises(svc.SupervisionRefused, match="回头看"):
        svc.reopen_item(by=world.office, item=item, verification="")


def test_only_a_responsible_unit_reports_progress(world) -> None:
    item = make_item(world)
    for who in (world.u2, world.office, world.leader):
        with pytest.raises(svc.SupervisionRefused):
            svc.report_progress(by=who, item=item, text="代报", percent=10)


def test_progress_carries_evidence_and_completes_a_milestone(world) -> None:
    from tests.reporting.reports_setup import pdf

    item = make_item(world, milestones=[("完成方案", dt.date(2026, 7, 31))])
    m = item.milestones.get()
    p = svc.report_progress(by=world.u1, item=item, text="方案已印发", percent=20, milestone=m, milestone_done=True,
                            uploads=[pdf("实施方案.pdf")])
    assert [e.name for e in p.evidence.all()] == ["实施方案.pdf"]
    assert p.evidence.get().unit == world.unit1
    m.refresh_from_db()
    assert m.done_at is not None
    audit = AuditEntry.objects.filter(object_type="supervision.Item", action="progress").get()
    assert audit.changes["evidence"] == [None, ["实施方案.pdf"]]
