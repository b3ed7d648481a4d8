"""Daily job (cron, or a scheduled task): mark overdue items and send the supervision reminders due."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kaohe.supervision.services import run_daily
from kaohe.supervision.tasks import schedule_next


class Command(BaseCommand):
    help = ("督查督办每日任务：标记新逾期的事项，向责任单位发出进展报送、临近时限和逾期提醒；同一天重复运行不会重复发送。"
            " --schedule 在已配置任务队列（settings.TASKS，支持延时执行）时，把每日任务排入队列，此后每天 6:00 自动运行。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schedule", action="store_true",
                            help="把每日任务排入已配置的任务队列（不立即运行）")

    def handle(self, *args, schedule: bool = False, **options) -> None:
        if schedule:
            result = schedule_next()
            if result is None:
                raise CommandError("当前任务后端不支持延时执行（settings.TASKS）：请改用 cron 每天运行 "
                                   "`manage.py supervision_daily`。")
            self.stdout.write(f"已排入队列，{result.task.run_after:%Y-%m-%d %H:%M} 运行（任务 {result.id}）。")
            return
        counts = run_daily()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
