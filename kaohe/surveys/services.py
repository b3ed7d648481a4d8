"""Survey writes: design, tokens, submissions from the public page (with the anti-stuffing rules), folding
answers into counts, review of flagged submissions, answers to comments.

Design changes, token batches, reviews and replies are audited; the public's submissions are append-only rows
of their own (one audit entry each would be millions), and imports are audited once per file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count as CountOf
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import record
from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Unit
from kaohe.web import access

from .masking import mask
from .models import Answer, Comment, Count, Group, Question, Submission, Survey, Token

FOLD_CHUNK = 2000
COMMENT_MAX = 1000


class SurveyRefused(Exception):
    """An office-side change the survey's state or the person's role does not allow."""


class SubmissionRefused(Exception):
    """A public submission refused, with the message shown and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _require_office(by) -> None:
    if not access.is_office(by):
        raise SurveyRefused(_("只有考核办可以做这项操作。"))


def new_code() -> str:
    """A one-time code: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def choices_of(cycle: Cycle) -> dict[str, float]:
    """The cycle's answer choices and their values (spec: settings.choices, else the default four)."""
    from .figures import DEFAULT_CHOICES

    return dict((cycle.settings or {}).get("choices") or DEFAULT_CHOICES)


# ---- design -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_survey(*, by, cycle: Cycle, title: str, intro: str = "", open_link: bool = False,
                  opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None) -> Survey:
    _require_office(by)
    title = title.strip()
    if not title:
        raise SurveyRefused(_("请填写测评名称。"))
    survey = Survey.objects.create(cycle=cycle, title=title, intro=intro.strip(), open_link=open_link,
                                   open_slug=new_code(), opens_at=opens_at, closes_at=closes_at, created_by=by)
    record(by=by, action="create", obj=survey, cycle_id=cycle.pk,
           changes={"title": [None, title], "open_link": [None, open_link]})
    return survey


@transaction.atomic
def add_group(*, by, survey: Survey, code: str, name: str, kind: str, channel: str) -> Group:
    _require_office(by)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise SurveyRefused(_("群体的代码和名称不能为空。"))
    if kind not in Group.Kind.values or channel not in Group.Channel.values:
        raise SurveyRefused(_("未知的群体或渠道。"))
    if survey.groups.filter(code=code).exists():
        raise SurveyRefused(_("已有代码为“%(c)s”的群体。") % {"c": code})
    group = Group.objects.create(survey=survey, code=code, name=name, kind=kind, channel=channel)
    record(by=by, action="group", obj=survey, cycle_id=survey.cycle_id,
           changes={"group": [None, code], "name": [None, name], "kind": [None, kind], "channel": [None, channel]})
    return group


def _check_question(survey: Survey, indicator: Indicator, direction: str, units: list[Unit],
                    groups: list[Group]) -> None:
    if indicator.cycle_id != survey.cycle_id or indicator.method != "satisfaction":
        raise SurveyRefused(_("测评问题须对应本考核周期中计分方法为“满意度测评”的指标。"))
    if direction not in Question.Direction.values:
        raise SurveyRefused(_("未知的测评方向。"))
    if not units:
        raise SurveyRefused(_("请选择被测评单位。"))
    if not groups or any(g.survey_id != survey.pk for g in groups):
        raise SurveyRefused(_("请选择本测评的作答群体。"))
    cycle_units = set(survey.cycle.units.values_list("pk", flat=True))
    if any(u.pk not in cycle_units for u in units):
        raise SurveyRefused(_("被测评单位须是本考核周期的考核对象。"))


@transaction.atomic
def add_question(*, by, survey: Survey, indicator: Indicator, direction: str, text: str, units: Iterable[Unit],
                 groups: Iterable[Group], order: int = 0) -> Question:
    """A question rates its units on a satisfaction indicator of the survey's cycle; its groups answer it."""
    _require_office(by)
    units, groups = list(units), list(groups)
    _check_question(survey, indicator, direction, units, groups)
    question = Question.objects.create(survey=survey, indicator=indicator, direction=direction,
                                       text=text.strip() or indicator.name, order=order)
    question.units.set(units)
    question.groups.set(groups)
    record(by=by, action="question", obj=survey, cycle_id=survey.cycle_id, changes={
        "question": [None, question.text], "indicator": [None, indicator.code], "direction": [None, direction],
        "units": [None, sorted(u.code for u in units)], "groups": [None, sorted(g.code for g in groups)]})
    return question


