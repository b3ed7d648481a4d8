"""The public's submissions: one answer per token, bursts flagged not dropped, open-link limits, masking."""

from __future__ import annotations

import pytest

from kaohe.surveys import selectors, services as svc
from kaohe.surveys.models import Answer, Comment, Submission


def _answers(sw, choice="satisfied"):
    return [(sw.question, u, choice) for u in sw.units.values()]


def test_a_token_used_twice_is_refused_the_second_time(sw) -> None:
    token = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=1)[0]
    svc.submit(survey=sw.survey, group=sw.public, token=token, answers=_answers(sw), ip="10.0.0.1")
    with pytest.raises(svc.SubmissionRefused, match="已使用") as refused:
        svc.submit(survey=sw.survey, group=sw.public, token=token, answers=_answers(sw, "unsatisfied"), ip="10.0.0.2")
    assert refused.value.status == 409
    assert Submission.objects.count() == 1
    assert set(Answer.objects.values_list("choice", flat=True)) == {"satisfied"}


def test_a_burst_from_one_address_is_flagged_and_kept(sw) -> None:
    sw.survey.burst_count = 5
    sw.survey.save()
    tokens = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=8)
    choices = ["satisfied", "fairly_satisfied", "basically_satisfied", "unsatisfied"]
    units = list(sw.units.values())
    # different answers each time (the same answers again from one address would be a duplicate)
    subs = [svc.submit(survey=sw.survey, group=sw.public, token=t, ip="10.9.9.9",
                       answers=[(sw.question, u, choices[(i >> (2 * k)) % 4]) for k, u in enumerate(units)])
            for i, t in enumerate(tokens)]
    assert [s.status for s in subs] == ["counted"] * 5 + ["flagged"] * 3
    assert "分钟内提交超过" in subs[-1].flag_reason
    assert Submission.objects.count() == 8  # nothing dropped
    other = svc.submit(survey=sw.survey, group=sw.public, token=svc.make_tokens(by=sw.office, survey=sw.survey,
                       group=sw.public, n=1)[0], answers=_answers(sw), ip="10.1.1.1")
    assert other.status == "counted"
    # flagged answers are not counted until the office accepts them
    svc.fold_counts(sw.survey)
    total = sum(sum(c.values()) for c in selectors.counts(sw.survey).values())
    assert total == 6 * 3
    svc.review(by=sw.office, submission=subs[-1], accept=True)
    svc.review(by=sw.office, submission=subs[-2], accept=False)
    assert sum(sum(c.values()) for c in selectors.counts(sw.survey).values()) == 7 * 3


def test_the_same_answers_again_from_one_device_are_flagged_as_a_duplicate(sw) -> None:
    a, b = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=2)
    first = svc.submit(survey=sw.survey, group=sw.public, token=a, answers=_answers(sw), device="dev-1")
    second = svc.submit(survey=sw.survey, group=sw.public, token=b, answers=_answers(sw), device="dev-1")
    assert first.status == "counted" and second.status == "flagged"
    assert "完全相同" in second.flag_reason


def test_the_open_link_limits_each_device_and_address(sw) -> None:
    svc.submit(survey=sw.survey, group=sw.web, answers=_answers(sw), ip="10.2.2.2", device="phone-a")
    with pytest.raises(svc.SubmissionRefused) as refused:
        svc.submit(survey=sw.survey, group=sw.web, answers=_answers(sw, "unsatisfied"), ip="10.2.2.3",
                   device="phone-a")
    assert refused.value.status == 429
    sw.survey.limit_per_ip = 2
    sw.survey.save()
    svc.submit(survey=sw.survey, group=sw.web, answers=_answers(sw), ip="10.2.2.2", device="phone-b")
    with pytest.raises(svc.SubmissionRefused, match="频繁"):
        svc.submit(survey=sw.survey, group=sw.web, answers=_answers(sw), ip="10.2.2.2", device="phone-c")
    assert Submission.objects.count() == 2


def test_a_closed_survey_takes_no_answers(sw) -> None:
    svc.set_status(by=sw.office, survey=sw.survey, status="closed")
    token = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=1)[0]
    with pytest.raises(svc.SubmissionRefused):
        svc.submit(survey=sw.survey, group=sw.public, token=token, answers=_answers(sw))
    token.refresh_from_db()
    assert token.used_at is None


def test_a_comment_reaches_the_unit_with_its_phone_and_id_numbers_masked(sw) -> None:
    token = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=1)[0]
    u1 = sw.units["U1"]
    svc.submit(survey=sw.survey, group=sw.public, token=token, answers=_answers(sw),
               comments=[(sw.question, u1, "办证跑了三次，电话13812345678，身份证510902198803041234")])
    comment = Comment.objects.get()
    assert comment.unit == u1
    assert "13812345678" not in comment.masked and "510902198803041234" not in comment.masked
    assert "138****5678" in comment.masked and "办证跑了三次" in comment.masked
    assert "13812345678" in comment.text  # the office keeps the original to call back


