"""The survey office pages: design, results, live monitoring, review of flagged submissions, comments.

The office designs and runs surveys, leaders read everything, and an assessed unit opens only the list and the
comments about itself (masked), which it answers.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import reports, services
from .forms_office import (CommentFilter, GroupEditForm, GroupForm, IpReviewForm, QuestionForm, QuestionTextForm,
                           ReplyForm, ReviewForm, StatusForm, SurveyForm)
from .models import Question, Submission, Survey

COMMENTS_PER_PAGE = 50


def _survey(request: HttpRequest, cycle: int, pk: int, *, unit_ok: bool = False):
    c = access.get_cycle_for_user(request.user, cycle)
    return c, access.get_survey_for_user(request.user, c, pk, unit_ok=unit_ok)


def _link(name: str, *args) -> str | None:
    """The address of a page another part of the surveys provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# ---- the list and a new survey --------------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    surveys = list(access.surveys_for(request.user, c).order_by("-created_at", "-id"))
    reads_all = access.reads_everything(request.user)
    unit = access.own_unit(request.user)
    ctx = {"cycle": c, "reads_all": reads_all, "office": access.is_office(request.user)}
    if reads_all:
        answers = reports.answers_per_survey(surveys)
        for s in surveys:
            s.answers = answers.get(s.pk, 0)
    elif unit is not None:
        own = reports.own_comments_per_survey(surveys, unit)
        for s in surveys:
            s.own_comments, s.own_open = own.get(s.pk, (0, 0))
    ctx["surveys"] = surveys
    return render(request, "surveys/list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    form = SurveyForm(request.POST or None, initial={"open_link": False})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                survey = services.create_survey(by=request.user, cycle=c, title=d["title"], intro=d["intro"],
                                                open_link=d["open_link"], opens_at=d["opens_at"],
                                                closes_at=d["closes_at"])
                services.update_survey(by=request.user, survey=survey, **{
                    k: d[k] for k in ("limit_per_ip", "limit_per_device", "burst_minutes", "burst_count")})
        except services.SurveyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建测评“%(t)s”，请添加作答群体和测评问题。") % {"t": survey.title})
            return redirect("survey_detail", cycle=c.pk, pk=survey.pk)
    return render(request, "surveys/list_new.html", {"cycle": c, "form": form})


# ---- design ---------------------------------------------------------------------------------------------------


def _detail_ctx(request: HttpRequest, c, survey: Survey, **forms) -> dict:
    office = access.is_office(request.user)
    questions = list(survey.questions.select_related("indicator").prefetch_related("units__domain", "groups"))
    complete = any(q.units.all() and q.groups.all() for q in questions)
    groups = list(survey.groups.all())
    bound = forms.get("group_edit_form")
    for g in groups:
        g.edit_form = bound if bound is not None and bound.prefix == f"g{g.pk}" else GroupEditForm.of(g)
    return {
        "cycle": c, "survey": survey, "office": office, "questions": questions, "complete": complete,
        "groups": groups,
        "open_url": request.build_absolute_uri(_link("survey_open", survey.open_slug) or "") if survey.open_link
        and _link("survey_open", survey.open_slug) else None,
        "links": {"tokens": _link("survey_tokens", c.pk, survey.pk), "sms": _link("survey_sms", c.pk, survey.pk),
                  "import": _link("survey_import", c.pk, survey.pk)},
        "is_open_now": services.is_open(survey),
        "settings_form": forms.get("settings_form") or SurveyForm.of(survey),
        "group_form": forms.get("group_form") or GroupForm(),
        "question_form": forms.get("question_form") or QuestionForm(survey=survey),
    }


@login_required
def survey_detail(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk)
    return render(request, "surveys/detail.html", _detail_ctx(request, c, survey))


def _office_survey(request: HttpRequest, cycle: int, pk: int):
    c, survey = _survey(request, cycle, pk)
    access.require_office(request.user)
    return c, survey


@login_required
@require_POST
def survey_settings(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _office_survey(request, cycle, pk)
    return _design_form(request, c, survey, SurveyForm(request.POST),
                        lambda d: services.update_survey(by=request.user, survey=survey, **d),
                        lambda _s: _("已保存测评设置。"), "", "settings_form")


def _design_form(request: HttpRequest, c, survey: Survey, form, write, done, anchor: str, ctx_key: str) -> HttpResponse:
    """A design form through its service: done's message and back to the design page at the anchor, or the page
    again with the form's errors (a refusal of the service among them)."""
    if form.is_valid():
        try:
            obj = write(form.cleaned_data)
        except services.SurveyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done(obj))
            return redirect(reverse("survey_detail", args=[c.pk, survey.pk]) + anchor)
    return render(request, "surveys/detail.html", _detail_ctx(request, c, survey, **{ctx_key: form}))


