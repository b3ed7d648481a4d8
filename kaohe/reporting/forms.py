"""Forms of the reporting pages: they parse what a unit or a reviewer sends, they never write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .evidence import ALLOWED_LABEL


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the Django documentation's recipe); size and type are checked on storing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    actual = forms.FloatField(label=_("完成值"), required=False,
                              widget=forms.TextInput({"class": "form-control", "inputmode": "decimal"}))
    account = forms.CharField(label=_("完成情况说明"), required=False, max_length=5000,
                              widget=forms.Textarea({"class": "form-control", "rows": 6}))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("可一次选择多个文件。允许：%(types)s。") % {"types": ALLOWED_LABEL})
    action = forms.ChoiceField(choices=[("save", _("保存草稿")), ("submit", _("提交审核"))], required=False)

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "save"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "submit" and data.get("actual") is None and "actual" not in self.errors:
            self.add_error("actual", _("提交审核前须填写完成值。"))
        return data


class ReviewForm(forms.Form):
    DECISIONS = [("accept", _("采纳（审定值即填报值）")), ("correct", _("修正审定值")), ("return", _("退回单位修改"))]

    decision = forms.ChoiceField(label=_("审核结论"), choices=DECISIONS,
                                 widget=forms.RadioSelect({"class": "form-check-input"}))
    value = forms.FloatField(label=_("审定值"), required=False,
                             widget=forms.TextInput({"class": "form-control", "inputmode": "decimal"}))
    reason = forms.CharField(label=_("修正理由"), required=False, max_length=300,
                             widget=forms.TextInput({"class": "form-control"}))
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000,
                              widget=forms.Textarea({"class": "form-control", "rows": 3}),
                              help_text=_("退回时必填，单位会看到。"))

    def clean(self) -> dict:
        data = super().clean()
        decision = data.get("decision")
        if decision == "correct":
            if data.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("修正须填写审定值。"))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("修正须填写理由。"))
        if decision == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("退回须填写审核意见。"))
        return data


class QueueFilterForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("牵头单位"), queryset=None, required=False, empty_label=_("全部牵头单位"),
                                  widget=forms.Select({"class": "form-select form-select-sm"}))

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
