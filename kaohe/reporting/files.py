"""Serving evidence files: only through this view, only to those who may read what they are attached to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path

from kaohe.web import access

from .models import Evidence

INLINE = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence, pk=pk)
    if not access.may_read_evidence(request.user, evidence):
        raise Http404
    try:
        f = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    resp = FileResponse(f, content_type=evidence.mime, as_attachment=evidence.mime not in INLINE,
                        filename=evidence.name)
    resp["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    resp["Cache-Control"] = "private, no-store"
    return resp


urlpatterns = [path("<int:pk>/", evidence_download, name="evidence_download")]
