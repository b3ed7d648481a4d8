"""Forms of the supervision overview pages: the special report's choices (parsed here, written nowhere)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Item
from .report import DEFAULT_TITLE


class ReportForm(forms.Form):
    """What goes into a special report (专报): which items, its title, issue number and note, PDF or Word."""

    FORMATS = [("pdf", "PDF"), ("docx", "Word (.docx)")]

    items = forms.ModelMultipleChoiceField(
        label=_("督办事项"), queryset=Item.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个督办事项。"),
                        "invalid_choice": _("所选事项不存在或不在可选范围内。")})
    title = forms.CharField(label=_("标题"), max_length=60, initial=DEFAULT_TITLE)
    issue = forms.IntegerField(label=_("期号"), min_value=1, max_value=9999,
                               error_messages={"required": _("请填写期号。")})
    note = forms.CharField(label=_("按语"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    format = forms.ChoiceField(label=_("格式"), choices=FORMATS, initial="pdf")

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
