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
