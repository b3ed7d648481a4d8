"""The audit log is a hash chain: tampering with any entry is found and named."""

from __future__ import annotations

from kaohe.audit.models import AuditEntry
from kaohe.audit.services import verify_chain
from kaohe.indicators.models import Indicator
from kaohe.indicators.services import save_indicator


def test_every_change_appends_an_entry_linked_to_the_previous_one(world) -> None:
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    before = AuditEntry.objects.count()
    save_indicator(by=world.office, cycle=world.cycle, indicator=a1, data={"points": 25.0}, reason="年中调整")
    entry = AuditEntry.objects.last()
    assert AuditEntry.objects.count() == before + 1
    assert entry.changes == {"points": [30.0, 25.0]} and entry.reason == "年中调整" and entry.actor == world.office
    assert entry.prev_hash == AuditEntry.objects.order_by("-id")[1].hash
    assert verify_chain().broken is None


def test_an_unchanged_save_writes_nothing(world) -> None:
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    before = AuditEntry.objects.count()
    save_indicator(by=world.office, cycle=world.cycle, indicator=a1, data={"points": 30.0})
    assert AuditEntry.objects.count() == before


def test_tampering_with_one_row_is_named(world) -> None:
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    save_indicator(by=world.office, cycle=world.cycle, indicator=a1, data={"points": 25.0})
    victim = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).update(reason="悄悄改过")
    report = verify_chain()
    assert report.broken == victim


def test_removing_an_entry_is_found(world) -> None:
    victim = AuditEntry.objects.order_by("id")[0]
    AuditEntry.objects.filter(pk=victim.pk).delete()
    assert verify_chain().broken is not None
