"""Supervision writes: items, progress, verification and closure (销号), look-back (回头看), letters, the daily job.

Every change is audited in its own transaction; people are told through kaohe.web.notices (mail after commit).
A letter that carries points becomes an approved deduction in the cycle's register (kaohe.register.services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator
from kaohe.lib.pdf import render_pdf
from kaohe.organisation.models import Unit
from kaohe.register import services as register
from kaohe.register.models import Entry
from kaohe.reporting.evidence import store_evidence_files
from kaohe.web import access
from kaohe.web.notices import notify, unit_users
from kaohe.lib.sheets import SheetInvalid, SheetProblem, read_rows
from kaohe.workbook.cells import cell_text, cell_date

from .models import Item, Letter, Milestone, Progress, SupervisionReminder, Verification

SHEET_HEADERS = ["编号", "事项", "来源", "来源文号", "牵头领导", "责任领导", "牵头单位编号", "责任单位编号（多个用、分隔）",
                 "完成时限", "报送周期", "指标编号（可空）"]
REQUIRED_HEADERS = ("编号", "事项", "来源", "牵头单位编号", "完成时限")
INTERVAL_DAYS = {Item.Interval.WEEKLY: 7, Item.Interval.MONTHLY: 30, Item.Interval.QUARTERLY: 91}
DEADLINE_NEAR_DAYS = 3


class SupervisionRefused(Exception):
    """A change that the item's state or the person's role does not allow, with the reason for people."""


class ItemSheetInvalid(SheetInvalid):
    what = "supervision sheet"


def _require_office(by) -> None:
    if not access.is_office(by):
        raise SupervisionRefused(_("只有督查办（考核办）可以做这项操作。"))


def _cycle_id(item: Item) -> int | None:
    return item.cycle_id


def _snap(item: Item) -> dict[str, Any]:
    return {"code": item.code, "title": item.title, "source": item.source, "source_ref": item.source_ref,
            "lead_leader": item.lead_leader, "responsible_leader": item.responsible_leader,
            "lead_unit": item.lead_unit.code, "deadline": item.deadline, "report_interval": item.report_interval,
            "indicator": item.indicator.code if item.indicator_id else None,
            "parent": item.parent.code if item.parent_id else None, "status": item.status,
            "cycle": item.cycle_id}


def _units_of(item: Item) -> list[Unit]:
    """The units that answer for an item: its responsible units, or the lead unit when none are named."""
    units = list(item.responsible_units.all())
    return units or [item.lead_unit]


def _item_link(item: Item) -> str:
    from django.urls import reverse

    return reverse("supervision_item", kwargs={"pk": item.pk})


def _tell(units: Iterable[Unit], item: Item, text: str, key: str = "") -> int:
    users = [u for unit in units for u in unit_users(unit)]
    return notify(users=users, text=text, link=_item_link(item), cycle=item.cycle, key=key)


# ---- items ------------------------------------------------------------------------------------


@transaction.atomic
def create_item(*, by, year: int, code: str, title: str, source: str, lead_unit: Unit, deadline: dt.date,
                responsible_units: Iterable[Unit] = (), cycle: Cycle | None = None, source_ref: str = "",
                description: str = "", lead_leader: str = "", responsible_leader: str = "",
                report_interval: str = Item.Interval.MONTHLY, indicator: Indicator | None = None,
                parent: Item | None = None, milestones: Iterable[tuple[str, dt.date]] = ()) -> Item:
    """Register an item (立项) with its four-party responsibility, deadline and milestones."""
    _require_office(by)
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise SupervisionRefused(_("编号和事项不能为空。"))
    if source not in Item.Source.values:
        raise SupervisionRefused(_("未知的来源“%(s)s”。") % {"s": source})
    if report_interval not in Item.Interval.values:
        raise SupervisionRefused(_("未知的报送周期“%(s)s”。") % {"s": report_interval})
    if Item.objects.filter(year=year, code=code).exists():
        raise SupervisionRefused(_("%(y)d 年已有编号为“%(c)s”的督办事项。") % {"y": year, "c": code})
    if indicator is not None and (cycle is None or indicator.cycle_id != cycle.pk):
        raise SupervisionRefused(_("所属指标须是扣分计入的考核周期中的指标。"))
    item = Item.objects.create(year=year, cycle=cycle, code=code, title=title, source=source,
                               source_ref=source_ref.strip(), description=description.strip(),
                               lead_leader=lead_leader.strip(), responsible_leader=responsible_leader.strip(),
                               lead_unit=lead_unit, deadline=deadline, report_interval=report_interval,
                               indicator=indicator, parent=parent, created_by=by)
    units = list(responsible_units)
    if units:
        item.responsible_units.set(units)
    for m_title, due in milestones:
        Milestone.objects.create(item=item, title=m_title.strip(), due=due)
    changes = {k: [None, v] for k, v in _snap(item).items() if v not in ("", None)}
    changes["responsible_units"] = [None, sorted(u.code for u in units)]
    record(by=by, action="create", obj=item, cycle_id=_cycle_id(item), changes=changes)
    _tell(_units_of(item) + ([lead_unit] if units and lead_unit not in units else []), item,
          _("新的督办事项：%(code)s %(title)s，完成时限 %(d)s。") % {"code": item.code, "title": item.title,
                                                          "d": item.deadline})
    return item


@transaction.atomic
def decompose_item(*, by, item: Item, units: Iterable[Unit], title: str = "") -> list[Item]:
    """Split an item into one sub-item per unit (分解), copying deadline, leaders, source and cycle."""
    _require_office(by)
    units = list(units)
    if not units:
        raise SupervisionRefused(_("请选择要分解到的单位。"))
    subs = []
    for unit in units:
        subs.append(create_item(by=by, year=item.year, code=f"{item.code}-{unit.code}", title=title or item.title,
                                source=item.source, source_ref=item.source_ref, description=item.description,
                                lead_leader=item.lead_leader, responsible_leader=item.responsible_leader,
                                lead_unit=unit, responsible_units=[unit], deadline=item.deadline,
                                report_interval=item.report_interval, cycle=item.cycle, indicator=item.indicator,
                                parent=item))
    record(by=by, action="decompose", obj=item, cycle_id=_cycle_id(item),
           changes={"children": [None, [s.code for s in subs]]})
    return subs


def _milestone_list(item: Item) -> list[list[str]]:
    return [[m.title, m.due.isoformat()] for m in item.milestones.order_by("due", "id")]


@transaction.atomic
def update_item(*, by, item: Item, title: str, source: str, lead_unit: Unit, deadline: dt.date,
                responsible_units: Iterable[Unit] = (), cycle: Cycle | None = None, source_ref: str = "",
                description: str = "", lead_leader: str = "", responsible_leader: str = "",
                report_interval: str = Item.Interval.MONTHLY, indicator: Indicator | None = None,
                milestones: Iterable[tuple[str, dt.date]] | None = None, reason: str = "") -> Item:
    """Change an item's content, parties, deadline or milestones (office only; never a closed item).

    `milestones` is the whole new list (None leaves them as they are): a milestone kept under the same title
    keeps its done mark and takes the new date; one left out is removed. Returns early when nothing changes.
    """
    _require_office(by)
    item = _lock(item)
    if item.status == Item.Status.CLOSED:
        raise SupervisionRefused(_("事项已销号，不能修改；问题反弹时请先回头看、重新整改。"))
    title = title.strip()
    if not title:
        raise SupervisionRefused(_("事项不能为空。"))
    if source not in Item.Source.values:
        raise SupervisionRefused(_("未知的来源“%(s)s”。") % {"s": source})
    if report_interval not in Item.Interval.values:
        raise SupervisionRefused(_("未知的报送周期“%(s)s”。") % {"s": report_interval})
    if indicator is not None and (cycle is None or indicator.cycle_id != cycle.pk):
        raise SupervisionRefused(_("所属指标须是扣分计入的考核周期中的指标。"))
    if (cycle.pk if cycle else None) != item.cycle_id and item.letters.filter(entry__isnull=False).exists():
        # the letters' deductions stay in the register of the cycle they were sent for
        raise SupervisionRefused(_("已有督办文书的扣分计入原考核周期，不能再更改考核周期。"))
    wanted: list[tuple[str, dt.date]] | None = None
    if milestones is not None:
        wanted = [(t.strip(), d) for t, d in milestones]
        titles = [t for t, _d in wanted]
        if any(not t for t in titles):
            raise SupervisionRefused(_("节点名称不能为空。"))
        if len(set(titles)) != len(titles):
            raise SupervisionRefused(_("节点名称不能重复。"))

    before = _snap(item)
    before_units = sorted(u.code for u in item.responsible_units.all())
    before_milestones = _milestone_list(item)
    old_deadline = item.deadline
    item.title, item.source, item.source_ref = title, source, source_ref.strip()
    item.description = description.strip()
    item.lead_leader, item.responsible_leader = lead_leader.strip(), responsible_leader.strip()
    item.lead_unit, item.deadline, item.report_interval = lead_unit, deadline, report_interval
    item.cycle, item.indicator = cycle, indicator
    overdue_since = item.overdue_since
    if deadline != old_deadline and overdue_since is not None and deadline >= gates.today():
        item.overdue_since = None  # a later deadline: overdue again only when it passes
    units = list(responsible_units)
    after_units = sorted(u.code for u in units)
    after = _snap(item)
    changes: dict[str, Any] = {k: [v, after[k]] for k, v in before.items() if after[k] != v}
    if item.overdue_since != overdue_since:
        changes["overdue_since"] = [overdue_since, None]
    if after_units != before_units:
        changes["responsible_units"] = [before_units, after_units]
    if wanted is not None:
        after_milestones = [[t, d.isoformat()] for t, d in sorted(wanted, key=lambda m: m[1])]
        if after_milestones != before_milestones:
            changes["milestones"] = [before_milestones, after_milestones]
    if not changes:
        return item
    item.save()
    if "responsible_units" in changes:
        item.responsible_units.set(units)
    if "milestones" in changes and wanted is not None:
        existing = {m.title: m for m in item.milestones.all()}
        for t, d in wanted:
            m = existing.pop(t, None)
            if m is None:
                Milestone.objects.create(item=item, title=t, due=d)
            elif m.due != d:
                m.due = d
                m.save(update_fields=["due"])
        for m in existing.values():
            m.delete()  # progress reported against it keeps its text; the link goes
    record(by=by, action="update", obj=item, cycle_id=_cycle_id(item), reason=reason.strip(), changes=changes)
    if deadline != old_deadline:
        _tell(_units_of(item), item, _("督办事项 %(code)s %(title)s 的完成时限调整为 %(d)s。")
              % {"code": item.code, "title": item.title, "d": item.deadline})
    return item


# ---- the Excel list ---------------------------------------------------------------------------




def _choice(value: str, choices: type) -> str | None:
    """A choice by its value (key_project) or its label (重点项目)."""
    for v, label in choices.choices:
        if value in (v, str(label)):
            return v
    return None


def _read_sheet(file_bytes: bytes) -> list[dict[str, Any]]:
    return read_rows(file_bytes, headers=SHEET_HEADERS, required=REQUIRED_HEADERS, invalid=ItemSheetInvalid)


def write_item_template(out: BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _("督办事项")
    ws.append(SHEET_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    book.save(out)


@transaction.atomic
def import_items(*, by, year: int, cycle: Cycle | None, file_bytes: bytes) -> list[Item]:
    """Create items from an Excel list: all or nothing, every problem reported by row and column."""
    _require_office(by)
    rows = _read_sheet(file_bytes)
    units = {u.code: u for u in Unit.objects.all()}
    indicators = {i.code: i for i in cycle.indicators.all()} if cycle else {}
    taken = set(Item.objects.filter(year=year).values_list("code", flat=True))
    errors: list[SheetProblem] = []
    parsed: list[dict[str, Any]] = []
    for r in rows:
        n, before = r["_row"], len(errors)

        def bad(col: str, msg: str, n: int = n) -> None:
            errors.append(SheetProblem(n, col, msg))

        code, title = cell_text(r.get("编号")), cell_text(r.get("事项"))
        if not code:
            bad("编号", _("“编号”不能为空"))
        elif code in taken:
            bad("编号", _("编号“%(c)s”在 %(y)d 年已使用") % {"c": code, "y": year})
        if not title:
            bad("事项", _("“事项”不能为空"))
        source = _choice(cell_text(r.get("来源")), Item.Source)
        if source is None:
            bad("来源", _("来源“%(s)s”不在可选范围内（%(all)s）")
                % {"s": cell_text(r.get("来源")), "all": "、".join(str(lbl) for lbl in Item.Source.labels)})
        lead = units.get(cell_text(r.get("牵头单位编号")))
        if lead is None:
            bad("牵头单位编号", _("没有编号为“%(c)s”的单位") % {"c": cell_text(r.get("牵头单位编号"))})
        responsible = []
        for c in [x.strip() for x in cell_text(r.get(SHEET_HEADERS[7])).replace(",", "、").replace("，", "、").split("、")]:
            if not c:
                continue
            if c in units:
                responsible.append(units[c])
            else:
                bad(SHEET_HEADERS[7], _("没有编号为“%(c)s”的单位") % {"c": c})
        deadline = cell_date(r.get("完成时限")) if cell_text(r.get("完成时限")) else None
        if deadline is None:
            bad("完成时限", _("“%(v)s”不是日期，请写成 2026-08-31") % {"v": cell_text(r.get("完成时限"))})
        interval = Item.Interval.MONTHLY
        if cell_text(r.get("报送周期")):
            interval = _choice(cell_text(r.get("报送周期")), Item.Interval)
            if interval is None:
                bad("报送周期", _("报送周期须是每周、每月或每季度"))
        icode = cell_text(r.get("指标编号（可空）"))
        indicator = indicators.get(icode) if icode else None
        if icode and indicator is None:
            bad("指标编号（可空）", _("考核周期中没有编号为“%(c)s”的指标") % {"c": icode})
        if len(errors) == before:
            taken.add(code)
            parsed.append({"code": code, "title": title, "source": source, "source_ref": cell_text(r.get("来源文号")),
                           "lead_leader": cell_text(r.get("牵头领导")), "responsible_leader": cell_text(r.get("责任领导")),
                           "lead_unit": lead, "responsible_units": responsible, "deadline": deadline,
                           "report_interval": interval, "indicator": indicator})
    if not rows:
        errors.append(SheetProblem(None, None, _("表中没有督办事项")))
    if errors:
        raise ItemSheetInvalid(errors)
    items = [create_item(by=by, year=year, cycle=cycle, **p) for p in parsed]
    record(by=by, action="import", object_type="supervision.Item", object_id="",
           object_repr=_("导入督办事项 %(n)d 项") % {"n": len(items)}, cycle_id=cycle.pk if cycle else None,
           changes={"items": [None, [i.code for i in items]]})
    return items


# ---- progress and closure ---------------------------------------------------------------------


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("lead_unit", "cycle", "indicator", "parent").get(
        pk=item.pk)


@transaction.atomic
def report_progress(*, by, item: Item, text: str, percent: int, milestone: Milestone | None = None,
                    milestone_done: bool = False, uploads: Iterable[UploadedFile] = ()) -> Progress:
    """A responsible unit reports its progress (报送进展), with evidence, optionally completing a milestone."""
    item = _lock(item)
    unit = access.own_unit(by)
    if unit is None or unit not in _units_of(item):
        raise SupervisionRefused(_("只有责任单位可以报送进展。"))
    if item.status == Item.Status.CLOSED:
        raise SupervisionRefused(_("事项已销号，不能再报送进展。"))
    text = text.strip()
    if not text:
        raise SupervisionRefused(_("请填写进展情况。"))
    if not 0 <= percent <= 100:
        raise SupervisionRefused(_("完成进度须在 0 到 100 之间。"))
    if milestone is not None and milestone.item_id != item.pk:
        raise SupervisionRefused(_("节点不属于该事项。"))
    uploads = list(uploads)
    if uploads and item.cycle is None:
        raise SupervisionRefused(_("该事项未关联考核周期，不能上传佐证材料。"))
    p = Progress.objects.create(item=item, unit=unit, text=text, percent=percent, milestone=milestone,
                                reported_by=by)
    files = store_evidence_files(by=by, cycle=item.cycle, unit=unit, uploads=uploads) if uploads else []
    if files:
        p.evidence.add(*files)
    changes: dict[str, Any] = {"unit": [None, unit.code], "percent": [None, percent], "text": [None, text]}
    if milestone is not None and milestone_done and milestone.done_at is None:
        milestone.done_at = gates.today()
        milestone.save(update_fields=["done_at"])
        changes["milestone_done"] = [None, milestone.title]
    if files:
        changes["evidence"] = [None, [f.name for f in files]]
    record(by=by, action="progress", obj=item, cycle_id=_cycle_id(item), changes=changes)
    return p


@transaction.atomic
def mark_completed(*, by, item: Item, text: str = "") -> Item:
    """The responsible unit (or the office) says the work is done: it waits for the office's verification."""
    item = _lock(item)
    unit = access.own_unit(by)
    if not access.is_office(by) and (unit is None or unit not in _units_of(item)):
        raise SupervisionRefused(_("只有责任单位或督查办可以申请办结。"))
    if item.status not in (Item.Status.OPEN, Item.Status.REOPENED):
        raise SupervisionRefused(_("事项当前为“%(s)s”，不能申请办结。") % {"s": item.get_status_display()})
    old, item.status = item.status, Item.Status.COMPLETED
    item.save(update_fields=["status"])
    record(by=by, action="complete", obj=item, cycle_id=_cycle_id(item), reason=text.strip(),
           changes={"status": [old, item.status]})
    return item


