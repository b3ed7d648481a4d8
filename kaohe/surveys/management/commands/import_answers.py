"""`manage.py import_answers <survey_id> <file> [--by office_username]`: the survey answer import for files too
large to upload (millions of rows), with a progress bar on stderr."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.surveys import imports
from kaohe.surveys.models import ImportBatch, Survey
from kaohe.surveys.services import SurveyRefused

BAR = 30


class Command(BaseCommand):
    help = "导入外部收集的满意度答卷（CSV 或 .xlsx）：全部通过检查才写入，否则一行也不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey", type=int, help="测评的 id")
        parser.add_argument("file", type=Path, help="CSV（UTF-8 或 GB18030）或 .xlsx 文件")
        parser.add_argument("--by", default=None, help="以哪位考核办用户的名义导入（默认：第一个超级用户）")

    def handle(self, *args, survey: int, file: Path, by: str | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        users = get_user_model().objects
        user = users.filter(username=by).first() if by else users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(f"没有用户“{by}”" if by else "请用 --by 指定考核办用户")
        s = Survey.objects.select_related("cycle").filter(pk=survey).first()
        if s is None:
            raise CommandError(f"没有 id 为 {survey} 的测评")
        try:
            batch = imports.create_batch(by=user, survey=s, filename=file.name)
        except SurveyRefused as exc:
            raise CommandError(str(exc)) from None
        started = time.monotonic()
        batch = imports.run_import(batch_pk=batch.pk, path=file, progress=self._bar(started))
        sys.stderr.write("\n")
        if batch.state != ImportBatch.State.DONE:
            for p in batch.problems:
                where = "，".join(x for x in (f"第 {p['row']} 行" if p["row"] else "", p["column"] or "") if x)
                self.stderr.write(f"{where}：{p['message']}" if where else p["message"])
            raise CommandError(f"未导入（批次 {batch.pk}）：文件有错误，一行也没有写入。")
        self.stdout.write(f"已导入 {batch.rows_done:,} 行（批次 {batch.pk}），用时 {time.monotonic() - started:.1f} 秒。")

    def _bar(self, started: float):
        last = [0.0]

        def show(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 0.2 and done < total:
                return
            last[0] = now
            share = done / total if total else 1.0
            filled = int(BAR * min(share, 1.0))
            rate = done / max(now - started, 1e-6)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {share:6.1%} {done:,}/{total:,} 行 "
                             f"{rate:,.0f} 行/秒")
            sys.stderr.flush()

        return show
