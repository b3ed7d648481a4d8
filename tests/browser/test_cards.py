"""The report card (成绩单) in a real browser: the county opens its own card from 计算与结果 and downloads the
PDF; the office exports every unit's card into one zip and watches the progress bar reach 100%."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pypdf
import pypdfium2
import pytest

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit
from kaohe.results.models import Run

from .conftest import SCREENSHOTS, log_in


@pytest.fixture
def demo(transactional_db) -> Cycle:
    """The demo city, as conftest's fixture loads it; here the newest of its cycles (it holds history years)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    return Cycle.objects.order_by("-year", "-pk").first()


def newest_public_run() -> tuple[Cycle, Run]:
    """The latest public version of the newest cycle (the demo also holds earlier years)."""
    cycle = Cycle.objects.order_by("-year", "-pk").first()
    run = cycle.runs.filter(notice_at__isnull=False, status=Run.Status.OK).order_by("-number").first()
    assert run is not None, "the demo's newest cycle has no public version"
    return cycle, run


def test_county_opens_its_report_card_and_downloads_the_pdf(demo, page, shoot, tmp_path):
    cycle, run = newest_public_run()
    own = Unit.objects.get(code="X01")
    row = run.unit_results.get(unit=own)
    log_in(page, "county")
    page.goto(f"/cycles/{cycle.pk}/")
    page.get_by_role("link", name="计算与结果").first.click()
    page.locator(f'a[href="/cycles/{cycle.pk}/runs/{run.pk}/units/{own.pk}/"]').click()
    assert own.name in page.locator("h1").inner_text() and "成绩单" in page.locator("h1").inner_text()
    table = page.locator("#kh-card-nodes")
    assert table.is_visible()
    assert table.locator("th").filter(has_text="同组平均").count() == 1
    assert table.locator("tbody tr").count() >= 10
    assert f"{row.total:.2f}" in page.locator(".kh-card").first.inner_text()
    shoot(page, "report-card")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and own.name in download.suggested_filename
    pdf = Path(download.path()).read_bytes()
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert own.name in text and f"{row.total:.2f}" in text
    folder = SCREENSHOTS if os.environ.get("KAOHE_SCREENSHOTS") == "1" else tmp_path
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=1.6).to_pil()
    image.save(folder / "report-card-pdf.png")
    assert (folder / "report-card-pdf.png").stat().st_size > 0


def test_office_exports_every_units_card_and_sees_the_progress_reach_100(demo, page):
    cycle, run = newest_public_run()
    unit = run.unit_results.select_related("unit").order_by("position").first().unit
    log_in(page, "office")
    page.goto(f"/cycles/{cycle.pk}/runs/{run.pk}/units/{unit.pk}/")
    page.get_by_role("button", name="批量导出全部单位成绩单（zip）").click()
    assert "成绩单批量导出" in page.locator("h1").inner_text()
    bar = page.locator(".progress-bar")
    bar.filter(has_text="100%").wait_for(timeout=120_000)  # htmx polls every second until done
    link = page.get_by_role("link", name="下载全部成绩单（zip）")
    link.wait_for()
    total = run.unit_results.count()
    assert f"{total} / {total}" in page.locator("#kh-card-export").inner_text()
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".zip")
    names = zipfile.ZipFile(info.value.path()).namelist()
    assert len(names) == total and all(n.endswith(".pdf") for n in names)
