"""The Excel list of items: all or nothing, every problem by row and column."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from kaohe.supervision import services as svc
from kaohe.supervision.models import Item

HEADERS = svc.SHEET_HEADERS


def _sheet(rows) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(list(r))
    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()


GOOD = [
    ("DB-101", "城区污水管网改造", "重点项目", "", "张市长", "李副市长", "U1", "U1、U2", dt.date(2026, 10, 31), "每月", "A1"),
    ("DB-102", "回复网民投诉", "外部平台投诉", "互联网+督查 887 号", "", "", "U2", "U2", "2026-08-15", "每周", ""),
    ("DB-103", "民生实事：新建幼儿园", "livelihood", "", "", "", "STAT", "", "2026/12/31", "", None),
]


def test_a_good_file_creates_every_item_with_its_responsible_units(world) -> None:
    items = svc.import_items(by=world.office, year=2026, cycle=world.cycle, file_bytes=_sheet(GOOD))
    assert [i.code for i in items] == ["DB-101", "DB-102", "DB-103"]
    first = Item.objects.get(code="DB-101")
    assert sorted(first.responsible_units.values_list("code", flat=True)) == ["U1", "U2"]
    assert (first.source, first.indicator.code, first.deadline) == ("key_project", "A1", dt.date(2026, 10, 31))
    second = Item.objects.get(code="DB-102")
    assert (second.report_interval, second.deadline, second.source_ref) == ("weekly", dt.date(2026, 8, 15),
                                                                            "互联网+督查 887 号")
    third = Item.objects.get(code="DB-103")
    assert third.source == "livelihood" and third.report_interval == "monthly" and third.lead_unit.code == "STAT"


def test_one_bad_row_writes_nothing_and_says_where(world) -> None:
    bad = [*GOOD, ("DB-104", "新建公园", "重大部署", "", "", "", "U1", "U1、NOPE", "2026-09-30", "每月", "")]
    with pytest.raises(svc.ItemSheetInvalid) as e:
        svc.import_items(by=world.office, year=2026, cycle=world.cycle, file_bytes=_sheet(bad))
    assert [(p.row, p.column) for p in e.value.problems] == [(5, "责任单位编号（多个用、分隔）")]
    assert "NOPE" in e.value.problems[0].message
    assert not Item.objects.exists()


def test_every_problem_is_reported_at_once(world) -> None:
    rows = [("", "无编号", "批示", "", "", "", "U1", "", "2026-09-30", "", ""),
            ("DB-2", "错来源", "报纸", "", "", "", "ZZZ", "", "九月底", "每天", "Q9"),
            ("DB-2", "重复编号", "批示", "", "", "", "U1", "", "2026-09-30", "", "")]
    with pytest.raises(svc.ItemSheetInvalid) as e:
        svc.import_items(by=world.office, year=2026, cycle=world.cycle, file_bytes=_sheet(rows))
    where = [(p.row, p.column) for p in e.value.problems]
    assert (2, "编号") in where
    assert {(3, "来源"), (3, "牵头单位编号"), (3, "完成时限"), (3, "报送周期"), (3, "指标编号（可空）")} <= set(where)
    assert (4, "编号") not in where  # the first DB-2 was refused, so the second is not a duplicate of it
    assert not Item.objects.exists()


def test_a_unit_cannot_import(world) -> None:
    with pytest.raises(svc.SupervisionRefused):
        svc.import_items(by=world.u1, year=2026, cycle=world.cycle, file_bytes=_sheet(GOOD))
