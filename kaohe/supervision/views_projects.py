"""Pages of key projects (重点项目) with the quarterly bulletin, livelihood projects (民生实事) and the plan."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.audit import selectors as audit
from kaohe.lib.downloads import xlsx_response
from kaohe.lib.pdf import render_pdf
from kaohe.web import access

from . import figures, projects
from .forms_projects import FundsForm, InspectionForm, KeyProjectForm, LivelihoodForm, PlanForm, QuarterForm
from .models import InspectionPlan, KeyProject, LivelihoodProject
from .services import SupervisionRefused

ACTIONS = {"create": gettext_lazy("新建"), "quarter": gettext_lazy("季度投资与督查"), "funds": gettext_lazy("资金执行"),
           "plan": gettext_lazy("督查检查计划"), "schedule": gettext_lazy("安排督查检查")}
QUARTERS = (1, 2, 3, 4)


def _history(obj) -> list:
    type_ = f"{obj._meta.app_label}.{obj.__class__.__name__}"
    return [(e, str(ACTIONS.get(e.action, audit.action_label(e.action))), "", audit.changes(e))
            for e in audit.history(type_, str(obj.pk))]


def _year(request: HttpRequest) -> int:
    """?year=…, or this year when it is missing or not a year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _years(model, year: int) -> list[int]:
    """The years to offer in the year filter: those with data, this year and the one shown."""
    years = set(model.objects.values_list("year", flat=True).distinct()) | {timezone.localdate().year, year}
    return sorted(years, reverse=True)


