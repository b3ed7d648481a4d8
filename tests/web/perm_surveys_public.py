"""Permission rows for /s/: the public's answering page (anyone with a valid code or the open link, logged in or
not) and the office's invitations (codes, printed sheet, SMS: the office only).

The survey lives in a cycle of its own with a satisfaction indicator (the shared cycle has none), rating U1 and
U3 only, so that a county's clerk opening the public page sees nothing of the other county.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, Row, everyone, roles, row

# the survey's cycle holds U1 (a unit in it is refused, 403) but not U2 (404), nor 统计局
OFFICE_ONLY = roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING)


def _survey(w: SimpleNamespace) -> dict:
    return {"cycle": w.psurvey.cycle_id, "pk": w.psurvey.pk}


TABLE: list[Row] = [
    row("survey_answer", everyone(OK, anon=OK), lambda w: {"code": w.ptoken.code}, "an unused code"),
    row("survey_answer", everyone(410, anon=410), lambda w: {"code": w.ptoken_used.code}, "a used code"),
    row("survey_answer", everyone(MISSING, anon=MISSING), lambda w: {"code": "no-such-code-0123456789"},
        "an unknown code"),
    row("survey_open", everyone(OK, anon=OK), lambda w: {"slug": w.psurvey.open_slug}),
    row("survey_tokens", OFFICE_ONLY, _survey),
    row("survey_tokens_pdf", OFFICE_ONLY, lambda w: _survey(w) | {"group": w.pgroup.pk}),
    row("survey_sms", OFFICE_ONLY, _survey),
]

# An empty POST is a form error (the page again, 200) and writes nothing; the PDF is only read.
POSTS: list[Row] = [
    row("survey_answer", everyone(OK, anon=OK), lambda w: {"code": w.ptoken.code}, "an unused code"),
    row("survey_open", everyone(OK, anon=OK), lambda w: {"slug": w.psurvey.open_slug}),
    row("survey_tokens", OFFICE_ONLY, _survey),
    row("survey_tokens_pdf", everyone(NOT_ALLOWED), lambda w: _survey(w) | {"group": w.pgroup.pk}),
    row("survey_sms", OFFICE_ONLY, _survey),
]


def setup(w: SimpleNamespace) -> None:
    """An open survey (its own cycle) with an invitation group of two codes (one used) and an open link."""
    from kaohe.indicators.services import create_cycle, import_scenario
    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Group, Question

    cycle = create_cycle(by=w.office, year=2026, name="2026年度群众满意度测评（公开页面）")
    import_scenario(by=w.office, cycle=cycle, source="test", scenario={
        "units": [{"id": "U1", "name": "东城县", "domain": "county"}, {"id": "U3", "name": "南湖县", "domain": "county"}],
        "indicators": [{"id": "S", "name": "群众满意度", "points": 10},
                       {"id": "S1", "parent": "S", "name": "群众满意度测评", "points": 10, "method": "satisfaction"}]})
    survey = svc.create_survey(by=w.office, cycle=cycle, title="群众满意度测评", open_link=True)
    public = svc.add_group(by=w.office, survey=survey, code="public", name="群众", kind=Group.Kind.PUBLIC,
                           channel=Group.Channel.INVITATION)
    web = svc.add_group(by=w.office, survey=survey, code="web", name="网络", kind=Group.Kind.PUBLIC,
                        channel=Group.Channel.OPEN_LINK)
    question = svc.add_question(by=w.office, survey=survey, indicator=cycle.indicators.get(code="S1"),
                                direction=Question.Direction.BOTTOM_UP, text="您对以下县的工作是否满意？",
                                units=cycle.units.all(), groups=[public, web])
    svc.set_status(by=w.office, survey=survey, status="open")
    w.ptoken, w.ptoken_used = svc.make_tokens(by=w.office, survey=survey, group=public, n=2)
    svc.submit(survey=survey, group=public, token=w.ptoken_used, ip="10.0.0.1",
               answers=[(question, u, "satisfied") for u in cycle.units.all()])
    w.psurvey, w.pgroup = survey, public
