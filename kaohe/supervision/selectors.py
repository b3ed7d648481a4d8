"""Reads of supervision items for the overview pages: computed states in a fixed number of queries, filters, counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.organisation.models import Unit
from kaohe.web import access

from .models import Item, Letter, Milestone, Progress, State, item_state

# how far ahead "due soon" (临近时限) looks on the my-items page
DUE_SOON_DAYS = 14

# the order items are listed in when urgency matters: overdue first, closed last
URGENCY = [State.OVERDUE, State.AT_RISK, State.REOPENED, State.NOT_STARTED, State.ON_TRACK, State.COMPLETED,
           State.CLOSED]
# states of work still in the units' hands or waiting for the office (everything but 已销号)
OPEN_STATES = frozenset(URGENCY) - {State.CLOSED}


def _latest(field_name: str) -> Subquery:
    return Subquery(Progress.objects.filter(item=OuterRef("pk")).order_by("-reported_at", "-id").values(field_name)[:1])


def with_latest_progress(qs: QuerySet[Item]) -> QuerySet[Item]:
    """Items annotated with their latest progress (latest_percent, latest_at; None when nothing was reported)."""
    return qs.annotate(latest_percent=_latest("percent"), latest_at=_latest("reported_at"))


def states_for(items: Iterable[Item], day: dt.date) -> dict[int, State]:
    """The computed state (item_state) of each item on a day, by pk, in at most two queries however many items.

    Items annotated by with_latest_progress cost one query (their milestones); others two (milestones and the
    latest percent).
    """
    items = list(items)
    if not items:
        return {}
    ids = [i.pk for i in items]
    milestones: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for item_id, due, done_at in Milestone.objects.filter(item_id__in=ids).values_list("item_id", "due", "done_at"):
        milestones[item_id].append((due, done_at is not None))
    if all(hasattr(i, "latest_percent") for i in items):
        percents = {i.pk: i.latest_percent for i in items}
    else:
        percents = dict(Item.objects.filter(pk__in=ids).annotate(p=_latest("percent")).values_list("pk", "p"))
    return {i.pk: item_state(status=i.status, deadline=i.deadline, day=day, latest_percent=percents.get(i.pk),
                             milestones=milestones[i.pk]) for i in items}


def with_states(items: Iterable[Item], day: dt.date) -> list[Item]:
    """The items as a list, each with `.state` (its State on the day), `.days_left` to the deadline (negative
    once past) and `.days_overdue` (0 unless overdue) set."""
    items = list(items)
    states = states_for(items, day)
    for i in items:
        i.state = states[i.pk]
        i.days_left = (i.deadline - day).days
        i.days_overdue = -i.days_left if i.state == State.OVERDUE else 0
    return items


def by_urgency(items: list[Item]) -> list[Item]:
    """Overdue first, then at risk, …, closed last; within a state the nearest deadline first."""
    rank = {s: n for n, s in enumerate(URGENCY)}
    return sorted(items, key=lambda i: (rank[i.state], i.deadline, i.code))


def overview_items(qs: QuerySet[Item]) -> QuerySet[Item]:
    """What the overview tables show of an item: its units and latest progress, without a query per row."""
    return with_latest_progress(qs.select_related("lead_unit").prefetch_related("responsible_units"))


# ---- my items ---------------------------------------------------------------------------------------------


def items_to_answer_for(user) -> QuerySet[Item]:
    """The items on a person's "my items" page: a unit's (lead or responsible), a leader's (by name), else all."""
    if access.role(user) == "leader":
        return access.items_of_leader(user)
    return access.items_for(user)


@dataclass
class MyItems:
    overdue: list[Item]
    at_risk: list[Item]
    due_soon: list[Item]  # open, deadline within DUE_SOON_DAYS days from today (today included)
    awaiting: list[Item]  # completed by the unit, waiting for the office's verification
    open: list[Item]  # everything not closed, by urgency


def my_items(user, day: dt.date) -> MyItems:
    items = by_urgency(with_states(overview_items(items_to_answer_for(user)), day))
    soon = day + dt.timedelta(days=DUE_SOON_DAYS)
    working = (State.NOT_STARTED, State.ON_TRACK, State.AT_RISK, State.REOPENED)
    return MyItems(
        overdue=[i for i in items if i.state == State.OVERDUE],
        at_risk=[i for i in items if i.state == State.AT_RISK],
        due_soon=[i for i in items if i.state in working and day <= i.deadline <= soon],
        awaiting=[i for i in items if i.state == State.COMPLETED],
        open=[i for i in items if i.state in OPEN_STATES],
    )


