"""Outcomes: every rule of a cycle evaluated on each unit's history of published year-end results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit
from kaohe.results.models import Run, RunUnit

from .models import Rule
from .rules import BadParams, Result, evaluate


@dataclass(frozen=True)
class Outcome:
    unit: Unit
    rule: Rule
    text: str
    detail: str
    triggers: tuple[Result, ...]
    cycle_names: dict[int, str]

    @property
    def trigger_rows(self) -> list[tuple[str, Result]]:
        return [(self.cycle_names.get(r.cycle_id, str(r.year)), r) for r in self.triggers]


def public_result_run(cycle: Cycle) -> Run | None:
    """The cycle's year-end result as published: the latest final version, else the latest in public notice."""
    runs = cycle.runs.filter(stage="year_end", notice_at__isnull=False, status=Run.Status.OK)
    return runs.filter(published_at__isnull=False).order_by("-number").first() or runs.order_by("-number").first()


def history_cycles(cycle: Cycle) -> list[tuple[Cycle, Run]]:
    """This cycle and those of earlier years with a published year-end result, oldest first (one per year:
    the newest cycle of that year that has one)."""
    by_year: dict[int, tuple[Cycle, Run]] = {}
    for c in Cycle.objects.filter(year__lte=cycle.year).order_by("year", "id"):
        if c.year == cycle.year and c.pk != cycle.pk:
            continue
        run = public_result_run(c)
        if run is not None:
            by_year[c.year] = (c, run)
    return [by_year[y] for y in sorted(by_year)]


def histories(cycle: Cycle, units: QuerySet[Unit]) -> tuple[dict[int, list[Result]], dict[int, str]]:
    """unit pk -> its results over the cycles on record, oldest first; and cycle pk -> name."""
    chain = history_cycles(cycle)
    names = {c.pk: c.name for c, _run in chain}
    years = {run.pk: c for c, run in chain}
    names_at = {run.pk: run.indicator_names for _c, run in chain}
    rows = (RunUnit.objects.filter(run__in=[run for _c, run in chain], unit__in=units)
            .values("run_id", "unit_id", "rank", "group_size", "grade", "total", "vetoed", "advanced", "scores"))
    out: dict[int, list[Result]] = defaultdict(list)
    for r in rows:
        c = years[r["run_id"]]
        lost = {s["indicator"]: s.get("lost") or 0 for s in r["scores"] if s.get("applicable", True)}
        out[r["unit_id"]].append(Result(year=c.year, cycle_id=c.pk, rank=r["rank"], group_size=r["group_size"],
                                        grade=r["grade"], total=r["total"], vetoed=r["vetoed"],
                                        advanced=r["advanced"], lost_by_indicator=lost,
                                        indicator_names=names_at[r["run_id"]]))
    for results in out.values():
        results.sort(key=lambda x: x.year)
    return out, names


def outcomes(cycle: Cycle, units: QuerySet[Unit], rules: QuerySet[Rule] | None = None) -> list[Outcome]:
    """Each unit's outcomes, in unit order then rule order; a rule with unusable parameters gives none."""
    rules = list(rules if rules is not None else cycle.outcome_rules.all())
    unit_list = list(units.order_by("domain__order", "code"))
    hist, names = histories(cycle, units)
    found: list[Outcome] = []
    for unit in unit_list:
        history = hist.get(unit.pk, [])
        for rule in rules:
            try:
                hit = evaluate(rule.kind, rule.params, history, cycle.pk)
            except BadParams:
                continue
            if hit is not None:
                text = f"{rule.outcome}（{hit.detail}）" if rule.kind == "grade_quota" else rule.outcome
                found.append(Outcome(unit, rule, text, hit.detail, hit.triggers, names))
    return found


def rule_problems(rules: list[Rule]) -> dict[int, str]:
    """rule pk -> why it cannot be evaluated (stored parameters from before a change of kind, say)."""
    problems = {}
    for rule in rules:
        try:
            evaluate(rule.kind, rule.params, [], 0)
        except BadParams as exc:
            problems[rule.pk] = str(exc)
    return problems
