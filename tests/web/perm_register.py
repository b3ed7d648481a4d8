"""Permission rows for the register (加减分) and half-year problem (整改) pages.

See test_permissions.py for how they are read. Each county has one register entry and one sent problem;
a county asking for the other's gets 404. Only the office judges entries and verifies problems; only
the unit answers its own problems; leaders read everything and change nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, SKIP, Row, cycle, everyone, roles, row


def _entry(which: str):
    return lambda w: cycle(w) | {"pk": getattr(w, f"entry_{which}").pk}


def _problem(which: str):
    return lambda w: cycle(w) | {"pk": getattr(w, f"problem_{which}").pk}


OFFICE_ONLY = roles(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
READERS = roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)

TABLE: list[Row] = [
    # the register: everyone in the cycle opens the list (a unit sees its own entries); the export is every unit's
    row("register_list", everyone(OK), cycle),
    row("register_export", READERS, cycle),
    # assessed units apply for themselves; 统计局 is not assessed; leaders change nothing
    row("register_apply", roles(OK, FORBIDDEN, FORBIDDEN, OK, OK), cycle),
    row("register_detail", roles(OK, OK, MISSING, OK, MISSING), _entry("u1"), "U1"),
    row("register_detail", roles(OK, OK, MISSING, MISSING, OK), _entry("u2"), "U2"),
    row("register_expert_score", everyone(NOT_ALLOWED), _entry("u1"), "U1"),
    row("register_decide", everyone(NOT_ALLOWED), _entry("u1"), "U1"),
    row("register_withdraw", everyone(NOT_ALLOWED), _entry("u1"), "U1"),
    # half-year problems
    row("problem_list", everyone(OK), cycle),
    row("problem_export", READERS, cycle),
    row("problem_template", OFFICE_ONLY, cycle),
    row("problem_new", OFFICE_ONLY, cycle),
    row("problem_import", OFFICE_ONLY, cycle),
    row("problem_send", everyone(NOT_ALLOWED), cycle),
    row("problem_detail", roles(OK, OK, MISSING, OK, MISSING), _problem("u1"), "U1"),
    row("problem_detail", roles(OK, OK, MISSING, MISSING, OK), _problem("u2"), "U2"),
    row("problem_detail", roles(OK, OK, MISSING, MISSING, MISSING), _problem("draft"), "U1, not yet sent"),
    row("problem_answer", everyone(NOT_ALLOWED), _problem("u1"), "U1"),
    row("problem_close", everyone(NOT_ALLOWED), _problem("u1"), "U1"),
    row("problem_reopen", everyone(NOT_ALLOWED), _problem("u1"), "U1"),
]

# An empty POST is a form error (the page again, 200) and writes nothing.
POSTS: list[Row] = [
    row("register_apply", roles(OK, FORBIDDEN, FORBIDDEN, OK, OK), cycle),
    row("register_expert_score", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), _entry("u1"), "U1"),
    row("register_expert_score", roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN), _entry("u2"), "U2"),
    row("register_decide", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), _entry("u1"), "U1"),
    row("register_decide", roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN), _entry("u2"), "U2"),
    row("register_withdraw", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), _entry("u1"), "U1"),
    row("register_withdraw", roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN), _entry("u2"), "U2"),
    row("problem_new", OFFICE_ONLY, cycle),
    row("problem_import", OFFICE_ONLY, cycle),
    # an empty send sends every recorded problem: real work, tested with the view
    row("problem_send", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("problem_answer", roles(FORBIDDEN, FORBIDDEN, MISSING, OK, MISSING), _problem("u1"), "U1"),
    row("problem_answer", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, OK), _problem("u2"), "U2"),
    row("problem_answer", roles(FORBIDDEN, FORBIDDEN, MISSING, MISSING, MISSING), _problem("draft"),
        "U1, not yet sent"),
    row("problem_close", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), _problem("u1"), "U1"),
    row("problem_close", roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN), _problem("u2"), "U2"),
    row("problem_reopen", roles(OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING), _problem("u1"), "U1"),
    row("problem_reopen", roles(OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN), _problem("u2"), "U2"),
]


def setup(w: SimpleNamespace) -> None:
    """One register entry and one sent problem for each county, and a problem for U1 not yet sent."""
    from kaohe.register.services import apply_entry
    from kaohe.reporting.problems import record_problem, send_problems

    w.entry_u1 = apply_entry(by=w.u1, cycle=w.cycle, unit=w.unit1, source="award", title="省级文明县城",
                             points_claimed=1)
    w.entry_u2 = apply_entry(by=w.u2, cycle=w.cycle, unit=w.unit2, source="award", title="全国卫生县城",
                             points_claimed=1)
    w.problem_u1 = record_problem(by=w.office, cycle=w.cycle, unit=w.unit1, text="项目入库进度偏慢")
    w.problem_u2 = record_problem(by=w.office, cycle=w.cycle, unit=w.unit2, text="招商引资到位率偏低")
    send_problems(by=w.office, cycle=w.cycle)
    w.problem_draft = record_problem(by=w.office, cycle=w.cycle, unit=w.unit1, text="尚未下发的问题")
