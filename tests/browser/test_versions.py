"""An appeal in a real browser: during public notice 东城县 appeals its A1 score with a PDF; the office accepts with
the corrected value; the corrected version is public at once and supersedes the old; the county reads the decision
and its new total; the office compares the two versions."""

from __future__ import annotations

import datetime as dt

import pytest

from kaohe.indicators import gates
from kaohe.results.models import Appeal
from kaohe.results.services import announce_run, compute_cycle

from .loop_setup import log_in
from .test_yearly_loop import PDF


@pytest.fixture
def noticed(transactional_db, world):
    """The shared small world (tests/conftest.py), its year-end result in public notice for a week."""
    run = compute_cycle(by=world.office, cycle=world.cycle)
    world.run = announce_run(by=world.office, run=run, until=gates.today() + dt.timedelta(days=7))
    return world


def test_an_accepted_appeal_publishes_a_corrected_version_the_county_reads(noticed, page, shoot, tmp_path):
    w = noticed
    old_total = w.run.unit_results.get(unit=w.unit1).total
    evidence = tmp_path / "统计局核定函.pdf"
    evidence.write_bytes(PDF)

    # 1. 东城县 files an appeal on A1 with a PDF, from the cycle's appeal page
    log_in(page, "u1")
    page.goto(f"/cycles/{w.cycle.pk}/appeals/")
    page.get_by_role("link", name="提出申诉").click()
    page.select_option("#id_indicator", "A1")
    page.fill("#id_reason", "统计局核定的全年增速为7.2%，公示结果按6.3%计分，请予更正。")
    page.set_input_files("#id_evidence", str(evidence))
    page.get_by_role("button", name="提交申诉").click()
    assert page.locator(".badge", has_text="待处理").count() == 1
    appeal = Appeal.objects.get()
    assert appeal.unit == w.unit1 and appeal.evidence.get().name == "统计局核定函.pdf"

    # 2. the office accepts it with the corrected value: a new version is computed and announced
    log_in(page, "office")
    page.goto(f"/cycles/{w.cycle.pk}/appeals/")
    page.locator("tr", has_text="东城县").get_by_role("link", name="处理").click()
    page.get_by_label("采纳").check()
    page.fill("#id_decision", "经统计局核实，按核定数7.2%更正")
    page.fill("#id_actual", "7.2")
    page.get_by_role("button", name="提交处理结果").click()
    assert "申诉已采纳" in page.locator(".alert").first.inner_text()
    appeal.refresh_from_db()
    new = appeal.new_run
    assert new.publication == "notice" and new.supersedes_id == w.run.pk
    new_total = new.unit_results.get(unit=w.unit1).total
    assert new_total > old_total

    page.get_by_role("link", name="对比两个版本").click()
    assert "7.2" in page.locator("table", has_text="实际值").inner_text()
    assert f"{new_total:.2f}" in page.locator("table", has_text="新总分").inner_text()
    shoot(page, "version-compare")

    # 3. the county reads the decision and both versions' totals; the new version is public
    log_in(page, "u1")
    page.goto(f"/cycles/{w.cycle.pk}/appeals/{appeal.pk}/")
    assert "经统计局核实" in page.locator("body").inner_text()
    scores = page.locator("table", has_text="总分").inner_text()
    assert f"{old_total:.2f}" in scores and f"{new_total:.2f}" in scores
    shoot(page, "appeal")
    page.goto(f"/cycles/{w.cycle.pk}/runs/{new.pk}/units/{w.unit1.pk}/")
    assert f"{new_total:.2f}" in page.locator("body").inner_text()
    page.goto(f"/cycles/{w.cycle.pk}/runs/{w.run.pk}/units/{w.unit1.pk}/")
    assert f"{old_total:.2f}" in page.locator("body").inner_text()
