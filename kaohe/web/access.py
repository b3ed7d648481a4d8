"""Who may see and change what: the one place where that question is answered.

Roles (organisation.Profile.role):
- office (考核办): everything.
- leader (领导): reads everything, changes nothing.
- unit (单位): reads its own targets, values and results; enters values on the indicators its
  unit leads (评分牵头单位) for every unit. Never sees another unit's results.
Each getter returns the object or raises Http404, so that a forbidden object and a missing
one look the same from outside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kaohe.indicators.models import Cycle, Indicator
from kaohe.organisation.models import Profile, Unit
from kaohe.results.models import Run, RunUnit

if TYPE_CHECKING:
    from kaohe.ratings.models import Rater
    from kaohe.register.models import Entry
    from kaohe.reporting.models import Evidence, Problem, Report

User = AbstractBaseUser | AnonymousUser


def profile(user: User) -> Profile | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "profile", None)


def role(user: User) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Profile.Role.OFFICE
    p = profile(user)
    return p.role if p else None


def is_office(user: User) -> bool:
    return role(user) == Profile.Role.OFFICE


def reads_everything(user: User) -> bool:
    return role(user) in (Profile.Role.OFFICE, Profile.Role.LEADER)


def own_unit(user: User) -> Unit | None:
    p = profile(user)
    return p.unit if p and p.role == Profile.Role.UNIT else None


def require_office(user: User) -> None:
    if not is_office(user):
        raise PermissionDenied


def cycles_for(user: User) -> QuerySet[Cycle]:
    if reads_everything(user):
        return Cycle.objects.all()
    unit = own_unit(user)
    if unit is None:
        return Cycle.objects.none()
    return (Cycle.objects.filter(units=unit).distinct() | Cycle.objects.filter(indicators__lead_unit=unit).distinct()
            | Cycle.objects.filter(raters__unit=unit).distinct() | Cycle.objects.filter(raters__user=user).distinct())


def get_cycle_for_user(user: User, pk: int) -> Cycle:
    return get_object_or_404(cycles_for(user).distinct(), pk=pk)


def units_visible(user: User, cycle: Cycle) -> QuerySet[Unit]:
    """Units whose results this user may read."""
    if reads_everything(user):
        return cycle.units.all()
    unit = own_unit(user)
    return cycle.units.filter(pk=unit.pk) if unit else Unit.objects.none()


def indicators_led(user: User, cycle: Cycle) -> QuerySet[Indicator]:
    """Leaves whose values this user may enter: all of them for the office, its own for a lead unit."""
    leaves = cycle.indicators.exclude(method="")
    if is_office(user):
        return leaves
    unit = own_unit(user)
    return leaves.filter(lead_unit=unit) if unit else Indicator.objects.none()


def get_indicator_for_user(user: User, cycle: Cycle, pk: int, write: bool = False) -> Indicator:
    if write:
        return get_object_or_404(indicators_led(user, cycle), pk=pk)
    if reads_everything(user):
        return get_object_or_404(cycle.indicators, pk=pk)
    # a unit reads the indicators that apply to it and those it leads
    return get_object_or_404(cycle.indicators, pk=pk)


def runs_visible(user: User, cycle: Cycle) -> QuerySet[Run]:
    """The office sees every computation; leaders and units only the versions made public (公示 or final)."""
    if is_office(user):
        return cycle.runs.all()
    return cycle.runs.filter(notice_at__isnull=False)


def get_run_for_user(user: User, cycle: Cycle, pk: int) -> Run:
    return get_object_or_404(runs_visible(user, cycle), pk=pk)


def get_run_unit_for_user(user: User, run: Run, unit_pk: int) -> RunUnit:
    row = get_object_or_404(RunUnit.objects.select_related("unit", "run"), run=run, unit_id=unit_pk)
    if not reads_everything(user) and own_unit(user) != row.unit:
        raise Http404
    return row


# --- the yearly cycle: reports, evidence, problems, the register, rating sheets ---------------------------

def get_report_for_user(user: User, cycle: Cycle, pk: int) -> Report:
    """Read a report: the office and leaders all, a unit its own, a lead unit those on the leaves it leads."""
    from kaohe.reporting.models import Report

    report = get_object_or_404(Report.objects.select_related("indicator", "unit", "phase"), cycle=cycle, pk=pk)
    if reads_everything(user):
        return report
    unit = own_unit(user)
    if unit is not None and unit.pk in (report.unit_id, report.indicator.lead_unit_id):
        return report
    raise Http404


def may_review(user: User, report: Report) -> bool:
    """审核 is the work of the leaf's scoring lead unit; the office may do it in its place."""
    if is_office(user):
        return True
    unit = own_unit(user)
    return unit is not None and report.indicator.lead_unit_id == unit.pk


