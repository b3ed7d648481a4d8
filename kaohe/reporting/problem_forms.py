"""Forms of the half-year problem pages: they parse and check; kaohe.reporting.problems writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.indicators import gates
from kaohe.indicators.models import Indicator
from kaohe.lib.uploads import check_size
from kaohe.organisation.models import Unit
from kaohe.register.forms import MultipleFileField
from kaohe.results.models import Run

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = forms.DateInput({"type": "date", **INPUT}, format="%Y-%m-%d")


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run: Run) -> str:
        return _("第%(n)d次计算（%(at)s）") % {"n": run.number, "at": f"{run.created_at:%Y-%m-%d}"}


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, i: Indicator) -> str:
        return f"{i.code} {i.name}"


class ProblemForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), widget=forms.Select(SELECT))
    indicator = IndicatorChoiceField(label=_("指标"), queryset=Indicator.objects.none(), required=False,
                                     widget=forms.Select(SELECT))
    run = RunChoiceField(label=_("所据计算"), queryset=Run.objects.none(), required=False, widget=forms.Select(SELECT),
                         help_text=_("本周期的半年评估计算（可不选）"))
    text = forms.CharField(label=_("问题"), widget=forms.Textarea({"rows": 4, **INPUT}))
    answer_by = forms.DateField(label=_("反馈期限"), required=False, widget=DATE)

    def __init__(self, *args: Any, cycle, runs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = cycle.units.order_by("code")
        self.fields["indicator"].queryset = cycle.indicators.order_by("order", "code")
        self.fields["run"].queryset = runs


class ProblemImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件 (.xlsx)"), widget=forms.ClearableFileInput({"accept": ".xlsx", **INPUT}))
    run = RunChoiceField(label=_("所据计算"), queryset=Run.objects.none(), required=False, widget=forms.Select(SELECT),
                         help_text=_("本周期的半年评估计算（可不选）"))

    def __init__(self, *args: Any, runs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs

    def clean_file(self):
        f = self.cleaned_data["file"]
        check_size(f)
        return f


class AnswerForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea({"rows": 4, **INPUT}))
    due = forms.DateField(label=_("整改完成时限"), widget=DATE)
    files = MultipleFileField(label=_("佐证材料"), required=False)

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < gates.today():
            raise forms.ValidationError(_("整改完成时限不能早于今天"))
        return due


class VerifyForm(forms.Form):
    verification = forms.CharField(label=_("核验意见"), widget=forms.Textarea({"rows": 3, **INPUT}))
    answer_by = forms.DateField(label=_("退回时的新反馈期限"), required=False,
                                help_text=_("退回整改时填写；原期限已过时必须填写"),
                                widget=forms.DateInput({"type": "date", **INPUT}))
