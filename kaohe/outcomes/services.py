"""Writes of the result-application rules, each with its audit entry in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kaohe.audit.services import record
from kaohe.indicators.models import Cycle

from .models import Rule

FIELDS = ("name", "kind", "params", "outcome", "order")


@transaction.atomic
def save_rule(*, by, cycle: Cycle, rule: Rule | None = None, name: str, kind: str, params: dict[str, Any],
              outcome: str, order: int = 0) -> Rule:
    """Add a rule to the cycle, or change one; nothing is written when nothing changed."""
    new = {"name": name, "kind": kind, "params": params, "outcome": outcome, "order": order}
    if rule is None:
        rule = Rule.objects.create(cycle=cycle, **new)
        record(by=by, action="create", obj=rule, cycle_id=cycle.pk, changes={k: [None, v] for k, v in new.items()})
        return rule
    changes = {k: [getattr(rule, k), v] for k, v in new.items() if getattr(rule, k) != v}
    if not changes:
        return rule
    for k, (_old, v) in changes.items():
        setattr(rule, k, v)
    rule.save(update_fields=list(changes))
    record(by=by, action="update", obj=rule, cycle_id=cycle.pk, changes=changes)
    return rule


@transaction.atomic
def delete_rule(*, by, rule: Rule) -> None:
    record(by=by, action="delete", obj=rule, cycle_id=rule.cycle_id,
           changes={k: [getattr(rule, k), None] for k in FIELDS})
    rule.delete()


@transaction.atomic
def copy_rules(*, by, source: Cycle, cycle: Cycle) -> list[Rule]:
    """Start a cycle's rules from another cycle's (each copy audited)."""
    return [save_rule(by=by, cycle=cycle, name=r.name, kind=r.kind, params=r.params, outcome=r.outcome,
                      order=r.order) for r in source.outcome_rules.all()]
