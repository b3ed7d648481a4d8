"""The daily job as a scheduled Django task: run, then booked again for the next morning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import default_task_backend
from django.utils import timezone

from kaohe.supervision.tasks import next_run, supervision_daily_task

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_next_run_is_the_next_six_in_the_morning() -> None:
    tz = timezone.get_current_timezone()
    assert next_run(dt.datetime(2026, 8, 8, 5, 59, tzinfo=tz)) == dt.datetime(2026, 8, 8, 6, 0, tzinfo=tz)
    assert next_run(dt.datetime(2026, 8, 8, 6, 0, tzinfo=tz)) == dt.datetime(2026, 8, 9, 6, 0, tzinfo=tz)


def test_schedule_refuses_a_backend_that_cannot_run_later(db) -> None:
    with pytest.raises(CommandError, match="cron"):
        call_command("supervision_daily", "--schedule")


def test_schedule_books_the_task_and_each_run_books_the_next(db, settings) -> None:
    settings.TASKS = DUMMY
    call_command("supervision_daily", "--schedule")
    booked = default_task_backend.results
    assert len(booked) == 1 and booked[0].task.run_after is not None
    assert booked[0].task.func is supervision_daily_task.func
    counts = supervision_daily_task.call()  # what a worker does when the time comes
    assert counts["overdue"] == 0
    assert len(default_task_backend.results) == 2
