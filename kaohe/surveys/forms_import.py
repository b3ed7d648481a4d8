"""The form of the survey answer import page: one file, checked by its size and its content."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.lib.uploads import check_size

from .imports import ImportInvalid, check_upload


class ImportForm(forms.Form):
    file = forms.FileField(label=_("答卷文件（CSV 或 .xlsx）"),
                           widget=forms.ClearableFileInput({"accept": ".csv,.xlsx", "class": "form-control"}))

    def clean_file(self):
        f = check_size(self.cleaned_data["file"])
        try:
            self.kind = check_upload(f)  # by content, whatever the file's name says
        except ImportInvalid as exc:
            raise forms.ValidationError(exc.problems[0].message) from None
        return f
