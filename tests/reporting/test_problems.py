"""Half-year problems: the state rules, overdue by date, the all-or-nothing import, and the audit trail."""

from __future__ import annotations

import datetime as dt
import time
from io import BytesIO

import pytest
import time_machine
from openpyxl import Workbook

from kaohe.audit.models import AuditEntry
from kaohe.reporting import problems as svc
from kaohe.reporting.models import Problem
from kaohe.results.services import compute_cycle
from kaohe.web.models import Notice

TODAY = dt.date(2026, 7, 15)


def _sheet(rows, headers=("单位编号", "指标编号", "问题", "反馈期限")) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sent(world, unit=None, **kw) -> Problem:
    p = svc.record_problem(by=world.office, cycle=world.cycle, unit=unit or world.unit1, text="项目入库进度偏慢", **kw)
    svc.send_problems(by=world.office, cycle=world.cycle, ids=[p.pk])
    p.refresh_from_db()
    return p


@time_machine.travel(TODAY, tick=False)
def test_the_loop_record_send_answer_close(world) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle, stage="half_year")
    a1 = world.cycle.indicators.get(code="A1")
    p = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, indicator=a1, run=run,
                           text="GDP 增速低于目标", answer_by=dt.date(2026, 7, 31))
    assert p.state == Problem.State.RECORDED
    assert svc.send_problems(by=world.office, cycle=world.cycle) == 1
    p.refresh_from_db()
    assert p.state == Problem.State.SENT and p.sent_at is not None
    svc.answer_problem(by=world.u1, problem=p, measures="加快重点项目投产", due=dt.date(2026, 9, 30))
    p.refresh_from_db()
    assert (p.state, p.due, p.answered_by) == (Problem.State.ANSWERED, dt.date(2026, 9, 30), world.u1)
    svc.close_problem(by=world.office, problem=p, verification="已现场核验")
    p.refresh_from_db()
    assert p.state == Problem.State.CLOSED and p.closed_by == world.office and p.closed_at is not None


def test_only_a_half_year_run_of_the_cycle_is_accepted(world) -> None:
    year_end = compute_cycle(by=world.office, cycle=world.cycle)
    with pytest.raises(svc.ProblemRefused):
        svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="x", run=year_end)


def test_a_problem_is_answered_only_once_sent_and_only_by_its_unit(world) -> None:
    p = svc.record_problem(by=world.office, cycle=world.cycle, unit=world.unit1, text="x")
    with pytest.raises(svc.ProblemRefused, match="不能反馈"):
        svc.answer_problem(by=world.u1, problem=p, measures="m", due=dt.date(2099, 1, 1))
    svc.send_problems(by=world.office, cycle=world.cycle)
    for someone in (world.u2, world.office, world.stat):
        with pytest.raises(svc.ProblemRefused, match="所属单位"):
            svc.answer_problem(by=someone, problem=p, measures="m", due=dt.date(2099, 1, 1))
    with pytest.raises(svc.ProblemRefused):
        svc.answer_problem(by=world.u1, problem=p, measures=" ", due=dt.date(2099, 1, 1))


@time_machine.travel(TODAY, tick=False)
def test_the_completion_date_may_not_lie_in_the_past(world) -> None:
    p = _sent(world)
    with pytest.raises(svc.ProblemRefused, match="早于今天"):
        svc.answer_problem(by=world.u1, problem=p, measures="m", due=TODAY - dt.timedelta(days=1))
    svc.answer_problem(by=world.u1, problem=p, measures="m", due=TODAY)


def test_a_problem_is_closed_only_when_answered_and_with_a_verification_note(world) -> None:
    p = _sent(world)
    with pytest.raises(svc.ProblemRefused, match="尚未反馈"):
        svc.close_problem(by=world.office, problem=p, verification="好")
    svc.answer_problem(by=world.u1, problem=p, measures="m", due=dt.date(2099, 1, 1))
    with pytest.raises(svc.ProblemRefused, match="核验意见"):
        svc.close_problem(by=world.office, problem=p, verification="  ")
    with pytest.raises(svc.ProblemRefused):
        svc.close_problem(by=world.u1, problem=p, verification="自己销号")
    assert Problem.objects.get(pk=p.pk).state == Problem.State.ANSWERED


def test_reopening_sends_the_problem_back_with_the_note_and_tells_the_unit(world) -> None:
    p = _sent(world)
    svc.answer_problem(by=world.u1, problem=p, measures="m", due=dt.date(2099, 1, 1))
    svc.reopen_problem(by=world.office, problem=p, verification="台账不全，未整改到位")
    p.refresh_from_db()
    assert p.state == Problem.State.SENT and p.verification == "台账不全，未整改到位"
    assert Notice.objects.filter(user=world.u1, text__contains="核验未通过").exists()
    svc.answer_problem(by=world.u1, problem=p, measures="补齐台账", due=dt.date(2099, 1, 1))


