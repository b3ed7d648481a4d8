"""Supervision writes for key projects (重点项目), livelihood projects (民生实事) and the inspection plan.

Each write is audited in its transaction. Money is in 万元 (two decimals); rates are in kaohe.supervision.figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.organisation.models import Unit

from . import figures
from .models import (Inspection, InspectionPlan, Item, KeyProject, LivelihoodProject, Progress, ProjectQuarter, State,
                     item_state)
from .services import SupervisionRefused, _require_office


# the models' money fields hold 14 digits with 2 decimals
MONEY_LIMIT = Decimal(10) ** 12


def _money(value: Decimal | float | int | str | None, label: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise SupervisionRefused(_("请填写%(f)s。") % {"f": label})
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise SupervisionRefused(_("%(f)s须是数字（万元）。") % {"f": label}) from None
    if not amount.is_finite() or amount >= MONEY_LIMIT:
        raise SupervisionRefused(_("%(f)s超出可记录的范围。") % {"f": label})
    if amount < 0:
        raise SupervisionRefused(_("%(f)s不能为负数。") % {"f": label})
    return amount


def _check_item(item: Item | None, year: int, source: str) -> None:
    if item is not None and (item.year != year or item.source != source):
        raise SupervisionRefused(_("关联的督办事项须是同一年度、来源为“%(s)s”的事项。")
                                 % {"s": Item.Source(source).label})


# ---- key projects -------------------------------------------------------------------------------------------


@transaction.atomic
def create_key_project(*, by, year: int, code: str, name: str, lead_unit: Unit, total_investment: Decimal,
                       quarterly_plan: Iterable[Decimal] = (), item: Item | None = None) -> KeyProject:
    """A key project with its investment plan for the four quarters (万元)."""
    _require_office(by)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise SupervisionRefused(_("编号和项目名称不能为空。"))
    if KeyProject.objects.filter(year=year, code=code).exists():
        raise SupervisionRefused(_("%(y)d 年已有编号为“%(c)s”的重点项目。") % {"y": year, "c": code})
    _check_item(item, year, Item.Source.KEY_PROJECT)
    plan = [_money(p, _("计划投资")) for p in quarterly_plan]
    if len(plan) > 4:
        raise SupervisionRefused(_("一年只有四个季度。"))
    project = KeyProject.objects.create(year=year, code=code, name=name, lead_unit=lead_unit, item=item,
                                        total_investment=_money(total_investment, _("总投资")))
    for q, planned in enumerate(plan, start=1):
        ProjectQuarter.objects.create(project=project, quarter=q, planned=planned)
    record(by=by, action="create", obj=project, changes={
        "code": [None, code], "name": [None, name], "lead_unit": [None, lead_unit.code],
        "total_investment": [None, str(project.total_investment)], "plan": [None, [str(p) for p in plan]],
        "item": [None, item.code if item else None]})
    return project


@transaction.atomic
def record_quarter(*, by, project: KeyProject, quarter: int, planned: Decimal | None = None,
                   completed: Decimal | None = None, score: float | None = None, note: str = "") -> ProjectQuarter:
    """Record a quarter's planned and completed investment and the inspection score (督查评分, 0–100)."""
    _require_office(by)
    if not 1 <= quarter <= 4:
        raise SupervisionRefused(_("季度须是 1 到 4。"))
    if score is not None and not 0 <= score <= 100:
        raise SupervisionRefused(_("督查评分须在 0 到 100 之间。"))
    row, _created = ProjectQuarter.objects.select_for_update().get_or_create(project=project, quarter=quarter)
    before = {"planned": str(row.planned), "completed": None if row.completed is None else str(row.completed),
              "score": row.score, "note": row.note}
    if planned is not None:
        row.planned = _money(planned, _("计划投资"))
    row.completed = _money(completed, _("完成投资"), allow_none=True)
    row.score = score
    row.note = note.strip()
    after = {"planned": str(row.planned), "completed": None if row.completed is None else str(row.completed),
             "score": row.score, "note": row.note}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return row
    row.save()
    record(by=by, action="quarter", obj=project, changes={"quarter": [None, quarter], **changes})
    return row


# ---- livelihood projects ------------------------------------------------------------------------------------


