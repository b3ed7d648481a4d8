"""Forms of the key-project, livelihood and supervision-plan pages: they parse and check; projects.py writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.organisation.models import Unit

from .models import Inspection, Item

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _money(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, help_text=help_text, **MONEY,
                              widget=forms.NumberInput({"step": "0.01", "min": "0", **INPUT}))


def _year() -> forms.IntegerField:
    return forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))


def _units():
    return Unit.objects.filter(active=True).order_by("code")


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.year} · {obj.code} {obj.title}"


class _ProjectForm(forms.Form):
    """What both kinds of project have: year, code, name, lead unit and the optional supervision item."""

    source: str = ""
    free_items: dict[str, bool] = {}

    year = _year()
    code = forms.CharField(label=_("编号"), max_length=40, widget=forms.TextInput(INPUT))
    name = forms.CharField(label=_("项目名称"), max_length=200, widget=forms.TextInput(INPUT))
    lead_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), widget=forms.Select(SELECT))
    item = _ItemChoice(label=_("关联督办事项"), queryset=Item.objects.none(), required=False,
                       widget=forms.Select(SELECT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = _units()
        self.fields["item"].queryset = (Item.objects.filter(source=self.source, **self.free_items)
                                        .order_by("-year", "code"))
        self.fields["item"].help_text = _("可选：来源为“%(s)s”、同一年度、尚未关联项目的督办事项，项目进展取自该事项。") % {
            "s": Item.Source(self.source).label}

    def clean(self) -> dict:
        data = super().clean()
        item, year = data.get("item"), data.get("year")
        if item is not None and year is not None and item.year != year:
            self.add_error("item", _("关联的督办事项是 %(i)d 年的，项目是 %(y)d 年的。") % {"i": item.year, "y": year})
        return data


class KeyProjectForm(_ProjectForm):
    source = Item.Source.KEY_PROJECT
    free_items = {"key_project__isnull": True}

    total_investment = _money(_("总投资（万元）"))
    q1 = _money(_("第一季度计划投资（万元）"), required=False)
    q2 = _money(_("第二季度计划投资（万元）"), required=False)
    q3 = _money(_("第三季度计划投资（万元）"), required=False)
    q4 = _money(_("第四季度计划投资（万元）"), required=False)

    field_order = ["year", "code", "name", "lead_unit", "total_investment", "q1", "q2", "q3", "q4", "item"]

    def clean(self) -> dict:
        data = super().clean()
        # an empty quarter is a plan of 0 万元
        data["plan"] = [data.get(f"q{q}") or 0 for q in range(1, 5)]
        return data


class QuarterForm(forms.Form):
    """One quarter of a key project: the plan, what was completed and the inspection (督查) score."""

    planned = _money(_("计划投资（万元）"))
    completed = _money(_("完成投资（万元）"), required=False, help_text=_("未统计的留空"))
    score = forms.FloatField(label=_("督查评分"), min_value=0, max_value=100, required=False,
                             widget=forms.NumberInput({"step": "0.1", "min": "0", "max": "100", **INPUT}),
                             help_text=_("0–100，未督查的留空"))
    note = forms.CharField(label=_("督查意见"), max_length=300, required=False,
                           widget=forms.Textarea({"rows": 2, **INPUT}))


class LivelihoodForm(_ProjectForm):
    source = Item.Source.LIVELIHOOD
    free_items = {"livelihood_project__isnull": True}

    budget = forms.DecimalField(label=_("预算资金（万元）"), max_digits=14, decimal_places=2, min_value=0.01,
                                widget=forms.NumberInput({"step": "0.01", "min": "0.01", **INPUT}))

    field_order = ["year", "code", "name", "lead_unit", "budget", "item"]


class FundsForm(forms.Form):
    """Funds to date: issued (下达) may pass the budget (Suining 106.32 %); paid (支付) may not pass issued."""

    budget = forms.DecimalField(label=_("预算资金（万元）"), max_digits=14, decimal_places=2, min_value=0.01,
                                widget=forms.NumberInput({"step": "0.01", "min": "0.01", **INPUT}))
    issued = _money(_("已下达资金（万元）"))
    paid = _money(_("已支付资金（万元）"))

    def clean(self) -> dict:
        data = super().clean()
        issued, paid = data.get("issued"), data.get("paid")
        if issued is not None and paid is not None and paid > issued:
            self.add_error("paid", _("已支付资金（%(p)s 万元）不能多于已下达资金（%(i)s 万元）。") % {"p": paid, "i": issued})
        return data


class PlanForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    allowed = forms.IntegerField(label=_("全年计划督查检查次数"), min_value=0, max_value=1000,
                                 widget=forms.NumberInput({"min": "0", **INPUT}))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           widget=forms.Textarea({"rows": 2, **INPUT}), help_text=_("如计划批准文件的文号"))


class InspectionForm(forms.Form):
    """An inspection to schedule; the approval (批准人、文号) is needed once the plan's number is used up."""

    title = forms.CharField(label=_("督查检查名称"), max_length=200, widget=forms.TextInput(INPUT))
    kind = forms.ChoiceField(label=_("类型"), choices=Inspection.Kind.choices, widget=forms.Select(SELECT))
    day = forms.DateField(label=_("日期"), widget=forms.DateInput({"type": "date", **INPUT}, format="%Y-%m-%d"))
    units = forms.ModelMultipleChoiceField(label=_("被检查单位"), queryset=Unit.objects.none(), required=False,
                                           widget=forms.SelectMultiple({"size": 8, **SELECT}),
                                           help_text=_("按住 Ctrl 可多选"))
    approval = forms.CharField(label=_("计划外审批（批准人、文号）"), max_length=200, required=False,
                               widget=forms.TextInput(INPUT),
                               help_text=_("全年计划次数用完后，计划外的督查检查须填写批准人和批准文号"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()
