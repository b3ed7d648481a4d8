"""Ranking tables (排名表) of a version: per ranking group, per domain and of every unit, as the engine ranked
and graded them, with the version's grade quotas; in Excel and as PDF; never for a unit."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from kaohe.engine import compute
from kaohe.indicators.gates import today
from kaohe.results.models import Run
from kaohe.results.services import announce_run, compute_cycle


@pytest.fixture
def run(world) -> Run:
    return announce_run(by=world.office, run=compute_cycle(by=world.office, cycle=world.cycle),
                        until=today() + dt.timedelta(days=7))


def url(name: str, run: Run, by: str = "") -> str:
    return reverse(name, args=[run.cycle_id, run.pk]) + (f"?by={by}" if by else "")


def engine_rows(run: Run) -> list[dict]:
    """The engine's own output on the version's scenario, with each unit's place in the scenario (engine order)."""
    units = compute(run.scenario).to_dict()["units"]
    return [dict(u, position=i) for i, u in enumerate(units)]


def table_rows(resp) -> list[list[tuple]]:
    return [[(tr.place, tr.row.unit.code, tr.row.grade or None, tr.row.advanced, tr.row.vetoed) for tr in t.rows]
            for t in resp.context["tables"]]


def test_the_group_table_lists_units_in_the_engines_rank_order_with_grade_and_advanced(world, run, client) -> None:
    client.force_login(world.leader)
    resp = client.get(url("ranking_table", run, "group"))
    assert resp.status_code == 200
    want: dict[str, list[tuple]] = {}
    for u in sorted(engine_rows(run), key=lambda u: (u["rank"], u["position"])):
        want.setdefault(u["group"], []).append((u["rank"], u["unit"], u["grade"], u["advanced"], u["vetoed"]))
    assert table_rows(resp) == list(want.values())
    # the world: one unit of three in 优秀 (floor(0.34 × 3)); U1 has it and its leadership is excellent
    assert [r for r in table_rows(resp)[0] if r[3]] == [r for r in table_rows(resp)[0] if r[2] == "优秀"]
    page = resp.content.decode()
    names = [tr.row.unit.name for tr in resp.context["tables"][0].rows]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)  # printed in rank order
    assert "排名组：" in page


def test_the_domain_and_whole_cycle_tables_order_by_total_and_keep_the_official_rank(world, run, client) -> None:
    client.force_login(world.office)
    expected = sorted(engine_rows(run), key=lambda u: (-u["total"], u["position"]))
    for by in ("domain", "all"):
        resp = client.get(url("ranking_table", run, by))
        tables = resp.context["tables"]
        assert len(tables) == 1  # the world's three counties are one domain
        assert [tr.row.unit.code for tr in tables[0].rows] == [u["unit"] for u in expected]
        assert [(tr.row.grade or None, tr.row.advanced, tr.row.rank) for tr in tables[0].rows] == \
            [(u["grade"], u["advanced"], u["rank"]) for u in expected]
        page = resp.content.decode()
        assert "组内名次" in page and "位次" in page
    assert "领域：" in client.get(url("ranking_table", run, "domain")).content.decode()
    assert "全部考核单位" in client.get(url("ranking_table", run, "all")).content.decode()


def test_the_header_states_the_quotas_of_the_version_and_the_counts_given(world, run, client) -> None:
    client.force_login(world.leader)
    resp = client.get(url("ranking_table", run))
    page = resp.content.decode()
    assert "<strong>优秀</strong>：前 34%" in page
    assert "<strong>良好</strong>：其余单位" in page
    assert "等次为“优秀”且领导班子评为优秀的单位" in page
    given = {u["grade"] for u in engine_rows(run)}
    assert resp.context["tables"][0].grade_counts == [
        ("优秀", sum(u["grade"] == "优秀" for u in engine_rows(run))),
        ("良好", sum(u["grade"] == "良好" for u in engine_rows(run)))]
    assert given == {"优秀", "良好"}
    assert resp.context["tables"][0].advanced == sum(u["advanced"] for u in engine_rows(run))


def test_the_quota_text_reads_each_kind_of_grade() -> None:
    from kaohe.results.tables import grade_rules

    rules = grade_rules({"grades": [{"name": "一等次", "top_share": 0.3, "min_total": 85},
                                    {"name": "二等次", "rest": True},
                                    {"name": "三等次", "bottom_share": 0.1, "below_total": 60}]})
    assert [r["name"] + "：" + r["text"] for r in rules] == [
        "一等次：前 30%（且不低于 85 分）", "二等次：其余单位", "三等次：后 10%，以及低于 60 分的单位、一票否决的单位"]


def test_the_workbook_has_one_sheet_per_table_with_the_units(world, run, client) -> None:
    client.force_login(world.office)
    for by in ("group", "domain", "all"):
        resp = client.get(url("ranking_table_xlsx", run, by))
        assert resp.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
        tables = client.get(url("ranking_table", run, by)).context["tables"]
        assert wb.sheetnames == [t.name for t in tables]
        cells = [str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None]
        assert "东城县" in cells and "西山县" in cells and "南湖县" in cells
        assert any("优秀：前 34%" in c for c in cells)


def test_the_pdf_opens_and_holds_the_title_and_the_units(world, run, client) -> None:
    client.force_login(world.leader)
    resp = client.get(url("ranking_table_pdf", run, "all"))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(resp.streaming_content)))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "排名表" in text and "东城县" in text and "全部考核单位" in text
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape A4


@pytest.mark.parametrize("who", ["u1", "u2", "stat"])
def test_a_unit_never_opens_a_ranking_table(world, run, client, who) -> None:
    client.force_login(getattr(world, who))
    for name in ("ranking_table", "ranking_table_xlsx", "ranking_table_pdf"):
        assert client.get(url(name, run)).status_code == 403


def test_an_unknown_view_falls_back_to_the_ranking_groups(world, run, client) -> None:
    client.force_login(world.office)
    resp = client.get(url("ranking_table", run, "nonsense"))
    assert resp.status_code == 200 and resp.context["by"] == "group"
