"""Writes to completion reports (目标完成填写), their review (审核) and the reminders (催报), each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import diff, record
from kaohe.engine.schema import DATA_METHODS
from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, Indicator, Phase
from kaohe.indicators.selectors import applicable_leaves
from kaohe.indicators.services import save_values
from kaohe.organisation.models import Unit
from kaohe.web import access
from kaohe.web.notices import notify, unit_users

from .evidence import EvidenceRefused, store_evidence_files
from .models import Evidence, Report, Reminder

__all__ = ["EvidenceRefused", "NotAllowed", "ReportError", "ReportLocked", "ReviewInvalid", "remove_evidence",
           "review_report", "save_report", "send_reminders", "submit_report"]

OPEN_STATES = (Report.State.DRAFT, Report.State.RETURNED)  # the unit may still change these
REMIND_BEFORE = 3  # days before the deadline from which a unit that has not submitted is reminded
REMIND_AFTER = 7  # days after the deadline during which the daily job still reminds (then the office takes over)


class ReportError(Exception):
    """A report change that cannot be made, with the reason for people."""


class NotAllowed(ReportError):
    """The person may not make this change."""


class ReportLocked(ReportError):
    """The report's state does not allow the change (submitted, accepted, or not awaiting review)."""


class ReviewInvalid(ReportError):
    """A review decision without what it needs (a value and reason for a correction, a comment for a return)."""


def _tell(users: list, **kwargs) -> None:
    """A notice and a mail to each person, one message each: people do not see each other's addresses."""
    for person in users:
        notify(users=[person], **kwargs)


def _snapshot(report: Report) -> dict:
    """The audited fields; empty ones left out, so that a new report lists only what was filled in."""
    fields = {"state": report.state, "actual": report.actual, "account": report.account, "assessed": report.assessed,
              "review_comment": report.review_comment}
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _require_own(by, unit: Unit) -> None:
    if access.own_unit(by) != unit:
        raise NotAllowed(_("只有本单位的填报人员可以填报或修改本单位的完成情况。"))


def _require_editable(report: Report) -> None:
    if report.state not in OPEN_STATES:
        raise ReportLocked(_("“%(leaf)s”的填报已%(state)s，不能再修改。")
                           % {"leaf": report.indicator.name, "state": report.get_state_display()})


def _report_leaf(cycle: Cycle, unit: Unit, indicator: Indicator) -> None:
    if indicator.cycle_id != cycle.pk or indicator.method not in DATA_METHODS:
        raise NotAllowed(_("指标“%(leaf)s”不由单位填报。") % {"leaf": indicator.name})
    if not cycle.units.filter(pk=unit.pk).exists() or indicator not in applicable_leaves(cycle, unit):
        raise NotAllowed(_("指标“%(leaf)s”不适用于%(unit)s。") % {"leaf": indicator.name, "unit": unit.name})


@transaction.atomic
def save_report(*, by, cycle: Cycle, unit: Unit, indicator: Indicator, actual: float | None, account: str,
                uploads: Sequence[UploadedFile] = (), phase: Phase | None = None) -> Report:
    """Keep the unit's draft: value, account and new evidence files. All or nothing.

    Raises gates.PhaseClosed outside the reporting window, ReportLocked after submission, EvidenceRefused
    (naming the file) for an upload that is not kept, in which case nothing of the save is kept.
    """
    _require_own(by, unit)
    _report_leaf(cycle, unit, indicator)
    phase = phase or gates.current_reporting_phase(cycle)
    if phase is None:
        raise gates.PhaseClosed(_("本周期尚未设置填报窗口。"))
    gates.require_reporting_open(phase)
    report, created = Report.objects.select_for_update().get_or_create(
        phase=phase, indicator=indicator, unit=unit, defaults={"cycle": cycle})
    _require_editable(report)
    before = {} if created else _snapshot(report)
    report.actual = actual
    report.account = account.strip()
    stored = store_evidence_files(by=by, cycle=cycle, unit=unit, uploads=uploads)
    report.save()
    if stored:
        report.evidence.add(*stored)
    changes = diff(before, _snapshot(report))
    if stored:
        changes["evidence"] = [None, [e.name for e in stored]]
    if not changes and not created:
        return report
    record(by=by, action="create" if created else "update", obj=report, cycle_id=cycle.pk, changes=changes)
    return report


