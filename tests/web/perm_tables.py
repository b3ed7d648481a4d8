"""Permission rows for the tables pages (see test_permissions.py for how they are read).

Ranking tables and the dashboard name every unit with its result: the office and leaders read them; a unit
never does (403: it reads its own report card); a version not made public is the office's alone (404).
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, OK, Row, cycle, roles, row, run

READERS = roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
OFFICE_ONLY = roles(OK, MISSING, MISSING, MISSING, MISSING)


def draft(w: SimpleNamespace) -> dict:
    return {"cycle": w.cycle.pk, "run": w.draft.pk}


TABLE: list[Row] = [
    row("ranking_table", READERS, run),
    row("ranking_table", OFFICE_ONLY, draft, "a draft run"),
    row("ranking_table_xlsx", READERS, run),
    row("ranking_table_xlsx", OFFICE_ONLY, draft, "a draft run"),
    row("ranking_table_pdf", READERS, run),
    row("ranking_table_pdf", OFFICE_ONLY, draft, "a draft run"),
    row("dashboard", READERS, cycle),
    row("dashboard", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk},
        "a cycle without them"),
]
POSTS: list[Row] = []


def setup(w: SimpleNamespace) -> None:
    """Add to the shared world the objects these rows ask for (w.run is in public notice, w.draft is not)."""