def _collected_for(*, group: Group | None = None, question: Question | None = None) -> bool:
    """Whether anything was collected for the group or question: codes, answers (web or imported: an import adds
    its counts in its own transaction), comments. Only indexed lookups, or lookups within the survey's own rows."""
    survey = (group or question).survey
    if group is not None:
        return (Token.objects.filter(group=group).exists() or Count.objects.filter(group=group).exists()
                or Comment.objects.filter(group=group).exists()
                or survey.submissions.filter(group=group).exists())
    return (Count.objects.filter(question=question).exists() or Comment.objects.filter(question=question).exists()
            or Answer.objects.filter(submission__survey=survey, question=question).exists())


def _may_remove(by, *, group: Group | None = None, question: Question | None = None, if_started: str,
                if_collected: str) -> Survey:
    """A group or question is removed only by the office, while its survey is in design, when nothing was
    collected for it; otherwise the refusal says which rule stopped it. Returns the survey."""
    _require_office(by)
    survey = (group or question).survey
    if survey.status != Survey.Status.DRAFT:
        raise SurveyRefused(if_started)
    if _collected_for(group=group, question=question):
        raise SurveyRefused(if_collected)
    return survey


@transaction.atomic
def update_group(*, by, group: Group, name: str, kind: str, channel: str) -> Group:
    """Rename a group at any time; change its kind or channel while the survey is being designed (afterwards the
    answers already given are counted and shown by them). Its code stays: codes and imported files use it."""
    _require_office(by)
    name = name.strip()
    if not name:
        raise SurveyRefused(_("群体的代码和名称不能为空。"))
    if kind not in Group.Kind.values or channel not in Group.Channel.values:
        raise SurveyRefused(_("未知的群体或渠道。"))
    group = Group.objects.select_for_update().select_related("survey").get(pk=group.pk)
    if (kind, channel) != (group.kind, group.channel) and (
            group.survey.status != Survey.Status.DRAFT or _collected_for(group=group)):
        raise SurveyRefused(_("测评开始后（或该群体已有邀请码、答卷后）只能修改群体名称。"))
    changes = {k: [getattr(group, k), v] for k, v in (("name", name), ("kind", kind), ("channel", channel))
               if getattr(group, k) != v}
    if changes:
        for k, (_old, v) in changes.items():
            setattr(group, k, v)
        group.save(update_fields=list(changes))
        record(by=by, action="group", obj=group.survey, cycle_id=group.survey.cycle_id,
               changes={"group": [group.code, group.code], **changes})
    return group


@transaction.atomic
def remove_group(*, by, group: Group) -> None:
    """Remove a group while the survey is being designed and nothing was collected for it."""
    survey = _may_remove(by, group=group, if_started=_("测评开始后不能删除作答群体，只能修改名称。"),
                         if_collected=_("该群体已有邀请码或答卷，不能删除。"))
    record(by=by, action="group_removed", obj=survey, cycle_id=survey.cycle_id,
           changes={"group": [group.code, None], "name": [group.name, None]})
    group.delete()


