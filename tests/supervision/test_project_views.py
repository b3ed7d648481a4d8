"""The key-project, bulletin, livelihood and plan pages through the client, as each role finds them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
import time_machine
from django.urls import reverse

from kaohe.supervision import projects as pj
from kaohe.supervision.models import Inspection, InspectionPlan, Item, KeyProject, LivelihoodProject, ProjectQuarter
from kaohe.supervision.services import create_item, report_progress

D = Decimal
NOW = dt.datetime(2026, 7, 20, 10, 0)  # the third quarter


def _item(world, code: str, source: str, title: str = "城区学校扩容") -> Item:
    return create_item(by=world.office, year=2026, code=code, title=title, source=source, lead_unit=world.unit1,
                       responsible_units=[world.unit1], deadline=dt.date(2026, 12, 31))


def _project(world, code, unit, q2_score, q2_completed, name=None):
    project = pj.create_key_project(by=world.office, year=2026, code=code, name=name or f"重点项目{code}",
                                    lead_unit=unit, total_investment=D(5000), quarterly_plan=[D(100)] * 4)
    pj.record_quarter(by=world.office, project=project, quarter=1, completed=D(100), score=85)
    pj.record_quarter(by=world.office, project=project, quarter=2, completed=D(q2_completed), score=q2_score)
    return project


@pytest.fixture
def suining(world):
    """Livelihood projects summing to 321400 / 341700 / 324000 万元 (Suining's 32.14 / 34.17 / 32.4 亿元)."""
    item = _item(world, "MS-DB-1", Item.Source.LIVELIHOOD)
    report_progress(by=world.u1, item=item, text="主体结构完工", percent=65)
    school = pj.create_livelihood_project(by=world.office, year=2026, code="MS-01", name="城区学校扩容",
                                          lead_unit=world.unit1, budget=D(200000), item=item)
    pj.record_funds(by=world.office, project=school, issued=D(221700), paid=D(210000))
    water = pj.create_livelihood_project(by=world.office, year=2026, code="MS-02", name="农村供水保障",
                                         lead_unit=world.unit2, budget=D(121400))
    pj.record_funds(by=world.office, project=water, issued=D(120000), paid=D(114000))
    return school, water


@time_machine.travel(NOW, tick=False)
def test_the_livelihood_page_shows_suinings_totals_in_yi_with_the_rates(world, suining, client) -> None:
    client.force_login(world.office)
    page = client.get(reverse("supervision_livelihood") + "?year=2026").content.decode()
    assert '<div class="fs-3" id="total-budget">32.14</div>' in page
    assert '<div class="fs-3" id="total-issued">34.17</div>' in page
    assert '<div class="fs-3" id="total-paid">32.4</div>' in page
    assert '<strong id="total-issued-rate">106.32%</strong>' in page
    assert '<strong id="total-paid-rate">100.81%</strong>' in page
    # per project: rates against the budget, progress from the linked item
    assert "110.85%" in page and "93.90%" in page
    assert "主体结构完工" in page and "65%" in page and "正常推进" in page


@time_machine.travel(NOW, tick=False)
def test_a_unit_sees_its_own_livelihood_projects_and_no_city_totals(world, suining, client) -> None:
    client.force_login(world.u1)
    page = client.get(reverse("supervision_livelihood") + "?year=2026").content.decode()
    assert "城区学校扩容" in page and "农村供水保障" not in page and "西山县" not in page
    assert "total-budget" not in page and "106.32" not in page
    assert client.get(reverse("supervision_livelihood_export")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_livelihood_export_carries_every_project_and_the_totals(world, suining, client) -> None:
    client.force_login(world.leader)
    resp = client.get(reverse("supervision_livelihood_export") + "?year=2026")
    assert resp.status_code == 200 and resp["Content-Disposition"].endswith('livelihood-2026.xlsx"')
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:4]] == ["MS-01", "MS-02"]
    assert rows[2][8] == 65 and rows[2][10] == "主体结构完工"
    total = rows[-1]
    assert total[3:8] == (32.14, 34.17, 32.4, 106.32, 100.81)


