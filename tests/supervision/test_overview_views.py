"""The overview pages: my items, the board, the list and its Excel, the calendar; who sees what, states on dates."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.supervision import selectors
from kaohe.supervision import services as svc
from kaohe.supervision.models import Item, State

from .helpers import make_item

# 2026-10-10: A (U1, due 09-30) is 10 days overdue, B (U2, due 09-15) 25 days; C (U1 and U2) is closed
LATER = dt.datetime(2026, 10, 10, 9, 0)


def _item(world, code: str, title: str, lead, units, deadline: dt.date, **kw) -> Item:
    return svc.create_item(by=world.office, year=2026, code=code, title=title, source=kw.pop("source", "complaint"),
                           lead_unit=lead, responsible_units=units, deadline=deadline, cycle=world.cycle,
                           lead_leader=kw.pop("lead_leader", "王副市长"), responsible_leader="刘副市长", **kw)


@pytest.fixture
def items(world) -> SimpleNamespace:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        a = make_item(world, milestones=[("完成摸底", dt.date(2026, 9, 10))])  # U1, 张市长 leads, due 09-30
        b = _item(world, "DB-002", "西山河道整治", world.unit2, [world.unit2], dt.date(2026, 9, 15))
        c = _item(world, "DB-003", "城乡环境联合整治", world.unit1, [world.unit1, world.unit2], dt.date(2026, 8, 31),
                  source="deployment")
        svc.report_progress(by=world.u1, item=c, text="已全部整治", percent=100)
        svc.close_item(by=world.office, item=c, verification="实地核验，已完成")
    return SimpleNamespace(a=a, b=b, c=c)


def _page(client, user, name: str, **params) -> str:
    client.force_login(user)
    resp = client.get(reverse(name), params)
    assert resp.status_code == 200
    return resp.content.decode()


def test_home_sends_the_office_to_the_board_and_everyone_else_to_their_items(world, client) -> None:
    for user, target in ((world.office, "supervision_board"), (world.leader, "supervision_mine"),
                         (world.u1, "supervision_mine")):
        client.force_login(user)
        resp = client.get(reverse("supervision_home"))
        assert resp.status_code == 302 and resp.url == reverse(target)


def test_a_unit_sees_only_its_items_on_my_items_the_list_and_the_calendar(world, items, client) -> None:
    for name, params in (("supervision_mine", {}), ("supervision_items", {}),
                         ("supervision_calendar", {"month": "2026-09"})):
        page = _page(client, world.u1, name, **params)
        assert "推进老旧小区改造" in page, name
        assert "西山河道整治" not in page, name
    # a unit cannot widen its list by asking for another unit
    page = _page(client, world.u1, "supervision_items", unit=world.unit2.pk)
    assert "西山河道整治" not in page and "推进老旧小区改造" in page
    page = _page(client, world.u2, "supervision_items")
    assert "西山河道整治" in page and "城乡环境联合整治" in page and "推进老旧小区改造" not in page


def test_the_export_holds_the_same_filtered_rows_and_only_the_units_own(world, items, client) -> None:
    client.force_login(world.u1)
    resp = client.get(reverse("supervision_items_export"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("年度", "编号", "事项")
    assert sorted(r[1] for r in rows[1:]) == ["DB-001", "DB-003"]
    client.force_login(world.office)
    resp = client.get(reverse("supervision_items_export"), {"source": "complaint"})
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["DB-002"]
    assert rows[1][8] == "西山县"  # responsible units


def test_a_leader_sees_the_items_named_with_their_name(world, items, client) -> None:
    page = _page(client, world.leader, "supervision_mine")
    assert "推进老旧小区改造" in page  # 张市长 is its lead leader
    assert "西山河道整治" not in page  # led by 王副市长


def test_the_board_counts_by_state_source_and_unit_with_closure_rates(world, items, client) -> None:
    client.force_login(world.office)
    with time_machine.travel(LATER, tick=False):
        resp = client.get(reverse("supervision_board"), {"year": 2026})
    b = resp.context["board"]
    assert b.total == 3 and b.closed == 1 and round(b.rate, 1) == 33.3
    assert dict(b.by_state)[State.OVERDUE] == 2 and dict(b.by_state)[State.CLOSED] == 1
    by_source = {s.source: (s.total, s.overdue, s.closed) for s in b.by_source}
    assert by_source["complaint"] == (1, 1, 0) and by_source["instruction"] == (1, 1, 0)
    assert by_source["deployment"] == (1, 0, 1)
    units = {u.unit.code: (u.lead, u.responsible, u.total, u.overdue, u.closed, u.rate) for u in b.units}
    assert units["U1"] == (2, 2, 2, 1, 1, 50.0)
    assert units["U2"] == (1, 2, 2, 1, 1, 50.0)
    assert [(i.code, i.days_overdue) for i in b.overdue] == [("DB-002", 25), ("DB-001", 10)]
    page = resp.content.decode()
    assert "vendor/echarts/echarts.min.js" in page and 'id="kh-board-data"' in page
    assert reverse("supervision_items") + "?year=2026&amp;state=overdue" in page


def test_the_board_is_for_the_office_and_leaders(world, client) -> None:
    client.force_login(world.u1)
    assert client.get(reverse("supervision_board")).status_code == 403
    client.force_login(world.leader)
    assert client.get(reverse("supervision_board")).status_code == 200


def test_overdue_is_computed_on_the_dates(world, items, client) -> None:
    client.force_login(world.office)
    with time_machine.travel(dt.datetime(2026, 9, 29, 9, 0), tick=False):
        resp = client.get(reverse("supervision_items"), {"state": "overdue"})
        assert [i.code for i in resp.context["items"]] == ["DB-002"]
        resp = client.get(reverse("supervision_items"), {"state": "at_risk"})
        assert [i.code for i in resp.context["items"]] == ["DB-001"]  # its milestone passed, and 1 day left
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0), tick=False):
        resp = client.get(reverse("supervision_items"), {"state": "overdue"})
        assert [i.code for i in resp.context["items"]] == ["DB-001", "DB-002"]
        resp = client.get(reverse("supervision_items"), {"state": "closed"})
        assert [i.code for i in resp.context["items"]] == ["DB-003"]


def test_my_items_groups_overdue_at_risk_due_soon_and_awaiting_with_counts(world, items, client) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        soon = make_item(world, code="DB-004", deadline=dt.date(2026, 9, 20))
        done = make_item(world, code="DB-005", deadline=dt.date(2026, 12, 31))
        svc.mark_completed(by=world.u1, item=done)
    client.force_login(world.u1)
    with time_machine.travel(dt.datetime(2026, 9, 8, 9, 0), tick=False):
        resp = client.get(reverse("supervision_mine"))
        counts = {key: n for key, _label, n in resp.context["groups"]}
        assert counts == {"overdue": 0, "at_risk": 0, "due_soon": 1, "awaiting": 1, "open": 3}
        resp = client.get(reverse("supervision_mine"), {"show": "due_soon"})
        assert [i.code for i in resp.context["items"]] == [soon.code]
    with time_machine.travel(dt.datetime(2026, 9, 25, 9, 0), tick=False):
        resp = client.get(reverse("supervision_mine"), {"show": "overdue"})
        assert [i.code for i in resp.context["items"]] == ["DB-004"]
        resp = client.get(reverse("supervision_mine"), {"show": "at_risk"})
        assert [i.code for i in resp.context["items"]] == ["DB-001"]
        resp = client.get(reverse("supervision_mine"), {"show": "awaiting"})
        assert [i.code for i in resp.context["items"]] == ["DB-005"]


def test_states_for_a_list_cost_a_fixed_number_of_queries(world, items, django_assert_num_queries) -> None:
    for n in range(6):
        make_item(world, code=f"X-{n}", milestones=[("节点", dt.date(2026, 7, 1))])
    listed = list(Item.objects.all())
    day = dt.date(2026, 10, 10)
    with django_assert_num_queries(2):
        states = selectors.states_for(listed, day)
    assert states == {i.pk: i.state_on(day) for i in listed}
    annotated = list(selectors.with_latest_progress(Item.objects.all()))
    with django_assert_num_queries(1):
        assert selectors.states_for(annotated, day) == states


def test_the_calendar_shows_deadlines_and_milestones_with_overdue_in_red(world, items, client) -> None:
    client.force_login(world.office)
    with time_machine.travel(LATER, tick=False):
        resp = client.get(reverse("supervision_calendar"), {"month": "2026-09"})
    page = resp.content.decode()
    assert resp.context["prev"] == "2026-08" and resp.context["next"] == "2026-10"
    events = {(e.day, e.kind, e.item.code): e.late for _d, es in resp.context["days"] for e in es}
    assert events == {(dt.date(2026, 9, 10), "milestone", "DB-001"): True, (dt.date(2026, 9, 15), "deadline", "DB-002"):
                      True, (dt.date(2026, 9, 30), "deadline", "DB-001"): True}
    assert page.count("kh-event-late") >= 3 and "?month=2026-10" in page
    assert "d-md-none" in page  # the list for phones


def test_the_calendar_refuses_a_bad_month_with_a_message(world, client) -> None:
    client.force_login(world.u1)
    with time_machine.travel(LATER, tick=False):
        resp = client.get(reverse("supervision_calendar"), {"month": "2026-13"})
    assert resp.status_code == 200 and resp.context["first"] == dt.date(2026, 10, 1)
    assert "月份“2026-13”无效" in resp.content.decode()


def test_the_list_filters_by_source_unit_and_text(world, items, client) -> None:
    client.force_login(world.office)
    resp = client.get(reverse("supervision_items"), {"unit": world.unit2.pk})
    assert [i.code for i in resp.context["items"]] == ["DB-002", "DB-003"]
    resp = client.get(reverse("supervision_items"), {"q": "河道"})
    assert [i.code for i in resp.context["items"]] == ["DB-002"]
    resp = client.get(reverse("supervision_items"), {"source": "deployment", "year": "all"})
    assert [i.code for i in resp.context["items"]] == ["DB-003"]
    resp = client.get(reverse("supervision_items"), {"year": "2025"})
    assert list(resp.context["items"]) == []
