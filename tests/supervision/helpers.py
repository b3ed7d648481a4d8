"""A supervision item for the tests: led by 东城县 (U1), deadline 2026-09-30, monthly progress."""

from __future__ import annotations

import datetime as dt

from kaohe.supervision import services as svc
from kaohe.supervision.models import Item


def make_item(world, *, code="DB-001", lead=None, units=None, deadline=dt.date(2026, 9, 30), **kw) -> Item:
    return svc.create_item(by=world.office, year=2026, code=code, title="推进老旧小区改造", source=Item.Source.INSTRUCTION,
                           source_ref="市委批示〔2026〕3号", lead_leader="张市长", responsible_leader="李副市长",
                           lead_unit=lead or world.unit1, responsible_units=units if units is not None else [world.unit1],
                           deadline=deadline, cycle=world.cycle, **kw)
