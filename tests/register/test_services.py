"""The register's services: approval feeds the engine (with the caps), rejection does not, every change audited."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Adjustment
from kaohe.register import services
from kaohe.register.models import Entry
from kaohe.results.services import compute_cycle
from kaohe.web.models import Notice


def _result(world, unit):
    return compute_cycle(by=world.office, cycle=world.cycle).unit_results.get(unit=unit)


def _apply(world, *, source="award", points=2.0, unit=None, by=None, title="省级文明县城"):
    return services.apply_entry(by=by or world.u1, cycle=world.cycle, unit=unit or world.unit1, source=source,
                                title=title, reference="市委〔2026〕12号", points_claimed=points)


def test_approving_a_bonus_adds_its_points_to_the_units_total(world) -> None:
    before = _result(world, world.unit1)
    entry = _apply(world)
    services.decide_entry(by=world.office, entry=entry, approve=True, points=1.5)
    after = _result(world, world.unit1)
    assert after.bonus == pytest.approx(before.bonus + 1.5)
    assert after.total == pytest.approx(before.total + 1.5)
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED and entry.points == 1.5
    assert entry.decided_by == world.office and entry.decided_at is not None
    adj = entry.adjustment
    assert (adj.cycle, adj.unit, adj.kind, adj.points, adj.reason) == (world.cycle, world.unit1, "bonus", 1.5,
                                                                        "省级文明县城")


def test_the_bonus_cap_from_the_cycle_settings_limits_what_counts(world) -> None:
    world.cycle.settings = {**world.cycle.settings, "bonus_cap": 2}
    world.cycle.save()
    before = _result(world, world.unit1)
    for title in ("甲", "乙"):
        entry = _apply(world, title=title)
        services.decide_entry(by=world.office, entry=entry, approve=True, points=1.5)
    after = _result(world, world.unit1)
    assert after.bonus == pytest.approx(2.0)
    assert after.total == pytest.approx(before.total + 2.0)


def test_a_deduction_and_a_veto_recorded_by_the_office_reach_the_engine(world) -> None:
    before = _result(world, world.unit1)
    d = services.record_entry(by=world.office, cycle=world.cycle, unit=world.unit1, kind="deduction",
                              source="letter", title="督查通报", reason="重点项目推进不力", points_claimed=1)
    services.decide_entry(by=world.office, entry=d, approve=True, points=0.8)
    v = services.record_entry(by=world.office, cycle=world.cycle, unit=world.unit1, kind="veto", source="incident",
                              title="较大安全事故", reason="发生较大生产安全事故")
    services.decide_entry(by=world.office, entry=v, approve=True)
    after = _result(world, world.unit1)
    assert after.deduction == pytest.approx(before.deduction + 0.8)
    assert after.vetoed and not before.vetoed
    assert Adjustment.objects.get(entry=v).points == 0


def test_rejecting_creates_no_adjustment_and_needs_a_reason(world) -> None:
    entry = _apply(world)
    with pytest.raises(services.EntryRefused):
        services.decide_entry(by=world.office, entry=entry, approve=False, decision="")
    services.decide_entry(by=world.office, entry=entry, approve=False, decision="不属于市级以上表彰")
    entry.refresh_from_db()
    assert entry.state == Entry.State.REJECTED and entry.adjustment is None
    assert not Adjustment.objects.filter(unit=world.unit1).exists()


def test_an_innovation_items_points_are_the_experts_average(world) -> None:
    entry = _apply(world, source="innovation", points=3)
    with pytest.raises(services.EntryRefused, match="专家"):
        services.decide_entry(by=world.office, entry=entry, approve=True)
    for name, score in (("张教授", 2.0), ("李研究员", 2.5), ("王处长", 2.2)):
        services.add_expert_score(by=world.office, entry=entry, expert=name, score=score)
    with pytest.raises(services.EntryRefused):
        services.add_expert_score(by=world.office, entry=entry, expert="张教授", score=1)
    services.decide_entry(by=world.office, entry=entry, approve=True)
    entry.refresh_from_db()
    assert entry.points == 2.23  # (2.0 + 2.5 + 2.2) / 3 = 2.2333…
    assert entry.adjustment.points == 2.23


def test_a_unit_cannot_apply_for_another_unit_nor_record_a_deduction(world) -> None:
    with pytest.raises(services.EntryRefused):
        _apply(world, by=world.u1, unit=world.unit2)
    with pytest.raises(services.EntryRefused):
        services.record_entry(by=world.u1, cycle=world.cycle, unit=world.unit1, kind="deduction", source="letter",
                              title="自己扣分", reason="x", points_claimed=1)
    with pytest.raises(services.EntryRefused):
        services.apply_entry(by=world.u1, cycle=world.cycle, unit=world.unit1, source="letter", title="x",
                             points_claimed=1)
    assert not Entry.objects.exists()


def test_a_unit_cannot_decide_its_own_entry(world) -> None:
    entry = _apply(world)
    with pytest.raises(services.EntryRefused):
        services.decide_entry(by=world.u1, entry=entry, approve=True, points=2)


def test_withdrawing_an_approval_removes_the_adjustment_and_needs_a_reason(world) -> None:
    entry = _apply(world)
    services.decide_entry(by=world.office, entry=entry, approve=True, points=2)
    with pytest.raises(services.EntryRefused):
        services.withdraw_entry(by=world.office, entry=entry, reason=" ")
    services.withdraw_entry(by=world.office, entry=entry, reason="文件复核不符")
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPLIED and entry.adjustment is None and entry.points is None
    assert not Adjustment.objects.filter(unit=world.unit1).exists()
    # the workbook's adjustment for U2 is not the register's to touch
    assert Adjustment.objects.filter(unit=world.unit2, points=1.5).exists()


def test_a_decision_after_publication_needs_a_reason(world) -> None:
    from kaohe.indicators.gates import PhaseClosed
    from kaohe.indicators.gates import today
    from kaohe.results.services import announce_run

    run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=run, until=today())
    entry = _apply(world)
    with pytest.raises(PhaseClosed):
        services.decide_entry(by=world.office, entry=entry, approve=True, points=1)
    services.decide_entry(by=world.office, entry=entry, approve=True, points=1, decision="复核后补录")
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.APPROVED


def test_the_unit_is_told_when_its_entry_is_decided(world) -> None:
    entry = _apply(world)
    services.decide_entry(by=world.office, entry=entry, approve=True, points=1)
    notice = Notice.objects.get(user=world.u1)
    assert "已批准" in notice.text and str(entry.pk) in notice.link
    assert not Notice.objects.filter(user=world.u2).exists()


def test_every_state_change_is_in_the_audit_log(world) -> None:
    entry = _apply(world, source="innovation")
    services.add_expert_score(by=world.office, entry=entry, expert="张教授", score=2)
    services.decide_entry(by=world.office, entry=entry, approve=True)
    services.withdraw_entry(by=world.office, entry=entry, reason="复核")
    services.decide_entry(by=world.office, entry=entry, approve=False, decision="不符合条件")
    log = list(AuditEntry.objects.filter(object_type="register.Entry", object_id=str(entry.pk)).order_by("id"))
    assert [e.action for e in log] == ["create", "expert_score", "approve", "withdraw", "reject"]
    assert log[2].changes["state"] == ["applied", "approved"]
    assert log[3].reason == "复核" and log[3].changes["state"] == ["approved", "applied"]
    assert log[4].changes["state"] == ["applied", "rejected"]
