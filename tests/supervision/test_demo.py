"""The demo city's year of supervision (kaohe/web/demo_supervision.py), as load_demo builds it: every source in
every state on the day it is loaded (whatever that day is), the county login's items, the key projects' red list,
the livelihood funds (Suining's 32.14 / 34.17 / 32.4 亿元), the inspection plan and the letters' deductions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from kaohe.audit.models import AuditEntry
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle
from kaohe.register.models import Entry
from kaohe.supervision import figures
from kaohe.supervision.models import (Inspection, InspectionPlan, Item, KeyProject, Letter, LivelihoodProject,
                                      Progress, State, SupervisionReminder, Verification)
from kaohe.supervision.projects import inspections_left
from kaohe.web import access
from kaohe.web.management.commands.load_demo import CYCLE_NAME

pytestmark = pytest.mark.django_db
EVERY_PAIR = {(source, state) for source in Item.Source.values for state in State}
YEAR = 2026


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for this module, in a transaction rolled back at the end (each test runs in a savepoint
    inside it); files go to a folder of the module's own."""
    with (django_db_blocker.unblock(),
          override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"),
                            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])):
        with transaction.atomic():
            out = load()
            yield SimpleNamespace(out=out, today=gates.today())
            transaction.set_rollback(True)


def pairs(today: dt.date) -> set[tuple[str, State]]:
    items = Item.objects.filter(year=YEAR).prefetch_related("milestones")
    return {(i.source, i.state_on(today)) for i in items}