@transaction.atomic
def submit_report(*, by, report: Report) -> Report:
    """Send the report to the lead unit for review; from then on it is read-only to the unit."""
    report = Report.objects.select_for_update().select_related("indicator", "unit", "phase").get(pk=report.pk)
    _require_own(by, report.unit)
    gates.require_reporting_open(report.phase)
    _require_editable(report)
    if report.actual is None:
        raise ReportError(_("请先填写完成值再提交审核。"))
    before = _snapshot(report)
    report.state = Report.State.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.save()
    record(by=by, action="update", obj=report, cycle_id=report.cycle_id, changes=diff(before, _snapshot(report)),
           reason=_("提交审核"))
    return report


@transaction.atomic
def review_report(*, by, report: Report, decision: str, value: float | None = None, reason: str = "",
                  comment: str = "") -> Report:
    """The lead unit's decision on a submitted report: accept, correct (value and reason) or return (comment).

    Accept and correct write the assessed value into the leaf's actual value (indicators.Value) in the same
    transaction; after the year-end publication that needs the reason, which the review always gives.
    """
    report = Report.objects.select_for_update().select_related("indicator", "unit", "phase", "cycle").get(pk=report.pk)
    if not access.may_review(by, report):
        raise NotAllowed(_("只有该指标的评分牵头单位或考核办可以审核。"))
    if report.state != Report.State.SUBMITTED:
        raise ReportLocked(_("只能审核待审核的填报；这份填报%(state)s。") % {"state": report.get_state_display()})
    reason, comment = reason.strip(), comment.strip()
    before = _snapshot(report)
    if decision == "accept":
        report.state, report.assessed = Report.State.ACCEPTED, report.actual
        report.review_comment = comment
        why = _("审核采纳 %(report)s") % {"report": report}
    elif decision == "correct":
        if value is None or not reason:
            raise ReviewInvalid(_("核减/修正须填写审定值和理由。"))
        report.state, report.assessed, report.review_comment = Report.State.ACCEPTED, value, reason
        why = reason
    elif decision == "return":
        if not comment:
            raise ReviewInvalid(_("退回须填写审核意见，告诉单位要改什么。"))
        if not report.phase.reporting_open_on(gates.today()):
            # the unit could not change a returned report any more: the lead unit corrects it instead
            raise ReviewInvalid(_("填报窗口已于 %(closes)s 截止，退回后单位已无法修改：请直接修正审定值并写明理由。")
                                % {"closes": report.phase.report_closes})
        report.state, report.review_comment = Report.State.RETURNED, comment
        why = comment
    else:
        raise ReviewInvalid(_("未知的审核结论。"))
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.save()
    record(by=by, action="update", obj=report, cycle_id=report.cycle_id, changes=diff(before, _snapshot(report)),
           reason=why)
    if report.state == Report.State.ACCEPTED:
        save_values(by=by, cycle=report.cycle, rows=[(report.indicator, report.unit, {"actual": report.assessed})],
                    reason=why)
    else:
        link = reverse("report_edit", kwargs={"cycle": report.cycle_id, "indicator": report.indicator_id})
        _tell(unit_users(report.unit), cycle=report.cycle, link=link,
              text=_("“%(leaf)s”的完成情况填报被退回：%(comment)s") % {"leaf": report.indicator.name, "comment": comment},
              subject=_("填报被退回：%(leaf)s") % {"leaf": report.indicator.name})
    return report


