"""The phase gate: reporting windows on phases, and what a whole-cycle import may still replace."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kaohe.indicators import gates
from kaohe.indicators.models import Phase
from kaohe.indicators.services import import_scenario, save_phases
from kaohe.register.models import Entry

from ..conftest import SCENARIO


def test_the_office_sets_a_reporting_window_on_the_year_end_phase(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("cycle_phases", kwargs={"cycle": world.cycle.pk}), {
        "year_end_starts": "2027-01-01", "year_end_ends": "2027-03-31",
        "year_end_report_opens": "2027-01-05", "year_end_report_closes": "2027-01-20"})
    assert resp.status_code == 302
    p = Phase.objects.get(cycle=world.cycle, kind="year_end")
    assert (p.report_opens, p.report_closes) == (dt.date(2027, 1, 5), dt.date(2027, 1, 20))
    # the closing day counts whole, in the office's time zone (Asia/Shanghai, UTC+8)
    with time_machine.travel(dt.datetime(2027, 1, 20, 15, 30, tzinfo=dt.UTC)):
        assert gates.open_reporting_phase(world.cycle) == p
    with time_machine.travel(dt.datetime(2027, 1, 20, 16, 30, tzinfo=dt.UTC)):
        assert gates.open_reporting_phase(world.cycle) is None
    with time_machine.travel(dt.datetime(2027, 1, 4, 4, 0, tzinfo=dt.UTC)):
        with pytest.raises(gates.PhaseClosed, match="2027-01-05 才开始"):
            gates.require_reporting_open(p)
    with time_machine.travel(dt.datetime(2027, 1, 22, 4, 0, tzinfo=dt.UTC)):
        assert gates.open_reporting_phase(world.cycle) is None
        with pytest.raises(gates.PhaseClosed, match="已于 2027-01-20 截止"):
            gates.require_reporting_open(p)


def test_a_reporting_window_needs_both_dates_and_its_phase(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("cycle_phases", kwargs={"cycle": world.cycle.pk}), {
        "year_end_starts": "2027-01-01", "year_end_ends": "2027-03-31", "year_end_report_opens": "2027-01-05",
        "half_year_report_opens": "2026-07-01", "half_year_report_closes": "2026-07-10"})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert "填报开始和截止日期须同时填写或同时留空" in page
    assert "先填写该阶段的起止日期，再设填报窗口" in page
    assert not Phase.objects.filter(cycle=world.cycle).exists()


def test_a_whole_cycle_import_is_refused_once_work_is_on_the_platform(world) -> None:
    save_phases(by=world.office, cycle=world.cycle, phases={"year_end": (dt.date(2027, 1, 1), dt.date(2027, 3, 31))})
    Entry.objects.create(cycle=world.cycle, unit=world.unit1, kind="bonus", source="award", title="省级表彰",
                         points_claimed=1, applied_by=world.u1)
    with pytest.raises(gates.PhaseClosed, match="加减分登记 1 条"):
        import_scenario(by=world.office, cycle=world.cycle, scenario=SCENARIO)
    assert world.cycle.indicators.count() == 5
