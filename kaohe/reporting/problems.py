"""Half-year problems (半年评估 问题) and their rectification (整改): services and selectors.

The office records problems found on the half-year computation (one by one or thousands from a sheet),
sends them to the units, each unit answers with its measures and a completion date, and the office
verifies: closes (销号) or sends back. Every state change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Unit
from kaohe.web import access
from kaohe.web.notices import notify, unit_users
from kaohe.lib.sheets import SheetInvalid, SheetProblem, read_rows
from kaohe.workbook.cells import cell_text, cell_date

from .evidence import store_evidence_files
from .models import Problem

SHEET_HEADERS = ["单位编号", "指标编号", "问题", "反馈期限"]
REQUIRED_HEADERS = ("单位编号", "问题")


class ProblemRefused(Exception):
    """A change to a problem that its state or the person's role does not allow, with the reason for people."""


class ProblemSheetInvalid(SheetInvalid):
    what = "problem sheet"


# ---- reads ------------------------------------------------------------------------------------


def overdue_q(day: dt.date) -> Q:
    """The database form of Problem.overdue_on(day)."""
    return (Q(state=Problem.State.SENT, answer_by__isnull=False, answer_by__lt=day)
            | Q(state=Problem.State.ANSWERED, due__isnull=False, due__lt=day))


def problems_for(user, cycle: Cycle, *, state: str = "", overdue: bool = False, unit: Unit | None = None,
                 day: dt.date | None = None) -> QuerySet[Problem]:
    """Every problem for the office and leaders; a unit's own problems once they are sent to it."""
    qs = Problem.objects.filter(cycle=cycle).select_related("unit", "indicator", "run")
    if not access.reads_everything(user):
        own = access.own_unit(user)
        if own is None:
            return qs.none()
        qs = qs.filter(unit=own).exclude(state=Problem.State.RECORDED)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_q(day or gates.today()))
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


@dataclass
class UnitCounts:
    unit: Unit
    recorded: int = 0
    open: int = 0  # sent or answered, not yet closed
    overdue: int = 0
    closed: int = 0


def unit_counts(user, cycle: Cycle, day: dt.date | None = None) -> list[UnitCounts]:
    """Per unit with problems: how many wait to be sent, are open, overdue and closed (three queries)."""
    day = day or gates.today()
    qs = problems_for(user, cycle)
    by_state = Counter(qs.values_list("unit_id", "state"))
    late = Counter(qs.filter(overdue_q(day)).values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in={u for u, _s in by_state}).order_by("code")
    out = []
    for u in units:
        out.append(UnitCounts(unit=u, recorded=by_state[(u.pk, Problem.State.RECORDED)],
                              open=by_state[(u.pk, Problem.State.SENT)] + by_state[(u.pk, Problem.State.ANSWERED)],
                              overdue=late[u.pk], closed=by_state[(u.pk, Problem.State.CLOSED)]))
    return out


def half_year_runs(cycle: Cycle):
    return cycle.runs.filter(stage="half_year").order_by("-number")


# ---- sheets -----------------------------------------------------------------------------------




def read_problem_sheet(source: bytes | IO[bytes]) -> list[dict[str, Any]]:
    """The rows of the first sheet (header in row 1), raw cell values keyed by header, with their row number."""
    return read_rows(source, headers=SHEET_HEADERS, required=REQUIRED_HEADERS, invalid=ProblemSheetInvalid)


