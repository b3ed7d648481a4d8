"""Named people for every role and a small cycle, shared by the web tests.

office (考核办) runs everything; leader reads; stat is the 统计局 clerk who leads indicator A1;
u1 and u2 are clerks of two assessed counties. Each password is the username + "-pass-2026".
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

SCENARIO = {
    "units": [
        {"id": "U1", "name": "东城县", "domain": "county", "category": "plain", "leadership_excellent": True},
        {"id": "U2", "name": "西山县", "domain": "county", "category": "plain"},
        {"id": "U3", "name": "南湖县", "domain": "county", "category": "plain"},
    ],
    "indicators": [
        {"id": "A", "name": "高质量发展", "points": 60},
        {"id": "A1", "parent": "A", "name": "地区生产总值增速", "points": 30, "method": "completion",
         "params": {"cap": 1.2}, "lead_unit": "统计局", "responsible": "王统计"},
        {"id": "A2", "parent": "A", "name": "安全生产事故", "points": 30, "method": "deduction",
         "params": {"per_item": 5}, "lead_unit": "应急局"},
        {"id": "B", "name": "群众满意度", "points": 40},
        {"id": "B1", "parent": "B", "name": "满意度测评", "points": 40, "method": "manual"},
    ],
    "values": [
        {"unit": "U1", "indicator": "A1", "actual": 6.3, "target": 6.0},
        {"unit": "U2", "indicator": "A1", "actual": 5.4, "target": 6.0},
        {"unit": "U3", "indicator": "A1", "actual": 7.5, "target": 6.0},
        {"unit": "U1", "indicator": "A2", "actual": 0},
        {"unit": "U2", "indicator": "A2", "actual": 2},
        {"unit": "U3", "indicator": "A2", "actual": 1},
        {"unit": "U1", "indicator": "B1", "actual": 36},
        {"unit": "U2", "indicator": "B1", "actual": 33.5},
        {"unit": "U3", "indicator": "B1", "actual": 35},
    ],
    "adjustments": [{"unit": "U2", "kind": "bonus", "points": 1.5, "reason": "省级改革试点"}],
    "settings": {"grades": [{"name": "优秀", "top_share": 0.34}, {"name": "良好", "rest": True}],
                 "advanced": {"grade": "优秀", "requires_leadership_excellent": True}},
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at production cost takes over half a second a password here; every fixture user pays it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def password(username: str) -> str:
    return f"{username}-pass-2026"


@pytest.fixture
def world(db):
    from django.contrib.auth.models import User

    from kaohe.indicators.services import create_cycle, import_scenario
    from kaohe.organisation.models import Domain, Profile, Unit

    dept, _ = Domain.objects.get_or_create(code="dept", defaults={"name": "市级部门", "order": 2})
    office_unit = Unit.objects.create(code="KHB", name="市考核办", kind=Unit.Kind.OFFICE, domain=dept)
    stat = Unit.objects.create(code="STAT", name="统计局", kind=Unit.Kind.DEPARTMENT, domain=dept)
    Unit.objects.create(code="SAFE", name="应急局", kind=Unit.Kind.DEPARTMENT, domain=dept)

    def person(username: str, role: str, unit: Unit | None, name: str) -> User:
        user = User.objects.create_user(username, password=password(username))
        Profile.objects.create(user=user, role=role, unit=unit, name=name)
        return user

    office = person("office", Profile.Role.OFFICE, office_unit, "考核办李科长")
    cycle = create_cycle(by=office, year=2026, name="2026年度目标绩效考核")
    import_scenario(by=office, cycle=cycle, scenario=SCENARIO, source="test")
    u1, u2 = Unit.objects.get(code="U1"), Unit.objects.get(code="U2")
    return SimpleNamespace(
        cycle=cycle, office=office, stat_unit=stat, unit1=u1, unit2=u2,
        leader=person("leader", Profile.Role.LEADER, None, "张市长"),
        stat=person("stat", Profile.Role.UNIT, stat, "统计局王科员"),
        u1=person("u1", Profile.Role.UNIT, u1, "东城县赵主任"),
        u2=person("u2", Profile.Role.UNIT, u2, "西山县钱主任"),
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded evidence goes to a folder of the test's own, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
