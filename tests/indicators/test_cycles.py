"""Cycles: create, phases, settings checked by the engine's rules, copy, workbook import and export."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook, load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.indicators.models import Cycle, Indicator, Value
from kaohe.workbook import read_workbook
from tests.conftest import password

EXAMPLES = Path(__file__).parents[2] / "examples"


def login(client, user):
    assert client.login(username=user.username, password=password(user.username))
    return client


def test_office_creates_a_cycle_and_sees_its_detail(client, world):
    login(client, world.office)
    resp = client.post("/cycles/new/", {"year": "2027", "name": "2027年度目标绩效考核"})
    cycle = Cycle.objects.get(year=2027)
    assert resp.status_code == 302 and resp.url == f"/cycles/{cycle.pk}/"
    detail = client.get(resp.url).content.decode()
    assert "2027年度目标绩效考核" in detail and f"/cycles/{cycle.pk}/runs/" in detail
    assert AuditEntry.objects.filter(action="create", object_type="indicators.Cycle", object_id=str(cycle.pk)).exists()


def test_detail_counts_units_indicators_and_values(client, world):
    login(client, world.leader)
    html = client.get(f"/cycles/{world.cycle.pk}/").content.decode()
    assert "5（3）" in html  # 5 indicators of which 3 leaves


def test_phases_end_before_they_start_are_refused(client, world):
    login(client, world.office)
    url = f"/cycles/{world.cycle.pk}/phases/"
    resp = client.post(url, {"launch_starts": "2026-04-01", "launch_ends": "2026-03-01"})
    assert resp.status_code == 200 and "结束日期不能早于开始日期" in resp.content.decode()
    assert not world.cycle.phases.exists()
    resp = client.post(url, {"launch_starts": "2026-04-01", "launch_ends": "2026-04-30",
                             "year_end_starts": "2027-01-05", "year_end_ends": "2027-02-10"})
    assert resp.status_code == 302
    assert {p.kind: (p.starts, p.ends) for p in world.cycle.phases.all()} == {
        "launch": (dt.date(2026, 4, 1), dt.date(2026, 4, 30)), "year_end": (dt.date(2027, 1, 5), dt.date(2027, 2, 10))}
    assert AuditEntry.objects.filter(object_type="indicators.Cycle", changes__has_key="phase.launch").exists()


def settings_post(**over) -> dict:
    data = {"bonus_cap": "5", "deduction_cap": "", "rank_by": "group", "grade_scope": "group",
            "advanced_grade": "一等次", "requires_leadership_excellent": "on",
            "g-TOTAL_FORMS": "3", "g-INITIAL_FORMS": "0", "g-MIN_NUM_FORMS": "0", "g-MAX_NUM_FORMS": "1000",
            "g-0-name": "一等次", "g-0-top_share": "0.3", "g-1-name": "二等次", "g-1-rest": "on",
            "g-2-name": "三等次", "g-2-bottom_share": "0.1"}
    data.update(over)
    return data


def test_settings_are_saved_as_the_engine_reads_them(client, world):
    login(client, world.office)
    resp = client.post(f"/cycles/{world.cycle.pk}/settings/", settings_post())
    assert resp.status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.settings == {
        "bonus_cap": 5.0,
        "grades": [{"name": "一等次", "top_share": 0.3}, {"name": "二等次", "rest": True},
                   {"name": "三等次", "bottom_share": 0.1}],
        "advanced": {"grade": "一等次", "requires_leadership_excellent": True}}


def test_settings_the_engine_rejects_are_not_saved(client, world):
    login(client, world.office)
    before = dict(world.cycle.settings)
    # no "rest" grade, and an advanced grade that is not a grade
    resp = client.post(f"/cycles/{world.cycle.pk}/settings/",
                       settings_post(**{"g-1-rest": "", "advanced_grade": "特等"}))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "计分引擎不接受" in html and "rest" in html
    world.cycle.refresh_from_db()
    assert world.cycle.settings == before


def test_copy_starts_next_years_cycle_with_last_years_actuals_as_baselines(client, world):
    login(client, world.office)
    resp = client.post(f"/cycles/{world.cycle.pk}/copy/", {"year": "2027", "name": "2027年度"})
    new = Cycle.objects.get(year=2027)
    assert resp.status_code == 302 and new.copied_from == world.cycle
    assert new.indicators.count() == 5
    v = Value.objects.get(cycle=new, indicator__code="A1", unit=world.unit1)
    assert (v.target, v.baseline, v.actual) == (6.0, 6.3, None)


def test_import_of_the_suining_workbook_replaces_the_cycle(client, world):
    login(client, world.office)
    path = EXAMPLES / "suining_city.xlsx"
    with path.open("rb") as f:
        resp = client.post(f"/cycles/{world.cycle.pk}/import/", {"file": f})
    assert resp.status_code == 302
    scenario = read_workbook(path)
    assert world.cycle.indicators.count() == len(scenario["indicators"])
    assert world.cycle.units.count() == len(scenario["units"])
    entry = AuditEntry.objects.filter(action="import", object_id=str(world.cycle.pk)).latest("id")
    assert "suining_city.xlsx" in entry.reason


def broken_workbook() -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["编号", "名称", "领域"])
    sheet.append(["X1", "甲县", "county"])
    ind = book.create_sheet("指标")
    ind.append(["编号", "上级", "名称", "分值", "计分方法"])
    ind.append(["Z", None, "考卷", None, None])
    ind.append(["Z1", "Z", "一项", "不是数字", "完成率法"])
    data = book.create_sheet("数据")
    data.append(["单位", "指标", "实际值"])
    data.append(["X9", "Z1", 3])
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "broken.xlsx"
    return buf


def test_a_broken_workbook_shows_every_problem_and_changes_nothing(client, world):
    login(client, world.office)
    before = list(Indicator.objects.filter(cycle=world.cycle).values_list("code", "points"))
    entries = AuditEntry.objects.count()
    resp = client.post(f"/cycles/{world.cycle.pk}/import/", {"file": broken_workbook()})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "未导入任何内容" in html
    assert "<td>指标</td><td>3</td>" in html and "<td>数据</td><td>2</td>" in html
    assert list(Indicator.objects.filter(cycle=world.cycle).values_list("code", "points")) == before
    assert AuditEntry.objects.count() == entries


def test_a_file_that_is_not_a_workbook_is_refused_politely(client, world):
    login(client, world.office)
    f = BytesIO(b"just some text")
    f.name = "notes.xlsx"
    resp = client.post(f"/cycles/{world.cycle.pk}/import/", {"file": f})
    assert resp.status_code == 200 and "未导入任何内容" in resp.content.decode()


def test_export_is_a_workbook_that_reads_back(client, world):
    login(client, world.leader)
    resp = client.get(f"/cycles/{world.cycle.pk}/export.xlsx")
    assert resp.status_code == 200
    scenario = read_workbook(resp.content)
    assert [i["id"] for i in scenario["indicators"]] == ["A", "A1", "A2", "B", "B1"]
    assert load_workbook(BytesIO(resp.content)).sheetnames


def test_units_may_not_export_the_whole_cycle_or_change_it(client, world):
    login(client, world.u1)
    assert client.get(f"/cycles/{world.cycle.pk}/export.xlsx").status_code == 403
    assert client.post(f"/cycles/{world.cycle.pk}/settings/", settings_post()).status_code == 403


def test_leader_posts_are_refused(client, world):
    login(client, world.leader)
    assert client.post("/cycles/new/", {"year": "2030", "name": "x"}).status_code == 403
    assert client.post(f"/cycles/{world.cycle.pk}/phases/", {}).status_code == 403
    assert client.post(f"/cycles/{world.cycle.pk}/copy/", {"year": "2030", "name": "x"}).status_code == 403
    assert client.post(f"/cycles/{world.cycle.pk}/import/", {}).status_code == 403
    assert not Cycle.objects.filter(year=2030).exists()


def test_settings_and_copy_are_in_the_audit_log_and_the_chain_holds(client, world):
    from kaohe.audit.services import verify_chain

    login(client, world.office)
    client.post(f"/cycles/{world.cycle.pk}/settings/", settings_post())
    entry = AuditEntry.objects.filter(object_type="indicators.Cycle", object_id=str(world.cycle.pk),
                                      changes__has_key="settings").latest("id")
    assert entry.actor == world.office and entry.changes["settings"][1]["bonus_cap"] == 5.0
    client.post(f"/cycles/{world.cycle.pk}/copy/", {"year": "2027", "name": "2027年度"})
    new = Cycle.objects.get(year=2027)
    assert AuditEntry.objects.filter(action="copy", object_id=str(new.pk), actor=world.office).exists()
    report = verify_chain()
    assert report.broken is None and report.checked >= 4


def test_copy_moves_a_leap_day_phase_to_the_28th(world):
    from kaohe.indicators.models import Phase
    from kaohe.indicators.services import copy_cycle

    Phase.objects.create(cycle=world.cycle, kind="half_year", starts=dt.date(2028, 2, 29), ends=dt.date(2028, 3, 10))
    new = copy_cycle(by=world.office, source=world.cycle, year=world.cycle.year + 1, name="次年")
    assert new.phases.get(kind="half_year").starts == dt.date(2029, 2, 28)


def test_copy_keeps_each_phases_reporting_window_a_year_on(world):
    from kaohe.indicators.models import Phase
    from kaohe.indicators.services import copy_cycle

    Phase.objects.create(cycle=world.cycle, kind="year_end", starts=dt.date(2026, 12, 1), ends=dt.date(2027, 1, 31),
                         report_opens=dt.date(2026, 12, 10), report_closes=dt.date(2027, 1, 5))
    Phase.objects.create(cycle=world.cycle, kind="launch", starts=dt.date(2026, 3, 1), ends=dt.date(2026, 3, 31))
    new = copy_cycle(by=world.office, source=world.cycle, year=world.cycle.year + 1, name="次年")
    year_end = new.phases.get(kind="year_end")
    assert (year_end.report_opens, year_end.report_closes) == (dt.date(2027, 12, 10), dt.date(2028, 1, 5))
    assert new.phases.get(kind="launch").report_opens is None
