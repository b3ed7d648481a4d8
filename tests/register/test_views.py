"""The register pages: applying with evidence, the office's judgement, and what each unit may see."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.models import AuditEntry
from kaohe.reporting.models import Evidence
from kaohe.register import services
from kaohe.register.models import Entry

from .conftest import pdf, stored


def _url(name, world, **kw):
    return reverse(name, kwargs={"cycle": world.cycle.pk, **kw})


def _apply_form(**extra):
    return {"source": "award", "title": "全国文明城市提名", "reason": "", "reference": "文明委〔2026〕3号",
            "points_claimed": "1.5", **extra}


def test_a_unit_applies_for_a_bonus_with_evidence(world, client, media) -> None:
    client.force_login(world.u1)
    resp = client.post(_url("register_apply", world), _apply_form(files=[pdf("a.pdf"), pdf("b.pdf")]))
    entry = Entry.objects.get()
    assert resp.status_code == 302 and resp.url == _url("register_detail", world, pk=entry.pk)
    assert (entry.unit, entry.kind, entry.state, entry.points_claimed) == (world.unit1, "bonus", "applied", 1.5)
    assert sorted(e.name for e in entry.evidence.all()) == ["a.pdf", "b.pdf"]
    page = client.get(resp.url).content.decode()
    for ev in entry.evidence.all():
        assert reverse("evidence_download", kwargs={"pk": ev.pk}) in page


def test_a_refused_upload_stores_nothing_and_says_why(world, client, media) -> None:
    client.force_login(world.u1)
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    resp = client.post(_url("register_apply", world), _apply_form(files=[pdf("ok.pdf"), fake]))
    assert resp.status_code == 200
    assert "不是允许的文件类型" in resp.content.decode()
    assert not Entry.objects.exists() and not Evidence.objects.exists()
    assert stored(media) == []


def test_a_unit_cannot_record_a_deduction_or_apply_for_another_unit_through_the_form(world, client, media) -> None:
    client.force_login(world.u1)
    resp = client.post(_url("register_apply", world), _apply_form(kind="deduction", source="letter",
                                                                 unit=world.unit2.pk, reason="x"))
    # the unit's form has neither a kind nor a unit: a penalty source is refused, nothing is written
    assert resp.status_code == 200
    assert not Entry.objects.exists()
    resp = client.post(_url("register_apply", world), _apply_form(unit=world.unit2.pk))
    assert Entry.objects.get().unit == world.unit1


def test_the_office_records_a_deduction_whose_evidence_the_unit_can_read(world, client, media) -> None:
    client.force_login(world.office)
    resp = client.post(_url("register_apply", world), {
        "unit": world.unit1.pk, "kind": "deduction", "source": "letter", "title": "督查通报",
        "reason": "重点项目推进滞后", "reference": "督办〔2026〕7号", "points_claimed": "0.5", "files": [pdf()]})
    assert resp.status_code == 302
    entry = Entry.objects.get()
    ev = entry.evidence.get()
    assert ev.unit == world.unit1 and ev.uploaded_by == world.office
    client.force_login(world.u1)
    assert client.get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code == 200
    client.force_login(world.u2)
    assert client.get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code == 404


def test_a_deduction_without_a_reason_is_refused(world, client) -> None:
    client.force_login(world.office)
    resp = client.post(_url("register_apply", world), {"unit": world.unit1.pk, "kind": "deduction",
                                                       "source": "sanction", "title": "问责", "points_claimed": "1"})
    assert resp.status_code == 200 and "须写明事由" in resp.content.decode()
    assert not Entry.objects.exists()


def test_a_unit_cannot_read_another_units_entry_or_its_evidence(world, client, media) -> None:
    entry = services.apply_entry(by=world.u2, cycle=world.cycle, unit=world.unit2, source="award", title="奖",
                                 points_claimed=1, uploads=[pdf()])
    client.force_login(world.u1)
    assert client.get(_url("register_detail", world, pk=entry.pk)).status_code == 404
    ev = entry.evidence.get()
    assert client.get(reverse("evidence_download", kwargs={"pk": ev.pk})).status_code == 404
    page = client.get(_url("register_list", world)).content.decode()
    assert "西山县" not in page and "奖" not in page


def test_the_office_scores_decides_and_withdraws_through_the_pages(world, client) -> None:
    entry = services.apply_entry(by=world.u1, cycle=world.cycle, unit=world.unit1, source="innovation",
                                 title="基层治理创新", points_claimed=3)
    client.force_login(world.office)
    for name, score in (("甲专家", "2"), ("乙专家", "3")):
        assert client.post(_url("register_expert_score", world, pk=entry.pk),
                           {"expert": name, "score": score}).status_code == 302
    resp = client.post(_url("register_decide", world, pk=entry.pk), {"outcome": "approve", "points": ""})
    assert resp.status_code == 302
    entry.refresh_from_db()
    assert entry.points == 2.5 and entry.adjustment is not None
    resp = client.post(_url("register_withdraw", world, pk=entry.pk), {"reason": ""})
    assert resp.status_code == 200  # a reason is required
    resp = client.post(_url("register_withdraw", world, pk=entry.pk), {"reason": "专家名单有误"})
    assert resp.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "applied" and entry.adjustment is None
    page = client.get(_url("register_detail", world, pk=entry.pk)).content.decode()
    assert "撤销审定" in page and "专家名单有误" in page


def test_the_list_shows_per_unit_sums_against_the_cap(world, client) -> None:
    world.cycle.settings = {**world.cycle.settings, "bonus_cap": 2}
    world.cycle.save()
    for t in ("省级文明县城", "全国卫生县城"):
        e = services.apply_entry(by=world.u1, cycle=world.cycle, unit=world.unit1, source="award", title=t,
                                 points_claimed=1.5)
        services.decide_entry(by=world.office, entry=e, approve=True, points=1.5)
    client.force_login(world.office)
    resp = client.get(_url("register_list", world))
    page = resp.content.decode()
    # the entries come first, then the sums of the units that have any (南湖县 has none)
    assert page.index("省级文明县城") < page.index("各单位计入情况")
    assert "全国卫生县城" in page and "3.00" in page and "2.00" in page
    assert "南湖县 <span" not in page
    rows = {s.unit.code: s for s in resp.context["summaries"]}
    assert rows["U1"].bonus_sum == 3.0 and rows["U1"].bonus_counted == 2.0 and rows["U1"].bonus_capped
    assert rows["U2"].bonus_sum == 1.5 and len(rows["U2"].imported) == 1  # the workbook's adjustment
    filtered = client.get(_url("register_list", world), {"state": "approved", "unit": world.unit1.pk})
    assert len(filtered.context["entries"]) == 2
    client.force_login(world.u1)
    resp = client.get(_url("register_list", world))
    assert [s.unit.code for s in resp.context["summaries"]] == ["U1"]


def test_the_export_lists_entries_and_the_summary(world, client) -> None:
    services.apply_entry(by=world.u1, cycle=world.cycle, unit=world.unit1, source="award", title="省级表彰",
                         points_claimed=1)
    client.force_login(world.leader)
    resp = client.get(_url("register_export", world))
    book = load_workbook(BytesIO(resp.content))
    entries, summary = book.worksheets
    assert entries.cell(2, 5).value == "省级表彰"
    assert [c.value for c in summary[1]][:3] == ["单位编号", "单位", "加分合计"]


def test_each_page_action_leaves_an_audit_entry(world, client) -> None:
    client.force_login(world.u1)
    client.post(_url("register_apply", world), _apply_form())
    entry = Entry.objects.get()
    client.force_login(world.office)
    client.post(_url("register_decide", world, pk=entry.pk), {"outcome": "reject", "decision": "材料不全"})
    actions = list(AuditEntry.objects.filter(object_type="register.Entry").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["create", "reject"]