def may_read_evidence(user: User, evidence: Evidence) -> bool:
    """A file is read by those who may read what it is attached to: never by another assessed unit."""
    if reads_everything(user):
        return True
    unit = own_unit(user)
    if unit is None:
        return False
    if evidence.unit_id == unit.pk:
        return True
    if evidence.supervision_progress.filter(item__lead_unit=unit).exists():
        return True  # the lead unit of a supervision item reads what its responsible units attached
    return evidence.reports.filter(indicator__lead_unit=unit).exists()


def get_problem_for_user(user: User, cycle: Cycle, pk: int) -> Problem:
    from kaohe.reporting.models import Problem

    problem = get_object_or_404(Problem.objects.select_related("unit", "indicator"), cycle=cycle, pk=pk)
    if reads_everything(user):
        return problem
    # a unit sees its problems once the office has sent them (待下发 ones are still the office's draft)
    if own_unit(user) == problem.unit and problem.state != problem.State.RECORDED:
        return problem
    raise Http404


def get_entry_for_user(user: User, cycle: Cycle, pk: int) -> Entry:
    from kaohe.register.models import Entry

    entry = get_object_or_404(Entry.objects.select_related("unit"), cycle=cycle, pk=pk)
    if reads_everything(user) or own_unit(user) == entry.unit:
        return entry
    raise Http404


def raters_for(user: User, cycle: Cycle) -> QuerySet[Rater]:
    """The sheets this person fills: as a person, and for their unit when the unit is the rater."""
    from django.db.models import Q

    from kaohe.ratings.models import Rater

    if not user.is_authenticated:
        return Rater.objects.none()
    unit = own_unit(user)
    q = Q(user=user) | Q(unit=unit) if unit is not None else Q(user=user)
    return Rater.objects.filter(q, cycle=cycle).select_related("group", "unit", "user")


def get_rater_for_user(user: User, cycle: Cycle, pk: int) -> Rater:
    """A sheet is opened only by its rater: while rating is open not even the office reads the scores."""
    return get_object_or_404(raters_for(user, cycle), pk=pk)


# --- reporting: the unit's own reports ---------------------------------------------------------------------

def reporting_unit(user: User, cycle: Cycle) -> Unit:
    """The unit a person reports for in this cycle: office and leaders get 403, a unit not assessed in it 404."""
    if reads_everything(user):
        raise PermissionDenied
    unit = own_unit(user)
    if unit is None or not cycle.units.filter(pk=unit.pk).exists():
        raise Http404
    return unit


def get_own_report_for_user(user: User, cycle: Cycle, pk: int) -> Report:
    """A report its unit changes (evidence removed): 403 for office and leaders, 404 for everyone else's."""
    from kaohe.reporting.models import Report

    unit = reporting_unit(user, cycle)
    return get_object_or_404(Report.objects.select_related("indicator", "unit", "phase"), cycle=cycle, pk=pk,
                             unit=unit)


# --- appeals (申诉) on a version in public notice --------------------------------------------------------
# Appeal evidence is stored with the appeal's unit, so may_read_evidence above already lets that unit, the office
# and the leaders read it, and no other unit.

def get_appeal_for_user(user: User, cycle: Cycle, pk: int):
    """Read an appeal: the office and leaders all, a unit its own; anyone else's looks missing."""
    from kaohe.results.models import Appeal

    appeal = get_object_or_404(Appeal.objects.select_related("unit", "run", "new_run", "cycle"), cycle=cycle, pk=pk)
    if reads_everything(user) or own_unit(user) == appeal.unit:
        return appeal
    raise Http404


# --- supervision (督查督办): items followed to closure ------------------------------------------------------

