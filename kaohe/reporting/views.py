"""Completion reporting (目标完成填写) by the units, review (审核) by the lead units, reminders (催报).

Each view: access helper first, a form that parses, one service that writes (with its audit entry).
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.audit.selectors import action_label, changes, history
from kaohe.indicators import gates
from kaohe.indicators.models import Value
from kaohe.indicators.selectors import _chains, _in_scope
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import selectors, services
from .forms import QueueFilterForm, ReportForm, ReviewForm
from .models import Report



# ---- the unit's side ------------------------------------------------------------------------------------

@login_required
def report_list(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    if access.reads_everything(request.user):
        return redirect("review_queue", cycle=c.pk)
    unit = access.reporting_unit(request.user, c)
    win = selectors.window(c)
    rows = selectors.unit_rows(c, unit, win.phase)
    for r in rows:
        r["editable"] = win.open and (r["report"] is None or r["report"].state in services.OPEN_STATES)
    ctx = {"cycle": c, "unit": unit, "window": win, "rows": rows, "counts": selectors.state_counts(rows)}
    return render(request, "reporting/report_list.html", ctx)


def _edit_ctx(c, unit, leaf, phase, report, form, win) -> dict:
    editable = report is None or report.state in services.OPEN_STATES
    return {"cycle": c, "unit": unit, "leaf": leaf, "phase": phase, "report": report, "form": form, "window": win,
            "value": Value.objects.filter(cycle=c, unit=unit, indicator=leaf).first(),
            "editable": editable and win.open, "evidence": list(report.evidence.all()) if report else []}


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, cycle: int, indicator: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    unit = access.reporting_unit(request.user, c)
    leaf = next((n for n in selectors.reported_leaves(c, unit) if n.pk == indicator), None)
    if leaf is None:
        raise Http404
    win = selectors.window(c)
    phase = win.phase
    report = (Report.objects.filter(phase=phase, unit=unit, indicator=leaf).select_related("reviewed_by").first()
              if phase else None)
    initial = {"actual": report.actual, "account": report.account} if report else {}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                report = services.save_report(by=request.user, cycle=c, unit=unit, indicator=leaf, actual=d["actual"],
                                              account=d["account"], uploads=d["files"], phase=phase)
                if d["action"] == "submit":
                    services.submit_report(by=request.user, report=report)
        except (services.ReportError, gates.PhaseClosed, services.EvidenceRefused) as exc:
            messages.error(request, str(exc))
            report = Report.objects.filter(pk=report.pk).first() if report and report.pk else None
        else:
            if d["action"] == "submit":
                messages.success(request, _("已提交审核：“%(leaf)s”。提交后不能再修改，除非牵头单位退回。") % {"leaf": leaf.name})
            else:
                messages.success(request, _("已保存草稿：“%(leaf)s”。记得在截止前提交审核。") % {"leaf": leaf.name})
            return redirect("report_edit", cycle=c.pk, indicator=leaf.pk)
    elif request.method == "POST":
        messages.error(request, _("填写有误，未保存。"))
    return render(request, "reporting/report_edit.html", _edit_ctx(c, unit, leaf, phase, report, form, win))


@login_required
@require_POST
def report_evidence_delete(request: HttpRequest, cycle: int, pk: int, ev: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    report = access.get_own_report_for_user(request.user, c, pk)
    evidence = get_object_or_404(report.evidence.all(), pk=ev)
    try:
        services.remove_evidence(by=request.user, report=report, evidence=evidence)
    except (services.ReportError, gates.PhaseClosed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除佐证材料“%(name)s”。") % {"name": evidence.name})
    return redirect("report_edit", cycle=c.pk, indicator=report.indicator_id)


# ---- reading and reviewing a report -----------------------------------------------------------------------

def _detail(request: HttpRequest, c, report: Report, form: ReviewForm | None) -> HttpResponse:
    can_review = access.may_review(request.user, report)
    entries = [{"entry": e, "action": action_label(e.action), "changes": changes(e)}
               for e in history("reporting.Report", str(report.pk))]
    ctx = {"cycle": c, "report": report, "evidence": list(report.evidence.all()), "history": entries,
           "can_review": can_review and report.state == Report.State.SUBMITTED,
           "form": form or ReviewForm(initial={"value": report.actual}),
           "own": access.own_unit(request.user) == report.unit,
           "value": Value.objects.filter(cycle=c, unit=report.unit, indicator=report.indicator).first()}
    return render(request, "reporting/report_detail.html", ctx)


@login_required
def report_detail(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    report = access.get_report_for_user(request.user, c, pk)
    return _detail(request, c, report, None)


@login_required
@require_POST
def report_review(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    report = access.get_report_for_user(request.user, c, pk)
    if not access.may_review(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            report = services.review_report(by=request.user, report=report, decision=d["decision"], value=d["value"],
                                            reason=d["reason"], comment=d["comment"])
        except (services.ReportError, gates.PhaseClosed) as exc:
            messages.error(request, str(exc))
        else:
            done = {"accept": _("已采纳"), "correct": _("已修正并采纳"), "return": _("已退回单位")}[d["decision"]]
            messages.success(request, _("%(done)s：%(report)s。") % {"done": done, "report": report})
            return redirect("review_queue", cycle=c.pk)
    return _detail(request, c, report, form)


# ---- the review queue --------------------------------------------------------------------------------------

def _queue(request: HttpRequest, c):
    """The leaves in the queue, the filter, and the lead unit it is for; units that lead nothing get 404."""
    if access.reads_everything(request.user):
        filt = QueueFilterForm(request.GET or None, leads=selectors.lead_units(c))
        lead = filt.cleaned_data["lead"] if filt.is_valid() else None
    else:
        filt, lead = None, access.own_unit(request.user)
    leaves = list(selectors.queue_leaves(request.user, c, lead))
    if not access.reads_everything(request.user) and not leaves:
        raise Http404
    return leaves, filt, lead


@login_required
def review_queue(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    leaves, filt, lead = _queue(request, c)
    win = selectors.window(c)
    q = selectors.queue(c, leaves, win.phase)
    ctx = {"cycle": c, "queue": q, "filter": filt, "lead": lead, "window": win,
           "can_review": access.is_office(request.user) or not access.reads_everything(request.user),
           "can_remind": access.is_office(request.user) and win.phase is not None}
    return render(request, "reporting/review_queue.html", ctx)


@login_required
def review_export(request: HttpRequest, cycle: int) -> HttpResponse:
    """The queue as a sheet: every applicable leaf × unit with its report's state and values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = access.get_cycle_for_user(request.user, cycle)
    leaves, _filt, _lead = _queue(request, c)
    win = selectors.window(c)
    reports = ({(r.indicator_id, r.unit_id): r for r in Report.objects.filter(phase=win.phase, indicator__in=leaves)}
               if win.phase else {})
    chains = _chains(c)
    members = list(c.units.select_related("domain", "category").order_by("domain__order", "code"))
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("审核进度"))[:31]
    sheet.append([str(x) for x in (_("指标编号"), _("指标"), _("牵头单位"), _("单位编号"), _("单位"), _("状态"), _("完成值"),
                                   _("审定值"), _("提交时间"), _("审核意见"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for leaf in leaves:
        for u in members:
            if not all(_in_scope(n, u) for n in chains[leaf.pk]):
                continue
            r = reports.get((leaf.pk, u.pk))
            sheet.append([leaf.code, leaf.name, leaf.lead_unit.name if leaf.lead_unit else leaf.lead_unit_text, u.code,
                          u.name, str(r.get_state_display()) if r else str(_("未填报")), r.actual if r else None,
                          r.assessed if r else None,
                          r.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M") if r and r.submitted_at else None,
                          r.review_comment if r else None])
    for col, width in zip("ABCDEFGHIJ", (10, 28, 14, 10, 16, 10, 12, 12, 18, 40)):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "F2"
    buf = BytesIO()
    book.save(buf)
    return xlsx_response(buf.getvalue(), f"review-{c.year}.xlsx")


@login_required
@require_POST
def report_remind(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    n = services.send_reminders(by=request.user, cycle=c)
    if n:
        messages.success(request, _("已向 %(n)d 个单位发出催报（站内通知和邮件）。") % {"n": n})
    else:
        messages.info(request, _("没有需要催报的单位：都已提交，今天已催过，或不在截止前 %(d)d 天内。")
                      % {"d": services.REMIND_BEFORE})
    return redirect("review_queue", cycle=c.pk)
