"""The office in a real browser on the demo city's key-project bulletin, livelihood funds and supervision plan."""

from __future__ import annotations

import re

from django.db.models import Max

from kaohe.supervision.models import InspectionPlan, KeyProject, LivelihoodProject, ProjectQuarter

from .conftest import log_in


def test_the_office_reads_the_bulletin_the_livelihood_funds_and_the_plan(demo, page, shoot):
    year = demo.year
    assert KeyProject.objects.filter(year=year).exists(), "the demo city has key projects"
    quarter = ProjectQuarter.objects.filter(project__year=year, score__isnull=False).aggregate(q=Max("quarter"))["q"]
    log_in(page, "office")

    page.goto(f"/supervision/projects/?year={year}")
    page.get_by_role("link", name=f"第{quarter}季度通报").click()
    page.wait_for_url(re.compile(rf"/supervision/bulletin/{year}/{quarter}/$"))
    assert f"督查通报〔{year}〕第{quarter}期" in page.locator("main").inner_text()
    assert page.locator("table.kh-table tbody tr").count() == KeyProject.objects.filter(year=year).count()
    red = page.locator(".kh-card").filter(has=page.get_by_role("heading", name=re.compile("红榜")))
    assert red.locator("li").count() >= 1
    assert page.get_by_text("红榜：本季度督查评分不低于 90 分").is_visible()
    shoot(page, "supervision-bulletin")

    page.goto(f"/supervision/livelihood/?year={year}")
    assert page.locator("table.kh-table tbody tr").count() == LivelihoodProject.objects.filter(year=year).count()
    assert re.fullmatch(r"\d+\.\d\d%", page.locator("#total-issued-rate").inner_text())
    assert page.locator(".progress-bar").count() >= 1  # progress taken from the linked items
    shoot(page, "supervision-livelihood")

    page.goto(f"/supervision/plan/?year={year}")
    plan = InspectionPlan.objects.get(year=year)
    assert page.locator("#plan-allowed").inner_text() == str(plan.allowed)
    assert page.get_by_role("button", name="保存计划").is_visible()
    shoot(page, "supervision-plan")

    # the office schedules from here; the approval field (批准人、文号) is on the form
    page.get_by_role("link", name="安排督查检查").click()
    page.wait_for_url(re.compile(r"/plan/inspections/new/"))
    assert page.locator("#id_approval").is_visible()