@transaction.atomic
def create_livelihood_project(*, by, year: int, code: str, name: str, lead_unit: Unit, budget: Decimal,
                              item: Item | None = None) -> LivelihoodProject:
    _require_office(by)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise SupervisionRefused(_("编号和项目名称不能为空。"))
    if LivelihoodProject.objects.filter(year=year, code=code).exists():
        raise SupervisionRefused(_("%(y)d 年已有编号为“%(c)s”的民生实事。") % {"y": year, "c": code})
    _check_item(item, year, Item.Source.LIVELIHOOD)
    amount = _money(budget, _("预算资金"))
    if amount == 0:
        raise SupervisionRefused(_("预算资金须大于 0。"))
    project = LivelihoodProject.objects.create(year=year, code=code, name=name, lead_unit=lead_unit, budget=amount,
                                               item=item)
    record(by=by, action="create", obj=project, changes={
        "code": [None, code], "name": [None, name], "lead_unit": [None, lead_unit.code],
        "budget": [None, str(amount)], "item": [None, item.code if item else None]})
    return project


@transaction.atomic
def record_funds(*, by, project: LivelihoodProject, budget: Decimal | None = None, issued: Decimal,
                 paid: Decimal) -> LivelihoodProject:
    """Record the funds issued (下达) and paid (支付) to date; paid cannot exceed what was issued."""
    _require_office(by)
    project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    new: dict[str, Any] = {"budget": project.budget if budget is None else _money(budget, _("预算资金")),
                           "issued": _money(issued, _("已下达资金")), "paid": _money(paid, _("已支付资金"))}
    if new["budget"] == 0:
        raise SupervisionRefused(_("预算资金须大于 0。"))
    if new["paid"] > new["issued"]:
        raise SupervisionRefused(_("已支付资金（%(p)s 万元）不能多于已下达资金（%(i)s 万元）。")
                                 % {"p": new["paid"], "i": new["issued"]})
    changes = {k: [str(getattr(project, k)), str(v)] for k, v in new.items() if getattr(project, k) != v}
    if not changes:
        return project
    for k, v in new.items():
        setattr(project, k, v)
    project.save()
    record(by=by, action="funds", obj=project, changes=changes)
    return project


# ---- the inspection plan ------------------------------------------------------------------------------------


@transaction.atomic
def set_plan(*, by, year: int, allowed: int, note: str = "") -> InspectionPlan:
    """The year's plan: how many inspections may be held (Suining 2023: 26)."""
    _require_office(by)
    if allowed < 0:
        raise SupervisionRefused(_("计划次数不能为负数。"))
    plan = InspectionPlan.objects.select_for_update().filter(year=year).first()
    before = (plan.allowed, plan.note) if plan else (None, None)
    if plan is None:
        plan = InspectionPlan(year=year)
    plan.allowed, plan.note = allowed, note.strip()
    if before == (plan.allowed, plan.note):
        return plan
    plan.save()
    record(by=by, action="plan", obj=plan, changes={"allowed": [before[0], allowed], "note": [before[1], plan.note]})
    return plan


def inspections_left(year: int) -> int | None:
    """How many inspections the plan still allows this year (None: no plan set)."""
    plan = InspectionPlan.objects.filter(year=year).first()
    if plan is None:
        return None
    return max(plan.allowed - Inspection.objects.filter(year=year, in_plan=True).count(), 0)


