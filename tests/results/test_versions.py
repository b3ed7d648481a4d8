"""Two versions side by side: what changed per unit and indicator, and which inputs made it change."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.indicators.gates import today
from kaohe.indicators.models import Indicator
from kaohe.indicators.services import save_values
from kaohe.results.services import announce_run, compute_cycle
from kaohe.results.versions import compare_results, diff_scenarios
from tests.conftest import SCENARIO


def test_the_input_difference_names_the_changed_value_and_nothing_else() -> None:
    after = copy.deepcopy(SCENARIO)
    after["values"][0]["actual"] = 7.0  # U1 A1
    diff = diff_scenarios(SCENARIO, after)
    assert diff["values"] == [{"unit": "U1", "unit_name": "东城县", "indicator": "A1", "indicator_name": "地区生产总值增速",
                               "field": "actual", "before": 6.3, "after": 7.0}]
    assert not any(diff[k] for k in ("adjustments", "counts", "indicators", "settings", "units"))


def test_the_input_difference_lists_adjustments_ratings_indicators_and_settings() -> None:
    before = copy.deepcopy(SCENARIO)
    before["ratings"] = [{"indicator": "B1", "unit": "U1", "group": "g", "rater": "r1", "score": 90}]
    after = copy.deepcopy(before)
    after["adjustments"] = [{"unit": "U1", "kind": "deduction", "points": 2, "reason": "安全事故"}]
    after["ratings"].append({"indicator": "B1", "unit": "U1", "group": "g", "rater": "r2", "score": 80})
    after["indicators"][1]["points"] = 25
    after["indicators"][1]["params"] = {"cap": 1.1}
    after["settings"]["bonus_line_in_total"] = True
    diff = diff_scenarios(before, after)
    assert {(a["change"], a["unit"], a["kind"]) for a in diff["adjustments"]} == {
        ("removed", "U2", "bonus"), ("added", "U1", "deduction")}
    assert diff["counts"] == [{"kind": "ratings", "unit": "U1", "unit_name": "东城县", "indicator": "B1",
                               "indicator_name": "满意度测评", "before": 1, "after": 2}]
    assert [(i["indicator"], i["field"], i["before"], i["after"]) for i in diff["indicators"]] == [
        ("A1", "points", 30, 25), ("A1", "params", {"cap": 1.2}, {"cap": 1.1})]
    assert diff["settings"] == [{"key": "bonus_line_in_total", "before": None, "after": True}]


def test_the_same_scenario_has_no_difference() -> None:
    assert not any(diff_scenarios(SCENARIO, copy.deepcopy(SCENARIO)).values())


@pytest.fixture
def two_runs(world):
    first = compute_cycle(by=world.office, cycle=world.cycle)
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    save_values(by=world.office, cycle=world.cycle, rows=[(a1, world.unit1, {"actual": 5.0})])
    second = compute_cycle(by=world.office, cycle=world.cycle)
    return first, second


def test_the_comparison_reports_the_changed_total_and_node(world, two_runs) -> None:
    first, second = two_runs
    changes = {c.code: c for c in compare_results(first, second)}
    u1 = changes["U1"]
    assert u1.changed and u1.delta is not None and u1.delta < 0
    assert u1.before.total > u1.after.total
    assert [n["indicator"] for n in u1.nodes] == ["A", "A1"]
    assert not changes["U3"].nodes


def test_the_office_compares_the_latest_two_versions_and_exports_them(world, two_runs, client) -> None:
    first, second = two_runs
    client.force_login(world.office)
    page = client.get(reverse("run_compare", args=[world.cycle.pk])).content.decode()
    assert "地区生产总值增速" in page and "6.3" in page and "<strong>5</strong>" in page
    resp = client.get(reverse("run_compare_export", args=[world.cycle.pk]) + f"?a={first.pk}&b={second.pk}")
    wb = load_workbook(io.BytesIO(resp.content))
    totals = {r[0].value: (r[2].value, r[3].value) for r in wb.worksheets[0].iter_rows(min_row=2)}
    u1_before, u1_after = first.unit_results.get(unit=world.unit1), second.unit_results.get(unit=world.unit1)
    assert totals["东城县"] == (u1_before.total, u1_after.total)
    assert [(r[1].value, r[4].value, r[5].value) for r in wb.worksheets[2].iter_rows(min_row=2)] == [("东城县", 6.3, 5.0)]
    # 对比 from the run list: one version against the one before it
    page = client.get(reverse("run_compare", args=[world.cycle.pk]) + f"?b={second.pk}").content.decode()
    assert "地区生产总值增速" in page


def test_a_leader_compares_public_versions_only(world, two_runs, client) -> None:
    first, second = two_runs
    announce_run(by=world.office, run=first, until=today() + dt.timedelta(days=7))
    client.force_login(world.leader)
    url = reverse("run_compare", args=[world.cycle.pk])
    assert client.get(url + f"?a={first.pk}&b={second.pk}").status_code == 404
    assert client.get(url).status_code == 200  # only one public version: nothing to compare, said so
    client.force_login(world.u1)
    assert client.get(url).status_code == 403


def test_the_run_list_links_render_compare_for_readers_and_appeal_for_the_unit_in_notice(world, two_runs) -> None:
    from django.template.loader import render_to_string

    first, second = two_runs
    second = announce_run(by=world.office, run=second, until=today() + dt.timedelta(days=7))
    runs = [second, first]
    ctx = {"cycle": world.cycle, "runs": runs, "published": second, "own_runs": set()}
    office = render_to_string("results/_version_links.html", ctx | {"r": second, "kh_reads_all": True})
    assert f"?b={second.pk}" in office and "申诉" not in office
    assert "对比" not in render_to_string("results/_version_links.html", ctx | {"r": first, "kh_reads_all": True})
    unit = render_to_string("results/_version_links.html",
                            ctx | {"r": second, "kh_reads_all": False, "own_unit": world.unit1, "own_runs": {second.pk}})
    assert reverse("appeal_new", args=[world.cycle.pk, second.pk]) in unit and "对比" not in unit
