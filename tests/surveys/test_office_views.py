"""The survey office pages through the client: design with its refusals, results equal to the spec's figures,
comments masked for units and hidden from other units, review, and the monitor's data."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.surveys import figures, services as svc
from kaohe.surveys.models import Comment, Count, Submission, Survey


def url(name: str, sw, **kw) -> str:
    return reverse(name, kwargs={"cycle": sw.scycle.pk, "pk": sw.survey.pk} | kw)


def answer(sw, unit_choices: dict[str, list[str]], group=None, ip_base: str = "10.0.") -> None:
    """Submit answers through the service: for each unit its list of choices, one submission per position."""
    group = group or sw.public
    most = max(len(v) for v in unit_choices.values())
    tokens = svc.make_tokens(by=sw.office, survey=sw.survey, group=group, n=most)
    for i, token in enumerate(tokens):
        answers = [(sw.question, sw.units[code], choices[i]) for code, choices in unit_choices.items()
                   if i < len(choices)]
        svc.submit(survey=sw.survey, group=group, token=token, answers=answers, ip=f"{ip_base}{i // 200}.{i % 200}")


# ---- design ---------------------------------------------------------------------------------------------------


def test_the_office_designs_a_survey_and_opens_it(sw, client) -> None:
    client.force_login(sw.office)
    resp = client.post(reverse("survey_new", kwargs={"cycle": sw.scycle.pk}), {
        "title": "2026年度服务对象满意度测评", "intro": "请如实评价。", "opens_at": "", "closes_at": "",
        "open_link": "on", "limit_per_ip": "5", "limit_per_device": "1", "burst_minutes": "15", "burst_count": "40"})
    survey = Survey.objects.get(title="2026年度服务对象满意度测评")
    assert resp.status_code == 302 and resp.url == reverse("survey_detail", args=[sw.scycle.pk, survey.pk])
    assert (survey.open_link, survey.limit_per_ip, survey.burst_minutes, survey.burst_count) == (True, 5, 15, 40)
    kw = {"cycle": sw.scycle.pk, "pk": survey.pk}

    # opening a survey without a complete question is refused, and the page says why
    resp = client.post(reverse("survey_status", kwargs=kw), {"status": "open"}, follow=True)
    assert "才能开始" in resp.content.decode()
    survey.refresh_from_db()
    assert survey.status == "draft"

    resp = client.post(reverse("survey_group_add", kwargs=kw), {"code": "svc", "name": "办事群众",
                                                                  "kind": "service_users", "channel": "qr"})
    assert resp.status_code == 302
    group = survey.groups.get(code="svc")
    # the same code twice is refused on the page
    resp = client.post(reverse("survey_group_add", kwargs=kw), {"code": "svc", "name": "再来", "kind": "public",
                                                                  "channel": "qr"})
    assert resp.status_code == 200 and "已有代码为“svc”的群体" in resp.content.decode()

    # a question needs units: none ticked is refused; a whole domain adds its units
    base = {"indicator": sw.s1.pk, "direction": "bottom_up", "text": "", "groups": [group.pk]}
    resp = client.post(reverse("survey_question_add", kwargs=kw), base)
    assert resp.status_code == 200 and "请选择被测评单位" in resp.content.decode()
    domain = sw.units["U1"].domain
    resp = client.post(reverse("survey_question_add", kwargs=kw), base | {"domains": [domain.pk]})
    assert resp.status_code == 302
    q = survey.questions.get()
    assert q.text == sw.s1.name
    assert set(q.units.values_list("code", flat=True)) == {"U1", "U2", "U3"}

    resp = client.post(reverse("survey_status", kwargs=kw), {"status": "open"}, follow=True)
    survey.refresh_from_db()
    assert survey.status == "open"
    page = resp.content.decode()
    assert "结束测评" in page and "群众满意度测评" in page


def _draft(sw) -> Survey:
    """A survey in design on the same cycle: a group and a question rating U1 and U2."""
    survey = svc.create_survey(by=sw.office, cycle=sw.scycle, title="2026年度服务对象满意度测评")
    group = svc.add_group(by=sw.office, survey=survey, code="svc", name="办事群众", kind="service_users",
                          channel="qr")
    svc.add_question(by=sw.office, survey=survey, indicator=sw.s1, direction="bottom_up", text="",
                     units=[sw.units["U1"], sw.units["U2"]], groups=[group])
    return survey


def test_a_group_is_renamed_and_rechanneled_and_removed_while_the_survey_is_in_design(sw, client) -> None:
    survey = _draft(sw)
    group = survey.groups.get()
    client.force_login(sw.office)
    kw = {"cycle": sw.scycle.pk, "pk": survey.pk, "group": group.pk}
    prefix = f"g{group.pk}-"
    resp = client.post(reverse("survey_group_edit", kwargs=kw), {prefix + "name": "", prefix + "kind": "public",
                                                                  prefix + "channel": "sms"})
    assert resp.status_code == 200 and "这个字段是必填项" in resp.content.decode()  # the empty name, on the page
    resp = client.post(reverse("survey_group_edit", kwargs=kw), {prefix + "name": "窗口办事群众",
                                                                  prefix + "kind": "public", prefix + "channel": "sms"})
    assert resp.status_code == 302
    group.refresh_from_db()
    assert (group.code, group.name, group.kind, group.channel) == ("svc", "窗口办事群众", "public", "sms")
    entry = AuditEntry.objects.filter(action="group").latest("id")
    assert entry.changes["name"] == ["办事群众", "窗口办事群众"] and entry.changes["channel"] == ["qr", "sms"]
    client.post(reverse("survey_group_remove", kwargs=kw))
    assert not survey.groups.exists() and not survey.questions.get().groups.exists()
    assert AuditEntry.objects.filter(action="group_removed").exists()


def test_a_group_of_a_started_survey_is_renamed_but_not_removed(sw, client) -> None:
    answer(sw, {"U1": ["satisfied"]})
    client.force_login(sw.office)
    kw = {"cycle": sw.scycle.pk, "pk": sw.survey.pk, "group": sw.public.pk}
    resp = client.post(reverse("survey_group_remove", kwargs=kw), follow=True)
    assert "测评开始后不能删除作答群体" in resp.content.decode()
    assert sw.survey.groups.filter(pk=sw.public.pk).exists()
    svc.set_status(by=sw.office, survey=sw.survey, status="draft")  # even back in design: codes were handed out
    resp = client.post(reverse("survey_group_remove", kwargs=kw), follow=True)
    assert "该群体已有邀请码或答卷，不能删除" in resp.content.decode()
    p = f"g{sw.public.pk}-"
    client.post(reverse("survey_group_edit", kwargs=kw), {p + "name": "城乡群众", p + "kind": "public",
                                                           p + "channel": "invitation"})
    sw.public.refresh_from_db()
    assert sw.public.name == "城乡群众"
    # its channel would relabel the answers already given: refused, and said in the group's own form
    resp = client.post(reverse("survey_group_edit", kwargs=kw), {p + "name": "城乡群众", p + "kind": "public",
                                                                  p + "channel": "sms"})
    assert resp.status_code == 200 and "只能修改群体名称" in resp.content.decode()
    sw.public.refresh_from_db()
    assert sw.public.channel == "invitation"


def test_a_started_surveys_group_form_offers_only_the_name(sw, client) -> None:
    client.force_login(sw.office)
    page = client.get(url("survey_detail", sw)).content.decode()
    p = f"g{sw.public.pk}-"
    assert f'type="hidden" name="{p}channel" value="invitation"' in page
    assert f'<select class="form-select form-select-sm" name="{p}channel"' not in page
    assert "只能修改名称" in page


def test_a_question_in_design_changes_its_units_and_groups_and_can_be_removed(sw, client) -> None:
    survey = _draft(sw)
    q = survey.questions.get()
    web = svc.add_group(by=sw.office, survey=survey, code="web", name="网络", kind="public", channel="open_link")
    client.force_login(sw.office)
    kw = {"cycle": sw.scycle.pk, "pk": survey.pk, "question": q.pk}
    page = client.get(reverse("survey_question_edit", kwargs=kw)).content.decode()
    ticked = set(re.findall(r'<input type="checkbox" name="units" value="(\d+)"[^>]*checked', page))
    assert ticked == {str(sw.units["U1"].pk), str(sw.units["U2"].pk)}  # the form opens on what the question has
    base = {"indicator": sw.s1.pk, "direction": "top_down", "text": "您对以下单位的工作是否满意？"}
    resp = client.post(reverse("survey_question_edit", kwargs=kw), base | {"groups": [web.pk]})
    assert resp.status_code == 200 and "请选择被测评单位" in resp.content.decode()  # no unit: refused on the page
    resp = client.post(reverse("survey_question_edit", kwargs=kw),
                       base | {"groups": [web.pk], "units": [sw.units["U3"].pk]})
    assert resp.status_code == 302
    q.refresh_from_db()
    assert q.direction == "top_down" and q.text == "您对以下单位的工作是否满意？"
    assert list(q.units.values_list("code", flat=True)) == ["U3"]
    assert list(q.groups.values_list("code", flat=True)) == ["web"]
    entry = AuditEntry.objects.filter(action="question").latest("id")
    assert entry.changes["units"] == [["U1", "U2"], ["U3"]] and entry.changes["groups"] == [["svc"], ["web"]]
    client.post(reverse("survey_question_remove", kwargs=kw))
    assert not survey.questions.exists()
    assert AuditEntry.objects.filter(action="question_removed").exists()


def test_a_started_surveys_question_changes_only_its_wording(sw, client) -> None:
    client.force_login(sw.office)
    kw = {"cycle": sw.scycle.pk, "pk": sw.survey.pk, "question": sw.question.pk}
    page = client.get(reverse("survey_question_edit", kwargs=kw)).content.decode()
    assert "只能修改问题的文字" in page and 'name="units"' not in page
    resp = client.post(reverse("survey_question_edit", kwargs=kw),
                       {"text": "您对以下县（区）政府今年的工作是否满意？"})
    assert resp.status_code == 302
    sw.question.refresh_from_db()
    assert sw.question.text == "您对以下县（区）政府今年的工作是否满意？"
    assert sw.question.units.count() == 3
    with pytest.raises(svc.SurveyRefused, match="只能修改问题的文字"):
        svc.update_question(by=sw.office, question=sw.question, text="x", units=[sw.units["U1"]])
    # a page opened while the survey was in design and posted after it opened: nothing is taken, the page says why
    resp = client.post(reverse("survey_question_edit", kwargs=kw), {"indicator": sw.s1.pk, "direction": "top_down",
                                                                     "text": "改了", "units": [sw.units["U1"].pk],
                                                                     "groups": [sw.public.pk]})
    assert resp.status_code == 200 and "测评已开始，只能修改问题的文字" in resp.content.decode()
    sw.question.refresh_from_db()
    assert sw.question.text == "您对以下县（区）政府今年的工作是否满意？"
    resp = client.post(reverse("survey_question_remove", kwargs=kw), follow=True)
    assert "测评开始后不能删除测评问题" in resp.content.decode()


def test_a_survey_taken_back_into_design_keeps_what_was_answered(sw) -> None:
    answer(sw, {"U1": ["satisfied"], "U2": ["unsatisfied"]})
    svc.set_status(by=sw.office, survey=sw.survey, status="draft")
    with pytest.raises(svc.SurveyRefused, match="该问题已有答卷，只能修改问题的文字"):
        svc.update_question(by=sw.office, question=sw.question, text="", units=[sw.units["U3"]])
    assert sw.question.units.count() == 3
    q = svc.update_question(by=sw.office, question=sw.question, text="您对以下县（区）政府是否满意？")
    assert q.text == "您对以下县（区）政府是否满意？"  # the wording still changes


def test_only_the_office_edits_groups_and_questions(sw, client) -> None:
    gkw = {"cycle": sw.scycle.pk, "pk": sw.survey.pk, "group": sw.public.pk}
    qkw = {"cycle": sw.scycle.pk, "pk": sw.survey.pk, "question": sw.question.pk}
    client.force_login(sw.leader)
    assert client.post(reverse("survey_group_edit", kwargs=gkw), {}).status_code == 403
    assert client.get(reverse("survey_question_edit", kwargs=qkw)).status_code == 403
    page = client.get(url("survey_detail", sw)).content.decode()
    assert "修改" not in page
    other = _draft(sw)
    client.force_login(sw.office)  # a question of another survey is not found through this one
    q_other = other.questions.get()
    assert client.get(reverse("survey_question_edit", kwargs=qkw | {"question": q_other.pk})).status_code == 404


def test_a_question_on_an_indicator_not_scored_by_satisfaction_is_not_offered(sw, client) -> None:
    client.force_login(sw.office)
    other = sw.scycle.indicators.get(code="S")  # the parent: not a satisfaction leaf
    resp = client.post(url("survey_question_add", sw), {"indicator": other.pk, "direction": "bottom_up",
                                                        "units": [sw.units["U1"].pk], "groups": [sw.public.pk]})
    assert resp.status_code == 200
    assert sw.survey.questions.count() == 1


def test_the_design_page_links_only_to_pages_that_exist(sw, client) -> None:
    client.force_login(sw.office)
    page = client.get(url("survey_detail", sw)).content.decode()
    for name in ("survey_tokens", "survey_import"):
        try:
            target = url(name, sw)
        except Exception:
            continue
        assert target in page


def test_the_settings_form_changes_limits_and_is_audited(sw, client) -> None:
    client.force_login(sw.office)
    before = AuditEntry.objects.count()
    data = {"title": sw.survey.title, "intro": "", "opens_at": "2026-05-01T08:00", "closes_at": "2026-04-01T08:00",
            "open_link": "on", "limit_per_ip": "3", "limit_per_device": "1", "burst_minutes": "5", "burst_count": "9"}
    resp = client.post(url("survey_settings", sw), data)
    assert resp.status_code == 200 and "结束时间须晚于开始时间" in resp.content.decode()
    resp = client.post(url("survey_settings", sw), data | {"closes_at": "2026-06-01T08:00"})
    assert resp.status_code == 302
    sw.survey.refresh_from_db()
    assert (sw.survey.limit_per_ip, sw.survey.burst_count) == (3, 9)
    assert AuditEntry.objects.count() == before + 1


def test_the_leader_reads_the_design_but_has_no_forms(sw, client) -> None:
    client.force_login(sw.leader)
    page = client.get(url("survey_detail", sw)).content.decode()
    assert "添加群体" not in page and "添加问题" not in page
    assert client.post(url("survey_group_add", sw), {"code": "x", "name": "x", "kind": "public",
                                                     "channel": "qr"}).status_code == 403


# ---- results --------------------------------------------------------------------------------------------------


def test_results_equal_the_spec_figures_including_too_few_answers(sw, client) -> None:
    # U1: 4 answers (enough, min 3); U2: 2 answers (样本不足); U3: none
    answer(sw, {"U1": ["satisfied", "satisfied", "fairly_satisfied", "unsatisfied"],
                "U2": ["basically_satisfied", "unsatisfied"]})
    answer(sw, {"U1": ["fairly_satisfied"]}, group=sw.web, ip_base="10.8.")  # through another group
    client.force_login(sw.leader)
    resp = client.get(url("survey_results", sw))
    assert resp.status_code == 200
    rows = resp.context["rows"]
    assert Submission.objects.filter(folded=False, status="counted").count() == 0  # the page folded them
    units = {line.unit.code: line for line in rows[0].units}
    u1 = figures.satisfaction({"satisfied": 2, "fairly_satisfied": 2, "unsatisfied": 1}, None, 3)
    u2 = figures.satisfaction({"basically_satisfied": 1, "unsatisfied": 1}, None, 3)
    assert units["U1"].fig == u1 and u1.enough and u1.answers == 5
    assert units["U2"].fig == u2 and not u2.enough
    assert units["U3"].fig.answers == 0 and units["U3"].fig.mean is None
    groups = {(line.unit.code, line.group.code): line.fig.answers for line in rows[0].groups}
    assert groups[("U1", "public")] == 4 and groups[("U1", "web")] == 1
    page = resp.content.decode()
    assert f"{u1.mean:.2f}" in page and f"{u1.approval:.2f}%" in page
    assert page.count("样本不足") >= 2 and "平均满意度" in page


def test_the_results_export_has_one_row_per_unit_and_per_unit_and_group(sw, client) -> None:
    from openpyxl import load_workbook

    answer(sw, {"U1": ["satisfied"] * 3, "U2": ["unsatisfied"]})
    client.force_login(sw.office)
    resp = client.get(url("survey_results_export", sw))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(resp.content))
    by_unit = list(book.worksheets[0].iter_rows(values_only=True))
    head = by_unit[0]
    u1 = dict(zip(head, next(r for r in by_unit if r[4] == "U1")))
    assert u1["答卷数"] == 3 and u1["满意度"] == 100 and u1["样本"] == "足够"
    u2 = dict(zip(head, next(r for r in by_unit if r[4] == "U2")))
    assert u2["样本"] == "样本不足" and u2["满意率（%）"] == 0
    assert len(list(book.worksheets[1].iter_rows())) == 1 + 3 * 2  # 3 units × 2 groups


# ---- review ---------------------------------------------------------------------------------------------------


def _burst(sw, n_counted: int = 2, n_flagged: int = 3, ip: str = "10.7.7.7") -> list[Submission]:
    sw.survey.burst_count = n_counted
    sw.survey.save()
    tokens = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=n_counted + n_flagged)
    choices = ["satisfied", "fairly_satisfied", "basically_satisfied", "unsatisfied"]
    return [svc.submit(survey=sw.survey, group=sw.public, token=t, ip=ip,
                       answers=[(sw.question, sw.units["U1"], choices[i % 4]), (sw.question, sw.units["U2"],
                                                                             choices[(i // 4) % 4])])
            for i, t in enumerate(tokens)]


def _total(sw) -> int:
    svc.fold_counts(sw.survey)
    return sum(Count.objects.filter(survey=sw.survey).values_list("n", flat=True))


def test_reviewing_a_flagged_submission_changes_the_counts_after_the_fold(sw, client) -> None:
    subs = _burst(sw)
    assert [s.status for s in subs] == ["counted"] * 2 + ["flagged"] * 3
    assert _total(sw) == 2 * 2
    client.force_login(sw.office)
    page = client.get(url("survey_flagged", sw)).content.decode()
    assert "10.7.7.7" in page and "分钟内提交超过" in page
    resp = client.post(url("survey_review", sw, sub=subs[2].pk), {"decision": "accept"})
    assert resp.status_code == 302
    assert _total(sw) == 3 * 2
    client.post(url("survey_review", sw, sub=subs[3].pk), {"decision": "reject"})
    assert _total(sw) == 3 * 2
    # reviewed once only
    resp = client.post(url("survey_review", sw, sub=subs[3].pk), {"decision": "accept"}, follow=True)
    assert "只有待复核的答卷可以复核" in resp.content.decode()
    assert Submission.objects.get(pk=subs[3].pk).status == "rejected"


def test_all_flagged_submissions_from_one_address_are_reviewed_at_once(sw, client) -> None:
    _burst(sw, n_counted=2, n_flagged=4)
    client.force_login(sw.office)
    before = AuditEntry.objects.count()
    resp = client.post(url("survey_flagged", sw), {"ip": "10.7.7.7", "decision": "reject", "note": "刷票"},
                       follow=True)
    assert "4 份答卷复核为无效" in resp.content.decode()
    assert Submission.objects.filter(status="rejected").count() == 4
    assert AuditEntry.objects.count() == before + 1
    assert _total(sw) == 2 * 2
    assert "没有待复核的答卷" in client.get(url("survey_flagged", sw)).content.decode()


def test_the_leader_sees_the_flagged_but_cannot_review(sw, client) -> None:
    subs = _burst(sw, n_counted=1, n_flagged=1)
    client.force_login(sw.leader)
    page = client.get(url("survey_flagged", sw)).content.decode()
    assert "10.7.7.7" in page and "该地址全部无效" not in page
    assert client.post(url("survey_review", sw, sub=subs[1].pk), {"decision": "accept"}).status_code == 403


# ---- comments -------------------------------------------------------------------------------------------------

PHONE = "13812345678"


@pytest.fixture
def commented(sw):
    token_a, token_b = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=2)
    svc.submit(survey=sw.survey, group=sw.public, token=token_a, ip="10.3.3.3",
               answers=[(sw.question, sw.units["U1"], "unsatisfied")],
               comments=[(sw.question, sw.units["U1"], f"办证窗口排队太久，请回电 {PHONE}")])
    svc.submit(survey=sw.survey, group=sw.public, token=token_b, ip="10.3.3.4",
               answers=[(sw.question, sw.units["U2"], "satisfied")],
               comments=[(sw.question, sw.units["U2"], "西山县服务很好")])
    return Comment.objects.get(unit=sw.units["U1"]), Comment.objects.get(unit=sw.units["U2"])


def test_a_unit_reads_only_its_own_comments_masked(sw, commented, client) -> None:
    c1, _c2 = commented
    client.force_login(sw.u1)
    page = client.get(url("survey_comments", sw)).content.decode()
    assert "办证窗口排队太久" in page
    assert PHONE not in page and "138****5678" in page
    assert "西山县服务很好" not in page


def test_the_office_reads_the_original_and_the_leader_the_masked_text(sw, commented, client) -> None:
    client.force_login(sw.office)
    page = client.get(url("survey_comments", sw)).content.decode()
    assert PHONE in page and "西山县服务很好" in page
    client.force_login(sw.leader)
    page = client.get(url("survey_comments", sw)).content.decode()
    assert PHONE not in page and "138****5678" in page


def test_a_unit_cannot_open_or_answer_another_units_comment(sw, commented, client) -> None:
    c1, c2 = commented
    client.force_login(sw.u2)
    resp = client.post(url("survey_comment_reply", sw, comment=c1.pk), {"text": "不是我们的"})
    assert resp.status_code == 404
    c1.refresh_from_db()
    assert c1.reply == ""
    resp = client.post(url("survey_comment_reply", sw, comment=c2.pk), {"text": "感谢您的肯定。"})
    assert resp.status_code == 302
    c2.refresh_from_db()
    assert c2.reply == "感谢您的肯定。" and c2.replied_by == sw.u2


def test_the_office_sees_answered_and_unanswered_per_unit(sw, commented, client) -> None:
    _c1, c2 = commented
    svc.reply_comment(by=sw.u2, comment=c2, text="已整改。")
    client.force_login(sw.office)
    resp = client.get(url("survey_comments", sw))
    rows = {r["code"]: (r["total"], r["answered"], r["open"]) for r in resp.context["per_unit"]}
    assert rows == {"U1": (1, 0, 1), "U2": (1, 1, 0)}
    open_only = client.get(url("survey_comments", sw) + "?state=open")
    assert [c.unit.code for c in open_only.context["page"]] == ["U1"]


def test_an_empty_reply_is_refused_on_the_page(sw, commented, client) -> None:
    c1, _c2 = commented
    client.force_login(sw.u1)
    resp = client.post(url("survey_comment_reply", sw, comment=c1.pk), {"text": "  "})
    assert resp.status_code == 200
    c1.refresh_from_db()
    assert c1.reply == ""


def test_units_do_not_open_the_office_pages(sw, client) -> None:
    client.force_login(sw.u1)
    for name in ("survey_detail", "survey_results", "survey_monitor", "survey_monitor_data", "survey_flagged"):
        assert client.get(url(name, sw)).status_code == 404, name
    assert client.get(reverse("survey_list", kwargs={"cycle": sw.scycle.pk})).status_code == 200


# ---- monitor --------------------------------------------------------------------------------------------------


def test_the_monitor_data_has_hours_channels_units_and_bursts(sw, client) -> None:
    answer(sw, {"U1": ["satisfied"] * 3, "U2": ["unsatisfied"] * 2})
    _burst(sw, n_counted=1, n_flagged=2, ip="10.6.6.6")
    client.force_login(sw.office)
    resp = client.get(url("survey_monitor_data", sw))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/json"
    d = resp.json()
    assert set(d) == {"now", "totals", "hours", "channels", "units", "bursts"}
    assert len(d["hours"]) == 48 and set(d["hours"][-1]) == {"at", "counted", "flagged", "rejected"}
    assert d["hours"][-1]["counted"] + d["hours"][-2]["counted"] == 3 + 1  # this hour (or the one before)
    assert sum(h["flagged"] for h in d["hours"]) == 2 == d["totals"]["flagged_48h"]
    assert d["channels"] == [{"channel": "invitation", "label": "邀请链接", "answers": 3 + 2 + 2}]
    assert d["totals"]["answers"] == 7
    top = {u["code"]: u["answers"] for u in d["units"]["top"]}
    assert top == {"U1": 4, "U2": 3, "U3": 0}
    assert d["bursts"] == [{"ip": "10.6.6.6", "submissions": 3, "flagged": 2, "first": d["bursts"][0]["first"],
                            "last": d["bursts"][0]["last"]}]
    page = client.get(url("survey_monitor", sw)).content.decode()
    assert "kh-monitor-data" in page and reverse("survey_monitor_data", args=[sw.scycle.pk, sw.survey.pk]) in page


def test_the_monitor_stays_a_fixed_number_of_queries(sw, client, django_assert_max_num_queries) -> None:
    answer(sw, {"U1": ["satisfied"] * 20, "U2": ["unsatisfied"] * 20, "U3": ["fairly_satisfied"] * 20})
    client.force_login(sw.office)
    client.get(url("survey_monitor_data", sw))  # folds
    with django_assert_max_num_queries(14):
        client.get(url("survey_monitor_data", sw))


def test_the_list_shows_answers_so_far(sw, client) -> None:
    answer(sw, {"U1": ["satisfied"] * 2})
    svc.fold_counts(sw.survey)
    client.force_login(sw.office)
    resp = client.get(reverse("survey_list", kwargs={"cycle": sw.scycle.pk}))
    assert [s.answers for s in resp.context["surveys"]] == [2]
