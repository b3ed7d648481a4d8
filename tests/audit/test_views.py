"""The audit log pages: the office reads every change as old → new; nobody else reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.audit.views import PER_PAGE
from kaohe.indicators.models import Indicator
from kaohe.indicators.services import save_indicator
from kaohe.results.services import compute_cycle


@pytest.fixture
def changed(world) -> Indicator:
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    return save_indicator(by=world.office, cycle=world.cycle, indicator=a1, data={"points": 25.0}, reason="年中调整")


def test_the_log_shows_who_changed_what_from_old_to_new_and_why(world, client, changed) -> None:
    client.force_login(world.office)
    page = client.get(reverse("audit_log")).content.decode()
    assert "分值" in page and "30" in page and "25" in page and "年中调整" in page and "考核办李科长" in page
    assert reverse("audit_object", args=["indicators.Indicator", changed.pk]) in page


def test_the_log_is_newest_first_and_filters_by_action_type_actor_and_cycle(world, client, changed) -> None:
    from kaohe.audit.services import record

    run = compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.office)
    page = client.get(reverse("audit_log")).content.decode()
    assert page.index("第1次计算") < page.index("A1 地区生产总值增速")
    only = client.get(reverse("audit_log"), {"action": "compute"}).content.decode()
    assert str(run) in only and "年中调整" not in only
    by_type = client.get(reverse("audit_log"), {"object_type": "indicators.Indicator"}).content.decode()
    assert "年中调整" in by_type and str(run) not in by_type
    record(by=world.leader, action="update", object_type="test.Thing", object_id="1", object_repr="领导看过的东西")
    by_actor = client.get(reverse("audit_log"), {"actor": "leader"}).content.decode()
    assert "领导看过的东西" in by_actor and "年中调整" not in by_actor
    other = client.get(reverse("audit_log"), {"cycle": world.cycle.pk + 999}).content.decode()
    assert "年中调整" in other  # an unknown cycle is a form error, not an empty log or a 500


def test_the_log_pages_by_a_hundred(world, client) -> None:
    from kaohe.audit.services import record

    for i in range(PER_PAGE + 5):
        record(by=world.office, action="update", object_type="test.Thing", object_id=str(i), object_repr=f"thing {i}")
    client.force_login(world.office)
    first = client.get(reverse("audit_log"), {"object_type": "test.Thing"})
    assert first.status_code == 200 and len(first.context["rows"]) == PER_PAGE
    second = client.get(reverse("audit_log"), {"object_type": "test.Thing", "page": 2})
    assert len(second.context["rows"]) == 5
    assert client.get(reverse("audit_log"), {"page": "x"}).status_code == 200


def test_an_objects_history_lists_only_its_own_entries(world, client, changed) -> None:
    client.force_login(world.office)
    page = client.get(reverse("audit_object", args=["indicators.Indicator", changed.pk]))
    assert page.status_code == 200
    assert {e.object_id for e, *_ in page.context["rows"]} == {str(changed.pk)}
    assert "年中调整" in page.content.decode()


def test_the_run_pages_link_to_the_runs_history(world, client) -> None:
    run = compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.office)
    page = client.get(reverse("run_detail", args=[world.cycle.pk, run.pk])).content.decode()
    history = reverse("audit_object", args=["results.Run", run.pk])
    assert history in page
    assert str(run) in client.get(history).content.decode()
    client.force_login(world.leader)
    assert history not in client.get(reverse("run_detail", args=[world.cycle.pk, run.pk])).content.decode()


def test_nobody_but_the_office_reads_the_log(world, client, changed) -> None:
    for user in (world.leader, world.stat, world.u1):
        client.force_login(user)
        assert client.get(reverse("audit_log")).status_code == 403
        assert client.get(reverse("audit_object", args=["indicators.Indicator", changed.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("audit_log")).status_code == 302


def test_audit_entries_count_is_unchanged_by_reading(world, client, changed) -> None:
    before = AuditEntry.objects.count()
    client.force_login(world.office)
    client.get(reverse("audit_log"))
    assert AuditEntry.objects.count() == before
