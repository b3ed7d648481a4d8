"""Permission rows for the survey office pages (see test_permissions.py for how they are read).

The office designs and runs surveys and reviews flagged answers; leaders read every page and change nothing; an
assessed county opens the list and the comments about itself, and answers those (another county's looks missing);
统计局, not assessed in the cycle, sees no survey.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, SKIP, Row, everyone, roles, row


def _survey(w: SimpleNamespace) -> dict:
    return {"cycle": w.cycle.pk, "pk": w.office_survey.pk}


def _comment(which: str):
    return lambda w: _survey(w) | {"comment": getattr(w, f"office_comment_{which}").pk}


def _group(w: SimpleNamespace) -> dict:
    return _survey(w) | {"group": w.office_group.pk}


def _question(w: SimpleNamespace) -> dict:
    return _survey(w) | {"question": w.office_question.pk}


def _sub(w: SimpleNamespace) -> dict:
    return _survey(w) | {"sub": w.office_flagged.pk}


def _cycle(w: SimpleNamespace) -> dict:
    return {"cycle": w.cycle.pk}


READERS = roles(OK, OK, MISSING, MISSING, MISSING)  # a survey's office pages are no unit's to see
OFFICE_WRITES = roles(OK, FORBIDDEN, MISSING, MISSING, MISSING)  # an empty POST: the form again, nothing written
OFFICE_REMOVES = roles(SKIP, FORBIDDEN, MISSING, MISSING, MISSING)  # the office's removal: tested with the view

TABLE: list[Row] = [
    row("survey_list", everyone(OK), _cycle),
    row("survey_new", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), _cycle),
    row("survey_detail", READERS, _survey),
    row("survey_settings", everyone(NOT_ALLOWED), _survey),
    row("survey_group_add", everyone(NOT_ALLOWED), _survey),
    row("survey_question_add", everyone(NOT_ALLOWED), _survey),
    row("survey_group_edit", everyone(NOT_ALLOWED), _group),
    row("survey_group_remove", everyone(NOT_ALLOWED), _group),
    row("survey_question_edit", OFFICE_WRITES, _question),
    row("survey_question_remove", everyone(NOT_ALLOWED), _question),
    row("survey_status", everyone(NOT_ALLOWED), _survey),
    row("survey_results", READERS, _survey),
    row("survey_results_export", READERS, _survey),
    row("survey_monitor", READERS, _survey),
    row("survey_monitor_data", READERS, _survey),
    row("survey_flagged", READERS, _survey),
    row("survey_review", everyone(NOT_ALLOWED), _sub),
    row("survey_comments", roles(OK, OK, MISSING, OK, OK), _survey),
    row("survey_comment_reply", everyone(NOT_ALLOWED), _comment("u1"), "U1"),
]

POSTS: list[Row] = [
    row("survey_new", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), _cycle),
    row("survey_settings", OFFICE_WRITES, _survey),
    row("survey_group_add", OFFICE_WRITES, _survey),
    row("survey_question_add", OFFICE_WRITES, _survey),
    row("survey_group_edit", OFFICE_WRITES, _group),
    row("survey_group_remove", OFFICE_REMOVES, _group),
    row("survey_question_edit", OFFICE_WRITES, _question),
    row("survey_question_remove", OFFICE_REMOVES, _question),
    # an empty status change goes back to the design page with a message: tested with the view
    row("survey_status", roles(SKIP, FORBIDDEN, MISSING, MISSING, MISSING), _survey),
    row("survey_flagged", OFFICE_WRITES, _survey),  # reviewing an address's lot needs the address
    row("survey_review", OFFICE_WRITES, _sub),
    row("survey_comment_reply", roles(OK, FORBIDDEN, MISSING, OK, MISSING), _comment("u1"), "U1"),
    row("survey_comment_reply", roles(OK, FORBIDDEN, MISSING, MISSING, OK), _comment("u2"), "U2"),
]


def setup(w: SimpleNamespace) -> None:
    """A draft survey of the cycle with a group, a question, one comment about each county and one flagged
    submission (the cycle has no satisfaction leaf, so they are made as the services would leave them)."""
    from kaohe.surveys import services as svc
    from kaohe.surveys.masking import mask
    from kaohe.surveys.models import Comment, Group, Question, Submission

    w.office_survey = svc.create_survey(by=w.office, cycle=w.cycle, title="2026年度群众满意度测评（权限）")
    group = svc.add_group(by=w.office, survey=w.office_survey, code="public", name="群众", kind=Group.Kind.PUBLIC,
                          channel=Group.Channel.OPEN_LINK)
    w.office_group = group
    w.office_question = Question.objects.create(survey=w.office_survey, indicator=w.cycle.indicators.first(),
                                                direction=Question.Direction.BOTTOM_UP, text="您对以下单位是否满意？")
    w.office_question.groups.set([group])
    w.office_flagged = Submission.objects.create(survey=w.office_survey, group=group, channel=group.channel,
                                                 ip="10.1.2.3", fingerprint="x" * 64,
                                                 status=Submission.Status.FLAGGED, flag_reason="同一地址集中提交")
    for name, unit in (("u1", w.unit1), ("u2", w.unit2)):
        text = f"{unit.name}办事要跑好几趟，联系电话 13900001111"
        setattr(w, f"office_comment_{name}", Comment.objects.create(
            survey=w.office_survey, unit=unit, group=group, text=text, masked=mask(text)))
