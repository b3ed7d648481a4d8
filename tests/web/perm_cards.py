"""Permission rows for the report card pages (see test_permissions.py for how they are read).

A card (web, PDF, Excel) is read by the office and leaders for any unit, by a unit for its own only; the other
unit's looks missing. The batch export of every unit's cards is the office's alone.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from kaohe.results.models import CardExport

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, SKIP, Row, everyone, roles, row, run

OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)


def job(w: SimpleNamespace) -> dict:
    return run(w) | {"job": w.card_export.pk}


TABLE: list[Row] = [
    *(r for name in ("run_unit_pdf", "run_unit_xlsx") for r in (
        row(name, roles(OK, OK, MISSING, OK, MISSING), lambda w: run(w) | {"unit": w.unit1.pk}, "U1"),
        row(name, roles(OK, OK, MISSING, MISSING, OK), lambda w: run(w) | {"unit": w.unit2.pk}, "U2"),
        row(name, roles(OK, MISSING, MISSING, MISSING, MISSING),
            lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk, "unit": w.unit1.pk}, "a draft run, U1"),
    )),
    row("card_export_start", everyone(NOT_ALLOWED), run),  # POST only
    row("card_export_status", OFFICE_ONLY, job),
    row("card_export_status", roles(MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk, "job": w.card_export.pk}, "another run's job"),
    row("card_export_download", OFFICE_ONLY, job),
]

# starting an export is real work (every unit's PDF), tested with the view itself
POSTS: list[Row] = [
    row("card_export_start", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), run),
]


def setup(w: SimpleNamespace) -> None:
    """A finished batch export of w.run's cards, its zip under MEDIA_ROOT/exports (the test's own folder)."""
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"cards-perm-{w.run.pk}.zip"
    with zipfile.ZipFile(folder / name, "w") as zf:
        zf.writestr("001-东城县-成绩单.pdf", b"%PDF-1.4\n")
    w.card_export = CardExport.objects.create(run=w.run, created_by=w.office, total=1, done=1,
                                              status=CardExport.Status.DONE, file=f"exports/{name}")
