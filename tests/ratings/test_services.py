"""The rules of online rating, on the services: own unit, one submission, reasons, the window, the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Rating
from kaohe.ratings import services
from kaohe.ratings.models import Rater, SheetScore
from kaohe.web.models import Notice

from .conftest import cells


def test_a_unit_rater_cannot_be_assigned_its_own_unit(r) -> None:
    with pytest.raises(services.OwnUnit, match="不能评议本单位"):
        services.add_rater(by=r.office, cycle=r.cycle, group=r.peers, unit=r.u1, rates=[r.u1, r.u2], code="X1")
    assert not Rater.objects.filter(code="X1").exists()


def test_a_person_cannot_be_assigned_the_unit_they_work_in(r) -> None:
    with pytest.raises(services.OwnUnit):
        services.add_rater(by=r.office, cycle=r.cycle, group=r.leaders, user=r.w.u2, rates=[r.u2, r.u3])


def test_a_rater_cannot_be_given_their_own_unit_later(r) -> None:
    with pytest.raises(services.OwnUnit):
        services.update_rater(by=r.office, rater=r.peer1, rates=[r.u1, r.u2])
    assert set(r.peer1.rates.values_list("code", flat=True)) == {"U2", "U3"}


def test_a_hand_made_cell_for_the_raters_own_unit_is_refused_at_save(r) -> None:
    with pytest.raises(services.OwnUnit):
        services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u1: 100}))
    assert not SheetScore.objects.filter(rater=r.peer1).exists()


def test_a_cell_for_a_unit_not_on_the_sheet_is_refused_and_nothing_is_saved(r) -> None:
    with pytest.raises(services.SheetInvalid) as exc:
        services.save_sheet(by=r.w.u2, rater=r.peer2, cells=cells(r.leaf, {r.u1: 80, r.w.stat_unit: 90}))
    assert list(exc.value.errors) == [(r.leaf.pk, r.w.stat_unit.pk)]
    assert not SheetScore.objects.filter(rater=r.peer2).exists()


def test_a_score_below_the_line_needs_a_reason(r) -> None:
    with pytest.raises(services.SheetInvalid) as exc:
        services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 59.5, r.u3: 80}))
    assert "须说明理由" in exc.value.errors[(r.leaf.pk, r.u2.pk)]
    assert not SheetScore.objects.filter(rater=r.peer1).exists()
    services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 59.5, r.u3: 80}, {r.u2: "进度滞后"}))
    assert SheetScore.objects.get(rater=r.peer1, unit=r.u2).reason == "进度滞后"


def test_a_score_outside_0_to_100_is_refused(r) -> None:
    with pytest.raises(services.SheetInvalid):
        services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 101}))


def test_a_draft_may_leave_cells_empty_but_a_submission_may_not(r) -> None:
    assert services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: None})) == 1
    with pytest.raises(services.SheetInvalid) as exc:
        services.submit_sheet(by=r.w.u1, rater=r.peer1)
    assert list(exc.value.errors) == [(r.leaf.pk, r.u3.pk)]
    assert not Rating.objects.exists()
    r.peer1.refresh_from_db()
    assert r.peer1.submitted_at is None


def test_a_sheet_is_submitted_once(r) -> None:
    n = services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    assert n == 2
    rows = set(Rating.objects.filter(cycle=r.cycle).values_list("indicator__code", "unit__code", "group__code",
                                                                  "rater", "score"))
    assert rows == {("C1", "U2", "peers", r.peer1.code, 80.0), ("C1", "U3", "peers", r.peer1.code, 75.0)}
    with pytest.raises(services.AlreadySubmitted, match="已于"):
        services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 10, r.u3: 10}))
    with pytest.raises(services.AlreadySubmitted):
        services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 10}))
    assert Rating.objects.filter(cycle=r.cycle).count() == 2
    assert set(SheetScore.objects.filter(rater=r.peer1).values_list("score", flat=True)) == {80.0, 75.0}


def test_a_submitted_rater_can_neither_be_changed_nor_removed(r) -> None:
    services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    with pytest.raises(services.AlreadySubmitted):
        services.update_rater(by=r.office, rater=r.peer1, rates=[r.u2])
    with pytest.raises(services.AlreadySubmitted):
        services.delete_rater(by=r.office, rater=r.peer1)


def test_sheets_are_filled_only_while_the_window_is_open(r) -> None:
    with time_machine.travel(r.window.closes + dt.timedelta(days=1), tick=False):
        with pytest.raises(services.RatingClosed, match="截止"):
            services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80}))
    with time_machine.travel(r.window.opens - dt.timedelta(days=1), tick=False):
        with pytest.raises(services.RatingClosed, match="才开始"):
            services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 80}))
    assert not SheetScore.objects.exists()


def test_a_group_with_raters_cannot_be_deleted_but_an_empty_one_can(r) -> None:
    with pytest.raises(services.GroupInUse, match="评议人"):
        services.delete_group(by=r.office, group=r.peers)
    spare = services.save_group(by=r.office, cycle=r.cycle, group=None, code="towns", name="乡镇评部门", weight=0.3)
    services.delete_group(by=r.office, group=spare)
    assert not r.cycle.rater_groups.filter(code="towns").exists()


def test_a_group_named_by_a_leaf_cannot_be_deleted(r) -> None:
    spare = services.save_group(by=r.office, cycle=r.cycle, group=None, code="towns", name="乡镇评部门", weight=0.3)
    r.leaf.params = {"trim_min": 3, "groups": ["leaders", "towns"]}
    r.leaf.save()
    with pytest.raises(services.GroupInUse, match="C1"):
        services.delete_group(by=r.office, group=spare)


def test_rater_codes_are_generated_and_unique_in_the_cycle(r) -> None:
    assert [c.code for c in r.chiefs] == ["leaders-01", "leaders-02", "leaders-03"]
    with pytest.raises(services.RatingError, match="已被使用"):
        services.add_rater(by=r.office, cycle=r.cycle, group=r.peers, unit=r.w.stat_unit, rates=[r.u1],
                           code="leaders-01")


def test_reminders_reach_the_people_of_raters_who_have_not_submitted_once_a_day(r) -> None:
    services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    told = services.remind_raters(by=r.office, cycle=r.cycle)
    # three leaders and the people of U2 (u2); U3 has nobody on the platform; U1 has submitted
    assert told == 4
    assert Notice.objects.filter(user=r.w.u2, link__contains=f"/sheets/{r.peer2.pk}/").exists()
    assert not Notice.objects.filter(user=r.w.u1).exists()
    assert services.remind_raters(by=r.office, cycle=r.cycle) == 0


def test_every_change_is_in_the_audit_log(r) -> None:
    def actions() -> list[tuple[str, str]]:
        return list(AuditEntry.objects.filter(cycle_id=r.cycle.pk).order_by("id")
                    .values_list("action", "object_type"))

    start = len(actions())
    g = services.save_group(by=r.office, cycle=r.cycle, group=None, code="towns", name="乡镇评部门", weight=0.3)
    services.save_group(by=r.office, cycle=r.cycle, group=g, code="towns", name="乡镇评部门", weight=0.25)
    services.save_window(by=r.office, cycle=r.cycle, opens=r.window.opens, closes=r.window.closes, reason_below=50)
    x = services.add_rater(by=r.office, cycle=r.cycle, group=g, unit=r.w.stat_unit, rates=[r.u1])
    services.update_rater(by=r.office, rater=x, rates=[r.u1, r.u2])
    services.delete_rater(by=r.office, rater=x)
    services.delete_group(by=r.office, group=g)
    services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80}))
    services.submit_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    services.remind_raters(by=r.office, cycle=r.cycle)
    assert actions()[start:] == [
        ("create", "indicators.RaterGroup"), ("update", "indicators.RaterGroup"), ("update", "ratings.RatingWindow"),
        ("create", "ratings.Rater"), ("update", "ratings.Rater"), ("delete", "ratings.Rater"),
        ("delete", "indicators.RaterGroup"), ("update", "ratings.Rater"), ("submit", "ratings.Rater"),
        ("remind", "indicators.Cycle")]


def test_nothing_changed_writes_nothing(r) -> None:
    before = AuditEntry.objects.count()
    services.save_group(by=r.office, cycle=r.cycle, group=r.peers, code="peers", name="部门互评", weight=0.6)
    services.save_window(by=r.office, cycle=r.cycle, opens=r.window.opens, closes=r.window.closes, reason_below=60)
    assert services.update_rater(by=r.office, rater=r.peer1, rates=[r.u3, r.u2]) is False
    assert AuditEntry.objects.count() == before


def test_a_hand_made_cell_for_the_raters_own_unit_blocks_the_submission(r) -> None:
    services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    SheetScore.objects.create(rater=r.peer1, indicator=r.leaf, unit=r.u1, score=100)
    with pytest.raises(services.OwnUnit):
        services.submit_sheet(by=r.w.u1, rater=r.peer1)
    assert not Rating.objects.exists()


def test_cells_left_from_before_the_sheet_changed_are_not_submitted(r) -> None:
    services.save_sheet(by=r.w.u1, rater=r.peer1, cells=cells(r.leaf, {r.u2: 80, r.u3: 75}))
    r.leaf.params = {"trim_min": 3, "groups": ["leaders"]}  # the peers no longer rate C1 ...
    r.leaf.save()
    with pytest.raises(services.RatingError, match="没有要打分"):
        services.submit_sheet(by=r.w.u1, rater=r.peer1)
    r.leaf.params = {"trim_min": 3}  # ... and again they do, but U3 is no longer on the sheet
    r.leaf.save()
    r.peer1.rates.set([r.u2])
    assert services.submit_sheet(by=r.w.u1, rater=r.peer1) == 1
    assert list(Rating.objects.values_list("unit__code", flat=True)) == ["U2"]
