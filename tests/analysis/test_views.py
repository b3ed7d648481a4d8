"""The analysis pages through the client: who opens what, and the exports open in Excel."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

PAGES = ["analysis_indicators", "analysis_domains", "analysis_people"]
EXPORTS = ["analysis_indicators_xlsx", "analysis_domains_xlsx", "analysis_people_xlsx"]


def test_a_unit_opens_its_own_trend_without_another_units_name(history, client) -> None:
    client.force_login(history.u1)
    resp = client.get(reverse("analysis_unit", args=[history.cycle.pk, history.unit1.pk]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "东城县" in body and "西山县" not in body and "南湖县" not in body
    assert "2025年度目标绩效考核" in body and "2026年度目标绩效考核" in body
    assert f"{history.run.unit_results.get(unit=history.unit2).total:.2f}" not in body


def test_a_unit_cannot_open_another_units_trend(published, client) -> None:
    client.force_login(published.u1)
    assert client.get(reverse("analysis_unit", args=[published.cycle.pk, published.unit2.pk])).status_code == 404
    assert client.get(reverse("analysis_unit_xlsx", args=[published.cycle.pk, published.unit2.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES + EXPORTS)
def test_a_unit_cannot_open_the_pages_about_every_unit(published, client, name) -> None:
    client.force_login(published.u1)
    assert client.get(reverse(name, args=[published.cycle.pk])).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_the_leader_reads_the_public_version(published, client, name) -> None:
    from kaohe.results.services import compute_cycle

    draft = compute_cycle(by=published.office, cycle=published.cycle)
    client.force_login(published.leader)
    resp = client.get(reverse(name, args=[published.cycle.pk]))
    assert resp.status_code == 200
    assert resp.context["run"] == published.run
    assert client.get(reverse(name, args=[published.cycle.pk]), {"run": draft.pk}).status_code == 404
    client.force_login(published.office)
    assert client.get(reverse(name, args=[published.cycle.pk]), {"run": draft.pk}).context["run"] == draft


def test_the_indicator_page_shows_the_completion_figures(published, client) -> None:
    client.force_login(published.office)
    resp = client.get(reverse("analysis_indicators", args=[published.cycle.pk]), {"indicator": "A2"})
    body = resp.content.decode()
    assert "33.33%" in body  # 3 of the 9 (unit, leaf) pairs completed
    assert resp.context["leaf"].code == "A2"
    assert client.get(reverse("analysis_indicators", args=[published.cycle.pk]), {"indicator": "A"}).status_code == 404


def test_the_index_shows_the_completion_rate_to_the_office(published, client) -> None:
    client.force_login(published.office)
    body = client.get(reverse("analysis_index", args=[published.cycle.pk])).content.decode()
    assert "33.33%" in body and "东城县" in body


def _sheets(resp) -> dict[str, list[tuple]]:
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_the_exports_open_in_excel(history, client) -> None:
    client.force_login(history.office)
    c = history.cycle.pk
    ind = _sheets(client.get(reverse("analysis_indicators_xlsx", args=[c]), {"indicator": "A1"}))
    assert [r[1] for r in ind["单位得分"][1:]] == ["东城县", "西山县", "南湖县"]
    assert ind["完成情况"][1][1:] == (9, 3, 33.33)
    dom = _sheets(client.get(reverse("analysis_domains_xlsx", args=[c])))
    assert [r[0] for r in dom["领域分析"][1:]] == ["A", "A1", "A2", "B", "B1"]
    ppl = _sheets(client.get(reverse("analysis_people_xlsx", args=[c])))
    assert any(r[0] == "王统计" for r in ppl["责任人分析"])
    unit = _sheets(client.get(reverse("analysis_unit_xlsx", args=[c, history.unit1.pk])))
    assert [r[0] for r in unit["历年结果"][1:]] == [2025, 2026]


def test_a_unit_exports_its_own_trend(history, client) -> None:
    client.force_login(history.u1)
    sheets = _sheets(client.get(reverse("analysis_unit_xlsx", args=[history.cycle.pk, history.unit1.pk])))
    assert len(sheets["历年结果"]) == 3
    assert not any("西山县" in str(cell) for rows in sheets.values() for r in rows for cell in r)
