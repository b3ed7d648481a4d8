"""Values grids: who may enter what, checks per cell, nothing saved on any error, paste and upload."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Value
from tests.conftest import password


def login(client, user):
    assert client.login(username=user.username, password=password(user.username))
    return client


def leaf(world, code):
    return world.cycle.indicators.get(code=code)


def grid_url(world, code):
    return f"/cycles/{world.cycle.pk}/values/{leaf(world, code).pk}/"


def cells(world, field, **by_unit):
    units = {u.code: u for u in world.cycle.units.all()}
    return {f"v-{units[code].pk}-{field}": value for code, value in by_unit.items()}


def test_lead_unit_clerk_enters_a1_for_every_unit(client, world):
    login(client, world.stat)
    resp = client.get(grid_url(world, "A1"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "东城县" in html and "西山县" in html and "南湖县" in html
    data = {**cells(world, "actual", U1="6.8", U2="5.4", U3="7.5"), **cells(world, "target", U1="6", U2="6", U3="6"),
            "reason": "统计快报更正"}
    resp = client.post(grid_url(world, "A1"), data)
    assert resp.status_code == 302
    v = Value.objects.get(indicator=leaf(world, "A1"), unit=world.unit1)
    assert v.actual == 6.8 and v.updated_by == world.stat
    entry = AuditEntry.objects.filter(object_type="indicators.Value", object_id=str(v.pk)).latest("id")
    assert entry.actor == world.stat and entry.changes == {"actual": [6.3, 6.8]} and entry.reason == "统计快报更正"
    assert AuditEntry.objects.filter(object_type="indicators.Value").count() == 1  # only U1 changed


def test_lead_unit_clerk_cannot_open_another_leads_grid(client, world):
    login(client, world.stat)
    assert client.get(grid_url(world, "A2")).status_code == 404
    assert client.post(grid_url(world, "A2"), cells(world, "actual", U1="9")).status_code == 404
    assert Value.objects.get(indicator=leaf(world, "A2"), unit=world.unit1).actual == 0


def test_value_index_lists_only_the_leaves_the_clerk_leads(client, world):
    login(client, world.stat)
    html = client.get(f"/cycles/{world.cycle.pk}/values/").content.decode()
    assert "地区生产总值增速" in html and "安全生产事故" not in html
    assert "3 / 3" in html


def test_a_wrong_cell_is_marked_and_nothing_is_saved(client, world):
    login(client, world.office)
    data = {**cells(world, "actual", U1="abc", U2="5.0", U3="7.5"), **cells(world, "target", U1="6", U2="0", U3="6")}
    resp = client.post(grid_url(world, "A1"), data)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "请填写数字" in html and "目标值须大于 0" in html and "全部未保存" in html
    assert 'value="abc"' in html  # the clerk's typing is kept
    assert Value.objects.get(indicator=leaf(world, "A1"), unit=world.unit2).actual == 5.4


def test_manual_scores_must_lie_within_the_points(client, world):
    login(client, world.office)
    resp = client.post(grid_url(world, "B1"), cells(world, "actual", U1="41", U2="30", U3="-1"))
    html = resp.content.decode()
    assert html.count("直接评分应在 0 到 40 之间") == 2
    assert Value.objects.get(indicator=leaf(world, "B1"), unit=world.unit2).actual == 33.5


def test_deduction_counts_are_not_negative(client, world):
    login(client, world.office)
    resp = client.post(grid_url(world, "A2"), cells(world, "actual", U1="-2", U2="1", U3="1"))
    assert "扣分项数不能为负" in resp.content.decode()


def test_paste_from_excel_fills_the_grid_without_saving(client, world):
    login(client, world.stat)
    text = "U1\t7.1\t6.5\n西山县\t5.9\nXX\t1\n"
    resp = client.post(grid_url(world, "A1"), {"action": "paste", "text": text})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'value="7.1"' in html and 'value="6.5"' in html and 'value="5.9"' in html
    assert "“XX”不是本指标适用的单位" in html
    assert Value.objects.get(indicator=leaf(world, "A1"), unit=world.unit1).actual == 6.3


def test_upload_of_a_small_sheet_fills_the_grid(client, world):
    login(client, world.stat)
    book = Workbook()
    sheet = book.active
    sheet.append(["单位", "实际值", "目标值"])
    sheet.append(["U2", 6.1, 6.2])
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "a1.xlsx"
    html = client.post(grid_url(world, "A1"), {"action": "upload", "file": buf}).content.decode()
    assert 'value="6.1"' in html and 'value="6.2"' in html


def test_unit_user_has_no_grids_and_sees_only_its_own_rows(client, world):
    login(client, world.u1)
    for code in ("A1", "A2", "B1"):
        assert client.get(grid_url(world, code)).status_code == 404
    resp = client.get(f"/cycles/{world.cycle.pk}/mine/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "东城县" in html and "6.3" in html and "36" in html
    assert "西山县" not in html and "5.4" not in html and "33.5" not in html


def test_mine_is_for_unit_users(client, world):
    login(client, world.office)
    assert client.get(f"/cycles/{world.cycle.pk}/mine/").status_code == 404


def test_leader_reads_a_grid_but_cannot_save(client, world):
    login(client, world.leader)
    resp = client.get(grid_url(world, "A1"))
    assert resp.status_code == 200 and "<input name=\"v-" not in resp.content.decode()
    assert client.post(grid_url(world, "A1"), cells(world, "actual", U1="9")).status_code == 404
    assert Value.objects.get(indicator=leaf(world, "A1"), unit=world.unit1).actual == 6.3


def test_value_index_makes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    login(client, world.office)
    with django_assert_max_num_queries(20):
        resp = client.get(f"/cycles/{world.cycle.pk}/values/")
    assert resp.status_code == 200


def test_every_saved_cell_row_lands_in_the_audit_log(client, world):
    login(client, world.office)
    before = AuditEntry.objects.filter(object_type="indicators.Value").count()
    client.post(grid_url(world, "B1"), cells(world, "actual", U1="37", U2="34", U3="35"))
    assert AuditEntry.objects.filter(object_type="indicators.Value").count() == before + 2


def test_paste_keeps_what_the_clerk_has_already_typed(client, world):
    login(client, world.stat)
    data = {**cells(world, "actual", U3="8.8"), "action": "paste", "text": "U1\t7.1"}
    html = client.post(grid_url(world, "A1"), data).content.decode()
    assert 'value="8.8"' in html and 'value="7.1"' in html
    assert "已把 1 行数据填入下表" in html


def test_the_downloaded_grid_uploads_back(client, world):
    from openpyxl import load_workbook

    login(client, world.stat)
    resp = client.get(f"{grid_url(world, 'A1')}export.xlsx")
    assert resp.status_code == 200
    book = load_workbook(BytesIO(resp.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["单位编号", "单位名称", "实际值", "目标值", "基期值"]
    sheet["C2"] = 6.9
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "a1.xlsx"
    html = client.post(grid_url(world, "A1"), {"action": "upload", "file": buf}).content.decode()
    assert 'value="6.9"' in html and "已把 3 行数据填入下表" in html


def test_unit_user_cannot_download_a_grid(client, world):
    login(client, world.u1)
    assert client.get(f"{grid_url(world, 'A1')}export.xlsx").status_code == 404
