"""结果运用: the office's rules per cycle, and each unit's outcomes with the results that triggered them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.lib.downloads import xlsx_response
from kaohe.web import access

from . import exports, selectors
from .forms import KIND_FIELDS, RuleForm, initial_for
from .models import Rule
from .services import delete_rule, save_rule


def _rules_page(request: HttpRequest, cycle, bound: RuleForm | None = None, bound_pk: int | None = None,
                status: int = 200) -> HttpResponse:
    rules = list(cycle.outcome_rules.all())
    problems = selectors.rule_problems(rules)
    forms = [(r, bound if bound is not None and bound_pk == r.pk else RuleForm(initial=initial_for(r), prefix=f"r{r.pk}"),
              problems.get(r.pk)) for r in rules]
    new = bound if bound is not None and bound_pk is None else RuleForm(prefix="new")
    ctx = {"cycle": cycle, "rules": forms, "new_form": new, "kind_fields": KIND_FIELDS, "run": selectors.public_result_run(cycle)}
    return render(request, "outcomes/rules.html", ctx, status=status)


@login_required
def outcome_rules(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    if not access.reads_everything(request.user):
        raise PermissionDenied
    return _rules_page(request, cycle_obj)


@login_required
@require_POST
def rule_save(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    pk = request.POST.get("rule") or None
    rule = get_object_or_404(Rule, cycle=cycle_obj, pk=pk) if pk else None
    form = RuleForm(request.POST, prefix=f"r{rule.pk}" if rule else "new")
    if not form.is_valid():
        messages.error(request, _("规则未保存，请按提示修改。"))
        return _rules_page(request, cycle_obj, bound=form, bound_pk=rule.pk if rule else None)
    d = form.cleaned_data
    save_rule(by=request.user, cycle=cycle_obj, rule=rule, name=d["name"], kind=d["kind"], params=d["params"],
              outcome=d["outcome"], order=d["order"])
    messages.success(request, _("规则“%(name)s”已保存。") % {"name": d["name"]})
    return redirect("outcome_rules", cycle_obj.pk)


@login_required
@require_POST
def rule_delete(request: HttpRequest, cycle: int, rule: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    access.require_office(request.user)
    rule_obj = get_object_or_404(Rule, cycle=cycle_obj, pk=rule)
    delete_rule(by=request.user, rule=rule_obj)
    messages.success(request, _("规则“%(name)s”已删除。") % {"name": rule_obj.name})
    return redirect("outcome_rules", cycle_obj.pk)


def _outcomes(request: HttpRequest, cycle) -> tuple[list[selectors.Outcome], dict]:
    """The outcomes this person may read, filtered by ?rule= and ?unit= (a unit the person may not read: 404)."""
    units = access.units_visible(request.user, cycle)
    rules = cycle.outcome_rules.all()
    chosen = {"rule": None, "unit": None}
    if request.GET.get("rule", "").isdigit():
        chosen["rule"] = get_object_or_404(rules, pk=int(request.GET["rule"]))
        rules = rules.filter(pk=chosen["rule"].pk)
    if request.GET.get("unit", "").isdigit():
        chosen["unit"] = get_object_or_404(units, pk=int(request.GET["unit"]))
        units = units.filter(pk=chosen["unit"].pk)
    return selectors.outcomes(cycle, units, rules), chosen


@login_required
def outcome_list(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    found, chosen = _outcomes(request, cycle_obj)
    chain = selectors.history_cycles(cycle_obj)
    ctx = {"cycle": cycle_obj, "outcomes": found, "chosen": chosen, "rules": cycle_obj.outcome_rules.all(),
           "units": access.units_visible(request.user, cycle_obj).order_by("domain__order", "code"),
           "chain": chain, "published": chain and chain[-1][0].pk == cycle_obj.pk,
           "query": request.GET.urlencode()}
    return render(request, "outcomes/outcome_list.html", ctx)


@login_required
def outcome_export(request: HttpRequest, cycle: int) -> HttpResponse:
    cycle_obj = access.get_cycle_for_user(request.user, cycle)
    found, _chosen = _outcomes(request, cycle_obj)
    return xlsx_response(exports.outcomes_xlsx(found), f"{cycle_obj.name}-结果运用.xlsx")