def test_overdue_follows_the_dates(world) -> None:
    with time_machine.travel(dt.date(2026, 7, 1), tick=False):
        p = _sent(world, answer_by=dt.date(2026, 7, 10))
        assert not p.overdue_on(svc.gates.today())
        assert not svc.problems_for(world.office, world.cycle, overdue=True).exists()
    with time_machine.travel(dt.date(2026, 7, 11), tick=False):
        assert p.overdue_on(svc.gates.today())
        assert list(svc.problems_for(world.office, world.cycle, overdue=True)) == [p]
        assert svc.unit_counts(world.office, world.cycle)[0].overdue == 1
        svc.answer_problem(by=world.u1, problem=p, measures="m", due=dt.date(2026, 8, 31))
        assert not svc.problems_for(world.office, world.cycle, overdue=True).exists()
    with time_machine.travel(dt.date(2026, 9, 1), tick=False):
        p.refresh_from_db()
        assert p.overdue_on(svc.gates.today())  # answered, but not done by the unit's own date
        assert svc.problems_for(world.office, world.cycle, overdue=True).count() == 1
        svc.close_problem(by=world.office, problem=p, verification="已整改")
        assert not svc.problems_for(world.office, world.cycle, overdue=True).exists()


def test_sending_tells_each_unit_once_with_its_count(world) -> None:
    for unit, n in ((world.unit1, 2), (world.unit2, 1)):
        for i in range(n):
            svc.record_problem(by=world.office, cycle=world.cycle, unit=unit, text=f"问题{i}")
    assert svc.send_problems(by=world.office, cycle=world.cycle) == 3
    assert [n.text for n in Notice.objects.filter(user=world.u1)] == [
        f"{world.cycle.name}：考核办下发了 2 个半年评估问题，请按期反馈整改措施和完成时限。"]
    assert Notice.objects.filter(user=world.u2, text__contains=" 1 个").count() == 1
    assert svc.send_problems(by=world.office, cycle=world.cycle) == 0


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row_and_column(world) -> None:
    rows = svc.read_problem_sheet(_sheet([
        ("U1", "A1", "增速偏低", "2026-08-31"),
        ("U2", "", "满意度偏低", None),
        ("U9", "A1", "不存在的单位", None),
        ("U1", "Z9", "不存在的指标", None),
        ("U2", "", "", None),
        ("U1", "", "日期有误", "下个月"),
    ]))
    with pytest.raises(svc.ProblemSheetInvalid) as exc:
        svc.import_problems(by=world.office, cycle=world.cycle, rows=rows)
    found = [(p.row, p.column) for p in exc.value.problems]
    assert found == [(4, "单位编号"), (5, "指标编号"), (6, "问题"), (7, "反馈期限")]
    assert not Problem.objects.exists()
    assert not AuditEntry.objects.filter(action="import", object_type="reporting.Problem").exists()


def test_a_sheet_without_the_required_columns_is_refused(world) -> None:
    with pytest.raises(svc.ProblemSheetInvalid) as exc:
        svc.read_problem_sheet(_sheet([("U1", "x")], headers=("单位", "说明")))
    assert {p.column for p in exc.value.problems} == {"单位编号", "问题"}


def test_an_import_of_1500_rows_is_quick_and_audited_once(world) -> None:
    codes = ["U1", "U2", "U3"]
    data = _sheet([(codes[i % 3], "A1" if i % 2 else "", f"第{i}个问题", dt.datetime(2026, 8, 31))
                   for i in range(1500)])
    start = time.monotonic()
    rows = svc.read_problem_sheet(data)
    n = svc.import_problems(by=world.office, cycle=world.cycle, rows=rows, source="浙江反馈.xlsx")
    elapsed = time.monotonic() - start
    assert n == 1500 and Problem.objects.count() == 1500
    assert Problem.objects.filter(answer_by=dt.date(2026, 8, 31)).count() == 1500
    entry = AuditEntry.objects.get(action="import", object_type="reporting.Problem")
    assert entry.changes["problems"] == [None, 1500] and entry.reason == "浙江反馈.xlsx"
    assert elapsed < 10, elapsed


def test_every_state_change_is_in_the_audit_log(world) -> None:
    p = _sent(world)
    svc.answer_problem(by=world.u1, problem=p, measures="m", due=dt.date(2099, 1, 1))
    svc.reopen_problem(by=world.office, problem=p, verification="不到位")
    svc.answer_problem(by=world.u1, problem=p, measures="m2", due=dt.date(2099, 1, 1))
    svc.close_problem(by=world.office, problem=p, verification="到位")
    log = list(AuditEntry.objects.filter(object_type="reporting.Problem", object_id=str(p.pk)).order_by("id"))
    assert [e.action for e in log] == ["create", "send", "answer", "reopen", "answer", "close"]
    assert [e.changes["state"][1] for e in log[1:]] == ["sent", "answered", "sent", "answered", "closed"]


def test_reopening_after_the_answer_date_needs_a_new_one_so_the_problem_is_not_overdue_at_once(world) -> None:
    with time_machine.travel(dt.date(2026, 7, 1), tick=False):
        p = _sent(world, answer_by=dt.date(2026, 7, 10))
        svc.answer_problem(by=world.u1, problem=p, measures="建立台账", due=dt.date(2026, 8, 1))
    with time_machine.travel(dt.date(2026, 8, 5), tick=False):
        with pytest.raises(svc.ProblemRefused, match="已过"):
            svc.reopen_problem(by=world.office, problem=p, verification="台账仍不全")
        svc.reopen_problem(by=world.office, problem=p, verification="台账仍不全", answer_by=dt.date(2026, 8, 20))
        p.refresh_from_db()
        assert p.state == Problem.State.SENT and not p.overdue_on(svc.gates.today())
    with time_machine.travel(dt.date(2026, 8, 21), tick=False):
        assert p.overdue_on(svc.gates.today())
