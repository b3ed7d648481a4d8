"""The public answering page through the client: no login, no JavaScript, one answer per code, open-link limits,
answers kept on a form error, the client's address taken from X-Forwarded-For only behind a trusted proxy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.surveys import services as svc
from kaohe.surveys.models import Answer, Comment, Submission
from kaohe.surveys.views_public import DEVICE_COOKIE


def _code(sw) -> str:
    return svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=1)[0].code


def _post(sw, choice: str = "satisfied", **extra) -> dict:
    q = sw.question.pk
    data = {f"a{q}_{u.pk}": choice for u in sw.units.values()}
    return data | extra


def test_the_token_page_opens_without_login_and_shows_every_unit_and_choice(sw, client) -> None:
    resp = client.get(reverse("survey_answer", args=[_code(sw)]))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert sw.survey.title in page and sw.question.text in page
    for name in ("东城县", "西山县", "南湖县", "满意", "比较满意", "基本满意", "不满意"):
        assert name in page
    assert page.count('type="radio"') == 3 * 4
    assert "意见针对哪个单位" in page  # the question rates several units: the comment says which


def test_the_page_has_no_script_and_forbids_one(sw, client) -> None:
    resp = client.get(reverse("survey_answer", args=[_code(sw)]))
    assert "<script" not in resp.content.decode().lower()
    assert "default-src 'none'" in resp["Content-Security-Policy"]
    assert resp["Cache-Control"] == "no-store"
    assert "sessionid" not in resp.cookies


def test_a_post_stores_the_answers_and_thanks_on_the_spot(sw, client) -> None:
    resp = client.post(reverse("survey_answer", args=[_code(sw)]), _post(sw, "fairly_satisfied"))
    assert resp.status_code == 200
    assert "提交成功" in resp.content.decode()
    sub = Submission.objects.get()
    assert sub.channel == "invitation" and sub.group == sw.public and sub.status == "counted"
    assert sorted(Answer.objects.values_list("unit__code", "choice")) == [
        ("U1", "fairly_satisfied"), ("U2", "fairly_satisfied"), ("U3", "fairly_satisfied")]


def test_a_code_used_twice_is_refused_the_second_time_and_nothing_more_is_stored(sw, client) -> None:
    url = reverse("survey_answer", args=[_code(sw)])
    assert client.post(url, _post(sw)).status_code == 200
    again = client.post(url, _post(sw, "unsatisfied"))
    assert again.status_code in (409, 410)
    assert "已使用" in again.content.decode()
    assert client.get(url).status_code in (409, 410)
    assert Submission.objects.count() == 1 and Answer.objects.count() == 3
    assert set(Answer.objects.values_list("choice", flat=True)) == {"satisfied"}


def test_an_unknown_code_is_a_chinese_404(sw, client) -> None:
    resp = client.get(reverse("survey_answer", args=["no-such-code-at-all-xx"]))
    assert resp.status_code == 404
    assert "链接无效" in resp.content.decode()


def test_a_survey_not_open_says_so(sw, client) -> None:
    code = _code(sw)
    svc.set_status(by=sw.office, survey=sw.survey, status="closed")
    resp = client.get(reverse("survey_answer", args=[code]))
    assert resp.status_code == 403
    assert "测评未在进行中" in resp.content.decode()
    assert client.post(reverse("survey_answer", args=[code]), _post(sw)).status_code == 403
    assert not Submission.objects.exists()


def test_an_invalid_choice_shows_the_error_in_place_keeps_the_answers_and_stores_nothing(sw, client) -> None:
    u1, u2 = sw.units["U1"], sw.units["U2"]
    data = _post(sw) | {f"a{sw.question.pk}_{u2.pk}": "very_happy", f"c{sw.question.pk}": "路灯坏了",
                        f"cu{sw.question.pk}": str(u1.pk)}
    resp = client.post(reverse("survey_answer", args=[_code(sw)]), data)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'class="err"' in page and "very_happy" in page  # Django's message names the refused value
    assert f'name="a{sw.question.pk}_{u1.pk}" value="satisfied" checked' in page  # the other answers kept
    assert "路灯坏了" in page and f'value="{u1.pk}" selected' in page
    assert not Submission.objects.exists() and not Answer.objects.exists()


def test_nothing_answered_is_refused(sw, client) -> None:
    resp = client.post(reverse("survey_answer", args=[_code(sw)]), {})
    assert resp.status_code == 200
    assert "请至少评价一个单位" in resp.content.decode()
    assert not Submission.objects.exists()


def test_a_rating_outside_the_design_is_refused(sw, client) -> None:
    data = _post(sw) | {f"a{sw.question.pk + 1000}_{sw.units['U1'].pk}": "satisfied"}
    resp = client.post(reverse("survey_answer", args=[_code(sw)]), data)
    assert "问卷内容已更新" in resp.content.decode()
    assert not Submission.objects.exists()


def test_a_comment_needs_its_unit_and_is_stored_masked_for_the_unit(sw, client) -> None:
    q, u2 = sw.question.pk, sw.units["U2"]
    url = reverse("survey_answer", args=[_code(sw)])
    missing = client.post(url, _post(sw) | {f"c{q}": "办事窗口排队太久，请回电 13812345678"})
    assert "请选择这条意见针对的单位" in missing.content.decode()
    assert not Comment.objects.exists()
    resp = client.post(url, _post(sw) | {f"c{q}": "办事窗口排队太久，请回电 13812345678", f"cu{q}": str(u2.pk)})
    assert "提交成功" in resp.content.decode()
    comment = Comment.objects.get()
    assert comment.unit == u2 and comment.question == sw.question and comment.group == sw.public
    assert "13812345678" in comment.text
    assert "13812345678" not in comment.masked and "138****5678" in comment.masked


def test_the_open_link_sets_a_device_cookie_and_limits_each_device(sw, client) -> None:
    url = reverse("survey_open", args=[sw.survey.open_slug])
    first = client.get(url)
    assert first.status_code == 200
    cookie = first.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 365 * 24 * 3600
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert "提交成功" in client.post(url, _post(sw)).content.decode()
    sub = Submission.objects.get()
    assert sub.channel == "open_link" and sub.group == sw.web and sub.device == cookie.value and sub.token is None
    again = client.post(url, _post(sw, "unsatisfied"))
    assert again.status_code == 429
    assert "本设备已参与过" in again.content.decode()
    assert Submission.objects.count() == 1


def test_the_open_link_refuses_a_post_without_its_device_cookie_and_keeps_the_answers(sw, client) -> None:
    url = reverse("survey_open", args=[sw.survey.open_slug])
    resp = client.post(url, _post(sw))
    assert resp.status_code == 200
    assert "Cookie" in resp.content.decode() and DEVICE_COOKIE in resp.cookies
    assert not Submission.objects.exists()
    assert "提交成功" in client.post(url, _post(sw)).content.decode()  # the cookie is set now


def test_the_open_link_keeps_its_csrf_protection(sw) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    url = reverse("survey_open", args=[sw.survey.open_slug])
    strict.get(url)
    assert strict.post(url, _post(sw)).status_code == 403
    assert not Submission.objects.exists()
    # the token page needs no CSRF cookie: the one-time code is the nonce
    assert "提交成功" in strict.post(reverse("survey_answer", args=[_code(sw)]), _post(sw)).content.decode()


def test_an_open_link_not_enabled_is_missing(sw, client) -> None:
    sw.survey.open_link = False
    sw.survey.save(update_fields=["open_link"])
    assert client.get(reverse("survey_open", args=[sw.survey.open_slug])).status_code == 404
    assert client.get(reverse("survey_open", args=["nope"])).status_code == 404


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(sw, client, settings) -> None:
    settings.KAOHE_TRUSTED_PROXY = False
    client.post(reverse("survey_answer", args=[_code(sw)]), _post(sw), HTTP_X_FORWARDED_FOR="203.0.113.7",
                REMOTE_ADDR="10.0.0.9")
    settings.KAOHE_TRUSTED_PROXY = True
    # nginx's $proxy_add_x_forwarded_for: what the client sent, then the address the proxy saw (the one taken)
    client.post(reverse("survey_answer", args=[_code(sw)]), _post(sw, "unsatisfied"),
                HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.20", REMOTE_ADDR="10.0.0.9")
    assert list(Submission.objects.order_by("pk").values_list("ip", flat=True)) == ["10.0.0.9", "198.51.100.20"]


def test_a_client_cannot_choose_its_address_behind_the_proxy(sw, client, settings) -> None:
    settings.KAOHE_TRUSTED_PROXY = True
    from django.test import Client

    sw.survey.limit_per_ip, sw.survey.limit_per_device = 1, 100
    sw.survey.save(update_fields=["limit_per_ip", "limit_per_device"])
    url = reverse("survey_open", args=[sw.survey.open_slug])
    statuses = []
    for i, forged in enumerate(["192.0.2.1", "192.0.2.2"]):
        phone = Client()
        phone.get(url)
        statuses.append(phone.post(url, _post(sw, ["satisfied", "unsatisfied"][i]),
                                   HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.30").status_code)
    assert statuses == [200, 429]  # the forged first addresses differ; the proxy's own entry is the same


def test_the_open_link_limits_each_address_behind_a_trusted_proxy(sw, client, settings) -> None:
    from django.test import Client

    settings.KAOHE_TRUSTED_PROXY = True
    sw.survey.limit_per_ip, sw.survey.limit_per_device = 2, 100
    sw.survey.save(update_fields=["limit_per_ip", "limit_per_device"])
    url = reverse("survey_open", args=[sw.survey.open_slug])
    statuses = []
    for i in range(3):
        phone = Client()  # a new device each time, from the same address
        phone.get(url)
        statuses.append(phone.post(url, _post(sw, ["satisfied", "unsatisfied", "fairly_satisfied"][i]),
                                   HTTP_X_FORWARDED_FOR="198.51.100.4").status_code)
    assert statuses == [200, 200, 429]
    assert Submission.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_page_makes_a_fixed_small_number_of_queries(sw, client, method) -> None:
    url = reverse("survey_answer", args=[_code(sw)])
    client.get(url)  # the design is now cached for this survey version
    with CaptureQueriesContext(connection) as ctx:
        resp = getattr(client, method)(url, _post(sw) if method == "post" else None)
    assert resp.status_code == 200
    assert len(ctx.captured_queries) <= (1 if method == "get" else 9), [q["sql"] for q in ctx.captured_queries]


def test_a_change_to_the_survey_shows_on_the_page_at_once(sw, client) -> None:
    url = reverse("survey_answer", args=[_code(sw)])
    assert "南湖县" in client.get(url).content.decode()
    svc.add_question(by=sw.office, survey=sw.survey, indicator=sw.s1, direction="bottom_up", text="窗口服务是否满意？",
                     units=[sw.units["U1"]], groups=[sw.public])
    page = client.get(url).content.decode()
    assert "窗口服务是否满意？" in page and page.count('type="radio"') == 4 * 4


def test_the_quick_check_of_an_answer_sheet_agrees_with_the_form(sw) -> None:
    """The page takes a sheet without building AnswerForm when quick_clean accepts it: it must accept only what
    the form accepts, with the same answers and comments (anything else goes to the form)."""
    from django.http import QueryDict

    from kaohe.surveys.forms_public import AnswerForm, quick_clean
    from kaohe.surveys.models import CHOICE_LABELS
    from kaohe.surveys.views_public import design_of

    design = design_of(sw.survey, sw.public, None)
    choices = [(k, CHOICE_LABELS.get(k, k)) for k in svc.choices_of(sw.scycle)]
    q, (u1, u2, u3) = sw.question.pk, sw.units.values()
    base = {f"a{q}_{u1.pk}": "satisfied", f"a{q}_{u2.pk}": "unsatisfied"}
    cases = [base, {}, {f"a{q}_{u1.pk}": ""}, base | {f"a{q}_{u3.pk}": "nope"}, base | {f"a{q}_999": "satisfied"},
             base | {"a1x": "1", "other": "x"}, base | {f"c{q}": "  太慢  ", f"cu{q}": str(u2.pk)},
             base | {f"c{q}": "太慢"}, base | {f"c{q}": "   "}, base | {f"c{q}": "   ", f"cu{q}": "999"},
             base | {f"c{q}": "x" * svc.COMMENT_MAX}, base | {f"c{q}": "x" * (svc.COMMENT_MAX + 1)},
             base | {f"c{q}": " " + "x" * svc.COMMENT_MAX + " ", f"cu{q}": str(u1.pk)},
             base | {f"c{q}": "a\x00b", f"cu{q}": str(u1.pk)}, base | {f"cu{q}": "abc"}, base | {f"cu{q}": str(u3.pk)}]
    for data in cases:
        qd = QueryDict(mutable=True)
        qd.update(data)
        form = AnswerForm(design, choices, qd)
        quick = quick_clean(design, [k for k, _l in choices], qd)
        if quick is not None:
            assert form.is_valid(), data
            assert quick == (form.answers(), form.comments()), data
    accepted = [d for d in cases if quick_clean(design, [k for k, _l in choices], _qd(d)) is not None]
    assert len(accepted) == 6  # plain; other keys; a comment with its unit; a blank one; padded to the limit; a unit


def _qd(data):
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    qd.update(data)
    return qd
