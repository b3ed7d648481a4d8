"""The half-year problem pages: the list with per-unit counts, recording, importing, sending, answering, verifying."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.audit import selectors as audit
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import problems as svc
from .evidence import EvidenceRefused
from .models import Problem
from .problem_forms import AnswerForm, ProblemForm, ProblemImportForm, VerifyForm

PER_PAGE = 200
ACTIONS = {"create": gettext_lazy("登记"), "send": gettext_lazy("下发"), "answer": gettext_lazy("反馈整改"),
           "close": gettext_lazy("销号"), "reopen": gettext_lazy("退回整改")}


def _office_cycle(request: HttpRequest, cycle: int):
    c = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    return c


@login_required
def problem_list(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    reads_all = access.reads_everything(request.user)
    day = svc.gates.today()
    state = request.GET.get("state", "") if request.GET.get("state") in Problem.State.values else ""
    overdue = request.GET.get("overdue") == "1"
    unit = None
    units = c.units.order_by("code") if reads_all else []
    if reads_all and request.GET.get("unit", "").isdigit():
        unit = c.units.filter(pk=int(request.GET["unit"])).first()
    page = Paginator(svc.problems_for(request.user, c, state=state, overdue=overdue, unit=unit, day=day),
                     PER_PAGE).get_page(request.GET.get("page"))
    problems = list(page.object_list)
    for p in problems:
        p.late = p.overdue_on(day)
    query = request.GET.copy()
    query.pop("page", None)
    states = Problem.State.choices if reads_all else [(v, l) for v, l in Problem.State.choices
                                                       if v != Problem.State.RECORDED]
    counts = svc.unit_counts(request.user, c, day)
    ctx = {"cycle": c, "problems": problems, "counts": counts, "state": state, "overdue": overdue, "unit": unit,
           "units": units, "states": states, "reads_all": reads_all, "office": access.is_office(request.user),
           "today": day, "to_send": sum(x.recorded for x in counts), "page": page, "query": query.urlencode()}
    return render(request, "reporting/problem_list.html", ctx)


@login_required
def problem_export(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    buf = BytesIO()
    svc.write_problem_sheet(buf, request.user, c)
    return xlsx_response(buf.getvalue(), f"problems-{c.year}.xlsx")


@login_required
def problem_template(request: HttpRequest, cycle: int) -> HttpResponse:
    _office_cycle(request, cycle)
    buf = BytesIO()
    svc.write_problem_template(buf)
    return xlsx_response(buf.getvalue(), "problems-template.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = ProblemForm(request.POST or None, cycle=c, runs=svc.half_year_runs(c))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = svc.record_problem(by=request.user, cycle=c, unit=d["unit"], indicator=d["indicator"], run=d["run"],
                                   text=d["text"], answer_by=d["answer_by"])
        except svc.ProblemRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记问题（待下发）。"))
            return redirect("problem_detail", cycle=c.pk, pk=p.pk)
    return render(request, "reporting/problem_new.html", {"cycle": c, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def problem_import(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = ProblemImportForm(request.POST or None, request.FILES or None, runs=svc.half_year_runs(c))
    errors: list[svc.SheetProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = svc.read_problem_sheet(upload.read())
            n = svc.import_problems(by=request.user, cycle=c, rows=rows, run=form.cleaned_data["run"],
                                    source=upload.name)
        except svc.ProblemSheetInvalid as exc:
            errors = exc.problems
            messages.error(request, _("导入未执行：发现 %(n)d 个问题，请改正后重新上传。") % {"n": len(errors)})
        except svc.ProblemRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已导入 %(n)d 个问题（待下发）。") % {"n": n})
            return redirect("problem_list", cycle=c.pk)
    ctx = {"cycle": c, "form": form, "errors": errors, "headers": svc.SHEET_HEADERS}
    return render(request, "reporting/problem_import.html", ctx)


@login_required
@require_POST
def problem_send(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    chosen = request.POST.getlist("problem")
    ids = [int(x) for x in chosen if x.isascii() and x.isdigit()] if chosen else None
    if request.POST.get("scope") == "chosen" and not ids:
        messages.error(request, _("没有勾选问题：请先勾选要下发的问题，或用“下发全部”。"))
        return redirect("problem_list", cycle=c.pk)
    n = svc.send_problems(by=request.user, cycle=c, ids=ids)
    if n:
        messages.success(request, _("已下发 %(n)d 个问题。") % {"n": n})
    else:
        messages.info(request, _("没有待下发的问题。"))
    return redirect("problem_list", cycle=c.pk)


def _history(problem: Problem) -> list:
    return [(e, str(ACTIONS.get(e.action, audit.action_label(e.action))), "", audit.changes(e))
            for e in audit.history("reporting.Problem", str(problem.pk))]


def _detail(request: HttpRequest, c, problem: Problem, **forms) -> HttpResponse:
    own = access.own_unit(request.user)
    ctx = {"cycle": c, "problem": problem, "evidence": problem.evidence.all(), "rows": _history(problem),
           "office": access.is_office(request.user), "late": problem.overdue_on(svc.gates.today()),
           "may_answer": own is not None and own.pk == problem.unit_id and problem.state == Problem.State.SENT,
           "answer_form": forms.get("answer_form") or AnswerForm(),
           "verify_form": forms.get("verify_form") or VerifyForm()}
    return render(request, "reporting/problem_detail.html", ctx)


@login_required
def problem_detail(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    problem = access.get_problem_for_user(request.user, c, pk)
    return _detail(request, c, problem)


@login_required
@require_POST
def problem_answer(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    problem = access.get_problem_for_user(request.user, c, pk)
    own = access.own_unit(request.user)
    if own is None or own.pk != problem.unit_id:
        raise PermissionDenied  # the office and leaders read it; only the unit answers
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.answer_problem(by=request.user, problem=problem, measures=d["measures"], due=d["due"],
                               uploads=d["files"])
        except (svc.ProblemRefused, EvidenceRefused) as exc:
            messages.error(request, str(exc))
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已反馈整改情况，待考核办核验。"))
            return redirect("problem_detail", cycle=c.pk, pk=problem.pk)
    return _detail(request, c, problem, answer_form=form)


def _verify(request: HttpRequest, cycle: int, pk: int, action, done: str) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    problem = access.get_problem_for_user(request.user, c, pk)
    access.require_office(request.user)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            extra = {"answer_by": form.cleaned_data["answer_by"]} if action is svc.reopen_problem else {}
            action(by=request.user, problem=problem, verification=form.cleaned_data["verification"], **extra)
        except svc.ProblemRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("problem_detail", cycle=c.pk, pk=problem.pk)
    return _detail(request, c, problem, verify_form=form)


@login_required
@require_POST
def problem_close(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    return _verify(request, cycle, pk, svc.close_problem, _("已销号。"))


@login_required
@require_POST
def problem_reopen(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    return _verify(request, cycle, pk, svc.reopen_problem, _("已退回单位继续整改。"))
