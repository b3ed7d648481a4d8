"""Online rating pages: the office's setup (groups, window, raters, completion), the raters' sheets, the scores.

While the window has not closed nobody but the rater reads a sheet's scores: the office sees completion only.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.indicators import gates
from kaohe.indicators.models import Cycle, RaterGroup
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import selectors, services
from .forms import GroupForm, RaterForm, RatesForm, SheetGrid, UploadForm, WindowForm
from .models import Rater



def _office_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = access.get_cycle_for_user(request.user, pk)
    access.require_office(request.user)
    return cycle


def _reader_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = access.get_cycle_for_user(request.user, pk)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    return cycle


# ---- the office's setup -----------------------------------------------------------------------


def _setup_page(request: HttpRequest, c: Cycle, group_form: GroupForm | None = None,
                window_form: WindowForm | None = None) -> HttpResponse:
    window = selectors.window_of(c)
    groups = selectors.groups(c)
    for g in groups:
        g.percent = f"{g.weight * 100:.6g}"  # exact in the edit field, where widthratio would round
    raters = selectors.raters(c)
    leaves = [{"leaf": n, "groups": selectors.leaf_groups(n, groups), "all": not (n.params or {}).get("groups")}
              for n in selectors.rating_leaves(c)]
    day = gates.today()
    ctx = {"cycle": c, "window": window, "groups": groups, "weight_sum": sum(g.weight for g in groups),
           "weight_ok": abs(sum(g.weight for g in groups) - 1) < 1e-6,
           "group_form": group_form or GroupForm(), "window_form": window_form or WindowForm(
               initial=WindowForm.initial_from(window)),
           "leaves": leaves, "raters": raters, "progress": selectors.completion(c, raters),
           "waiting": [r for r in raters if r.submitted_at is None], "closed_reason": selectors.closed_reason(window, day),
           "sealed": selectors.sealed(c, window, day), "can_edit": access.is_office(request.user)}
    return render(request, "ratings/setup.html", ctx)


@login_required
def rating_setup(request: HttpRequest, cycle: int) -> HttpResponse:
    return _setup_page(request, _reader_cycle(request, cycle))


@login_required
@require_POST
def rater_group_save(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = GroupForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        group = get_object_or_404(RaterGroup, cycle=c, pk=d["pk"]) if d["pk"] else None
        try:
            saved = services.save_group(by=request.user, cycle=c, group=group, code=d["code"], name=d["name"],
                                        weight=d["weight"])
        except services.RatingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存评议组 %(name)s。") % {"name": saved.name})
            return redirect("rating_setup", cycle=c.pk)
    return _setup_page(request, c, group_form=form)


@login_required
@require_POST
def rater_group_delete(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    group = get_object_or_404(RaterGroup, cycle=c, pk=pk)
    try:
        services.delete_group(by=request.user, group=group)
    except services.RatingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除评议组 %(name)s。") % {"name": group.name})
    return redirect("rating_setup", cycle=c.pk)


@login_required
@require_POST
def rating_window_save(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            services.save_window(by=request.user, cycle=c, **form.cleaned_data)
        except services.RatingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存评议时间。"))
            return redirect("rating_setup", cycle=c.pk)
    return _setup_page(request, c, window_form=form)


@login_required
@require_POST
def rating_remind(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    told = services.remind_raters(by=request.user, cycle=c)
    messages.success(request, _("已提醒未提交的评议人：%(n)d 人收到通知（同一评议人每天只提醒一次）。") % {"n": told})
    return redirect("rating_setup", cycle=c.pk)


# ---- raters -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rater_add(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = RaterForm(request.POST or None, cycle=c)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rater = services.add_rater(by=request.user, cycle=c, group=d["group"], user=d["user"], unit=d["unit"],
                                       code=d["code"], rates=d["rates"])
        except services.RatingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已添加评议人 %(who)s（%(code)s），评议 %(n)d 个单位。")
                             % {"who": rater, "code": rater.code, "n": len(d["rates"])})
            return redirect("rating_setup", cycle=c.pk)
    return render(request, "ratings/rater_form.html", {"cycle": c, "form": form, "rater": None,
                                                       "has_groups": bool(selectors.groups(c))})


@login_required
@require_http_methods(["GET", "POST"])
def rater_import(request: HttpRequest, cycle: int) -> HttpResponse:
    """Many raters at once from Excel: all or nothing, every problem by row and column."""
    c = _office_cycle(request, cycle)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[services.SheetProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.read_rater_sheet(form.cleaned_data["file"].read())
            n = services.import_raters(by=request.user, cycle=c, rows=rows)
        except services.RaterSheetInvalid as exc:
            problems = exc.problems
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已导入 %(n)d 个评议人。") % {"n": n})
            return redirect("rating_setup", cycle=c.pk)
    ctx = {"cycle": c, "form": form, "problems": problems, "groups": selectors.groups(c)}
    return render(request, "ratings/rater_import.html", ctx)


def _office_rater(c: Cycle, pk: int) -> Rater:
    return get_object_or_404(Rater.objects.select_related("group", "user__profile", "unit"), cycle=c, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def rater_edit(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    rater = _office_rater(c, pk)
    own = selectors.own_unit_of(rater)
    form = RatesForm(request.POST or None, cycle=c, own=own,
                     initial={"rates": list(rater.rates.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_rater(by=request.user, rater=rater, rates=form.cleaned_data["rates"])
        except services.RatingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存 %(who)s 的被评议单位。") % {"who": rater} if changed else _("没有修改。"))
            return redirect("rating_setup", cycle=c.pk)
    ctx = {"cycle": c, "form": form, "rater": rater, "own": own, "has_groups": True}
    return render(request, "ratings/rater_form.html", ctx)


@login_required
@require_POST
def rater_delete(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    rater = _office_rater(c, pk)
    try:
        services.delete_rater(by=request.user, rater=rater)
    except services.RatingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除评议人 %(who)s（%(code)s）。") % {"who": rater, "code": rater.code})
    return redirect("rating_setup", cycle=c.pk)


# ---- the raters' sheets -----------------------------------------------------------------------


@login_required
def rating_sheets(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    window = selectors.window_of(c)
    sheets = list(access.raters_for(request.user, c).prefetch_related("rates").order_by("group_id", "code"))
    ctx = {"cycle": c, "sheets": sheets, "window": window,
           "closed_reason": selectors.closed_reason(window, gates.today())}
    return render(request, "ratings/sheets.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def rating_sheet(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    rater = access.get_rater_for_user(request.user, c, pk)
    window = selectors.window_of(c)
    closed = selectors.closed_reason(window, gates.today())
    leaves, rows = selectors.sheet(rater)
    cells = {(n, r.unit.pk) for r in rows for n in r.leaves}
    grid = SheetGrid(cells)
    grid.fill_from(rater.scores.all())
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if grid.bind(request.POST):
            try:
                if submit:
                    n = services.submit_sheet(by=request.user, rater=rater, cells=grid.parsed)
                else:
                    n = services.save_sheet(by=request.user, rater=rater, cells=grid.parsed)
            except services.SheetInvalid as exc:
                grid.errors = exc.errors
                messages.error(request, str(exc))
            except services.RatingError as exc:
                messages.error(request, str(exc))
                if isinstance(exc, (services.AlreadySubmitted, services.RatingClosed)):
                    return redirect("rating_sheet", cycle=c.pk, pk=rater.pk)
            else:
                if submit:
                    messages.success(request, _("评议表已提交（%(n)d 项评分），不能再修改。") % {"n": n})
                else:
                    messages.success(request, _("已保存草稿（%(n)d 格有变化）。截止前请记得提交。") % {"n": n})
                return redirect("rating_sheet", cycle=c.pk, pk=rater.pk)
        else:
            messages.error(request, _("有 %(n)d 个格子填写有误（已标红），全部未保存。") % {"n": len(grid.errors)})
    writable = not closed and rater.submitted_at is None
    table = [{"unit": r.unit, "cells": [_cell(grid, n, r) for n in leaves]} for r in rows]
    ctx = {"cycle": c, "rater": rater, "window": window, "closed_reason": closed, "leaves": leaves, "table": table,
           "writable": writable, "errors": len(grid.errors), "cell_count": len(cells)}
    return render(request, "ratings/sheet.html", ctx)


def _cell(grid: SheetGrid, leaf, row: selectors.SheetRow) -> dict:
    key = (leaf.pk, row.unit.pk)
    if leaf.pk not in row.leaves:
        return {"applies": False}
    s_name, r_name = grid.names(key)
    score, reason = grid.raw.get(key, ("", ""))
    return {"applies": True, "s_name": s_name, "r_name": r_name, "score": score, "reason": reason,
            "error": grid.errors.get(key), "leaf": leaf}


# ---- scores -----------------------------------------------------------------------------------


@login_required
def rating_scores(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _reader_cycle(request, cycle)
    window = selectors.window_of(c)
    sealed = selectors.sealed(c, window, gates.today())
    raters = selectors.raters(c)
    ctx = {"cycle": c, "window": window, "sealed": sealed, "leaves": [] if sealed else selectors.scores(c),
           "progress": selectors.completion(c, raters)}
    return render(request, "ratings/scores.html", ctx)


@login_required
def rating_scores_export(request: HttpRequest, cycle: int) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = _reader_cycle(request, cycle)
    if selectors.sealed(c, selectors.window_of(c), gates.today()):
        messages.error(request, _("评分密封：评议截止后才能导出评分。"))
        return redirect("rating_scores", cycle=c.pk)
    book = Workbook()
    summary = book.active
    summary.title = str(_("评议得分"))
    raw = book.create_sheet(str(_("评分明细")))
    bold = Font(bold=True)
    all_leaves = selectors.scores(c)
    head = [str(_("指标编号")), str(_("指标")), str(_("单位编号")), str(_("单位"))]
    group_heads: list[str] = []
    for g in selectors.groups(c):
        group_heads += [f"{g.name} {_('人数')}", f"{g.name} {_('平均分')}"]
    summary.append(head + group_heads + [str(_("加权平均")), str(_("指标得分"))])
    raw.append(head + [str(_("评议组")), str(_("评议人编号")), str(_("分数")), str(_("理由"))])
    group_pks = [g.pk for g in selectors.groups(c)]
    for ls in all_leaves:
        for us in ls.units:
            by_group = {cell.group.pk: cell for cell in us.cells}
            cols: list = []
            for gpk in group_pks:
                cell = by_group.get(gpk)
                cols += [cell.count if cell else None,
                         round(cell.mean, 4) if cell and cell.mean is not None else None]
            summary.append([ls.leaf.code, ls.leaf.name, us.unit.code, us.unit.name] + cols
                           + [round(us.combined, 4) if us.combined is not None else None,
                              round(us.score, 4) if us.score is not None else None])
            for r in us.ratings:
                raw.append([ls.leaf.code, ls.leaf.name, us.unit.code, us.unit.name, r.group.name, r.rater, r.score,
                            r.reason])
    for sheet in (summary, raw):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "E2"
    buf = BytesIO()
    book.save(buf)
    return xlsx_response(buf.getvalue(), f"ratings-{c.year}-{c.pk}.xlsx")
