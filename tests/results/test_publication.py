"""Publishing the year-end result, and the phase gate it sets on every later change of a value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.indicators.gates import PhaseClosed
from kaohe.indicators.models import Indicator, Value
from kaohe.indicators.services import save_values
from kaohe.results.selectors import publication
from kaohe.results.services import NotPublishable, compute_cycle, publish_run


@pytest.fixture
def a1(world):
    return Indicator.objects.get(cycle=world.cycle, code="A1")


def test_a_published_run_makes_every_value_change_need_a_reason(world, a1) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle)
    publish_run(by=world.office, run=run)
    with pytest.raises(PhaseClosed, match="须填写理由"):
        save_values(by=world.office, cycle=world.cycle, rows=[(a1, world.unit1, {"actual": 9.9})])
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.3
    assert not publication(world.cycle)["stale"]

    save_values(by=world.office, cycle=world.cycle, rows=[(a1, world.unit1, {"actual": 9.9})], reason="统计局更正")
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 9.9
    assert AuditEntry.objects.filter(reason="统计局更正").count() == 1
    # the published result no longer matches the data until a new computation is published
    assert publication(world.cycle)["stale"]
    again = compute_cycle(by=world.office, cycle=world.cycle)
    with pytest.raises(NotPublishable, match="理由"):
        publish_run(by=world.office, run=again)
    publish_run(by=world.office, run=again, reason="统计局更正后重算")
    state = publication(world.cycle)
    assert state["published"] == again and not state["stale"]
    run.refresh_from_db()
    assert run.published_at is not None  # the earlier publication stays on record


def test_only_a_year_end_run_without_errors_is_published(world) -> None:
    half = compute_cycle(by=world.office, cycle=world.cycle, stage="half_year")
    with pytest.raises(NotPublishable, match="半年评估"):
        publish_run(by=world.office, run=half)
    half.refresh_from_db()
    assert half.published_at is None
    run = compute_cycle(by=world.office, cycle=world.cycle)
    publish_run(by=world.office, run=run)
    with pytest.raises(NotPublishable, match="已经公布"):
        publish_run(by=world.office, run=run, reason="再来一次")


def test_the_values_grid_refuses_a_change_without_reason_after_publication(world, a1, client) -> None:
    publish_run(by=world.office, run=compute_cycle(by=world.office, cycle=world.cycle))
    client.force_login(world.office)
    url = reverse("value_grid", kwargs={"cycle": world.cycle.pk, "pk": a1.pk})
    data = {f"v-{u.pk}-{f}": str(x) for u, f, x in ((world.unit1, "actual", 8), (world.unit1, "target", 6),
                                                   (world.unit2, "actual", 5.4), (world.unit2, "target", 6))}
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "须填写理由" in resp.content.decode()
    assert Value.objects.get(indicator=a1, unit=world.unit1).actual == 6.3


def test_the_office_chooses_the_stage_and_publishes_from_the_runs_page(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("run_compute", kwargs={"cycle": world.cycle.pk}), {"stage": "half_year"})
    assert resp.status_code == 302
    run = world.cycle.runs.get()
    assert run.stage == "half_year"
    year_end = compute_cycle(by=world.office, cycle=world.cycle)
    resp = client.post(reverse("run_publish", kwargs={"cycle": world.cycle.pk, "run": year_end.pk}), follow=True)
    page = resp.content.decode()
    assert "年终结果已公布" in page
    year_end.refresh_from_db()
    assert year_end.published_by == world.office
    assert AuditEntry.objects.filter(action="publish", object_id=str(year_end.pk)).count() == 1
