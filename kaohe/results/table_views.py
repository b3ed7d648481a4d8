"""Ranking tables (排名表) of a version on the web, in Excel and as PDF; the leaders' dashboard (领导驾驶舱)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.indicators.models import Cycle
from kaohe.lib.pdf import render_pdf
from kaohe.web import access

from . import tables
from .models import Run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_run(request: HttpRequest, cycle: int, run: int) -> tuple[Cycle, Run, str]:
    """The cycle and version, for office and leaders only: a unit never sees other units' results."""
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    by = request.GET.get("by", "group")
    return cycle_obj, run_obj, by if by in tables.VIEWS else "group"


@login_required
def ranking_table(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj, run_obj, by = _table_run(request, cycle, run)
    ctx = {"cycle": cycle_obj, "run": run_obj, **tables.table_context(run_obj, by)}
    return render(request, "results/table_ranking.html", ctx)


@login_required
def ranking_table_xlsx(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj, run_obj, by = _table_run(request, cycle, run)
    if run_obj.status != Run.Status.OK:
        messages.error(request, _("这次计算数据有误，没有结果可导出。"))
        return redirect("ranking_table", cycle_obj.pk, run_obj.pk)
    return FileResponse(io.BytesIO(tables.tables_xlsx(run_obj, by)), as_attachment=True,
                        filename=tables.table_filename(run_obj, by, "xlsx"), content_type=XLSX)


@login_required
def ranking_table_pdf(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj, run_obj, by = _table_run(request, cycle, run)
    if run_obj.status != Run.Status.OK:
        messages.error(request, _("这次计算数据有误，没有结果可导出。"))
        return redirect("ranking_table", cycle_obj.pk, run_obj.pk)
    ctx = {"cycle": cycle_obj, "run": run_obj, **tables.table_context(run_obj, by)}
    pdf = render_pdf("results/table_ranking_pdf.html", ctx, request=request)
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=tables.table_filename(run_obj, by, "pdf"),
                        content_type="application/pdf")


@login_required
def dashboard(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    ctx = {"cycle": cycle_obj, **tables.dashboard(cycle_obj)}
    return render(request, "results/dashboard.html", ctx)
