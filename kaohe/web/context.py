"""Template context shared by every page: the user's role and the navigation it allows."""

from __future__ import annotations

from django.http import HttpRequest

from . import access


def navigation(request: HttpRequest) -> dict:
    user = request.user
    return {
        "kh_role": access.role(user),
        "kh_is_office": access.is_office(user),
        "kh_reads_all": access.reads_everything(user),
        "kh_unit": access.own_unit(user),
        "kh_profile": access.profile(user),
        "kh_unread": _unread(user),
    }


def _unread(user) -> int:
    from .models import Notice

    return Notice.objects.filter(user=user, read_at__isnull=True).count() if user.is_authenticated else 0