@transaction.atomic
def update_question(*, by, question: Question, text: str, indicator: Indicator | None = None,
                    direction: str | None = None, units: Iterable[Unit] | None = None,
                    groups: Iterable[Group] | None = None) -> Question:
    """Change a question. While the survey is being designed everything may change (the same checks as adding
    one); once it has started only the wording, since answers were given to these units on this indicator."""
    _require_office(by)
    question = Question.objects.select_for_update().select_related("survey__cycle", "indicator").get(pk=question.pk)
    survey = question.survey
    design = (indicator, direction, units, groups)
    if survey.status != Survey.Status.DRAFT and any(x is not None for x in design):
        raise SurveyRefused(_("测评开始后只能修改问题的文字。"))
    old = {"question": question.text, "indicator": question.indicator.code, "direction": question.direction,
           "units": sorted(question.units.values_list("code", flat=True)),
           "groups": sorted(question.groups.values_list("code", flat=True))}
    new = dict(old)
    if survey.status == Survey.Status.DRAFT:
        indicator, direction = indicator or question.indicator, direction or question.direction
        units = list(units) if units is not None else list(question.units.all())
        groups = list(groups) if groups is not None else list(question.groups.all())
        _check_question(survey, indicator, direction, units, groups)
        new |= {"indicator": indicator.code, "direction": direction, "units": sorted(u.code for u in units),
                "groups": sorted(g.code for g in groups)}
        changed = any(new[k] != old[k] for k in ("indicator", "direction", "units", "groups"))
        if changed and _collected_for(question=question):  # a survey taken back into design after answers
            raise SurveyRefused(_("该问题已有答卷，只能修改问题的文字。"))
        question.indicator, question.direction = indicator, direction
        question.units.set(units)
        question.groups.set(groups)
    question.text = new["question"] = text.strip() or question.indicator.name
    question.save(update_fields=["text", "indicator", "direction"])
    changes = {k: [old[k], new[k]] for k in old if old[k] != new[k]}
    if changes:
        record(by=by, action="question", obj=survey, cycle_id=survey.cycle_id,
               changes={"question_id": [question.pk, question.pk], **changes})
    return question


@transaction.atomic
def remove_question(*, by, question: Question) -> None:
    """Remove a question while the survey is being designed and nothing was collected for it."""
    survey = _may_remove(by, question=question, if_started=_("测评开始后不能删除测评问题。"),
                         if_collected=_("该问题已有答卷，不能删除。"))
    record(by=by, action="question_removed", obj=survey, cycle_id=survey.cycle_id,
           changes={"question": [question.text, None], "indicator": [question.indicator.code, None]})
    question.delete()


@transaction.atomic
def set_status(*, by, survey: Survey, status: str) -> Survey:
    """Open (测评开始) or close (测评结束) a survey; it opens only with at least one complete question."""
    _require_office(by)
    if status not in Survey.Status.values:
        raise SurveyRefused(_("未知的状态。"))
    if status == survey.status:
        return survey
    if status == Survey.Status.OPEN and not survey.questions.filter(units__isnull=False, groups__isnull=False).exists():
        raise SurveyRefused(_("测评至少要有一个问题（含被测评单位和作答群体）才能开始。"))
    old, survey.status = survey.status, status
    survey.save(update_fields=["status"])
    record(by=by, action="status", obj=survey, cycle_id=survey.cycle_id, changes={"status": [old, status]})
    return survey


@transaction.atomic
def make_tokens(*, by, survey: Survey, group: Group, n: int, sent_to: Sequence[str] = ()) -> list[Token]:
    """n one-time invitation codes for a group (sent_to: masked phone numbers when sent by SMS)."""
    _require_office(by)
    if group.survey_id != survey.pk:
        raise SurveyRefused(_("群体不属于该测评。"))
    if not 1 <= n <= 100_000:
        raise SurveyRefused(_("一次可生成 1 到 100000 个邀请码。"))
    tokens = Token.objects.bulk_create(
        [Token(survey=survey, group=group, code=new_code(), sent_to=sent_to[i] if i < len(sent_to) else "")
         for i in range(n)], batch_size=5000)
    record(by=by, action="tokens", obj=survey, cycle_id=survey.cycle_id,
           changes={"group": [None, group.code], "tokens": [None, n]})
    return tokens


# ---- the public's submissions -------------------------------------------------------------------------------


