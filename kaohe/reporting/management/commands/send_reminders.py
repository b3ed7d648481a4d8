"""Daily job (cron): remind the units that have not submitted, in every cycle with a reporting window."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kaohe.indicators.models import Cycle
from kaohe.reporting.services import send_reminders


class Command(BaseCommand):
    help = "向填报截止前 3 天内（或刚截止）仍未提交的单位发出站内通知和邮件催报；同一天重复运行不会重复发送。"

    def handle(self, *args, **options) -> None:
        total = 0
        cycles = Cycle.objects.filter(phases__report_opens__isnull=False, phases__report_closes__isnull=False)
        for cycle in cycles.distinct().order_by("year", "pk"):
            n = send_reminders(cycle=cycle)
            if n:
                self.stdout.write(f"{cycle.name}: {n}")
            total += n
        self.stdout.write(f"reminded {total} unit(s)")