def latest_quarter(today: dt.date) -> int:
    """The last quarter of the demo year that is over (the first one when none is over yet)."""
    if today.year != YEAR:
        return 4 if today.year > YEAR else 1
    return max(1, (today.month - 1) // 3)


def bulletin(quarter: int) -> tuple[list[KeyProject], list[KeyProject]]:
    red, laggards = [], []
    for project in KeyProject.objects.filter(year=YEAR).prefetch_related("quarters"):
        f = figures.quarter_figures([(q.quarter, q.planned, q.completed, q.score) for q in project.quarters.all()],
                                    quarter)
        if figures.on_red_list(f):
            red.append(project)
        if figures.lagging(f):
            laggards.append(project)
    return red, laggards


def test_every_source_is_in_every_state_on_the_day_the_demo_is_loaded(demo):
    assert pairs(demo.today) >= EVERY_PAIR
    titles = list(Item.objects.filter(year=YEAR, parent__isnull=True).values_list("title", flat=True))
    assert len(titles) == len(set(titles)) >= 63


def test_the_county_login_has_items_in_several_states_one_with_a_reminder_letter(demo):
    county = User.objects.get(username="county")
    mine = access.items_for(county)
    states = Counter(i.state_on(demo.today) for i in mine)
    assert len(states) >= 4
    assert Letter.objects.filter(item__in=mine, unit__code="X01", kind=Letter.Kind.REMINDER_LETTER).exists()
    assert Progress.objects.filter(item__in=mine, reported_by=county).exists()
    # nothing of another unit only
    assert all("X01" in {i.lead_unit.code, *i.responsible_units.values_list("code", flat=True)} for i in mine)


def test_the_leader_answers_for_items_in_several_states(demo):
    leader = User.objects.get(username="leader")
    assert leader.profile.name == "张华"
    states = {i.state_on(demo.today) for i in access.items_of_leader(leader)}
    assert len(states) >= 5


def test_the_latest_quarters_bulletin_has_a_red_list_and_laggards(demo):
    quarter = latest_quarter(demo.today)
    red, laggards = bulletin(quarter)
    assert len(red) >= 3 and len(laggards) >= 3 and not set(red) & set(laggards)
    projects = KeyProject.objects.filter(year=YEAR)
    assert 18 <= projects.count() <= 25
    for project in projects:
        rows = {q.quarter: q for q in project.quarters.all()}
        assert sorted(rows) == [1, 2, 3, 4] and all(q.planned > 0 for q in rows.values())
        assert all(rows[q].completed is not None and rows[q].score is not None for q in range(1, quarter + 1))
        assert all(rows[q].completed is None and rows[q].score is None for q in range(quarter + 1, 5))
    assert projects.filter(item__source=Item.Source.KEY_PROJECT).count() >= 6


def test_the_livelihood_projects_add_up_to_suinings_budget_execution(demo):
    projects = list(LivelihoodProject.objects.filter(year=YEAR).select_related("item"))
    assert len(projects) == 10
    budget, issued, paid = (sum(getattr(p, f) for p in projects) for f in ("budget", "issued", "paid"))
    assert [str(figures.wan_to_yi(x)) for x in (budget, issued, paid)] == ["32.14", "34.17", "32.40"]
    assert (str(figures.rate(issued, budget)), str(figures.rate(paid, budget))) == ("106.32", "100.81")
    assert all(p.paid <= p.issued for p in projects)
    assert all(p.item.source == Item.Source.LIVELIHOOD and p.item.progress.exists() for p in projects)
    assert "106.32%" in demo.out and "100.81%" in demo.out


def test_the_inspection_plan_allows_26_and_about_20_are_scheduled_over_the_year(demo):
    assert InspectionPlan.objects.get(year=YEAR).allowed == 26
    inspections = Inspection.objects.filter(year=YEAR)
    assert 18 <= inspections.count() <= 22
    assert not inspections.filter(in_plan=False).exists()
    assert inspections_left(YEAR) == 26 - inspections.count()
    assert len({i.day.month for i in inspections}) >= 10


def test_letters_of_every_kind_and_their_points_are_approved_deductions_of_the_2026_cycle(demo):
    cycle = Cycle.objects.get(name=CYCLE_NAME)
    letters = Letter.objects.select_related("entry", "unit")
    assert set(letters.values_list("kind", flat=True)) == set(Letter.Kind.values)
    with_points = [lt for lt in letters if lt.points > 0]
    assert 3 <= len(with_points) <= 8 and all(0.1 <= lt.points <= 0.5 for lt in with_points)
    assert len({lt.unit for lt in with_points}) <= 6
    for lt in with_points:
        e = lt.entry
        assert (e.cycle_id, e.unit, e.state, e.kind, e.source) == (cycle.pk, lt.unit, Entry.State.APPROVED,
                                                                   Entry.Kind.DEDUCTION, Entry.Source.LETTER)
        assert e.points == lt.points and e.reference == lt.number and lt.pdf
    assert all(lt.entry is None for lt in letters if lt.points == 0)


def test_one_item_is_decomposed_into_three_counties(demo):
    parent = Item.objects.get(year=YEAR, children__isnull=False, children__lead_unit__code="X01")
    children = parent.children.select_related("lead_unit")
    assert sorted(c.lead_unit.code for c in children) == ["X01", "X04", "X05"]
    assert all(c.deadline == parent.deadline and c.source == parent.source for c in children)


def test_closing_is_verified_some_on_site_and_reopening_is_a_look_back(demo):
    closes = Verification.objects.filter(kind=Verification.Kind.CLOSE)
    assert closes.filter(on_site=True).exists() and closes.filter(on_site=False).exists()
    reopened = Item.objects.filter(year=YEAR, status=Item.Status.REOPENED)
    assert reopened.count() >= 9
    for item in reopened:
        assert item.verifications.filter(kind=Verification.Kind.LOOKBACK, text__startswith="回头看").exists()
        assert item.deadline > demo.today


def test_the_history_lies_in_the_past_and_milestones_were_done_by_the_units(demo):
    now = gates.today()
    items = Item.objects.filter(year=YEAR)
    assert all(i.created_at.date() < now for i in items)
    assert all(p.reported_at.date() < now and p.reported_at >= p.item.created_at
               for p in Progress.objects.select_related("item"))
    assert Progress.objects.filter(milestone__done_at__isnull=False).count() >= 20
    assert Progress.objects.filter(evidence__isnull=False).exists()
    assert all(v.verified_at.date() < now for v in Verification.objects.all())
    percents = set(Progress.objects.values_list("percent", flat=True))
    assert {100} < percents and min(percents) < 50


def test_the_daily_job_marked_the_overdue_items_and_sent_reminders(demo):
    overdue = [i for i in Item.objects.filter(year=YEAR).prefetch_related("milestones")
               if i.state_on(demo.today) == State.OVERDUE]
    assert overdue and all(i.overdue_since == demo.today for i in overdue)
    kinds = set(SupervisionReminder.objects.values_list("kind", flat=True))
    assert {SupervisionReminder.Kind.OVERDUE, SupervisionReminder.Kind.PROGRESS_DUE} <= kinds


def test_everything_was_written_through_the_services(demo):
    cycle = Cycle.objects.get(name=CYCLE_NAME)
    logged = Counter(AuditEntry.objects.filter(object_type="supervision.Item", cycle_id=cycle.pk)
                     .values_list("action", flat=True))
    items = Item.objects.filter(year=YEAR)
    assert logged["create"] == items.count()
    assert logged["progress"] == Progress.objects.count()
    assert logged["close"] == Verification.objects.filter(kind="close").count()
    assert logged["letter"] == Letter.objects.count()
    assert "督查督办 Supervision" in demo.out


@pytest.mark.parametrize("day", [dt.date(2027, 3, 15), dt.date(2026, 2, 1)])
def test_whatever_the_day_every_source_is_in_every_state(day, time_machine):
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, 0), tick=False)
    load("--reset")  # rebuilt on that day, even where this module's demo is loaded (the test's savepoint undoes it)
    today = gates.today()
    assert today == day
    assert pairs(today) >= EVERY_PAIR
    red, laggards = bulletin(latest_quarter(today))
    assert red and laggards
