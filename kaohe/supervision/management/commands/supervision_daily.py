"""Daily job (cron): supervision reminders for progress due, deadlines near and overdue items."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kaohe.supervision.services import run_daily


class Command(BaseCommand):
    help = "督查督办每日任务：向责任单位发出进展报送、临近时限和逾期提醒；同一天重复运行不会重复发送。"

    def handle(self, *args, **options) -> None:
        counts = run_daily()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
