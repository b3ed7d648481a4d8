"""Who may open what: every named URL of the app, requested as every role, against an explicit table.

A new URL without a row here fails `test_every_url_of_the_app_has_a_row_in_the_table`, so nobody adds a
page without saying who may see it. Rows with a unit name in brackets are requested for both counties:
a unit user gets its own unit's object and the other unit's (which must look missing: 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaohe.indicators.models import Indicator
from kaohe.indicators.services import create_cycle
from kaohe.results.services import compute_cycle

ROLES = ("office", "leader", "stat", "u1", "u2", "anon")
LOGIN = "LOGIN"  # a redirect to the login page
OK, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 403, 404, 405


def everyone(status: int, anon: Any = LOGIN) -> dict[str, Any]:
    return {"office": status, "leader": status, "stat": status, "u1": status, "u2": status, "anon": anon}


def roles(office: int, leader: int, stat: int, u1: int, u2: int, anon: Any = LOGIN) -> dict[str, Any]:
    return {"office": office, "leader": leader, "stat": stat, "u1": u1, "u2": u2, "anon": anon}


@dataclass
class Row:
    name: str
    label: str  # which objects, when one name is requested with several
    kwargs: Callable[[SimpleNamespace], dict[str, Any]]
    expect: dict[str, Any]


def row(name: str, expect: dict[str, Any], kwargs: Callable[[SimpleNamespace], dict[str, Any]] = lambda w: {},
      label: str = "") -> Row:
    return Row(name, label, kwargs, expect)


def cycle(w):
    return {"cycle": w.cycle.pk}


def run(w):
    return {"cycle": w.cycle.pk, "run": w.run.pk}


TABLE: list[Row] = [
    # web
    row("home", everyone(OK)),
    row("login", everyone(OK, anon=OK)),
    row("logout", everyone(NOT_ALLOWED, anon=NOT_ALLOWED)),  # POST only, for everyone
    row("set_language", everyone(302, anon=302)),  # GET only goes back; it changes nothing
    # results
    row("run_list", everyone(OK), cycle),
    row("run_list", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk}, "a cycle without them"),
    row("run_compute", everyone(NOT_ALLOWED), cycle),
    row("run_detail", everyone(OK), run),
    row("run_detail", everyone(MISSING), lambda w: {"cycle": w.other_cycle.pk, "run": w.run.pk}, "another cycle's run"),
    row("run_unit", roles(OK, OK, MISSING, OK, MISSING), lambda w: run(w) | {"unit": w.unit1.pk}, "U1"),
    row("run_unit", roles(OK, OK, MISSING, MISSING, OK), lambda w: run(w) | {"unit": w.unit2.pk}, "U2"),
    row("run_export", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), run),
    # audit
    row("audit_log", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("audit_object", roles(OK, MISSING, MISSING, MISSING, MISSING),
      lambda w: {"object_type": "results.Run", "object_id": str(w.run.pk)}),
]

# POST-only views: what a POST does for each role (a redirect after the work, or refused)
POSTS: list[Row] = [
    row("run_compute", roles(302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
]


def named_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


@pytest.fixture
def w(world) -> SimpleNamespace:
    world.run = compute_cycle(by=world.office, cycle=world.cycle)
    world.other_cycle = create_cycle(by=world.office, year=2025, name="2025年度（无考核对象）")
    world.a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    world.group_a = Indicator.objects.get(cycle=world.cycle, code="A")
    world.b1 = Indicator.objects.get(cycle=world.cycle, code="B1")
    world.u2_total = f"{world.run.unit_results.get(unit=world.unit2).total:.2f}"
    return world


def test_every_url_of_the_app_has_a_row_in_the_table() -> None:
    missing = named_patterns() - {r.name for r in TABLE}
    assert not missing, f"URLs with no row in the permission table: {sorted(missing)}"
    stale = {r.name for r in TABLE} - named_patterns()
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


def _login(client, w: SimpleNamespace, role: str) -> None:
    if role != "anon":
        client.force_login(getattr(w, role))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(role: str, w, client) -> None:
    _login(client, w, role)
    wrong = []
    for r in TABLE:
        url = reverse(r.name, kwargs=r.kwargs(w))
        resp = client.get(url)
        want = r.expect[role]
        if want == LOGIN:
            got_ok = resp.status_code == 302 and resp.url.startswith(reverse("login"))
        else:
            got_ok = resp.status_code == want
        if not got_ok:
            wrong.append(f"GET {r.name}{f' [{r.label}]' if r.label else ''} {url}: "
                         f"expected {want}, got {resp.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_posts_only_where_the_table_says(role: str, w, client) -> None:
    _login(client, w, role)
    for r in POSTS:
        url = reverse(r.name, kwargs=r.kwargs(w))
        resp = client.post(url)
        want = r.expect[role]
        if want == LOGIN:
            assert resp.status_code == 302 and resp.url.startswith(reverse("login")), (r.name, resp.status_code)
        else:
            assert resp.status_code == want, (r.name, role, resp.status_code)


def test_no_page_shows_the_first_county_anything_of_the_second(w, client) -> None:
    client.force_login(w.u1)
    seen = 0
    for r in TABLE:
        if r.expect["u1"] != OK:
            continue
        resp = client.get(reverse(r.name, kwargs=r.kwargs(w)))
        if resp.get("Content-Type", "").startswith("text/html"):
            page = resp.content.decode()
            assert "西山县" not in page, r.name
            assert w.u2_total not in page, r.name
            seen += 1
    assert seen >= 4