def items_for(user: User):
    """Supervision items: the office and leaders all; a unit those where it is the lead or a responsible unit."""
    from django.db.models import Q

    from kaohe.supervision.models import Item

    qs = Item.objects.select_related("lead_unit", "cycle")
    if reads_everything(user):
        return qs
    unit = own_unit(user)
    if unit is None:
        return qs.none()
    ids = Item.objects.filter(Q(lead_unit=unit) | Q(responsible_units=unit)).values("pk")
    return qs.filter(pk__in=ids)


def get_item_for_user(user: User, pk: int):
    """One supervision item, or 404 when it is missing or not this person's to see."""
    return get_object_or_404(items_for(user), pk=pk)


def items_of_leader(user: User):
    """The items a leader answers for: named as their lead leader (牵头领导) or responsible leader (责任领导)."""
    from django.db.models import Q

    p = profile(user)
    if p is None or p.role != Profile.Role.LEADER or not p.name:
        return items_for(user).none()
    return items_for(user).filter(Q(lead_leader=p.name) | Q(responsible_leader=p.name))


def may_change_item(user: User, item) -> bool:
    """Progress and 'done' are reported by the item's responsible units (the lead unit when none is named)."""
    unit = own_unit(user)
    if unit is None:
        return False
    units = list(item.responsible_units.all()) or [item.lead_unit]
    return unit in units


def get_letter_for_user(user: User, pk: int):
    """A supervision letter (督办文书): the office, leaders and the unit it was sent to; to anyone else missing."""
    from kaohe.supervision.models import Letter

    letter = get_object_or_404(Letter.objects.select_related("unit", "item"), pk=pk)
    if reads_everything(user) or own_unit(user) == letter.unit:
        return letter
    raise Http404


def _projects_for(user: User, model):
    """Projects of a kind: the office and leaders all; a unit those it is responsible for."""
    qs = model.objects.select_related("lead_unit", "item")
    if reads_everything(user):
        return qs
    unit = own_unit(user)
    return qs.filter(lead_unit=unit) if unit is not None else qs.none()


def key_projects_for(user: User):
    from kaohe.supervision.models import KeyProject

    return _projects_for(user, KeyProject)


def get_key_project_for_user(user: User, pk: int):
    return get_object_or_404(key_projects_for(user), pk=pk)


def livelihood_projects_for(user: User):
    from kaohe.supervision.models import LivelihoodProject

    return _projects_for(user, LivelihoodProject)


def get_livelihood_project_for_user(user: User, pk: int):
    return get_object_or_404(livelihood_projects_for(user), pk=pk)


# --- satisfaction surveys (满意度测评) ------------------------------------------------------------------------

def surveys_for(user: User, cycle: Cycle):
    """The cycle's surveys this person may open: the office and leaders all; a unit assessed in the cycle all of
    them too, but only to read and answer the comments about itself (see comments_for)."""
    from kaohe.surveys.models import Survey

    qs = Survey.objects.filter(cycle=cycle)
    if reads_everything(user):
        return qs
    unit = own_unit(user)
    if unit is not None and cycle.units.filter(pk=unit.pk).exists():
        return qs
    return qs.none()


def get_survey_for_user(user: User, cycle: Cycle, pk: int, *, unit_ok: bool = False):
    """One survey of the cycle: the office and leaders; a unit only where the page says so (unit_ok=True: the
    survey list and its comments), else 404 — design, tokens, results and imports are not a unit's to see."""
    from kaohe.surveys.models import Survey

    if reads_everything(user):
        return get_object_or_404(Survey.objects.select_related("cycle"), cycle=cycle, pk=pk)
    if unit_ok:
        return get_object_or_404(surveys_for(user, cycle).select_related("cycle"), pk=pk)
    raise Http404


def comments_for(user: User, survey):
    """Comments of a survey: the office and leaders all; a unit only those about itself."""
    qs = survey.comments.select_related("unit", "group", "question__indicator", "replied_by")
    if reads_everything(user):
        return qs
    unit = own_unit(user)
    if unit is not None and survey.cycle.units.filter(pk=unit.pk).exists():
        return qs.filter(unit=unit)
    return qs.none()


def get_comment_for_user(user: User, survey, pk: int):
    """One comment, or 404 when it is missing or about another unit."""
    return get_object_or_404(comments_for(user, survey), pk=pk)
