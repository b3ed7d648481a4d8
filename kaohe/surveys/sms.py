"""Sending survey invitations by SMS through a pluggable sender (settings.KAOHE_SMS_SENDER, a dotted path).

A deployment plugs in its provider's gateway (a class with `send(phone, text)`); the default writes each message
to the log, so that nothing ever leaves the machine in development or in tests.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask

log = logging.getLogger("kaohe.sms")


class SmsFailed(Exception):
    """A message the gateway did not accept (the reason is shown to the office)."""


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send one message to one mobile number (11 digits); raise SmsFailed when it was not accepted."""


class ConsoleSender:
    """Writes the message to the log instead of sending it (development, tests, offline deployments)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask(phone), text)


def load_sender() -> SmsSender:
    """A new instance of the configured sender class."""
    return import_string(settings.KAOHE_SMS_SENDER)()
