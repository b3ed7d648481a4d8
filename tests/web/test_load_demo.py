"""`manage.py load_demo`: the demo city, its people, and a run that equals the engine on the example."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from kaohe.engine import compute
from kaohe.indicators.models import Cycle, Indicator
from kaohe.indicators.selectors import scenario_for
from kaohe.organisation.models import Profile, Unit
from kaohe.results.models import Run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "suining_city.json"
LOGINS = {"office": "office-demo-2026", "leader": "leader-demo-2026", "stat": "stat-demo-2026",
          "county": "county-demo-2026"}

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_run_equals_the_engine_on_the_example():
    load()
    expected = compute(json.loads(EXAMPLE.read_text(encoding="utf-8"))).to_dict()
    run = Run.objects.get()
    assert run.status == Run.Status.OK
    got = {r.unit.code: (r.total, r.rank, r.grade or None, r.group) for r in run.unit_results.select_related("unit")}
    want = {u["unit"]: (u["total"], u["rank"], u["grade"], u["group"]) for u in expected["units"]}
    assert got == want
    assert len(got) == 57


def test_every_lead_unit_of_the_example_is_a_real_unit():
    load()
    leaves = Indicator.objects.exclude(method="")
    assert leaves.filter(lead_unit__isnull=True).count() == 0
    assert leaves.exclude(lead_unit_text="").count() == 0
    assert Unit.objects.get(name="市委绩效办").domain.code == "dept"
    assert leaves.filter(lead_unit__code="B06").count() == 8


def test_linking_lead_units_leaves_the_scenario_as_the_example_wrote_it():
    load()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    scenario = scenario_for(Cycle.objects.get())
    assert {i["id"]: i.get("lead_unit") for i in scenario["indicators"]} == \
        {i["id"]: i.get("lead_unit") for i in example["indicators"]}
    assert compute(scenario).to_dict()["units"] == compute(example).to_dict()["units"]


def test_every_role_has_a_login_with_the_printed_password():
    out = load()
    for username, password in LOGINS.items():
        assert f"{username}" in out and password in out
        assert authenticate(username=username, password=password) is not None
    roles = {p.user.username: (p.role, p.unit.code if p.unit else None) for p in Profile.objects.select_related("user", "unit")}
    assert roles == {"office": (Profile.Role.OFFICE, "JXB"), "leader": (Profile.Role.LEADER, None),
                     "stat": (Profile.Role.UNIT, "B06"), "county": (Profile.Role.UNIT, "X01")}


def test_the_demo_cycle_has_a_phase_for_each_part_of_the_year():
    load()
    phases = list(Cycle.objects.get().phases.values_list("kind", flat=True))
    assert phases == ["launch", "half_year", "year_end", "publication"]


def test_loading_twice_changes_nothing():
    load()
    out = load()
    assert "already loaded" in out
    assert Cycle.objects.count() == 1 and Run.objects.count() == 1
    assert Profile.objects.count() == 4


def test_reset_rebuilds_the_demo_and_restores_the_passwords():
    from django.contrib.auth.models import User

    load()
    user = User.objects.get(username="county")
    user.set_password("changed-by-someone")
    user.save()
    load("--reset")
    assert Cycle.objects.count() == 1 and Run.objects.count() == 1
    assert authenticate(username="county", password=LOGINS["county"]) is not None