@transaction.atomic
def close_item(*, by, item: Item, verification: str, on_site: bool = False) -> Item:
    """销号: only on a verification record written by the office (no verification, no closing)."""
    _require_office(by)
    item = _lock(item)
    verification = verification.strip()
    if not verification:
        raise SupervisionRefused(_("销号须有核验情况：请填写核验记录。"))
    if item.status == Item.Status.CLOSED:
        raise SupervisionRefused(_("事项已销号。"))
    Verification.objects.create(item=item, kind=Verification.Kind.CLOSE, text=verification, on_site=on_site,
                                verified_by=by)
    old, item.status = item.status, Item.Status.CLOSED
    item.save(update_fields=["status"])
    record(by=by, action="close", obj=item, cycle_id=_cycle_id(item), reason=verification,
           changes={"status": [old, item.status], "on_site": [None, on_site]})
    _tell(_units_of(item), item, _("督办事项 %(code)s %(title)s 已核验销号。") % {"code": item.code, "title": item.title})
    return item


@transaction.atomic
def reopen_item(*, by, item: Item, verification: str, on_site: bool = False,
                deadline: dt.date | None = None) -> Item:
    """回头看: a look-back check on a closed item found the problem back; the item goes back to the units."""
    _require_office(by)
    item = _lock(item)
    verification = verification.strip()
    if not verification:
        raise SupervisionRefused(_("重新整改须有回头看的核验情况。"))
    if item.status != Item.Status.CLOSED:
        raise SupervisionRefused(_("只有已销号的事项可以回头看后重新整改。"))
    Verification.objects.create(item=item, kind=Verification.Kind.LOOKBACK, text=verification, on_site=on_site,
                                verified_by=by)
    changes: dict[str, Any] = {"status": [item.status, Item.Status.REOPENED]}
    item.status = Item.Status.REOPENED
    if deadline is not None and deadline != item.deadline:
        changes["deadline"] = [item.deadline, deadline]
        item.deadline = deadline
        item.overdue_since = None  # a new deadline: overdue again only when it passes
    item.save(update_fields=["status", "deadline", "overdue_since"])
    record(by=by, action="reopen", obj=item, cycle_id=_cycle_id(item), reason=verification, changes=changes)
    _tell(_units_of(item), item, _("督办事项 %(code)s 回头看发现问题反弹，请重新整改：%(v)s")
          % {"code": item.code, "v": verification})
    return item


