"""The cycle's assessed units and their leadership rating: chosen by the office, logged, guarded."""

from __future__ import annotations

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import CycleUnit
from kaohe.organisation.models import Unit
from tests.conftest import password


def login(client, user):
    assert client.login(username=user.username, password=password(user.username))


def members(world) -> dict[str, bool]:
    return {m.unit.code: m.leadership_excellent for m in CycleUnit.objects.filter(cycle=world.cycle).select_related("unit")}


def test_office_adds_a_unit_and_rates_a_leadership_team(client, world):
    login(client, world.office)
    url = f"/cycles/{world.cycle.pk}/units/"
    assert client.get(url).status_code == 200
    u1, u2, u3 = (Unit.objects.get(code=c) for c in ("U1", "U2", "U3"))
    resp = client.post(url, {"unit": [u1.pk, u2.pk, u3.pk, world.stat_unit.pk], "excellent": [u2.pk],
                             "reason": "年度考核对象调整"})
    assert resp.status_code == 302
    assert members(world) == {"U1": False, "U2": True, "U3": False, "STAT": False}
    assert AuditEntry.objects.filter(object_id=str(world.cycle.pk), reason="年度考核对象调整").count() == 3


def test_a_unit_with_data_cannot_leave_the_cycle(client, world):
    login(client, world.office)
    u1, u2 = Unit.objects.get(code="U1"), Unit.objects.get(code="U2")
    resp = client.post(f"/cycles/{world.cycle.pk}/units/", {"unit": [u1.pk, u2.pk]})
    assert resp.status_code == 200 and "南湖县" in resp.content.decode()
    assert set(members(world)) == {"U1", "U2", "U3"}


def test_only_the_office_chooses_the_units(client, world):
    login(client, world.leader)
    assert client.post(f"/cycles/{world.cycle.pk}/units/", {"unit": []}).status_code == 403
    assert set(members(world)) == {"U1", "U2", "U3"}
