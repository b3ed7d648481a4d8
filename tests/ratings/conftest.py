"""A cycle with a rating leaf (C1, 20 points, trim_min 3), two rater groups and an open rating window.

Raters: three leaders (leaders group, each rating U1, U2, U3) and the three counties rating each other
(peers group). The window is open today; tests travel in time with time_machine to close it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kaohe.indicators import gates
from kaohe.indicators.models import Indicator
from kaohe.organisation.models import Profile, Unit
from kaohe.ratings import services


@pytest.fixture
def r(world) -> SimpleNamespace:
    from django.contrib.auth.models import User

    office, cycle = world.office, world.cycle
    root = Indicator.objects.create(cycle=cycle, code="C", name="四位一体评议", points=20, order=90)
    leaf = Indicator.objects.create(cycle=cycle, code="C1", parent=root, name="工作实绩评议", points=20,
                                    method="rating", params={"trim_min": 3}, order=91)
    leaders = services.save_group(by=office, cycle=cycle, group=None, code="leaders", name="领导评议", weight=0.4)
    peers = services.save_group(by=office, cycle=cycle, group=None, code="peers", name="部门互评", weight=0.6)
    today = gates.today()
    window = services.save_window(by=office, cycle=cycle, opens=today - dt.timedelta(days=1),
                                  closes=today + dt.timedelta(days=5), reason_below=60)
    u1, u2 = world.unit1, world.unit2
    u3 = Unit.objects.get(code="U3")
    chiefs = []
    for i in range(1, 4):
        user = User.objects.create_user(f"lead{i}", password="x")
        Profile.objects.create(user=user, role=Profile.Role.LEADER, name=f"副市长{i}")
        chiefs.append(services.add_rater(by=office, cycle=cycle, group=leaders, user=user, rates=[u1, u2, u3]))
    peer1 = services.add_rater(by=office, cycle=cycle, group=peers, unit=u1, rates=[u2, u3])
    peer2 = services.add_rater(by=office, cycle=cycle, group=peers, unit=u2, rates=[u1, u3])
    peer3 = services.add_rater(by=office, cycle=cycle, group=peers, unit=u3, rates=[u1, u2])
    return SimpleNamespace(w=world, cycle=cycle, office=office, leaf=leaf, leaders=leaders, peers=peers,
                           window=window, u1=u1, u2=u2, u3=u3, chiefs=chiefs, peer1=peer1, peer2=peer2, peer3=peer3)


def cells(leaf, scores: dict, reasons: dict | None = None) -> dict:
    """{unit: score} as a sheet's cells for one leaf."""
    reasons = reasons or {}
    return {(leaf.pk, u.pk): (s, reasons.get(u, "")) for u, s in scores.items()}
