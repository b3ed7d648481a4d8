"""Telling people what to do: an in-app notice, and an e-mail where the person has an address."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from kaohe.organisation.models import Profile, Unit

from .models import Notice

log = logging.getLogger(__name__)


def _mail(subject: str, body: str, addresses: list[str]) -> None:
    """The notice is already kept; a mail server that is down must not undo the work, only be logged."""
    try:
        send_mail(subject, body, None, addresses)
    except Exception:  # noqa: BLE001 — any failure of the mail server
        log.warning("could not mail %d address(es): %s", len(addresses), subject, exc_info=True)


def unit_users(unit: Unit) -> list:
    """The active people of a unit, who receive what is sent to the unit."""
    return [p.user for p in Profile.objects.filter(unit=unit, role=Profile.Role.UNIT, user__is_active=True)
            .select_related("user")]


def notify(*, users: Iterable, text: str, link: str = "", cycle=None, key: str = "", subject: str = "",
           email: bool = True) -> int:
    """Leave a notice for each person (once per key, when a key is given) and mail them after the commit.

    Returns how many people were told. Call inside the transaction of the change the notice is about.
    """
    told = []
    for user in users:
        if key and Notice.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                Notice.objects.create(user=user, cycle=cycle, text=text[:500], link=link[:300], key=key)
        except IntegrityError:  # a second run of the same job, racing the first
            continue
        told.append(user)
    addresses = [u.email for u in told if u.email]
    if email and addresses:
        body = text + (f"\n\n{settings.KAOHE_SITE_URL}{link}" if link else "")
        transaction.on_commit(lambda: _mail(subject or text[:60], body, addresses))
    return len(told)
