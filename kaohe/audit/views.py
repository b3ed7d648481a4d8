"""The audit log (office only): every change, who made it, when, old → new; and one object's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.web import access

from . import selectors
from .forms import AuditFilterForm

PER_PAGE = 100


def _page(request: HttpRequest, qs):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(e, selectors.action_label(e.action), selectors.type_label(e.object_type), selectors.changes(e))
            for e in page.object_list]
    return page, rows


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = AuditFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"cycle_id": d["cycle"].pk if d["cycle"] else None, "action": d["action"],
                   "object_type": d["object_type"], "actor": d["actor"]}
    page, rows = _page(request, selectors.entries(**filters))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/audit_log.html", ctx)


@login_required
def audit_object(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    # one object's history is the office's; to anyone else it does not exist
    if not access.is_office(request.user):
        raise Http404
    page, rows = _page(request, selectors.history(object_type, object_id))
    latest = page.object_list[0] if rows else None
    ctx = {"page": page, "rows": rows, "object_type": object_type, "object_id": object_id,
           "type_label": selectors.type_label(object_type), "latest": latest, "query": ""}
    return render(request, "audit/audit_object.html", ctx)
