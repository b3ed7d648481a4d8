"""Forms of the register pages: they parse and check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.organisation.models import Unit

from .models import Entry
from .services import BONUS_SOURCES, PENALTY_SOURCES

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's "Uploading multiple files")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(INPUT))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class EntryForm(forms.Form):
    """A unit's bonus application; for the office also deductions and vetoes, for any unit."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), widget=forms.Select(SELECT))
    kind = forms.ChoiceField(label=_("类型"), choices=Entry.Kind.choices, widget=forms.Select(SELECT))
    source = forms.ChoiceField(label=_("来源"), choices=Entry.Source.choices, widget=forms.Select(SELECT))
    title = forms.CharField(label=_("事项"), max_length=200, widget=forms.TextInput(INPUT))
    reason = forms.CharField(label=_("事由"), required=False, widget=forms.Textarea({"rows": 3, **INPUT}),
                             help_text=_("扣分和一票否决必填"))
    reference = forms.CharField(label=_("文号"), max_length=120, required=False, widget=forms.TextInput(INPUT),
                                help_text=_("表彰、通报或处分文件的文号"))
    points_claimed = forms.FloatField(label=_("申报分值"), min_value=0, max_value=1000, required=False,
                                      widget=forms.NumberInput({"step": "0.01", **INPUT}))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("可选多个文件：PDF、图片、Word、Excel、PowerPoint"))

    def __init__(self, *args: Any, office: bool, units, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        if office:
            self.fields["unit"].queryset = units
        else:
            # a unit applies for bonus points for itself only
            del self.fields["unit"]
            del self.fields["kind"]
            self.fields["source"].choices = [(s.value, s.label) for s in BONUS_SOURCES]
            self.fields["points_claimed"].required = True

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind", Entry.Kind.BONUS)
        data["kind"] = kind
        source = data.get("source")
        if source:
            allowed = BONUS_SOURCES if kind == Entry.Kind.BONUS else PENALTY_SOURCES
            if source not in allowed:
                self.add_error("source", _("“%(kind)s”的来源只能是：%(allowed)s")
                               % {"kind": Entry.Kind(kind).label,
                                  "allowed": "、".join(str(Entry.Source(s).label) for s in allowed)})
        if kind != Entry.Kind.BONUS and not (data.get("reason") or "").strip():
            self.add_error("reason", _("扣分和一票否决须写明事由"))
        points = data.get("points_claimed")
        if kind == Entry.Kind.VETO:
            data["points_claimed"] = 0.0
        elif points is None or points <= 0:
            self.add_error("points_claimed", _("请填写大于 0 的分值"))
        return data


class ExpertScoreForm(forms.Form):
    expert = forms.CharField(label=_("评审专家"), max_length=60, widget=forms.TextInput(INPUT))
    score = forms.FloatField(label=_("评分"), min_value=0, max_value=1000,
                             widget=forms.NumberInput({"step": "0.01", **INPUT}))


class DecideForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    outcome = forms.ChoiceField(label=_("审定结果"), choices=[(APPROVE, _("批准")), (REJECT, _("不予批准"))],
                                widget=forms.RadioSelect({"class": "form-check-input"}))
    points = forms.FloatField(label=_("核定分值"), required=False, min_value=0, max_value=1000,
                              widget=forms.NumberInput({"step": "0.01", **INPUT}),
                              help_text=_("创新创优事项留空则取专家评分的平均值；一票否决无分值"))
    decision = forms.CharField(label=_("审定意见"), required=False, widget=forms.Textarea({"rows": 2, **INPUT}),
                               help_text=_("不予批准时必填；结果公布后修改也须填写理由"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == self.REJECT and not (data.get("decision") or "").strip():
            self.add_error("decision", _("不予批准须写明理由"))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea({"rows": 2, **INPUT}))
