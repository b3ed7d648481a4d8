"""Permission rows for the supervision projects pages (see test_permissions.py for how they are read).

Each county leads one key project and one livelihood project; a county asking for the other's gets 404. The
office records everything; leaders read everything and change nothing. The quarterly bulletin (通报) is
city-wide: everyone logged in reads it. The supervision plan is the office's and the leaders'.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, Row, everyone, roles, row

OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
READERS = roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
# the office records for any county's project; a leader may not; the other county does not see it
RECORD_U1 = roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING)
RECORD_U2 = roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN)


def _pk(name: str):
    return lambda w: {"pk": getattr(w, name).pk}


def _quarter(name: str):
    return lambda w: {"pk": getattr(w, name).pk, "quarter": 2}


def _bulletin(w: SimpleNamespace) -> dict:
    return {"year": w.key_u1.year, "quarter": 2}


TABLE: list[Row] = [
    # key projects: everyone opens the list (a county sees its own), the office creates and records
    row("supervision_projects", everyone(OK)),
    row("supervision_project_new", OFFICE_ONLY),
    row("supervision_project", roles(OK, OK, MISSING, OK, MISSING), _pk("key_u1"), "U1"),
    row("supervision_project", roles(OK, OK, MISSING, MISSING, OK), _pk("key_u2"), "U2"),
    row("supervision_project_quarter", everyone(NOT_ALLOWED), _quarter("key_u1"), "U1"),
    # the bulletin names every county's projects: it is published city-wide (U2's project is of another year,
    # so that the check that U1 never reads 西山县 still means something for the other pages)
    row("supervision_bulletin", everyone(OK), _bulletin),
    row("supervision_bulletin_pdf", everyone(OK), _bulletin),
    # livelihood projects: a county sees its own, without the city totals; the export is every county's
    row("supervision_livelihood", everyone(OK)),
    row("supervision_livelihood_new", OFFICE_ONLY),
    row("supervision_livelihood_funds", RECORD_U1, _pk("livelihood_u1"), "U1"),
    row("supervision_livelihood_funds", RECORD_U2, _pk("livelihood_u2"), "U2"),
    row("supervision_livelihood_export", READERS),
    # the plan caps the inspections that burden the units: the office sets it, leaders read it, units do not
    row("supervision_plan", READERS),
    row("supervision_plan_set", everyone(NOT_ALLOWED)),
    row("supervision_inspection_new", OFFICE_ONLY),
]

# An empty POST is a form error (the page again, 200) and writes nothing.
POSTS: list[Row] = [
    row("supervision_project_new", OFFICE_ONLY),
    row("supervision_project_quarter", RECORD_U1, _quarter("key_u1"), "U1"),
    row("supervision_project_quarter", RECORD_U2, _quarter("key_u2"), "U2"),
    row("supervision_livelihood_new", OFFICE_ONLY),
    row("supervision_livelihood_funds", RECORD_U1, _pk("livelihood_u1"), "U1"),
    row("supervision_livelihood_funds", RECORD_U2, _pk("livelihood_u2"), "U2"),
    row("supervision_plan_set", OFFICE_ONLY),
    row("supervision_inspection_new", OFFICE_ONLY),
]


def setup(w: SimpleNamespace) -> None:
    """A key project and a livelihood project for each county, a plan with one inspection."""
    import datetime as dt
    from decimal import Decimal

    from kaohe.supervision import projects as pj

    w.key_u1 = pj.create_key_project(by=w.office, year=2026, code="ZD-P1", name="城东产业园道路", lead_unit=w.unit1,
                                     total_investment=Decimal(8000), quarterly_plan=[Decimal(500)] * 4)
    pj.record_quarter(by=w.office, project=w.key_u1, quarter=2, completed=Decimal(450), score=92)
    w.key_u2 = pj.create_key_project(by=w.office, year=2025, code="ZD-P2", name="西山物流园", lead_unit=w.unit2,
                                     total_investment=Decimal(6000), quarterly_plan=[Decimal(300)] * 4)
    w.livelihood_u1 = pj.create_livelihood_project(by=w.office, year=2026, code="MS-P1", name="城东学校扩容",
                                                   lead_unit=w.unit1, budget=Decimal(1200))
    w.livelihood_u2 = pj.create_livelihood_project(by=w.office, year=2026, code="MS-P2", name="西山供水保障",
                                                   lead_unit=w.unit2, budget=Decimal(900))
    pj.set_plan(by=w.office, year=2026, allowed=26)
    pj.schedule_inspection(by=w.office, title="重点项目第二季度督查", kind="key_projects", day=dt.date(2026, 6, 20),
                           units=[w.unit1, w.unit2])