@transaction.atomic
def remove_evidence(*, by, report: Report, evidence: Evidence) -> Report:
    """Take a file off the unit's draft; the file itself goes when nothing else holds it."""
    report = Report.objects.select_for_update().select_related("indicator", "unit", "phase").get(pk=report.pk)
    _require_own(by, report.unit)
    gates.require_reporting_open(report.phase)
    _require_editable(report)
    if not report.evidence.filter(pk=evidence.pk).exists():
        raise ReportError(_("这份材料不在本填报中。"))
    report.evidence.remove(evidence)
    record(by=by, action="update", obj=report, cycle_id=report.cycle_id, changes={"evidence": [evidence.name, None]},
           reason=_("删除佐证材料"))
    held = (evidence.reports.exists() or evidence.problems.exists()
            or evidence.register_entries.exists())
    if not held:
        f = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: f.delete(save=False))
    return report


# --- reminders (催报) -------------------------------------------------------------------------------------

def reminder_phase(cycle: Cycle, day: dt.date) -> Phase | None:
    """The reporting window open on the day, or the one that closed at most REMIND_AFTER days before."""
    phase = gates.current_reporting_phase(cycle, day)
    if phase is None or phase.report_opens > day:
        return None
    if day > phase.report_closes + dt.timedelta(days=REMIND_AFTER):
        return None
    return phase


def missing_by_unit(cycle: Cycle, phase: Phase) -> dict[Unit, list[Indicator]]:
    """Each assessed unit's data leaves without a submitted (or accepted) report in the window."""
    done: dict[int, set[int]] = {}
    for unit_id, ind_id in (Report.objects.filter(phase=phase)
                            .filter(state__in=(Report.State.SUBMITTED, Report.State.ACCEPTED))
                            .values_list("unit_id", "indicator_id")):
        done.setdefault(unit_id, set()).add(ind_id)
    out = {}
    for unit in cycle.units.select_related("domain", "category").order_by("domain__order", "code"):
        left = [n for n in applicable_leaves(cycle, unit)
                if n.method in DATA_METHODS and n.pk not in done.get(unit.pk, set())]
        if left:
            out[unit] = left
    return out


@transaction.atomic
def send_reminders(*, by=None, cycle: Cycle, day: dt.date | None = None) -> int:
    """Remind each unit that has not submitted, from REMIND_BEFORE days before the deadline; once a day.

    An in-app notice and an e-mail to each of the unit's people, a Reminder row, one audit entry per batch.
    Returns how many units were reminded (0 on a second run the same day).
    """
    day = day or gates.today()
    phase = reminder_phase(cycle, day)
    if phase is None or day < phase.report_closes - dt.timedelta(days=REMIND_BEFORE):
        return 0
    sent_today = set(Reminder.objects.filter(phase=phase, day=day).values_list("unit_id", flat=True))
    link = reverse("report_list", kwargs={"cycle": cycle.pk})
    reminded = []
    for unit, left in missing_by_unit(cycle, phase).items():
        if unit.pk in sent_today:
            continue
        if day <= phase.report_closes:
            text = _("%(unit)s：%(phase)s填报 %(closes)s 截止，还有 %(n)d 项未提交审核，请尽快填报。") % {
                "unit": unit.name, "phase": phase.get_kind_display(), "closes": phase.report_closes, "n": len(left)}
        else:
            text = _("%(unit)s：%(phase)s填报已于 %(closes)s 截止，仍有 %(n)d 项未提交审核，请与考核办联系。") % {
                "unit": unit.name, "phase": phase.get_kind_display(), "closes": phase.report_closes, "n": len(left)}
        _tell(unit_users(unit), text=text, link=link, cycle=cycle, key=f"remind:{phase.pk}:{unit.pk}:{day}",
              subject=_("催报：%(cycle)s") % {"cycle": cycle.name})
        Reminder.objects.create(phase=phase, unit=unit, day=day, missing=len(left), sent_by=by)
        reminded.append(unit)
    if reminded:
        record(by=by, action="create", object_type="reporting.Reminder", object_id=f"{phase.pk}:{day}",
               object_repr=_("催报 %(day)s：%(n)d 个单位") % {"day": day, "n": len(reminded)}, cycle_id=cycle.pk,
               changes={"units": [None, [u.name for u in reminded]]})
    return len(reminded)
