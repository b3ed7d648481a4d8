"""The daily supervision job as a Django task, for deployments that run a task worker.

Cron runs `manage.py supervision_daily` once a day; where a task backend with deferred runs is configured
(settings.TASKS, e.g. django-tasks' database backend and its worker), `manage.py supervision_daily --schedule`
enqueues this task once and it re-enqueues itself for the next morning after each run.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import default_task_backend, task
from django.utils import timezone

from .services import run_daily

RUN_AT = dt.time(6, 0)  # before the working day, so the morning's notices are waiting


def next_run(now: dt.datetime) -> dt.datetime:
    """The next RUN_AT (local time) strictly after now."""
    local = timezone.localtime(now)
    at = local.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def schedule_next(now: dt.datetime | None = None):
    """Enqueue the daily task for its next run; None when the configured backend cannot run tasks later."""
    if not default_task_backend.supports_defer:
        return None
    return supervision_daily_task.using(run_after=next_run(now or timezone.now())).enqueue()


@task
def supervision_daily_task() -> dict[str, int]:
    counts = run_daily()
    schedule_next()
    return counts
