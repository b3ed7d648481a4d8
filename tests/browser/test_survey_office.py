"""The office runs a satisfaction survey in a real browser: designs it (a group, a question over a whole domain),
opens it, and after answers have come in reads the results and watches the live monitor, whose charts draw
offline from the static ECharts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaohe.indicators.models import Cycle
from kaohe.indicators.services import create_cycle, import_scenario
from kaohe.surveys import services as svc
from kaohe.surveys.models import Group, Submission, Survey
from tests.conftest import password

from .test_analysis import drawn

COUNTIES = ["船山区", "安居区", "射洪市", "蓬溪县", "大英县", "遂宁经开区", "遂宁高新区", "河东新区", "安居经开区",
            "射洪经开区", "蓬溪工业园区", "大英工业园区"]
SCENARIO = {
    "units": [{"id": f"C{i:02d}", "name": n, "domain": "county"} for i, n in enumerate(COUNTIES, start=1)],
    "indicators": [
        {"id": "S", "name": "群众满意度", "points": 10},
        {"id": "S1", "parent": "S", "name": "群众满意度测评", "points": 10, "method": "satisfaction",
         "params": {"min_responses": 30}},
    ],
}
CHOICES = ["satisfied", "satisfied", "fairly_satisfied", "satisfied", "basically_satisfied", "fairly_satisfied",
           "unsatisfied"]


@pytest.fixture
def survey_cycle(world) -> Cycle:
    cycle = create_cycle(by=world.office, year=2027, name="2027年度群众满意度测评")
    import_scenario(by=world.office, cycle=cycle, scenario=SCENARIO, source="test")
    return cycle


def log_in(pg, username: str) -> None:
    pg.goto("/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password(username))
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(lambda url: "/login/" not in url)


def answers_come_in(survey: Survey) -> None:
    """Answers from invitations over the last day and a half, a few from the open link, and a burst from one
    address; the two last units are rated by few people (样本不足)."""
    public = survey.groups.get(code="public")
    web = svc.add_group(by=survey.created_by, survey=survey, code="web", name="网络公开", kind=Group.Kind.PUBLIC,
                        channel=Group.Channel.OPEN_LINK)
    question = survey.questions.get()
    units = list(question.units.order_by("code"))
    tokens = svc.make_tokens(by=survey.created_by, survey=survey, group=public, n=260)
    now = timezone.now()
    for i, token in enumerate(tokens):
        rated = units if i % 12 == 0 else units[:-2]
        sub = svc.submit(survey=survey, group=public, token=token, ip=f"10.{i % 7}.{i // 7}.9", answers=[
            (question, u, CHOICES[(i + k * 3 + (i // 5) * k) % len(CHOICES)]) for k, u in enumerate(rated)])
        Submission.objects.filter(pk=sub.pk).update(submitted_at=now - dt.timedelta(minutes=(i * 37) % (36 * 60)))
    for i in range(40):
        svc.submit(survey=survey, group=web, ip=f"172.16.0.{i}", device=f"phone-{i}",
                   answers=[(question, u, CHOICES[(i + k) % len(CHOICES)]) for k, u in enumerate(units[:-2])])
    survey.burst_count, survey.burst_minutes = 10, 10
    survey.save(update_fields=["burst_count", "burst_minutes"])
    for i, token in enumerate(svc.make_tokens(by=survey.created_by, survey=survey, group=public, n=16)):
        svc.submit(survey=survey, group=public, token=token, ip="203.0.113.77",
                   answers=[(question, units[0], CHOICES[i % len(CHOICES)]), (question, units[1], "unsatisfied")])


def test_the_office_designs_opens_and_watches_a_survey(world, survey_cycle, page, shoot):
    log_in(page, "office")
    page.goto(f"/cycles/{survey_cycle.pk}/surveys/")
    page.get_by_role("link", name="新建测评").click()
    page.fill("#id_title", "2027年度群众满意度测评")
    page.fill("#id_intro", "请对各县（市、区）和园区政府的工作作出评价。")
    page.check("#id_open_link")
    page.get_by_role("button", name="新建").click()
    page.get_by_role("heading", name="2027年度群众满意度测评").wait_for()

    # opening before there is a question is refused, with the reason
    page.get_by_role("button", name="开始测评").click()
    assert page.locator(".alert-danger").filter(has_text="才能开始").is_visible()

    group_form = page.locator("form[action$='/groups/add/']")
    group_form.locator("[name=code]").fill("public")
    group_form.locator("[name=name]").fill("群众")
    group_form.locator("[name=kind]").select_option("public")
    group_form.locator("[name=channel]").select_option("invitation")
    group_form.get_by_role("button", name="添加群体").click()
    assert page.locator("#groups table").filter(has_text="邀请链接").is_visible()

    question_form = page.locator("form[action$='/questions/add/']")
    question_form.locator("[name=direction]").select_option("bottom_up")
    question_form.locator("[name=text]").fill("您对以下县（市、区）和园区的工作是否满意？")
    question_form.get_by_label("群众", exact=True).check()
    question_form.locator("[name=domains]").first.check()  # the whole county domain
    question_form.get_by_role("button", name="添加问题").click()
    assert page.locator("#questions").get_by_text("12 个单位").is_visible()

    # second thoughts before opening: the group's name in its row, the question's wording on its own page
    row = page.locator("#groups tbody tr", has_text="public")
    row.get_by_text("修改").click()
    row.get_by_label("名称").fill("城乡群众")
    row.get_by_role("button", name="保存").click()
    expect(page.locator("#groups tbody tr", has_text="public")).to_contain_text("城乡群众")
    page.locator("#questions").get_by_role("link", name="修改").click()
    page.get_by_label("问题（留空则用指标名称）").fill("您对以下县（市、区）和园区政府的工作是否满意？")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#questions")).to_contain_text("园区政府的工作是否满意")

    page.get_by_role("button", name="开始测评").click()
    assert page.locator(".alert-success").filter(has_text="测评中").is_visible()
    survey = Survey.objects.get(cycle=survey_cycle)
    assert survey.status == "open"
    shoot(page, "survey-design")

    answers_come_in(survey)

    page.get_by_role("link", name="测评结果").first.click()
    table = page.locator(".kh-card table").first
    assert table.locator("tbody tr").count() == 12
    assert table.locator(".badge").filter(has_text="样本不足").count() == 2
    assert page.get_by_text("按同组").first.is_visible()
    page.set_viewport_size({"width": 1366, "height": 1100})
    shoot(page, "survey-results")

    page.get_by_role("link", name="实时监测").first.click()
    for chart in ("#chart-hours", "#chart-channels", "#chart-top", "#chart-bottom", "#chart-bursts"):
        assert drawn(page, chart) > 300, chart
    assert page.locator("#bursts-body").filter(has_text="203.0.113.77").is_visible()
    # the page refreshes itself from the JSON every 10 s
    with page.expect_response(lambda r: "/monitor/data/" in r.url, timeout=15_000) as got:
        pass
    assert got.value.ok
    page.set_viewport_size({"width": 1366, "height": 1250})
    page.wait_for_timeout(800)
    shoot(page, "survey-monitor")

    page.get_by_role("link", name="待复核答卷").click()
    page.get_by_role("button", name="该地址全部无效").first.click()
    assert page.locator(".alert-success").filter(has_text="复核为无效").is_visible()