@transaction.atomic
def schedule_inspection(*, by, title: str, kind: str, day: dt.date, units: Iterable[Unit] = (),
                        approval: str = "") -> Inspection:
    """Schedule an inspection; beyond the plan's number it is refused unless an approval is recorded with it."""
    _require_office(by)
    title = title.strip()
    if not title:
        raise SupervisionRefused(_("请填写督查检查的名称。"))
    if kind not in Inspection.Kind.values:
        raise SupervisionRefused(_("未知的督查检查类型“%(k)s”。") % {"k": kind})
    plan = InspectionPlan.objects.select_for_update().filter(year=day.year).first()
    if plan is None:
        raise SupervisionRefused(_("%(y)d 年还没有督查检查计划：请先设定全年计划次数。") % {"y": day.year})
    held = Inspection.objects.filter(year=day.year, in_plan=True).count()
    in_plan = held < plan.allowed
    approval = approval.strip()
    if not in_plan and not approval:
        raise SupervisionRefused(_("%(y)d 年计划督查检查 %(n)d 次，已全部安排；计划外的督查检查须经批准，请填写批准人和文号。")
                                 % {"y": day.year, "n": plan.allowed})
    inspection = Inspection.objects.create(year=day.year, title=title, kind=kind, day=day, in_plan=in_plan,
                                           approval="" if in_plan else approval, created_by=by)
    units = list(units)
    if units:
        inspection.units.set(units)
    record(by=by, action="schedule", obj=inspection, reason="" if in_plan else approval, changes={
        "title": [None, title], "kind": [None, kind], "day": [None, day], "in_plan": [None, in_plan],
        "units": [None, sorted(u.code for u in units)]})
    return inspection


# ---- reads for the pages: fixed query counts however many projects -------------------------------------------


@dataclass
class KeyProjectRow:
    """A key project on the list: its four quarters (None where nothing is recorded) and its figures to date."""

    project: KeyProject
    quarters: list[ProjectQuarter | None]
    year_plan: Decimal
    to_date: figures.QuarterFigures


def _quarter_tuples(rows: Iterable[ProjectQuarter]) -> list[tuple[int, Decimal, Decimal | None, float | None]]:
    return [(r.quarter, r.planned, r.completed, r.score) for r in rows]


def key_project_rows(projects: QuerySet[KeyProject], quarter: int) -> list[KeyProjectRow]:
    """Each project with its quarters and the figures to date at `quarter` (1–4)."""
    out = []
    for p in projects.prefetch_related("quarters").order_by("code"):
        rows = list(p.quarters.all())
        by_quarter = {r.quarter: r for r in rows}
        out.append(KeyProjectRow(project=p, quarters=[by_quarter.get(q) for q in range(1, 5)],
                                 year_plan=sum((r.planned for r in rows), Decimal(0)),
                                 to_date=figures.quarter_figures(_quarter_tuples(rows), quarter)))
    return out


@dataclass
class QuarterLine:
    """One quarter on a project's page: its own row and the figures to date at that quarter."""

    quarter: int
    row: ProjectQuarter | None
    to_date: figures.QuarterFigures


def quarter_lines(project: KeyProject) -> list[QuarterLine]:
    rows = list(project.quarters.all())
    by_quarter = {r.quarter: r for r in rows}
    return [QuarterLine(q, by_quarter.get(q), figures.quarter_figures(_quarter_tuples(rows), q)) for q in range(1, 5)]


@dataclass
class BulletinRow:
    rank: int | None
    project: KeyProject
    figures: figures.QuarterFigures
    red: bool
    lagging: bool


@dataclass
class Bulletin:
    """The quarterly bulletin (通报) of every key project of the year: ranked, with the red list and laggards."""

    year: int
    quarter: int
    number: str
    rows: list[BulletinRow]

    @property
    def red_list(self) -> list[BulletinRow]:
        return [r for r in self.rows if r.red]

    @property
    def laggards(self) -> list[BulletinRow]:
        return [r for r in self.rows if r.lagging]

    @property
    def scored(self) -> int:
        return sum(1 for r in self.rows if r.figures.score is not None)


def bulletin(year: int, quarter: int) -> Bulletin:
    """Every key project of the year ranked by the quarter's inspection score (unscored last, by code)."""
    items = [(p, figures.quarter_figures(_quarter_tuples(p.quarters.all()), quarter))
             for p in KeyProject.objects.filter(year=year).select_related("lead_unit").prefetch_related("quarters")]
    items.sort(key=lambda pf: (pf[1].score is None, -(pf[1].score or 0), pf[0].code))
    ranks = figures.ranks([f.score for _p, f in items])
    rows = [BulletinRow(rank, p, f, figures.on_red_list(f), figures.lagging(f))
            for rank, (p, f) in zip(ranks, items)]
    return Bulletin(year, quarter, figures.bulletin_number(year, quarter), rows)


@dataclass
class LivelihoodRow:
    """A livelihood project with its execution rates and the progress of its item (if it has one)."""

    project: LivelihoodProject
    issued_rate: Decimal | None
    paid_rate: Decimal | None
    latest: Progress | None
    state: State | None


