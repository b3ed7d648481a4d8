"""Reads for the reporting pages: a unit's leaves with their reports, the review queue and its counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from kaohe.engine.schema import DATA_METHODS
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator, Phase, Value
from kaohe.indicators.selectors import _chains, _in_scope, applicable_leaves
from kaohe.organisation.models import Unit

from .models import Report

State = Report.State


@dataclass
class Window:
    """The reporting window as a unit sees it."""

    phase: Phase | None
    open: bool
    days_left: int | None  # days until it closes, today included; None when not open

    @property
    def not_yet(self) -> bool:
        return bool(self.phase and self.phase.report_opens > gates.today())


def window(cycle: Cycle, day: dt.date | None = None) -> Window:
    day = day or gates.today()
    phase = gates.current_reporting_phase(cycle, day)
    if phase is None or not phase.reporting_open_on(day):
        return Window(phase, False, None)
    return Window(phase, True, (phase.report_closes - day).days)


def reported_leaves(cycle: Cycle, unit: Unit) -> list[Indicator]:
    """The leaves a unit reports on: those that apply to it and are scored from data (not rating or survey)."""
    return [n for n in applicable_leaves(cycle, unit) if n.method in DATA_METHODS]


def unit_rows(cycle: Cycle, unit: Unit, phase: Phase | None) -> list[dict]:
    """Each reported leaf with its target and the unit's report in the window (or None)."""
    leaves = reported_leaves(cycle, unit)
    targets = {v.indicator_id: v for v in Value.objects.filter(cycle=cycle, unit=unit)}
    reports = ({r.indicator_id: r for r in Report.objects.filter(phase=phase, unit=unit).prefetch_related("evidence")}
               if phase else {})
    return [{"leaf": n, "value": targets.get(n.pk), "report": reports.get(n.pk)} for n in leaves]


def state_counts(rows: list[dict]) -> dict[str, int]:
    counts = {"total": len(rows), "none": 0, **{s: 0 for s in State.values}}
    for r in rows:
        counts[r["report"].state if r["report"] else "none"] += 1
    return counts


@dataclass
class Tally:
    """Counts of one indicator's or one unit's reports by state, for the progress bars."""

    label: str
    obj: object = None
    total: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    draft: int = 0

    @property
    def missing(self) -> int:
        """未提交: no report, a draft, or a returned report not yet sent again."""
        return self.total - self.submitted - self.accepted

    @property
    def accepted_pct(self) -> int:
        return round(100 * self.accepted / self.total) if self.total else 0

    @property
    def submitted_pct(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    def add(self, state: str | None) -> None:
        self.total += 1
        if state:
            setattr(self, state, getattr(self, state) + 1)


def queue_leaves(user, cycle: Cycle, lead: Unit | None = None) -> QuerySet[Indicator]:
    """The data leaves whose reports this person reviews or reads: all for office and leaders, else those led."""
    from kaohe.web import access

    leaves = cycle.indicators.filter(method__in=DATA_METHODS).select_related("lead_unit").order_by("order", "id")
    if access.reads_everything(user):
        return leaves.filter(lead_unit=lead) if lead else leaves
    unit = access.own_unit(user)
    return leaves.filter(lead_unit=unit) if unit else leaves.none()


@dataclass
class Queue:
    overall: Tally
    per_indicator: list[Tally]
    per_unit: list[Tally]
    to_review: list[Report]
    phase: Phase | None


def queue(cycle: Cycle, leaves: list[Indicator], phase: Phase | None) -> Queue:
    """Counts by state overall, per leaf and per unit (every applicable leaf × unit pair), and the reports to review."""
    reports = {}
    if phase is not None:
        reports = {(r.indicator_id, r.unit_id): r for r in
                   Report.objects.filter(phase=phase, indicator__in=leaves).select_related("indicator", "unit")}
    overall = Tally(label="")
    per_unit: dict[int, Tally] = {}
    per_indicator = []
    chains = _chains(cycle)  # one read of the tree and one of the units, however many leaves
    members = list(cycle.units.select_related("domain", "category").order_by("domain__order", "code"))
    for leaf in leaves:
        t = Tally(label=f"{leaf.code} {leaf.name}", obj=leaf)
        for unit in (u for u in members if all(_in_scope(n, u) for n in chains[leaf.pk])):
            r = reports.get((leaf.pk, unit.pk))
            state = r.state if r else None
            t.add(state)
            overall.add(state)
            per_unit.setdefault(unit.pk, Tally(label=unit.name, obj=unit)).add(state)
        per_indicator.append(t)
    to_review = sorted((r for r in reports.values() if r.state == State.SUBMITTED),
                       key=lambda r: (r.submitted_at is None, r.submitted_at, r.pk))
    units = [per_unit[u.pk] for u in members if u.pk in per_unit]  # in the register's order
    return Queue(overall, per_indicator, units, to_review, phase)


def lead_units(cycle: Cycle) -> QuerySet[Unit]:
    """The units that lead at least one data leaf of the cycle, for the office's filter."""
    return Unit.objects.filter(led_indicators__cycle=cycle, led_indicators__method__in=DATA_METHODS).distinct().order_by(
        "code")
