"""Reads of the survey office pages: results per unit and group, the live monitor, flagged submissions.

Everything is read from the count rows (a few per question, unit, group and choice, however many answers there
are) and from aggregates over submissions on their indexes; no page walks answers one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.organisation.models import Unit

from . import selectors
from .figures import DEFAULT_MIN_RESPONSES, Satisfaction, satisfaction
from .models import CHOICE_LABELS, Comment, Count, Group, Question, Submission, Survey
from .services import choices_of

HOURS = 48
TOP = 10


def choice_label(choice: str) -> str:
    return str(CHOICE_LABELS.get(choice, choice))


def min_responses(question: Question) -> int:
    return int((question.indicator.params or {}).get("min_responses", DEFAULT_MIN_RESPONSES))


# ---- results --------------------------------------------------------------------------------------------------


@dataclass
class Line:
    """The figures of one unit (group None: all its groups together) or of one unit and one group."""

    unit: Unit
    group: Group | None
    counts: list[tuple[str, int, float | None]]  # choice, answers, share of the line's answers (%)
    fig: Satisfaction


@dataclass
class QuestionResult:
    question: Question
    min_responses: int
    units: list[Line] = field(default_factory=list)
    groups: list[Line] = field(default_factory=list)

    @property
    def short(self) -> int:
        return sum(1 for line in self.units if not line.fig.enough)

    @property
    def answers(self) -> int:
        return sum(line.fig.answers for line in self.units)


def _line(unit: Unit, group: Group | None, by_choice: dict[str, int], choices: dict[str, float],
          least: int) -> Line:
    fig = satisfaction(by_choice, choices, least)
    total = fig.answers
    counts = [(c, by_choice.get(c, 0), 100.0 * by_choice.get(c, 0) / total if total else None) for c in choices]
    return Line(unit, group, counts, fig)


def results(survey: Survey) -> list[QuestionResult]:
    """Per question: each of its units (all groups together) and each unit and group, with the spec's figures.

    The sample rule is the indicator's min_responses (default 30) on the unit's answers in this survey; the engine
    applies it to the unit's answers of every survey of the cycle on that indicator added up."""
    choices = choices_of(survey.cycle)
    by_key = selectors.counts(survey)
    out = []
    for q in survey.questions.select_related("indicator").prefetch_related("units", "groups"):
        least = min_responses(q)
        groups = list(q.groups.all())
        res = QuestionResult(q, least)
        for unit in q.units.all():
            total: dict[str, int] = defaultdict(int)
            for g in groups:
                per = by_key.get((q.pk, unit.pk, g.pk), {})
                for c, n in per.items():
                    total[c] += n
                res.groups.append(_line(unit, g, per, choices, least))
            res.units.append(_line(unit, None, total, choices, least))
        out.append(res)
    return out


def pending(survey: Survey) -> dict[str, int]:
    """Submissions not in the counts yet: counted but not folded, and flagged ones waiting for review."""
    row = Submission.objects.filter(survey=survey).filter(
        Q(folded=False, status=Submission.Status.COUNTED) | Q(status=Submission.Status.FLAGGED)).aggregate(
        unfolded=CountOf("id", filter=Q(status=Submission.Status.COUNTED)),
        flagged=CountOf("id", filter=Q(status=Submission.Status.FLAGGED)))
    return {k: v or 0 for k, v in row.items()}


