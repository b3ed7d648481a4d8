"""Reads of the register: the entries a person may see, and per unit what the engine will count."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.engine.numbers import round2
from kaohe.indicators.models import Adjustment, Cycle
from kaohe.organisation.models import Unit
from kaohe.web import access

from .models import Entry


def entries_for(user, cycle: Cycle, *, kind: str = "", state: str = "", unit: Unit | None = None
                ) -> QuerySet[Entry]:
    """Every entry for the office and leaders; a unit's own entries for a unit."""
    qs = (Entry.objects.filter(cycle=cycle).select_related("unit", "applied_by__profile", "decided_by__profile")
          .prefetch_related("expert_scores"))
    if not access.reads_everything(user):
        own = access.own_unit(user)
        if own is None:
            return qs.none()
        qs = qs.filter(unit=own)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def _cap(cycle: Cycle, key: str) -> float | None:
    v = (cycle.settings or {}).get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass
class UnitSummary:
    unit: Unit
    bonus_sum: float = 0.0
    deduction_sum: float = 0.0
    vetoes: int = 0
    pending: int = 0
    imported: list[Adjustment] = field(default_factory=list)  # adjustments that came with a workbook, not an entry
    bonus_cap: float | None = None
    deduction_cap: float | None = None

    @property
    def bonus_counted(self) -> float:
        return round2(self.bonus_sum if self.bonus_cap is None else min(self.bonus_sum, self.bonus_cap))

    @property
    def deduction_counted(self) -> float:
        return round2(self.deduction_sum if self.deduction_cap is None else min(self.deduction_sum,
                                                                                  self.deduction_cap))

    @property
    def bonus_capped(self) -> bool:
        return self.bonus_cap is not None and self.bonus_sum > self.bonus_cap

    @property
    def deduction_capped(self) -> bool:
        return self.deduction_cap is not None and self.deduction_sum > self.deduction_cap


def unit_summaries(user, cycle: Cycle) -> tuple[list[UnitSummary], float | None, float | None]:
    """Per visible unit: the adjustments the engine will read (approved entries and imported ones), capped.

    Two queries whatever the number of units.
    """
    bonus_cap, deduction_cap = _cap(cycle, "bonus_cap"), _cap(cycle, "deduction_cap")
    units = list(access.units_visible(user, cycle).order_by("code"))
    rows = {u.pk: UnitSummary(unit=u, bonus_cap=bonus_cap, deduction_cap=deduction_cap) for u in units}
    for adj in Adjustment.objects.filter(cycle=cycle, unit_id__in=rows).select_related("entry"):
        s = rows[adj.unit_id]
        if adj.kind == Adjustment.Kind.BONUS:
            s.bonus_sum += adj.points
        elif adj.kind == Adjustment.Kind.DEDUCTION:
            s.deduction_sum += adj.points
        else:
            s.vetoes += 1
        if not hasattr(adj, "entry"):
            s.imported.append(adj)
    pending = (Entry.objects.filter(cycle=cycle, unit_id__in=rows, state=Entry.State.APPLIED)
               .values_list("unit_id", flat=True))
    for unit_id in pending:
        rows[unit_id].pending += 1
    for s in rows.values():
        s.bonus_sum, s.deduction_sum = round2(s.bonus_sum), round2(s.deduction_sum)
    return list(rows.values()), bonus_cap, deduction_cap


ENTRY_HEADERS = ["单位编号", "单位", "类型", "来源", "事项", "事由", "文号", "申报分值", "专家评分", "核定分值", "状态",
                 "审定意见", "申报人", "申报时间", "审定人", "审定时间"]
SUMMARY_HEADERS = ["单位编号", "单位", "加分合计", "加分上限", "计入加分", "扣分合计", "扣分上限", "计入扣分", "一票否决",
                   "待审定"]


def _who(user) -> str:
    if user is None:
        return ""
    p = getattr(user, "profile", None)
    return p.name if p and p.name else user.get_username()


def _when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


def write_register_sheet(out: IO[bytes] | BytesIO, user, cycle: Cycle) -> None:
    """Two sheets: every entry, and the per-unit summary with the caps."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _("加减分登记")
    ws.append(ENTRY_HEADERS)
    for e in entries_for(user, cycle).order_by("unit__code", "applied_at", "id"):
        experts = "；".join(f"{s.expert} {s.score:g}" for s in e.expert_scores.all())
        ws.append([e.unit.code, e.unit.name, e.get_kind_display(), e.get_source_display(), e.title, e.reason,
                   e.reference, e.points_claimed, experts, e.points, e.get_state_display(), e.decision,
                   _who(e.applied_by), _when(e.applied_at), _who(e.decided_by), _when(e.decided_at)])
    summaries, _b, _d = unit_summaries(user, cycle)
    ws2 = book.create_sheet(_("各单位汇总"))
    ws2.append(SUMMARY_HEADERS)
    for s in summaries:
        ws2.append([s.unit.code, s.unit.name, s.bonus_sum, s.bonus_cap, s.bonus_counted, s.deduction_sum,
                    s.deduction_cap, s.deduction_counted, s.vetoes, s.pending])
    for sheet in (ws, ws2):
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    book.save(out)