def is_open(survey: Survey, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (survey.status == Survey.Status.OPEN and (survey.opens_at is None or survey.opens_at <= now)
            and (survey.closes_at is None or now < survey.closes_at))


def fingerprint(answers: Sequence[tuple[int, int, str]], comments: Sequence[tuple[int, str]]) -> str:
    """The same answers and comments give the same fingerprint, whatever the order they came in."""
    text = "|".join(f"{q}:{u}:{c}" for q, u, c in sorted(answers)) + "#" + "|".join(
        f"{u}:{t.strip()}" for u, t in sorted(comments))
    return hashlib.sha256(text.encode()).hexdigest()


def submit(*, survey: Survey, group: Group, answers: Sequence[tuple[Question, Unit, str]],
           comments: Sequence[tuple[Question | None, Unit, str]] = (), token: Token | None = None,
           ip: str | None = None, device: str = "") -> Submission:
    """Store one respondent's answers; refuse a spent token or an open-link submission beyond its limits;
    flag (do not drop) a burst from one address or a duplicate from the same address or device.

    `answers` are (question, unit, choice) already checked against the survey's design by the form.

    On PostgreSQL it is one statement (the token's conditional update, the limits, the burst and duplicate
    checks, the submission, its answers and comments), committed on its own unless the caller holds a
    transaction: one round trip per answer sheet. Elsewhere (SQLite) the same rules run query by query in a
    transaction. Both give the same results and refusals.
    """
    now = timezone.now()
    if not is_open(survey, now):
        raise SubmissionRefused(_("本次测评未在进行中。"), status=403)
    if not answers:
        raise SubmissionRefused(_("请至少评价一个单位。"))
    if token is None and not survey.open_link:
        raise SubmissionRefused(_("本次测评未开放公开链接。"), status=403)
    clean_comments = [(q, u, t.strip()[:COMMENT_MAX]) for q, u, t in comments if t and t.strip()]
    fp = fingerprint([(q.pk, u.pk, c) for q, u, c in answers], [(u.pk, t) for _q, u, t in clean_comments])
    if connection.vendor == "postgresql":
        return _submit_pg(survey, group, answers, clean_comments, token, ip, device, fp, now)
    with transaction.atomic():
        return _submit_orm(survey, group, answers, clean_comments, token, ip, device, fp, now)


def _refused_spent() -> SubmissionRefused:
    return SubmissionRefused(_("该邀请码已使用过，每个邀请码只能作答一次。感谢您的参与！"), status=409)


def _refused_ip() -> SubmissionRefused:
    return SubmissionRefused(_("该网络地址提交过于频繁，请稍后再试。"), status=429)


def _refused_device() -> SubmissionRefused:
    return SubmissionRefused(_("本设备已参与过本次测评，感谢您的参与！"), status=429)


def _burst_reason(survey: Survey) -> str:
    return _("同一地址 %(m)d 分钟内提交超过 %(n)d 份") % {"m": survey.burst_minutes, "n": survey.burst_count}


def _duplicate_reason() -> str:
    return _("与同一地址或设备的答卷完全相同")


def _submit_orm(survey, group, answers, clean_comments, token, ip, device, fp, now) -> Submission:
    channel = group.channel
    if token is not None:
        # one answer per token: the conditional update is the guard, whatever the concurrency
        if Token.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=now) != 1:
            raise _refused_spent()
    else:
        channel = Group.Channel.OPEN_LINK
        recent = Submission.objects.filter(survey=survey, ip=ip, token__isnull=True,
                                           submitted_at__gte=now - dt.timedelta(hours=1)).count()
        if ip and recent >= survey.limit_per_ip:
            raise _refused_ip()
        if device and Submission.objects.filter(survey=survey, device=device, token__isnull=True
                                                ).count() >= survey.limit_per_device:
            raise _refused_device()
    reasons = []
    if ip:
        burst = Submission.objects.filter(survey=survey, ip=ip,
                                          submitted_at__gte=now - dt.timedelta(minutes=survey.burst_minutes)).count()
        if burst >= survey.burst_count:
            reasons.append(_burst_reason(survey))
    same = Submission.objects.filter(survey=survey, fingerprint=fp)
    if (ip and same.filter(ip=ip).exists()) or (device and same.filter(device=device).exists()):
        reasons.append(_duplicate_reason())
    sub = Submission.objects.create(survey=survey, group=group, token=token, channel=channel, ip=ip or None,
                                    device=device[:32], fingerprint=fp,
                                    status=Submission.Status.FLAGGED if reasons else Submission.Status.COUNTED,
                                    flag_reason="；".join(reasons)[:200])
    Answer.objects.bulk_create([Answer(submission=sub, question=q, unit=u, choice=c) for q, u, c in answers])
    if clean_comments:
        Comment.objects.bulk_create([Comment(survey=survey, question=q, unit=u, group=group, submission=sub, text=t,
                                             masked=mask(t)) for q, u, t in clean_comments])
    return sub


