"""Permission rows for the versions pages (see test_permissions.py for how they are read)."""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, Row, cycle, everyone, roles, row, run

TABLE: list[Row] = [
    # comparing versions is for those who read every unit's results; leaders among the public versions only
    row("run_compare", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("run_compare", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk},
        "a cycle without them"),
    # the leader sees one public version only: nothing to compare, sent back to the page that says so
    row("run_compare_export", roles(OK, 302, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    # an assessed unit appeals on its own score in the version in notice; 统计局 has no score there
    row("appeal_new", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, OK), run),
    row("appeal_new", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, MISSING),
        lambda w: {"cycle": w.cycle.pk, "run": w.draft.pk}, "a draft run"),
    row("appeal_list", everyone(OK), cycle),
    row("appeal_list", roles(OK, OK, MISSING, MISSING, MISSING), lambda w: {"cycle": w.other_cycle.pk},
        "a cycle without them"),
    row("appeal_detail", roles(OK, OK, MISSING, OK, MISSING), lambda w: cycle(w) | {"pk": w.appeal1.pk}, "U1"),
    row("appeal_detail", roles(OK, OK, MISSING, MISSING, OK), lambda w: cycle(w) | {"pk": w.appeal2.pk}, "U2"),
    row("appeal_decide", everyone(NOT_ALLOWED), lambda w: cycle(w) | {"pk": w.appeal1.pk}),
]

POSTS: list[Row] = [
    # an empty appeal is a form error for the unit (200, nothing written); others are refused
    row("appeal_new", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, OK), run),
    # an empty decision is a form error for the office; only the office decides
    row("appeal_decide", roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        lambda w: cycle(w) | {"pk": w.appeal1.pk}),
]


def setup(w: SimpleNamespace) -> None:
    """Add to the shared world the objects these rows ask for (w.run is in public notice, w.draft is not)."""
    from kaohe.results.versions import decide_appeal, file_appeal

    w.appeal1 = file_appeal(by=w.u1, run=w.run, unit=w.unit1, indicator_code="A1", reason="统计口径有误")
    w.appeal2 = file_appeal(by=w.u2, run=w.run, unit=w.unit2, indicator_code="B1", reason="测评样本偏少")
    # decided (rejected: no new version), so that run_finalize's row finds no open appeal on w.run
    for appeal in (w.appeal1, w.appeal2):
        decide_appeal(by=w.office, appeal=appeal, accept=False, decision="维持原结果")