# ---- letters (两书一函) --------------------------------------------------------------------------


def _next_serial(kind: str, year: int) -> int:
    return (Letter.objects.filter(kind=kind, year=year).aggregate(n=Max("serial"))["n"] or 0) + 1


@transaction.atomic
def send_letter(*, by, item: Item, unit: Unit, kind: str, failing: str, points: float = 0, text: str = "") -> Letter:
    """Send a numbered letter (PDF) to a unit; its points go to the cycle's deduction register, approved."""
    _require_office(by)
    item = _lock(item)
    if kind not in Letter.Kind.values:
        raise SupervisionRefused(_("未知的文书类型“%(k)s”。") % {"k": kind})
    if failing not in Letter.Failing.values:
        raise SupervisionRefused(_("未知的问题类型“%(f)s”。") % {"f": failing})
    if points < 0:
        raise SupervisionRefused(_("扣分不能为负数。"))
    if unit != item.lead_unit and unit not in _units_of(item):
        raise SupervisionRefused(_("%(u)s 不是该事项的牵头或责任单位。") % {"u": unit.name})
    if points > 0 and item.cycle is None:
        raise SupervisionRefused(_("该事项未关联考核周期，扣分无处计入：请先设置考核周期，或不扣分。"))
    year = gates.today().year
    serial = _next_serial(kind, year)
    number = f"{Letter.NUMBER_PREFIX[Letter.Kind(kind)]}〔{year}〕{serial}号"
    letter = Letter.objects.create(item=item, unit=unit, kind=kind, year=year, serial=serial, number=number,
                                   failing=failing, points=points, text=text.strip(), sent_by=by)
    pdf = render_pdf("supervision/letter_print.html", {"letter": letter, "item": item, "unit": unit,
                                                       "day": gates.today()})
    letter.pdf.save(f"{kind}-{year}-{serial}.pdf", ContentFile(pdf), save=False)
    if points > 0:
        title = _("%(kind)s %(number)s：%(item)s") % {"kind": letter.get_kind_display(), "number": number,
                                                    "item": f"{item.code} {item.title}"}
        entry = register.record_entry(by=by, cycle=item.cycle, unit=unit, kind=Entry.Kind.DEDUCTION,
                                      source=Entry.Source.LETTER, title=title[:200],
                                      reason=letter.get_failing_display() + (f"：{letter.text}" if letter.text else ""),
                                      reference=number, points_claimed=points)
        letter.entry = register.decide_entry(by=by, entry=entry, approve=True, points=points,
                                             decision=_("督办文书 %(n)s 自动计入") % {"n": number})
    letter.save()
    record(by=by, action="letter", obj=item, cycle_id=_cycle_id(item),
           changes={"letter": [None, number], "kind": [None, kind], "unit": [None, unit.code],
                    "failing": [None, failing], "points": [None, points],
                    "entry": [None, letter.entry_id]})
    _tell([unit], item, _("%(kind)s %(number)s：督办事项 %(code)s %(title)s（%(failing)s）%(points)s")
          % {"kind": letter.get_kind_display(), "number": number, "code": item.code, "title": item.title,
             "failing": letter.get_failing_display(),
             "points": (_("，扣 %(p)s 分") % {"p": f"{points:g}"}) if points > 0 else ""})
    return letter


