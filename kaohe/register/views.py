"""The register pages: the list with the per-unit summary, applying, and the office's judgement."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaohe.audit import selectors as audit
from kaohe.indicators.gates import PhaseClosed
from kaohe.reporting.evidence import EvidenceRefused
from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import selectors, services
from .forms import DecideForm, EntryForm, ExpertScoreForm, WithdrawForm
from .models import Entry

ACTIONS = {"create": gettext_lazy("登记"), "expert_score": gettext_lazy("专家评分"), "approve": gettext_lazy("批准"),
           "reject": gettext_lazy("不予批准"), "withdraw": gettext_lazy("撤销审定")}


def history_rows(obj) -> list:
    """An object's audit entries, put for the shared audit table (audit/_entries.html)."""
    type_ = f"{obj._meta.app_label}.{obj.__class__.__name__}"
    return [(e, str(ACTIONS.get(e.action, audit.action_label(e.action))), "", audit.changes(e))
            for e in audit.history(type_, str(obj.pk))]


@login_required
def register_list(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    reads_all = access.reads_everything(request.user)
    units = access.units_visible(request.user, c).order_by("code")
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Entry.Kind.values else ""
    state = request.GET.get("state", "") if request.GET.get("state") in Entry.State.values else ""
    unit = None
    if reads_all and request.GET.get("unit", "").isdigit():
        unit = units.filter(pk=int(request.GET["unit"])).first()
    entries = selectors.entries_for(request.user, c, kind=kind, state=state, unit=unit)
    summaries, bonus_cap, deduction_cap = selectors.unit_summaries(request.user, c)
    own = access.own_unit(request.user)
    ctx = {"cycle": c, "entries": entries, "summaries": summaries, "bonus_cap": bonus_cap,
           "deduction_cap": deduction_cap, "kinds": Entry.Kind.choices, "states": Entry.State.choices,
           "units": units if reads_all else [], "kind": kind, "state": state, "unit": unit,
           "may_apply": access.is_office(request.user) or (own is not None and c.units.filter(pk=own.pk).exists()),
           "reads_all": reads_all}
    return render(request, "register/register_list.html", ctx)


@login_required
def register_export(request: HttpRequest, cycle: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    buf = BytesIO()
    selectors.write_register_sheet(buf, request.user, c)
    return xlsx_response(buf.getvalue(), f"register-{c.year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def register_apply(request: HttpRequest, cycle: int) -> HttpResponse:
    """A unit applies for bonus points; the office records any kind of entry for any unit."""
    c = access.get_cycle_for_user(request.user, cycle)
    office = access.is_office(request.user)
    own = access.own_unit(request.user)
    if not office and (own is None or not c.units.filter(pk=own.pk).exists()):
        raise PermissionDenied  # only assessed units apply; leaders and lead-only units do not
    form = EntryForm(request.POST or None, request.FILES or None, office=office,
                     units=c.units.order_by("code"), initial={"kind": Entry.Kind.BONUS})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {"by": request.user, "cycle": c, "source": d["source"], "title": d["title"], "reason": d["reason"],
                  "reference": d["reference"], "points_claimed": d["points_claimed"] or 0, "uploads": d["files"]}
        try:
            if office:
                entry = services.record_entry(unit=d["unit"], kind=d["kind"], **common)
            else:
                entry = services.apply_entry(unit=own, **common)
        except (services.EntryRefused, EvidenceRefused) as exc:
            messages.error(request, str(exc))
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记“%(t)s”，待考核办审定。") % {"t": entry.title})
            return redirect("register_detail", cycle=c.pk, pk=entry.pk)
    return render(request, "register/register_apply.html", {"cycle": c, "form": form, "office": office})


def _detail_ctx(request: HttpRequest, c, entry: Entry, **forms) -> dict:
    scores = list(entry.expert_scores.all())
    ctx = {"cycle": c, "entry": entry, "scores": scores, "average": services.expert_average(entry),
           "evidence": entry.evidence.all(), "rows": history_rows(entry), "office": access.is_office(request.user),
           "score_form": forms.get("score_form") or ExpertScoreForm(),
           "decide_form": forms.get("decide_form") or DecideForm(initial={"outcome": DecideForm.APPROVE,
                                                                          "points": entry.points_claimed or None}),
           "withdraw_form": forms.get("withdraw_form") or WithdrawForm()}
    return ctx


@login_required
def register_detail(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c = access.get_cycle_for_user(request.user, cycle)
    entry = access.get_entry_for_user(request.user, c, pk)
    return render(request, "register/register_detail.html", _detail_ctx(request, c, entry))


def _office_entry(request: HttpRequest, cycle: int, pk: int):
    c = access.get_cycle_for_user(request.user, cycle)
    entry = access.get_entry_for_user(request.user, c, pk)
    access.require_office(request.user)
    return c, entry


@login_required
@require_POST
def register_expert_score(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, entry = _office_entry(request, cycle, pk)
    form = ExpertScoreForm(request.POST)
    if form.is_valid():
        try:
            services.add_expert_score(by=request.user, entry=entry, expert=form.cleaned_data["expert"],
                                      score=form.cleaned_data["score"])
        except services.EntryRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已录入专家评分。"))
            return redirect("register_detail", cycle=c.pk, pk=entry.pk)
    return render(request, "register/register_detail.html", _detail_ctx(request, c, entry, score_form=form))


@login_required
@require_POST
def register_decide(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, entry = _office_entry(request, cycle, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.decide_entry(by=request.user, entry=entry, approve=d["outcome"] == DecideForm.APPROVE,
                                          points=d["points"], decision=d["decision"])
        except (services.EntryRefused, PhaseClosed) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已审定：%(s)s。") % {"s": entry.get_state_display()})
            return redirect("register_detail", cycle=c.pk, pk=entry.pk)
    return render(request, "register/register_detail.html", _detail_ctx(request, c, entry, decide_form=form))


@login_required
@require_POST
def register_withdraw(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    c, entry = _office_entry(request, cycle, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_entry(by=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except (services.EntryRefused, PhaseClosed) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已撤销审定，事项回到待审定。"))
            return redirect("register_detail", cycle=c.pk, pk=entry.pk)
    return render(request, "register/register_detail.html", _detail_ctx(request, c, entry, withdraw_form=form))
