"""The daily job: each reminder once per item, unit, kind and day, however often it runs."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.core.management import call_command

from kaohe.supervision import services as svc
from kaohe.supervision.models import Item, SupervisionReminder
from kaohe.web.models import Notice

from .helpers import make_item


def test_the_daily_job_run_twice_sends_each_reminder_once(world, django_capture_on_commit_callbacks) -> None:
    world.u1.email, world.u2.email = "u1@example.cn", "u2@example.cn"
    world.u1.save()
    world.u2.save()
    with time_machine.travel(dt.datetime(2026, 8, 1, 9, 0), tick=False):
        weekly = make_item(world, code="DB-W", units=[world.unit1, world.unit2], deadline=dt.date(2026, 8, 20),
                           report_interval=Item.Interval.WEEKLY)
        late = make_item(world, code="DB-L", deadline=dt.date(2026, 8, 5))
        svc.report_progress(by=world.u2, item=weekly, text="已开工", percent=40)
    notices_before = Notice.objects.count()
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 8, 8, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            counts = svc.run_daily()
        # U1 and U2 have not reported for a week on the weekly item; the other item is 3 days past its deadline
        assert counts == {"progress_due": 2, "deadline_near": 0, "overdue": 1, "marked_overdue": 1}
        late.refresh_from_db()
        assert late.overdue_since == dt.date(2026, 8, 8)
        assert SupervisionReminder.objects.count() == 3
        notices, mails = Notice.objects.count(), len(mail.outbox)
        assert notices == notices_before + 3 and mails == 3
        with django_capture_on_commit_callbacks(execute=True):
            assert svc.run_daily() == {"progress_due": 0, "deadline_near": 0, "overdue": 0, "marked_overdue": 0}
        call_command("supervision_daily")
        assert SupervisionReminder.objects.count() == 3
        assert Notice.objects.count() == notices and len(mail.outbox) == mails
    assert set(SupervisionReminder.objects.values_list("item__code", "unit__code", "kind")) == {
        ("DB-W", "U1", "progress_due"), ("DB-W", "U2", "progress_due"), ("DB-L", "U1", "overdue")}
    # three days before the deadline: a deadline reminder; the progress reminder waits a week from the last one
    with time_machine.travel(dt.datetime(2026, 8, 17, 7, 0), tick=False):
        counts = svc.run_daily()
    assert counts["deadline_near"] == 2 and counts["progress_due"] == 2 and counts["overdue"] == 1
    assert counts["marked_overdue"] == 0  # marked once, on the first day
    assert late.reminders.count() == 2
    late.refresh_from_db()
    assert late.overdue_since == dt.date(2026, 8, 8)


def test_closed_and_completed_items_are_not_reminded(world) -> None:
    item = make_item(world, deadline=dt.date(2026, 8, 5))
    svc.mark_completed(by=world.u1, item=item)
    assert sum(svc.run_daily(day=dt.date(2026, 9, 1)).values()) == 0