def test_the_office_records_funds_and_paid_beyond_issued_is_a_form_error(world, suining, client) -> None:
    school, _ = suining
    client.force_login(world.office)
    url = reverse("supervision_livelihood_funds", args=[school.pk])
    resp = client.post(url, {"budget": "200000", "issued": "1000", "paid": "2000"})
    assert resp.status_code == 200 and "不能多于已下达资金" in resp.content.decode()
    resp = client.post(url, {"budget": "200000", "issued": "230000", "paid": "220000"})
    assert resp.status_code == 302
    school.refresh_from_db()
    assert (school.issued, school.paid) == (D(230000), D(220000))


def test_the_office_creates_a_livelihood_project_linked_to_its_item(world, client) -> None:
    item = _item(world, "MS-DB-2", Item.Source.LIVELIHOOD, "老年食堂")
    client.force_login(world.office)
    resp = client.post(reverse("supervision_livelihood_new"), {
        "year": "2026", "code": "MS-09", "name": "老年食堂", "lead_unit": world.unit1.pk, "budget": "800",
        "item": item.pk})
    assert resp.status_code == 302
    assert LivelihoodProject.objects.get(code="MS-09").item == item
    # the same code again: the service's refusal on the form
    resp = client.post(reverse("supervision_livelihood_new"), {
        "year": "2026", "code": "MS-09", "name": "老年食堂", "lead_unit": world.unit1.pk, "budget": "800"})
    assert resp.status_code == 200 and "已有编号" in resp.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_key_project_list_shows_figures_to_date_and_a_unit_its_own(world, client) -> None:
    mine = _project(world, "ZD-01", world.unit1, 95, 120)
    _project(world, "ZD-02", world.unit2, 60, 20)
    pj.record_quarter(by=world.office, project=mine, quarter=3, completed=D(50), score=90)
    client.force_login(world.office)
    page = client.get(reverse("supervision_projects")).content.decode()
    # third quarter to date: planned 300, completed 100 + 120 + 50 = 270 → 90.00 %
    assert "累计至第3季度" in page and "270" in page and "90.00%" in page
    assert "重点项目ZD-02" in page
    page = client.get(reverse("supervision_projects") + "?year=2026&quarter=2").content.decode()
    assert "110.00%" in page  # 220 / 200
    client.force_login(world.u1)
    page = client.get(reverse("supervision_projects")).content.decode()
    assert "重点项目ZD-01" in page and "重点项目ZD-02" not in page


def test_a_unit_cannot_open_another_units_project(world, client) -> None:
    theirs = _project(world, "ZD-02", world.unit2, 60, 20)
    client.force_login(world.u1)
    assert client.get(reverse("supervision_project", args=[theirs.pk])).status_code == 404
    client.force_login(world.u2)
    resp = client.get(reverse("supervision_project", args=[theirs.pk]))
    assert resp.status_code == 200 and "录入第1季度" not in resp.content.decode()  # reads, does not record


def test_the_office_creates_a_project_with_its_quarterly_plan(world, client) -> None:
    item = _item(world, "ZD-DB-1", Item.Source.KEY_PROJECT, "城北污水处理厂")
    client.force_login(world.office)
    resp = client.post(reverse("supervision_project_new"), {
        "year": "2026", "code": "ZD-10", "name": "城北污水处理厂", "lead_unit": world.unit1.pk,
        "total_investment": "32000", "q1": "1000", "q2": "2000", "q3": "", "q4": "4000", "item": item.pk})
    project = KeyProject.objects.get(code="ZD-10")
    assert resp.status_code == 302 and resp.url == reverse("supervision_project", args=[project.pk])
    assert [(q.quarter, q.planned) for q in project.quarters.all()] == [(1, D(1000)), (2, D(2000)), (3, D(0)),
                                                                          (4, D(4000))]
    assert project.item == item


def test_the_office_records_a_quarter_and_bad_input_is_shown_on_its_form(world, client) -> None:
    project = _project(world, "ZD-01", world.unit1, 95, 120)
    client.force_login(world.office)
    url = reverse("supervision_project_quarter", args=[project.pk, 3])
    resp = client.post(url, {"q3-planned": "100", "q3-completed": "80", "q3-score": "130", "q3-note": ""})
    assert resp.status_code == 200 and 'name="q3-score"' in resp.content.decode()
    assert "130" in resp.content.decode()
    resp = client.post(url, {"q3-planned": "100", "q3-completed": "80", "q3-score": "88.5", "q3-note": "征地滞后"})
    assert resp.status_code == 302
    row = ProjectQuarter.objects.get(project=project, quarter=3)
    assert (row.completed, row.score, row.note) == (D(80), 88.5, "征地滞后")
    page = client.get(reverse("supervision_project", args=[project.pk])).content.decode()
    assert "征地滞后" in page and "季度投资与督查" in page
    assert client.post(reverse("supervision_project_quarter", args=[project.pk, 5]), {}).status_code == 404


