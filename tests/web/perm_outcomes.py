"""Permission rows for the outcomes pages (see test_permissions.py for how they are read)."""

from __future__ import annotations

from types import SimpleNamespace

from .permtable import FORBIDDEN, MISSING, NOT_ALLOWED, OK, SKIP, Row, cycle, everyone, roles, row


def rule(w: SimpleNamespace) -> dict[str, int]:
    return {"cycle": w.cycle.pk, "rule": w.rule.pk}


def other_cycle(w: SimpleNamespace) -> dict[str, int]:
    return {"cycle": w.other_cycle.pk}


TABLE: list[Row] = [
    # everyone reads the outcomes of the cycles they take part in; a unit sees only its own rows
    row("outcome_list", everyone(OK), cycle),
    row("outcome_list", roles(OK, OK, MISSING, MISSING, MISSING), other_cycle, label="a cycle without the unit"),
    row("outcome_export", everyone(OK), cycle),
    row("outcome_rules", roles(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("rule_save", everyone(NOT_ALLOWED), cycle),
    row("rule_delete", everyone(NOT_ALLOWED), rule),
]
POSTS: list[Row] = [
    row("rule_save", roles(SKIP, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), cycle),
    row("rule_delete", roles(302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), rule),
]


def setup(w: SimpleNamespace) -> None:
    """Add to the shared world the objects these rows ask for (w.run is in public notice, w.draft is not)."""
    from kaohe.outcomes.services import save_rule

    save_rule(by=w.office, cycle=w.cycle, name="组内第一名", kind="top_n", params={"n": 1}, outcome="优先支持")
    w.rule = save_rule(by=w.office, cycle=w.cycle, name="末位约谈", kind="bottom_n", params={"n": 1},
                       outcome="约谈主要负责人")
