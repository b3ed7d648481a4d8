"""Permission rows for the ratings pages (see test_permissions.py for how they are read).

The rating window is open today, so scores are sealed: the export sends the readers back to the scores page.
A sheet is opened by its rater only, not even by the office. U1 rates 南湖县 only, so that nothing of 西山县 shows
on u1's pages; U2 rates U1.
"""

from __future__ import annotations

from types import SimpleNamespace

from kaohe.indicators import gates
from kaohe.organisation.models import Unit
from kaohe.ratings import services

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, SKIP, Row, cycle, everyone, roles, row

OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
READERS = roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
WRITE = roles(302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
FORM = roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)  # an empty POST is a form error


def _pk(attr: str):
    return lambda w: cycle(w) | {"pk": getattr(w, attr).pk}


TABLE: list[Row] = [
    row("rating_setup", READERS, cycle),
    row("rating_remind", everyone(NOT_ALLOWED), cycle),
    row("rater_group_save", everyone(NOT_ALLOWED), cycle),
    row("rater_group_delete", everyone(NOT_ALLOWED), _pk("spare_group")),
    row("rating_window_save", everyone(NOT_ALLOWED), cycle),
    row("rater_add", OFFICE_ONLY, cycle),
    row("rater_import", OFFICE_ONLY, cycle),
    row("rater_edit", OFFICE_ONLY, _pk("rater_u1")),
    row("rater_delete", everyone(NOT_ALLOWED), _pk("spare_rater")),
    row("rating_scores", READERS, cycle),
    row("rating_scores_export", roles(302, 302, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle, "sealed while open"),
    row("rating_sheets", everyone(OK), cycle),
    row("rating_sheet", roles(MISSING, MISSING, MISSING, OK, MISSING), _pk("rater_u1"), "U1"),
    row("rating_sheet", roles(MISSING, MISSING, MISSING, MISSING, OK), _pk("rater_u2"), "U2"),
]

POSTS: list[Row] = [
    row("rating_remind", WRITE, cycle),
    row("rater_group_save", FORM, cycle),
    row("rater_group_delete", WRITE, _pk("spare_group")),
    row("rating_window_save", FORM, cycle),
    row("rater_add", FORM, cycle),
    row("rater_import", FORM, cycle),
    row("rater_edit", FORM, _pk("rater_u1")),
    row("rater_delete", WRITE, _pk("spare_rater")),
    # an empty POST on one's own sheet saves nothing (no cell changed); another's sheet looks missing
    row("rating_sheet", roles(MISSING, MISSING, MISSING, SKIP, MISSING), _pk("rater_u1"), "U1"),
    row("rating_sheet", roles(MISSING, MISSING, MISSING, MISSING, SKIP), _pk("rater_u2"), "U2"),
]


def setup(w: SimpleNamespace) -> None:
    """A rater group with a window open today; U1 rates U3, U2 rates U1; a spare group and a spare rater to delete."""
    office, c = w.office, w.cycle
    peers = services.save_group(by=office, cycle=c, group=None, code="peers", name="部门互评", weight=1.0)
    w.spare_group = services.save_group(by=office, cycle=c, group=None, code="spare", name="备用组", weight=0)
    today = gates.today()
    services.save_window(by=office, cycle=c, opens=today, closes=today, reason_below=60)
    u3 = Unit.objects.get(code="U3")
    w.rater_u1 = services.add_rater(by=office, cycle=c, group=peers, unit=w.unit1, rates=[u3])
    w.rater_u2 = services.add_rater(by=office, cycle=c, group=peers, unit=w.unit2, rates=[w.unit1])
    w.spare_rater = services.add_rater(by=office, cycle=c, group=peers, unit=w.stat_unit, rates=[u3])
