"""`manage.py load_demo` itself: whatever the day it runs, loading twice, and --reset (what the demo holds is
tested in test_demo_contents.py, on one load)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import authenticate

from kaohe.indicators import gates
from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Profile
from kaohe.ratings.models import Rater
from kaohe.register.models import Entry
from kaohe.reporting.models import Evidence, Problem, Report
from kaohe.results.models import Run

from .demo_load import LOGINS, current, load

pytestmark = pytest.mark.django_db(transaction=True)  # the evidence files of a reset go after the commit


@pytest.mark.parametrize("day", [dt.date(2026, 3, 9), dt.date(2027, 11, 30)])
def test_whatever_the_day_the_demo_is_in_the_middle_of_the_year_end_reporting(day, time_machine):
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, 0), tick=False)
    load()
    cycle = current()
    today = gates.today()
    half, year_end = cycle.phases.get(kind="half_year"), cycle.phases.get(kind="year_end")
    assert half.report_closes < today and not half.reporting_open_on(today)
    assert year_end.starts < today < year_end.ends and year_end.reporting_open_on(today)
    assert gates.open_reporting_phase(cycle) == year_end
    assert cycle.year == 2026


def test_loading_twice_changes_nothing():
    load()
    counts = (Report.objects.count(), Problem.objects.count(), Profile.objects.count(), Evidence.objects.count())
    out = load()
    assert "already loaded" in out
    assert Cycle.objects.count() == 3 and Run.objects.count() == 3
    assert (Report.objects.count(), Problem.objects.count(), Profile.objects.count(),
            Evidence.objects.count()) == counts


def test_reset_rebuilds_the_demo_and_restores_the_passwords():
    from django.contrib.auth.models import User

    load()
    user = User.objects.get(username="county")
    user.set_password("changed-by-someone")
    user.save()
    counts = (Report.objects.count(), Problem.objects.count(), Rater.objects.count(), Entry.objects.count(),
              Evidence.objects.count())
    old_files = [e.file.path for e in Evidence.objects.all()]
    load("--reset")
    assert Cycle.objects.count() == 3 and Run.objects.count() == 3
    assert authenticate(username="county", password=LOGINS["county"]) is not None
    assert (Report.objects.count(), Problem.objects.count(), Rater.objects.count(), Entry.objects.count(),
            Evidence.objects.count()) == counts
    assert not any(Path(f).exists() for f in old_files)


def test_reset_works_after_an_appeal_corrected_a_version_and_cards_were_exported():
    from django.contrib.auth.models import User

    from kaohe.indicators import gates
    from kaohe.results.models_export import CardExport
    from kaohe.results.services import announce_run, compute_cycle
    from kaohe.results.versions import decide_appeal, file_appeal

    load()
    cycle = Cycle.objects.get(name__startswith="2026")
    office, county = User.objects.get(username="office"), User.objects.get(username="county")
    run = announce_run(by=office, run=compute_cycle(by=office, cycle=cycle), until=gates.today() + dt.timedelta(days=5))
    appeal = file_appeal(by=county, run=run, unit=county.profile.unit, indicator_code="A01", reason="统计口径有误")
    decide_appeal(by=office, appeal=appeal, accept=True, decision="采纳", actual=1300)
    CardExport.objects.create(run=run, created_by=office, total=57, done=57, status=CardExport.Status.DONE,
                              file="exports/demo-cards.zip")
    out = load("--reset")
    assert "已载入演示数据" in out
    assert Cycle.objects.count() == 3 and not Run.objects.filter(appeals__isnull=False).exists()

