"""The 结果运用 pages: the office edits rules, everyone reads outcomes, a unit only its own."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.indicators.gates import today
from kaohe.outcomes.models import Rule
from kaohe.outcomes.services import save_rule
from kaohe.results.services import announce_run, compute_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    world.run = compute_cycle(by=world.office, cycle=world.cycle)
    announce_run(by=world.office, run=world.run, until=today() + dt.timedelta(days=7))
    world.every = save_rule(by=world.office, cycle=world.cycle, name="按等次给比例", kind="grade_quota",
                            params={"quotas": {"优秀": 20, "良好": 10}}, outcome="公务员年度考核优秀等次比例")
    world.core = save_rule(by=world.office, cycle=world.cycle, name="安全事故约谈", kind="core_missed",
                           params={"codes": ["A2"]}, outcome="约谈")
    return world


def test_the_office_sees_every_units_outcome_with_its_triggering_result(w, client):
    client.force_login(w.office)
    page = client.get(reverse("outcome_list", args=[w.cycle.pk])).content.decode()
    for name in ("东城县", "西山县", "南湖县"):
        assert name in page
    assert "公务员年度考核优秀等次比例（20%）" in page and "A2 安全生产事故 失 10.00 分" in page
    assert "第 1/3 名" in page


def test_filters_by_rule_and_unit(w, client):
    client.force_login(w.leader)
    url = reverse("outcome_list", args=[w.cycle.pk])
    page = client.get(url, {"rule": w.core.pk, "unit": w.unit2.pk}).content.decode()
    assert "安全事故约谈" in page and "公务员年度考核优秀等次比例（" not in page
    assert "南湖县" not in page.split("<tbody>")[1]


def test_a_unit_sees_only_its_own_outcomes(w, client):
    client.force_login(w.u1)
    url = reverse("outcome_list", args=[w.cycle.pk])
    page = client.get(url).content.decode()
    assert "东城县" in page and "西山县" not in page and "南湖县" not in page
    assert client.get(url, {"unit": w.unit2.pk}).status_code == 404
    data = client.get(reverse("outcome_export", args=[w.cycle.pk])).content
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert rows[0][1] == "单位" and {r[1] for r in rows[1:]} == {"东城县"}
    assert client.get(reverse("outcome_export", args=[w.cycle.pk]), {"unit": w.unit2.pk}).status_code == 404


def test_the_export_lists_each_outcome_with_its_triggers(w, client):
    client.force_login(w.office)
    data = client.get(reverse("outcome_export", args=[w.cycle.pk]), {"rule": w.core.pk}).content
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert sorted(r[1] for r in rows[1:]) == ["南湖县", "西山县"]
    assert all(r[2] == "安全事故约谈" and r[5] == 2026 for r in rows[1:])


def test_nothing_before_the_result_is_public(world, client):
    compute_cycle(by=world.office, cycle=world.cycle)
    save_rule(by=world.office, cycle=world.cycle, name="前一名", kind="top_n", params={"n": 1}, outcome="优先")
    client.force_login(world.office)
    page = client.get(reverse("outcome_list", args=[world.cycle.pk])).content.decode()
    assert "尚未公布" in page and "没有运用结果" in page


def test_the_office_adds_a_rule_with_its_parameters(w, client):
    client.force_login(w.office)
    before = AuditEntry.objects.count()
    resp = client.post(reverse("rule_save", args=[w.cycle.pk]), {
        "new-name": "连续两年一般取消试点资格", "new-kind": "consecutive_grade", "new-outcome": "取消试点资格",
        "new-k": "2", "new-grades": "一般，较差", "new-order": "3"})
    assert resp.status_code == 302
    r = Rule.objects.get(name="连续两年一般取消试点资格")
    assert r.params == {"k": 2, "grades": ["一般", "较差"]} and r.order == 3
    assert AuditEntry.objects.count() == before + 1


def test_a_rule_missing_its_parameters_is_a_form_error(w, client):
    client.force_login(w.office)
    resp = client.post(reverse("rule_save", args=[w.cycle.pk]), {
        "new-name": "末位约谈", "new-kind": "bottom_n", "new-outcome": "约谈"})
    assert resp.status_code == 200 and "这一类规则须填写此项" in resp.content.decode()
    resp = client.post(reverse("rule_save", args=[w.cycle.pk]), {
        "new-name": "比例", "new-kind": "grade_quota", "new-outcome": "比例", "new-quotas": "优秀=两成"})
    assert "等次=比例" in resp.content.decode()
    assert not Rule.objects.filter(name__in=["末位约谈", "比例"]).exists()


def test_the_office_changes_and_deletes_a_rule(w, client):
    client.force_login(w.office)
    p = f"r{w.every.pk}"
    client.post(reverse("rule_save", args=[w.cycle.pk]), {
        "rule": w.every.pk, f"{p}-name": "优秀比例", f"{p}-kind": "grade_quota", f"{p}-outcome": "比例",
        f"{p}-quotas": "优秀=25，良好=10"})
    w.every.refresh_from_db()
    assert w.every.params == {"quotas": {"优秀": 25.0, "良好": 10.0}} and w.every.name == "优秀比例"
    page = client.get(reverse("outcome_rules", args=[w.cycle.pk])).content.decode()
    assert "优秀=25，良好=10" in page
    client.post(reverse("rule_delete", args=[w.cycle.pk, w.every.pk]))
    assert not Rule.objects.filter(pk=w.every.pk).exists()


def test_a_leader_reads_the_rules_without_forms_and_cannot_change_them(w, client):
    client.force_login(w.leader)
    page = client.get(reverse("outcome_rules", args=[w.cycle.pk])).content.decode()
    assert "安全事故约谈" in page and "/outcomes/rules/save/" not in page and "新增规则" not in page
    assert client.post(reverse("rule_delete", args=[w.cycle.pk, w.core.pk])).status_code == 403
    assert Rule.objects.filter(pk=w.core.pk).exists()


def test_a_rule_of_another_cycle_is_missing(w, client):
    from kaohe.indicators.services import create_cycle

    other = create_cycle(by=w.office, year=2025, name="2025年度")
    client.force_login(w.office)
    assert client.post(reverse("rule_delete", args=[other.pk, w.core.pk])).status_code == 404