def _scenario(sw) -> list:
    """Every rule of submit once, as (outcome, status, flag_reason) and the rows stored: spent token, burst,
    duplicate, open-link limits per address and device, a masked comment, a closed open link."""
    sw.survey.burst_count, sw.survey.limit_per_ip, sw.survey.limit_per_device = 2, 3, 2
    sw.survey.save()
    units = list(sw.units.values())
    tokens = svc.make_tokens(by=sw.office, survey=sw.survey, group=sw.public, n=4)
    out = []

    def attempt(**kw):
        try:
            s = svc.submit(survey=sw.survey, **kw)
        except svc.SubmissionRefused as e:
            out.append(("refused", e.status, str(e)))
        else:
            out.append(("stored", s.status, s.flag_reason, s.channel, s.ip, s.device,
                        Submission.objects.get(pk=s.pk).fingerprint == s.fingerprint))

    attempt(group=sw.public, token=tokens[0], answers=_answers(sw), ip="10.0.0.1",
            comments=[(sw.question, units[0], " 请回电 13812345678 "), (sw.question, units[1], "  ")])
    attempt(group=sw.public, token=tokens[0], answers=_answers(sw, "unsatisfied"), ip="10.0.0.2")  # spent
    attempt(group=sw.public, token=tokens[1], answers=_answers(sw), ip="10.0.0.1")  # the comment made the first differ
    attempt(group=sw.public, token=tokens[2], answers=_answers(sw), ip="10.0.0.1")  # duplicate, and a burst (2)
    attempt(group=sw.public, token=tokens[3], answers=_answers(sw, "fairly_satisfied"), ip=None)
    attempt(group=sw.web, answers=_answers(sw), ip="10.0.0.9", device="d" * 20)
    attempt(group=sw.web, answers=_answers(sw), ip="10.0.0.8", device="d" * 20)  # same device: duplicate
    attempt(group=sw.web, answers=_answers(sw, "unsatisfied"), ip="10.0.0.7", device="d" * 20)  # device limit
    for i in range(4):  # the second a duplicate from the address, the third a burst too, the fourth beyond its limit
        attempt(group=sw.web, answers=_answers(sw, "basically_satisfied"), ip="10.0.0.5", device=f"e{i}" * 10)
    sw.survey.open_link = False
    attempt(group=sw.web, answers=_answers(sw), ip="10.0.0.4", device="f" * 20)
    tokens_pk = {t.pk: i for i, t in enumerate(tokens)}
    rows = list(Submission.objects.order_by("pk").values_list("group__code", "token_id", "channel", "ip",
                                                             "device", "status", "flag_reason", "folded"))
    answers = sorted(Answer.objects.values_list("submission__ip", "unit__code", "choice", "question_id"),
                     key=str)
    comments = list(Comment.objects.values_list("unit__code", "text", "masked", "group__code", "question_id",
                                                "submission__ip", "reply"))
    rows = [(r[0], tokens_pk.get(r[1]), *r[2:]) for r in rows]  # which of the scenario's tokens
    comments = [(*c[:4], c[4] == sw.question.pk, *c[5:]) for c in comments]
    return [out, rows, [(str(a[0]), a[1], a[2], a[3] == sw.question.pk) for a in answers], comments]


def test_every_rule_gives_the_same_results_in_one_statement_and_query_by_query(sw, monkeypatch) -> None:
    """On PostgreSQL submit is one statement; forced through the query-by-query path (SQLite's) the same
    answer sheets give the same outcomes, statuses, reasons and rows."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement path is PostgreSQL's")
    fast = _scenario(sw)
    assert fast[0][1][:2] == ("refused", 409)
    assert [o[1] for o in fast[0]] == ["counted", 409, "counted", "flagged", "counted", "counted", "flagged", 429,
                                       "counted", "flagged", "flagged", 429, 403]
    assert "完全相同" in fast[0][3][2] and "分钟内提交超过" in fast[0][3][2]
    assert "完全相同" in fast[0][6][2] and "分钟内提交超过" not in fast[0][6][2]
    assert fast[3] and all("13812345678" not in c[2] and c[1] == "请回电 13812345678" for c in fast[3])
    Answer.objects.all().delete()
    Comment.objects.all().delete()
    Submission.objects.all().delete()
    sw.survey.refresh_from_db()

    def orm(*args):
        with transaction.atomic():
            return svc._submit_orm(*args)

    monkeypatch.setattr(svc, "_submit_pg", orm)
    assert _scenario(sw) == fast