# ---- the list with filters, and its Excel --------------------------------------------------------------------


@dataclass
class Filters:
    year: int | None = None  # None: every year
    source: str = ""
    state: str = ""
    unit: Unit | None = None  # lead or responsible
    text: str = ""

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (for links and the export)."""
        q = {"year": str(self.year) if self.year else "all", "source": self.source, "state": self.state,
             "unit": str(self.unit.pk) if self.unit else "", "q": self.text}
        return {k: v for k, v in q.items() if v}


def years_for(user, day: dt.date) -> list[int]:
    """The years that have items this person sees, and the current one, newest first."""
    years = set(access.items_for(user).order_by().values_list("year", flat=True).distinct())
    return sorted(years | {day.year}, reverse=True)


def units_in_items(qs: QuerySet[Item]) -> QuerySet[Unit]:
    """The units named (as lead or responsible) on these items."""
    ids = qs.order_by().values("pk")
    return Unit.objects.filter(Q(supervision_led__in=ids) | Q(supervision_items__in=ids)).distinct().order_by("code")


def filtered_items(user, f: Filters, day: dt.date) -> list[Item]:
    """The items a person sees that pass the filters, each with `.state`, by year and code.

    States other than the stored ones are computed, so the state filter narrows in the database where the
    status alone decides (closed, completed, reopened; overdue is open and past the deadline) and finishes
    on the computed state.
    """
    qs = access.items_for(user)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.unit is not None:
        qs = qs.filter(pk__in=Item.objects.filter(Q(lead_unit=f.unit) | Q(responsible_units=f.unit)).values("pk"))
    if f.text:
        t = f.text
        qs = qs.filter(Q(code__icontains=t) | Q(title__icontains=t) | Q(source_ref__icontains=t)
                       | Q(lead_leader__icontains=t) | Q(responsible_leader__icontains=t))
    if f.state in (State.CLOSED, State.COMPLETED, State.REOPENED):
        qs = qs.filter(status=f.state)
    elif f.state == State.OVERDUE:
        qs = qs.filter(status=Item.Status.OPEN, deadline__lt=day)
    elif f.state:
        qs = qs.filter(status=Item.Status.OPEN, deadline__gte=day)
    items = with_states(overview_items(qs.order_by("year", "code")), day)
    return [i for i in items if i.state == f.state] if f.state else items


EXPORT_HEADERS = ["年度", "编号", "事项", "来源", "来源文号", "牵头领导", "责任领导", "牵头单位", "责任单位", "完成时限",
                  "状态", "逾期天数", "最新进度（%）", "最近报送"]


def write_items_sheet(out: IO[bytes], items: list[Item], day: dt.date) -> None:
    """The filtered items as one sheet (what the list page shows, one row an item)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _("督办事项")
    ws.append([_(h) for h in EXPORT_HEADERS])
    for i in items:
        late = i.days_overdue or None
        units = "、".join(u.name for u in i.responsible_units.all())
        ws.append([i.year, i.code, i.title, i.get_source_display(), i.source_ref, i.lead_leader, i.responsible_leader,
                   i.lead_unit.name, units, i.deadline, str(i.state.label), late, i.latest_percent,
                   timezone.localdate(i.latest_at) if i.latest_at else None])
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJKLMN", (6, 12, 40, 12, 18, 10, 10, 14, 24, 12, 12, 8, 10, 12)):
        ws.column_dimensions[col].width = width
        if col in "JN":
            for cell in ws[col][1:]:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    book.save(out)


# ---- the board -----------------------------------------------------------------------------------------------


@dataclass
class UnitLine:
    unit: Unit
    lead: int = 0
    responsible: int = 0
    total: int = 0  # items naming the unit, as lead or responsible (counted once)
    overdue: int = 0
    closed: int = 0

    @property
    def rate(self) -> float | None:
        """Closure rate (销号率) in %: closed ÷ total."""
        return 100 * self.closed / self.total if self.total else None


@dataclass
class SourceLine:
    source: str
    label: str
    total: int = 0
    overdue: int = 0
    closed: int = 0


@dataclass
class Board:
    year: int
    total: int
    by_state: list[tuple[State, int]]
    by_source: list[SourceLine]
    units: list[UnitLine]  # by closure rate, best first
    overdue: list[Item]  # most days overdue first, each with .days_overdue
    closed: int = 0
    rate: float | None = None
    chart: dict = field(default_factory=dict)


