"""The run pages through the client: the office computes, reads every unit; a unit reads only itself."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from kaohe.engine import compute
from kaohe.indicators.models import Indicator, Value
from kaohe.indicators.selectors import scenario_for
from kaohe.results.models import Run
from kaohe.indicators.gates import today
from kaohe.results.services import announce_run, compute_cycle


def fmt(x: float) -> str:
    return f"{x:.2f}"


def public(world, run: Run) -> Run:
    """Leaders and units read a version once it is in public notice."""
    return announce_run(by=world.office, run=run, until=today() + dt.timedelta(days=7))


@pytest.fixture
def run(world) -> Run:
    return public(world, compute_cycle(by=world.office, cycle=world.cycle))


def test_office_computes_and_the_run_page_shows_every_units_total_as_the_engine_has_it(world, client) -> None:
    expected = compute(scenario_for(world.cycle)).to_dict()
    client.force_login(world.office)
    resp = client.post(reverse("run_compute", args=[world.cycle.pk]))
    run = Run.objects.get(cycle=world.cycle)
    assert resp.status_code == 302 and resp.url == reverse("run_detail", args=[world.cycle.pk, run.pk])
    page = client.get(resp.url).content.decode()
    for u in expected["units"]:
        assert fmt(u["total"]) in page
    names = {u["id"]: u["name"] for u in scenario_for(world.cycle)["units"]}
    # sorted by rank: the names appear in rank order in the table
    ranked = [names[u["unit"]] for u in sorted(expected["units"], key=lambda u: u["rank"])]
    table = page[page.index("<table"):]
    assert [table.index(n) for n in ranked] == sorted(table.index(n) for n in ranked)
    assert 'id="kh-chart-data"' in page and "vendor/echarts/echarts.min.js" in page


def test_computing_is_the_offices_alone(world, client) -> None:
    for user in (world.leader, world.u1, world.stat):
        client.force_login(user)
        assert client.post(reverse("run_compute", args=[world.cycle.pk])).status_code == 403
    assert not Run.objects.exists()


def test_a_unit_sees_its_own_total_and_never_another_units(world, client, run) -> None:
    rows = {r.unit.code: r for r in run.unit_results.select_related("unit")}
    client.force_login(world.u1)
    page = client.get(reverse("run_detail", args=[world.cycle.pk, run.pk])).content.decode()
    assert fmt(rows["U1"].total) in page
    assert fmt(rows["U2"].total) not in page and "西山县" not in page and "南湖县" not in page
    card = client.get(reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit1.pk]))
    assert card.status_code == 200 and fmt(rows["U1"].total) in card.content.decode()
    assert client.get(reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit2.pk])).status_code == 404
    assert client.get(reverse("run_export", args=[world.cycle.pk, run.pk])).status_code == 403


def test_the_runs_list_links_a_unit_only_to_its_own_result(world, client, run) -> None:
    client.force_login(world.u1)
    page = client.get(reverse("run_list", args=[world.cycle.pk])).content.decode()
    assert reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit1.pk]) in page
    assert reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit2.pk]) not in page
    assert "run_compute" not in page and reverse("run_compute", args=[world.cycle.pk]) not in page


def test_the_score_tree_shows_points_score_lost_and_how_each_was_computed(world, client, run) -> None:
    client.force_login(world.leader)
    page = client.get(reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit2.pk])).content.decode()
    row = run.unit_results.get(unit=world.unit2)
    a1 = next(s for s in row.scores if s["indicator"] == "A1")
    assert "地区生产总值增速" in page and a1["explain"] in page and fmt(a1["score"]) in page
    # papers before their leaves, in tree order
    assert page.index("高质量发展") < page.index("地区生产总值增速") < page.index("群众满意度") < page.index("满意度测评")
    assert "省级改革试点" in page  # the bonus's reason


def test_a_branch_that_does_not_apply_shows_once_as_not_applicable(world, client) -> None:
    Indicator.objects.filter(cycle=world.cycle, code="A").update(exclude_units=["U1"])
    run = compute_cycle(by=world.office, cycle=world.cycle)
    assert run.status == Run.Status.OK
    public(world, run)
    client.force_login(world.u1)
    page = client.get(reverse("run_unit", args=[world.cycle.pk, run.pk, world.unit1.pk])).content.decode()
    assert "不适用" in page and "高质量发展" in page
    assert "地区生产总值增速" not in page  # the branch is collapsed


def test_an_invalid_run_lists_each_error_with_a_link_to_where_to_fix_it(world, client) -> None:
    Value.objects.filter(unit=world.unit2, indicator__code="A1").delete()
    client.force_login(world.office)
    resp = client.post(reverse("run_compute", args=[world.cycle.pk]), follow=True)
    page = resp.content.decode()
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    assert "西山县" in page and "A1 地区生产总值增速" in page
    assert reverse("value_grid", args=[world.cycle.pk, a1.pk]) in page
    assert "数据有误" in page


def test_a_unit_does_not_see_the_errors_of_an_invalid_run(world, client) -> None:
    Value.objects.filter(unit=world.unit2, indicator__code="A1").delete()
    run = compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.u1)
    resp = client.get(reverse("run_detail", args=[world.cycle.pk, run.pk]))
    # a run with errors is never made public: for a unit it does not exist
    assert resp.status_code == 404
    assert "西山县" not in resp.content.decode() and "missing_value" not in resp.content.decode()


def test_the_export_is_the_report_workbook_with_ranking_and_detail_sheets(world, client, run) -> None:
    client.force_login(world.leader)
    resp = client.get(reverse("run_export", args=[world.cycle.pk, run.pk]))
    assert resp.status_code == 200 and ".xlsx" in resp["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    assert "得分明细" in book.sheetnames
    ranking = [n for n in book.sheetnames if n.startswith("排名")]
    assert len(ranking) == 1
    numbers = {float(c) for row in book[ranking[0]].iter_rows(values_only=True) for c in row
               if isinstance(c, (int, float))}
    for u in compute(scenario_for(world.cycle)).to_dict()["units"]:
        assert u["total"] in numbers


def test_a_run_page_for_another_cycles_run_is_not_found(world, client, run) -> None:
    from kaohe.indicators.services import create_cycle

    other = create_cycle(by=world.office, year=2027, name="2027年度")
    client.force_login(world.office)
    assert client.get(reverse("run_detail", args=[other.pk, run.pk])).status_code == 404


@pytest.mark.parametrize(("rank_by", "tables"), [("group", 2), ("domain", 1)])
def test_the_ranking_has_one_table_per_ranking_group_named_not_coded(world, client, rank_by, tables) -> None:
    import copy

    from kaohe.indicators.services import import_scenario
    from kaohe.organisation.models import Category, Domain

    from ..conftest import SCENARIO

    scenario = copy.deepcopy(SCENARIO)
    scenario["units"][2]["category"] = "mountain"
    scenario["settings"]["rank_by"] = rank_by
    import_scenario(by=world.office, cycle=world.cycle, scenario=scenario)
    Domain.objects.filter(code="county").update(name="县（市、区）")
    Category.objects.filter(code="mountain").update(name="山区县")
    run = compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.office)
    resp = client.get(reverse("run_detail", args=[world.cycle.pk, run.pk]))
    groups = resp.context["groups"]
    assert len(groups) == tables
    assert sum(len(g.rows) for g in groups) == 3
    for g in groups:
        assert [r.rank for r in g.rows] == sorted(r.rank for r in g.rows)
    page = resp.content.decode()
    assert "县（市、区）" in page and "county/" not in page
    if rank_by == "group":
        assert "县（市、区） · 山区县" in page


def test_the_runs_list_says_when_a_run_had_the_same_inputs_as_the_one_before(world, client, run) -> None:
    again = compute_cycle(by=world.office, cycle=world.cycle)
    client.force_login(world.office)
    resp = client.get(reverse("run_list", args=[world.cycle.pk]))
    assert resp.context["unchanged"] == {again.pk}
    assert "输入与上次相同" in resp.content.decode()