def write_problem_template(out: IO[bytes] | BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _("整改问题")
    ws.append(SHEET_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, width in zip("ABCD", (14, 12, 60, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    book.save(out)


PROBLEM_EXPORT_HEADERS = ["单位编号", "单位", "指标编号", "指标", "问题", "反馈期限", "状态", "是否逾期", "整改措施",
                          "整改完成时限", "核验意见", "下发时间", "反馈时间", "销号时间"]


def write_problem_sheet(out: IO[bytes] | BytesIO, user, cycle: Cycle, day: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    day = day or gates.today()
    book = Workbook(write_only=False)
    ws = book.active
    ws.title = _("整改问题")
    ws.append(PROBLEM_EXPORT_HEADERS)

    def when(at):
        return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""

    for p in problems_for(user, cycle).iterator(chunk_size=2000):
        ws.append([p.unit.code, p.unit.name, p.indicator.code if p.indicator_id else "",
                   p.indicator.name if p.indicator_id else "", p.text, p.answer_by, p.get_state_display(),
                   _("是") if p.overdue_on(day) else "", p.measures, p.due, p.verification, when(p.sent_at),
                   when(p.answered_at), when(p.closed_at)])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    book.save(out)


# ---- writes -----------------------------------------------------------------------------------


def _require_office(by) -> None:
    if not access.is_office(by):
        raise ProblemRefused(_("只有考核办可以做这项操作。"))


def _snap(p: Problem) -> dict[str, Any]:
    return {"unit": p.unit.code, "indicator": p.indicator.code if p.indicator_id else None, "text": p.text,
            "answer_by": p.answer_by, "state": p.state, "measures": p.measures, "due": p.due,
            "verification": p.verification}


def _check_run(cycle: Cycle, run) -> None:
    if run is not None and (run.cycle_id != cycle.pk or run.stage != "half_year"):
        raise ProblemRefused(_("所据计算须是本周期的半年评估计算。"))


@transaction.atomic
def record_problem(*, by, cycle: Cycle, unit: Unit, text: str, indicator: Indicator | None = None, run=None,
                   answer_by: dt.date | None = None) -> Problem:
    _require_office(by)
    if not cycle.units.filter(pk=unit.pk).exists():
        raise ProblemRefused(_("%(u)s 不是本周期的考核对象。") % {"u": unit.name})
    if indicator is not None and indicator.cycle_id != cycle.pk:
        raise ProblemRefused(_("指标不属于本周期。"))
    _check_run(cycle, run)
    if not text.strip():
        raise ProblemRefused(_("问题不能为空。"))
    p = Problem.objects.create(cycle=cycle, unit=unit, indicator=indicator, run=run, text=text.strip(),
                               answer_by=answer_by, created_by=by)
    record(by=by, action="create", obj=p, cycle_id=cycle.pk,
           changes={k: [None, v] for k, v in _snap(p).items() if v not in (None, "")})
    return p


@transaction.atomic
def import_problems(*, by, cycle: Cycle, rows: list[dict[str, Any]], run=None, source: str = "") -> int:
    """Record problems from sheet rows: all or nothing, every problem reported by row and column.

    Thousands of rows (Zhejiang fed back 1,400) go in with bulk_create and one audit entry for the import.
    """
    _require_office(by)
    _check_run(cycle, run)
    units = {u.code: u for u in cycle.units.all()}
    indicators = {i.code: i for i in cycle.indicators.all()}
    errors: list[SheetProblem] = []
    new: list[Problem] = []
    for r in rows:
        n = r["_row"]
        code = cell_text(r.get("单位编号"))
        unit = units.get(code)
        if not code:
            errors.append(SheetProblem(n, "单位编号", _("“单位编号”不能为空")))
        elif unit is None:
            errors.append(SheetProblem(n, "单位编号", _("单位编号“%(c)s”不是本周期的考核对象") % {"c": code}))
        icode = cell_text(r.get("指标编号"))
        indicator = indicators.get(icode) if icode else None
        if icode and indicator is None:
            errors.append(SheetProblem(n, "指标编号", _("本周期没有编号为“%(c)s”的指标") % {"c": icode}))
        text = cell_text(r.get("问题"))
        if not text:
            errors.append(SheetProblem(n, "问题", _("“问题”不能为空")))
        raw_date = r.get("反馈期限")
        answer_by = None
        if cell_text(raw_date):
            answer_by = cell_date(raw_date)
            if answer_by is None:
                errors.append(SheetProblem(n, "反馈期限", _("“%(v)s”不是日期，请写成 2026-08-31")
                                           % {"v": cell_text(raw_date)}))
        if not errors or errors[-1].row != n:
            new.append(Problem(cycle=cycle, unit=unit, indicator=indicator, run=run, text=text, answer_by=answer_by,
                               created_by=by))
    if not rows:
        errors.append(SheetProblem(None, None, _("表中没有问题行")))
    if errors:
        raise ProblemSheetInvalid(errors)
    Problem.objects.bulk_create(new, batch_size=500)
    per_unit = Counter(p.unit.code for p in new)
    record(by=by, action="import", object_type="reporting.Problem", object_id="",
           object_repr=_("导入整改问题 %(n)d 条") % {"n": len(new)}, cycle_id=cycle.pk,
           changes={"problems": [None, len(new)], "units": [None, dict(sorted(per_unit.items()))]},
           reason=source)
    return len(new)


@transaction.atomic
def send_problems(*, by, cycle: Cycle, ids: Iterable[int] | None = None) -> int:
    """Send recorded problems (all, or those chosen) to their units; one notice per unit with the count."""
    _require_office(by)
    qs = Problem.objects.select_for_update().filter(cycle=cycle, state=Problem.State.RECORDED)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    problems = list(qs.select_related("unit"))
    if not problems:
        return 0
    now = timezone.now()
    for p in problems:
        p.state, p.sent_at = Problem.State.SENT, now
    Problem.objects.bulk_update(problems, ["state", "sent_at"], batch_size=500)
    for p in problems:
        record(by=by, action="send", obj=p, cycle_id=cycle.pk,
               changes={"state": [Problem.State.RECORDED, Problem.State.SENT]})
    per_unit = Counter(p.unit for p in problems)
    link = reverse("problem_list", kwargs={"cycle": cycle.pk})
    day = gates.today()
    for unit, n in per_unit.items():
        notify(users=unit_users(unit), cycle=cycle, link=link, key=f"problems:{cycle.pk}:{unit.pk}:{day:%Y%m%d}",
               text=_("%(cycle)s：考核办下发了 %(n)d 个半年评估问题，请按期反馈整改措施和完成时限。")
               % {"cycle": cycle.name, "n": n})
    return len(problems)


@transaction.atomic
def answer_problem(*, by, problem: Problem, measures: str, due: dt.date,
                   uploads: Iterable[UploadedFile] = ()) -> Problem:
    """The unit's rectification: measures, the date it will be done (not in the past), evidence."""
    problem = Problem.objects.select_for_update().select_related("unit", "cycle").get(pk=problem.pk)
    own = access.own_unit(by)
    if own is None or own.pk != problem.unit_id:
        raise ProblemRefused(_("只能由问题所属单位反馈整改情况。"))
    if problem.state != Problem.State.SENT:
        raise ProblemRefused(_("该问题当前为“%(s)s”，不能反馈。") % {"s": problem.get_state_display()})
    measures = measures.strip()
    if not measures:
        raise ProblemRefused(_("请填写整改措施。"))
    if due is None or due < gates.today():
        raise ProblemRefused(_("整改完成时限不能早于今天。"))
    before = _snap(problem)
    files = store_evidence_files(by=by, cycle=problem.cycle, unit=problem.unit, uploads=uploads)
    if files:
        problem.evidence.add(*files)
    problem.measures, problem.due, problem.state = measures, due, Problem.State.ANSWERED
    problem.answered_at, problem.answered_by = timezone.now(), by
    problem.save()
    changes = {k: [before[k], v] for k, v in _snap(problem).items() if before[k] != v}
    if files:
        changes["evidence"] = [None, [f.name for f in files]]
    record(by=by, action="answer", obj=problem, cycle_id=problem.cycle_id, changes=changes)
    return problem


@transaction.atomic
def close_problem(*, by, problem: Problem, verification: str) -> Problem:
    """销号: the office verified the rectification."""
    _require_office(by)
    problem = Problem.objects.select_for_update().select_related("unit").get(pk=problem.pk)
    if problem.state != Problem.State.ANSWERED:
        raise ProblemRefused(_("单位尚未反馈整改情况，不能销号。"))
    verification = verification.strip()
    if not verification:
        raise ProblemRefused(_("请填写核验意见。"))
    old = problem.verification
    problem.state, problem.verification = Problem.State.CLOSED, verification
    problem.closed_at, problem.closed_by = timezone.now(), by
    problem.save()
    record(by=by, action="close", obj=problem, cycle_id=problem.cycle_id, reason=verification,
           changes={"state": [Problem.State.ANSWERED, Problem.State.CLOSED], "verification": [old, verification]})
    return problem


@transaction.atomic
def reopen_problem(*, by, problem: Problem, verification: str, answer_by: dt.date | None = None) -> Problem:
    """The rectification is not done: back to the unit with the office's note (and a new answer date when the
    old one has passed, so that the problem is not overdue the moment it goes back)."""
    _require_office(by)
    problem = Problem.objects.select_for_update().select_related("unit", "cycle").get(pk=problem.pk)
    if problem.state != Problem.State.ANSWERED:
        raise ProblemRefused(_("只有待核验的问题可以退回整改。"))
    verification = verification.strip()
    if not verification:
        raise ProblemRefused(_("请填写核验意见，说明哪些没有整改到位。"))
    day = gates.today()
    if answer_by is None and problem.answer_by and problem.answer_by < day:
        raise ProblemRefused(_("原反馈期限 %(d)s 已过：退回整改请给出新的反馈期限。") % {"d": problem.answer_by})
    if answer_by is not None and answer_by < day:
        raise ProblemRefused(_("新的反馈期限不能早于今天。"))
    old, old_by = problem.verification, problem.answer_by
    problem.state, problem.verification = Problem.State.SENT, verification
    problem.answer_by = answer_by or problem.answer_by
    problem.save()
    changes = {"state": [Problem.State.ANSWERED, Problem.State.SENT], "verification": [old, verification]}
    if problem.answer_by != old_by:
        changes["answer_by"] = [str(old_by) if old_by else None, str(problem.answer_by)]
    record(by=by, action="reopen", obj=problem, cycle_id=problem.cycle_id, reason=verification, changes=changes)
    link = reverse("problem_detail", kwargs={"cycle": problem.cycle_id, "pk": problem.pk})
    notify(users=unit_users(problem.unit), cycle=problem.cycle, link=link,
           text=_("%(cycle)s：问题“%(t)s”核验未通过，请继续整改后重新反馈。核验意见：%(v)s")
           % {"cycle": problem.cycle.name, "t": problem.text[:40], "v": verification})
    return problem
