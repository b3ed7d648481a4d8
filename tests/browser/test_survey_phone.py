"""The survey answering page on a phone (390 x 844, touch, 2x pixels): a member of the public opens an invitation
link, taps an answer for each department, leaves a comment, submits and is thanked; then the same with JavaScript
switched off, which the page must not need."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaohe.surveys.models import Answer, Comment, Submission

DEPARTMENTS = [("D1", "市公安局"), ("D2", "市人力资源和社会保障局"), ("D3", "市住房和城乡建设局"),
               ("D4", "市市场监督管理局"), ("D5", "市政务服务中心")]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}


@pytest.fixture
def survey(transactional_db):
    """An open survey: the public rates five city departments, invited by one-time codes."""
    from django.contrib.auth.models import User

    from kaohe.indicators.services import create_cycle, import_scenario
    from kaohe.organisation.models import Profile
    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Group, Question

    office = User.objects.create_user("office", password="office-pass-2026")
    Profile.objects.create(user=office, role=Profile.Role.OFFICE, name="考核办")
    cycle = create_cycle(by=office, year=2026, name="2026年度市直部门满意度测评")
    import_scenario(by=office, cycle=cycle, source="test", scenario={
        "units": [{"id": c, "name": n, "domain": "dept"} for c, n in DEPARTMENTS],
        "indicators": [{"id": "S", "name": "群众满意度", "points": 10},
                       {"id": "S1", "parent": "S", "name": "群众满意度测评", "points": 10, "method": "satisfaction"}]})
    s = svc.create_survey(by=office, cycle=cycle, title="2026年度市直部门群众满意度测评",
                          intro="为了解您对市直部门工作的评价，特开展本次测评。答卷匿名，约需 2 分钟。")
    public = svc.add_group(by=office, survey=s, code="public", name="群众", kind=Group.Kind.PUBLIC,
                           channel=Group.Channel.QR)
    svc.add_question(by=office, survey=s, indicator=cycle.indicators.get(code="S1"),
                     direction=Question.Direction.BOTTOM_UP, text="您对以下部门的工作是否满意？",
                     units=cycle.units.all(), groups=[public])
    svc.set_status(by=office, survey=s, status="open")
    s.codes = [t.code for t in svc.make_tokens(by=office, survey=s, group=public, n=2)]
    return s


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    contexts = []

    def open_phone(javascript: bool = True):
        ctx = browser.new_context(base_url=live_server.url, java_script_enabled=javascript, **PHONE)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield open_phone
    for ctx in contexts:
        ctx.close()


def _answer(pg, choices: list[str]) -> None:
    for (_code, name), choice in zip(DEPARTMENTS, choices, strict=True):
        pg.locator("fieldset", has_text=name).get_by_text(choice, exact=True).tap()


def test_a_member_of_the_public_answers_on_a_phone(survey, phone, shoot) -> None:
    pg = phone()
    pg.goto(f"/s/{survey.codes[0]}/")
    assert pg.get_by_role("heading", name=survey.title).is_visible()
    # nothing wider than the phone, and every choice a thumb can hit
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    option = pg.locator("fieldset", has_text="市公安局").locator("label.opt").first.bounding_box()
    assert option["height"] >= 44 and option["width"] >= 70
    assert pg.locator("script").count() == 0

    _answer(pg, ["满意", "比较满意", "满意", "基本满意", "不满意"])
    assert pg.locator("fieldset", has_text="市公安局").get_by_label("满意", exact=True).is_checked()
    pg.evaluate("window.scrollTo(0, 0)")
    shoot(pg, "survey-phone")
    pg.locator("select").select_option(label="市政务服务中心")
    pg.locator("textarea").fill("办事窗口排队时间较长，希望增加自助设备。联系电话 13812345678")
    pg.get_by_role("button", name="提交答卷").tap()
    pg.get_by_text("提交成功，感谢您的参与！").wait_for()

    sub = Submission.objects.get()
    assert sub.status == "counted" and sub.answers.count() == 5
    assert dict(Answer.objects.values_list("unit__code", "choice")) == {
        "D1": "satisfied", "D2": "fairly_satisfied", "D3": "satisfied", "D4": "basically_satisfied",
        "D5": "unsatisfied"}
    comment = Comment.objects.get()
    assert comment.unit.code == "D5" and "138****5678" in comment.masked

    pg.goto(f"/s/{survey.codes[0]}/")  # the same link again
    assert pg.get_by_text("该邀请码已使用").is_visible()
    assert Submission.objects.count() == 1


def test_the_page_works_with_javascript_switched_off(survey, phone) -> None:
    pg = phone(javascript=False)
    pg.goto(f"/s/{survey.codes[1]}/")
    pg.get_by_role("button", name="提交答卷").tap()  # nothing chosen: the page comes back with the reason
    pg.get_by_text("请至少评价一个单位。").wait_for()
    _answer(pg, ["比较满意", "比较满意", "满意", "满意", "基本满意"])
    pg.get_by_role("button", name="提交答卷").tap()
    pg.get_by_text("提交成功，感谢您的参与！").wait_for()
    assert Answer.objects.filter(submission__token__code=survey.codes[1]).count() == 5
