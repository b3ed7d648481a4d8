"""Acceptance: the ranking page of the demo shows exactly what `kaohe compute` gives on the same data.

The demo cycle is exported as an assessment workbook (the office's own Excel), the command line
computes that file, and every unit's rank, total and grade on the run_detail page must agree.
"""

from __future__ import annotations

import html
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from kaohe.cli import main as kaohe
from kaohe.indicators.models import Cycle
from kaohe.web.management.commands.load_demo import CYCLE_NAME
from kaohe.workbook import write_workbook

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr>\s*<td class="kh-num">(?P<rank>\d+)</td>\s*'
                 r'<td><a href="[^"]+/units/(?P<unit>\d+)/">(?P<name>[^<]+)</a></td>\s*'
                 r'<td class="kh-num fw-semibold">(?P<total>-?[\d.]+)</td>'
                 r'(?:\s*<td class="kh-num">[^<]*</td>){4}\s*<td>(?P<grade>[^<]*)</td>')


def ranking_page_rows(client, cycle: Cycle) -> dict[str, tuple[int, str, str | None]]:
    client.login(username="office", password="office-demo-2026")
    run = cycle.runs.get()
    page = client.get(reverse("run_detail", args=[cycle.pk, run.pk]))
    assert page.status_code == 200
    rows = {}
    for m in ROW.finditer(page.content.decode()):
        grade = html.unescape(m["grade"]).strip()
        rows[html.unescape(m["name"])] = (int(m["rank"]), m["total"], None if grade == "—" else grade)
    return rows


def test_the_ranking_page_equals_kaohe_compute_on_the_exported_workbook(client, tmp_path):
    call_command("load_demo", stdout=StringIO())
    cycle = Cycle.objects.get(name=CYCLE_NAME)
    scenario = cycle.runs.get().scenario  # the run's own input: the demo's data has moved on since (year-end reports)
    workbook = tmp_path / "demo.xlsx"
    write_workbook(scenario, workbook)
    out = tmp_path / "result.json"
    assert kaohe(["compute", str(workbook), "-o", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    names = {u["id"]: u["name"] for u in scenario["units"]}
    expected = {names[u["unit"]]: (u["rank"], f'{u["total"]:.2f}', u["grade"]) for u in result["units"]}

    shown = ranking_page_rows(client, cycle)

    assert len(shown) == len(expected) == 57
    assert shown == expected
