"""Who sees which item: a unit only those it leads or answers for; the office and leaders all."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaohe.supervision import services as svc
from kaohe.web import access

from .helpers import make_item


def test_a_unit_sees_only_the_items_it_leads_or_answers_for(world) -> None:
    own = make_item(world, code="DB-1")
    shared = make_item(world, code="DB-2", lead=world.unit2, units=[world.unit1, world.unit2])
    led = make_item(world, code="DB-3", lead=world.unit1, units=[world.unit2])
    other = make_item(world, code="DB-4", lead=world.unit2, units=[world.unit2])
    assert set(access.items_for(world.u1)) == {own, shared, led}
    assert set(access.items_for(world.u2)) == {shared, led, other}
    assert set(access.items_for(world.office)) == set(access.items_for(world.leader)) == {own, shared, led, other}
    assert not access.items_for(world.stat).exists()
    assert access.get_item_for_user(world.u1, own.pk) == own
    with pytest.raises(Http404):
        access.get_item_for_user(world.u2, own.pk)


def test_decomposing_makes_one_sub_item_per_unit_with_the_same_deadline_and_leaders(world) -> None:
    parent = make_item(world, code="DB-9", units=[])
    subs = svc.decompose_item(by=world.office, item=parent, units=[world.unit1, world.unit2])
    assert [s.code for s in subs] == ["DB-9-U1", "DB-9-U2"]
    for s, unit in zip(subs, (world.unit1, world.unit2), strict=True):
        assert s.parent == parent and s.lead_unit == unit and list(s.responsible_units.all()) == [unit]
        assert (s.deadline, s.lead_leader, s.responsible_leader, s.cycle) == (
            parent.deadline, parent.lead_leader, parent.responsible_leader, parent.cycle)
    assert access.get_item_for_user(world.u2, subs[1].pk) == subs[1]
    with pytest.raises(Http404):
        access.get_item_for_user(world.u2, subs[0].pk)
