"""Supervision writes for key projects (重点项目), livelihood projects (民生实事) and the inspection plan.

Each write is audited in its transaction. Money is in 万元 (two decimals); rates are in kaohe.supervision.figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.organisation.models import Unit

from .models import InspectionPlan, Inspection, Item, KeyProject, LivelihoodProject, ProjectQuarter
from .services import SupervisionRefused, _require_office


def _money(value: Decimal | float | int | str | None, label: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise SupervisionRefused(_("请填写%(f)s。") % {"f": label})
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
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
