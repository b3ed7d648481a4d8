"""Versions made public: public notice (公示) then final; frozen from the notice on; what others may read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.indicators.gates import PhaseClosed, today
from kaohe.indicators.models import Indicator, Value
from kaohe.indicators.services import save_values
from kaohe.results.models import Run, RunUnit
from kaohe.results.selectors import publication
from kaohe.results.services import NotPublishable, announce_run, compute_cycle, finalize_run


@pytest.fixture
def a1(world):
    return Indicator.objects.get(cycle=world.cycle, code="A1")


def week() -> dt.date:
    return today() + dt.timedelta(days=7)


def test_a_public_version_makes_every_value_change_need_a_reason_and_a_new_version(world, a1) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=run, until=week())
    with pytest.raises(PhaseClosed, match="须填写理由"):
        save_values(by=world.office, cycle=world.cycle, rows=[(a1, world.unit1, {"actual": 9.9})])
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.3
    assert not publication(world.cycle)["stale"]

    save_values(by=world.office, cycle=world.cycle, rows=[(a1, world.unit1, {"actual": 9.9})], reason="统计局更正")
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 9.9
    assert AuditEntry.objects.filter(reason="统计局更正").count() == 1
    # the public version no longer matches the data until a corrected version is made public
    assert publication(world.cycle)["stale"]
    again = compute_cycle(by=world.office, cycle=world.cycle)
    with pytest.raises(NotPublishable, match="更正理由"):
        announce_run(by=world.office, run=again, until=week())
    announce_run(by=world.office, run=again, until=week(), reason="统计局更正后重算")
    state = publication(world.cycle)
    assert state["published"] == again and not state["stale"]
    again.refresh_from_db()
    assert again.supersedes == run and again.reason == "统计局更正后重算"
    # the corrected version and the one it corrects both stay readable, unchanged
    run.refresh_from_db()
    assert run.public and run.unit_results.get(unit=world.unit1).total != again.unit_results.get(unit=world.unit1).total


def test_only_a_year_end_run_without_errors_is_made_public_then_final(world) -> None:
    half = compute_cycle(by=world.office, cycle=world.cycle, stage="half_year")
    announce_run(by=world.office, run=half, until=week())  # fed back to the units (通报)
    with pytest.raises(NotPublishable, match="半年评估"):
        finalize_run(by=world.office, run=half, reason="测试：提前正式公布")
    assert publication(world.cycle)["published"] is None  # the year-end gate is not set by a half-year run
    run = compute_cycle(by=world.office, cycle=world.cycle)
    with pytest.raises(NotPublishable, match="先公示"):
        finalize_run(by=world.office, run=run, reason="测试：提前正式公布")
    with pytest.raises(NotPublishable, match="公示截止日期"):
        announce_run(by=world.office, run=run, until=today() - dt.timedelta(days=1))
    announce_run(by=world.office, run=run, until=week())
    with pytest.raises(NotPublishable, match="已经公示"):
        announce_run(by=world.office, run=run, until=week(), reason="再来一次")
    finalize_run(by=world.office, run=run, reason="测试：提前正式公布")
    run.refresh_from_db()
    assert run.publication == "final" and run.published_by == world.office
    with pytest.raises(NotPublishable, match="已经正式公布"):
        finalize_run(by=world.office, run=run, reason="测试：提前正式公布")


def test_the_database_refuses_any_change_to_a_public_version(world) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=run, until=week())
    row = run.unit_results.get(unit=world.unit1)
    total = row.total
    for change in (lambda: RunUnit.objects.filter(pk=row.pk).update(total=99.9),
                   lambda: Run.objects.filter(pk=run.pk).update(scenario={"units": []}),
                   lambda: Run.objects.filter(pk=run.pk).update(fingerprint="0" * 64),
                   lambda: RunUnit.objects.create(**{**{f.attname: getattr(row, f.attname)
                                                        for f in RunUnit._meta.concrete_fields if f.name != "id"},
                                                     "unit_id": Indicator.objects.first().cycle.units.last().pk,
                                                     "position": 99})):
        with pytest.raises(DatabaseError, match="published version"):
            with transaction.atomic():
                change()
    row.refresh_from_db()
    run.refresh_from_db()
    assert row.total == total and run.scenario["units"]
    # a version not yet public is still the office's draft: the guard is about publication, not every run
    draft = compute_cycle(by=world.office, cycle=world.cycle)
    RunUnit.objects.filter(run=draft, unit=world.unit1).update(total=1)


def test_the_values_grid_refuses_a_change_without_reason_after_publication(world, a1, client) -> None:
    announce_run(by=world.office, run=compute_cycle(by=world.office, cycle=world.cycle), until=week())
    client.force_login(world.office)
    url = reverse("value_grid", kwargs={"cycle": world.cycle.pk, "pk": a1.pk})
    data = {f"v-{u.pk}-{f}": str(x) for u, f, x in ((world.unit1, "actual", 8), (world.unit1, "target", 6),
                                                   (world.unit2, "actual", 5.4), (world.unit2, "target", 6))}
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "须填写理由" in resp.content.decode()
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.3


def test_leaders_and_units_read_only_public_versions(world, client) -> None:
    draft = compute_cycle(by=world.office, cycle=world.cycle)
    for user in (world.leader, world.u1):
        client.force_login(user)
        assert client.get(reverse("run_detail", kwargs={"cycle": world.cycle.pk, "run": draft.pk})).status_code == 404
        page = client.get(reverse("run_list", kwargs={"cycle": world.cycle.pk})).content.decode()
        assert "第 1 次" not in page
    announce_run(by=world.office, run=draft, until=week())
    client.force_login(world.u1)
    assert client.get(reverse("run_unit", kwargs={"cycle": world.cycle.pk, "run": draft.pk,
                                                  "unit": world.unit1.pk})).status_code == 200


def test_the_office_chooses_the_stage_announces_and_finalizes_from_the_runs_page(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("run_compute", kwargs={"cycle": world.cycle.pk}), {"stage": "half_year"})
    assert resp.status_code == 302
    assert world.cycle.runs.get().stage == "half_year"
    year_end = compute_cycle(by=world.office, cycle=world.cycle)
    url = reverse("run_announce", kwargs={"cycle": world.cycle.pk, "run": year_end.pk})
    page = client.post(url, {"until": str(week())}, follow=True).content.decode()
    assert "年终结果公示中" in page
    finalize = reverse("run_finalize", kwargs={"cycle": world.cycle.pk, "run": year_end.pk})
    page = client.post(finalize, follow=True).content.decode()
    assert "期满前正式公布须填写理由" in page  # the notice runs for a week yet
    with time_machine.travel(week() + dt.timedelta(days=1)):
        page = client.post(finalize, follow=True).content.decode()
    assert "年终结果已正式公布" in page
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(year_end.pk), object_type="results.Run")
            .order_by("id")] == ["compute", "announce", "publish"]