def _bulletin_world(world):
    _project(world, "ZD-01", world.unit1, 96, 120, name="城南快速通道")  # 220/200, 96: red list
    _project(world, "ZD-02", world.unit2, 60, 20, name="物流园二期")  # 120/200 = 60 %, 60: laggard
    _project(world, "ZD-03", world.unit1, 91, 100, name="高铁站片区开发")  # 100 %, 91: red list


def test_the_bulletin_ranks_every_project_and_states_the_rules(world, client) -> None:
    _bulletin_world(world)
    client.force_login(world.u1)  # the bulletin is city-wide: a county reads all of it
    page = client.get(reverse("supervision_bulletin", args=[2026, 2])).content.decode()
    assert "督查通报〔2026〕第2期" in page
    assert page.index("城南快速通道") < page.index("高铁站片区开发") < page.index("物流园二期")
    assert "红榜：本季度督查评分不低于 90 分，且累计完成投资不低于累计计划投资的 100%。" in page
    assert "进度滞后：累计完成投资低于累计计划投资的 80%，或本季度督查评分低于 70 分。" in page
    assert "物流园二期" in page and "西山县" in page
    # the county links only its own projects
    other = KeyProject.objects.get(code="ZD-02")
    assert reverse("supervision_project", args=[other.pk]) not in page
    assert client.get(reverse("supervision_bulletin", args=[2026, 5])).status_code == 404


def test_the_bulletin_pdf_carries_its_number_and_the_red_list(world, client) -> None:
    _bulletin_world(world)
    client.force_login(world.leader)
    resp = client.get(reverse("supervision_bulletin_pdf", args=[2026, 2]))
    data = b"".join(resp.streaming_content)
    assert resp.status_code == 200 and data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "督查通报〔2026〕第2期" in text
    red = text[text.index("一、红榜"):text.index("二、进度滞后")]
    assert "城南快速通道" in red and "高铁站片区开发" in red and "物流园二期" not in red


def test_the_plan_page_shows_the_plan_and_refuses_the_27th_without_approval(world, client) -> None:
    pj.set_plan(by=world.office, year=2026, allowed=26)
    for n in range(26):
        pj.schedule_inspection(by=world.office, title=f"第{n + 1}次督查", kind=Inspection.Kind.SPECIAL,
                               day=dt.date(2026, 2, 1) + dt.timedelta(days=n))
    client.force_login(world.office)
    url = reverse("supervision_inspection_new") + "?year=2026"
    data = {"title": "汛期安全暗访", "kind": "unannounced", "day": "2026-08-03", "units": [world.unit1.pk],
            "approval": ""}
    page = client.get(url).content.decode()
    assert "计划次数已用完" in page
    resp = client.post(url, data)
    page = resp.content.decode()
    assert resp.status_code == 200 and "计划外的督查检查须经批准，请填写批准人和文号" in page
    assert Inspection.objects.count() == 26
    resp = client.post(url, data | {"approval": "张市长批准，市府办〔2026〕88号"})
    assert resp.status_code == 302
    page = client.get(reverse("supervision_plan") + "?year=2026").content.decode()
    assert 'id="plan-allowed">26<' in page and 'id="plan-scheduled">26<' in page and 'id="plan-left">0<' in page
    assert 'id="plan-beyond">1<' in page and "市府办〔2026〕88号" in page and "汛期安全暗访" in page


def test_the_office_sets_the_plan_and_leaders_read_it_units_not(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(reverse("supervision_plan_set"), {"year": "2026", "allowed": "26", "note": "市委办〔2026〕5号"})
    assert resp.status_code == 302 and InspectionPlan.objects.get(year=2026).allowed == 26
    resp = client.post(reverse("supervision_plan_set"), {"year": "2026", "allowed": "-1"})
    assert resp.status_code == 200 and InspectionPlan.objects.get(year=2026).allowed == 26
    client.force_login(world.leader)
    page = client.get(reverse("supervision_plan") + "?year=2026").content.decode()
    assert "市委办〔2026〕5号" in page and "保存计划" not in page
    client.force_login(world.u1)
    assert client.get(reverse("supervision_plan")).status_code == 403