def prepared_row(sql: str, params) -> tuple | None:
    """One row of a statement run on PostgreSQL with server-side parameters, prepared on the connection (parsed
    once, not per request); Django's cursor binds on the client and cannot. Queries logged as by Django's cursor (tests count them)."""
    import psycopg

    with connection.cursor() as wrapper:  # connects if needed; the debug/test query capture sees the statement
        with wrapper.db.wrap_database_errors, psycopg.Cursor(connection.connection) as cur:
            if connection.queries_logged:
                connection.queries_log.append({"sql": sql, "time": "0.000"})
            cur.execute(sql, params, prepare=True)  # Django turns psycopg's automatic preparing off
            return cur.fetchone()


# One statement: its parts share one snapshot, as the queries of _submit_orm share their transaction; the token's
# conditional UPDATE waits for a concurrent one on the same row and then finds it spent (READ COMMITTED
# re-check), so a code still counts once. Nothing is written unless the gate (token spent now, or the open link's
# limits) lets the submission in.
_SUBMIT_SQL = """
WITH spent AS (
    UPDATE surveys_token SET used_at = %(now)s WHERE id = %(token)s AND used_at IS NULL RETURNING id
), chk AS (
    SELECT (SELECT count(*) FROM spent) AS spent,
           CASE WHEN %(open)s AND %(ip)s::inet IS NOT NULL THEN (
               SELECT count(*) FROM surveys_submission WHERE survey_id = %(survey)s AND ip = %(ip)s::inet
               AND token_id IS NULL AND submitted_at >= %(hour_ago)s) ELSE 0 END AS recent,
           CASE WHEN %(open)s AND %(device)s <> '' THEN (
               SELECT count(*) FROM surveys_submission WHERE survey_id = %(survey)s AND device = %(device)s
               AND token_id IS NULL) ELSE 0 END AS per_device,
           %(ip)s::inet IS NOT NULL AND (
               SELECT count(*) FROM surveys_submission WHERE survey_id = %(survey)s AND ip = %(ip)s::inet
               AND submitted_at >= %(burst_since)s) >= %(burst_count)s AS burst,
           EXISTS (SELECT 1 FROM surveys_submission WHERE survey_id = %(survey)s AND fingerprint = %(fp)s
                   AND (ip = %(ip)s::inet OR (%(device)s <> '' AND device = %(device)s))) AS dup
), ok AS (
    SELECT burst, dup FROM chk
    WHERE CASE WHEN %(open)s THEN recent < %(limit_ip)s AND per_device < %(limit_device)s ELSE spent = 1 END
), sub AS (
    INSERT INTO surveys_submission (survey_id, group_id, token_id, channel, ip, device, fingerprint, status,
                                    flag_reason, folded, submitted_at)
    SELECT %(survey)s, %(group)s, %(token)s, %(channel)s, %(ip)s::inet, %(device32)s, %(fp)s,
           CASE WHEN burst OR dup THEN 'flagged' ELSE 'counted' END,
           left(concat_ws('；', CASE WHEN burst THEN %(why_burst)s END, CASE WHEN dup THEN %(why_dup)s END), 200),
           false, %(now)s
    FROM ok RETURNING id, status, flag_reason
), answers AS (
    INSERT INTO surveys_answer (submission_id, question_id, unit_id, choice)
    SELECT sub.id, a.q, a.u, a.c FROM sub, unnest(%(aq)s::bigint[], %(au)s::bigint[], %(ac)s::text[]) AS a(q, u, c)
), comments AS (
    INSERT INTO surveys_comment (survey_id, question_id, unit_id, group_id, submission_id, text, masked, created_at,
                                 reply)
    SELECT %(survey)s, c.q, c.u, %(group)s, sub.id, c.t, c.m, %(now)s, ''
    FROM sub, unnest(%(cq)s::bigint[], %(cu)s::bigint[], %(ct)s::text[], %(cm)s::text[]) AS c(q, u, t, m)
)
SELECT chk.spent, chk.recent, chk.per_device, sub.id, sub.status, sub.flag_reason FROM chk LEFT JOIN sub ON true
"""


