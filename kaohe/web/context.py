"""Template context shared by every page: the user's role and the navigation it allows."""

from __future__ import annotations

from django.http import HttpRequest

from . import access
from .notice_views import unread_count


def navigation(request: HttpRequest) -> dict:
    user = request.user
    return {
        "kh_role": access.role(user),
        "kh_is_office": access.is_office(user),
        "kh_reads_all": access.reads_everything(user),
        "kh_unit": access.own_unit(user),
        "kh_profile": access.profile(user),
        "kh_unread": unread_count(user),
    }