def write_results(buf: BytesIO, survey: Survey, rows: list[QuestionResult]) -> None:
    """The results as a workbook: one sheet per unit, one per unit and group."""
    from openpyxl import Workbook

    choices = list(choices_of(survey.cycle))
    book = Workbook(write_only=True)
    for title, attr, with_group in ((_("按单位"), "units", False), (_("按单位和群体"), "groups", True)):
        sheet = book.create_sheet(title)
        head = [_("指标编号"), _("指标"), _("问题"), _("方向"), _("单位编号"), _("单位")]
        if with_group:
            head += [_("群体代码"), _("群体")]
        head += [_("答卷数")] + [choice_label(c) for c in choices] + [_("满意度"), _("满意率（%）"),
                                                                    _("最少样本数"), _("样本")]
        sheet.append(head)
        for res in rows:
            q = res.question
            for line in getattr(res, attr):
                cells = [q.indicator.code, q.indicator.name, q.text, q.get_direction_display(), line.unit.code,
                         line.unit.name]
                if with_group:
                    cells += [line.group.code, line.group.name]
                f = line.fig
                cells += [f.answers] + [n for _c, n, _s in line.counts] + [
                    None if f.mean is None else round(f.mean, 2), None if f.approval is None else round(f.approval, 2),
                    res.min_responses, _("足够") if f.enough else _("样本不足")]
                sheet.append(cells)
    book.save(buf)


# ---- the list -------------------------------------------------------------------------------------------------


def answers_per_survey(surveys) -> dict[int, int]:
    """Answers already in the counts, per survey (one query)."""
    return dict(Count.objects.filter(survey__in=surveys).values_list("survey_id").annotate(n=Sum("n")).order_by())


def own_comments_per_survey(surveys, unit: Unit) -> dict[int, tuple[int, int]]:
    """A unit's comments per survey: (all, not answered yet)."""
    rows = (Comment.objects.filter(survey__in=surveys, unit=unit).values_list("survey_id")
            .annotate(n=CountOf("id"), open=CountOf("id", filter=Q(reply=""))).order_by())
    return {s: (n, o) for s, n, o in rows}


# ---- live monitoring ------------------------------------------------------------------------------------------