def _submit_pg(survey, group, answers, clean_comments, token, ip, device, fp, now) -> Submission:
    open_link = token is None
    params = {
        "now": now, "token": token.pk if token is not None else None, "open": open_link, "ip": ip or None,
        "device": device, "device32": device[:32], "survey": survey.pk, "group": group.pk, "fp": fp,
        "hour_ago": now - dt.timedelta(hours=1), "burst_since": now - dt.timedelta(minutes=survey.burst_minutes),
        "burst_count": survey.burst_count, "limit_ip": survey.limit_per_ip, "limit_device": survey.limit_per_device,
        "channel": Group.Channel.OPEN_LINK if open_link else group.channel,
        "why_burst": _burst_reason(survey), "why_dup": _duplicate_reason(),
        "aq": [q.pk for q, _u, _c in answers], "au": [u.pk for _q, u, _c in answers], "ac": [c for _q, _u, c in answers],
        "cq": [q.pk if q is not None else None for q, _u, _t in clean_comments],
        "cu": [u.pk for _q, u, _t in clean_comments], "ct": [t for _q, _u, t in clean_comments],
        "cm": [mask(t) for _q, _u, t in clean_comments],
    }
    spent, recent, per_device, pk, status, reason = prepared_row(_SUBMIT_SQL, params)
    if pk is None:
        if not open_link:
            raise _refused_spent()
        if ip and recent >= survey.limit_per_ip:
            raise _refused_ip()
        raise _refused_device()
    sub = Submission(pk=pk, survey=survey, group=group, token=token, channel=params["channel"], ip=ip or None,
                     device=params["device32"], fingerprint=fp, status=status, flag_reason=reason, folded=False,
                     submitted_at=now)
    sub._state.adding, sub._state.db = False, connection.alias
    return sub


@transaction.atomic
def review(*, by, submission: Submission, accept: bool, note: str = "") -> Submission:
    """The office's review of a flagged submission: counted (it is folded in next) or rejected (kept, not counted)."""
    _require_office(by)
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    if sub.status != Submission.Status.FLAGGED:
        raise SurveyRefused(_("只有待复核的答卷可以复核。"))
    sub.status = Submission.Status.COUNTED if accept else Submission.Status.REJECTED
    sub.reviewed_by, sub.reviewed_at = by, timezone.now()
    sub.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record(by=by, action="review", obj=sub.survey, cycle_id=sub.survey.cycle_id, reason=note.strip(),
           changes={"submission": [None, sub.pk], "status": [Submission.Status.FLAGGED, sub.status],
                    "flag_reason": [None, sub.flag_reason]})
    return sub


# ---- counts -------------------------------------------------------------------------------------------------


def add_counts(rows: Iterable[tuple[int, int, int, int, str, int]]) -> None:
    """Add (survey, question, unit, group, choice, n) to the counts: one upsert per row, inside the caller's
    transaction (INSERT … ON CONFLICT … DO UPDATE, on PostgreSQL and SQLite alike)."""
    table = Count._meta.db_table
    sql = (f"INSERT INTO {table} (survey_id, question_id, unit_id, group_id, choice, n) VALUES (%s, %s, %s, %s, %s, %s) "
           f"ON CONFLICT (question_id, unit_id, group_id, choice) DO UPDATE SET n = {table}.n + excluded.n")
    rows = list(rows)
    if rows:
        with connection.cursor() as cur:
            cur.executemany(sql, rows)