# ---- the daily job ----------------------------------------------------------------------------


def _remind(item: Item, unit: Unit, kind: str, day: dt.date, text: str) -> bool:
    """Send one reminder unless it was sent already (the unique row is the proof, so a second run sends nothing)."""
    try:
        with transaction.atomic():
            SupervisionReminder.objects.create(item=item, unit=unit, kind=kind, day=day)
    except IntegrityError:
        return False
    notify(users=unit_users(unit), text=text, link=_item_link(item), cycle=item.cycle, key=f"supervision:{item.pk}:{unit.pk}:{kind}:{day:%Y%m%d}")
    return True


@transaction.atomic
def run_daily(*, day: dt.date | None = None) -> dict[str, int]:
    """Mark items newly overdue; remind the units of progress due, deadlines 3 days away and overdue items.

    Idempotent: an item is marked once, and each reminder is sent at most once a day (run twice, send once).
    """
    day = day or gates.today()
    counts = {k: 0 for k in SupervisionReminder.Kind.values} | {"marked_overdue": 0}
    items = (Item.objects.filter(Q(status=Item.Status.OPEN) | Q(status=Item.Status.REOPENED))
             .select_related("lead_unit", "cycle").prefetch_related("responsible_units"))
    for item in items:
        units = _units_of(item)
        last = {u: None for u in units}
        for unit_id, at in item.progress.order_by("reported_at").values_list("unit_id", "reported_at"):
            for u in units:
                if u.pk == unit_id:
                    last[u] = at.date() if at else None
        start = item.created_at.date() if item.created_at else day
        if day > item.deadline and item.overdue_since is None:
            # marked once, on the first run past the deadline; the audit says when it became overdue
            item.overdue_since = day
            item.save(update_fields=["overdue_since"])
            record(by=None, action="overdue", obj=item, cycle_id=_cycle_id(item),
                   changes={"overdue_since": [None, day]})
            counts["marked_overdue"] += 1
        for unit in units:
            if day > item.deadline:
                if _remind(item, unit, SupervisionReminder.Kind.OVERDUE, day,
                           _("督办事项 %(code)s %(title)s 已超过完成时限 %(d)s，请尽快办结并报送进展。")
                           % {"code": item.code, "title": item.title, "d": item.deadline}):
                    counts[SupervisionReminder.Kind.OVERDUE] += 1
                continue
            if (item.deadline - day).days == DEADLINE_NEAR_DAYS:
                if _remind(item, unit, SupervisionReminder.Kind.DEADLINE_NEAR, day,
                           _("督办事项 %(code)s %(title)s 将于 %(d)s 到期，请按时完成。")
                           % {"code": item.code, "title": item.title, "d": item.deadline}):
                    counts[SupervisionReminder.Kind.DEADLINE_NEAR] += 1
            # once an interval has passed without progress, remind once; then again an interval later
            reminded = (SupervisionReminder.objects.filter(item=item, unit=unit, kind=SupervisionReminder.Kind.PROGRESS_DUE)
                        .aggregate(d=Max("day"))["d"])
            since = max(d for d in (last[unit], start, reminded) if d is not None)
            if (day - since).days >= INTERVAL_DAYS[item.report_interval]:
                if _remind(item, unit, SupervisionReminder.Kind.PROGRESS_DUE, day,
                           _("请报送督办事项 %(code)s %(title)s 的进展（%(i)s报送）。")
                           % {"code": item.code, "title": item.title, "i": item.get_report_interval_display()}):
                    counts[SupervisionReminder.Kind.PROGRESS_DUE] += 1
    return counts