def _quarter_or_404(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise Http404
    return quarter


# ---- key projects -------------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    raw = request.GET.get("quarter", "")
    quarter = int(raw) if raw in ("1", "2", "3", "4") else figures.quarter_to_date(year, timezone.localdate())
    rows = projects.key_project_rows(access.key_projects_for(request.user).filter(year=year), quarter)
    ctx = {"year": year, "years": _years(KeyProject, year), "quarter": quarter, "quarters": QUARTERS, "rows": rows,
           "office": access.is_office(request.user), "reads_all": access.reads_everything(request.user)}
    return render(request, "supervision/project_list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = KeyProjectForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = projects.create_key_project(by=request.user, year=d["year"], code=d["code"], name=d["name"],
                                                  lead_unit=d["lead_unit"], total_investment=d["total_investment"],
                                                  quarterly_plan=d["plan"], item=d["item"])
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建重点项目“%(n)s”。") % {"n": project.name})
            return redirect("supervision_project", pk=project.pk)
    return render(request, "supervision/project_form.html", {"form": form})


def _project_page(request: HttpRequest, project: KeyProject, bound: QuarterForm | None = None,
                  bound_quarter: int | None = None) -> HttpResponse:
    lines = projects.quarter_lines(project)
    office = access.is_office(request.user)
    forms = {}
    if office:
        for line in lines:
            r = line.row
            initial = {"planned": r.planned, "completed": r.completed, "score": r.score, "note": r.note} if r else {}
            forms[line.quarter] = QuarterForm(prefix=f"q{line.quarter}", initial=initial)
        if bound is not None:
            forms[bound_quarter] = bound
    ctx = {"project": project, "lines": [(line, forms.get(line.quarter)) for line in lines],
           "year_plan": lines[-1].to_date.planned_to_date, "office": office, "rows": _history(project),
           "item": project.item if project.item_id and access.items_for(request.user).filter(pk=project.item_id
                                                                                              ).exists() else None}
    return render(request, "supervision/project_detail.html", ctx)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_key_project_for_user(request.user, pk)
    return _project_page(request, project)


@login_required
@require_POST
def project_quarter(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    project = access.get_key_project_for_user(request.user, pk)
    access.require_office(request.user)
    _quarter_or_404(quarter)
    form = QuarterForm(request.POST, prefix=f"q{quarter}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            projects.record_quarter(by=request.user, project=project, quarter=quarter, planned=d["planned"],
                                    completed=d["completed"], score=d["score"], note=d["note"])
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存第%(q)d季度的投资与督查情况。") % {"q": quarter})
            return redirect(reverse("supervision_project", kwargs={"pk": project.pk}) + f"#q{quarter}")
    return _project_page(request, project, bound=form, bound_quarter=quarter)


# ---- the quarterly bulletin (通报): city-wide, every logged-in person reads it ------------------------------


def _bulletin_ctx(request: HttpRequest, year: int, quarter: int) -> dict:
    b = projects.bulletin(year, _quarter_or_404(quarter))
    reads_all, own = access.reads_everything(request.user), access.own_unit(request.user)
    return {"b": b, "year": year, "quarter": quarter, "quarters": QUARTERS, "day": timezone.localdate(),
            "red_score": figures.RED_LIST_SCORE, "red_rate": figures.RED_LIST_RATE,
            "laggard_score": figures.LAGGARD_SCORE, "laggard_rate": figures.LAGGARD_RATE,
            # a unit opens only its own projects' pages; the bulletin itself is public
            "linkable": {r.project.pk for r in b.rows
                         if reads_all or (own is not None and r.project.lead_unit_id == own.pk)}}


@login_required
def bulletin(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    return render(request, "supervision/bulletin.html", _bulletin_ctx(request, year, quarter))


@login_required
def bulletin_pdf(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    ctx = _bulletin_ctx(request, year, quarter)
    pdf = render_pdf("supervision/bulletin_print.html", ctx, request=request)
    return FileResponse(io.BytesIO(pdf), as_attachment=True, content_type="application/pdf",
                        filename=f"key-projects-bulletin-{year}-Q{quarter}.pdf")


# ---- livelihood projects ------------------------------------------------------------------------------------


@login_required
def livelihood_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = projects.livelihood_rows(access.livelihood_projects_for(request.user).filter(year=year),
                                    timezone.localdate())
    reads_all = access.reads_everything(request.user)
    ctx = {"year": year, "years": _years(LivelihoodProject, year), "rows": rows,
           "office": access.is_office(request.user), "reads_all": reads_all,
           # a unit sees its own projects, never the city's totals
           "totals": projects.livelihood_totals(rows) if reads_all else None}
    return render(request, "supervision/livelihood_list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def livelihood_new(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = LivelihoodForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = projects.create_livelihood_project(by=request.user, year=d["year"], code=d["code"],
                                                         name=d["name"], lead_unit=d["lead_unit"], budget=d["budget"],
                                                         item=d["item"])
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建民生实事“%(n)s”。") % {"n": project.name})
            return redirect(reverse("supervision_livelihood") + f"?year={project.year}")
    return render(request, "supervision/livelihood_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def livelihood_funds(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_livelihood_project_for_user(request.user, pk)
    access.require_office(request.user)
    form = FundsForm(request.POST or None,
                     initial={"budget": project.budget, "issued": project.issued, "paid": project.paid})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            projects.record_funds(by=request.user, project=project, budget=d["budget"], issued=d["issued"],
                                  paid=d["paid"])
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存“%(n)s”的资金执行情况。") % {"n": project.name})
            return redirect(reverse("supervision_livelihood") + f"?year={project.year}")
    return render(request, "supervision/livelihood_funds.html",
                  {"form": form, "project": project, "rows": _history(project)})


@login_required
def livelihood_export(request: HttpRequest) -> HttpResponse:
    if not access.reads_everything(request.user):
        raise PermissionDenied
    year = _year(request)
    rows = projects.livelihood_rows(access.livelihood_projects_for(request.user).filter(year=year),
                                    timezone.localdate())
    data = projects.livelihood_sheet(year, rows, projects.livelihood_totals(rows))
    return xlsx_response(data, f"livelihood-{year}.xlsx")


# ---- the supervision plan (督查检查计划): the office and leaders ---------------------------------------------


def _plan_page(request: HttpRequest, year: int, plan_form: PlanForm | None = None) -> HttpResponse:
    summary = projects.plan_summary(year)
    office = access.is_office(request.user)
    if office and plan_form is None:
        plan_form = PlanForm(initial={"year": year, "allowed": summary.plan.allowed if summary.plan else None,
                                      "note": summary.plan.note if summary.plan else ""})
    ctx = {"year": year, "years": _years(InspectionPlan, year), "s": summary, "office": office,
           "plan_form": plan_form if office else None}
    return render(request, "supervision/plan.html", ctx)


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    if not access.reads_everything(request.user):
        raise PermissionDenied
    return _plan_page(request, _year(request))


@login_required
@require_POST
def plan_set(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = PlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            projects.set_plan(by=request.user, year=d["year"], allowed=d["allowed"], note=d["note"])
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已设定 %(y)d 年督查检查计划：%(n)d 次。") % {"y": d["year"], "n": d["allowed"]})
            return redirect(reverse("supervision_plan") + f"?year={d['year']}")
    year = form.cleaned_data.get("year") or _year(request)
    return _plan_page(request, year, plan_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    year = _year(request)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        year = d["day"].year
        try:
            inspection = projects.schedule_inspection(by=request.user, title=d["title"], kind=d["kind"], day=d["day"],
                                                      units=d["units"], approval=d["approval"])
        except SupervisionRefused as exc:
            # beyond the plan the refusal belongs to the approval field, which is what would let it through
            field = "approval" if projects.inspections_left(year) == 0 and not d["approval"].strip() else None
            form.add_error(field, str(exc))
        else:
            if inspection.in_plan:
                messages.success(request, _("已安排督查检查“%(t)s”（计划内）。") % {"t": inspection.title})
            else:
                messages.warning(request, _("已安排计划外督查检查“%(t)s”，审批：%(a)s。")
                                 % {"t": inspection.title, "a": inspection.approval})
            return redirect(reverse("supervision_plan") + f"?year={inspection.year}")
    ctx = {"form": form, "s": projects.plan_summary(year), "year": year}
    return render(request, "supervision/plan_inspection_form.html", ctx)
