"""The report card (成绩单) pages: the card on the web, as PDF and Excel, and the office's batch export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kaohe.lib.downloads import XLSX
from kaohe.web import access

from . import cards
from .models import Run
from .models_export import CardExport


def _card_for(request: HttpRequest, cycle: int, run: int, unit: int) -> cards.Card:
    """A unit reads its own card only (another unit's looks missing); leaders and the office any."""
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    row = access.get_run_unit_for_user(request.user, run_obj, unit)
    row.run = run_obj
    run_obj.cycle = cycle_obj
    return cards.report_card(row)


@login_required
def run_unit(request: HttpRequest, cycle: int, run: int, unit: int) -> HttpResponse:
    card = _card_for(request, cycle, run, unit)
    ctx = cards.card_context(card) | {"latest_export": _latest_export(request, card.run),
                                      "own": access.own_unit(request.user) == card.row.unit}
    return render(request, "results/run_unit.html", ctx)


@login_required
def run_unit_pdf(request: HttpRequest, cycle: int, run: int, unit: int) -> HttpResponse:
    card = _card_for(request, cycle, run, unit)
    # FileResponse writes the Chinese file name as RFC 5987 filename*, which browsers read
    return FileResponse(io.BytesIO(cards.card_pdf(card)), as_attachment=True, filename=cards.filename(card, "pdf"),
                        content_type="application/pdf")


@login_required
def run_unit_xlsx(request: HttpRequest, cycle: int, run: int, unit: int) -> HttpResponse:
    card = _card_for(request, cycle, run, unit)
    return FileResponse(io.BytesIO(cards.card_xlsx(card)), as_attachment=True, filename=cards.filename(card, "xlsx"),
                        content_type=XLSX)


def _latest_export(request: HttpRequest, run: Run) -> CardExport | None:
    if not access.is_office(request.user):
        return None
    cards.settle_interrupted(run)
    return run.card_exports.first()


def _job_for(request: HttpRequest, cycle: int, run: int, job: int) -> CardExport:
    """The batch export is the office's: others get 403 before anything is looked up."""
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    cards.settle_interrupted(run_obj)
    return get_object_or_404(CardExport.objects.select_related("run__cycle", "created_by__profile"), run=run_obj,
                             pk=job)


@login_required
@require_POST
def card_export_start(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    try:
        job = cards.start_card_export(by=request.user, run=run_obj)
    except cards.ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("run_detail", cycle_obj.pk, run_obj.pk)
    return redirect("card_export_status", cycle_obj.pk, run_obj.pk, job.pk)


@login_required
def card_export_status(request: HttpRequest, cycle: int, run: int, job: int) -> HttpResponse:
    job_obj = _job_for(request, cycle, run, job)
    ctx = {"job": job_obj, "run": job_obj.run, "cycle": job_obj.run.cycle}
    if request.headers.get("HX-Request"):
        return render(request, "results/card_export_status.html", ctx)
    return render(request, "results/card_export.html", ctx)


@login_required
def card_export_download(request: HttpRequest, cycle: int, run: int, job: int) -> HttpResponse:
    job_obj = _job_for(request, cycle, run, job)
    path = cards.export_path(job_obj)
    if path is None:
        raise Http404
    name = f"{job_obj.run.cycle.name}-第{job_obj.run.number}版-全部成绩单.zip"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
