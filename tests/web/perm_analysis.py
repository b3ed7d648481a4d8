"""Permission rows for the analysis pages (see test_permissions.py for how they are read).

The pages about every unit are the office's and the leaders'; a unit opens only its own trend page (another
unit's looks missing). 统计局 (stat) is not assessed in the cycle: it has no trend page of its own.
"""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, OK, Row, cycle, everyone, roles, row


def _unit(attr: str):
    return lambda w: cycle(w) | {"unit": getattr(w, attr).pk}


def _other(w: SimpleNamespace) -> dict:
    return {"cycle": w.other_cycle.pk}


TABLE: list[Row] = [
    row("analysis_index", everyone(OK), cycle),
    row("analysis_index", roles(OK, OK, MISSING, MISSING, MISSING), _other, "a cycle without them"),
    row("analysis_indicators", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_indicators_xlsx", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_domains", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_domains_xlsx", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_people", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_people_xlsx", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("analysis_unit", roles(OK, OK, MISSING, OK, MISSING), _unit("unit1"), "U1"),
    row("analysis_unit", roles(OK, OK, MISSING, MISSING, OK), _unit("unit2"), "U2"),
    row("analysis_unit_xlsx", roles(OK, OK, MISSING, OK, MISSING), _unit("unit1"), "U1"),
    row("analysis_unit_xlsx", roles(OK, OK, MISSING, MISSING, OK), _unit("unit2"), "U2"),
]
POSTS: list[Row] = []


def setup(w: SimpleNamespace) -> None:
    """Nothing to add: the pages read w.run, the public version of w.cycle."""
