"""Checks every upload goes through before its content is read."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


def check_size(f: UploadedFile) -> UploadedFile:
    """Refuse a file over KAOHE_MAX_UPLOAD, with the limit in the message."""
    if f.size > settings.KAOHE_MAX_UPLOAD:
        raise forms.ValidationError(_("文件超过大小上限 %(mb)d MB") % {"mb": settings.KAOHE_MAX_UPLOAD // 2**20})
    return f
