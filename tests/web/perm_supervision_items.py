"""Permission rows for the supervision item pages (see test_permissions.py for how they are read).

One item for each county (its lead and responsible unit) and a reminder letter to each. The office and
leaders read every item; a county reads its own, and another's looks missing (404), as does every item to
统计局, which answers for none. Only the office registers, edits, closes, reopens, decomposes and sends letters;
only an item's responsible unit reports progress; the unit or the office marks it completed. A letter's PDF is
read by the office, leaders and the unit it was sent to.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, Row, everyone, roles, row

OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)


def _item(which: str):
    return lambda w: {"pk": getattr(w, f"item_{which}").pk}


def _letter(which: str):
    return lambda w: {"pk": getattr(w, f"letter_{which}").pk}


# who sees an item: the office, the leaders, its own county
SEES_U1 = roles(OK, OK, MISSING, OK, MISSING)
SEES_U2 = roles(OK, OK, MISSING, MISSING, OK)
# the office's pages about an item: leaders and its county see the item but may not change it
OFFICE_U1 = roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING)
OFFICE_U2 = roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN)

TABLE: list[Row] = [
    row("supervision_item_new", OFFICE_ONLY),
    row("supervision_import", OFFICE_ONLY),
    row("supervision_template", OFFICE_ONLY),
    row("supervision_item", SEES_U1, _item("u1"), "U1"),
    row("supervision_item", SEES_U2, _item("u2"), "U2"),
    row("supervision_item_edit", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_item_edit", OFFICE_U2, _item("u2"), "U2"),
    # only the responsible unit reports progress: the office and leaders read it on the item's page
    row("supervision_progress", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, MISSING), _item("u1"), "U1"),
    row("supervision_progress", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, OK), _item("u2"), "U2"),
    row("supervision_complete", everyone(NOT_ALLOWED), _item("u1"), "U1"),
    row("supervision_close", everyone(NOT_ALLOWED), _item("u1"), "U1"),
    row("supervision_reopen", everyone(NOT_ALLOWED), _item("u1"), "U1"),
    row("supervision_decompose", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_decompose", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_letter_new", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_letter_new", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_letter_pdf", SEES_U1, _letter("u1"), "U1"),
    row("supervision_letter_pdf", SEES_U2, _letter("u2"), "U2"),
]

# An empty POST is a form error or the service's refusal (the page again, 200) and writes nothing; marking an
# item completed needs nothing more than the press of the button (302, audited).
POSTS: list[Row] = [
    row("supervision_item_new", OFFICE_ONLY),
    row("supervision_import", OFFICE_ONLY),
    row("supervision_item_edit", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_item_edit", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_progress", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, MISSING), _item("u1"), "U1"),
    row("supervision_progress", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, OK), _item("u2"), "U2"),
    # closing without a verification record is refused (and shown); so is a look-back on an item not closed
    row("supervision_close", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_close", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_reopen", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_reopen", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_decompose", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_decompose", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_letter_new", OFFICE_U1, _item("u1"), "U1"),
    row("supervision_letter_new", OFFICE_U2, _item("u2"), "U2"),
    row("supervision_complete", roles(302, FORBIDDEN, MISSING, 302, MISSING), _item("u1"), "U1"),
    row("supervision_complete", roles(302, FORBIDDEN, MISSING, MISSING, 302), _item("u2"), "U2"),
]


def setup(w: SimpleNamespace) -> None:
    """An item for each county in w.cycle, with a milestone, and a reminder letter (督办函) to each."""
    import datetime as dt

    from kaohe.supervision import services as svc
    from kaohe.supervision.models import Item, Letter

    def item(code: str, unit, title: str) -> Item:
        return svc.create_item(by=w.office, year=w.cycle.year, cycle=w.cycle, code=code, title=title,
                               source=Item.Source.INSTRUCTION, lead_leader="张市长", lead_unit=unit,
                               responsible_units=[unit], deadline=dt.date(w.cycle.year, 12, 31),
                               milestones=[("完成方案", dt.date(w.cycle.year, 6, 30))])

    w.item_u1 = item("DB-P1", w.unit1, "老旧小区改造")
    w.item_u2 = item("DB-P2", w.unit2, "农村公路提档升级")
    w.letter_u1 = svc.send_letter(by=w.office, item=w.item_u1, unit=w.unit1, kind=Letter.Kind.REMINDER_LETTER,
                                  failing=Letter.Failing.LAGGING, text="请加快进度")
    w.letter_u2 = svc.send_letter(by=w.office, item=w.item_u2, unit=w.unit2, kind=Letter.Kind.REMINDER_LETTER,
                                  failing=Letter.Failing.LAGGING, text="请加快进度")