def fold_counts(survey: Survey | None = None) -> int:
    """Fold the answers of counted submissions not yet in the counts into them; returns submissions folded.

    Each submission is folded once: it is locked (skipped when another fold holds it) and marked in the same
    transaction that adds its answers. Web requests never touch the count rows, so they never wait on them.
    """
    folded = 0
    while True:
        with transaction.atomic():
            pending = Submission.objects.filter(folded=False, status=Submission.Status.COUNTED)
            if survey is not None:
                pending = pending.filter(survey=survey)
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            ids = list(pending.order_by("pk").values_list("pk", flat=True)[:FOLD_CHUNK])
            if not ids:
                return folded
            agg = (Answer.objects.filter(submission_id__in=ids)
                   .values_list("submission__survey_id", "question_id", "unit_id", "submission__group_id", "choice")
                   .annotate(n=CountOf("id")).order_by())
            add_counts(agg)
            Submission.objects.filter(pk__in=ids).update(folded=True)
            folded += len(ids)


# ---- comments -----------------------------------------------------------------------------------------------


@transaction.atomic
def reply_comment(*, by, comment: Comment, text: str) -> Comment:
    """The unit concerned answers a comment (the office may answer for it)."""
    unit = access.own_unit(by)
    if not access.is_office(by) and (unit is None or unit.pk != comment.unit_id):
        raise SurveyRefused(_("只有被评价的单位可以答复该意见。"))
    text = text.strip()
    if not text:
        raise SurveyRefused(_("请填写答复内容。"))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    old = comment.reply
    comment.reply, comment.replied_by, comment.replied_at = text, by, timezone.now()
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    record(by=by, action="reply", obj=comment.survey, cycle_id=comment.survey.cycle_id,
           changes={"comment": [None, comment.pk], "reply": [old or None, text]})
    return comment


# ---- the office's settings and bulk review (survey office pages) --------------------------------------------

SETTINGS_FIELDS = ("title", "intro", "opens_at", "closes_at", "open_link", "limit_per_ip", "limit_per_device",
                   "burst_minutes", "burst_count")


@transaction.atomic
def update_survey(*, by, survey: Survey, **fields) -> Survey:
    """Change a survey's settings (name, dates, open link, limits, burst thresholds); only what changed is
    written and audited."""
    _require_office(by)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise SurveyRefused(_("未知的测评设置：%(f)s") % {"f": "、".join(sorted(unknown))})
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise SurveyRefused(_("请填写测评名称。"))
    if "intro" in fields:
        fields["intro"] = (fields["intro"] or "").strip()
    for name in ("limit_per_ip", "limit_per_device", "burst_minutes", "burst_count"):
        if name in fields and (fields[name] is None or int(fields[name]) < 1):
            raise SurveyRefused(_("次数和时段须为正整数。"))
    opens, closes = fields.get("opens_at", survey.opens_at), fields.get("closes_at", survey.closes_at)
    if opens and closes and closes <= opens:
        raise SurveyRefused(_("结束时间须晚于开始时间。"))
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changes = {k: [getattr(survey, k), v] for k, v in fields.items() if getattr(survey, k) != v}
    if not changes:
        return survey
    for k, (_old, new) in changes.items():
        setattr(survey, k, new)
    survey.save(update_fields=list(changes))
    record(by=by, action="update", obj=survey, cycle_id=survey.cycle_id, changes=changes)
    return survey


@transaction.atomic
def review_from_ip(*, by, survey: Survey, ip: str, accept: bool, note: str = "") -> int:
    """Review every flagged submission of a survey from one address at once (a burst): one audit entry for the
    lot, with how many; returns that number."""
    _require_office(by)
    status = Submission.Status.COUNTED if accept else Submission.Status.REJECTED
    flagged = Submission.objects.filter(survey=survey, ip=ip, status=Submission.Status.FLAGGED)
    n = flagged.update(status=status, reviewed_by=by, reviewed_at=timezone.now())
    if n:
        record(by=by, action="review", obj=survey, cycle_id=survey.cycle_id, reason=note.strip(),
               changes={"ip": [None, ip], "status": [Submission.Status.FLAGGED, status], "submissions": [None, n]})
    return n
