"""The landing page: the cycles this user may see, and what they can do in each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cycles = access.cycles_for(request.user).distinct().prefetch_related("phases")
    ctx = {"cycles": cycles}
    return render(request, "web/home.html", ctx)
