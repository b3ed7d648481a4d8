"""Permission rows for the supervision overview pages (see test_permissions.py for how they are read).

Everyone logged in has "my items", the list, its Excel and the calendar (a unit sees only the items it leads
or answers for); the board is for the office and leaders; only the office makes a special report (专报).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from .permtable import FORBIDDEN, OK, Row, everyone, roles, row

REDIRECT = 302
OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
READERS = roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)

TABLE: list[Row] = [
    row("supervision_home", everyone(REDIRECT)),  # office → board, leaders and units → my items
    row("supervision_mine", everyone(OK)),
    row("supervision_board", READERS),
    row("supervision_items", everyone(OK)),
    row("supervision_items_export", everyone(OK)),
    row("supervision_calendar", everyone(OK)),
    row("supervision_report", OFFICE_ONLY),
]

# An empty POST of the special report is refused with a message (no items chosen): the form again, 200.
POSTS: list[Row] = [
    row("supervision_report", OFFICE_ONLY),
]


def setup(w: SimpleNamespace) -> None:
    """One item for each county, each led and answered for by that county alone."""
    from kaohe.supervision import services as svc

    for code, unit in (("OV-U1", w.unit1), ("OV-U2", w.unit2)):
        svc.create_item(by=w.office, year=w.cycle.year, code=code, title=f"{unit.name}督办事项", source="instruction",
                        lead_unit=unit, responsible_units=[unit], deadline=dt.date(w.cycle.year, 9, 30),
                        cycle=w.cycle, lead_leader="张市长")
