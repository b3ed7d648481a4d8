"""The survey answer import pages: upload a file (the import runs in the background), follow its progress, and
download the template. The office imports; leaders read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kaohe.web import access

from . import imports
from .forms_import import ImportForm
from .models import ImportBatch, Survey
from .services import SurveyRefused


def _survey(request: HttpRequest, cycle: int, pk: int, *, shows_batches: bool = True) -> Survey:
    """The survey; where its batches are shown, those cut off by a restart are first marked as such."""
    c = access.get_cycle_for_user(request.user, cycle)
    survey = access.get_survey_for_user(request.user, c, pk)
    if shows_batches:
        imports.settle_interrupted(survey)
    return survey


def _with_progress(batch: ImportBatch) -> ImportBatch:
    batch.done, batch.expected = imports.progress_of(batch)
    batch.percent = 100 if batch.state == ImportBatch.State.DONE else (
        min(99, batch.done * 100 // batch.expected) if batch.expected else 0)
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    survey = _survey(request, cycle, pk)
    form = ImportForm()
    if request.method == "POST":
        access.require_office(request.user)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = imports.start_import(by=request.user, survey=survey, upload=form.cleaned_data["file"],
                                             kind=form.kind)
            except SurveyRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("文件已上传，正在后台检查并导入。"))
                return redirect("survey_import_status", survey.cycle_id, survey.pk, batch.pk)
    batches = [_with_progress(b) for b in survey.imports.select_related("created_by__profile")[:50]]
    ctx = {"cycle": survey.cycle, "survey": survey, "form": form, "batches": batches, "headers": imports.HEADERS,
           "may_import": access.is_office(request.user)}
    return render(request, "surveys/import.html", ctx)


@login_required
@require_safe
def survey_import_status(request: HttpRequest, cycle: int, pk: int, batch: int) -> HttpResponse:
    survey = _survey(request, cycle, pk)
    b = _with_progress(get_object_or_404(survey.imports.select_related("created_by__profile"), pk=batch))
    ctx = {"cycle": survey.cycle, "survey": survey, "batch": b}
    if request.headers.get("HX-Request"):
        return render(request, "surveys/import_status.html", ctx)
    return render(request, "surveys/import_batch.html", ctx)


@login_required
@require_safe
def survey_import_template(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    survey = _survey(request, cycle, pk, shows_batches=False)
    resp = HttpResponse(imports.template_csv(survey), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers-template.csv"'
    return resp
