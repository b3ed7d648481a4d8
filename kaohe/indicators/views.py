"""Cycles, the indicator system editor, workbook import/export and the values grids.

Each view: access helper first, a form that parses, one service that writes (with its audit entry).
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kaohe.engine import METHOD_LABELS
from kaohe.engine.schema import DATA_METHODS
from kaohe.organisation.models import Domain, Unit
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access
from kaohe.workbook import WorkbookInvalid, read_workbook, write_workbook

from . import gates, selectors, services
from .forms import (CycleForm, DeleteForm, GradeFormSet, IndicatorForm, ParamsForm, PhasesForm,
                    SettingsForm, SheetUploadForm, ValueGrid, VALUE_LABELS, WorkbookUploadForm, grid_fields,
                    leaf_problems, paste_rows, settings_from, settings_initial, settings_problems, sheet_rows)
from .models import Cycle, CycleUnit, Indicator, RaterGroup, Value



def _office_cycle(request: HttpRequest, pk: int) -> Cycle:
    """The cycle, for a page that changes it: the office only (others who may read it get 403)."""
    cycle = access.get_cycle_for_user(request.user, pk)
    access.require_office(request.user)
    return cycle


# ---- cycles -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = services.create_cycle(by=request.user, year=form.cleaned_data["year"], name=form.cleaned_data["name"])
        messages.success(request, _("已创建考核周期“%(name)s”。下一步：导入考核工作簿，或逐项建立指标体系。") % {"name": cycle.name})
        return redirect("cycle_detail", cycle=cycle.pk)
    return render(request, "indicators/cycle_form.html", {"form": form, "title": _("新建考核周期")})


@login_required
def cycle_detail(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    unit = access.own_unit(request.user)
    ctx = {"cycle": c, "phases": c.phases.all(), "counts": selectors.cycle_counts(c),
           "led": access.indicators_led(request.user, c).count(),
           "member": unit is not None and c.units.filter(pk=unit.pk).exists(),
           "copied_from": c.copied_from, "sheets": access.raters_for(request.user, c).count(),
           "reporting": gates.current_reporting_phase(c), "today": gates.today()}
    return render(request, "indicators/cycle_detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_copy(request: HttpRequest, cycle: int) -> HttpResponse:
    source = _office_cycle(request, cycle)
    form = CycleForm(request.POST or None, initial={"year": source.year + 1,
                                                     "name": source.name.replace(str(source.year), str(source.year + 1))})
    if request.method == "POST" and form.is_valid():
        new = services.copy_cycle(by=request.user, source=source, year=form.cleaned_data["year"],
                                  name=form.cleaned_data["name"])
        messages.success(request, _("已从“%(src)s”复制出“%(name)s”：单位、指标体系、目标值和计分设置已带入，上年实际值作为基期值。")
                         % {"src": source.name, "name": new.name})
        return redirect("cycle_detail", cycle=new.pk)
    ctx = {"form": form, "cycle": source, "title": _("复制为新周期"), "copy": True}
    return render(request, "indicators/cycle_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_phases(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    initial = {}
    for p in c.phases.all():
        initial[f"{p.kind}_starts"], initial[f"{p.kind}_ends"] = p.starts, p.ends
        initial[f"{p.kind}_report_opens"], initial[f"{p.kind}_report_closes"] = p.report_opens, p.report_closes
    form = PhasesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.save_phases(by=request.user, cycle=c, phases=form.cleaned_data["phases"])
        except gates.PhaseClosed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存阶段安排（%(n)d 处修改）。") % {"n": n})
            return redirect("cycle_detail", cycle=c.pk)
    return render(request, "indicators/cycle_phases.html", {"cycle": c, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_settings(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    initial, grades = settings_initial(c.settings or {})
    form = SettingsForm(request.POST or None, initial=initial)
    formset = GradeFormSet(request.POST or None, initial=grades, prefix="g")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        new = settings_from(form, formset, c.settings or {})
        problems = settings_problems(new)
        if not problems:
            services.save_settings(by=request.user, cycle=c, settings=new)
            messages.success(request, _("已保存计分设置。"))
            return redirect("cycle_detail", cycle=c.pk)
    ctx = {"cycle": c, "form": form, "formset": formset, "problems": problems}
    return render(request, "indicators/cycle_settings.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_units(request: HttpRequest, cycle: int) -> HttpResponse:
    """Which units are assessed in the cycle, and whose leadership team was rated excellent."""
    c = _office_cycle(request, cycle)
    current = dict(CycleUnit.objects.filter(cycle=c).values_list("unit_id", "leadership_excellent"))
    units = list(Unit.objects.filter(Q(active=True) | Q(pk__in=current)).select_related("domain", "category")
                 .order_by("domain__order", "domain__code", "code"))
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("unit") if x.isascii() and x.isdigit()}
        excellent = {int(x) for x in request.POST.getlist("excellent") if x.isascii() and x.isdigit()}
        members = {u.pk: u.pk in excellent for u in units if u.pk in chosen}
        try:
            n = services.set_cycle_units(by=request.user, cycle=c, members=members,
                                         reason=request.POST.get("reason", "").strip()[:300])
        except services.UnitHasData as exc:
            messages.error(request, _("未保存：以下单位在本周期已有数据，不能移出：%(names)s") % {"names": exc})
        else:
            messages.success(request, _("已保存考核对象（%(n)d 处修改）。") % {"n": n})
            return redirect("cycle_detail", cycle=c.pk)
        current = {pk: pk in excellent for pk in chosen}
    rows = [{"unit": u, "member": u.pk in current, "excellent": current.get(u.pk, False)} for u in units]
    return render(request, "indicators/cycle_units.html", {"cycle": c, "rows": rows, "count": len(current)})


# ---- the indicator tree -----------------------------------------------------------------------


@login_required
def indicator_tree(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    sums = selectors.children_points(c)
    domains = dict(Domain.objects.values_list("code", "name"))
    rows = []
    for n, depth in selectors.tree(c):
        below = sums.get(n.pk)
        mismatch = below is not None and n.points is not None and abs(n.points - below) > 1e-9
        rows.append({"node": n, "depth": depth, "indent": depth * 1.5, "below": below, "mismatch": mismatch,
                     "method_label": METHOD_LABELS.get(n.method, ""), "empty_group": not n.method and below is None,
                     "scope": _scope(n, domains)})
    ctx = {"cycle": c, "rows": rows, "mismatches": sum(r["mismatch"] for r in rows)}
    return render(request, "indicators/indicator_tree.html", ctx)


def _scope(n: Indicator, domains: dict[str, str]) -> str:
    """Where a node applies, in words (its own applies_to; below a root, the rest is inherited)."""
    parts = []
    if n.applies_domains:
        parts.append(_("领域") + " " + "、".join(domains.get(d, d) for d in n.applies_domains))
    if n.applies_categories:
        parts.append(_("类别") + " " + "、".join(n.applies_categories))
    if n.applies_units:
        parts.append(_("仅") + " " + "、".join(n.applies_units))
    if n.exclude_units:
        parts.append(_("排除") + " " + "、".join(n.exclude_units))
    return "；".join(parts)


def _int(text: str | None) -> int:
    """A pk from a query string; 0 (no such row) for anything that is not a number."""
    return int(text) if text and text.isascii() and text.isdigit() else 0


def _groups(cycle: Cycle) -> list[RaterGroup]:
    return list(RaterGroup.objects.filter(cycle=cycle).order_by("id"))


def _indicator_form(request: HttpRequest, c: Cycle, node: Indicator | None) -> HttpResponse:
    groups = _groups(c)
    if node is not None:
        initial = IndicatorForm.initial_from(node)
    else:
        parent = c.indicators.filter(pk=_int(request.GET.get("parent")), method="").first()
        initial = {"parent": parent.pk if parent else None, "line": "main", "direction": "higher"}
    form = IndicatorForm(request.POST or None, cycle=c, indicator=node, initial=initial)
    method = (request.POST.get("method") if request.method == "POST" else initial.get("method")) or ""
    if method not in METHOD_LABELS:
        method = ""
    params_form = (ParamsForm(request.POST or None, method=method, groups=groups,
                              initial=ParamsForm.initial_from(node.params if node and node.method == method else {}))
                   if method else None)
    problems: list[str] = []
    if request.method == "POST":
        ok = form.is_valid() and (params_form is None or params_form.is_valid())
        if ok and method:
            problems = leaf_problems(code=form.cleaned_data["code"], method=method,
                                     points=form.cleaned_data["points"], params=params_form.cleaned_data["params"],
                                     groups=groups)
        if ok and not problems:
            params = params_form.cleaned_data["params"] if params_form else {}
            saved = services.save_indicator(by=request.user, cycle=c, indicator=node,
                                            data=form.data_for_service(params), reason=form.cleaned_data["reason"])
            messages.success(request, _("已保存指标 %(code)s %(name)s。") % {"code": saved.code, "name": saved.name})
            _warn_points(request, c, saved)
            return redirect(reverse("indicator_tree", args=[c.pk]) + f"#n{saved.pk}")
    ctx = {"cycle": c, "form": form, "params_form": params_form, "node": node, "problems": problems,
           "method_label": METHOD_LABELS.get(method, "")}
    return render(request, "indicators/indicator_form.html", ctx)


def _warn_points(request: HttpRequest, c: Cycle, saved: Indicator) -> None:
    """After a save, say where a group's points and its children's sum now differ (on the saved node's path)."""
    sums = selectors.children_points(c)
    for n in selectors.ancestors(saved):
        below = sums.get(n.pk)
        if below is not None and n.points is not None and abs(n.points - below) > 1e-9:
            messages.warning(request, _("注意：%(code)s %(name)s 分值 %(p)g ≠ 下级合计 %(b)g") %
                             {"code": n.code, "name": n.name, "p": n.points, "b": below})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    return _indicator_form(request, c, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    node = get_object_or_404(c.indicators.select_related("parent", "lead_unit"), pk=pk)
    return _indicator_form(request, c, node)


@login_required
def indicator_params(request: HttpRequest, cycle: int) -> HttpResponse:
    """The params part of the indicator form for the method chosen (htmx swaps it in)."""
    c = _office_cycle(request, cycle)
    method = request.GET.get("method", "")
    node = c.indicators.filter(pk=_int(request.GET.get("pk"))).first()
    params_form = None
    if method in METHOD_LABELS:
        params = node.params if node is not None and node.method == method else {}
        params_form = ParamsForm(method=method, groups=_groups(c), initial=ParamsForm.initial_from(params))
    ctx = {"params_form": params_form, "method_label": METHOD_LABELS.get(method, "")}
    return render(request, "indicators/_params.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    node = get_object_or_404(c.indicators, pk=pk)
    under = selectors.descendants(c, node) - {node.pk}
    below = [n for n, _d in selectors.tree(c) if n.pk in under]
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_indicator(by=request.user, indicator=node, reason=form.cleaned_data["reason"])
        messages.success(request, _("已删除指标 %(code)s %(name)s 及其 %(n)d 个下级指标。") %
                         {"code": node.code, "name": node.name, "n": len(below)})
        return redirect("indicator_tree", cycle=c.pk)
    values = Value.objects.filter(indicator__in=[node, *below]).count()
    ctx = {"cycle": c, "node": node, "below": below, "values": values, "form": form}
    return render(request, "indicators/indicator_delete.html", ctx)


# ---- workbook import and export ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_import(request: HttpRequest, cycle: int) -> HttpResponse:
    c = _office_cycle(request, cycle)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            scenario = read_workbook(upload.read())
        except WorkbookInvalid as exc:
            problems = exc.problems
            messages.error(request, _("工作簿有 %(n)d 个问题，未导入任何内容。请按下表逐项改正后重新上传。") % {"n": len(problems)})
        else:
            try:
                counts = services.import_scenario(by=request.user, cycle=c, scenario=scenario, source=upload.name,
                                                  reason=form.cleaned_data["reason"])
            except gates.PhaseClosed as exc:
                messages.error(request, str(exc))
                return render(request, "indicators/cycle_import.html",
                              {"cycle": c, "form": form, "problems": [], "counts": selectors.cycle_counts(c)})
            except (KeyError, ValueError, TypeError, DatabaseError) as exc:
                # The reader checked the workbook; a clash with what is already stored (a unit code used
                # elsewhere, say) still rolls the whole import back.
                messages.error(request, _("导入未执行，数据库未作任何改动：%(err)s") % {"err": exc})
                return render(request, "indicators/cycle_import.html",
                              {"cycle": c, "form": form, "problems": [], "counts": selectors.cycle_counts(c)})
            messages.success(request, _("已导入 %(name)s：%(units)d 个单位、%(indicators)d 个指标、%(values)d 条数据、"
                                        "%(ratings)d 条评议、%(responses)d 条问卷、%(adjustments)d 条加减分。")
                             % {"name": upload.name, **counts})
            return redirect("cycle_detail", cycle=c.pk)
    ctx = {"cycle": c, "form": form, "problems": problems, "counts": selectors.cycle_counts(c)}
    return render(request, "indicators/cycle_import.html", ctx)


@login_required
def cycle_export(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied  # the workbook holds every unit's data
    buf = BytesIO()
    write_workbook(selectors.scenario_for(c), buf)
    return xlsx_response(buf.getvalue(), f"cycle-{c.year}-{c.pk}.xlsx")


# ---- values -----------------------------------------------------------------------------------


@login_required
def value_index(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    led = access.indicators_led(request.user, c)
    # the office and leaders see every leaf (leaders read only); a lead unit sees the leaves it leads
    shown = c.indicators.exclude(method="") if access.reads_everything(request.user) else led
    leaves = list(shown.select_related("lead_unit", "parent").order_by("order", "id"))
    progress = selectors.value_progress(c, leaves)
    writable = set(led.values_list("pk", flat=True))
    rows = [{"leaf": n, "label": METHOD_LABELS.get(n.method, n.method), "filled": progress[n.pk][0],
             "total": progress[n.pk][1], "editable": n.pk in writable,
             "data": n.method in DATA_METHODS} for n in leaves]
    return render(request, "indicators/value_index.html", {"cycle": c, "rows": rows})


def _grid_ctx(c: Cycle, leaf: Indicator, units: list, grid: ValueGrid, editable: list[str], reference: list[str],
              can_write: bool, **extra) -> dict:
    # a reference column (the target of a method that does not use it) only when some unit has one
    shown = [f for f in reference if any(grid.raw.get((u.pk, f)) for u in units)]
    cols = [(f, VALUE_LABELS[f], f in editable and can_write) for f in ("target", "baseline", "actual")
            if f in editable or f in shown]
    table = [{"unit": u, "cells": [{"field": f, "label": label, "name": ValueGrid.name(u.pk, f),
                                    "value": grid.raw.get((u.pk, f), ""), "error": grid.errors.get((u.pk, f)),
                                    "input": inp} for f, label, inp in cols]} for u in units]
    return {"cycle": c, "leaf": leaf, "cols": cols, "table": table, "can_write": can_write,
            "method_label": METHOD_LABELS.get(leaf.method, leaf.method), "errors": len(grid.errors),
            **extra}


@login_required
@require_http_methods(["GET", "POST"])
def value_grid(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    can_write = access.indicators_led(request.user, c).filter(pk=pk).exists()
    if request.method == "POST" or not access.reads_everything(request.user):
        leaf = access.get_indicator_for_user(request.user, c, pk, write=True)
    else:
        leaf = access.get_indicator_for_user(request.user, c, pk)
    if not leaf.method:
        raise Http404
    if leaf.method not in DATA_METHODS:
        messages.info(request, _("%(code)s 按评议或问卷计分，评分和问卷通过考核工作簿导入，不在此逐格录入。") % {"code": leaf.code})
        return redirect("value_index", cycle=c.pk)
    units = selectors.applicable_units(c, leaf)
    editable, reference = grid_fields(leaf)
    grid = ValueGrid(leaf, units, editable)
    grid.fill_from({v.unit_id: v for v in Value.objects.filter(indicator=leaf)})
    notes: list[str] = []
    action = request.POST.get("action", "save")
    if request.method == "POST" and action in ("paste", "upload"):
        grid.keep(request.POST)
        if action == "paste":
            rows = paste_rows(request.POST.get("text", ""))
        else:
            form = SheetUploadForm(request.POST, request.FILES)
            rows, notes = (sheet_rows(form.cleaned_data["file"].read(), leaf.code) if form.is_valid()
                           else ([], [str(e) for e in form.errors.get("file", [])]))
        if rows:
            used, notes = grid.paste(rows, where=_("表格") if action == "upload" else "")
            if used:
                messages.info(request, _("已把 %(n)d 行数据填入下表，尚未保存：请检查后点“保存全部”。") % {"n": used})
        elif not notes:
            notes = [_("没有读到数据行。")]
    elif request.method == "POST":
        if grid.bind(request.POST):
            try:
                n = services.save_values(by=request.user, cycle=c, rows=[(leaf, u, f) for u, f in grid.rows],
                                         reason=request.POST.get("reason", "").strip()[:300])
            except gates.PhaseClosed as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存：%(n)d 个单位的数据有变化。") % {"n": n})
                return redirect("value_grid", cycle=c.pk, pk=leaf.pk)
        else:
            messages.error(request, _("有 %(n)d 个格子填写有误（已标红），全部未保存。") % {"n": len(grid.errors)})
    ctx = _grid_ctx(c, leaf, units, grid, editable, reference, can_write, notes=notes)
    return render(request, "indicators/value_grid.html", ctx)


@login_required
def value_grid_export(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """The grid as a sheet to fill in offline; the upload on the grid page reads it back."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = access.get_cycle_for_user(request.user, cycle)
    leaf = access.get_indicator_for_user(request.user, c, pk, write=not access.reads_everything(request.user))
    if leaf.method not in DATA_METHODS:
        raise Http404
    values = {v.unit_id: v for v in Value.objects.filter(indicator=leaf)}
    book = Workbook()
    sheet = book.active
    sheet.title = leaf.code[:31]
    sheet.append([str(_("单位编号")), str(_("单位名称")), str(_("实际值")), str(_("目标值")), str(_("基期值"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for u in selectors.applicable_units(c, leaf):
        v = values.get(u.pk)
        sheet.append([u.code, u.name] + [getattr(v, f) if v else None for f in ("actual", "target", "baseline")])
    for col, width in zip("ABCDE", (12, 24, 12, 12, 12)):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "C2"
    buf = BytesIO()
    book.save(buf)
    return xlsx_response(buf.getvalue(), f"values-{c.year}-{leaf.code}.xlsx")


@login_required
def my_unit(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    unit = access.own_unit(request.user)
    if unit is None or not c.units.filter(pk=unit.pk).exists():
        raise Http404
    leaves = selectors.applicable_leaves(c, unit)
    values = {v.indicator_id: v for v in Value.objects.filter(cycle=c, unit=unit)}
    rows = [{"leaf": n, "label": METHOD_LABELS.get(n.method, n.method), "value": values.get(n.pk)} for n in leaves]
    return render(request, "indicators/my_unit.html", {"cycle": c, "unit": unit, "rows": rows})