@login_required
@require_POST
def survey_group_add(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _office_survey(request, cycle, pk)
    return _design_form(request, c, survey, GroupForm(request.POST),
                        lambda d: services.add_group(by=request.user, survey=survey, **d),
                        lambda g: _("已添加作答群体“%(n)s”。") % {"n": g.name}, "#groups", "group_form")


@login_required
@require_POST
def survey_question_add(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _office_survey(request, cycle, pk)

    def add(d: dict) -> Question:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
        q = services.add_question(by=request.user, survey=survey, indicator=d["indicator"], direction=d["direction"],
                                  text=d["text"], units=d["all_units"], groups=d["groups"], order=last + 1)
        q.rated = len(d["all_units"])
        return q

    return _design_form(request, c, survey, QuestionForm(request.POST, survey=survey), add,
                        lambda q: _("已添加测评问题“%(t)s”（%(n)d 个被测评单位）。") % {"t": q.text, "n": q.rated},
                        "#questions", "question_form")


def _office_group(request: HttpRequest, cycle: int, pk: int, group: int):
    c, survey = _office_survey(request, cycle, pk)
    return c, survey, get_object_or_404(survey.groups, pk=group)


@login_required
@require_POST
def survey_group_edit(request: HttpRequest, cycle: int, pk: int, group: int) -> HttpResponse:
    c, survey, g = _office_group(request, cycle, pk, group)
    return _design_form(request, c, survey, GroupEditForm.of(g, request.POST),
                        lambda d: services.update_group(by=request.user, group=g, **d),
                        lambda g: _("已保存作答群体“%(n)s”。") % {"n": g.name}, "#groups", "group_edit_form")


@login_required
@require_POST
def survey_group_remove(request: HttpRequest, cycle: int, pk: int, group: int) -> HttpResponse:
    c, survey, g = _office_group(request, cycle, pk, group)
    design = reverse("survey_detail", args=[c.pk, survey.pk]) + "#groups"
    return _removed(request, lambda: services.remove_group(by=request.user, group=g),
                    _("已删除作答群体“%(n)s”。") % {"n": g.name}, design, design)


def _removed(request: HttpRequest, remove, done: str, then: str, refused: str) -> HttpResponse:
    """Remove through the service and go on to `then`, or back to `refused` with the service's reason."""
    try:
        remove()
    except services.SurveyRefused as exc:
        messages.error(request, str(exc))
        return redirect(refused)
    messages.success(request, done)
    return redirect(then)


def _office_question(request: HttpRequest, cycle: int, pk: int, question: int):
    c, survey = _office_survey(request, cycle, pk)
    return c, survey, get_object_or_404(survey.questions.select_related("indicator"), pk=question)


@login_required
@require_http_methods(["GET", "POST"])
def survey_question_edit(request: HttpRequest, cycle: int, pk: int, question: int) -> HttpResponse:
    """A question's page: everything while the survey is being designed, only its wording once it has started."""
    c, survey, q = _office_question(request, cycle, pk, question)
    design = survey.status == Survey.Status.DRAFT
    data = request.POST if request.method == "POST" else None
    form = QuestionForm.of(q, data) if design else QuestionTextForm(data, initial={"text": q.text})
    if request.method == "POST" and not design and any(k in request.POST for k in ("indicator", "units", "groups")):
        # the page was opened while the survey was in design, and it has started since
        form.add_error(None, _("测评已开始，只能修改问题的文字：请看下面的问题页，重新填写。"))
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {"indicator": d["indicator"], "direction": d["direction"], "units": d["all_units"],
                  "groups": d["groups"]} if design else {}
        try:
            q = services.update_question(by=request.user, question=q, text=d["text"], **fields)
        except services.SurveyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存测评问题“%(t)s”。") % {"t": q.text})
            return redirect(reverse("survey_detail", args=[c.pk, survey.pk]) + "#questions")
    return render(request, "surveys/question_edit.html", {"cycle": c, "survey": survey, "question": q, "f": form,
                                                          "design": design})


@login_required
@require_POST
def survey_question_remove(request: HttpRequest, cycle: int, pk: int, question: int) -> HttpResponse:
    c, survey, q = _office_question(request, cycle, pk, question)
    return _removed(request, lambda: services.remove_question(by=request.user, question=q),
                    _("已删除测评问题“%(t)s”。") % {"t": q.text},
                    reverse("survey_detail", args=[c.pk, survey.pk]) + "#questions",
                    reverse("survey_question_edit", args=[c.pk, survey.pk, q.pk]))


@login_required
@require_POST
def survey_status(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _office_survey(request, cycle, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知的状态。"))
    else:
        try:
            services.set_status(by=request.user, survey=survey, status=form.cleaned_data["status"])
        except services.SurveyRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("测评状态：%(s)s。") % {"s": survey.get_status_display()})
    return redirect("survey_detail", cycle=c.pk, pk=survey.pk)


# ---- results --------------------------------------------------------------------------------------------------


@login_required
def survey_results(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk)
    folded = services.fold_counts(survey)  # cheap and idempotent: the figures below are current
    rows = reports.results(survey)
    choices = list(services.choices_of(c))
    ctx = {"cycle": c, "survey": survey, "rows": rows, "folded": folded, "at": timezone.now(),
           "pending": reports.pending(survey), "choices": [(k, reports.choice_label(k)) for k in choices],
           "office": access.is_office(request.user)}
    return render(request, "surveys/results.html", ctx)


@login_required
def survey_results_export(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk)
    services.fold_counts(survey)
    buf = BytesIO()
    reports.write_results(buf, survey, reports.results(survey))
    return xlsx_response(buf.getvalue(), f"survey-{survey.pk}-results.xlsx")


# ---- live monitoring ------------------------------------------------------------------------------------------


@login_required
def survey_monitor(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk)
    services.fold_counts(survey)
    ctx = {"cycle": c, "survey": survey, "data": reports.monitor(survey), "is_open_now": services.is_open(survey)}
    return render(request, "surveys/monitor.html", ctx)


@login_required
def survey_monitor_data(request: HttpRequest, cycle: int, pk: int) -> JsonResponse:
    c, survey = _survey(request, cycle, pk)
    services.fold_counts(survey)
    return JsonResponse(reports.monitor(survey), json_dumps_params={"ensure_ascii": False})


# ---- flagged submissions --------------------------------------------------------------------------------------


def _flagged_page(request: HttpRequest, c, survey: Survey, ip_form: IpReviewForm | None = None) -> HttpResponse:
    ctx = {"cycle": c, "survey": survey, "groups": reports.flagged_groups(survey),
           "reviewed": reports.reviewed(survey), "office": access.is_office(request.user), "ip_form": ip_form}
    return render(request, "surveys/flagged.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def survey_flagged(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """The flagged submissions; a POST reviews all of them from one address at once (a burst)."""
    c, survey = _survey(request, cycle, pk)
    if request.method == "GET":
        return _flagged_page(request, c, survey)
    access.require_office(request.user)
    form = IpReviewForm(request.POST)
    if not form.is_valid():
        return _flagged_page(request, c, survey, form)
    d = form.cleaned_data
    accept = d["decision"] == "accept"
    n = services.review_from_ip(by=request.user, survey=survey, ip=d["ip"], accept=accept, note=d["note"])
    if accept:
        messages.success(request, _("已将来自 %(ip)s 的 %(n)d 份答卷复核为有效，将计入统计。") % {"ip": d["ip"], "n": n})
    else:
        messages.success(request, _("已将来自 %(ip)s 的 %(n)d 份答卷复核为无效，不计入统计。") % {"ip": d["ip"], "n": n})
    return redirect("survey_flagged", cycle=c.pk, pk=survey.pk)


@login_required
@require_POST
def survey_review(request: HttpRequest, cycle: int, pk: int, sub: int) -> HttpResponse:
    c, survey = _office_survey(request, cycle, pk)
    submission = Submission.objects.filter(survey=survey, pk=sub).first()
    if submission is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择复核结果。"))
        return _flagged_page(request, c, survey)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.review(by=request.user, submission=submission, accept=accept, note=form.cleaned_data["note"])
    except services.SurveyRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("答卷 #%(n)d 已复核为%(s)s。") % {
            "n": submission.pk, "s": _("有效") if accept else _("无效")})
    return redirect("survey_flagged", cycle=c.pk, pk=survey.pk)


# ---- comments -------------------------------------------------------------------------------------------------


def _comments_page(request: HttpRequest, c, survey: Survey, bad_reply: tuple[int, ReplyForm] | None = None
                   ) -> HttpResponse:
    reads_all = access.reads_everything(request.user)
    office = access.is_office(request.user)
    unit = access.own_unit(request.user)
    comments = access.comments_for(request.user, survey)
    filters = CommentFilter(request.GET or None, survey=survey, reads_all=reads_all)
    page = Paginator(filters.apply(comments).order_by("-created_at", "-id"), COMMENTS_PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"cycle": c, "survey": survey, "reads_all": reads_all, "office": office,
           "per_unit": reports.comment_counts(comments), "filters": filters, "page": page,
           "query": query.urlencode(), "shows_original": office,
           # the unit concerned answers; the office may answer in its place; leaders read
           "may_reply": office or unit is not None, "bad_reply": bad_reply}
    return render(request, "surveys/comments.html", ctx)


@login_required
def survey_comments(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk, unit_ok=True)
    return _comments_page(request, c, survey)


@login_required
@require_POST
def survey_comment_reply(request: HttpRequest, cycle: int, pk: int, comment: int) -> HttpResponse:
    c, survey = _survey(request, cycle, pk, unit_ok=True)
    item = access.get_comment_for_user(request.user, survey, comment)
    if not (access.is_office(request.user) or access.own_unit(request.user) == item.unit):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_comment(by=request.user, comment=item, text=form.cleaned_data["text"])
        except services.SurveyRefused as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("已答复。"))
            return redirect(reverse("survey_comments", args=[c.pk, survey.pk]) + f"#comment-{item.pk}")
    return _comments_page(request, c, survey, bad_reply=(item.pk, form))

