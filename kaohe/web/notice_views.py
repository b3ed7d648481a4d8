"""In-app notices (站内通知): a person's list, and reading one (which leads to where the work is)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notice


def unread_count(user) -> int:
    """How many notices the person has not read, for the badge in the navigation."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    mine = Notice.objects.filter(user=request.user).select_related("cycle").order_by("-created_at", "-id")
    unread = list(mine.filter(read_at__isnull=True))
    read = list(mine.filter(read_at__isnull=False)[:100])  # the unread all, then the latest read ones
    return render(request, "web/notices.html", {"unread": unread, "read": read})


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        # reading one's own notice changes no assessment data: not an audited action
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("notice_list")
