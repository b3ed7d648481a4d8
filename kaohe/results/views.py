"""Computation runs: the list, computing, the ranking tables, a unit's score tree, the report workbook."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.indicators import gates
from kaohe.web import access

from . import exports, selectors
from .card_views import run_unit  # noqa: F401  (the report card: urls.py names it here)
from .models import STAGES, Run, RunUnit
from .services import NotPublishable, announce_run, compute_cycle, finalize_run


@login_required
def run_list(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    unit = access.own_unit(request.user)
    # a unit user links only to its own unit's result, in the runs that have one
    own_runs = (set(RunUnit.objects.filter(run__cycle=cycle_obj, unit=unit).values_list("run_id", flat=True))
                if unit else set())
    runs = list(selectors.runs_of(cycle_obj).filter(pk__in=access.runs_visible(request.user, cycle_obj)))
    # the same fingerprint as the run before: nothing in the inputs changed in between
    unchanged = {r.pk for r, before in zip(runs, runs[1:]) if r.fingerprint == before.fingerprint}
    ctx = {"cycle": cycle_obj, "runs": runs, "own_unit": unit, "own_runs": own_runs, "unchanged": unchanged,
           "stages": STAGES, **selectors.publication(cycle_obj),
           "notice_default": gates.today() + dt.timedelta(days=7), "today": gates.today()}
    return render(request, "results/run_list.html", ctx)


@login_required
@require_POST
def run_compute(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    stage = request.POST.get("stage", "year_end")
    run = compute_cycle(by=request.user, cycle=cycle_obj, stage=stage if stage in STAGES else "year_end")
    if run.status == Run.Status.OK:
        messages.success(request, _("第 %(n)s 次计算完成。") % {"n": run.number})
    else:
        messages.error(request, _("第 %(n)s 次计算未出结果，问题见下表。") % {"n": run.number})
    return redirect("run_detail", cycle_obj.pk, run.pk)


@login_required
@require_POST
def run_announce(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    try:
        until = dt.date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        until = None
    try:
        announce_run(by=request.user, run=run_obj, until=until, reason=request.POST.get("reason", "").strip()[:300])
    except NotPublishable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("第 %(n)s 次计算已公示至 %(until)s：单位和领导可以查看，单位可以申诉。此后这一版不再改变。")
                         % {"n": run_obj.number, "until": until})
    return redirect("run_list", cycle_obj.pk)


@login_required
@require_POST
def run_finalize(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    try:
        finalize_run(by=request.user, run=run_obj, reason=request.POST.get("reason", "").strip()[:300])
    except NotPublishable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("第 %(n)s 次计算已正式公布。") % {"n": run_obj.number})
    return redirect("run_list", cycle_obj.pk)


@login_required
def run_detail(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    ctx: dict = {"cycle": cycle_obj, "run": run_obj, "full": access.reads_everything(request.user)}
    if ctx["full"]:
        groups = selectors.ranking(run_obj)
        ctx.update(groups=groups, chart=selectors.chart_data(groups), warnings=selectors.warnings_for(run_obj, None),
                   errors=selectors.errors_to_fix(run_obj) if run_obj.status == Run.Status.INVALID else [])
    else:
        # a unit sees its own row only: never another unit's name, score or rank
        unit = access.own_unit(request.user)
        ctx["own_row"] = RunUnit.objects.filter(run=run_obj, unit=unit).select_related("unit").first()
    return render(request, "results/run_detail.html", ctx)


@login_required
def run_export(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    if run_obj.status != Run.Status.OK:
        messages.error(request, _("这次计算数据有误，没有结果可导出。"))
        return redirect("run_detail", cycle_obj.pk, run_obj.pk)
    return FileResponse(io.BytesIO(exports.report_xlsx(run_obj)), as_attachment=True, filename=exports.report_filename(run_obj),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
