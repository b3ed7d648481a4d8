"""Permission rows for the reporting pages (see test_permissions.py for how they are read).

The world gets a year-end reporting window open today (closing in two days, so reminders go out), a submitted
report with a file for 东城县 (u1) and one for 西山县 (u2) on A1 (led by 统计局: stat), a draft of u1's on B1 with a
file it may remove, and a notice for u1.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.indicators import gates
from kaohe.indicators.models import Phase
from kaohe.web.models import Notice

from .permtable import FORBIDDEN, LOGIN, MISSING, NOT_ALLOWED, OK, SKIP, Row, cycle, everyone, roles, row

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


TABLE: list[Row] = [
    # the unit's own pages: office and leader go to the review queue; 统计局 is not assessed in the cycle
    row("report_list", roles(302, 302, MISSING, OK, OK), cycle),
    row("report_edit", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, OK), lambda w: cycle(w) | {"indicator": w.a1.pk},
        "A1"),
    row("report_edit", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, MISSING),
        lambda w: cycle(w) | {"indicator": w.group_a.pk}, "a group, not a leaf"),
    # a report is read by the office, leaders, its unit and the leaf's lead unit
    row("report_detail", roles(OK, OK, OK, OK, MISSING), lambda w: cycle(w) | {"pk": w.report_u1.pk}, "U1"),
    row("report_detail", roles(OK, OK, OK, MISSING, OK), lambda w: cycle(w) | {"pk": w.report_u2.pk}, "U2"),
    row("report_detail", roles(OK, OK, MISSING, OK, MISSING), lambda w: cycle(w) | {"pk": w.draft_u1.pk},
        "U1's draft on B1 (no lead unit)"),
    row("report_review", everyone(NOT_ALLOWED), lambda w: cycle(w) | {"pk": w.report_u1.pk}, "U1"),
    row("report_evidence_delete", everyone(NOT_ALLOWED),
        lambda w: cycle(w) | {"pk": w.draft_u1.pk, "ev": w.draft_u1_ev.pk}),
    # the queue: office all, leaders read, a lead unit its leaves; an assessed unit that leads nothing has none
    row("review_queue", roles(OK, OK, OK, MISSING, MISSING), cycle),
    row("review_export", roles(OK, OK, OK, MISSING, MISSING), cycle),
    row("report_remind", everyone(NOT_ALLOWED), cycle),
    # files: never to another assessed unit
    row("evidence_download", roles(OK, OK, OK, OK, MISSING), lambda w: {"pk": w.ev_u1.pk}, "U1's file on A1"),
    row("evidence_download", roles(OK, OK, OK, MISSING, OK), lambda w: {"pk": w.ev_u2.pk}, "U2's file on A1"),
    # notices: everyone their own
    row("notice_list", everyone(OK)),
    row("notice_read", everyone(NOT_ALLOWED), lambda w: {"pk": w.notice_u1.pk}),
]

POSTS: list[Row] = [
    # a submitted report is read-only to its unit: the page comes back with the reason, nothing changes
    row("report_edit", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, OK), lambda w: cycle(w) | {"indicator": w.a1.pk},
        "A1"),
    # an empty review is a form error shown on the report; leaders and the unit itself never review
    row("report_review", roles(OK, FORBIDDEN, OK, FORBIDDEN, MISSING), lambda w: cycle(w) | {"pk": w.report_u1.pk},
        "U1"),
    row("report_review", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), lambda w: cycle(w) | {"pk": w.draft_u1.pk},
        "U1's draft on B1: not submitted, shown with the reason"),
    # only the unit removes a file from its own draft
    row("report_evidence_delete", roles(FORBIDDEN, FORBIDDEN, MISSING, 302, MISSING),
        lambda w: cycle(w) | {"pk": w.draft_u1.pk, "ev": w.draft_u1_ev.pk}),
    row("report_remind", roles(302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    # reading one's own notice changes no assessment data and is not audited (tests/reporting/test_notices.py)
    row("notice_read", roles(MISSING, MISSING, MISSING, SKIP, MISSING, anon=LOGIN), lambda w: {"pk": w.notice_u1.pk}),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def setup(w: SimpleNamespace) -> None:
    """Add to the shared world the objects these rows ask for."""
    from kaohe.reporting import services

    day = gates.today()
    Phase.objects.update_or_create(cycle=w.cycle, kind=Phase.Kind.YEAR_END, defaults={
        "starts": day - dt.timedelta(days=30), "ends": day + dt.timedelta(days=60),
        "report_opens": day - dt.timedelta(days=5), "report_closes": day + dt.timedelta(days=2)})
    for name, user, unit in (("u1", w.u1, w.unit1), ("u2", w.u2, w.unit2)):
        r = services.save_report(by=user, cycle=w.cycle, unit=unit, indicator=w.a1, actual=6.5, account="说明",
                                 uploads=[_pdf(f"{name}.pdf")])
        setattr(w, f"report_{name}", services.submit_report(by=user, report=r))
        setattr(w, f"ev_{name}", r.evidence.get())
    w.draft_u1 = services.save_report(by=w.u1, cycle=w.cycle, unit=w.unit1, indicator=w.b1, actual=30, account="",
                                      uploads=[_pdf("draft.pdf")])
    w.draft_u1_ev = w.draft_u1.evidence.get()
    w.notice_u1 = Notice.objects.create(user=w.u1, cycle=w.cycle, text="请填报", link=f"/cycles/{w.cycle.pk}/reports/")
