"""Versions side by side, and appeals (申诉) on a version in public notice."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.indicators import gates
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import versions
from .models import Appeal, Run, RunUnit
from .selectors import runs_of


# --- comparing two versions ------------------------------------------------------------------------------

def _pair(request: HttpRequest, cycle) -> tuple[Run | None, Run | None]:
    """The two versions asked for (?a=&b=, run pks), else the latest two this person may read."""
    if not access.reads_everything(request.user):
        raise PermissionDenied
    visible = access.runs_visible(request.user, cycle)
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not a and not b:
        return versions.default_pair(visible)
    if not a and b.isdigit():  # one version against the one before it (the run list's 对比 link)
        after = get_object_or_404(visible, pk=int(b))
        before = visible.filter(number__lt=after.number).order_by("-number").first()
        if before is None:
            raise Http404
        return before, after
    if not (a.isdigit() and b.isdigit()):
        raise Http404
    return get_object_or_404(visible, pk=int(a)), get_object_or_404(visible, pk=int(b))


@login_required
def run_compare(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    a, b = _pair(request, cycle_obj)
    ctx: dict = {"cycle": cycle_obj, "a": a, "b": b,
                 "choices": list(runs_of(cycle_obj).filter(pk__in=access.runs_visible(request.user, cycle_obj)))}
    if a is not None and b is not None:
        changes = versions.compare_results(a, b)
        diff = versions.diff_scenarios(a.scenario, b.scenario)
        show_all = request.GET.get("all") == "1"
        ctx.update(changes=changes if show_all else [c for c in changes if c.changed], show_all=show_all,
                   changed_units=sum(c.changed for c in changes), unit_count=len(changes),
                   node_changes=[(c, n) for c in changes for n in c.nodes], diff=diff,
                   diff_count=versions.diff_count(diff), same_inputs=a.fingerprint == b.fingerprint,
                   field_labels=versions.FIELD_LABELS, adj_kinds=versions.ADJ_KINDS)
    return render(request, "results/version_compare.html", ctx)


@login_required
def run_compare_export(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    a, b = _pair(request, cycle_obj)
    if a is None or b is None:
        messages.error(request, _("至少要有两次计算才能对比。"))
        return redirect("run_compare", cycle_obj.pk)
    data = versions.compare_xlsx(a, b, versions.compare_results(a, b), versions.diff_scenarios(a.scenario, b.scenario))
    return xlsx_response(data, f"{cycle_obj.name}-第{a.number}次与第{b.number}次计算对比.xlsx")


# --- appeals ---------------------------------------------------------------------------------------------

class AppealForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("申诉的指标"))
    reason = forms.CharField(label=gettext_lazy("申诉理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)

    def __init__(self, *args, nodes: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "——")] + [
            (n.code, f"{'　' * n.depth}{n.code} {n.name}（{_('得分')} {n.score:.2f} / {n.points:g}）"
             if n.score is not None and n.points is not None else f"{'　' * n.depth}{n.code} {n.name}")
            for n in nodes]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("处理结果"), widget=forms.RadioSelect,
                                choices=[("reject", gettext_lazy("驳回")), ("accept", gettext_lazy("采纳"))])
    decision = forms.CharField(label=gettext_lazy("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    actual = forms.FloatField(label=gettext_lazy("更正后的实际值"), required=False)


@login_required
def appeal_new(request: HttpRequest, cycle: int, run: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    if access.reads_everything(request.user):
        raise PermissionDenied  # appeals are filed by the assessed units themselves
    unit = access.own_unit(request.user)
    run_obj = access.get_run_for_user(request.user, cycle_obj, run)
    row = get_object_or_404(RunUnit.objects.select_related("unit", "run"), run=run_obj, unit=unit)
    refusal = versions.appeal_window(run_obj)
    nodes = versions.appealable_nodes(row)
    form = AppealForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            appeal = versions.file_appeal(by=request.user, run=run_obj, unit=unit,
                                          indicator_code=form.cleaned_data["indicator"],
                                          reason=form.cleaned_data["reason"], uploads=request.FILES.getlist("evidence"))
        except versions.AppealRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("申诉已提交，考核办处理后会通知您。"))
            return redirect("appeal_detail", cycle_obj.pk, appeal.pk)
    ctx = {"cycle": cycle_obj, "run": run_obj, "row": row, "form": form, "refusal": refusal,
           "mine": Appeal.objects.filter(run=run_obj, unit=unit)}
    return render(request, "results/appeal_new.html", ctx)


@login_required
def appeal_list(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    appeals = versions.appeals_for(request.user, cycle_obj)
    state, unit_pk, run_pk = request.GET.get("state", ""), request.GET.get("unit", ""), request.GET.get("run", "")
    if state in Appeal.State.values:
        appeals = appeals.filter(state=state)
    if unit_pk.isdigit():
        appeals = appeals.filter(unit_id=int(unit_pk))
    if run_pk.isdigit():
        appeals = appeals.filter(run_id=int(run_pk))
    unit = access.own_unit(request.user)
    published = gates.published_run(cycle_obj)
    may_file = (published is not None and unit is not None and not versions.appeal_window(published)
                and published.unit_results.filter(unit=unit).exists())
    reads_all = access.reads_everything(request.user)
    ctx = {"cycle": cycle_obj, "appeals": list(appeals), "states": Appeal.State.choices, "state": state,
           "unit_pk": unit_pk, "run_pk": run_pk, "published": published, "may_file": may_file,
           "units": list(cycle_obj.units.order_by("code")) if reads_all else [],
           "runs": list(runs_of(cycle_obj).filter(appeals__isnull=False).distinct()) if reads_all else []}
    return render(request, "results/appeal_list.html", ctx)


def _node(run: Run | None, unit, code: str) -> dict | None:
    """The unit's result in a version, with the appealed node's score and its explanation."""
    if run is None:
        return None
    row = run.unit_results.filter(unit=unit).first()
    if row is None:
        return None
    score = next((s for s in row.scores if s["indicator"] == code), {})
    return {"total": row.total, "rank": row.rank, "grade": row.grade, "applicable": bool(score.get("applicable")),
            "points": score.get("points"), "score": score.get("score"), "lost": score.get("lost"),
            "explain": score.get("explain") or ""}


def _value(run: Run, unit_code: str, code: str) -> dict:
    return next((v for v in run.scenario.get("values", []) if v["unit"] == unit_code and v["indicator"] == code), {})


@login_required
def appeal_detail(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    appeal = access.get_appeal_for_user(request.user, cycle_obj, pk)
    return _render_detail(request, cycle_obj, appeal, DecideForm())


def _render_detail(request: HttpRequest, cycle_obj, appeal: Appeal, form: DecideForm) -> HttpResponse:
    data_leaf = versions.is_data_leaf(appeal.run, appeal.indicator_code)
    ctx = {"cycle": cycle_obj, "appeal": appeal, "form": form, "data_leaf": data_leaf,
           "method": versions.node_method(appeal.run, appeal.indicator_code),
           "old": _node(appeal.run, appeal.unit, appeal.indicator_code),
           "new": _node(appeal.new_run, appeal.unit, appeal.indicator_code),
           "value": _value(appeal.run, appeal.unit.code, appeal.indicator_code) if data_leaf else {},
           "new_value": (_value(appeal.new_run, appeal.unit.code, appeal.indicator_code)
                         if data_leaf and appeal.new_run else {}),
           "evidence": list(appeal.evidence.all()), "history": versions.appeal_history(appeal),
           "field_labels": versions.FIELD_LABELS}
    return render(request, "results/appeal_detail.html", ctx)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    appeal = access.get_appeal_for_user(request.user, cycle_obj, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            appeal = versions.decide_appeal(by=request.user, appeal=appeal,
                                            accept=form.cleaned_data["outcome"] == "accept",
                                            decision=form.cleaned_data["decision"], actual=form.cleaned_data["actual"])
        except versions.AppealRefused as exc:
            form.add_error(None, str(exc))
        else:
            if appeal.state == Appeal.State.ACCEPTED:
                messages.success(request, _("申诉已采纳：第 %(n)s 次计算已算出并公示，更正了第 %(old)s 次计算；已通知单位。")
                                 % {"n": appeal.new_run.number, "old": appeal.run.number})
            else:
                messages.success(request, _("申诉已驳回，已通知单位。"))
            return redirect("appeal_detail", cycle_obj.pk, appeal.pk)
    return _render_detail(request, cycle_obj, appeal, form)