def monitor(survey: Survey, now: dt.datetime | None = None) -> dict[str, Any]:
    """The monitor's figures, as JSON-ready data: web submissions per hour over the last 48 hours (counted and
    flagged), answers per channel and per unit from the counts, and the addresses with flagged submissions in that
    window, most submissions first."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    last = timezone.localtime(now, tz).replace(minute=0, second=0, microsecond=0)
    first = last - dt.timedelta(hours=HOURS - 1)
    window = Submission.objects.filter(survey=survey, submitted_at__gte=first)

    per_hour: dict[dt.datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for hour, status, n in (window.annotate(h=TruncHour("submitted_at", tzinfo=tz)).values_list("h", "status")
                            .annotate(n=CountOf("id")).order_by()):
        per_hour[timezone.localtime(hour, tz)][status] += n
    hours = []
    for i in range(HOURS):
        at = first + dt.timedelta(hours=i)
        got = per_hour.get(at, {})
        hours.append({"at": at.strftime("%m-%d %H:00"), "counted": got.get(Submission.Status.COUNTED, 0),
                      "flagged": got.get(Submission.Status.FLAGGED, 0),
                      "rejected": got.get(Submission.Status.REJECTED, 0)})

    labels = dict(Group.Channel.choices)
    channels = [{"channel": ch, "label": str(labels.get(ch, ch)), "answers": n or 0}
                for ch, n in Count.objects.filter(survey=survey).values_list("group__channel")
                .annotate(n=Sum("n")).order_by("-n", "group__channel")]

    rated = (Unit.objects.filter(pk__in=Question.units.through.objects.filter(question__survey=survey)
                                 .values("unit_id")).order_by("code"))
    got = dict(Count.objects.filter(survey=survey).values_list("unit_id").annotate(n=Sum("n")).order_by())
    units = sorted(({"unit": u.name, "code": u.code, "answers": got.get(u.pk, 0)} for u in rated),
                   key=lambda r: (-r["answers"], r["code"]))

    # the addresses with the most flagged submissions, then all their submissions in the window on the
    # (survey, ip, submitted_at) index: no grouping of every address that answered
    flagged = dict(window.filter(status=Submission.Status.FLAGGED, ip__isnull=False).values_list("ip")
                   .annotate(f=CountOf("id")).order_by("-f", "ip")[:TOP])
    spans = {ip: (n, a, b) for ip, n, a, b in window.filter(ip__in=list(flagged)).values_list("ip")
             .annotate(n=CountOf("id"), a=Min("submitted_at"), b=Max("submitted_at")).order_by()}
    bursts = sorted(({"ip": ip, "submissions": spans[ip][0], "flagged": f,
                      "first": timezone.localtime(spans[ip][1], tz).strftime("%m-%d %H:%M"),
                      "last": timezone.localtime(spans[ip][2], tz).strftime("%m-%d %H:%M")}
                     for ip, f in flagged.items() if ip in spans), key=lambda b: (-b["submissions"], b["ip"]))

    return {
        "now": timezone.localtime(now, tz).strftime("%Y-%m-%d %H:%M:%S"),
        "totals": {"answers": sum(c["answers"] for c in channels),
                   "submissions_48h": sum(h["counted"] + h["flagged"] + h["rejected"] for h in hours),
                   "flagged_48h": sum(h["flagged"] for h in hours)},
        "hours": hours,
        "channels": channels,
        "units": {"top": units[:TOP], "bottom": list(reversed(units[-TOP:])) if len(units) > TOP else []},
        "bursts": bursts,
    }


# ---- flagged submissions --------------------------------------------------------------------------------------


@dataclass
class FlagGroup:
    reason: str
    ip: str | None
    n: int
    first: dt.datetime
    last: dt.datetime
    submissions: list[Submission] = field(default_factory=list)


SHOWN_PER_GROUP = 20


def flagged_groups(survey: Survey) -> list[FlagGroup]:
    """Flagged submissions waiting for review, by reason and address, the biggest lot first; each lot with its
    most recent submissions (a burst may hold thousands: those are reviewed together, by address)."""
    base = Submission.objects.filter(survey=survey, status=Submission.Status.FLAGGED)
    groups = [FlagGroup(r, ip, n, a, b) for r, ip, n, a, b in base.values_list("flag_reason", "ip")
              .annotate(n=CountOf("id"), a=Min("submitted_at"), b=Max("submitted_at")).order_by("-n", "ip")]
    by_key = {(g.reason, g.ip): g for g in groups}
    ips = {g.ip for g in groups if g.ip}
    shown = base.filter(Q(ip__in=ips) | Q(ip__isnull=True)).select_related("group").order_by("-submitted_at", "-id")
    for s in shown.iterator(chunk_size=500):
        g = by_key.get((s.flag_reason, s.ip))
        if g is not None and len(g.submissions) < SHOWN_PER_GROUP:
            g.submissions.append(s)
        if all(len(x.submissions) >= min(x.n, SHOWN_PER_GROUP) for x in groups):
            break
    return groups


def reviewed(survey: Survey) -> dict[str, int]:
    """How many flagged submissions the office has reviewed so far, accepted and rejected."""
    row = Submission.objects.filter(survey=survey, reviewed_at__isnull=False).aggregate(
        accepted=CountOf("id", filter=Q(status=Submission.Status.COUNTED)),
        rejected=CountOf("id", filter=Q(status=Submission.Status.REJECTED)))
    return {k: v or 0 for k, v in row.items()}


# ---- comments -------------------------------------------------------------------------------------------------


def comment_counts(comments) -> list[dict[str, Any]]:
    """Per unit: comments, answered, not answered (over the comments the person may read)."""
    rows = (comments.order_by().values("unit_id", "unit__code", "unit__name")
            .annotate(total=CountOf("id"), open=CountOf("id", filter=Q(reply=""))).order_by("unit__code"))
    return [{"unit_id": r["unit_id"], "code": r["unit__code"], "name": r["unit__name"], "total": r["total"],
             "answered": r["total"] - r["open"], "open": r["open"]} for r in rows]
