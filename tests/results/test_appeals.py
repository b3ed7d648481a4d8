"""Appeals (申诉) during public notice: a unit contests a node of its own score; the office rejects or accepts,
and an accepted appeal makes a new public version that corrects the old, which stays readable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.indicators import gates
from kaohe.indicators.models import Value
from kaohe.results.models import Appeal, Run
from kaohe.results.services import announce_run, compute_cycle
from kaohe.results.versions import AppealRefused, decide_appeal, file_appeal
from kaohe.web.models import Notice

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def run(world) -> Run:
    r = compute_cycle(by=world.office, cycle=world.cycle)
    return announce_run(by=world.office, run=r, until=gates.today() + dt.timedelta(days=7))


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("核实说明.pdf", PDF, content_type="application/pdf")


def test_an_accepted_appeal_makes_a_new_public_version_and_the_old_stays_readable(world, run, client) -> None:
    old_total = run.unit_results.get(unit=world.unit1).total
    appeal = file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A1", reason="统计口径有误",
                         uploads=[pdf()])
    assert appeal.evidence.count() == 1
    decide_appeal(by=world.office, appeal=appeal, accept=True, decision="按统计局核定数更正", actual=7.2)
    appeal.refresh_from_db()
    new = appeal.new_run
    assert appeal.state == Appeal.State.ACCEPTED and new is not None
    assert new.publication == "notice" and new.supersedes == run and new.notice_until == run.notice_until
    assert new.reason == f"采纳申诉#{appeal.pk}：按统计局核定数更正"
    assert gates.published_run(world.cycle) == new
    assert Value.objects.get(indicator__code="A1", unit=world.unit1, cycle=world.cycle).actual == 7.2
    new_total = new.unit_results.get(unit=world.unit1).total
    assert new_total > old_total
    run.refresh_from_db()
    assert run.public and run.unit_results.get(unit=world.unit1).total == old_total
    # the unit reads both versions, each with its own total, and is told of the decision
    client.force_login(world.u1)
    for r, total in ((run, old_total), (new, new_total)):
        page = client.get(reverse("run_unit", args=[world.cycle.pk, r.pk, world.unit1.pk]))
        assert page.status_code == 200 and f"{total:.2f}" in page.content.decode()
    detail = client.get(reverse("appeal_detail", args=[world.cycle.pk, appeal.pk])).content.decode()
    assert "按统计局核定数更正" in detail and f"{new_total:.2f}" in detail
    assert Notice.objects.filter(user=world.u1, text__contains="已采纳").exists()
    # the evidence is the unit's and the office's to read, not another county's
    ev = appeal.evidence.get()
    assert client.get(reverse("evidence_download", args=[ev.pk])).status_code == 200
    client.force_login(world.u2)
    assert client.get(reverse("evidence_download", args=[ev.pk])).status_code == 404


def test_a_rejected_appeal_changes_nothing(world, run) -> None:
    appeal = file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="B1", reason="测评样本偏少")
    runs, values = Run.objects.count(), list(Value.objects.values_list("actual", flat=True).order_by("id"))
    decide_appeal(by=world.office, appeal=appeal, accept=False, decision="测评按规定组织，维持原分")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REJECTED and appeal.new_run is None
    assert Run.objects.count() == runs and gates.published_run(world.cycle) == run
    assert list(Value.objects.values_list("actual", flat=True).order_by("id")) == values
    assert Notice.objects.filter(user=world.u1, text__contains="未采纳").exists()
    with pytest.raises(AppealRefused, match="已经处理"):
        decide_appeal(by=world.office, appeal=appeal, accept=True, decision="再议", actual=9)


def test_accepting_a_data_leaf_needs_the_corrected_value_and_a_decision(world, run) -> None:
    appeal = file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A1", reason="有误")
    with pytest.raises(AppealRefused, match="实际值"):
        decide_appeal(by=world.office, appeal=appeal, accept=True, decision="采纳")
    with pytest.raises(AppealRefused, match="处理意见"):
        decide_appeal(by=world.office, appeal=appeal, accept=False, decision=" ")
    assert Run.objects.count() == 1


def test_accepting_a_group_node_recomputes_and_announces_with_the_data_as_it_is(world, run) -> None:
    appeal = file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A", reason="分组得分有误")
    decide_appeal(by=world.office, appeal=appeal, accept=True, decision="已在数据中更正")
    appeal.refresh_from_db()
    assert appeal.new_run.public and appeal.new_run.supersedes == run


def test_an_appeal_outside_the_notice_or_on_another_unit_is_refused(world, run, client) -> None:
    draft = compute_cycle(by=world.office, cycle=world.cycle)
    with pytest.raises(AppealRefused, match="尚未公示"):
        file_appeal(by=world.u1, run=draft, unit=world.unit1, indicator_code="A1", reason="x")
    with pytest.raises(AppealRefused, match="理由"):
        file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A1", reason="  ")
    with pytest.raises(AppealRefused, match="适用"):
        file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="ZZ", reason="x")
    # another county's score: its node is not offered, and its row is not there to appeal on for u1
    client.force_login(world.u1)
    url = reverse("appeal_new", args=[world.cycle.pk, run.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.leader)
    assert client.get(url).status_code == 403
    client.force_login(world.stat)  # 统计局 is not assessed: no score of its own to appeal on
    assert client.get(url).status_code == 404
    # after the notice period
    later = run.notice_until + dt.timedelta(days=1)
    from unittest import mock

    with mock.patch("kaohe.indicators.gates.today", return_value=later):
        with pytest.raises(AppealRefused, match="公示已于"):
            file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A1", reason="晚了")
        client.force_login(world.u1)
        page = client.post(url, {"indicator": "A1", "reason": "晚了"}).content.decode()
        assert "公示已于" in page
    assert not Appeal.objects.exists()


def test_a_unit_files_through_the_page_and_cannot_read_another_units_appeal(world, run, client) -> None:
    client.force_login(world.u1)
    url = reverse("appeal_new", args=[world.cycle.pk, run.pk])
    resp = client.post(url, {"indicator": "A1", "reason": "统计口径有误", "evidence": [pdf()]})
    appeal = Appeal.objects.get()
    assert resp.status_code == 302 and appeal.unit == world.unit1 and appeal.evidence.count() == 1
    assert "西山县" not in client.get(url).content.decode()
    u2_appeal = file_appeal(by=world.u2, run=run, unit=world.unit2, indicator_code="B1", reason="不服")
    assert client.get(reverse("appeal_detail", args=[world.cycle.pk, u2_appeal.pk])).status_code == 404
    listing = client.get(reverse("appeal_list", args=[world.cycle.pk])).content.decode()
    assert "西山县" not in listing and f"#{u2_appeal.pk}" not in listing
    client.force_login(world.leader)
    listing = client.get(reverse("appeal_list", args=[world.cycle.pk]) + "?state=filed").content.decode()
    assert "西山县" in listing and "东城县" in listing
    # the office decides through the page
    client.force_login(world.office)
    resp = client.post(reverse("appeal_decide", args=[world.cycle.pk, appeal.pk]),
                       {"outcome": "accept", "decision": "按核定数更正", "actual": "7.2"})
    assert resp.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ACCEPTED and appeal.new_run.public


def test_filing_and_deciding_are_in_the_audit_log(world, run) -> None:
    appeal = file_appeal(by=world.u1, run=run, unit=world.unit1, indicator_code="A1", reason="统计口径有误")
    decide_appeal(by=world.office, appeal=appeal, accept=True, decision="更正", actual=7.2)
    entries = list(AuditEntry.objects.filter(object_type="results.Appeal", object_id=str(appeal.pk)).order_by("id"))
    assert [(e.action, e.actor_name) for e in entries] == [("appeal", "u1"), ("decide", "office")]
    assert entries[1].changes["state"] == ["filed", "accepted"] and entries[1].changes["actual"] == [6.3, 7.2]
    assert AuditEntry.objects.filter(reason=f"申诉#{appeal.pk}：更正", object_type="indicators.Value").count() == 1
    assert AuditEntry.objects.filter(action="announce", reason=f"采纳申诉#{appeal.pk}：更正").count() == 1
