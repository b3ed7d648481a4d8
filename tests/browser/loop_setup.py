"""A small cycle in the middle of its year-end phase, built with the services, for the yearly-loop browser test.

Three counties (东城县 U1, 西山县 U2, 南湖县 U3); leaf A1 (completion) led by 统计局, whose clerk is `stat`;
a rating leaf B2 rated by two groups: the leader `leader` (leaders, 40%, sheet still to fill) and four peer units
(统计局, 应急局, 西山县, 南湖县; 60%, sheets already submitted), so every county has ratings before the leader
rates. The year-end reporting window and the rating window are open today. Passwords: tests/conftest.password().
"""

from __future__ import annotations

import copy
import datetime as dt
from types import SimpleNamespace

from tests.conftest import SCENARIO, password

PEER_SCORES = {  # rater unit code -> {rated unit code: score}
    "STAT": {"U1": 88, "U2": 80, "U3": 84},
    "SAFE": {"U1": 92, "U2": 78, "U3": 86},
    "U2": {"U1": 75, "U3": 82},
    "U3": {"U1": 90, "U2": 76},
}


def loop_scenario() -> dict:
    """SCENARIO with 群众满意度 split: B1 (manual, 20) and B2 (rating, 20, trimmed from 3 ratings a group)."""
    s = copy.deepcopy(SCENARIO)
    for ind in s["indicators"]:
        if ind["id"] == "B1":
            ind["points"] = 20
    s["indicators"].append({"id": "B2", "parent": "B", "name": "群众评议", "points": 20, "method": "rating",
                            "params": {"trim_min": 3}})
    for v in s["values"]:
        if v["indicator"] == "B1":
            v["actual"] = v["actual"] / 2
    return s


def build_loop_cycle() -> SimpleNamespace:
    from django.contrib.auth.models import User

    from kaohe.indicators import gates
    from kaohe.indicators.models import Indicator
    from kaohe.indicators.services import create_cycle, import_scenario, save_phases
    from kaohe.organisation.models import Category, Domain, Profile, Unit
    from kaohe.ratings import services as ratings

    dept, _ = Domain.objects.get_or_create(code="dept", defaults={"name": "市级部门", "order": 2})
    # named before the import, which would otherwise name them by their codes ("county · plain" on the score tree)
    county, _ = Domain.objects.get_or_create(code="county", defaults={"name": "县（市、区）", "order": 1})
    Category.objects.get_or_create(domain=county, code="plain", defaults={"name": "平原县"})
    office_unit = Unit.objects.create(code="KHB", name="市考核办", kind=Unit.Kind.OFFICE, domain=dept)
    stat_unit = Unit.objects.create(code="STAT", name="统计局", kind=Unit.Kind.DEPARTMENT, domain=dept)
    Unit.objects.create(code="SAFE", name="应急局", kind=Unit.Kind.DEPARTMENT, domain=dept)

    def person(username: str, role: str, unit: Unit | None, name: str) -> User:
        user = User.objects.create_user(username, password=password(username))
        Profile.objects.create(user=user, role=role, unit=unit, name=name)
        return user

    office = person("office", Profile.Role.OFFICE, office_unit, "考核办李科长")
    cycle = create_cycle(by=office, year=2026, name="2026年度目标绩效考核")
    import_scenario(by=office, cycle=cycle, scenario=loop_scenario(), source="test")
    units = {u.code: u for u in Unit.objects.filter(code__in=["U1", "U2", "U3", "STAT", "SAFE"])}
    w = SimpleNamespace(
        cycle=cycle, office=office, units=units, unit1=units["U1"],
        leader=person("leader", Profile.Role.LEADER, None, "张市长"),
        stat=person("stat", Profile.Role.UNIT, stat_unit, "统计局王科员"),
        u1=person("u1", Profile.Role.UNIT, units["U1"], "东城县赵主任"),
        u2=person("u2", Profile.Role.UNIT, units["U2"], "西山县钱主任"),
        a1=Indicator.objects.get(cycle=cycle, code="A1"),
        b2=Indicator.objects.get(cycle=cycle, code="B2"),
    )

    today = gates.today()
    save_phases(by=office, cycle=cycle, phases={
        "year_end": (today - dt.timedelta(days=20), today + dt.timedelta(days=40),
                     today - dt.timedelta(days=5), today + dt.timedelta(days=10))})
    ratings.save_window(by=office, cycle=cycle, opens=today - dt.timedelta(days=2),
                        closes=today + dt.timedelta(days=12), reason_below=60)
    leaders = ratings.save_group(by=office, cycle=cycle, group=None, code="leaders", name="领导评议", weight=0.4)
    peers = ratings.save_group(by=office, cycle=cycle, group=None, code="peers", name="部门与县区互评", weight=0.6)
    counties = [units[c] for c in ("U1", "U2", "U3")]
    w.leader_rater = ratings.add_rater(by=office, cycle=cycle, group=leaders, user=w.leader, rates=counties)
    for code, scores in PEER_SCORES.items():
        rater = ratings.add_rater(by=office, cycle=cycle, group=peers, unit=units[code],
                                  rates=[units[c] for c in scores])
        by = {"STAT": w.stat, "U2": w.u2}.get(code, office)
        ratings.submit_sheet(by=by, rater=rater,
                             cells={(w.b2.pk, units[c].pk): (float(s), "") for c, s in scores.items()})
    return w


def log_in(pg, username: str) -> None:
    """Log in through the login page with the password tests/conftest gives every fixture user."""
    pg.context.clear_cookies()
    pg.goto("/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password(username))
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(lambda url: "/login/" not in url)
