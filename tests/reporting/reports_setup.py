"""Shared pieces of the reporting tests: a reporting window around today, files to upload, media in tmp_path."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.indicators import gates
from kaohe.indicators.models import Indicator, Phase

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def window(cycle, *, opens: int = -5, closes: int = 10) -> Phase:
    """The year-end phase with its reporting window, in days from today (negative: in the past)."""
    day = gates.today()
    phase, _ = Phase.objects.update_or_create(
        cycle=cycle, kind=Phase.Kind.YEAR_END,
        defaults={"starts": day - dt.timedelta(days=60), "ends": day + dt.timedelta(days=60),
                  "report_opens": day + dt.timedelta(days=opens), "report_closes": day + dt.timedelta(days=closes)})
    return phase


def pdf(name: str = "统计公报.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def leaf(world, code: str) -> Indicator:
    return Indicator.objects.get(cycle=world.cycle, code=code)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
