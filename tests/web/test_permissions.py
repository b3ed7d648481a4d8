"""Who may open what: every named URL of the app, requested as every role, against an explicit table.

A new URL without a row here fails `test_every_url_of_the_app_has_a_row_in_the_table`, so nobody adds a
page without saying who may see it. Rows with a unit name in brackets are requested for both counties:
a unit user gets its own unit's object and the other unit's (which must look missing: 404).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaohe.indicators.models import Indicator
from kaohe.indicators.services import create_cycle
from kaohe.indicators.gates import today
from kaohe.results.services import announce_run, compute_cycle

from . import (perm_analysis, perm_cards, perm_outcomes, perm_ratings, perm_register, perm_reporting,
               perm_supervision_items, perm_supervision_overview, perm_supervision_projects, perm_surveys_import,
               perm_surveys_office, perm_surveys_public, perm_tables, perm_versions)
from .permtable import (FORBIDDEN, LOGIN, MISSING, NOT_ALLOWED, OK, ROLES, SKIP, Row, cycle, everyone, roles, row,
                        run)

TABLE: list[Row] = [
    # web
    row("home", everyone(OK)),
    row("login", everyone(OK, anon=OK)),
    row("logout", everyone(NOT_ALLOWED, anon=NOT_ALLOWED)),  # POST only, for everyone
    row("set_language", everyone(302, anon=302)),  # GET only goes back; it changes nothing
    # organisation (helper A's pages): the unit register is the office's; the leader reads it
    row("unit_list", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("unit_import", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("unit_edit", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: {"pk": w.unit2.pk}),
    row("unit_export", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("domain_names", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("people_list", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("person_create", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("person_edit", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: {"pk": w.u2.profile.pk}),
    # indicators (helper A's pages): everyone in the cycle reads it; only the office changes it
    row("cycle_create", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("cycle_detail", everyone(OK), cycle),
    row("cycle_detail", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk},
        "a cycle without them"),
    row("cycle_units", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_copy", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_phases", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_settings", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_settings", roles(OK, FORBIDDEN, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk},
        "a cycle without them"),
    row("indicator_tree", everyone(OK), cycle),
    row("indicator_add", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("indicator_params", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("indicator_edit", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: cycle(w) | {"pk": w.a1.pk}),
    row("indicator_delete", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        lambda w: cycle(w) | {"pk": w.a1.pk}),
    row("cycle_import", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_export", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),  # every unit's data
    row("value_index", everyone(OK), cycle),
    # A1 is led by 统计局 (stat), which enters it for every unit; B1 has no lead unit on the platform
    row("value_grid", roles(OK, OK, OK, MISSING, MISSING), lambda w: cycle(w) | {"pk": w.a1.pk}, "A1"),
    row("value_grid", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: cycle(w) | {"pk": w.b1.pk}, "B1"),
    row("value_grid", everyone(MISSING), lambda w: cycle(w) | {"pk": w.group_a.pk}, "a group, not a leaf"),
    row("value_grid_export", roles(OK, OK, OK, MISSING, MISSING), lambda w: cycle(w) | {"pk": w.a1.pk}, "A1"),
    row("value_grid_export", everyone(MISSING), lambda w: cycle(w) | {"pk": w.group_a.pk}, "a group, not a leaf"),
    row("my_unit", roles(MISSING, MISSING, MISSING, OK, OK), cycle),  # an assessed unit's own page
    # results
    row("run_list", everyone(OK), cycle),
    row("run_list", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk}, "a cycle without them"),
    row("run_compute", everyone(NOT_ALLOWED), cycle),
    row("run_announce", everyone(NOT_ALLOWED), run),
    row("run_finalize", everyone(NOT_ALLOWED), run),
    # a computation not made public is the office's alone
    row("run_detail", roles(OK, MISSING, MISSING, MISSING, MISSING), lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk},
        "a draft run"),
    row("run_unit", roles(OK, MISSING, MISSING, MISSING, MISSING),
        lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk, "unit": w.unit1.pk}, "a draft run, U1"),
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


# Writes: what a POST does for each role (a redirect after the work, or refused without a trace)
POSTS: list[Row] = [
    row("run_compute", roles(302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("run_announce", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk}),
    # the office's empty POST is refused while the notice runs (a reason is needed): tested with the view
    row("run_finalize", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), run),
    row("unit_import", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("unit_edit", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: {"pk": w.unit2.pk}),
    row("person_create", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("domain_names", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("person_edit", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: {"pk": w.u2.profile.pk}),
    row("cycle_create", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    row("cycle_units", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_copy", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_phases", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("cycle_settings", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("indicator_add", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("indicator_edit", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), lambda w: cycle(w) | {"pk": w.a1.pk}),
    row("indicator_delete", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        lambda w: cycle(w) | {"pk": w.a1.pk}),
    row("cycle_import", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    # the leader reads every grid but enters none; a unit enters only the leaves it leads
    row("value_grid", roles(SKIP, MISSING, SKIP, MISSING, MISSING), lambda w: cycle(w) | {"pk": w.a1.pk}, "A1"),
    row("value_grid", roles(SKIP, MISSING, MISSING, MISSING, MISSING), lambda w: cycle(w) | {"pk": w.b1.pk}, "B1"),
]


# each part of the cycle brings its rows, and the objects they need (a report, a sheet, an entry)
# the first BEFORE_PUBLIC parts make their objects before the half-year result is public
PARTS = (perm_reporting, perm_ratings, perm_register, perm_supervision_items, perm_supervision_overview,
         perm_supervision_projects, perm_surveys_office, perm_surveys_public, perm_surveys_import, perm_versions,
         perm_cards, perm_tables, perm_analysis, perm_outcomes)
BEFORE_PUBLIC = 9
for part in PARTS:
    TABLE += part.TABLE
    POSTS += part.POSTS


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
    for part in PARTS[:BEFORE_PUBLIC]:
        part.setup(world)
    # w.run is in public notice (what leaders and units read); w.draft is a later computation, the office's alone
    announce_run(by=world.office, run=world.run, until=today() + dt.timedelta(days=7))
    world.draft = compute_cycle(by=world.office, cycle=world.cycle)
    for part in PARTS[BEFORE_PUBLIC:]:
        part.setup(world)
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
    from kaohe.audit.models import AuditEntry

    _login(client, w, role)
    before = AuditEntry.objects.count()
    wrong, worked = [], 0
    for r in POSTS:
        want = r.expect[role]
        if want == SKIP:
            continue
        url = reverse(r.name, kwargs=r.kwargs(w))
        resp = client.post(url)
        if want == LOGIN:
            got_ok = resp.status_code == 302 and resp.url.startswith(reverse("login"))
        else:
            got_ok = resp.status_code == want
        worked += want == 302
        if not got_ok:
            wrong.append(f"POST {r.name}{f' [{r.label}]' if r.label else ''} {url}: expected {want}, "
                         f"got {resp.status_code}")
    assert not wrong, "\n".join(wrong)
    # a refused write leaves no trace; each one that went through wrote its audit entry
    assert AuditEntry.objects.count() == before + worked


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
