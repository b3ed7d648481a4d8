"""Letters (两书一函): numbered, printed as PDF, and their points deducted in the cycle's register."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
import time_machine

from kaohe.register.models import Entry
from kaohe.results.services import compute_cycle
from kaohe.supervision import services as svc
from kaohe.supervision.models import Letter
from kaohe.web.models import Notice

from .helpers import make_item


def _result(world, unit):
    return compute_cycle(by=world.office, cycle=world.cycle).unit_results.get(unit=unit)


@time_machine.travel(dt.datetime(2026, 10, 8, 10, 0), tick=False)
def test_a_letter_with_points_is_an_approved_deduction_that_lowers_the_units_total(world) -> None:
    before = _result(world, world.unit1)
    item = make_item(world)
    letter = svc.send_letter(by=world.office, item=item, unit=world.unit1, kind=Letter.Kind.REMINDER_LETTER,
                             failing=Letter.Failing.OVERDUE, points=0.5, text="请于 10 月 20 日前办结")
    assert letter.number == "督字〔2026〕1号"
    entry = letter.entry
    assert entry is not None and entry.cycle == world.cycle and entry.unit == world.unit1
    assert (entry.kind, entry.source, entry.state, entry.points) == ("deduction", "letter", "approved", 0.5)
    assert entry.reference == letter.number and item.code in entry.title
    assert Entry.objects.get(supervision_letter=letter) == entry
    after = _result(world, world.unit1)
    assert after.deduction == pytest.approx(before.deduction + 0.5)
    assert after.total == pytest.approx(before.total - 0.5)
    assert Notice.objects.filter(user=world.u1, text__contains=letter.number).exists()


@time_machine.travel(dt.datetime(2026, 10, 8, 10, 0), tick=False)
def test_the_letter_pdf_carries_its_number_and_numbers_run_per_kind(world) -> None:
    item = make_item(world)
    first = svc.send_letter(by=world.office, item=item, unit=world.unit1, kind=Letter.Kind.REMINDER_LETTER,
                            failing=Letter.Failing.LAGGING)
    second = svc.send_letter(by=world.office, item=item, unit=world.unit1, kind=Letter.Kind.REMINDER_LETTER,
                             failing=Letter.Failing.LAGGING)
    notice = svc.send_letter(by=world.office, item=item, unit=world.unit1, kind=Letter.Kind.RECTIFICATION_NOTICE,
                             failing=Letter.Failing.RECTIFICATION_FAILED)
    assert [first.number, second.number, notice.number] == ["督字〔2026〕1号", "督字〔2026〕2号", "督改〔2026〕1号"]
    assert first.entry is None  # no points, nothing in the register
    with second.pdf.open("rb") as f:
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(f.read())).pages)
    assert "督字〔2026〕2号" in text and "东城县" in text


def test_only_the_office_sends_letters_and_only_to_the_items_units(world) -> None:
    item = make_item(world)
    with pytest.raises(svc.SupervisionRefused):
        svc.send_letter(by=world.u1, item=item, unit=world.unit1, kind=Letter.Kind.INTERVIEW,
                        failing=Letter.Failing.OTHER)
    with pytest.raises(svc.SupervisionRefused):
        svc.send_letter(by=world.office, item=item, unit=world.unit2, kind=Letter.Kind.INTERVIEW,
                        failing=Letter.Failing.OTHER, points=1)
    assert not Letter.objects.exists() and not Entry.objects.filter(source="letter").exists()