@dataclass
class LivelihoodTotals:
    """The year's totals in 亿元 and the rates of the sums (computed on 万元, not on the rounded 亿元)."""

    count: int
    budget: Decimal
    issued: Decimal
    paid: Decimal
    issued_rate: Decimal | None
    paid_rate: Decimal | None


def livelihood_rows(projects: QuerySet[LivelihoodProject], day: dt.date) -> list[LivelihoodRow]:
    """Each project with its rates against the budget, and its item's latest progress and state on the day."""
    progress = Prefetch("item__progress", queryset=Progress.objects.order_by("-reported_at", "-id"))
    out = []
    for p in projects.select_related("lead_unit", "item").prefetch_related(progress, "item__milestones"
                                                                            ).order_by("code"):
        latest = state = None
        if p.item is not None:
            reports = list(p.item.progress.all())
            latest = reports[0] if reports else None
            # the rules of Item.state_on, on the rows fetched above
            state = item_state(status=p.item.status, deadline=p.item.deadline, day=day,
                               latest_percent=latest.percent if latest else None,
                               milestones=[(m.due, m.done_at is not None) for m in p.item.milestones.all()])
        out.append(LivelihoodRow(p, figures.rate(p.issued, p.budget), figures.rate(p.paid, p.budget), latest, state))
    return out


def livelihood_totals(rows: list[LivelihoodRow]) -> LivelihoodTotals:
    budget = sum((r.project.budget for r in rows), Decimal(0))
    issued = sum((r.project.issued for r in rows), Decimal(0))
    paid = sum((r.project.paid for r in rows), Decimal(0))
    return LivelihoodTotals(len(rows), figures.wan_to_yi(budget), figures.wan_to_yi(issued), figures.wan_to_yi(paid),
                            figures.rate(issued, budget), figures.rate(paid, budget))


def livelihood_sheet(year: int, rows: list[LivelihoodRow], totals: LivelihoodTotals) -> bytes:
    """The year's livelihood projects as an .xlsx: funds in 万元, rates in %, the totals in 亿元 below."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("民生实事")
    ws.append([_("%(y)d 年民生实事资金执行情况") % {"y": year}])
    ws["A1"].font = Font(bold=True, size=13)
    head = [_("编号"), _("项目名称"), _("责任单位"), _("预算资金（万元）"), _("已下达资金（万元）"),
            _("已支付资金（万元）"), _("下达率（%）"), _("支付率（%）"), _("进度（%）"), _("状态"), _("最新进展")]
    ws.append(head)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        p = r.project
        ws.append([p.code, p.name, p.lead_unit.name, p.budget, p.issued, p.paid, r.issued_rate, r.paid_rate,
                   r.latest.percent if r.latest else None, str(r.state.label) if r.state else "",
                   r.latest.text if r.latest else ""])
    ws.append([])
    ws.append([_("合计（亿元）"), _("%(n)d 项") % {"n": totals.count}, "", totals.budget, totals.issued, totals.paid,
               totals.issued_rate, totals.paid_rate])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJK", (12, 36, 18, 16, 16, 16, 12, 12, 10, 14, 50)):
        ws.column_dimensions[col].width = width
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class PlanSummary:
    """The year's supervision plan as the office reads it."""

    year: int
    plan: InspectionPlan | None
    scheduled: int  # inspections counted against the plan
    left: int | None
    inspections: list[Inspection]

    @property
    def beyond(self) -> list[Inspection]:
        return [i for i in self.inspections if not i.in_plan]

    @property
    def over_plan(self) -> bool:
        """The plan was lowered below what is already scheduled in it."""
        return self.plan is not None and self.scheduled > self.plan.allowed


def plan_summary(year: int) -> PlanSummary:
    plan = InspectionPlan.objects.filter(year=year).first()
    inspections = list(Inspection.objects.filter(year=year).prefetch_related("units").order_by("day", "id"))
    scheduled = sum(1 for i in inspections if i.in_plan)
    left = None if plan is None else max(plan.allowed - scheduled, 0)
    return PlanSummary(year, plan, scheduled, left, inspections)