def board(user, year: int, day: dt.date) -> Board:
    """The office's board for a year: counts by state, source and unit, the overdue list, closure rates."""
    items = with_states(overview_items(access.items_for(user).filter(year=year)), day)
    states = Counter(i.state for i in items)
    by_state = [(s, states[s]) for s in URGENCY]
    sources = {value: SourceLine(value, str(label)) for value, label in Item.Source.choices}
    for i in items:
        line = sources[i.source]
        line.total += 1
        line.overdue += i.state == State.OVERDUE
        line.closed += i.state == State.CLOSED
    lines: dict[int, UnitLine] = {}
    for i in items:
        named = {i.lead_unit.pk: i.lead_unit} | {u.pk: u for u in i.responsible_units.all()}
        for pk, unit in named.items():
            line = lines.setdefault(pk, UnitLine(unit))
            line.total += 1
            line.lead += pk == i.lead_unit_id
            line.responsible += any(u.pk == pk for u in i.responsible_units.all())
            line.overdue += i.state == State.OVERDUE
            line.closed += i.state == State.CLOSED
    units = sorted(lines.values(), key=lambda x: (-(x.rate or 0), -x.total, x.unit.code))
    overdue = [i for i in items if i.state == State.OVERDUE]
    overdue.sort(key=lambda i: (-i.days_overdue, i.code))
    closed = states[State.CLOSED]
    lines_by_source = list(sources.values())
    chart = {"sources": [x.label for x in lines_by_source], "source_keys": [x.source for x in lines_by_source],
             "source_counts": [x.total for x in lines_by_source],
             "source_overdue": [x.overdue for x in lines_by_source],
             "source_closed": [x.closed for x in lines_by_source],
             "states": [str(s.label) for s, _n in by_state], "state_keys": [s.value for s, _n in by_state],
             "state_counts": [n for _s, n in by_state],
             "labels": {"items": _("事项数"), "overdue": _("逾期"), "closed": _("已销号")}}
    return Board(year=year, total=len(items), by_state=by_state, by_source=lines_by_source, units=units,
                 overdue=overdue,
                 closed=closed, rate=100 * closed / len(items) if items else None, chart=chart)


# ---- the calendar --------------------------------------------------------------------------------------------


@dataclass
class Event:
    day: dt.date
    kind: str  # "deadline" or "milestone"
    item: Item
    title: str
    late: bool  # shown in red: an overdue item, or a milestone past due and not done on open work
    done: bool  # closed item, or milestone done: shown muted


def calendar_events(user, first: dt.date, last: dt.date, day: dt.date) -> list[Event]:
    """Deadlines and milestone dates between first and last (inclusive) of the items a person sees."""
    visible = access.items_for(user)
    deadlines = with_states(overview_items(visible.filter(deadline__range=(first, last))), day)
    events = [Event(i.deadline, "deadline", i, i.title, i.state == State.OVERDUE, i.state == State.CLOSED)
              for i in deadlines]
    working = (Item.Status.OPEN, Item.Status.REOPENED)
    for m in (Milestone.objects.filter(item__in=visible.order_by().values("pk"), due__range=(first, last))
              .select_related("item", "item__lead_unit")):
        late = m.done_at is None and m.due < day and m.item.status in working
        events.append(Event(m.due, "milestone", m.item, m.title, late, m.done_at is not None))
    events.sort(key=lambda e: (e.day, e.kind != "deadline", e.item.code))
    return events


# ---- the special report (专报) -----------------------------------------------------------------------------


def report_choices(user, year: int, day: dt.date) -> list[Item]:
    """The items the office may put in a special report for a year, most urgent first."""
    return by_urgency(with_states(overview_items(access.items_for(user).filter(year=year)), day))


def latest_progress_for(items: Iterable[Item]) -> dict[int, Progress]:
    """Each item's latest progress report, by item pk, in two queries."""
    ids = [i.pk for i in items]
    latest = dict(Item.objects.filter(pk__in=ids).annotate(p=_latest("pk")).values_list("pk", "p"))
    rows = Progress.objects.in_bulk([p for p in latest.values() if p is not None])
    return {item_id: rows[p] for item_id, p in latest.items() if p is not None}


def letters_for(items: Iterable[Item]) -> dict[int, list[Letter]]:
    """The letters sent about each item, oldest first, by item pk, in one query."""
    out: dict[int, list[Letter]] = defaultdict(list)
    for letter in (Letter.objects.filter(item__in=[i.pk for i in items]).select_related("unit")
                   .order_by("sent_at", "id")):
        out[letter.item_id].append(letter)
    return out
