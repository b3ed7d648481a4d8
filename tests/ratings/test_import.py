"""Assigning many raters from an Excel sheet: all or nothing, every problem by row and column."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kaohe.ratings.models import Rater

HEAD = ["评议组", "评议人账号", "评议单位编号", "被评议单位编号"]


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = BytesIO()
    book.save(buf)
    return SimpleUploadedFile("raters.xlsx", buf.getvalue())


def test_the_office_imports_raters_from_a_sheet(r, client) -> None:
    client.force_login(r.office)
    before = Rater.objects.filter(cycle=r.cycle).count()
    sheet = _xlsx([HEAD, ["领导评议", "leader", "", "U1、U2，U3"], ["peers", "", "STAT", "U1,U3"]])
    resp = client.post(reverse("rater_import", kwargs={"cycle": r.cycle.pk}), {"file": sheet})
    assert resp.status_code == 302
    assert Rater.objects.filter(cycle=r.cycle).count() == before + 2
    stat = Rater.objects.get(cycle=r.cycle, unit=r.w.stat_unit)
    assert set(stat.rates.values_list("code", flat=True)) == {"U1", "U3"}


def test_a_sheet_with_problems_imports_nothing_and_names_row_and_column(r, client) -> None:
    client.force_login(r.office)
    before = Rater.objects.filter(cycle=r.cycle).count()
    sheet = _xlsx([HEAD, ["peers", "", "STAT", "U1"],  # fine on its own
                   ["nobody", "leader", "", "U1"],
                   ["peers", "u2", "", "U2、U3"],  # u2 works at U2
                   ["peers", "ghost", "", "U9"]])
    resp = client.post(reverse("rater_import", kwargs={"cycle": r.cycle.pk}), {"file": sheet})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert Rater.objects.filter(cycle=r.cycle).count() == before
    assert "没有评议组“nobody”" in page
    assert "没有在用的账号“ghost”" in page and "没有编号为“U9”的单位" in page
    problems = resp.context["problems"]
    assert {(p.row, p.column) for p in problems} == {(3, "评议组"), (5, "评议人账号"), (5, "被评议单位编号")}
    # the own-unit row is caught only when the rows are added, and still nothing is kept
    sheet = _xlsx([HEAD, ["peers", "", "STAT", "U1"], ["peers", "u2", "", "U2、U3"]])
    resp = client.post(reverse("rater_import", kwargs={"cycle": r.cycle.pk}), {"file": sheet})
    assert [(p.row, p.column) for p in resp.context["problems"]] == [(3, "被评议单位编号")]
    assert Rater.objects.filter(cycle=r.cycle).count() == before


def test_a_file_that_is_not_a_workbook_is_refused(r, client) -> None:
    client.force_login(r.office)
    resp = client.post(reverse("rater_import", kwargs={"cycle": r.cycle.pk}),
                       {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert "不是可读取的 Excel" in resp.content.decode()
