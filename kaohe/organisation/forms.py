"""Forms of the organisation pages: they parse uploads, they never write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件 (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.KAOHE_MAX_UPLOAD:
            raise forms.ValidationError(_("文件超过大小上限 %(mb)d MB") % {"mb": settings.KAOHE_MAX_UPLOAD // 2**20})
        return f
